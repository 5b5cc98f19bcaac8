//! `netvault mcp` (issue 18): an MCP client (rmcp's own) drives the real binary over stdio —
//! lists the tools and calls each, checks the structured results and the file bytes after
//! every write, `--read-only`, names that reach outside the vault, bad arguments as tool
//! errors; resources and prompts. Then the official MCP Inspector's command-line mode lists the
//! tools and calls `search` (installed with npm under `target/` when missing; skipped, saying
//! why, only when npm is not installed).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use rmcp::model::{CallToolRequestParams, CallToolResult, GetPromptRequestParams, ReadResourceRequestParams};
use rmcp::service::RunningService;
use rmcp::transport::TokioChildProcess;
use rmcp::{RoleClient, ServiceExt};
use serde_json::{Value, json};

use crate::common::{TODAY, TestVault};

const JANE: &str = "---\nname: Jane Doe\norganization: Acme Corp\ntitle: Data Librarian\ncan_help_with: [archives jobs]\nlast_contact: 2026-10-01\n---\n# Jane Doe\n\nMet at the career fair.\n\n## Log\n\n- 2026-10-01: coffee at Epoch #info\n\n## Tasks\n- [ ] send the article 📅 2026-11-25\n";
const PRIYA: &str = "---\nname: Priya Raman\norganization: Front Range Libraries\nlocation: Denver, CO\nlast_contact: 2026-11-26\nfollow_up: 2026-11-27\n---\n# Priya Raman\n\n## Log\n\n- 2026-11-26: call about the Denver role\n";
const DAN: &str = "---\nname: Dan Ortiz\nstatus: dormant\n---\n# Dan Ortiz\n";
/// A file outside the vault, next to it: no argument may read or write it.
const SECRET: &str = "---\nname: Secret Person\n---\nnot in the vault\n";

/// The vault is `v/` inside the temporary folder; `secret.md` sits beside it, outside.
fn vault() -> TestVault {
    TestVault::new()
        .file("v/.netvault/config.toml", "")
        .file("v/people/Jane Doe.md", JANE)
        .file("v/people/Priya Raman.md", PRIYA)
        .file("v/people/Dan Ortiz.md", DAN)
        .file("secret.md", SECRET)
}

fn root(v: &TestVault) -> PathBuf {
    v.join("v")
}

fn read(v: &TestVault, rel: &str) -> String {
    std::fs::read_to_string(root(v).join(rel)).unwrap()
}

type Client = RunningService<RoleClient, ()>;

/// Start `netvault --today TODAY --vault v mcp EXTRA...` and connect to it.
async fn connect(v: &TestVault, extra: &[&str]) -> Client {
    let mut cmd = tokio::process::Command::new(assert_cmd::cargo::cargo_bin("netvault"));
    cmd.env_clear()
        .args(["--color", "never", "--today", TODAY, "--vault"])
        .arg(root(v))
        .arg("mcp")
        .args(extra)
        .current_dir(v.path());
    let (transport, _) = TokioChildProcess::builder(cmd)
        .stderr(Stdio::null())
        .spawn()
        .expect("the netvault binary starts");
    ().serve(transport).await.expect("the MCP handshake succeeds")
}

/// Serve `v` (with `extra` arguments after `mcp`) to a client and run `body` with it, failing
/// (not hanging) after a generous guard. The server stops when the client is dropped.
fn session<F, Fut>(v: &TestVault, extra: &[&str], body: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let client = connect(v, extra).await;
            tokio::time::timeout(Duration::from_secs(120), body(client))
                .await
                .expect("the MCP session finished within two minutes");
        });
}

async fn call(client: &Client, tool: &str, args: Value) -> CallToolResult {
    let Value::Object(args) = args else {
        panic!("arguments are an object")
    };
    client
        .call_tool(CallToolRequestParams::new(tool.to_string()).with_arguments(args))
        .await
        .unwrap_or_else(|e| panic!("{tool} answers: {e}"))
}

fn text(result: &CallToolResult) -> String {
    result
        .content
        .iter()
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A successful call's structured result.
fn ok(result: &CallToolResult) -> &Value {
    assert_ne!(result.is_error, Some(true), "the call failed: {}", text(result));
    result.structured_content.as_ref().expect("a structured result")
}

/// A failed call's message (a tool error, never a crash).
fn failed(result: &CallToolResult) -> String {
    assert_eq!(result.is_error, Some(true), "the call should fail: {}", text(result));
    text(result)
}

fn fnv1a64(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}")
}

