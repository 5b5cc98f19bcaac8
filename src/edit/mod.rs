//! Every write netvault makes to a contact file goes through here (SPEC §8), in three parts:
//! [`text`] — the surgical edits, pure (text in, text out); [`write`] — the atomic writes, the
//! only part that touches the disk; [`naming`] — a new file's name. Everything is re-exported
//! here, so callers write `edit::set_key`, `edit::write_atomic`.

pub mod naming;
pub mod text;
pub mod write;

pub use naming::*;
pub use text::*;
pub use write::*;
