//! The tantivy schema: which contact values are searchable, how text is analysed, and how a
//! parsed contact becomes a document.
//!
//! Text is NFC-normalised before indexing and analysed with lower-casing and ASCII folding, so
//! `jose nunez` meets `José Núñez` whatever normal form the file used. Keyword fields (tags,
//! circles, status) hold the folded value as one token; the stem, name and alias keys hold
//! [`crate::resolve::key`], what NAME resolution compares.

use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, JsonObjectOptions, OwnedValue, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};
use unicode_normalization::UnicodeNormalization;

use crate::config::VaultConfig;
use crate::contact::Contact;
use crate::fold::fold;

/// Bump when the schema or the meaning of any stored value changes: older indexes are rebuilt.
pub const SCHEMA_VERSION: u32 = 18;

pub const TEXT_TOKENIZER: &str = "nv_text";
pub const KEY_TOKENIZER: &str = "nv_key";

/// Fields whose phrases are matched as "all words" (indexed without positions).
pub fn is_short(f: &Fields, field: Field) -> bool {
    [f.aliases, f.location, f.emails, f.met_at, f.intro, f.path_text].contains(&field)
}

/// Every field, by role.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Vault-relative path, as a fast column (for the stat diff).
    pub path: Field,
    /// A 64-bit hash of the path: the document's key for `delete_term` and lookups. Indexing
    /// the paths themselves would add a second copy of every path to the index.
    pub path_id: Field,
    /// `contact` or `other` (a file without front matter, kept for its stat). A file whose
    /// front matter has errors is a `contact` document too, findable by stem and body.
    pub kind: Field,
    /// `yes` on the document of a file whose front matter has errors (see [`broken_document`]).
    pub broken: Field,
    pub size: Field,
    pub mtime: Field,
    /// The parsed contact for reports (postcard bytes), without body and custom fields.
    pub facts: Field,
    pub path_text: Field,
    pub stem_key: Field,
    pub name_key: Field,
    pub alias_key: Field,
    pub name: Field,
    pub aliases: Field,
    pub org: Field,
    pub title: Field,
    pub location: Field,
    pub emails: Field,
    pub met_at: Field,
    pub intro: Field,
    /// `can_help_with`, interests and custom values: reached by bare words.
    pub misc: Field,
    pub body: Field,
    pub tags: Field,
    pub circles: Field,
    pub status: Field,
    pub custom: Field,
    /// `can_help_with` and `interests`, each its own field (`can_help_with:reference`).
    pub help: Field,
    pub interests: Field,
    /// The names of the contact's own keys (lower-cased), so that a query can tell a key
    /// nobody uses from a typo of a field (`orgg:`).
    pub keys: Field,
    /// Each phone number's digits, whole (matched by a part of them: `phone:555`).
    pub phones: Field,
    /// Days since 1970-01-01 (fast, for ranges).
    pub met: Field,
    pub follow_up: Field,
    /// The latest of `last_contact` and every log entry, future ones included: equal to the
    /// last contact whenever it is not after the query's today (see `search`).
    pub last_known: Field,
    /// What the morning report reads of every contact without loading its facts (see
    /// `index::morning`), on good contacts only: the status (0 active, 1 dormant, 2 archived),
    /// `snooze_until`, when it can fall due ([`crate::followup::DueBound`]: `due_from` and
    /// `settled`) and its birthday's month × 32 + day.
    pub state: Field,
    pub snooze: Field,
    pub due_from: Field,
    pub settled: Field,
    pub birthday: Field,
    /// The NAME keys of the name and every alias that differ from the stem's (that one comes
    /// from the path column), and those of the wikilinks in the notes (a link that may be a
    /// path, with its text as written, in `link_paths`): the leads count is the link keys no
    /// label has.
    pub labels: Field,
    pub links: Field,
    pub link_paths: Field,
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TEXT_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    // Names, organizations and titles are a few words each: BM25's length norm tells them
    // apart little, so they keep positions (for phrases) but store no norms.
    let phrase = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TEXT_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions)
            .set_fieldnorms(false),
    );
    // Keyword fields match or not: no frequencies, positions or length norms to store.
    let key = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(KEY_TOKENIZER)
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    );
    // Path words are matched as a set (`path:people/alumni` → both words), so their positions
    // and frequencies would only take space.
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TEXT_TOKENIZER)
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    );
    // Short fields (a place, an address, a few names): a phrase there is matched as "every word
    // in the field", so positions and length norms would only take space (SPEC §9 budgets the
    // index at half the vault).
    let short = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TEXT_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqs)
            .set_fieldnorms(false),
    );
    // Your own keys hold a few words each: no length norms (as for names).
    let json = JsonObjectOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TEXT_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions)
            .set_fieldnorms(false),
    );
    let fields = Fields {
        path: b.add_text_field("path", FAST),
        path_id: b.add_u64_field("path_id", INDEXED),
        kind: b.add_text_field("kind", STRING),
        broken: b.add_text_field("broken", STRING),
        size: b.add_u64_field("size", FAST),
        mtime: b.add_i64_field("mtime", FAST),
        facts: b.add_bytes_field("facts", STORED),
        path_text: b.add_text_field("path_text", words),
        stem_key: b.add_text_field("stem_key", key.clone()),
        name_key: b.add_text_field("name_key", key.clone()),
        alias_key: b.add_text_field("alias_key", key.clone()),
        name: b.add_text_field("name", phrase.clone()),
        aliases: b.add_text_field("aliases", short.clone()),
        org: b.add_text_field("org", phrase.clone()),
        title: b.add_text_field("title", phrase.clone()),
        location: b.add_text_field("location", short.clone()),
        emails: b.add_text_field("emails", short.clone()),
        met_at: b.add_text_field("met_at", short.clone()),
        intro: b.add_text_field("intro", short.clone()),
        misc: b.add_text_field("misc", phrase.clone()),
        body: b.add_text_field("body", text),
        tags: b.add_text_field("tags", key.clone()),
        circles: b.add_text_field("circles", key.clone()),
        status: b.add_text_field("status", key.clone()),
        custom: b.add_json_field("custom", json),
        help: b.add_text_field("help", phrase.clone()),
        interests: b.add_text_field("interests", phrase.clone()),
        keys: b.add_text_field("keys", key.clone()),
        phones: b.add_text_field("phones", key.clone()),
        // Range queries on fast fields read the column: no inverted index needed.
        met: b.add_i64_field("met", FAST),
        follow_up: b.add_i64_field("follow_up", FAST),
        last_known: b.add_i64_field("last_known", FAST),
        state: b.add_u64_field("state", FAST),
        snooze: b.add_i64_field("snooze", FAST),
        due_from: b.add_i64_field("due_from", FAST),
        settled: b.add_i64_field("settled", FAST),
        birthday: b.add_u64_field("birthday", FAST),
        labels: b.add_text_field("labels", FAST),
        links: b.add_text_field("links", FAST),
        link_paths: b.add_text_field("link_paths", FAST),
    };
    (b.build(), fields)
}

