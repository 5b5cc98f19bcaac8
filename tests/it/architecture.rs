//! The layout says what ARCHITECTURE.md says, and this test keeps it true: nothing under
//! `src/core/` touches the disk, reads the clock, or names the adapters' crates (clap, tantivy,
//! notify, indicatif, annotate-snippets). Code under a `#[cfg(test)]` line is the module's
//! tests, which may read fixtures.

use std::path::Path;

const FORBIDDEN: &[&str] = &[
    "clap",
    "tantivy",
    "notify",
    "indicatif",
    "annotate_snippets",
    "std::fs",
    "std::env",
    "File::open",
    "::now()",
    "SystemTime",
    "crate::index",
    "crate::commands",
    "crate::vault",
    "crate::edit",
    "crate::watch",
];

fn core_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            core_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_core_never_touches_the_disk_the_clock_or_the_adapters() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core");
    let mut files = Vec::new();
    core_files(&root, &mut files);
    assert!(files.len() >= 15, "the core's modules are under src/core: {files:?}");
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        // Inside a `#[cfg(test)]` item: the depth of braces it has opened, once it has.
        let (mut in_test, mut depth, mut opened) = (false, 0i32, false);
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if line.trim_start().starts_with("#[cfg(test)]") {
                (in_test, depth, opened) = (true, 0, false);
                continue;
            }
            if in_test {
                for c in code.chars() {
                    match c {
                        '{' => {
                            depth += 1;
                            opened = true;
                        }
                        '}' => depth -= 1,
                        _ => {}
                    }
                }
                if opened && depth <= 0 {
                    in_test = false;
                }
                continue;
            }
            for word in FORBIDDEN {
                if code.contains(word) {
                    found.push(format!("{}:{}: {word}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "the core reaches outside itself:\n{}",
        found.join("\n")
    );
}