const READING: [&str; 4] = ["followups", "search", "show", "who_knows"];
const WRITING: [&str; 4] = ["done", "log", "snooze", "todo"];
const ALL_TOOLS: [&str; 8] = [
    "done",
    "followups",
    "log",
    "search",
    "show",
    "snooze",
    "todo",
    "who_knows",
];

#[test]
fn the_tools_are_listed_with_their_schemas_and_annotations() {
    let v = &vault();
    session(v, &[], |client| async move {
        let info = client.peer_info().expect("the server introduced itself");
        assert_eq!(info.server_info.as_ref().unwrap().name, "netvault");
        assert!(
            ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"].contains(&info.protocol_version.as_str()),
            "{}",
            info.protocol_version
        );
        let tools = client.list_all_tools().await.unwrap();
        let mut names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
        names.sort_unstable();
        assert_eq!(names, ALL_TOOLS);
        for tool in &tools {
            let a = tool.annotations.as_ref().expect("every tool is annotated");
            let writes = WRITING.contains(&tool.name.as_ref());
            assert_eq!(a.read_only_hint, Some(!writes), "{}", tool.name);
            assert!(
                a.destructive_hint.is_some() && a.idempotent_hint.is_some(),
                "{}",
                tool.name
            );
            assert_eq!(a.open_world_hint, Some(false), "{}", tool.name);
            let properties = tool.input_schema["properties"].as_object().unwrap();
            if writes {
                assert!(properties.contains_key("dry_run"), "{}", tool.name);
                assert!(properties.contains_key("expected_hash"), "{}", tool.name);
            }
            assert!(tool.description.as_ref().is_some_and(|d| d.len() > 80), "{}", tool.name);
        }
        let search = tools.iter().find(|t| t.name == "search").unwrap();
        assert!(
            search.description.as_ref().unwrap().contains("last:<"),
            "the query syntax is described"
        );
        assert_eq!(search.input_schema["required"], json!(["query"]));
    });
}

/// The handshake by hand: the server echoes a revision it declares, and answers a newer one it
/// does not speak (2026-07-28 has no handshake) with the newest it does.
#[test]
fn the_protocol_versions_are_declared() {
    let v = &vault();
    for (asked, agreed) in [
        ("2025-06-18", "2025-06-18"),
        ("2025-11-25", "2025-11-25"),
        ("2024-11-05", "2024-11-05"),
        ("2026-07-28", "2025-11-25"),
    ] {
        let initialize = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": asked, "capabilities": {}, "clientInfo": {"name": "test", "version": "1"}}});
        let out = crate::common::output_within(
            crate::common::netvault()
                .args(["--today", TODAY, "--vault"])
                .arg(root(v))
                .arg("mcp")
                .write_stdin(format!("{initialize}\n")),
            Duration::from_secs(60),
        );
        assert_eq!(out.code, 0, "{out}");
        let answer: Value = serde_json::from_str(out.stdout.lines().next().unwrap()).unwrap();
        assert_eq!(answer["result"]["protocolVersion"], agreed, "{asked}: {out}");
        assert!(answer["result"]["capabilities"]["tools"].is_object(), "{out}");
    }
}

#[test]
fn the_reading_tools_answer_with_values_and_text() {
    let v = &vault();
    session(v, &[], |client| async move {
        let found = call(&client, "search", json!({"query": "acme"})).await;
        let hits = ok(&found)["hits"].as_array().unwrap().clone();
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0]["name"], "Jane Doe");
        assert_eq!(hits[0]["path"], "people/Jane Doe.md");
        assert!(text(&found).contains("Jane Doe"));
        assert!(
            text(&found)
                .lines()
                .any(|l| l.starts_with("- Jane Doe (") && l.contains(" · last contact ")),
            "one short line per hit: {}",
            text(&found)
        );

        let shown = call(&client, "show", json!({"name": "jane"})).await;
        let card = ok(&shown);
        assert_eq!(card["name"], "Jane Doe");
        assert_eq!(card["content_hash"], fnv1a64(JANE.as_bytes()));
        assert!(text(&shown).contains("Data Librarian at Acme Corp"), "{}", text(&shown));

        let due = call(&client, "followups", json!({})).await;
        let items = ok(&due)["items"].as_array().unwrap().clone();
        let priya = items
            .iter()
            .find(|i| i["name"] == "Priya Raman")
            .expect("Priya's follow-up is due");
        assert!(priya["next"].is_string(), "{priya}");
        assert!(
            items.iter().any(|i| i["name"] == "Jane Doe"),
            "Jane's task is due: {items:?}"
        );

        let knows = call(&client, "who_knows", json!({"query": "denver"})).await;
        let value = ok(&knows).to_string();
        assert!(value.contains("Priya Raman"), "{value}");
        assert!(!value.contains("Jane Doe"), "{value}");
    });
}

