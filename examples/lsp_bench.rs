//! Latency of `netvault lsp`'s answers on a vault (for `bench/lsp.sh`): it starts the server as
//! an editor does, opens a contact that links others, and times each kind of request many
//! times, printing a Markdown table (median, 95th percentile, worst), then the time from an
//! edit to its diagnostics and the server's CPU time while idle.
//!
//! ```text
//! cargo run --release --example lsp_bench -- --vault /tmp/vault10k [--netvault target/release/netvault] [--runs 50]
//! ```
//!
//! Only std and `serde_json`: the client is a few lines of JSON-RPC over the child's pipes.

use std::fmt::Write as _;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

struct Client {
    stdin: ChildStdin,
    rx: mpsc::Receiver<Value>,
    id: i64,
}

impl Client {
    fn send(&mut self, v: &Value) {
        let body = v.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write to the server");
        self.stdin.flush().expect("flush");
    }

    fn request(&mut self, method: &str, params: &Value) -> Value {
        self.id += 1;
        let id = self.id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let m = self
                .rx
                .recv_timeout(Duration::from_secs(120))
                .unwrap_or_else(|_| panic!("no answer to {method}"));
            if m["id"] == json!(id) && m.get("method").is_none() {
                assert!(m.get("error").is_none(), "{method}: {m}");
                return m["result"].clone();
            }
        }
    }

    fn notify(&mut self, method: &str, params: &Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Wait for the next `publishDiagnostics`.
    fn diagnostics(&mut self) {
        loop {
            let m = self.rx.recv_timeout(Duration::from_secs(120)).expect("diagnostics");
            if m["method"] == "textDocument/publishDiagnostics" {
                return;
            }
        }
    }
}

fn uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

/// The first contact file (sorted walk) whose body links another contact: its path and text,
/// and the 0-based line and UTF-16 column inside its first body `[[link]]`.
fn linking_file(root: &Path) -> (PathBuf, String, usize, usize) {
    let mut stack = vec![root.to_path_buf()];
    let mut files = Vec::new();
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("read the vault") {
            let p = e.expect("entry").path();
            if p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                files.push(p);
            }
        }
    }
    files.sort();
    for p in files {
        let Ok(text) = std::fs::read_to_string(&p) else {
            continue;
        };
        let body = text.match_indices("\n---").next().map_or(0, |(i, _)| i + 4);
        for (n, line) in text.lines().enumerate() {
            let start = text.lines().take(n).map(|l| l.len() + 1).sum::<usize>();
            if start < body {
                continue;
            }
            if let Some(c) = line.find("[[") {
                return (p.clone(), text.clone(), n, line[..c].encode_utf16().count() + 3);
            }
        }
    }
    panic!("no contact in {} links another", root.display());
}

/// Median, 95th percentile (nearest rank) and worst.
fn stats(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    let at = |percent: usize| v[(v.len() - 1) * percent / 100];
    (at(50), at(95), v[v.len() - 1])
}

fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the `)`.
    f.get(11).and_then(|u| u.parse::<u64>().ok()).unwrap_or(0)
        + f.get(12).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0)
}

