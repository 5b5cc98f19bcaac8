//! vCard, both ways, and the only module that names calcard: [`lines`] prepares a `.vcf`'s raw
//! bytes (charsets, quoted-printable, nested cards), [`read`] maps calcard's cards onto the
//! import's `Person`, [`write`] turns contacts into vCard 4.0 with calcard's writer.

pub mod lines;
pub mod read;
pub mod write;
