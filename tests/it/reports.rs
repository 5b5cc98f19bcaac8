//! The network reports and `who-knows` through the real binary (SPEC §6): each report's
//! numbers on a small vault built for it, each format, and the formats a report does not have.

use crate::common::TestVault;
use serde_json::Value;

fn contact(front: &str, body: &str) -> String {
    format!("---\n{front}---\n{body}")
}

/// Maya (in touch) introduced Tom (long ago), who introduced Priya at Acme; Sam at Acme is
/// unconnected; Ann was only asked of; Old is archived.
fn network() -> TestVault {
    TestVault::new()
        .config("[cadence]\ndefault = \"90d\"\nfriend = \"30d\"\n")
        .file(
            "Maya.md",
            contact(
                "name: Maya Chen\norganization: School\ncircles: [friend]\n",
                "## Log\n- 2026-11-20: coffee #gave\n- 2026-10-01: call #info #advice\n",
            ),
        )
        .file(
            "Tom.md",
            contact(
                "name: Tom Lee\norganization: Acme\ncircles: [coworker]\nintroduced_by: \"[[Maya]]\"\n",
                "## Log\n- 2026-05-01: lunch #intro #asked\n",
            ),
        )
        .file(
            "Priya.md",
            contact("name: Priya Raman\norganization: Acme\nintroduced_by: \"[[Tom]]\"\n", ""),
        )
        .file("Sam.md", contact("name: Sam Ng\norganization: Acme\ncircles: [online]\n", ""))
        .file(
            "Ann.md",
            contact(
                "name: Ann Bell\ncircles: [friend]\n",
                "## Log\n### 2026-11-01 Résumé review #tips #asked\nShe marked it up. #offer\n- 2026-09-01: asked about openings #asked\n",
            ),
        )
        .file(
            "Old.md",
            contact("name: Old Friend\nstatus: archived\ncircles: [friend]\nlast_contact: 2020-01-01\n", ""),
        )
}

fn report(v: &TestVault, args: &[&str]) -> Value {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let (out, json) = v.json(&all);
    assert_eq!(out.code, 0, "{out}");
    json
}

fn names(items: &Value, key: &str) -> Vec<String> {
    items
        .as_array()
        .expect("a list")
        .iter()
        .map(|i| i[key].as_str().expect("a string").to_string())
        .collect()
}

#[test]
fn stale_lists_active_contacts_silent_too_long_or_never_contacted() {
    let v = network();
    let json = report(&v, &["stale"]);
    assert_eq!(json["older_than_days"], 180);
    // Never contacted first (by path), then the longest silence; Old is archived.
    assert_eq!(names(&json["items"], "name"), ["Priya Raman", "Sam Ng", "Tom Lee"]);
    assert_eq!(json["items"][2]["last_contact"], "2026-05-01");
    assert_eq!(json["items"][2]["days_since"], 210);
    let json = report(&v, &["stale", "--older-than", "20d"]);
    assert_eq!(
        names(&json["items"], "name"),
        ["Priya Raman", "Sam Ng", "Tom Lee", "Ann Bell"]
    );
}

/// A person you only met (no conversation logged) is "never" contacted, and the table says
/// when you met, so a new acquaintance reads differently from someone long forgotten.
#[test]
fn stale_says_when_a_never_contacted_person_was_met() {
    let v = TestVault::new()
        .file("new.md", "---\nname: Nova New\nmet: 2026-11-13\n---\n")
        .file("lost.md", "---\nname: Lou Lost\n---\n");
    let json = report(&v, &["stale"]);
    assert_eq!(json["items"][1]["met"], "2026-11-13", "{json}");
    let out = v.run(&["report", "stale"]);
    assert!(out.stdout.contains("never (met 2026-11-13)"), "{out}");
    let lou = out
        .stdout
        .lines()
        .find(|l| l.contains("Lou Lost"))
        .expect("Lou is listed");
    assert!(!lou.contains("met"), "{lou}");
}