/// Start the server on `vault` with a reader thread turning its output into messages.
fn start(netvault: &str, vault: &Path) -> (std::process::Child, Client) {
    let mut child = Command::new(netvault)
        .args(["--today", "2026-11-27", "--vault"])
        .arg(vault)
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start netvault lsp");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut r = BufReader::new(stdout);
        loop {
            let mut len = 0;
            loop {
                let mut l = String::new();
                if r.read_line(&mut l).unwrap_or(0) == 0 {
                    return;
                }
                if l.trim().is_empty() {
                    break;
                }
                if let Some(n) = l.trim().strip_prefix("Content-Length: ") {
                    len = n.parse().unwrap_or(0);
                }
            }
            let mut b = vec![0; len];
            if r.read_exact(&mut b).is_err() {
                return;
            }
            if tx.send(serde_json::from_slice(&b).expect("json")).is_err() {
                return;
            }
        }
    });
    let c = Client {
        stdin: child.stdin.take().expect("stdin"),
        rx,
        id: 0,
    };
    (child, c)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let vault = PathBuf::from(arg(&args, "--vault").expect("--vault DIR"));
    let netvault = arg(&args, "--netvault").unwrap_or_else(|| "target/release/netvault".into());
    let runs: usize = arg(&args, "--runs").map_or(50, |r| r.parse().expect("--runs N"));
    let (file, text, line, col) = linking_file(&vault);

    let started = Instant::now();
    let (mut child, mut c) = start(&netvault, &vault);
    let pid = child.id();
    c.request(
        "initialize",
        &json!({"processId": null, "rootUri": uri(&vault), "capabilities": {}}),
    );
    let ready = started.elapsed();
    c.notify("initialized", &json!({}));
    let u = uri(&file);
    let text = format!("{text}\nAsk [[Wal");
    let last = text.lines().count() - 1;
    c.notify(
        "textDocument/didOpen",
        &json!({"textDocument": {"uri": u, "languageId": "markdown", "version": 1, "text": text}}),
    );
    c.diagnostics();
    let at = |l: usize, ch: usize| json!({"textDocument": {"uri": u}, "position": {"line": l, "character": ch}});
    let mut refs = at(line, col);
    refs["context"] = json!({"includeDeclaration": false});
    let mut rename = at(line, col);
    rename["newName"] = json!("Renamed Person");
    let empty = json!({"line": 1, "character": 0});
    let cases: Vec<(&str, &str, Value)> = vec![
        ("completion `[[Wal`", "textDocument/completion", at(last, 9)),
        ("completion, a front-matter key", "textDocument/completion", at(1, 1)),
        ("hover on a link", "textDocument/hover", at(line, col)),
        ("definition", "textDocument/definition", at(line, col)),
        ("references", "textDocument/references", refs),
        ("prepareRename", "textDocument/prepareRename", at(line, col)),
        ("rename (the WorkspaceEdit)", "textDocument/rename", rename),
        (
            "code actions",
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": {"start": empty, "end": empty}, "context": {"diagnostics": []}}),
        ),
        ("workspace symbols `walt`", "workspace/symbol", json!({"query": "walt"})),
    ];
    println!("| request ({runs} runs each) | median | p95 | worst |");
    println!("|---|---:|---:|---:|");
    for (label, method, params) in &cases {
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let t = Instant::now();
            c.request(method, params);
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        let (p50, p95, max) = stats(times);
        println!("| {label} | {p50:.1} ms | {p95:.1} ms | {max:.1} ms |");
    }
    // An edit (one character, incremental) until its diagnostics arrive: the whole vault's rules.
    let mut times = Vec::with_capacity(runs);
    for v in 0..runs {
        let t = Instant::now();
        c.notify(
            "textDocument/didChange",
            &json!({"textDocument": {"uri": u, "version": v + 2},
                    "contentChanges": [{"range": {"start": {"line": last, "character": 9}, "end": {"line": last, "character": 9}}, "text": if v % 2 == 0 { "t" } else { "" }}]}),
        );
        c.diagnostics();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let (p50, p95, max) = stats(times);
    println!("| edit → diagnostics (notification) | {p50:.1} ms | {p95:.1} ms | {max:.1} ms |");
    let before = cpu_ticks(pid);
    std::thread::sleep(Duration::from_secs(10));
    let idle = cpu_ticks(pid) - before;
    println!();
    println!(
        "- start to `initialize` answered (walk + parse of the vault): {:.0} ms",
        ready.as_secs_f64() * 1000.0
    );
    println!("- CPU while idle for 10 s: {idle} clock ticks (1 tick = 10 ms)");
    if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status"))
        && let Some(rss) = status.lines().find(|l| l.starts_with("VmRSS"))
    {
        println!("- resident memory: {}", rss.trim_start_matches("VmRSS:").trim());
    }
    c.request("shutdown", &Value::Null);
    c.notify("exit", &Value::Null);
    let _ = child.wait();
}