/// Register netvault's analysers on an index (they are not persisted by tantivy).
/// `language` is the config's stemming language (`none`: no stemming).
pub fn register_tokenizers(index: &tantivy::Index, language: &str) {
    let base = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter);
    let text = match stemmer_language(language) {
        Some(lang) => base.filter(Stemmer::new(lang)).build(),
        None => base.build(),
    };
    let key = TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    index.tokenizers().register(TEXT_TOKENIZER, text);
    index.tokenizers().register(KEY_TOKENIZER, key);
}

/// tantivy's stemmer for a config `language` name (see `config::LANGUAGES`).
fn stemmer_language(name: &str) -> Option<Language> {
    Some(match name {
        "arabic" => Language::Arabic,
        "danish" => Language::Danish,
        "dutch" => Language::Dutch,
        "english" => Language::English,
        "finnish" => Language::Finnish,
        "french" => Language::French,
        "german" => Language::German,
        "greek" => Language::Greek,
        "hungarian" => Language::Hungarian,
        "italian" => Language::Italian,
        "norwegian" => Language::Norwegian,
        "portuguese" => Language::Portuguese,
        "romanian" => Language::Romanian,
        "russian" => Language::Russian,
        "spanish" => Language::Spanish,
        "swedish" => Language::Swedish,
        "tamil" => Language::Tamil,
        "turkish" => Language::Turkish,
        _ => return None,
    })
}

