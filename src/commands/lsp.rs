//! `netvault lsp`: the language server on stdin and stdout. The server is [`crate::lsp`]; this
//! command only hands it what the global flags resolved (`--vault`, `--today`) and the clock.

use crate::Outcome;
use crate::error::Result;

use super::Context;

pub fn run(ctx: &Context) -> Result<Outcome> {
    let explicit = ctx.vault_arg.as_ref().map(|_| ctx.vault()).transpose()?;
    let setup = crate::lsp::Setup {
        vault: explicit.map(|v| (v.root.clone(), v.config.clone(), v.boundary.clone())),
        cwd: ctx.cwd.clone(),
        today: &|| ctx.today_now(),
    };
    crate::lsp::serve(&setup)?;
    Ok(Outcome::Success)
}
