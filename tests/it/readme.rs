//! The README's examples are what the binary prints (issue 13, item 9).
//!
//! The convention, for README.md's authors: a ```` ```text ```` block whose first line is
//! `$ netvault ARGS` is a transcript. ARGS (split as a shell would, with `"…"` and `'…'`
//! quoting) must hold `--vault example-vault --today 2026-11-27`; the rest of the block is the
//! command's exact standard output at 80 columns with colour off (`COLUMNS=80`, `--color
//! never`), run on a fresh copy of `example-vault/` (so the index is never written into the
//! repository). A last line of exactly `...` means the output goes on: the lines above it must
//! be the output's first lines. Standard error is not shown (notes such as "building the search
//! index") and the exit code is not compared (`validate` exits 1 on problems). The one filter:
//! the copy's path, were it printed, reads `example-vault`. Commands whose output depends on the
//! machine (timings such as `index`'s `(0.03s)`) are not shown this way. Other `text` blocks
//! are not checked.
//!
//! To refresh a block after changing the output: run its command line from the repository root
//! with `COLUMNS=80 cargo run --release -- --color never ARGS` (on a copy of the vault, or delete
//! `example-vault/.netvault/index` afterwards) and paste the output under the `$` line.

use std::path::Path;

/// One transcript: where it is, the arguments, and the output shown.
struct Example {
    line: usize,
    args: Vec<String>,
    shown: String,
    /// The block ends with `...`: `shown` is the output's beginning.
    partial: bool,
}

const TODAY_ARGS: [&str; 2] = ["--today", "2026-11-27"];

fn examples(readme: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let mut lines = readme.lines().enumerate();
    while let Some((_, line)) = lines.next() {
        if line.trim_end() != "```text" {
            continue;
        }
        let mut block: Vec<(usize, &str)> = Vec::new();
        for (n, l) in lines.by_ref() {
            if l.trim_end() == "```" {
                break;
            }
            block.push((n + 1, l));
        }
        let Some(&(line, first)) = block.first() else {
            continue;
        };
        let Some(command) = first.strip_prefix("$ netvault ") else {
            continue;
        };
        let mut rest: Vec<&str> = block[1..].iter().map(|&(_, l)| l).collect();
        let partial = rest.last() == Some(&"...");
        if partial {
            rest.pop();
        }
        let mut shown = rest.join("\n");
        shown.push('\n');
        out.push(Example {
            line,
            args: split(command).unwrap_or_else(|e| panic!("README.md:{line}: {e}")),
            shown,
            partial,
        });
    }
    out
}

/// Split a command line as a shell would for the quoting README examples use.
fn split(command: &str) -> Result<Vec<String>, String> {
    let mut args = Vec::new();
    let mut current: Option<String> = None;
    let mut quote: Option<char> = None;
    for c in command.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => {
                quote = Some(c);
                current.get_or_insert_with(String::new);
            }
            (None, c) if c.is_whitespace() => args.extend(current.take()),
            // Inside quotes, or any other character outside them.
            (_, c) => current.get_or_insert_with(String::new).push(c),
        }
    }
    if quote.is_some() {
        return Err(format!("unclosed quote in {command:?}"));
    }
    args.extend(current);
    Ok(args)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_name() == "index" && from.ends_with(".netvault") {
            continue; // a local index left by a manual run is derived data
        }
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Run one example on a fresh copy of the example vault; its standard output.
fn run(example: &Example) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let copy = tempfile::tempdir().unwrap();
    let vault = copy.path().join("example-vault");
    copy_dir(&root.join("example-vault"), &vault);
    let args = &example.args;
    let at = args
        .windows(2)
        .position(|w| w == ["--vault", "example-vault"])
        .unwrap_or_else(|| panic!("README.md:{}: the command has no `--vault example-vault`", example.line));
    assert!(
        args.windows(2).any(|w| w == TODAY_ARGS),
        "README.md:{}: the command has no `--today 2026-11-27`",
        example.line
    );
    let mut cmd = crate::common::netvault();
    cmd.env("COLUMNS", "80").current_dir(copy.path());
    for (i, arg) in args.iter().enumerate() {
        if i == at + 1 {
            cmd.arg(&vault);
        } else {
            cmd.arg(arg);
        }
    }
    let out = crate::common::output(&mut cmd);
    out.stdout.replace(&vault.display().to_string(), "example-vault")
}

#[test]
fn every_readme_transcript_is_what_the_binary_prints() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let examples = examples(&readme);
    assert!(
        examples.len() >= 8,
        "the README's transcripts were not found: {}",
        examples.len()
    );
    let mut failures = Vec::new();
    for example in &examples {
        let printed = run(example);
        let matches = if example.partial {
            printed.starts_with(&example.shown)
        } else {
            printed == example.shown
        };
        if !matches {
            failures.push(format!(
                "README.md:{}: `netvault {}` prints:\n{printed}\n--- but the README shows{}:\n{}",
                example.line,
                example.args.join(" "),
                if example.partial { " (the beginning)" } else { "" },
                example.shown
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n=====\n"));
}

#[test]
fn command_lines_split_as_a_shell_would() {
    assert_eq!(
        split(r#"--vault example-vault who-knows "Permian Basin" 'a "b"'"#).unwrap(),
        ["--vault", "example-vault", "who-knows", "Permian Basin", "a \"b\""]
    );
    assert_eq!(split("search ''").unwrap(), ["search", ""]);
    assert!(split("search \"open").is_err());
}

#[test]
fn a_partial_block_ends_with_three_dots() {
    let readme = "```text\n$ netvault --vault example-vault --today 2026-11-27 report outcomes\nA\nB\n...\n```\n\n```text\nnot a transcript\n```\n";
    let found = examples(readme);
    assert_eq!(found.len(), 1);
    assert!(found[0].partial);
    assert_eq!(found[0].shown, "A\nB\n");
    assert_eq!(found[0].line, 2);
}