#[test]
fn log_adds_exactly_one_line_to_the_right_file() {
    let v = &vault();
    session(v, &[], |client| async move {
        let result = call(
            &client,
            "log",
            json!({"name": "Priya", "message": "talked about the Denver role #info", "date": "2026-11-25"}),
        )
        .await;
        let answer = ok(&result);
        assert_eq!(answer["path"], "people/Priya Raman.md");
        assert_eq!(answer["written"], true);
        let after = read(v, "people/Priya Raman.md");
        let before_lines: Vec<&str> = PRIYA.lines().collect();
        let after_lines: Vec<&str> = after.lines().collect();
        assert_eq!(after_lines.len(), before_lines.len() + 1, "{after}");
        let added: Vec<&&str> = after_lines.iter().filter(|l| !before_lines.contains(l)).collect();
        assert_eq!(added, [&"- 2026-11-25: talked about the Denver role #info"]);
        // Newest first under `## Log`: the new entry goes right after the heading's blank line.
        assert_eq!(
            after,
            PRIYA.replace(
                "## Log\n\n",
                "## Log\n\n- 2026-11-25: talked about the Denver role #info\n"
            )
        );
        let diff = answer["diff"].as_str().unwrap();
        assert!(
            diff.contains("+- 2026-11-25: talked about the Denver role #info"),
            "{diff}"
        );
        assert_eq!(
            diff.lines()
                .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
                .count(),
            1
        );
        assert_eq!(answer["content_hash"], fnv1a64(after.as_bytes()));
        // The other files are untouched.
        assert_eq!(read(v, "people/Jane Doe.md"), JANE);
        assert_eq!(read(v, "people/Dan Ortiz.md"), DAN);

        // Today, with a follow-up: last_contact moves, follow_up is set; a dormant contact wakes.
        let woke = call(
            &client,
            "log",
            json!({"name": "Dan Ortiz", "message": "ran into him", "follow_up": "2w"}),
        )
        .await;
        let answer = ok(&woke);
        assert!(answer["message"].as_str().unwrap().contains("active again"), "{answer}");
        assert_eq!(
            read(v, "people/Dan Ortiz.md"),
            "---\nname: Dan Ortiz\nstatus: active\nlast_contact: 2026-11-27\nfollow_up: 2026-12-11\n---\n# Dan Ortiz\n\n## Log\n- 2026-11-27: ran into him\n"
        );
    });
}

/// The same request through the command line and through the server writes the same bytes.
#[test]
fn a_write_through_the_server_is_byte_for_byte_the_commands() {
    let (by_cli, by_mcp) = (&vault(), &vault());
    let cli = crate::common::output(by_cli.command().arg("--vault").arg(root(by_cli)).args([
        "log",
        "Jane Doe",
        "lunch: she asked for my portfolio #asked",
        "--date",
        "2026-11-26",
        "--follow-up",
        "1w",
    ]));
    assert_eq!(cli.code, 0, "{cli}");
    session(by_mcp, &[], |client| async move {
        let args = json!({"name": "Jane Doe", "message": "lunch: she asked for my portfolio #asked",
            "date": "2026-11-26", "follow_up": "1w"});
        ok(&call(&client, "log", args).await);
    });
    let written = read(by_mcp, "people/Jane Doe.md");
    assert_ne!(written, JANE);
    assert_eq!(written, read(by_cli, "people/Jane Doe.md"));
}