#[test]
fn circles_count_contacts_recent_and_overdue() {
    let v = network();
    let json = report(&v, &["circles"]);
    let row = |circle: &str| {
        json["circles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["circle"] == circle)
            .unwrap_or_else(|| panic!("{circle}: {json}"))
            .clone()
    };
    let friend = row("friend");
    assert_eq!(
        (
            friend["contacts"].as_u64(),
            friend["recent"].as_u64(),
            friend["archived"].as_u64()
        ),
        (Some(3), Some(2), Some(1))
    );
    assert_eq!(friend["cadence"], "30d");
    // Ann: last contact 2026-11-01 + 30d = 2026-12-01, not overdue; Maya 2026-11-20, fine.
    assert_eq!(friend["overdue"], 0);
    let coworker = row("coworker");
    assert_eq!(
        (coworker["recent"].as_u64(), coworker["overdue"].as_u64()),
        (Some(0), Some(1))
    );
    assert_eq!(row("(no circle)")["contacts"], 1, "Priya has no circle");
}

#[test]
fn outcomes_count_tags_on_log_entries_per_contact_and_circle() {
    let v = network();
    let json = report(&v, &["outcomes"]);
    let ann = &json["contacts"][0];
    assert_eq!(ann["name"], "Ann Bell", "most outcomes first: {json}");
    // The heading entry carries #tips and, from its section, #offer.
    assert_eq!(
        (
            ann["counts"]["tips"].as_u64(),
            ann["counts"]["offer"].as_u64(),
            ann["total"].as_u64()
        ),
        (Some(1), Some(1), Some(2))
    );
    assert_eq!(json["totals"]["info"], 1);
    assert_eq!(json["totals"]["intro"], 1);
    let friend = json["circles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["circle"] == "friend")
        .unwrap();
    assert_eq!(friend["total"], 4, "Ann's two and Maya's #info and #advice");
    let text = v.run(&["report", "outcomes"]).stdout;
    assert!(text.contains("#info inside information"), "{text}");
}

#[test]
fn outcome_tags_can_be_renamed() {
    let v = network().config("[tags.outcomes]\ninfo = \"insider\"\n");
    let v = v.file("Zed.md", contact("name: Zed\n", "- 2026-11-02: chat #insider\n"));
    let json = report(&v, &["outcomes"]);
    assert_eq!(json["totals"]["insider"], 1, "{json}");
}

#[test]
fn reciprocity_lists_people_only_asked_of_first() {
    let v = network();
    let json = report(&v, &["reciprocity"]);
    assert_eq!(names(&json["contacts"], "name"), ["Ann Bell", "Tom Lee", "Maya Chen"]);
    assert_eq!(json["contacts"][0]["asked"], 2);
    assert_eq!(json["contacts"][0]["balance"], -2);
    assert_eq!(json["only_asked"], serde_json::json!(["Ann.md", "Tom.md"]));
    let text = v.run(&["report", "reciprocity"]).stdout;
    assert!(text.contains("You have only asked of Ann Bell, Tom Lee."), "{text}");
}

#[test]
fn intros_as_tree_json_dot_and_mermaid() {
    let v = network();
    let json = report(&v, &["intros"]);
    assert_eq!(json["edges"].as_array().unwrap().len(), 2);
    assert_eq!(json["edges"][0]["from_path"], "Maya.md");
    let tree = v.run(&["report", "intros"]).stdout;
    assert_eq!(tree, "Maya Chen\n└── Tom Lee\n    └── Priya Raman\n");
    let dot = v.run(&["report", "intros", "--format", "dot"]).stdout;
    assert!(
        dot.starts_with("digraph intros {") && dot.contains("\"Tom Lee\" -> \"Priya Raman\";"),
        "{dot}"
    );
    let mermaid = v.run(&["report", "intros", "--format", "mermaid"]).stdout;
    assert_eq!(mermaid.matches("-->").count(), 2, "{mermaid}");
}

/// Each kind with the formats it has, in clap's order.
const KINDS: [(&str, &str); 7] = [
    ("followups", "table, json, csv, md, ics, html"),
    ("stale", "table, json"),
    ("circles", "table, json, html"),
    ("outcomes", "table, json, html"),
    ("reciprocity", "table, json, html"),
    ("intros", "table, json, dot, mermaid, html"),
    ("leads", "table, json"),
];

#[test]
fn each_kind_runs_its_formats_and_refuses_the_others() {
    let v = network();
    for (kind, own) in KINDS {
        for format in ["table", "json", "csv", "md", "ics", "dot", "mermaid", "html"] {
            let out = v.run(&["report", kind, "--format", format]);
            if own.split(", ").any(|f| f == format) {
                assert_eq!(out.code, 0, "{kind} {format}: {out}");
                assert!(!out.stdout.is_empty(), "{kind} {format}: {out}");
                continue;
            }
            // clap refuses it before any work, and says which formats the kind has.
            assert_eq!(out.code, 2, "{kind} {format}: {out}");
            assert!(out.stdout.is_empty(), "{out}");
            assert!(
                out.stderr
                    .contains(&format!("invalid value '{format}' for '--format <FORMAT>'")),
                "{kind} {format}: {out}"
            );
            assert!(
                out.stderr.contains(&format!("[possible values: {own}]")),
                "{kind}: {out}"
            );
        }
    }
    // Without KIND, the formats are followups'.
    let out = v.run(&["report", "--format", "dot"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains(&format!("[possible values: {}]", KINDS[0].1)),
        "{out}"
    );
}

#[test]
fn report_without_kind_is_followups_with_every_flag() {
    let v = network();
    for flags in [
        &["--format", "json"][..],
        &["--within", "30d", "--all"],
        &["--long"],
        &["--limit", "1"],
        &["--format", "md"],
    ] {
        let bare = v.run(&[&["report"], flags].concat());
        let named = v.run(&[&["report", "followups"], flags].concat());
        assert_eq!(bare.code, 0, "{flags:?}: {bare}");
        assert_eq!(bare.stdout, named.stdout, "{flags:?}");
    }
    let json = report(&v, &[]);
    assert_eq!(json["within_days"], 7, "{json}");
    assert!(json["items"].is_array(), "{json}");
}

#[test]
fn report_help_lists_every_kind_and_the_followups_flags() {
    let v = network();
    let out = v.run(&["report", "--help"]);
    assert_eq!(out.code, 0, "{out}");
    let help = out.stdout;
    for (kind, about) in [
        ("followups", "Overdue, due today and upcoming follow-ups"),
        ("stale", "Active contacts not heard from in --older-than"),
        ("circles", "Per circle: contacts"),
        ("outcomes", "What the network brought"),
        ("reciprocity", "#gave against #asked"),
        ("intros", "Who introduced whom"),
        ("leads", "Names of people to contact"),
    ] {
        assert!(
            help.lines()
                .any(|l| l.trim_start().starts_with(kind) && l.contains(about)),
            "{kind} is listed with its line\n{help}"
        );
    }
    for flag in [
        "--within",
        "--limit",
        "--all",
        "--long",
        "--format",
        "--output",
        "--who-knows",
    ] {
        assert!(help.contains(flag), "{flag}\n{help}");
    }
    assert!(
        !help.contains("--older-than <SPAN>"),
        "stale's flag is in its own help\n{help}"
    );
    assert!(
        !help.lines().any(|l| l.trim_start().starts_with("help ")),
        "no `help` kind\n{help}"
    );
    let stale = v.run(&["report", "stale", "--help"]).stdout;
    assert!(
        stale.contains("--older-than <SPAN>") && !stale.contains("--within"),
        "{stale}"
    );
}

#[test]
fn followups_exports_are_written_to_output_files() {
    let v = network();
    for (format, marker) in [
        ("csv", "path,name,organization"),
        ("md", "# Follow-ups for 2026-11-27"),
        ("ics", "BEGIN:VCALENDAR\r\n"),
    ] {
        let file = v.join(&format!("out.{format}"));
        let out = v.run(&["report", "--format", format, "--output", file.to_str().unwrap()]);
        assert_eq!(out.code, 0, "{out}");
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.starts_with(marker) || text.contains(marker), "{format}: {text}");
    }
}

#[test]
fn who_knows_ranks_by_warmth_and_finds_the_chain() {
    let v = network();
    let (out, json) = v.json(&["who-knows", "acme", "--format", "json"]);
    assert_eq!(out.code, 0, "{out}");
    let targets = json["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 3, "{json}");
    assert_eq!(
        targets[0]["name"], "Tom Lee",
        "the only one with any contact is warmest: {json}"
    );
    let priya = targets.iter().find(|t| t["name"] == "Priya Raman").unwrap();
    // Tom, last seen in May, is someone you know directly (within a year): the chain starts there.
    assert_eq!(names(&priya["chain"], "name"), ["Tom Lee", "Priya Raman"]);
    let sam = targets.iter().find(|t| t["name"] == "Sam Ng").unwrap();
    assert_eq!(sam["chain"], serde_json::json!([]));
    let text = v.run(&["who-knows", "acme"]).stdout;
    assert!(text.contains("Tom Lee → Priya Raman"), "{text}");
    assert!(text.contains("no path yet: ask around"), "{text}");
}

#[test]
fn who_knows_reports_a_malformed_query_and_an_empty_answer() {
    let v = network();
    let out = v.run(&["who-knows", "(acme"]);
    assert_eq!(out.code, 2, "{out}");
    let out = v.run(&["who-knows", "zzzzqqq"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("Nobody in your notes matches"), "{out}");
}

#[test]
fn global_options_may_sit_between_report_and_its_kind() {
    // `report --vault DIR stale` as people type it: the global option moves before `report`
    // (clap alone refuses any option of `report` before a KIND).
    let v = network();
    let vault = v.path().to_str().unwrap();
    let typed = crate::common::output(crate::common::netvault().current_dir(std::env::temp_dir()).args([
        "report",
        "--vault",
        vault,
        "--today",
        "2026-11-27",
        "-q",
        "stale",
        "--format",
        "json",
    ]));
    assert_eq!(typed.code, 0, "{}", typed.stderr);
    assert_eq!(typed.json(), report(&v, &["stale"]));
    let followups_flag = v.run(&["report", "--within", "7d", "stale"]);
    assert_eq!(followups_flag.code, 2);
    assert!(
        followups_flag.stderr.contains("'stale' cannot be used with '--within"),
        "{}",
        followups_flag.stderr
    );
}

#[test]
fn a_misplaced_report_flag_says_where_it_goes() {
    let v = network();
    let before_kind = v.run(&["report", "--format", "json", "stale"]);
    assert_eq!(before_kind.code, 2);
    assert!(
        before_kind
            .stderr
            .contains("A report's own flags go after its kind:\n  netvault "),
        "{}",
        before_kind.stderr
    );
    assert!(
        before_kind.stderr.trim_end().ends_with(" report stale --format json"),
        "{}",
        before_kind.stderr
    );
    let followups_flag = v.run(&["report", "stale", "--within", "7d"]);
    assert_eq!(followups_flag.code, 2);
    assert!(
        followups_flag
            .stderr
            .contains("--within is a flag of the follow-up report"),
        "{}",
        followups_flag.stderr
    );
    assert!(
        followups_flag.stderr.contains("`netvault report stale --help`"),
        "{}",
        followups_flag.stderr
    );
}

#[test]
fn a_cut_morning_list_says_how_many_of_each_bucket_it_shows() {
    let v = network();
    let all = v.run(&["report", "--all"]).stdout;
    assert!(all.contains("Today (2)"), "{all}");
    // Two people are due today; a list of two shows the overdue one and one of them.
    let two = v.run(&["report", "--limit", "2"]);
    assert_eq!(two.code, 0);
    assert!(two.stdout.contains("Today (1 of 2)"), "{}\n---\n{all}", two.stdout);
    let none = v.run(&["report", "--limit", "0"]);
    assert!(!none.stdout.contains("Nobody is due"), "{}", none.stdout);
    assert!(
        none.stdout.contains("more — `netvault report --all`"),
        "{}",
        none.stdout
    );
}
