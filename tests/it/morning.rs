//! The morning read (issue 13, SPEC v2 §6): the follow-up report fits one screen and says what
//! to say; snoozed, dormant and broken files are counted, not silently missing; `report leads`
//! and `add` for a lead; flags that do not apply to a report are an error.

use crate::common::{Output, TestVault, output};

fn contact(front: &str, body: &str) -> String {
    format!("---\n{front}---\n{body}")
}

/// Fifteen people due within the week (a job application, neighbours, a recruiter never written
/// to, a job change from an import), one snoozed, one dormant, one file with a duplicate key,
/// and a name given in a note that is no contact yet.
fn vault() -> TestVault {
    let mut v = TestVault::new().config("[cadence]\ndefault = \"180d\"\nneighbor = \"120d\"\nfriend = \"60d\"\n");
    let people: [(&str, String, String); 15] = [
        (
            "Nadia Haddad",
            "organization: Pecan Valley University Libraries\nfollow_up: 2026-11-20\n".into(),
            "## Log\n### 2026-11-13 First-round interview #interview\nNadia said they would be in touch the week of Thanksgiving.\n\n## Tasks\n- [ ] send a short, polite check-in email about the timeline 📅 2026-11-20\n".into(),
        ),
        (
            "Walter Pruitt",
            "organization: Permian Basin Petroleum Co. (retired)\ncircles: [neighbor]\nlast_contact: 2026-07-01\n".into(),
            "## Log\n### 2026-06-20 Porch conversation #intro\nHe offered to introduce me to [[Dana Whitfield]], who ran the state records committee. She said yes.\n\n## Tasks\n- [ ] bring him tomatoes and tell him how the coffee with Beatriz went\n".into(),
        ),
        (
            "Emily Tran",
            "organization: Brazos A&M University\ncircles: [online]\n".into(),
            "## Tasks\n- [ ] send Emily a two-sentence LinkedIn message mentioning Frances\n".into(),
        ),
        (
            "Samuel Okafor",
            "organization: Gulf Coast University Libraries\ncadence: 3m\nlast_contact: 2026-08-10\n".into(),
            "## Log\n### 2026-08-10 Zoom: what data librarians do all day #advice\nHe said most of the job is consultations. Then other things.\n".into(),
        ),
        (
            "José Núñez",
            "organization: City of San Antonio Open Data Office\ncircles: [friend]\nlast_contact: 2026-09-20\n".into(),
            String::new(),
        ),
        (
            "Margaret Ellison",
            "organization: School of Information\nfollow_up: 2026-11-15\n".into(),
            "## Tasks\n- [ ] send the brag sheet and the list of jobs 📅 2026-11-14\n".into(),
        ),
        (
            "Owen Fairbanks",
            "organization: School of Information\n".into(),
            "## Tasks\n- [ ] return his box of archival folders 📅 2026-11-22\n".into(),
        ),
        (
            "Priya Raman",
            "organization: Lone Star Data Co\ntitle: Data Curator\nstatus: dormant\n".into(),
            "## Tasks\n- [ ] congratulate on the new role: Data Curator at Lone Star Data Co (was Analyst at Acme) 📅 2026-11-28\n".into(),
        ),
        (
            "Linda Harwood",
            "organization: University Libraries\nfollow_up: 2026-11-27\n".into(),
            String::new(),
        ),
        (
            "Zoë Castillo",
            "organization: Texas Folk Heritage Museum\nbirthday: \"11-30\"\nlast_contact: 2026-11-15\n".into(),
            String::new(),
        ),
        (
            "Claire Beaumont",
            "organization: Travis County Historical Archives\nfollow_up: 2026-12-01\n".into(),
            "## Tasks\n- [ ] check whether the county posting is live 📅 2026-12-01\n".into(),
        ),
        (
            "Dolores Vega",
            "organization: Capital Area Archivists\nmet: 2026-06-02\nmet_at: the spring workshop\ncircles: [friend]\n".into(),
            String::new(),
        ),
        (
            "Benjamin Cho",
            "organization: Austin Data Librarians Meetup\ncadence: 2w\nlast_contact: 2026-11-18\n".into(),
            String::new(),
        ),
        (
            "Elena Ortiz",
            "organization: San Antonio Independent School District (retired)\nbirthday: \"12-02\"\nlast_contact: 2026-11-10\n".into(),
            "## Tasks\n- [ ] call her on her birthday 📅 2026-12-02\n".into(),
        ),
        (
            "Aisha Karimi",
            "organization: Hill Country Medical Center\nlast_contact: 2026-11-23\n".into(),
            "## Tasks\n- [ ] send her the revised cover letter 📅 2026-12-03\n".into(),
        ),
    ];
    for (name, front, body) in people {
        v = v.file(
            &format!("people/{name}.md"),
            contact(&format!("name: {name}\n{front}"), &body),
        );
    }
    v.file(
        "people/Gus Snooze.md",
        contact("name: Gus Snooze\nfollow_up: 2026-11-20\nsnooze_until: 2026-12-02\n", ""),
    )
    .file(
        "people/Dora Mant.md",
        contact("name: Dora Mant\nstatus: dormant\nlast_contact: 2020-01-01\n", ""),
    )
    .file(
        "people/Rosa Diaz.md",
        "---\nname: Rosa Diaz\norganization: Brooklyn Archive\norganization: Dup\n---\nShe catalogues punk flyers.\n\n## Tasks\n- [ ] send Rosa the flyer scans\n",
    )
}