#[test]
fn todo_snooze_and_done_write_what_the_cli_writes() {
    let v = &vault();
    session(v, &[], |client| async move {
        let todo = call(
            &client,
            "todo",
            json!({"name": "Jane Doe", "text": "ask about the Denver office", "due": "2026-12-15"}),
        )
        .await;
        ok(&todo);
        let jane = JANE.to_string() + "- [ ] ask about the Denver office 📅 2026-12-15\n";
        assert_eq!(read(v, "people/Jane Doe.md"), jane);

        let done = call(&client, "done", json!({"name": "Jane Doe"})).await;
        assert!(
            ok(&done)["diff"]
                .as_str()
                .unwrap()
                .contains("+- [x] send the article 📅 2026-11-25 ✅ 2026-11-27")
        );
        let jane = jane.replace(
            "- [ ] send the article 📅 2026-11-25",
            "- [x] send the article 📅 2026-11-25 ✅ 2026-11-27",
        );
        assert_eq!(read(v, "people/Jane Doe.md"), jane);

        // Nothing explicit due any more: an answer that says so, and no write.
        let again = call(&client, "done", json!({"name": "Jane Doe"})).await;
        let answer = ok(&again);
        assert_eq!(answer["changed"], false);
        assert!(
            answer["message"].as_str().unwrap().contains("nothing changed"),
            "{answer}"
        );
        assert_eq!(read(v, "people/Jane Doe.md"), jane);

        let snooze = call(&client, "snooze", json!({"name": "Jane Doe", "until": "2w"})).await;
        ok(&snooze);
        let jane = jane.replace(
            "last_contact: 2026-10-01\n",
            "last_contact: 2026-10-01\nsnooze_until: 2026-12-11\n",
        );
        assert_eq!(read(v, "people/Jane Doe.md"), jane);

        let ticked = call(&client, "done", json!({"name": "Jane Doe", "task": "denver"})).await;
        ok(&ticked);
        assert!(
            read(v, "people/Jane Doe.md").contains("- [x] ask about the Denver office 📅 2026-12-15 ✅ 2026-11-27\n")
        );
    });
}

#[test]
fn a_dry_run_writes_nothing_and_a_stale_hash_is_refused() {
    let v = &vault();
    session(v, &[], |client| async move {
        let dry = call(
            &client,
            "todo",
            json!({"name": "Jane Doe", "text": "call", "dry_run": true}),
        )
        .await;
        let answer = ok(&dry);
        assert_eq!(answer["written"], false);
        assert!(answer["diff"].as_str().unwrap().contains("+- [ ] call"), "{answer}");
        assert_eq!(read(v, "people/Jane Doe.md"), JANE);

        let hash = ok(&call(&client, "show", json!({"name": "Jane Doe"})).await)["content_hash"]
            .as_str()
            .unwrap()
            .to_string();
        // The user edits the file in between: the write that carries the old hash is refused.
        let edited = JANE.replace("Met at the career fair.", "Met at the career fair in May.");
        std::fs::write(root(v).join("people/Jane Doe.md"), &edited).unwrap();
        let refused = call(
            &client,
            "todo",
            json!({"name": "Jane Doe", "text": "call", "expected_hash": hash}),
        )
        .await;
        assert!(
            failed(&refused).contains("changed since it was read"),
            "{}",
            text(&refused)
        );
        assert_eq!(read(v, "people/Jane Doe.md"), edited);

        let fresh = fnv1a64(edited.as_bytes());
        let written = call(
            &client,
            "todo",
            json!({"name": "Jane Doe", "text": "call", "expected_hash": fresh}),
        )
        .await;
        assert_eq!(ok(&written)["previous_hash"], fresh);
        assert_eq!(read(v, "people/Jane Doe.md"), edited + "- [ ] call\n");
    });
}

#[test]
fn bad_arguments_are_tool_errors_with_the_clis_words() {
    let v = &vault();
    session(v, &[], |client| async move {
        let future = call(
            &client,
            "log",
            json!({"name": "Jane Doe", "message": "lunch", "date": "2026-12-01"}),
        )
        .await;
        assert!(failed(&future).contains("is after today"), "{}", text(&future));
        let both = call(
            &client,
            "log",
            json!({"name": "Nobody Known", "message": "x", "date": "2027-01-01"}),
        )
        .await;
        assert!(failed(&both).contains("is after today"), "{}", text(&both));
        let unknown = call(&client, "show", json!({"name": "Nobody Known"})).await;
        assert!(failed(&unknown).contains("no contact matches"), "{}", text(&unknown));
        let query = call(&client, "search", json!({"query": "org:"})).await;
        assert!(failed(&query).contains("column"), "{}", text(&query));
        let date = call(&client, "snooze", json!({"name": "Jane Doe", "until": "someday"})).await;
        assert!(failed(&date).contains("neither a date"), "{}", text(&date));
        let past = call(&client, "snooze", json!({"name": "Jane Doe", "until": "2026-11-01"})).await;
        assert!(failed(&past).contains("not after today"), "{}", text(&past));
        // A limit far too large is capped, not an allocation that takes the server down.
        let huge = call(&client, "search", json!({"query": "acme", "limit": u64::MAX})).await;
        assert_eq!(ok(&huge)["hits"][0]["name"], "Jane Doe");
        let huge = call(&client, "who_knows", json!({"query": "acme", "limit": u64::MAX})).await;
        ok(&huge);
        // Still serving after every one of them, and nothing was written.
        ok(&call(&client, "search", json!({"query": "acme"})).await);
        assert_eq!(read(v, "people/Jane Doe.md"), JANE);
    });
}