/// Text as the index sees it: NFC, so combining accents fold like precomposed ones.
pub fn normalize(text: &str) -> String {
    // Most text is already NFC (all ASCII text is): the quick check skips the rewrite.
    if unicode_normalization::is_nfc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes {
        text.to_string()
    } else {
        text.nfc().collect()
    }
}

/// A path's id in the index: FNV-1a 64 ([`crate::hash::fnv1a64`]), stable across versions and
/// platforms because it is stored. Every update deletes a document by this id, so two paths
/// with one id would replace each other's documents: among a million paths that happens about
/// once in 30 million vaults (the birthday bound for 64 bits), and the next full sync repairs
/// it.
pub fn path_id(path: &str) -> u64 {
    crate::hash::fnv1a64(path.as_bytes())
}

/// The term that names a file's document.
pub fn path_term(f: &Fields, path: &str) -> tantivy::Term {
    tantivy::Term::from_field_u64(f.path_id, path_id(path))
}

/// Days since the Unix epoch, the integer form of dates in the index.
pub fn day_number(date: jiff::civil::Date) -> i64 {
    i64::from((date - jiff::civil::date(1970, 1, 1)).get_days())
}

/// A document for a file that is not a contact: only its key and stat, so the next sync does
/// not read it again until it changes.
pub fn other_document(f: &Fields, path: &str, size: u64, mtime: i64) -> TantivyDocument {
    base_document(f, path, "other", size, mtime)
}

fn base_document(f: &Fields, path: &str, kind: &str, size: u64, mtime: i64) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.path, path);
    doc.add_u64(f.path_id, path_id(path));
    doc.add_text(f.kind, kind);
    doc.add_u64(f.size, size);
    doc.add_i64(f.mtime, mtime);
    doc
}

/// The document of a file whose front matter has errors (SPEC §9: never silently missing): found
/// by its stem (NAME lookup, search) and by the words of its body, and its facts say where the
/// first error is. Reports leave it out of the contacts and name it instead.
pub fn broken_document(
    f: &Fields,
    path: &str,
    body: &str,
    error_line: usize,
    size: u64,
    mtime: i64,
) -> TantivyDocument {
    let mut doc = base_document(f, path, "contact", size, mtime);
    let stem = crate::contact::stem_of(path);
    let facts = Facts(Contact {
        path: path.to_string(),
        name: stem.clone(),
        front_matter_error: Some(error_line),
        ..Contact::default()
    });
    doc.add_bytes(f.facts, &facts.encode());
    doc.add_text(f.broken, "yes");
    doc.add_text(f.path_text, normalize(path));
    doc.add_text(f.stem_key, fold(&stem));
    doc.add_text(f.name_key, fold(&stem));
    doc.add_text(f.name, normalize(&stem));
    doc.add_text(f.body, normalize(body));
    doc
}

/// The document for a contact (`config` gives the cadences its earliest due day counts with).
pub fn contact_document(f: &Fields, contact: &Contact, config: &VaultConfig, size: u64, mtime: i64) -> TantivyDocument {
    let mut doc = base_document(f, &contact.path, "contact", size, mtime);
    add_morning_columns(f, &mut doc, contact, config);
    let facts = Facts::from_contact(contact);
    doc.add_bytes(f.facts, &facts.encode());
    doc.add_text(f.path_text, normalize(&contact.path));
    doc.add_text(f.stem_key, crate::resolve::key(&contact.stem));
    doc.add_text(f.name_key, crate::resolve::key(&contact.name));
    let add_all = |doc: &mut TantivyDocument, field: Field, values: &[String]| {
        for v in values {
            doc.add_text(field, normalize(v));
        }
    };
    for alias in &contact.aliases {
        doc.add_text(f.alias_key, crate::resolve::key(alias));
    }
    doc.add_text(f.name, normalize(&contact.name));
    add_all(&mut doc, f.aliases, &contact.aliases);
    for (field, value) in [
        (f.org, &contact.organization),
        (f.title, &contact.title),
        (f.location, &contact.location),
        (f.met_at, &contact.met_at),
    ] {
        if let Some(v) = value {
            doc.add_text(field, normalize(v));
        }
    }
    add_all(&mut doc, f.emails, &contact.emails);
    add_all(&mut doc, f.intro, &contact.introduced_by);
    add_all(&mut doc, f.help, &contact.can_help_with);
    add_all(&mut doc, f.interests, &contact.interests);
    for (_, values) in &contact.custom {
        add_all(&mut doc, f.misc, values);
    }
    for tag in &contact.tags {
        doc.add_text(f.tags, fold(tag));
    }
    for circle in &contact.circles {
        doc.add_text(f.circles, fold(circle));
    }
    doc.add_text(f.status, contact.status.as_str());
    doc.add_text(f.body, normalize(&contact.body));
    // Your own keys, each searchable by its name.
    let object: Vec<(String, OwnedValue)> = contact
        .custom
        .iter()
        .map(|(k, values)| {
            let key = k.to_lowercase();
            doc.add_text(f.keys, &key);
            (key, OwnedValue::Str(normalize(&values.join(" "))))
        })
        .collect();
    if !object.is_empty() {
        doc.add_field_value(f.custom, &OwnedValue::Object(object));
    }
    for phone in &contact.phones {
        let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
        if !digits.is_empty() {
            doc.add_text(f.phones, digits);
        }
    }
    if let Some(met) = contact.met {
        doc.add_i64(f.met, day_number(met));
    }
    if let Some(follow_up) = contact.follow_up {
        doc.add_i64(f.follow_up, day_number(follow_up));
    }
    if let Some(last) = contact.log.iter().map(|e| e.date).chain(contact.last_contact).max() {
        doc.add_i64(f.last_known, day_number(last));
    }
    doc
}

