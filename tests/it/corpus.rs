//! The shared corpus of real-world inputs (`../shared/corpus`): every edge case meets its line
//! in `EXPECT.tsv`, and the YAML test suite agrees with the suite's verdicts on at least 225 of
//! 227 cases, with no panic and a position on every error.
//!
//! These tests fail loudly when the corpus is missing: a silent pass would hide a broken setup.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;

fn corpus(dir: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(dir);
    assert!(
        path.is_dir(),
        "the shared corpus is missing at {}: these tests need ../shared beside the repository",
        path.display()
    );
    path
}

fn expectations(dir: &std::path::Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(dir.join("EXPECT.tsv")).expect("EXPECT.tsv is readable");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut cols = l.split('\t');
            (cols.next().unwrap().to_string(), cols.next().unwrap_or("").to_string())
        })
        .collect()
}

/// Run `validate --format json` on a folder as a vault; returns the JSON and the time taken.
fn validate(vault: &std::path::Path) -> (Value, Duration) {
    let start = Instant::now();
    let output = Command::cargo_bin("netvault")
        .unwrap()
        .env_clear()
        .args(["--today", "2026-11-27", "--color", "never", "--vault"])
        .arg(vault)
        .args(["validate", "--format", "json"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let elapsed = start.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "netvault panicked: {stderr}");
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "exit {:?}: {stderr}",
        output.status.code()
    );
    (
        serde_json::from_slice(&output.stdout).expect("validate prints JSON"),
        elapsed,
    )
}

fn by_path(report: &Value) -> BTreeMap<String, Vec<(String, u64)>> {
    let mut map: BTreeMap<String, Vec<(String, u64)>> = BTreeMap::new();
    for d in report["diagnostics"].as_array().unwrap() {
        let line = d["line"].as_u64().unwrap();
        let column = d["column"].as_u64().unwrap();
        assert!(line >= 1 && column >= 1, "every diagnostic has a 1-based position: {d}");
        assert!(
            !d["hint"].as_str().unwrap().is_empty(),
            "every diagnostic has a hint: {d}"
        );
        map.entry(d["path"].as_str().unwrap().to_string())
            .or_default()
            .push((d["code"].as_str().unwrap().to_string(), line));
    }
    map
}

#[test]
fn edge_corpus_meets_every_expectation() {
    let dir = corpus("edge");
    // The alias bomb and the deep nesting must not hang (validate's 60 s timeout is the
    // guard; bench/ measures speed).
    let (report, _) = validate(&dir);
    let found = by_path(&report);
    let expected = expectations(&dir);
    assert!(expected.len() >= 30, "EXPECT.tsv lists the edge cases");
    let mut failures = Vec::new();
    for (file, expect) in &expected {
        let got = found.get(file).cloned().unwrap_or_default();
        let errors: Vec<_> = got.iter().filter(|(code, _)| is_error(code)).collect();
        let ok = match expect.as_str() {
            "ok" | "ignored" => got.is_empty(),
            "error" => !errors.is_empty(),
            items => items.split(';').all(|item| match item.split_once('@') {
                Some((code, line)) => got.iter().any(|(c, l)| c == code && l.to_string() == line),
                None => got.iter().any(|(c, _)| c == item),
            }),
        };
        if !ok {
            failures.push(format!("{file}: expected {expect}, got {got:?}"));
        }
    }
    // Ignored files must not even be counted as contact files.
    let diagnosed: Vec<&String> = found.keys().collect();
    for ignored in expected.iter().filter(|(_, e)| e == "ignored") {
        assert!(!diagnosed.contains(&&ignored.0), "{} must be ignored", ignored.0);
    }
    assert!(failures.is_empty(), "edge corpus mismatches:\n{}", failures.join("\n"));
}

fn is_error(code: &str) -> bool {
    !matches!(
        code,
        "bad-email"
            | "unknown-field-typo"
            | "no-front-matter"
            | "broken-link"
            | "duplicate-contact"
            | "duplicate-field"
            | "future-log-entry"
    )
}

#[test]
fn yaml_suite_agrees_on_at_least_225_of_227() {
    let dir = corpus("yaml-suite");
    let (report, _) = validate(&dir);
    let found = by_path(&report);
    let expected = expectations(&dir);
    assert_eq!(expected.len(), 227, "the suite has 227 cases");
    let mut disagreements = Vec::new();
    for (file, expect) in &expected {
        let codes: Vec<&str> = found
            .get(file)
            .map(|v| v.iter().map(|(c, _)| c.as_str()).collect())
            .unwrap_or_default();
        let agrees = match expect.as_str() {
            "error" => codes.contains(&"yaml-syntax"),
            "mapping" => !codes.iter().any(|c| matches!(*c, "yaml-syntax" | "not-a-mapping")),
            "not-a-mapping" => codes.contains(&"not-a-mapping"),
            other => panic!("unknown expectation {other:?} for {file}"),
        };
        if !agrees {
            disagreements.push(format!("{file}: expected {expect}, got {codes:?}"));
        }
    }
    let agreed = expected.len() - disagreements.len();
    eprintln!(
        "yaml-suite: {agreed}/227 agree; disagreements:\n{}",
        disagreements.join("\n")
    );
    assert!(agreed >= 225, "only {agreed}/227 agree:\n{}", disagreements.join("\n"));
}
