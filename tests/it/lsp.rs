//! `netvault lsp` driven over stdio by a small JSON-RPC client, as an editor drives it:
//! initialize → initialized → didOpen → requests → shutdown → exit, on a copy of the example
//! vault. Every answer is checked for what an editor would show or apply (ranges in UTF-16, edits
//! applied and the vault validated afterwards); one test runs the server in a real Neovim.

use std::fmt::Write as _;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::path::Path;
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::{TODAY, TestVault};
use serde_json::{Value, json};

/// The longest any one answer may take before the test calls the server hung (a hang guard,
/// not a timing assertion).
const HANG: Duration = Duration::from_secs(30);

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: mpsc::Receiver<Value>,
    next_id: i64,
    /// The latest diagnostics published for each URI.
    published: std::collections::HashMap<String, Vec<Value>>,
}

impl Client {
    /// Start `netvault lsp` on `vault` and finish the handshake.
    fn start(vault: &TestVault) -> Self {
        Self::start_with(vault, &json!(null))
    }

    fn start_with(vault: &TestVault, options: &Value) -> Self {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("netvault"))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .args(["--color", "never", "--today", TODAY, "lsp"])
            .current_dir(vault.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("netvault lsp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length header")];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let value: Value = serde_json::from_slice(&body).expect("a JSON message");
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        let mut client = Self {
            child,
            stdin,
            messages,
            next_id: 0,
            published: std::collections::HashMap::new(),
        };
        let root = uri(vault.path());
        let init = client.request(
            "initialize",
            json!({"processId": null, "rootUri": root, "capabilities": {}, "initializationOptions": options}),
        );
        assert!(init["capabilities"]["completionProvider"].is_object(), "{init}");
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&message(None, method, params));
    }

    /// The full response to a request (with `result` or `error`).
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&message(Some(id), method, params));
        let deadline = Instant::now() + HANG;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = self
                .messages
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no answer to {method} within {HANG:?}"));
            if message["id"] == json!(id) && message.get("method").is_none() {
                return message;
            }
            self.keep(message);
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.call(method, params);
        assert!(response.get("error").is_none(), "{method} failed: {response}");
        response["result"].clone()
    }

    /// Remember what a notification says (the diagnostics published).
    fn keep(&mut self, mut message: Value) {
        if message["method"] == "textDocument/publishDiagnostics" {
            let uri = message["params"]["uri"].as_str().unwrap().to_string();
            let Value::Array(list) = message["params"]["diagnostics"].take() else {
                panic!("diagnostics are a list: {message}");
            };
            self.published.insert(uri, list);
        }
    }

    /// The latest diagnostics published for `uri`, once they satisfy `ready` (waiting for them).
    fn diagnostics(&mut self, uri: &str, ready: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let deadline = Instant::now() + HANG;
        loop {
            if let Some(list) = self.published.get(uri)
                && ready(list)
            {
                return list.clone();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left.min(Duration::from_millis(200))) {
                Ok(m) => self.keep(m),
                Err(mpsc::RecvTimeoutError::Timeout) if Instant::now() < deadline => {}
                Err(e) => panic!(
                    "no such diagnostics for {uri} ({e}); last: {:?}",
                    self.published.get(uri)
                ),
            }
        }
    }

    fn open(&mut self, vault: &TestVault, rel: &str, text: &str) -> String {
        let uri = uri(&vault.join(rel));
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        );
        uri
    }

    /// `codeAction` parameters for an empty range at a position.
    fn range_at(uri: &str, line: usize, character: usize) -> Value {
        let at = json!({"line": line, "character": character});
        json!({"textDocument": {"uri": uri}, "range": {"start": at, "end": at}, "context": {"diagnostics": []}})
    }

    fn at(uri: &str, line: usize, character: usize) -> Value {
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
    }

    /// shutdown, exit, and the process ends by itself with status 0.
    fn stop(mut self) {
        let result = self.request("shutdown", json!(null));
        assert_eq!(result, json!(null));
        self.notify("exit", json!(null));
        let deadline = Instant::now() + HANG;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "netvault lsp exited with {status}");
                return;
            }
            assert!(Instant::now() < deadline, "netvault lsp did not exit after `exit`");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A JSON-RPC request (with an id) or notification.
