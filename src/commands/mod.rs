//! One module per subcommand: orchestration only (load, call the core, render).

pub mod init;
pub mod report;
pub mod show;
pub mod validate;

use std::path::PathBuf;

use jiff::civil::Date;

use crate::cli::Cli;
use crate::error::Result;
use crate::output::Printer;
use crate::vault;

/// What every command needs from the global flags, resolved.
pub struct Context {
    pub vault: Option<PathBuf>,
    pub today: Date,
    pub printer: Printer,
    pub cwd: PathBuf,
}

impl Context {
    /// The only place netvault reads the clock: the core gets `today` as a parameter.
    pub fn from_cli(cli: &Cli) -> Self {
        let today = cli.today.unwrap_or_else(|| jiff::ZonedDateTime::now().date());
        Self {
            vault: cli.vault.clone(),
            today,
            printer: Printer::new(cli.color, cli.quiet),
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
        }
    }

    pub fn root(&self) -> Result<PathBuf> {
        vault::find_root(self.vault.as_deref(), &self.cwd)
    }
}