/// The people listed: each person's first line starts with one space and their name.
fn people(report: &str) -> usize {
    report
        .lines()
        .filter(|l| l.starts_with(' ') && !l.starts_with("  "))
        .count()
}

fn width(line: &str) -> usize {
    line.chars().count()
}

fn report(v: &TestVault, columns: &str, args: &[&str]) -> Output {
    let mut cmd = v.command();
    cmd.env("COLUMNS", columns)
        .arg("--vault")
        .arg(v.path())
        .arg("report")
        .args(args);
    output(&mut cmd)
}

/// Every person's open task is spelled out on their next line.
fn assert_tasks_shown(out: &str) {
    for task in [
        "send a short, polite check-in email about the timeline",
        "bring him tomatoes and tell him how the coffee with Beatriz went",
        "send Emily a two-sentence LinkedIn message mentioning Frances",
        "send the brag sheet and the list of jobs",
        "return his box of archival folders",
        "check whether the county posting is live",
    ] {
        assert!(out.contains(&format!("→ {task}\n")), "{task:?} missing from\n{out}");
    }
}

#[test]
fn the_morning_report_fits_80_columns() {
    let v = vault();
    v.run(&["index"]);
    let out = report(&v, "80", &[]);
    assert_eq!(out.code, 0, "{out}");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines.len() <= 40, "{} lines:\n{}", lines.len(), out.stdout);
    for line in &lines {
        assert!(width(line) <= 80, "{} columns: {line}", width(line));
    }
    assert_tasks_shown(&out.stdout);
    v.insta_settings()
        .bind(|| insta::assert_snapshot!("morning_80", out.transcript()));
}

#[test]
fn the_morning_report_uses_120_columns_when_the_terminal_has_them() {
    let v = vault();
    v.run(&["index"]);
    let out = report(&v, "120", &[]);
    assert_eq!(out.code, 0, "{out}");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines.len() <= 40);
    assert!(lines.iter().all(|l| width(l) <= 120));
    assert!(lines.iter().any(|l| width(l) > 80), "the width is used");
    assert_tasks_shown(&out.stdout);
    v.insta_settings()
        .bind(|| insta::assert_snapshot!("morning_120", out.transcript()));
}

#[test]
fn without_columns_or_a_terminal_the_width_is_80() {
    let v = vault();
    let out = v.run(&["report"]);
    assert!(out.stdout.lines().all(|l| width(l) <= 80), "{out}");
    assert!(out.stdout.lines().any(|l| width(l) > 70));
}

#[test]
fn plans_come_first_then_due_dates_and_the_rest_is_counted() {
    let v = vault();
    let out = report(&v, "80", &[]);
    let text = &out.stdout;
    // Nadia's overdue follow-up (2026-11-20) comes before Walter's older rhythm (2026-10-29).
    let nadia = text.find("Nadia Haddad").expect("Nadia listed");
    let walter = text.find("Walter Pruitt").expect("Walter listed");
    assert!(nadia < walter, "{text}");
    assert_eq!(people(text), 12, "{text}");
    assert!(text.contains("and 3 more — `netvault report --all`"), "{text}");
    assert!(
        text.contains("Left out: 1 file with errors (Rosa Diaz, line 4) · 1 snoozed · 1 dormant"),
        "{text}"
    );
    assert!(
        text.trim_end().ends_with("1 lead waiting — `netvault report leads`"),
        "{text}"
    );
    // The import's job change reads as words; the snoozed person is not listed.
    let all = report(&v, "200", &["--all"]);
    assert!(all.stdout.contains("new job at Lone Star Data Co"), "{all}");
    assert!(!all.stdout.contains("Gus Snooze"));
    assert!(!all.stdout.contains("more — "));
    assert_eq!(people(&all.stdout), 15, "{all}");
    let two = report(&v, "80", &["--limit", "2"]);
    assert_eq!(people(&two.stdout), 2, "{two}");
    assert!(two.stdout.contains("and 13 more"), "{two}");
}

