//! The daily loop through the real binary (SPEC v2 §3.3, §8): the report says who is due,
//! `snooze`, `done`, `todo` and `log` act on it, and the report follows. Last, generated vaults
//! checked against a second, straightforward reading of §3.3 written here.

use std::fmt::Write as _;

use crate::common::TestVault;
use jiff::ToSpan as _;
use jiff::civil::Date;
use serde_json::Value;

fn contact(front: &str, body: &str) -> String {
    format!("---\n{front}---\n{body}")
}

fn read(vault: &TestVault, rel: &str) -> String {
    std::fs::read_to_string(vault.join(rel)).expect("the file is readable")
}

/// `report --format json` on `today` (with extra flags), checked to succeed.
fn report(vault: &TestVault, today: &str, extra: &[&str]) -> Value {
    let out = crate::common::output(
        crate::common::netvault()
            .arg("--today")
            .arg(today)
            .arg("--vault")
            .arg(vault.path())
            .args(["report", "--format", "json"])
            .args(extra),
    );
    assert_eq!(out.code, 0, "{out}");
    out.json()
}

fn item<'a>(report: &'a Value, path: &str) -> Option<&'a Value> {
    report["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["path"] == path)
}

fn kinds(item: &Value) -> Vec<&str> {
    item["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .map(|r| r["kind"].as_str().expect("kind"))
        .collect()
}

/// The morning of the issue: one person overdue by the rhythm, one never contacted, one with an
/// overdue task, one whose task is due while a later follow-up is planned, and a quiet one.
fn scenario() -> TestVault {
    TestVault::new()
        .file(
            "Walter Pruitt.md",
            contact(
                "name: Walter Pruitt\ncadence: 120d\nlast_contact: 2026-07-01\n",
                "## Log\n- 2026-07-01: lunch\n",
            ),
        )
        .file("Nora New.md", contact("name: Nora New\ncadence: 90d\n", ""))
        .file(
            "Tia Task.md",
            contact(
                "name: Tia Task\n",
                "## Tasks\n- [ ] send the slides 📅 2026-11-20\n",
            ),
        )
        .file(
            "Kevin OBrien.md",
            contact(
                "name: Kevin O'Brien\ncadence: 30d\nlast_contact: 2026-11-01\nfollow_up: 2026-12-22\n",
                "## Tasks\n- [ ] send the article 📅 2026-11-25\n- [ ] call about the Denver office 📅 2026-12-20\n- [ ] send the résumé draft\n",
            ),
        )
        .file(
            "Rita Rhythm.md",
            contact("name: Rita Rhythm\ncadence: 30d\nlast_contact: 2026-10-01\n", ""),
        )
        .file(
            "Dora Dormant.md",
            contact("name: Dora Dormant\nstatus: dormant\ncadence: 30d\n", "# Dora\n"),
        )
}

#[test]
fn a_snooze_quiets_every_reason_until_its_day_and_moves_no_date() {
    let v = scenario();
    let before = report(&v, "2026-11-27", &[]);
    for path in ["Walter Pruitt.md", "Nora New.md", "Tia Task.md"] {
        assert!(item(&before, path).is_some(), "{path} is due before the snooze");
    }
    for (name, path) in [
        ("Walter Pruitt", "Walter Pruitt.md"),
        ("Nora New", "Nora New.md"),
        ("Tia Task", "Tia Task.md"),
    ] {
        let old = read(&v, path);
        let out = v.run(&["snooze", name, "1w"]);
        assert_eq!(out.code, 0, "{out}");
        let new = read(&v, path);
        // Only the snooze_until line is added; follow_up and task dates stay.
        assert_eq!(new.replace("snooze_until: 2026-12-04\n", ""), old, "{new}");
    }
    // Until the day, nobody snoozed is overdue or due today; a window ending before it has none.
    for today in ["2026-11-27", "2026-12-01", "2026-12-03"] {
        let short = report(&v, today, &["--within", "0d"]);
        for path in ["Walter Pruitt.md", "Nora New.md", "Tia Task.md"] {
            assert!(item(&short, path).is_none(), "{path} on {today}: {short:#}");
        }
    }
    // In a window that reaches the day, each is upcoming on it, with every reason and the snooze
    // (SPEC §3.3: due is no earlier than snooze_until, and the item carries `snoozed`).
    let week = report(&v, "2026-11-27", &[]);
    let walter = item(&week, "Walter Pruitt.md").expect("Walter in a 7-day window");
    assert_eq!(
        (&walter["due"], &walter["bucket"], &walter["days_overdue"]),
        (&Value::from("2026-12-04"), &Value::from("upcoming"), &Value::from(0))
    );
    assert_eq!(kinds(walter), ["cadence", "snoozed"]);
    assert_eq!(walter["reasons"][1]["date"], "2026-12-04");
    assert!(walter["next"].is_string() || walter["next"].is_null(), "{walter}");
    // On the day every reason is back, as it was, and the snooze is gone from the item.
    let back = report(&v, "2026-12-04", &[]);
    let walter = item(&back, "Walter Pruitt.md").expect("Walter is back");
    assert_eq!(
        (&walter["due"], &walter["bucket"]),
        (&Value::from("2026-10-29"), &Value::from("overdue"))
    );
    assert_eq!(kinds(walter), ["cadence"]);
    assert_eq!(kinds(item(&back, "Tia Task.md").expect("Tia is back")), ["task"]);
    let nora = item(&back, "Nora New.md").expect("Nora is back");
    assert_eq!(
        (&nora["due"], kinds(nora)),
        (&Value::from("2026-12-04"), vec!["never-contacted"])
    );
}

#[test]
fn done_ticks_the_due_task_and_keeps_a_later_follow_up() {
    let v = scenario();
    let kevin = item(&report(&v, "2026-11-27", &[]), "Kevin OBrien.md")
        .cloned()
        .expect("Kevin is due by his task");
    assert_eq!(
        (&kevin["due"], kinds(&kevin)),
        (&Value::from("2026-11-25"), vec!["task"])
    );
    let old = read(&v, "Kevin OBrien.md");
    let out = v.run(&["done", "Kevin O'Brien"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        read(&v, "Kevin OBrien.md"),
        old.replace(
            "- [ ] send the article 📅 2026-11-25\n",
            "- [x] send the article 📅 2026-11-25 ✅ 2026-11-27\n"
        ),
        "the 12-22 follow-up and the other tasks stay"
    );
    assert!(out.stdout.contains("+ - [x] send the article"), "{out}");
    assert!(out.stdout.contains("2026-12-22 stays"), "{out}");
    // The plan for 12-22 holds the rhythm back: Kevin is not due this week any more.
    assert!(item(&report(&v, "2026-11-27", &[]), "Kevin OBrien.md").is_none());
    let (_, show) = v.json(&["show", "Kevin O'Brien", "--format", "json"]);
    assert_eq!(show["due"], "2026-12-20", "the next task");
    // Nothing due any more: exit 1, no byte changes.
    let now = read(&v, "Kevin OBrien.md");
    let out = v.run(&["done", "Kevin O'Brien"]);
    assert_eq!(out.code, 1, "{out}");
    assert_eq!(read(&v, "Kevin OBrien.md"), now);
}

#[test]
fn done_with_only_the_rhythm_due_changes_nothing_and_exits_1() {
    let v = scenario();
    for (name, path) in [("Rita Rhythm", "Rita Rhythm.md"), ("Walter Pruitt", "Walter Pruitt.md")] {
        let old = std::fs::read(v.join(path)).expect("readable");
        let out = v.run(&["done", name]);
        assert_eq!(out.code, 1, "{out}");
        assert!(out.stdout.contains("due only by the rhythm"), "{out}");
        assert!(
            out.stdout.contains(&format!("netvault log \"{name}\"")) && out.stdout.contains("netvault snooze"),
            "{out}"
        );
        assert_eq!(std::fs::read(v.join(path)).expect("readable"), old, "{path}");
    }
}

#[test]
fn done_with_a_task_word_ticks_that_task_due_or_not() {
    let v = scenario();
    let old = read(&v, "Kevin OBrien.md");
    // A future task, named by a word, case ignored.
    let out = v.run(&["done", "Kevin O'Brien", "DENVER"]);
    assert_eq!(out.code, 0, "{out}");
    let ticked = old.replace(
        "- [ ] call about the Denver office 📅 2026-12-20\n",
        "- [x] call about the Denver office 📅 2026-12-20 ✅ 2026-11-27\n",
    );
    assert_eq!(read(&v, "Kevin OBrien.md"), ticked);
    // An undated one, by a phrase with an accent folded.
    assert_eq!(v.run(&["done", "Kevin O'Brien", "resume draft"]).code, 0);
    assert!(read(&v, "Kevin OBrien.md").contains("- [x] send the résumé draft ✅ 2026-11-27\n"));
    // Several matches or none: exit 2, the open tasks listed, nothing written.
    let v = scenario();
    for (word, listed) in [("send", "send the résumé draft"), ("zebra", "send the article")] {
        let out = v.run(&["done", "Kevin O'Brien", word]);
        assert_eq!(out.code, 2, "{word}: {out}");
        assert!(out.stderr.contains(listed), "{word}: {out}");
        assert_eq!(read(&v, "Kevin OBrien.md"), old);
    }
    let out = v.run(&["done", "Kevin O'Brien", "send the"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("matches 2 open tasks"), "{out}");
}

#[test]
fn todo_appends_under_tasks_with_and_without_a_due_date() {
    let v = scenario();
    let out = v.run(&["todo", "Tia Task", "ask about the grant", "--due", "2w"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        read(&v, "Tia Task.md"),
        contact(
            "name: Tia Task\n",
            "## Tasks\n- [ ] send the slides 📅 2026-11-20\n- [ ] ask about the grant 📅 2026-12-11\n"
        )
    );
    assert!(
        out.stdout.contains("+ - [ ] ask about the grant 📅 2026-12-11"),
        "{out}"
    );
    // Without a date, and `## Tasks` created at the end of a body that has none.
    assert_eq!(v.run(&["todo", "Dora Dormant", "read her paper"]).code, 0);
    assert_eq!(
        read(&v, "Dora Dormant.md"),
        contact(
            "name: Dora Dormant\nstatus: dormant\ncadence: 30d\n",
            "# Dora\n\n## Tasks\n- [ ] read her paper\n"
        )
    );
    assert_eq!(v.run(&["todo", "Nora New", "coffee", "--due", "2026-11-30"]).code, 0);
    let nora = report(&v, "2026-11-27", &["--within", "3d"]);
    let nora = item(&nora, "Nora New.md").expect("Nora");
    assert_eq!(kinds(nora), ["never-contacted", "task"]);
    let (_, show) = v.json(&["show", "Nora New", "--format", "json"]);
    assert!(
        show["tasks"]
            .as_array()
            .expect("tasks")
            .iter()
            .any(|t| t["text"] == "coffee 📅 2026-11-30")
    );
    for bad in [
        &["todo", "Nora New", " "][..],
        &["todo", "Nora New", "x", "--due", "soon"],
    ] {
        assert_eq!(v.run(bad).code, 2, "{bad:?}");
    }
}

#[test]
fn log_refuses_a_future_date_and_points_to_todo() {
    let v = scenario().today("2026-12-14");
    let old = read(&v, "Rita Rhythm.md");
    let out = v.run(&["log", "Rita Rhythm", "lunch", "--date", "2026-12-20"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains("todo") && out.stderr.contains("--due 2026-12-20"),
        "{out}"
    );
    assert_eq!(read(&v, "Rita Rhythm.md"), old);
    let (_, show) = v.json(&["show", "Rita Rhythm", "--format", "json"]);
    assert_eq!(show["last_contact"], "2026-10-01");
    // Today is fine.
    assert_eq!(v.run(&["log", "Rita Rhythm", "lunch", "--date", "2026-12-14"]).code, 0);
    assert!(read(&v, "Rita Rhythm.md").contains("last_contact: 2026-12-14\n"));
}

/// A follow-up on or before the conversation would be met by it at once and never remind:
/// refused, with what to do, and nothing written (a year typed wrong, a span counted from an
/// old `--date`).
#[test]
fn log_refuses_a_follow_up_that_could_never_remind() {
    let v = scenario().today("2026-12-14");
    let old = read(&v, "Rita Rhythm.md");
    for args in [
        &["log", "Rita Rhythm", "coffee", "--follow-up", "2026-01-15"][..],
        &["log", "Rita Rhythm", "coffee", "--follow-up", "2026-12-14"],
        &[
            "log",
            "Rita Rhythm",
            "coffee",
            "--date",
            "2026-12-10",
            "--follow-up",
            "2026-12-09",
        ],
    ] {
        let out = v.run(args);
        assert_eq!(out.code, 2, "{args:?}: {out}");
        assert!(out.stderr.contains("would never remind you"), "{out}");
        assert_eq!(read(&v, "Rita Rhythm.md"), old, "{args:?} wrote nothing");
    }
    // A span from an older conversation may land before today: written, and due now.
    let out = v.run(&[
        "log",
        "Rita Rhythm",
        "coffee",
        "--date",
        "2026-12-02",
        "--follow-up",
        "1w",
    ]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stderr.contains("already past: it is due now"), "{out}");
    assert!(read(&v, "Rita Rhythm.md").contains("follow_up: 2026-12-09"));
}

#[test]
fn logging_a_dormant_contact_makes_it_active() {
    let v = scenario();
    // Dormant: no rhythm, so not in the report even though never contacted with a cadence.
    assert!(item(&report(&v, "2026-11-27", &[]), "Dora Dormant.md").is_none());
    let out = v.run(&["log", "Dora Dormant", "ran into her at the library"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("active again"), "{out}");
    assert!(out.stdout.contains("+ status: active"), "{out}");
    assert_eq!(
        read(&v, "Dora Dormant.md"),
        contact(
            "name: Dora Dormant\nstatus: active\ncadence: 30d\nlast_contact: 2026-11-27\n",
            "# Dora\n\n## Log\n- 2026-11-27: ran into her at the library\n"
        )
    );
    // Now the rhythm applies: due 30 days on.
    let month = report(&v, "2026-11-27", &["--within", "30d"]);
    let dora = item(&month, "Dora Dormant.md").expect("Dora has a rhythm now");
    assert_eq!(
        (&dora["due"], kinds(dora)),
        (&Value::from("2026-12-27"), vec!["cadence"])
    );
    // An active contact's status line is left alone.
    let out = v.run(&["log", "Dora Dormant", "again"]);
    assert!(!out.stdout.contains("status"), "{out}");
}

// ---- generated vaults against a second reading of §3.3 ----

/// A small deterministic generator (xorshift64*), so a failure names its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// A date in `from..=to`.
    fn date(&mut self, from: Date, to: Date) -> Date {
        let days = (to - from).get_days();
        from.checked_add(
            i64::try_from(self.below(u64::try_from(days).expect("ordered") + 1))
                .expect("small")
                .days(),
        )
        .expect("in range")
    }
}

/// One generated contact, as written and as the test reads it.
struct Person {
    path: String,
    cadence: Option<(i64, bool)>, // (count, months?)
    circle_friend: bool,
    met: Option<Date>,
    last_contact: Option<Date>,
    log: Vec<Date>,
    follow_up: Option<Date>,
    snooze_until: Option<Date>,
    connected: Option<Date>,
    status: &'static str,
    tasks: Vec<(bool, Option<Date>)>, // (done, due)
}

fn d(text: &str) -> Date {
    text.parse().expect("a date")
}

fn person(rng: &mut Rng, i: usize) -> Person {
    let pick = |rng: &mut Rng, percent, from, to| rng.chance(percent).then(|| rng.date(d(from), d(to)));
    let cadence = match rng.below(6) {
        0 | 1 => None,
        2 => Some((30, false)),
        3 => Some((90, false)),
        4 => Some((1, true)),
        _ => Some((3, true)),
    };
    let tasks = (0..rng.below(3))
        .map(|_| (rng.chance(25), pick(rng, 70, "2026-10-15", "2027-01-15")))
        .collect();
    Person {
        path: format!("p{i:03}.md"),
        cadence,
        circle_friend: rng.chance(30),
        met: pick(rng, 40, "2025-01-01", "2026-11-27"),
        last_contact: pick(rng, 50, "2026-05-01", "2026-12-31"),
        log: (0..rng.below(3))
            .map(|_| rng.date(d("2026-06-01"), d("2027-01-31")))
            .collect(),
        follow_up: pick(rng, 45, "2026-10-01", "2027-01-15"),
        snooze_until: pick(rng, 30, "2026-11-01", "2026-12-31"),
        connected: pick(rng, 20, "2020-01-01", "2026-11-01"),
        status: ["", "", "", "active", "dormant", "archived"][usize::try_from(rng.below(6)).expect("small")],
        tasks,
    }
}

fn write(p: &Person) -> String {
    let mut front = format!("name: Person {}\n", p.path);
    if let Some((n, months)) = p.cadence {
        _ = writeln!(front, "cadence: {n}{}", if months { "m" } else { "d" });
    }
    if p.circle_friend {
        front.push_str("circles: [friend]\n");
    }
    for (key, value) in [
        ("met", p.met),
        ("last_contact", p.last_contact),
        ("follow_up", p.follow_up),
        ("snooze_until", p.snooze_until),
        ("connected", p.connected),
    ] {
        if let Some(value) = value {
            _ = writeln!(front, "{key}: {value}");
        }
    }
    if !p.status.is_empty() {
        _ = writeln!(front, "status: {}", p.status);
    }
    let mut body = String::from("## Log\n");
    for day in &p.log {
        _ = writeln!(body, "- {day}: talked #info");
    }
    body.push_str("\n## Tasks\n");
    for (k, (done, due)) in p.tasks.iter().enumerate() {
        let mark = if *done { "x" } else { " " };
        match due {
            Some(due) => _ = writeln!(body, "- [{mark}] task {k} 📅 {due}"),
            None => _ = writeln!(body, "- [{mark}] task {k}"),
        }
    }
    contact(&front, &body)
}

/// §3.3 read plainly: (path, due, bucket, days overdue, reasons as (kind, date), sorted).
type Expected = (String, Date, &'static str, i64, Vec<(String, Date)>);

fn expected(p: &Person, today: Date, within: i64) -> Option<Expected> {
    if p.status == "archived" {
        return None;
    }
    let last = p
        .log
        .iter()
        .copied()
        .filter(|day| *day <= today)
        .chain(p.last_contact)
        .max();
    let pending = p.follow_up.filter(|f| last.is_none_or(|l| l < *f));
    let mut reasons: Vec<(String, Date)> = Vec::new();
    if let Some(f) = pending {
        reasons.push(("follow_up".into(), f));
    }
    // The contact's own cadence, else the config's for the friend circle, else the default.
    let cadence = p.cadence.or(if p.circle_friend {
        Some((45, false))
    } else {
        Some((2, true))
    });
    if p.status != "dormant"
        && pending.is_none()
        && let Some((n, months)) = cadence
    {
        let span = if months { n.months() } else { n.days() };
        match last.or(p.met) {
            Some(base) => reasons.push(("cadence".into(), base.checked_add(span).expect("in range"))),
            None => reasons.push(("never-contacted".into(), today)),
        }
    }
    for (done, due) in &p.tasks {
        if let (false, Some(due)) = (done, due) {
            reasons.push(("task".into(), *due));
        }
    }
    let mut due = reasons.iter().map(|(_, day)| *day).min()?;
    if let Some(until) = p.snooze_until.filter(|s| *s > today) {
        due = due.max(until);
        reasons.push(("snoozed".into(), until));
    }
    let horizon = today.checked_add(within.days()).expect("in range");
    if due > horizon {
        return None;
    }
    reasons.retain(|(_, day)| *day <= horizon);
    reasons.sort();
    let bucket = match due.cmp(&today) {
        std::cmp::Ordering::Less => "overdue",
        std::cmp::Ordering::Equal => "today",
        std::cmp::Ordering::Greater => "upcoming",
    };
    let overdue = i64::from((today - due).get_days().max(0));
    Some((p.path.clone(), due, bucket, overdue, reasons))
}

fn actual(report: &Value) -> Vec<Expected> {
    let date = |v: &Value| d(v.as_str().expect("a date string"));
    report["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|it| {
            let bucket = match it["bucket"].as_str().expect("bucket") {
                "overdue" => "overdue",
                "today" => "today",
                "upcoming" => "upcoming",
                other => panic!("bucket {other}"),
            };
            let mut reasons: Vec<(String, Date)> = it["reasons"]
                .as_array()
                .expect("reasons")
                .iter()
                .map(|r| (r["kind"].as_str().expect("kind").to_string(), date(&r["date"])))
                .collect();
            reasons.sort();
            assert!(it["next"].is_string() || it["next"].is_null(), "{it}");
            (
                it["path"].as_str().expect("path").to_string(),
                date(&it["due"]),
                bucket,
                it["days_overdue"].as_i64().expect("days"),
                reasons,
            )
        })
        .collect()
}

#[test]
fn generated_vaults_report_what_section_3_3_says() {
    for seed in [0x9E37_79B9_7F4A_7C15_u64, 0xD1B5_4A32_D192_ED03, 42] {
        let mut rng = Rng(seed);
        let people: Vec<Person> = (0..300).map(|i| person(&mut rng, i)).collect();
        let mut vault = TestVault::new().config("[cadence]\ndefault = \"2m\"\nfriend = \"45d\"\n");
        for p in &people {
            vault = vault.file(&p.path, write(p));
        }
        let out = vault.run(&["validate"]);
        assert_eq!(out.code, 0, "seed {seed:#x}: the generated files are valid\n{out}");
        for (today, within) in [("2026-11-27", 7), ("2026-12-10", 30)] {
            let json = report(&vault, today, &["--within", &format!("{within}d")]);
            let mut want: Vec<Expected> = people.iter().filter_map(|p| expected(p, d(today), within)).collect();
            want.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
            let got = actual(&json);
            assert!(
                want.len() > 20,
                "seed {seed:#x}: too few items to mean much ({})",
                want.len()
            );
            for (g, w) in got.iter().zip(&want) {
                assert_eq!(g, w, "seed {seed:#x}, today {today}: first difference");
            }
            assert_eq!(got.len(), want.len(), "seed {seed:#x}, today {today}");
        }
    }
}