fn message(id: Option<i64>, method: &str, params: Value) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("jsonrpc".into(), "2.0".into());
    if let Some(id) = id {
        m.insert("id".into(), id.into());
    }
    m.insert("method".into(), method.into());
    m.insert("params".into(), params);
    Value::Object(m)
}

/// `file://` URI of a path, percent-encoded (spaces and non-ASCII), as editors send them.
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

fn path_of(uri: &str) -> std::path::PathBuf {
    let rest = uri.strip_prefix("file://").unwrap().as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < rest.len() {
        if rest[i] == b'%' {
            out.push(u8::from_str_radix(std::str::from_utf8(&rest[i + 1..i + 3]).unwrap(), 16).unwrap());
            i += 3;
        } else {
            out.push(rest[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap().into()
}

/// The example vault's people and config, copied into a temp vault.
fn example() -> TestVault {
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-vault/.netvault/config.toml");
    let mut vault = TestVault::new().config(&std::fs::read_to_string(config).unwrap());
    let people = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-vault/people");
    let mut stack = vec![people.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(people.parent().unwrap()).unwrap();
                vault = vault.file(&rel.to_string_lossy(), std::fs::read(&path).unwrap());
            }
        }
    }
    vault
}

fn read(vault: &TestVault, rel: &str) -> String {
    std::fs::read_to_string(vault.join(rel)).unwrap()
}

/// A byte offset from a UTF-16 LSP position (the test's own conversion, not the server's).
fn byte_offset(text: &str, position: &Value) -> usize {
    let line = usize::try_from(position["line"].as_u64().unwrap()).unwrap();
    let character = usize::try_from(position["character"].as_u64().unwrap()).unwrap();
    let mut start = 0;
    for _ in 0..line {
        start += text[start..].find('\n').map_or(text.len() - start, |i| i + 1);
    }
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character || c == '\n' {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// Apply LSP text edits to a text (last first, so earlier offsets stay valid).
fn apply_edits(text: &str, edits: &[Value]) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                byte_offset(text, &e["range"]["start"]),
                byte_offset(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (start, end, new) in spans {
        out.replace_range(start..end, &new);
    }
    out
}

/// Apply a `WorkspaceEdit`'s `documentChanges` to the files on disk, as an editor does.
fn apply_workspace_edit(edit: &Value) {
    for change in edit["documentChanges"].as_array().expect("documentChanges") {
        if change["kind"] == "rename" {
            let from = path_of(change["oldUri"].as_str().unwrap());
            let to = path_of(change["newUri"].as_str().unwrap());
            assert!(!to.exists(), "the rename would overwrite {}", to.display());
            std::fs::rename(from, to).unwrap();
        } else {
            let path = path_of(change["textDocument"]["uri"].as_str().unwrap());
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&path, apply_edits(&text, change["edits"].as_array().unwrap())).unwrap();
        }
    }
}

fn labels(completion: &Value) -> Vec<String> {
    completion["items"]
        .as_array()
        .expect("a completion list")
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

/// An LSP range as (start line, start character, end line, end character).
type Span = (u64, u64, u64, u64);

fn range(v: &Value) -> Span {
    (
        v["start"]["line"].as_u64().unwrap(),
        v["start"]["character"].as_u64().unwrap(),
        v["end"]["line"].as_u64().unwrap(),
        v["end"]["character"].as_u64().unwrap(),
    )
}

/// `validate --format json`'s diagnostics with this code.
fn validate_codes(vault: &TestVault, code: &str) -> Vec<Value> {
    let (_, json) = vault.json(&["validate", "--format", "json"]);
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == code)
        .cloned()
        .collect()
}

const WALTER: &str = "people/Walter Pruitt.md";

/// Walter's file with `folow_up:` (a typo) on line 2 (0-based).
fn walter_with_typo(vault: &TestVault) -> String {
    read(vault, WALTER).replacen(
        "name: Walter Pruitt\n",
        "name: Walter Pruitt\nfolow_up: 2026-12-01\n",
        1,
    )
}

/// Line and UTF-16 column of the first `[[Walter Pruitt` in a text.
fn walter_link(text: &str) -> (usize, usize) {
    text.lines()
        .enumerate()
        .find_map(|(i, l)| l.find("[[Walter Pruitt").map(|c| (i, l[..c].encode_utf16().count())))
        .expect("the text links Walter")
}

/// The code action whose title starts with `prefix`.
fn action<'a>(actions: &'a Value, prefix: &str) -> &'a Value {
    actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix:?} in {actions}"))
}
const BEATRIZ: &str = "people/Beatriz Salgado.md";