/// The columns `index::morning` reads instead of the facts.
fn add_morning_columns(f: &Fields, doc: &mut TantivyDocument, contact: &Contact, config: &VaultConfig) {
    doc.add_u64(f.state, state_code(contact.status));
    if let Some(until) = contact.snooze_until {
        doc.add_i64(f.snooze, day_number(until));
    }
    let bound = crate::followup::due_bound(contact, config);
    if let Some(from) = bound.earliest {
        // `Date::MIN` (due any day) is a day number too: a column of nearby numbers packs in
        // a few bits each, one `i64::MIN` would make every value take 64.
        doc.add_i64(f.due_from, day_number(from));
    }
    if let Some(settled) = bound.settled {
        doc.add_i64(f.settled, day_number(settled));
    }
    if let Some(b) = contact.birthday {
        doc.add_u64(f.birthday, birthday_code(b.month, b.day));
    }
    let stem = crate::resolve::key(&contact.stem);
    let mut labels: Vec<String> = std::iter::once(&contact.name)
        .chain(&contact.aliases)
        .map(|label| crate::resolve::key(label))
        .filter(|label| *label != stem)
        .collect();
    labels.sort_unstable();
    labels.dedup();
    for label in labels {
        doc.add_text(f.labels, label);
    }
    let mut links: Vec<String> = Vec::new();
    let mut paths: Vec<&str> = Vec::new();
    for target in &contact.wikilinks {
        if crate::resolve::link_may_be_path(target) {
            paths.push(target.trim());
        } else {
            links.push(crate::resolve::key(target));
        }
    }
    links.sort_unstable();
    links.dedup();
    paths.sort_unstable();
    paths.dedup();
    for link in links {
        doc.add_text(f.links, link);
    }
    for path in paths {
        doc.add_text(f.link_paths, path);
    }
}

pub fn state_code(status: crate::contact::Status) -> u64 {
    match status {
        crate::contact::Status::Active => 0,
        crate::contact::Status::Dormant => 1,
        crate::contact::Status::Archived => 2,
    }
}

pub fn status_of(code: u64) -> crate::contact::Status {
    match code {
        0 => crate::contact::Status::Active,
        1 => crate::contact::Status::Dormant,
        _ => crate::contact::Status::Archived,
    }
}

/// A month and day as one small number (the birthday column).
pub fn birthday_code(month: i8, day: i8) -> u64 {
    u64::from(month.unsigned_abs()) * 32 + u64::from(day.unsigned_abs())
}

/// What reports need of a contact, stored with its document. Reports read every contact's facts,
/// so they carry only what the follow-up rules, the reports and the result tables use: no body,
/// no custom fields, no contact details, no finished tasks, and the text of only the newest log
/// entries (dates and tags of all of them stay), with only the first sentence of their notes
/// (the report's "last time: …").
#[derive(Debug, Clone, PartialEq)]
pub struct Facts(pub Contact);

/// Log entries whose text is kept in the facts (the newest; the report shows the last one even
/// when the newest is dated in the future).
const KEPT_ENTRY_TEXTS: usize = 1;