#[test]
fn next_says_what_to_say_last_time_or_how_you_met() {
    let v = vault();
    let (out, json) = v.json(&["report", "--format", "json"]);
    assert_eq!(out.code, 0);
    let next = |name: &str| {
        json["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["name"] == name)
            .unwrap_or_else(|| panic!("{name} in {json}"))["next"]
            .clone()
    };
    assert_eq!(
        next("Emily Tran"),
        "send Emily a two-sentence LinkedIn message mentioning Frances"
    );
    assert_eq!(
        next("Samuel Okafor"),
        "last time: Zoom: what data librarians do all day — He said most of the job is consultations."
    );
    assert_eq!(next("Dolores Vega"), "how you met: the spring workshop (2026-06-02)");
    assert_eq!(next("Linda Harwood"), serde_json::Value::Null);
    // JSON keeps the snoozed person, due on the snooze date, with the reason.
    let gus = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "Gus Snooze")
        .expect("snoozed item in JSON");
    assert_eq!(gus["due"], "2026-12-02");
    assert!(
        gus["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["kind"] == "snoozed")
    );
    // --long shows the snoozed person too.
    let long = v.run(&["report", "--long"]);
    assert!(long.stdout.contains("Gus Snooze") && long.stdout.contains("snoozed until 2026-12-02"));
}

#[test]
fn a_file_with_broken_front_matter_is_found_and_named() {
    let v = vault();
    let search = v.run(&["search", "flyers"]);
    assert_eq!(search.code, 0, "{search}");
    assert!(search.stdout.contains("Rosa Diaz"), "{search}");
    assert!(search.stdout.contains("front matter has errors: line 4"), "{search}");
    let by_stem = v.run(&["search", "rosa"]);
    assert!(by_stem.stdout.contains("Rosa Diaz"), "{by_stem}");
    let show = v.run(&["show", "Rosa Diaz"]);
    assert_eq!(show.code, 0, "{show}");
    assert!(show.stdout.contains("front matter has errors: line 4"), "{show}");
    assert!(show.stdout.contains("send Rosa the flyer scans"), "{show}");
    assert!(show.stdout.contains("She catalogues punk flyers."), "{show}");
}

#[test]
fn a_name_in_a_note_is_a_lead_until_it_is_added() {
    let v = vault();
    let (out, json) = v.json(&["report", "leads", "--format", "json"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(json["total"], 1);
    let lead = &json["leads"][0];
    assert_eq!(lead["name"], "Dana Whitfield");
    assert_eq!(lead["from"]["name"], "Walter Pruitt");
    assert_eq!(lead["date"], "2026-06-20");
    assert_eq!(
        lead["sentence"],
        "He offered to introduce me to Dana Whitfield, who ran the state records committee."
    );
    let table = v.run(&["report", "leads"]);
    assert!(
        table.stdout.contains("Dana Whitfield  Walter Pruitt  2026-06-20"),
        "{table}"
    );

    let add = v.run(&["add", "Dana Whitfield"]);
    assert_eq!(add.code, 0, "{add}");
    let file = std::fs::read_to_string(v.join("Dana Whitfield.md")).expect("the new file");
    assert!(file.contains("introduced_by: \"[[Walter Pruitt]]\""), "{file}");
    let (_, after) = v.json(&["report", "leads", "--format", "json"]);
    assert_eq!(after["total"], 0, "{after}");
    assert!(!report(&v, "80", &[]).stdout.contains("lead waiting"));
}

#[test]
fn flags_that_do_not_apply_to_a_report_are_an_error() {
    let v = vault();
    let out = v.run(&["report", "stale", "--within", "14d"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("unexpected argument '--within' found"), "{out}");
    assert!(out.stderr.contains("Usage: netvault report stale [OPTIONS]"), "{out}");
    // The flags of the follow-ups are theirs alone (`--who-knows` is intros' too).
    let followups_flags: [&[&str]; 5] = [
        &["--within", "14d"],
        &["--limit", "3"],
        &["--all"],
        &["--long"],
        &["--who-knows", "acme"],
    ];
    for kind in ["stale", "circles", "outcomes", "reciprocity", "intros", "leads"] {
        for flag in followups_flags {
            if kind == "intros" && flag[0] == "--who-knows" {
                continue;
            }
            let out = v.run(&[&["report", kind], flag].concat());
            assert_eq!(out.code, 2, "{kind} {flag:?}: {out}");
            assert!(
                out.stderr.contains(&format!("unexpected argument '{}' found", flag[0])),
                "{kind} {flag:?}: {out}"
            );
        }
    }
    // `--older-than` is stale's alone.
    for args in [
        &["report", "--older-than", "1y"][..],
        &["report", "followups", "--older-than", "1y"],
    ] {
        let out = v.run(args);
        assert_eq!(out.code, 2, "{out}");
        assert!(out.stderr.contains("unexpected argument '--older-than' found"), "{out}");
    }
    // Flags before KIND are the follow-ups': `report --format json stale` is refused, not
    // read as `report stale` with its format silently dropped.
    let out = v.run(&["report", "--format", "json", "stale"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .contains("the subcommand 'stale' cannot be used with '--format <FORMAT>'"),
        "{out}"
    );
    // What depends on --format's value is said at run time, as before.
    let out = v.run(&["report", "--long", "--format", "json"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .contains("--long shapes the table; --format json always has everything"),
        "{out}"
    );
    assert_eq!(v.run(&["report", "stale", "--older-than", "1y"]).code, 0);
}