#[test]
fn a_typo_key_is_underlined_exactly_as_typed_with_its_code_and_explain_command() {
    let vault = example();
    let mut lsp = Client::start(&vault);
    let text = walter_with_typo(&vault);
    let uri = lsp.open(&vault, WALTER, &text);
    let list = lsp.diagnostics(&uri, |l| !l.is_empty());
    let typo = list
        .iter()
        .find(|d| d["code"] == "unknown-field-typo")
        .unwrap_or_else(|| panic!("{list:?}"));
    assert_eq!(range(&typo["range"]), (2, 0, 2, 8), "the range of `folow_up`");
    assert_eq!(typo["severity"], 2);
    assert_eq!(typo["source"], "netvault");
    assert!(typo["message"].as_str().unwrap().contains("follow_up"), "{typo}");
    assert!(
        typo["message"]
            .as_str()
            .unwrap()
            .contains("netvault validate --explain unknown-field-typo"),
        "{typo}"
    );

    // Hovering the problem explains its rule.
    let hover = lsp.request("textDocument/hover", Client::at(&uri, 2, 4));
    let explained = hover["contents"]["value"].as_str().unwrap();
    assert!(
        explained.starts_with("**unknown-field-typo** (`netvault validate --explain unknown-field-typo`)"),
        "{explained}"
    );

    // Typing the fix (an incremental change) clears it.
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": {"line": 2, "character": 3}, "end": {"line": 2, "character": 3}}, "text": "l"}]}),
    );
    lsp.diagnostics(&uri, |l| l.iter().all(|d| d["code"] != "unknown-field-typo"));
    lsp.stop();
}

#[test]
fn ranges_are_utf16_after_emoji_and_accents_and_severities_are_configurable() {
    let vault = example();
    let mut lsp = Client::start_with(
        &vault,
        &json!({"severity": {"broken-link": "error", "bad-email": "off"}}),
    );
    let text = "---\nname: Zoë 😀 Tester\nemail: not-an-email\nintroduced_by: \"é😀 [[Ñandú Nobody]]\"\n---\n# Zoë\n";
    let uri = lsp.open(&vault, "people/Zoë Tester.md", text);
    let list = lsp.diagnostics(&uri, |l| l.iter().any(|d| d["code"] == "broken-link"));
    let broken = list.iter().find(|d| d["code"] == "broken-link").unwrap();
    // `introduced_by: "` is 16 units, é one, 😀 two, the space one: the link starts at 20 (byte
    // 23, character 19) and is 16 units long.
    assert_eq!(range(&broken["range"]), (3, 20, 3, 36), "{broken}");
    assert_eq!(broken["severity"], 1, "configured as an error");
    assert!(
        list.iter().all(|d| d["code"] != "bad-email"),
        "bad-email is configured off: {list:?}"
    );

    // An incremental edit after the emoji lands where the editor put it.
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": {"line": 1, "character": 12}, "end": {"line": 1, "character": 18}}, "text": "Test"}]}),
    );
    let hover_text = lsp.request("textDocument/hover", Client::at(&uri, 1, 0));
    assert_eq!(hover_text, json!(null));
    let actions = lsp.request("textDocument/codeAction", Client::range_at(&uri, 0, 0));
    // The buffer now says `Zoë 😀 Test` (the server's text, seen through an edit it returns).
    let log = action(&actions, "Log a conversation");
    let edits = log["edit"]["documentChanges"][0]["edits"].as_array().unwrap();
    let after = apply_edits(&text.replace("Tester", "Test"), edits);
    assert!(after.contains("name: Zoë 😀 Test\n"), "{after}");
    lsp.stop();
}