impl Facts {
    pub fn from_contact(contact: &Contact) -> Self {
        let mut c = Contact {
            path: contact.path.clone(),
            name: contact.name.clone(),
            aliases: contact.aliases.clone(),
            organization: contact.organization.clone(),
            title: contact.title.clone(),
            circles: contact.circles.clone(),
            met: contact.met,
            met_at: contact.met_at.clone(),
            introduced_by: contact.introduced_by.clone(),
            cadence: contact.cadence.clone(),
            follow_up: contact.follow_up,
            last_contact: contact.last_contact,
            birthday: contact.birthday,
            status: contact.status,
            snooze_until: contact.snooze_until,
            connected: contact.connected,
            log: contact.log.clone(),
            // Open tasks with a date (reminders), and the first open one without (the `next`
            // line's fallback): the others only `show` lists, from the file.
            tasks: {
                let mut undated_kept = false;
                contact
                    .tasks
                    .iter()
                    .filter(|t| !t.done)
                    .filter(|t| t.due.is_some() || !std::mem::replace(&mut undated_kept, true))
                    .cloned()
                    .collect()
            },
            wikilinks: contact.wikilinks.clone(),
            front_matter_error: contact.front_matter_error,
            ..Contact::default()
        };
        let mut newest: Vec<usize> = (0..c.log.len()).collect();
        newest.sort_by_key(|&i| std::cmp::Reverse(c.log[i].date));
        for &i in newest.iter().skip(KEPT_ENTRY_TEXTS) {
            c.log[i].text.clear();
            c.log[i].note.clear();
        }
        // The note (what the conversation brought) only of the newest entry, and only its first
        // sentence: all "last time: …" shows. The index must stay within half the vault.
        for (rank, &i) in newest.iter().take(KEPT_ENTRY_TEXTS).enumerate() {
            if rank == 0 {
                let first = crate::body::first_sentence(&c.log[i].note).len();
                c.log[i].note.truncate(first);
            } else {
                c.log[i].note.clear();
            }
        }
        // Reports never point at a log or task line (tasks keep their file order); zeros
        // compress to almost nothing.
        for entry in &mut c.log {
            entry.line = 0;
        }
        for task in &mut c.tasks {
            task.line = 0;
        }
        Self(c)
    }

    pub fn encode(&self) -> Vec<u8> {
        // Plain data with derived `Serialize` (every sequence knows its length): postcard writes
        // it into a growing `Vec`, which cannot fail. An empty result would make the contact
        // vanish from every report, so a failure here is a bug to hear about, not to hide.
        postcard::to_stdvec(&self.0).expect("stored facts are plain data that postcard always encodes")
    }

    /// The stem is not stored: it is the path's file name.
    pub fn decode(bytes: &[u8]) -> Result<Contact, postcard::Error> {
        let mut contact: Contact = postcard::from_bytes(bytes)?;
        contact.stem = crate::contact::stem_of(&contact.path);
        Ok(contact)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_round_trip() {
        let parsed = crate::contact::parse_file(
            "people/A.md",
            "---\nname: A\ncadence: quarterly\nbirthday: \"05-17\"\nfollow_up: 2026-12-01\nsnooze_until: 2026-12-10\nconnected: 2021-03-15\nmood: calm\n---\n- 2026-01-01: hi #info\n- [ ] call 📅 2026-12-02\n".as_bytes(),
            &std::collections::BTreeMap::new(),
        );
        let contact = parsed.contact.unwrap();
        let facts = Facts::from_contact(&contact);
        let back = Facts::decode(&facts.encode()).unwrap();
        let mut expected = facts.0.clone();
        expected.stem = "A".into();
        assert_eq!(back, expected);
        assert_eq!(back.cadence.unwrap().to_string(), "quarterly");
        assert_eq!(back.log[0].tags, ["info"]);
        assert_eq!(back.snooze_until, Some(jiff::civil::date(2026, 12, 10)));
        assert_eq!(back.connected, Some(jiff::civil::date(2021, 3, 15)));
    }

    #[test]
    fn day_numbers() {
        assert_eq!(day_number(jiff::civil::date(1970, 1, 2)), 1);
        assert_eq!(day_number(jiff::civil::date(1969, 12, 31)), -1);
    }
}
