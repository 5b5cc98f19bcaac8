//! The morning report reads only the contacts that can be due, and counts the rest from the
//! index's columns (`index::morning`): the same answers as the rules applied to every
//! contact's facts, on a vault with every kind of contact, edited and deleted files (documents
//! the index keeps until its segments merge), broken files and links of every form.

use std::fmt::Write as _;

use jiff::civil::{Date, date};
use netvault::followup::Tally;
use netvault::index::Index;
use netvault::report::{followups, leads};
use netvault::resolve::Resolver;

use crate::common::{Rng, TestVault};

/// A day of the generated dates.
fn day(rng: &mut Rng) -> Date {
    date(2025, 9, 1) + jiff::Span::new().days(i64::try_from(rng.below(700)).unwrap())
}

fn chance(rng: &mut Rng, percent: usize) -> bool {
    rng.below(100) < percent
}

const PEOPLE: usize = 240;

fn name(i: usize) -> String {
    format!("Person {i:03}")
}

/// One contact file, varied by `rng`: statuses, own and circle cadences, plans met or not,
/// tasks done and open, birthdays, snoozes, aliases and links to contacts (by name, alias,
/// stem, path, typography), to nobody and to a broken file.
fn contact(i: usize, rng: &mut Rng) -> String {
    let mut front = format!("name: {}\n", name(i));
    let status = ["active", "active", "dormant", "archived"][rng.below(4)];
    writeln!(front, "status: {status}").unwrap();
    for (key, percent) in [
        ("last_contact", 60),
        ("met", 40),
        ("follow_up", 30),
        ("snooze_until", 15),
    ] {
        if chance(rng, percent) {
            writeln!(front, "{key}: {}", day(rng)).unwrap();
        }
    }
    if chance(rng, 25) {
        writeln!(
            front,
            "cadence: {}{}",
            1 + rng.below(8),
            ["d", "w", "m", "y"][rng.below(4)]
        )
        .unwrap();
    }
    if chance(rng, 40) {
        writeln!(front, "circles: [{}]", ["close", "work", "other"][rng.below(3)]).unwrap();
    }
    if chance(rng, 20) {
        writeln!(front, "birthday: \"{:02}-{:02}\"", 1 + rng.below(12), 1 + rng.below(28)).unwrap();
    }
    if chance(rng, 20) {
        writeln!(front, "aliases: [P{i}]").unwrap();
    }
    let mut body = String::from("## Log\n");
    for _ in 0..rng.below(3) {
        let j = rng.below(PEOPLE + 40);
        let link = match rng.below(9) {
            0 => format!("people/{}", name(j)),
            1 => format!("{}.md", name(j)),
            2 => format!("P{j}"),
            3 => name(j).to_uppercase(),
            4 => format!("Stranger {}", rng.below(30)),
            5 => format!("stranger  {}", rng.below(30)),
            6 => "Broken One".to_string(),
            7 => format!("elsewhere/{}", name(j)),
            _ => name(j),
        };
        writeln!(body, "- {}: talked about [[{link}]] #info", day(rng)).unwrap();
    }
    body += "\n## Tasks\n";
    for _ in 0..rng.below(3) {
        let done = if chance(rng, 30) { "x" } else { " " };
        if chance(rng, 70) {
            writeln!(body, "- [{done}] call back 📅 {}", day(rng)).unwrap();
        } else {
            writeln!(body, "- [{done}] read the paper").unwrap();
        }
    }
    format!("---\n{front}---\n{body}")
}

fn vault() -> TestVault {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut v = TestVault::new().config("[cadence]\ndefault = \"90d\"\nclose = \"2w\"\nwork = \"1m\"\n");
    for i in 0..PEOPLE {
        v = v.file(&format!("people/{}.md", name(i)), contact(i, &mut rng));
    }
    v.file("people/Broken One.md", "---\nname: [unclosed\n---\n")
        .file("notes/plain.md", "no front matter, [[Person 001]]\n")
}

fn open(v: &TestVault) -> Index {
    let config = netvault::vault::load_config(v.path()).unwrap();
    Index::open(&v.join(".netvault/index"), &config, false).unwrap()
}

/// Every answer of `morning` against the rules applied to all facts, for windows from none to
/// over a year and days across the generated dates.
fn assert_same_answers(v: &TestVault) {
    let config = netvault::vault::load_config(v.path()).unwrap();
    let index = open(v);
    let all = index.contacts().unwrap();
    assert!(
        all.len() > PEOPLE / 2,
        "the vault's contacts are indexed: {}",
        all.len()
    );
    let names = Resolver::from_contacts(&all);
    let expected_leads = leads::count(&all, &names);
    assert!(expected_leads > 5, "the vault has leads to count: {expected_leads}");
    let mut loaded_fewer = false;
    for today in [
        date(2025, 8, 1),
        date(2026, 1, 15),
        date(2026, 6, 30),
        date(2026, 11, 30),
        date(2027, 9, 1),
    ] {
        for within in [0, 7, 30, 400] {
            let morning = index.morning(today, within).unwrap();
            let key = |items: Vec<followups::Item<'_>>| {
                items
                    .iter()
                    .map(|i| (i.contact.path.clone(), i.due.clone(), i.next().map(str::to_string)))
                    .collect::<Vec<_>>()
            };
            let want = key(followups::followups(&all, &config, today, within));
            let got = key(followups::followups(&morning.contacts, &config, today, within));
            assert_eq!(got, want, "followups on {today} within {within}d");
            assert_eq!(morning.tally, Tally::of(&all, today), "tally on {today}");
            assert_same_table(&config, &all, &morning.contacts, today, within);
            assert_eq!(morning.leads, expected_leads, "leads on {today}");
            loaded_fewer |= morning.contacts.len() < all.len() / 2;
        }
    }
    assert!(loaded_fewer, "some report loads fewer than half the contacts");
}