#[test]
fn wikilink_completion_lists_walter_pruitt_with_organization_and_last_contact() {
    let vault = example();
    let mut lsp = Client::start(&vault);
    let text = format!("{}\nAsk [[Wal", read(&vault, BEATRIZ));
    let uri = lsp.open(&vault, BEATRIZ, &text);
    let last = text.lines().count() - 1;
    let completion = lsp.request("textDocument/completion", Client::at(&uri, last, 9));
    let items = completion["items"].as_array().unwrap();
    let walter = items
        .iter()
        .find(|i| i["label"] == "Walter Pruitt")
        .unwrap_or_else(|| panic!("{completion}"));
    assert_eq!(
        walter["detail"],
        "Permian Basin Petroleum Co. (retired) · last contact 2026-07-01"
    );
    assert_eq!(walter["textEdit"]["newText"], "Walter Pruitt]]");
    assert_eq!(range(&walter["textEdit"]["range"]), (last as u64, 6, last as u64, 9));
    assert_eq!(labels(&completion)[0], "Walter Pruitt", "the best match first");

    // In `introduced_by:` too, inserted as a quoted link.
    let fm = "---\nname: New Person\nintroduced_by: wal\n---\n";
    let uri = lsp.open(&vault, "people/New Person.md", fm);
    let completion = lsp.request("textDocument/completion", Client::at(&uri, 2, 18));
    let walter = completion["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "Walter Pruitt")
        .unwrap_or_else(|| panic!("{completion}"));
    assert_eq!(walter["textEdit"]["newText"], "\"[[Walter Pruitt]]\"");
    lsp.stop();
}

#[test]
fn hover_shows_the_card_and_definition_jumps_to_the_file() {
    let vault = example();
    let mut lsp = Client::start(&vault);
    let text = read(&vault, BEATRIZ);
    let uri = lsp.open(&vault, BEATRIZ, &text);
    let (line, column) = walter_link(&text);
    let hover = lsp.request("textDocument/hover", Client::at(&uri, line, column + 4));
    let card = hover["contents"]["value"].as_str().unwrap();
    assert!(card.contains("**Walter Pruitt**"), "{card}");
    assert!(card.contains("Permian Basin Petroleum Co. (retired)"), "{card}");
    assert!(card.contains("last contact: 2026-07-01"), "{card}");
    // 2026-07-01 + the neighbor circle's 120 days.
    assert!(card.contains("- due: 2026-10-29 — "), "{card}");
    assert!(card.contains("- next: "), "{card}");

    let definition = lsp.request("textDocument/definition", Client::at(&uri, line, column + 4));
    assert_eq!(path_of(definition["uri"].as_str().unwrap()), vault.join(WALTER));
    lsp.stop();
}

#[test]
fn log_today_adds_the_log_line_and_moves_last_contact_and_nothing_else() {
    let vault = example();
    let mut lsp = Client::start(&vault);
    let text = read(&vault, WALTER);
    let uri = lsp.open(&vault, WALTER, &text);
    let actions = lsp.request("textDocument/codeAction", Client::range_at(&uri, 5, 0));
    let log = action(&actions, &format!("Log a conversation today ({TODAY})"));
    let edits = log["edit"]["documentChanges"][0]["edits"].as_array().unwrap();
    let after = apply_edits(&text, edits);
    // Exactly: the entry as the newest under `## Log` (with the blank line `netvault log` also
    // puts between it and the heading below), and `last_contact` moved; nothing else.
    let expected = text
        .replace("last_contact: 2026-07-01\n", "last_contact: 2026-11-27\n")
        .replace("## Log\n", "## Log\n- 2026-11-27: talked\n\n");
    assert_eq!(after, expected);
    // Each edit covers only changed lines.
    assert_eq!(edits.len(), 2, "{edits:?}");

    std::fs::write(vault.join(WALTER), &after).unwrap();
    let (_, shown) = vault.json(&["show", "Walter Pruitt", "--format", "json"]);
    assert_eq!(shown["last_contact"], TODAY, "{shown}");
    lsp.stop();
}

#[test]
fn rename_from_a_link_renames_the_file_and_every_mention_and_leaves_no_broken_link() {
    let vault = example().file(
        "people/Ivy Newman.md",
        "---\nname: Ivy Newman\nintroduced_by: \"[[Walter Pruitt]]\"\n---\nMet through [[Walter Pruitt|Walt]]; also [[Beatriz Salgado]].\n",
    );
    assert!(validate_codes(&vault, "broken-link").is_empty());
    let mut lsp = Client::start(&vault);
    let text = read(&vault, BEATRIZ);
    let uri = lsp.open(&vault, BEATRIZ, &text);
    let (line, column) = walter_link(&text);
    let prepared = lsp.request("textDocument/prepareRename", Client::at(&uri, line, column + 3));
    assert_eq!(prepared["placeholder"], "Walter Pruitt");
    assert_eq!(
        range(&prepared["range"]),
        (line as u64, column as u64 + 2, line as u64, column as u64 + 15),
        "the link's target"
    );
    let mut params = Client::at(&uri, line, column + 3);
    params["newName"] = json!("Walt Pruitt");
    let edit = lsp.request("textDocument/rename", params);
    let changes = edit["documentChanges"].as_array().unwrap();
    assert_eq!(
        changes.last().unwrap()["kind"],
        "rename",
        "the file is renamed last: {edit}"
    );
    apply_workspace_edit(&edit);

    assert!(!vault.join(WALTER).exists());
    let walt = read(&vault, "people/Walt Pruitt.md");
    assert!(walt.contains("name: Walt Pruitt\n"), "{walt}");
    assert!(walt.contains("# Walt Pruitt\n"), "{walt}");
    let ivy = read(&vault, "people/Ivy Newman.md");
    assert!(ivy.contains("introduced_by: \"[[Walt Pruitt]]\""), "{ivy}");
    assert!(ivy.contains("[[Walt Pruitt|Walt]]"), "{ivy}");
    assert!(read(&vault, BEATRIZ).contains("[[Walt Pruitt]]"));
    assert_eq!(validate_codes(&vault, "broken-link"), Vec::<Value>::new());
    lsp.stop();
}

#[test]
fn rename_from_the_name_field_and_references_point_at_each_link() {
    let vault = example().file(
        "people/Ivy Newman.md",
        "---\nname: Ivy Newman\nintroduced_by: \"[[Walter Pruitt]]\"\n---\nMet through 😀 [[Walter Pruitt]].\n",
    );
    let mut lsp = Client::start(&vault);
    let text = read(&vault, WALTER);
    let uri = lsp.open(&vault, WALTER, &text);

    // References from the file itself: Beatriz's link and both of Ivy's, each the link only.
    let mut params = Client::at(&uri, 1, 8);
    params["context"] = json!({"includeDeclaration": false});
    let refs = lsp.request("textDocument/references", params);
    let mut found: Vec<(String, Span)> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let path = path_of(l["uri"].as_str().unwrap());
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                range(&l["range"]),
            )
        })
        .collect();
    found.sort();
    let ivy: Vec<_> = found
        .iter()
        .filter(|(f, _)| f == "Ivy Newman.md")
        .map(|(_, r)| *r)
        .collect();
    assert_eq!(ivy, [(2, 16, 2, 33), (4, 15, 4, 32)], "{found:?}");
    assert!(found.iter().any(|(f, _)| f == "Beatriz Salgado.md"), "{found:?}");

    let prepared = lsp.request("textDocument/prepareRename", Client::at(&uri, 1, 8));
    assert_eq!(range(&prepared["range"]), (1, 6, 1, 19));
    let mut params = Client::at(&uri, 1, 8);
    params["newName"] = json!("Walther Pruitt");
    let edit = lsp.request("textDocument/rename", params);
    apply_workspace_edit(&edit);
    assert!(vault.join("people/Walther Pruitt.md").exists());
    assert!(read(&vault, "people/Ivy Newman.md").contains("😀 [[Walther Pruitt]]."));
    assert_eq!(validate_codes(&vault, "broken-link"), Vec::<Value>::new());

    // A name another contact already has is refused.
    let uri = lsp.open(&vault, BEATRIZ, &read(&vault, BEATRIZ));
    let mut params = Client::at(&uri, 1, 8);
    params["newName"] = json!("Ivy Newman");
    let refused = lsp.call("textDocument/rename", params);
    assert!(
        refused["error"]["message"].as_str().unwrap().contains("already names"),
        "{refused}"
    );
    lsp.stop();
}

