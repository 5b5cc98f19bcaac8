//! How much the YAML fast path (`src/core/yaml/fast.rs`) gains on a real or generated vault.
//!
//! Reads every `.md` file's front matter under a folder (no netvault index, no config), then
//! parses all of them twice on one thread: with `yaml::parse` (the fast path, falling back to
//! serde-saphyr where it declines) and with `yaml::parse_with_saphyr` alone. Prints the share the
//! fast path answered and both times (the best of `--runs`).
//!
//! ```text
//! cargo run --release --example yaml_fast -- /tmp/vault100k
//! cargo run --release --example yaml_fast -- /tmp/vault100k --runs 5
//! cargo run --release --example yaml_fast -- /tmp/vault100k --declined 3   # show 3 it declined
//! ```

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use netvault::frontmatter::{self, Split};
use netvault::yaml;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: yaml_fast VAULT_DIR [--runs N] [--declined N]");
        return ExitCode::from(2);
    };
    let (mut runs, mut show) = (3, 0);
    while let (Some(flag), Some(n)) = (args.next(), args.next()) {
        let Ok(n) = n.parse() else {
            eprintln!("yaml_fast: {flag} takes a number");
            return ExitCode::from(2);
        };
        match flag.as_str() {
            "--runs" => runs = n,
            "--declined" => show = n,
            _ => {
                eprintln!("yaml_fast: unknown flag {flag}");
                return ExitCode::from(2);
            }
        }
    }
    let blocks = front_matters(Path::new(&dir));
    if blocks.is_empty() {
        eprintln!("yaml_fast: no front matter under {dir}");
        return ExitCode::from(1);
    }
    let answered = blocks.iter().filter(|b| yaml::fast::parse(b).is_some()).count();
    for block in blocks.iter().filter(|b| yaml::fast::parse(b).is_none()).take(show) {
        println!("--- declined:\n{block}");
    }
    let with_fast = best(runs, || blocks.iter().filter(|b| yaml::parse(b).is_ok()).count());
    let saphyr_only = best(runs, || {
        blocks.iter().filter(|b| yaml::parse_with_saphyr(b).is_ok()).count()
    });
    let bytes: usize = blocks.iter().map(String::len).sum();
    println!(
        "front matters: {} ({:.1} MB); fast path answered {answered} ({:.1}%)",
        blocks.len(),
        mb(bytes),
        percent(answered, blocks.len())
    );
    println!("yaml::parse (fast path + serde-saphyr): {:>8.1} ms", ms(with_fast));
    println!("serde-saphyr only:                      {:>8.1} ms", ms(saphyr_only));
    println!(
        "gain: {:.1}× (one thread, best of {runs})",
        saphyr_only.as_secs_f64() / with_fast.as_secs_f64()
    );
    ExitCode::SUCCESS
}

/// The YAML text of every `.md` file's front matter below `dir` (hidden folders skipped).
fn front_matters(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let walk = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walk.filter_map(Result::ok) {
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let (_, text) = frontmatter::strip_bom(&text);
        if let Split::Block(block) = frontmatter::split(text) {
            out.push(text[block.yaml].to_string());
        }
    }
    out
}

/// The shortest of `runs` timings of `f` (its result kept alive so it is not optimised away).
fn best(runs: usize, mut f: impl FnMut() -> usize) -> Duration {
    (0..runs.max(1))
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[allow(clippy::cast_precision_loss, reason = "sizes far below 2^52")]
fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

#[allow(clippy::cast_precision_loss, reason = "counts far below 2^52")]
fn percent(part: usize, whole: usize) -> f64 {
    100.0 * part as f64 / whole as f64
}
