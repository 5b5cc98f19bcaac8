//! Random mutation (issue 7's bar): 400 files made by damaging real contact files (the example
//! vault and the shared edge corpus) at random — bytes flipped, inserted, deleted, lines
//! duplicated or cut, the file truncated — are parsed by the library and served by the binary.
//! Nothing may panic; every file is accounted for by `validate`; the read commands answer.
//! The random numbers come from a fixed seed, so a failure reproduces; set
//! `NETVAULT_MUTATION_SEED=N` to explore other seeds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::TestVault;

const FILES: usize = 400;

/// `SplitMix64`: small, good enough, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n.max(1)).unwrap()).unwrap()
    }
}

/// Bytes that make parsers work: YAML and Markdown syntax, line breaks, multibyte and bad UTF-8.
const NASTY: &[&[u8]] = &[
    b"---",
    b"\n---\n",
    b":",
    b": ",
    b"- ",
    b"[",
    b"]",
    b"{",
    b"}",
    b"&a ",
    b"*a",
    b"!!str ",
    b"|",
    b">",
    b"\"",
    b"'",
    b"#",
    b"\t",
    b"\r\n",
    b"\r",
    b"\n",
    b"\0",
    b"\xEF\xBB\xBF",
    b"\xC3",
    b"\xFF\xFE",
    "é".as_bytes(),
    "👋".as_bytes(),
    b"<<<<<<< HEAD\n",
    b"## Log\n",
    b"### 2026-13-45 ",
    b"- 2026-02-30: ",
    b"- [ ] ",
    b"[[",
    b"]]",
    b"```\n",
    b"name: ",
    b"follow_up: ",
    b"cadence: ",
    b"99999999999999999999",
];

fn sources() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in [root.join("example-vault/people"), root.join("../shared/corpus/edge")] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{} is missing: {e}", dir.display()))
            .map(|e| e.expect("an entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        paths.sort();
        files.extend(paths.iter().map(|p| std::fs::read(p).expect("readable")));
    }
    assert!(files.len() >= 50, "only {} source files", files.len());
    files
}

fn mutate(rng: &mut Rng, mut bytes: Vec<u8>) -> Vec<u8> {
    for _ in 0..=rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(8) {
            0 if !bytes.is_empty() => {
                let i = at.min(bytes.len() - 1);
                bytes[i] ^= 1 << rng.below(8);
            }
            1 => {
                let nasty = NASTY[rng.below(NASTY.len())];
                bytes.splice(at..at, nasty.iter().copied());
            }
            2 => {
                let end = (at + rng.below(40)).min(bytes.len());
                bytes.drain(at..end);
            }
            3 => bytes.truncate(at),
            4 => {
                // Duplicate a line (a repeated key, a repeated heading).
                let start = bytes[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
                let end = bytes[at..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(bytes.len(), |i| at + i + 1);
                let line = bytes[start..end].to_vec();
                bytes.splice(start..start, line);
            }
            5 => {
                // Indent or dedent a line.
                let start = bytes[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
                if rng.below(2) == 0 {
                    bytes.splice(start..start, *b"  ");
                } else if bytes.get(start) == Some(&b' ') {
                    bytes.remove(start);
                }
            }
            6 => {
                // Nest deeply.
                let depth = 1 + rng.below(300);
                let open: Vec<u8> = std::iter::repeat_n(b'[', depth).collect();
                bytes.splice(at..at, open);
            }
            _ => {
                let nasty = NASTY[rng.below(NASTY.len())];
                let end = (at + nasty.len()).min(bytes.len());
                bytes.splice(at..end, nasty.iter().copied());
            }
        }
    }
    bytes
}

#[test]
fn four_hundred_mutated_files_never_panic_and_are_all_accounted_for() {
    let sources = sources();
    let seed = std::env::var("NETVAULT_MUTATION_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6E65_7476_6175_6C74);
    let mut rng = Rng(seed);
    let mut vault = TestVault::new();
    let mut written: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for i in 0..FILES {
        let source = sources[rng.below(sources.len())].clone();
        let bytes = mutate(&mut rng, source);
        let rel = format!("m/{:02}/file {i:03}.md", i % 20);
        // The library first: a panic here names the file's bytes.
        let parsed = std::panic::catch_unwind(|| netvault::contact::parse_file(&rel, &bytes, &BTreeMap::new()));
        assert!(
            parsed.is_ok(),
            "parse_file panicked on {rel}: {:?}",
            String::from_utf8_lossy(&bytes)
        );
        vault = vault.file(&rel, &bytes);
        written.insert(rel, bytes);
    }
    let (out, json) = vault.json(&["validate", "--format", "json"]);
    assert!(matches!(out.code, 0 | 1), "{out}");
    assert!(!out.stderr.contains("panicked"), "{out}");
    assert_eq!(json["files"], FILES, "every file is checked");

    for args in [
        &["index"][..],
        &["search", "archives", "--format", "json"],
        &["search", "tag:alumni OR last:<-30d"],
        &["report"],
        &["report", "followups", "--format", "json"],
        &["report", "outcomes"],
        &["report", "intros", "--format", "json"],
        &["who-knows", "library"],
        &["export", "csv"],
        &["export", "vcard"],
    ] {
        let out = vault.run(args);
        assert!(matches!(out.code, 0 | 1), "{args:?}: {out}");
        assert!(!out.stderr.contains("panicked"), "{args:?}: {out}");
    }
    // Read-only: not one byte of the mutated files changed.
    for (rel, bytes) in &written {
        assert_eq!(&std::fs::read(vault.join(rel)).unwrap(), bytes, "{rel} changed");
    }
}