#[test]
fn front_matter_keys_values_dates_and_hashtags_complete() {
    let vault = example();
    let mut lsp = Client::start(&vault);
    let text =
        "---\nname: New Person\nfol\nstatus: \ncircles: [alumni, \nfollow_up: \n---\n# New\n- 2026-11-01: coffee #\n";
    let uri = lsp.open(&vault, "people/New Person.md", text);

    let keys = lsp.request("textDocument/completion", Client::at(&uri, 2, 3));
    let follow_up = keys["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "follow_up")
        .unwrap();
    assert!(follow_up["detail"].as_str().unwrap().contains("follow-up"));
    assert_eq!(follow_up["textEdit"]["newText"], "follow_up: ");

    let status = lsp.request("textDocument/completion", Client::at(&uri, 3, 8));
    assert_eq!(labels(&status), ["active", "dormant", "archived"]);

    let circles = labels(&lsp.request("textDocument/completion", Client::at(&uri, 4, 19)));
    assert!(
        circles.contains(&"neighbor".to_string()),
        "the vault's own: {circles:?}"
    );
    assert!(
        circles.contains(&"religious".to_string()),
        "the suggested ones: {circles:?}"
    );

    let dates = lsp.request("textDocument/completion", Client::at(&uri, 5, 11));
    let items = dates["items"].as_array().unwrap();
    assert_eq!(items[0]["textEdit"]["newText"], TODAY);
    let week = items
        .iter()
        .find(|i| i["label"].as_str().unwrap().starts_with("+1w"))
        .unwrap();
    assert_eq!(week["textEdit"]["newText"], "2026-12-04");

    let tags = labels(&lsp.request("textDocument/completion", Client::at(&uri, 8, 22)));
    assert_eq!(
        &tags[..6],
        ["#info", "#advice", "#tips", "#intro", "#interview", "#offer"]
    );
    assert!(tags.contains(&"#gave".to_string()));
    lsp.stop();
}

#[test]
fn code_actions_fix_the_typo_snooze_mark_done_and_plan_a_follow_up() {
    let vault = example();
    let mut lsp = Client::start(&vault);
    let text = walter_with_typo(&vault);
    let uri = lsp.open(&vault, WALTER, &text);
    let task_line = text.lines().position(|l| l.starts_with("- [ ] bring him")).unwrap();
    let actions_at =
        |lsp: &mut Client, line: usize| lsp.request("textDocument/codeAction", Client::range_at(&uri, line, 0));
    let apply = |actions: &Value, prefix: &str| {
        apply_edits(
            &text,
            action(actions, prefix)["edit"]["documentChanges"][0]["edits"]
                .as_array()
                .unwrap(),
        )
    };
    let on_typo = actions_at(&mut lsp, 2);
    let fixed = apply(&on_typo, "Rename the key to `follow_up`");
    assert_eq!(fixed, text.replace("folow_up:", "follow_up:"));
    assert!(apply(&on_typo, "Snooze 1 week").contains("\nsnooze_until: 2026-12-04\n"));
    assert!(apply(&on_typo, "Add a follow-up in 2 weeks").contains("\nfollow_up: 2026-12-11\n"));
    assert!(
        !on_typo
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["title"].as_str().unwrap().starts_with("Mark done")),
        "no task on that line"
    );
    let on_task = actions_at(&mut lsp, task_line);
    let done = apply(&on_task, "Mark done: bring him some tomatoes");
    assert!(
        done.contains(
            "- [x] bring him some tomatoes back and tell him how the coffee with Beatriz went ✅ 2026-11-27\n"
        )
    );
    lsp.stop();
}

