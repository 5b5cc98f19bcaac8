//! `netvault index [--rebuild]`: sync the index with the files and print what changed.

use std::time::Instant;

use crate::error::{Error, Result};
use crate::output::{emit, plural};

use super::{Context, synced};

pub fn run(ctx: &Context, rebuild: bool) -> Result<()> {
    let start = Instant::now();
    if rebuild {
        if crate::watch::watcher_is_live(&ctx.vault()?.root) {
            return Err(Error::Usage(
                "a `netvault watch` keeps this index; stop it before rebuilding (it rebuilds a damaged index itself)"
                    .into(),
            ));
        }
        ctx.rebuild_index.set(true);
    }
    let s = synced(ctx)?;
    let stats = s.stats.clone();
    let contacts = s.walk.files.len();
    let text = format!(
        "{}: {} added, {} updated, {} removed, {} unchanged ({:.2}s)\n",
        plural(contacts, "file"),
        stats.added,
        stats.updated,
        stats.removed,
        stats.unchanged,
        start.elapsed().as_secs_f64()
    );
    emit(&text).map_err(|e| Error::io("stdout", e))
}