/// The morning table a [`followups::Choice`] keeps (the first `--limit` of the contacts
/// streaming past, the rest counted) is the table of every item.
fn assert_same_table(
    config: &netvault::config::VaultConfig,
    all: &[netvault::contact::Contact],
    streamed: &[netvault::contact::Contact],
    today: Date,
    within: i64,
) {
    let printer = netvault::output::Printer {
        color: false,
        quiet: false,
        width: Some(80),
    };
    let items = followups::followups(all, config, today, within);
    let listed = followups::Counts::of(&followups::morning(&items, today));
    for limit in [Some(0), Some(1), Some(12), None] {
        let left = followups::LeftOut::new(Tally::of(all, today), listed.dormant, &[], 3);
        let fit = followups::Fit { limit, width: 80 };
        let whole = followups::followups_table(&items, today, within, printer, fit, &left);
        let mut choice = followups::Choice::new(limit);
        for contact in streamed.iter().rev() {
            choice.offer(contact.clone(), config, today, within);
        }
        let chosen = choice.items(config, today, within);
        assert_eq!(choice.counts, listed, "counts on {today} within {within}d");
        let left = followups::LeftOut::new(Tally::of(all, today), choice.counts.dormant, &[], 3);
        let table = followups::chosen_table(&chosen, choice.counts, today, within, printer, 80, &left);
        assert_eq!(table, whole, "table on {today} within {within}d, limit {limit:?}");
    }
}

#[test]
fn the_morning_read_matches_the_rules_over_every_contact() {
    let v = vault();
    assert_eq!(v.run(&["index"]).code, 0);
    assert_same_answers(&v);
}

#[test]
fn edited_deleted_and_renamed_files_leave_no_trace_in_the_counts() {
    let v = vault();
    assert_eq!(v.run(&["index"]).code, 0);
    // Documents of deleted and replaced files stay in their segments (marked deleted) until a
    // merge: their labels and links must not count.
    let mut rng = Rng(7);
    for i in (0..PEOPLE).step_by(7) {
        std::fs::remove_file(v.join(&format!("people/{}.md", name(i)))).unwrap();
    }
    for i in (3..PEOPLE).step_by(11) {
        std::fs::write(v.join(&format!("people/{}.md", name(i))), contact(i + 1000, &mut rng)).unwrap();
    }
    std::fs::rename(v.join("people/Person 010.md"), v.join("people/Renamed Ten.md")).unwrap();
    std::fs::write(
        v.join("people/Broken One.md"),
        "---\nname: Broken One\n---\n[[Person 002]]\n",
    )
    .unwrap();
    assert_eq!(v.run(&["report"]).code, 0, "syncs the changes");
    assert_same_answers(&v);
}

#[test]
fn the_morning_report_counts_what_the_index_counts() {
    // Through the binary: the closing lines come from the columns.
    let v = TestVault::new()
        .file(
            "a.md",
            "---\nname: Ann\nstatus: dormant\n---\n- 2026-11-01: met [[Zoe Quinn]] and [[people/bob]]\n",
        )
        .file(
            "people/bob.md",
            "---\nname: Bob\nsnooze_until: 2026-12-20\nlast_contact: 2026-01-01\n---\n[[zoe  quinn]] [[Ann]]\n",
        )
        .file(
            "c.md",
            "---\nname: Cy\nstatus: dormant\nfollow_up: 2026-11-28\n---\n[[Nobody.md]]\n",
        );
    let out = v.run(&["report"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Cy"), "{}", out.stdout);
    assert!(out.stdout.contains("1 snoozed"), "{}", out.stdout);
    assert!(out.stdout.contains("1 dormant"), "{}", out.stdout);
    assert!(out.stdout.contains("2 leads waiting"), "{}", out.stdout);
}

#[test]
fn a_changed_cadence_in_the_config_is_seen_at_once() {
    // Each contact's earliest due day is stored with the cadences of the config: changing them
    // rebuilds the index, or the report would miss the people the new rhythm makes due.
    let v = TestVault::new()
        .config("[cadence]\ndefault = \"180d\"\n")
        .file("a.md", "---\nname: Ann Lee\nlast_contact: 2026-10-01\n---\n");
    let before = v.run(&["report", "--format", "json"]).json();
    assert_eq!(before["items"].as_array().unwrap().len(), 0, "{before}");
    std::fs::write(v.join(".netvault/config.toml"), "[cadence]\ndefault = \"30d\"\n").unwrap();
    let after = v.run(&["report", "--format", "json"]).json();
    assert_eq!(after["items"][0]["name"], "Ann Lee", "{after}");
}