#[test]
fn no_argument_reaches_outside_the_vault() {
    let v = &vault();
    let secret = &v.join("secret.md");
    session(v, &[], |client| async move {
        for name in [
            "../../etc/passwd",
            "../secret.md",
            "../secret",
            secret.to_str().unwrap(),
            "/etc/passwd",
        ] {
            let shown = call(&client, "show", json!({"name": name})).await;
            failed(&shown);
            let logged = call(&client, "log", json!({"name": name, "message": "x"})).await;
            failed(&logged);
            let todo = call(&client, "todo", json!({"name": name, "text": "x"})).await;
            failed(&todo);
        }
        for uri in [
            "netvault://contact/..%2Fsecret",
            "netvault://contact/../secret",
            "netvault://contact/%2Fetc%2Fpasswd",
            "file:///etc/passwd",
        ] {
            let read = client.read_resource(ReadResourceRequestParams::new(uri)).await;
            assert!(read.is_err(), "{uri} was read");
        }
    });
    assert_eq!(std::fs::read_to_string(secret).unwrap(), SECRET);
}

#[test]
fn read_only_offers_no_writing_tool_and_writes_nothing() {
    let v = &vault();
    session(v, &["--read-only"], |client| async move {
        let tools = client.list_all_tools().await.unwrap();
        let mut names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
        names.sort_unstable();
        assert_eq!(names, READING);
        for tool in WRITING {
            let Value::Object(args) = json!({"name": "Jane Doe", "message": "x", "text": "x", "until": "2w"}) else {
                unreachable!()
            };
            let result = client
                .call_tool(CallToolRequestParams::new(tool).with_arguments(args))
                .await;
            assert!(
                result.as_ref().map_or(true, |r| r.is_error == Some(true)),
                "{tool} ran: {result:?}"
            );
        }
        ok(&call(&client, "search", json!({"query": "acme"})).await);
    });
    assert_eq!(read(v, "people/Jane Doe.md"), JANE);
}

#[test]
fn contact_files_and_the_report_are_resources() {
    let v = &vault();
    session(v, &[], |client| async move {
        let resources = client.list_all_resources().await.unwrap();
        let uris: Vec<&str> = resources.iter().map(|r| r.uri.as_str()).collect();
        assert_eq!(
            uris,
            [
                "netvault://report/followups",
                "netvault://contact/Dan%20Ortiz",
                "netvault://contact/Jane%20Doe",
                "netvault://contact/Priya%20Raman",
            ]
        );
        let jane = client
            .read_resource(ReadResourceRequestParams::new("netvault://contact/Jane%20Doe"))
            .await
            .unwrap();
        let rmcp::model::ResourceContents::TextResourceContents { text, meta, .. } = &jane.contents[0] else {
            panic!("a text resource")
        };
        assert_eq!(text, JANE);
        assert_eq!(
            meta.as_ref().unwrap().get("content_hash"),
            Some(&json!(fnv1a64(JANE.as_bytes())))
        );
        let report = client
            .read_resource(ReadResourceRequestParams::new("netvault://report/followups"))
            .await
            .unwrap();
        let rmcp::model::ResourceContents::TextResourceContents { text, .. } = &report.contents[0] else {
            panic!("a text resource")
        };
        assert!(text.contains("Priya Raman") && text.contains("Jane Doe"), "{text}");
    });
}