#[test]
fn workspace_symbols_find_contacts_by_name_alias_and_organization_fuzzily() {
    let vault = example();
    let mut lsp = Client::start(&vault);
    let names = |result: &Value| -> Vec<String> {
        result
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_string())
            .collect()
    };
    let walt = lsp.request("workspace/symbol", json!({"query": "walt"}));
    assert_eq!(names(&walt)[0], "Walter Pruitt");
    assert_eq!(walt[0]["containerName"], "Permian Basin Petroleum Co. (retired)");
    assert!(names(&lsp.request("workspace/symbol", json!({"query": "permian"}))).contains(&"Walter Pruitt".into()));
    assert!(names(&lsp.request("workspace/symbol", json!({"query": "wltr prt"}))).contains(&"Walter Pruitt".into()));
    assert!(names(&lsp.request("workspace/symbol", json!({"query": "jose nunez"}))).contains(&"José Núñez".into()));
    lsp.stop();
}

#[test]
fn half_typed_and_malformed_buffers_never_stop_the_server() {
    let vault = example();
    let mut lsp = Client::start(&vault);
    let broken = [
        "",
        "---",
        "---\nname: [unclosed\nfolow",
        "---\nname: Walter\n---\n[[",
        "---\n\u{0}\u{feff}: 😀\n...\n[[ |#]] [[",
        "\u{feff}---\nintroduced_by: [\"[[\", ]\n---\n",
    ];
    for (n, text) in broken.iter().enumerate() {
        let uri = lsp.open(&vault, &format!("people/Broken {n}.md"), text);
        for (line, character) in [(0, 0), (1, 3), (2, 99), (99, 0)] {
            for method in [
                "textDocument/completion",
                "textDocument/hover",
                "textDocument/definition",
                "textDocument/prepareRename",
            ] {
                let response = lsp.call(method, Client::at(&uri, line, character));
                assert!(response.get("error").is_none(), "{method} on {text:?}: {response}");
            }
            let actions = lsp.call("textDocument/codeAction", Client::range_at(&uri, line, character));
            assert!(actions.get("error").is_none(), "{actions}");
        }
        // A change that ends past the buffer's end is clamped, not a crash.
        lsp.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2},
                   "contentChanges": [{"range": {"start": {"line": 50, "character": 0}, "end": {"line": 60, "character": 9}}, "text": "x"}]}),
        );
    }
    // A handler that panics is answered with an error, and the server goes on.
    let panicked = lsp.call("netvault/testPanic", json!({}));
    assert_eq!(panicked["error"]["code"], -32603, "{panicked}");
    assert!(
        panicked["error"]["message"]
            .as_str()
            .unwrap()
            .contains("a test asked for a panic")
    );
    // Still answering, and an unknown method is an error, not a crash.
    let unknown = lsp.call("netvault/nothing", json!({}));
    assert!(unknown.get("error").is_some());
    let walt = lsp.request("workspace/symbol", json!({"query": "walter"}));
    assert!(!walt.as_array().unwrap().is_empty());
    lsp.stop();
}

