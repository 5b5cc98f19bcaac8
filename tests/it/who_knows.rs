//! `who-knows` through the real binary (SPEC §6): someone you know directly is never reached
//! through someone else, someone you are not in touch with is reached through a chain, and
//! every match says why it matched (the field and its words), in the table and in JSON.

use crate::common::TestVault;
use serde_json::{Value, json};

fn contact(front: &str, body: &str) -> String {
    format!("---\n{front}---\n{body}")
}

/// You talk to Beatriz often; Walter, your neighbour, introduced her and you last saw him in
/// July (more than 90 days, less than a year ago); Rosa, whom Beatriz introduced, you last saw
/// in 2024; Nell is at Texas State Library and nobody links to her.
fn vault() -> TestVault {
    TestVault::new()
        .file(
            "Beatriz Salgado.md",
            contact(
                "name: Beatriz Salgado\norganization: Texas Commission on Rivers\nintroduced_by: \"[[Walter Pruitt]]\"\n",
                "## Log\n- 2026-11-20: coffee about records jobs\n",
            ),
        )
        .file(
            "Walter Pruitt.md",
            contact(
                "name: Walter Pruitt\norganization: Permian Basin Petroleum Co.\ninterests: [tomatoes]\nlast_contact: 2026-07-01\n",
                "Lives two doors down and grows tomatoes.\n",
            ),
        )
        .file(
            "Rosa Diaz.md",
            contact(
                "name: Rosa Diaz\norganization: Gulf Coast Archives\nintroduced_by: \"[[Beatriz Salgado]]\"\nlast_contact: 2024-03-01\ncan_help_with: [reference letters]\n",
                "Ran the county archives for a decade; knows every archivist in Houston.\n",
            ),
        )
        .file(
            "Nell Park.md",
            contact(
                "name: Nell Park\norganization: Texas State Library\nalma_mater: Rice University\n",
                "",
            ),
        )
}

fn target<'a>(json: &'a Value, name: &str) -> &'a Value {
    json["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("{name} is not a target: {json}"))
}

fn chain(t: &Value) -> Vec<&str> {
    t["chain"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect()
}

#[test]
fn someone_you_know_within_a_year_is_known_directly_not_through_a_chain() {
    let v = vault();
    let (out, json) = v.json(&["who-knows", "tomatoes", "--format", "json"]);
    assert_eq!(out.code, 0, "{out}");
    let walter = target(&json, "Walter Pruitt");
    assert_eq!(walter["direct"], true, "{json}");
    assert_eq!(walter["in_touch"], false, "149 days is not in touch (90 days): {json}");
    assert_eq!(chain(walter), ["Walter Pruitt"], "a chain of one: {json}");
    let text = v.run(&["who-knows", "tomatoes"]).stdout;
    assert!(text.contains("you know them directly"), "{text}");
    assert!(!text.contains("Beatriz Salgado → Walter Pruitt"), "{text}");
}

#[test]
fn someone_not_in_touch_is_reached_through_introduced_by() {
    let v = vault();
    let (out, json) = v.json(&["who-knows", "archives", "--format", "json"]);
    assert_eq!(out.code, 0, "{out}");
    let rosa = target(&json, "Rosa Diaz");
    assert_eq!(rosa["direct"], false, "last contact in 2024: {json}");
    assert_eq!(chain(rosa), ["Beatriz Salgado", "Rosa Diaz"], "{json}");
    let text = v.run(&["who-knows", "archives"]).stdout;
    assert!(text.contains("   Beatriz Salgado → Rosa Diaz\n"), "{text}");
}

#[test]
fn an_organization_match_names_the_organization() {
    let v = vault();
    let (_, json) = v.json(&["who-knows", "texas", "state", "--format", "json"]);
    let nell = target(&json, "Nell Park");
    assert_eq!(
        nell["matched"],
        json!([{"field": "organization", "words": "Texas State Library"}]),
        "{json}"
    );
    assert_eq!(nell["direct"], false);
    assert_eq!(chain(nell), Vec::<&str>::new(), "nobody links to Nell: {json}");
    let text = v.run(&["who-knows", "texas", "state"]).stdout;
    assert!(
        text.contains("   matched organization: Texas State Library\n"),
        "{text}"
    );
    assert!(text.contains("   no path yet: ask around\n"), "{text}");
}

#[test]
fn a_notes_match_quotes_the_words_around_it() {
    let v = vault();
    // Stemmed as the search is: `archivists` finds "archivist".
    let (_, json) = v.json(&["who-knows", "archivists", "--format", "json"]);
    let rosa = target(&json, "Rosa Diaz");
    assert_eq!(
        rosa["matched"],
        json!([{"field": "notes", "words": "…decade; knows every archivist in Houston."}]),
        "{json}"
    );
    let text = v.run(&["who-knows", "archivists"]).stdout;
    assert!(
        text.contains("   matched notes: …decade; knows every archivist in Houston.\n"),
        "{text}"
    );
}

#[test]
fn can_help_with_and_custom_matches_name_their_key() {
    let v = vault();
    let (_, json) = v.json(&["who-knows", "reference letters", "--format", "json"]);
    let rosa = target(&json, "Rosa Diaz");
    assert_eq!(
        rosa["matched"],
        json!([{"field": "can help with", "words": "reference letters"}]),
        "{json}"
    );
    let (_, json) = v.json(&["who-knows", "rice", "--format", "json"]);
    let nell = target(&json, "Nell Park");
    assert_eq!(
        nell["matched"],
        json!([{"field": "alma_mater", "words": "Rice University"}]),
        "{json}"
    );
    let text = v.run(&["who-knows", "alma_mater:rice"]).stdout;
    assert!(text.contains("   matched alma_mater: Rice University\n"), "{text}");
}
