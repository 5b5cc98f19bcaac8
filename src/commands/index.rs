//! `netvault index [--rebuild]`: sync the index with the files and print what changed.

use std::time::Instant;

use crate::error::{Error, Result};
use crate::output::{emit, plural};

use super::{Context, synced};

pub fn run(ctx: &Context, rebuild: bool) -> Result<()> {
    let start = Instant::now();
    let mut s = synced(ctx)?;
    let mut stats = s.stats.clone();
    if rebuild {
        if !s.index.clear()? {
            return Err(Error::Usage(
                "another netvault process holds the index; try again when it finishes (or stop `netvault watch`)"
                    .into(),
            ));
        }
        stats = s.index.sync(&s.walk, &s.config)?;
    }
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