#[test]
fn files_changed_on_disk_reach_completion_and_diagnostics() {
    let vault = example();
    let mut lsp = Client::start(&vault);
    let text = "---\nname: Newcomer\nintroduced_by: \"[[Quentin Blake]]\"\n---\n";
    let uri = lsp.open(&vault, "people/Newcomer.md", text);
    lsp.diagnostics(&uri, |l| l.iter().any(|d| d["code"] == "broken-link"));
    // Another program writes the missing contact: the link is no longer broken.
    std::fs::write(
        vault.join("people/Quentin Blake.md"),
        "---\nname: Quentin Blake\norganization: Illustrators Ltd\n---\n",
    )
    .unwrap();
    lsp.diagnostics(&uri, |l| l.iter().all(|d| d["code"] != "broken-link"));
    let completion = lsp.request("textDocument/completion", Client::at(&uri, 2, 19));
    assert!(
        labels(&completion).contains(&"Quentin Blake".to_string()),
        "{completion}"
    );
    // And removed: broken again.
    std::fs::remove_file(vault.join("people/Quentin Blake.md")).unwrap();
    lsp.diagnostics(&uri, |l| l.iter().any(|d| d["code"] == "broken-link"));
    lsp.stop();
}

#[test]
fn neovim_headless_shows_the_diagnostic_and_completes_walter() {
    let Some(nvim) = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("nvim"))
            .find(|p| p.is_file())
    }) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "nvim is not installed, and CI must run this test (.ci/run installs neovim)"
        );
        eprintln!("skipped: nvim is not installed (apt-get install neovim); CI runs this test");
        return;
    };
    let vault = example();
    let result = vault.join(".result");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lsp/nvim.lua");
    let mut child = std::process::Command::new(nvim)
        .args(["--headless", "--clean", "-n", "-u", "NONE", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("VAULT", vault.path())
        .env("NETVAULT", assert_cmd::cargo::cargo_bin("netvault"))
        .env("RESULT", &result)
        .env("HOME", vault.path())
        .env("XDG_STATE_HOME", vault.join(".state"))
        .env("XDG_DATA_HOME", vault.join(".data"))
        .env("XDG_CONFIG_HOME", vault.join(".config"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nvim starts");
    let deadline = Instant::now() + Duration::from_secs(90);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("nvim did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let lines =
        std::fs::read_to_string(&result).unwrap_or_else(|e| panic!("nvim wrote no result ({e}); stderr: {stderr}"));
    let found: Vec<&str> = lines.lines().collect();
    assert_eq!(
        found,
        [
            "client=true",
            "attached=true",
            "diagnostics=true",
            "typo_range=1:0-1:8",
            "completion=Walter Pruitt | Permian Basin Petroleum Co. (retired) · last contact 2026-07-01",
        ],
        "stderr: {stderr}"
    );
}

#[test]
fn vault_wide_rules_see_the_other_files_and_explicit_paths_are_never_ambiguous() {
    let vault = example()
        .file("people/Sam Lee.md", "---\nname: Sam Lee\n---\n")
        .file("family/Sam Lee.md", "---\nname: Sam Lee\n---\n");
    let mut lsp = Client::start(&vault);
    let text = "---\nname: Copy Cat\nemail: walt.pruitt@example.com\n---\nSee [[Sam Lee]], [[people/Sam Lee]] and [[./family/Sam Lee.md]].\n";
    let uri = lsp.open(&vault, "people/Copy Cat.md", text);
    let list = lsp.diagnostics(&uri, |l| l.len() >= 2);
    let codes: Vec<(&str, Span)> = list
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), range(&d["range"])))
        .collect();
    assert_eq!(
        codes,
        [("duplicate-contact", (2, 7, 2, 30)), ("broken-link", (4, 4, 4, 15))],
        "the email as in Walter's file; only the bare [[Sam Lee]] is ambiguous: {list:?}"
    );
    let definition = lsp.request("textDocument/definition", Client::at(&uri, 4, 45));
    assert_eq!(
        path_of(definition["uri"].as_str().unwrap()),
        vault.join("family/Sam Lee.md")
    );
    lsp.stop();
}

#[test]
fn files_that_are_not_contacts_get_no_diagnostics() {
    let vault = example();
    let mut lsp = Client::start(&vault);
    // README.md is excluded by the config: no `no-front-matter` warning while editing it.
    let readme = lsp.open(&vault, "README.md", "# My network\n\nfolow_up: x\n");
    let contact = lsp.open(&vault, "people/Other.md", "---\nname: Other\nfolow_up: x\n---\n");
    lsp.diagnostics(&contact, |l| !l.is_empty());
    assert_eq!(lsp.diagnostics(&readme, |_| true), Vec::<Value>::new());
    lsp.stop();
}
