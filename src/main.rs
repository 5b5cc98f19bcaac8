//! The `netvault` binary: everything lives in the library; this only hands it the process's
//! arguments and maps the outcome to an exit code.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(netvault::run(std::env::args_os()).code())
}