#[test]
fn a_large_vault_is_listed_a_page_at_a_time() {
    let mut v = TestVault::new().file("v/.netvault/config.toml", "");
    for i in 0..1_200 {
        v = v.file(
            &format!("v/people/Person {i:04}.md"),
            format!("---\nname: Person {i:04}\n---\n"),
        );
    }
    let v = &v;
    session(v, &[], |client| async move {
        let first = client.list_resources(None).await.unwrap();
        assert_eq!(first.resources.len(), 500);
        assert!(first.next_cursor.is_some());
        let all = client.list_all_resources().await.unwrap();
        assert_eq!(all.len(), 1_201, "the report and every file");
        let mut uris: Vec<&str> = all.iter().map(|r| r.uri.as_str()).collect();
        uris.sort_unstable();
        uris.dedup();
        assert_eq!(uris.len(), 1_201, "no resource twice");
        assert!(uris.contains(&"netvault://contact/Person%201199"));
    });
}

#[test]
fn the_prompts_prepare_a_conversation_and_draft_a_follow_up() {
    let v = &vault();
    session(v, &[], |client| async move {
        let prompts = client.list_all_prompts().await.unwrap();
        let names: Vec<&str> = prompts.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["prepare", "follow_up_message"]);
        for p in &prompts {
            let args = p.arguments.as_ref().unwrap();
            assert_eq!(args[0].name, "name");
            assert_eq!(args[0].required, Some(true));
        }
        let mut arguments = serde_json::Map::new();
        arguments.insert("name".into(), json!("jane"));
        let prepare = client
            .get_prompt(GetPromptRequestParams::new("prepare").with_arguments(arguments.clone()))
            .await
            .unwrap();
        let message = serde_json::to_value(&prepare.messages[0]).unwrap().to_string();
        for expected in [
            "Jane Doe",
            "archives jobs",
            "coffee at Epoch",
            "send the article",
            "offer",
        ] {
            assert!(message.contains(expected), "{expected}: {message}");
        }
        let draft = client
            .get_prompt(GetPromptRequestParams::new("follow_up_message").with_arguments(arguments))
            .await
            .unwrap();
        let message = serde_json::to_value(&draft.messages[0]).unwrap().to_string();
        assert!(message.contains("gentle") && message.contains("Jane Doe"), "{message}");
        let mut unknown = serde_json::Map::new();
        unknown.insert("name".into(), json!("Nobody Known"));
        assert!(
            client
                .get_prompt(GetPromptRequestParams::new("prepare").with_arguments(unknown))
                .await
                .is_err()
        );
    });
}

/// The MCP Inspector's command-line mode, installed with npm into `target/mcp-inspector` when
/// it is not there yet.
fn inspector() -> Result<PathBuf, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/mcp-inspector");
    let bin = dir.join("node_modules/.bin/mcp-inspector");
    if bin.is_file() {
        return Ok(bin);
    }
    let npm = std::process::Command::new("npm").arg("--version").output();
    if !npm.is_ok_and(|o| o.status.success()) {
        return Err("npm is not installed".into());
    }
    std::fs::create_dir_all(&dir).unwrap();
    let install = std::process::Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&dir)
        .arg("@modelcontextprotocol/inspector")
        .output()
        .expect("npm runs");
    assert!(
        install.status.success(),
        "npm could not install the MCP Inspector:\n{}",
        String::from_utf8_lossy(&install.stderr)
    );
    Ok(bin)
}

#[test]
fn the_official_inspector_lists_the_tools_and_searches() {
    let bin = match inspector() {
        Ok(bin) => bin,
        Err(why) => {
            println!("skipped: the MCP Inspector cannot be installed: {why}");
            return;
        }
    };
    let v = &vault();
    let inspect = |method: &[&str]| {
        let out = crate::common::output_within(
            assert_cmd::Command::new(&bin)
                .arg("--cli")
                .arg(assert_cmd::cargo::cargo_bin("netvault"))
                .args(["--color", "never", "--today", TODAY, "--vault"])
                .arg(root(v))
                .arg("mcp")
                .args(method),
            Duration::from_secs(120),
        );
        assert_eq!(out.code, 0, "{out}");
        out.json()
    };
    let listed = inspect(&["--method", "tools/list"]);
    let mut names: Vec<&str> = listed["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ALL_TOOLS);
    let found = inspect(&[
        "--method",
        "tools/call",
        "--tool-name",
        "search",
        "--tool-arg",
        "query=acme",
    ]);
    assert_eq!(found["structuredContent"]["hits"][0]["name"], "Jane Doe", "{found}");
    assert_ne!(found["isError"], json!(true));
}
