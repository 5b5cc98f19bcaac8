//! The one NAME resolver (SPEC §2): a command's argument, a `[[wikilink]]`, an `introduced_by`
//! value or an imported person's name → the contacts it names. Pure: the contacts' identities
//! (path, stem, `name`, aliases) come in, a [`Resolution`] goes out.
//!
//! The steps, in order; the first that finds anything decides, and several contacts found
//! there make the NAME ambiguous:
//! 1. a path relative to the vault root, with or without `.md` (the adapter turns absolute and
//!    working-directory paths into vault-relative ones and passes them as [`Name::path`]);
//! 2. a file stem, `name` or alias equal to the NAME under [`key`] (case, accents, runs of
//!    spaces, typographic apostrophes and dashes ignored);
//! 3. for command arguments only ([`Usage::Command`]): a word-prefix match. Every word of the
//!    NAME starts a different word of one label (the stem, the name, or one alias), in any
//!    order: `walter` → Walter Pruitt, `j nun` and `nun j` → José Núñez. Words are runs of
//!    letters, digits and apostrophes, so `o'b` starts `O'Brien` and `luc` starts `Jean-Luc`.
//!
//! Nothing found: [`Resolver::suggest`] gives up to three contacts by edit distance.
//!
//! The index answers command arguments without loading every contact: it fetches the
//! candidates each step could find and lets this module decide (`index::lookup`). Reports,
//! `validate` and imports build one [`Resolver`] over the whole vault.

// foldhash, not SipHash: a report builds one resolver over every name of the vault, and
// hashing was a tenth of its time; the seed is still random per process.
use foldhash::{HashMap, HashMapExt as _};

use crate::contact::Contact;
use crate::fold::fold;

/// How many "did you mean" suggestions a miss gets.
pub const SUGGESTIONS: usize = 3;

/// What a NAME is compared by: [`fold`]ed (case and accents), typographic apostrophes and
/// dashes read as ASCII, whitespace runs as one space, trimmed.
pub fn key(text: &str) -> String {
    let folded = fold(text);
    // Most names are plain ASCII with single spaces: nothing more to do (a report builds a key
    // for every stem, name and alias of the vault).
    let plain = folded.is_ascii()
        && !folded.starts_with(' ')
        && !folded.ends_with(' ')
        && !folded.contains("  ")
        && !folded.bytes().any(|b| b.is_ascii_whitespace() && b != b' ');
    if plain {
        return folded;
    }
    let typed: String = folded
        .chars()
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '\u{02bc}' | '\u{2032}' => '\'',
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' => '-',
            c => c,
        })
        .collect();
    typed.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The words of a [`key`]: runs of letters, digits and apostrophes.
pub fn words(key: &str) -> Vec<&str> {
    key.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Where a NAME comes from, which decides whether prefixes count (step 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usage {
    /// A command's NAME argument: steps 1–3.
    Command,
    /// A wikilink, `introduced_by`, an import's name match, `add`'s duplicate check: steps 1–2.
    Link,
}

/// A NAME to resolve: the text as written, and the vault-relative path it names on disk when
/// the adapter found one (an absolute or working-directory path inside the vault).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Name {
    pub text: String,
    pub path: Option<String>,
}

impl Name {
    pub fn new(text: &str) -> Self {
        Self {
            text: text.trim().to_string(),
            path: None,
        }
    }

    #[must_use]
    pub fn with_path(mut self, path: Option<String>) -> Self {
        self.path = path;
        self
    }

    /// The vault-relative paths step 1 tries: the adapter's, then the text read as one; each
    /// with `.md` added unless it has it.
    pub fn paths(&self) -> Vec<String> {
        let mut out = Vec::new();
        for p in self.path.iter().chain(std::iter::once(&self.text)) {
            let p = p.replace('\\', "/");
            let mut p = p.trim();
            while let Some(rest) = p.strip_prefix("./") {
                p = rest;
            }
            if p.is_empty() {
                continue;
            }
            let has_md = p.len() > 3 && p.is_char_boundary(p.len() - 3) && p[p.len() - 3..].eq_ignore_ascii_case(".md");
            if !has_md {
                out.push(format!("{p}.md"));
            }
            out.push(p.to_string());
        }
        out
    }
}

/// One contact's identity, borrowed from wherever the contacts live.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub path: &'a str,
    pub stem: &'a str,
    pub name: &'a str,
    pub aliases: &'a [String],
}

impl<'a> From<&'a Contact> for Entry<'a> {
    fn from(c: &'a Contact) -> Self {
        Self {
            path: &c.path,
            stem: &c.stem,
            name: &c.name,
            aliases: &c.aliases,
        }
    }
}

impl<'a> Entry<'a> {
    /// The stem, the name and every alias.
    fn labels(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        [self.stem, self.name]
            .into_iter()
            .chain(self.aliases.iter().map(String::as_str))
    }
}

/// The outcome for one NAME; numbers are positions in the entries the [`Resolver`] was built
/// from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    Found(usize),
    /// Several contacts at the first step that found any, in path order.
    Ambiguous(Vec<usize>),
    Missing,
}

impl Resolution {
    /// The contact, when exactly one.
    pub fn found(&self) -> Option<usize> {
        match self {
            Resolution::Found(i) => Some(*i),
            _ => None,
        }
    }

    /// Every contact named: one, several, or none.
    pub fn all(&self) -> Vec<usize> {
        match self {
            Resolution::Found(i) => vec![*i],
            Resolution::Ambiguous(v) => v.clone(),
            Resolution::Missing => Vec::new(),
        }
    }
}

/// The lookup tables over a set of contacts, built once.
pub struct Resolver<'a> {
    entries: Vec<Entry<'a>>,
    paths: HashMap<&'a str, usize>,
    keys: HashMap<String, Ids>,
}

/// The contacts one key names: almost always one, so no list is allocated for it.
#[derive(Debug, Clone)]
enum Ids {
    One(usize),
    Many(Vec<usize>),
}

impl Ids {
    fn push(&mut self, i: usize) {
        match self {
            Ids::One(first) if *first != i => *self = Ids::Many(vec![*first, i]),
            Ids::Many(list) if list.last() != Some(&i) => list.push(i),
            _ => {}
        }
    }

    fn to_vec(&self) -> Vec<usize> {
        match self {
            Ids::One(i) => vec![*i],
            Ids::Many(list) => list.clone(),
        }
    }
}

impl<'a> Resolver<'a> {
    pub fn new(entries: impl IntoIterator<Item = Entry<'a>>) -> Self {
        use rayon::prelude::*;
        let entries: Vec<Entry<'a>> = entries.into_iter().collect();
        // Folding every stem, name and alias is most of the work on a large vault (a report
        // builds one resolver over all of it): done on every core, inserted in order.
        let labels: Vec<Vec<String>> = entries.par_iter().map(|e| e.labels().map(key).collect()).collect();
        let mut paths = HashMap::with_capacity(entries.len());
        let mut keys: HashMap<String, Ids> = HashMap::with_capacity(entries.len() * 2);
        for (i, (e, labels)) in entries.iter().zip(labels).enumerate() {
            paths.entry(e.path).or_insert(i);
            for k in labels {
                keys.entry(k).and_modify(|ids| ids.push(i)).or_insert(Ids::One(i));
            }
        }
        Self { entries, paths, keys }
    }

    pub fn from_contacts(contacts: &'a [Contact]) -> Self {
        Self::new(contacts.iter().map(Entry::from))
    }

    pub fn entry(&self, i: usize) -> Entry<'a> {
        self.entries[i]
    }

    /// A link's target (steps 1–2), when it names exactly one contact.
    pub fn link(&self, text: &str) -> Option<usize> {
        self.resolve(&Name::new(text), Usage::Link).found()
    }

    pub fn resolve(&self, name: &Name, usage: Usage) -> Resolution {
        let by_path: Vec<usize> = name
            .paths()
            .iter()
            .filter_map(|p| self.paths.get(p.as_str()).copied())
            .collect();
        if !by_path.is_empty() {
            return self.outcome(by_path);
        }
        let k = key(&name.text);
        if let Some(ids) = self.keys.get(&k) {
            return self.outcome(ids.to_vec());
        }
        if usage == Usage::Link {
            return Resolution::Missing;
        }
        let query = words(&k);
        if query.is_empty() {
            return Resolution::Missing;
        }
        let found: Vec<usize> = (0..self.entries.len())
            .filter(|&i| {
                self.entries[i]
                    .labels()
                    .any(|label| starts_words(&query, &words(&key(label))))
            })
            .collect();
        self.outcome(found)
    }

    fn outcome(&self, mut found: Vec<usize>) -> Resolution {
        found.sort_by(|&a, &b| self.entries[a].path.cmp(self.entries[b].path));
        found.dedup();
        match found.as_slice() {
            [] => Resolution::Missing,
            [one] => Resolution::Found(*one),
            _ => Resolution::Ambiguous(found),
        }
    }

    /// Up to [`SUGGESTIONS`] contacts whose stem, name or alias is closest to `text` by
    /// [`distance`] (within [`near_enough`]), closest first, then by path.
    pub fn suggest(&self, text: &str) -> Vec<usize> {
        let k = key(text);
        let mut scored: Vec<(usize, &str, usize)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let d = e.labels().map(|label| distance(&k, &key(label))).min()?;
                near_enough(&k, d).then_some((d, e.path, i))
            })
            .collect();
        scored.sort_unstable();
        scored.into_iter().take(SUGGESTIONS).map(|(_, _, i)| i).collect()
    }
}

/// Whether step 1 (paths) can find a contact for this link that step 2 (keys) cannot: a text
/// with a folder, or naming a `.md` file. Any other text `T` can only be the path `T.md` at
/// the root, whose stem `T` has the same key. An index that keeps the keys of links needs the
/// text of only these.
pub fn link_may_be_path(text: &str) -> bool {
    let t = text.trim();
    t.contains(['/', '\\'])
        || (t.len() > 3 && t.is_char_boundary(t.len() - 3) && t[t.len() - 3..].eq_ignore_ascii_case(".md"))
}

/// Whether a link names nobody (steps 1–2 of [`Resolver::resolve`] for [`Usage::Link`]), for
/// an adapter that holds the vault's contact paths and label keys rather than its contacts.
pub fn link_names_nobody(
    text: &str,
    is_contact_path: impl Fn(&str) -> bool,
    is_label_key: impl Fn(&str) -> bool,
) -> bool {
    let name = Name::new(text);
    !name.paths().iter().any(|p| is_contact_path(p)) && !is_label_key(&key(&name.text))
}

/// Whether the query (a [`key`]) names `label` by word prefixes (step 3).
pub fn starts(query: &str, label: &str) -> bool {
    let query = words(query);
    !query.is_empty() && starts_words(&query, &words(&key(label)))
}

/// Whether every query word is a prefix of a different word of the label. The words a query
/// word can take all start with it, so two query words' choices are either nested (one starts
/// with the other) or disjoint: giving the longest query words their first free word first
/// never blocks a shorter one that could have succeeded otherwise.
fn starts_words(query: &[&str], label: &[&str]) -> bool {
    if query.len() > label.len() {
        return false;
    }
    let mut order: Vec<&str> = query.to_vec();
    order.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let mut taken = vec![false; label.len()];
    order.iter().all(|q| {
        let free = (0..label.len()).find(|&j| !taken[j] && label[j].starts_with(q));
        free.inspect(|&j| taken[j] = true).is_some()
    })
}

/// The edit distance (optimal string alignment) between two [`key`]s; a one-word query is
/// also compared with each word of the label, so `waltr` is near `Walter Pruitt`.
pub fn distance(query: &str, label: &str) -> usize {
    let whole = strsim::osa_distance(query, label);
    if query.contains(' ') {
        return whole;
    }
    words(label)
        .into_iter()
        .map(|w| strsim::osa_distance(query, w))
        .fold(whole, usize::min)
}

/// A suggestion is worth showing when at most a third of the query (at least one character)
/// would have to change.
pub fn near_enough(query: &str, distance: usize) -> bool {
    distance <= (query.chars().count() / 3).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(path: &str, name: &str, aliases: &[&str]) -> Contact {
        Contact {
            path: path.into(),
            stem: crate::contact::stem_of(path),
            name: name.into(),
            aliases: aliases.iter().map(ToString::to_string).collect(),
            ..Contact::default()
        }
    }

    fn vault() -> Vec<Contact> {
        vec![
            contact("people/Walter Pruitt.md", "Walter Pruitt", &[]),
            contact("people/José Núñez.md", "José Núñez", &["Pepe"]),
            contact("Kevin O'Brien.md", "Kevin O'Brien", &[]),
            contact("a/Sam Lee.md", "Sam Lee", &[]),
            contact("b/Sam Lee.md", "Samuel Lee", &[]),
            contact("Jean-Luc Picard.md", "Jean\u{2011}Luc Picard", &["JL"]),
            contact("people/ruth.md", "Ruth Quirk", &[]),
            contact("Ruth Quirke.md", "Ruth Quirke", &[]),
        ]
    }

    /// What a NAME resolves to, as paths: one path, `a | b` when ambiguous, `-` when missing.
    fn show(contacts: &[Contact], name: &Name, usage: Usage) -> String {
        let r = Resolver::from_contacts(contacts);
        match r.resolve(name, usage) {
            Resolution::Found(i) => contacts[i].path.clone(),
            Resolution::Ambiguous(v) => v
                .iter()
                .map(|&i| contacts[i].path.as_str())
                .collect::<Vec<_>>()
                .join(" | "),
            Resolution::Missing => "-".into(),
        }
    }

    #[test]
    fn resolves_names_in_the_order_of_the_spec() {
        let contacts = vault();
        let cmd = Usage::Command;
        let link = Usage::Link;
        // (NAME as typed, the adapter's vault-relative path, usage, expected)
        let table: &[(&str, Option<&str>, Usage, &str)] = &[
            // Step 1: paths, vault-relative, with or without `.md`, `./` and `\`.
            ("people/Walter Pruitt.md", None, cmd, "people/Walter Pruitt.md"),
            ("people/Walter Pruitt", None, link, "people/Walter Pruitt.md"),
            ("./people\\ruth", None, cmd, "people/ruth.md"),
            ("a/Sam Lee", None, link, "a/Sam Lee.md"),
            // ... absolute or working-directory paths arrive converted by the adapter.
            ("/home/u/vault/b/Sam Lee.md", Some("b/Sam Lee.md"), cmd, "b/Sam Lee.md"),
            ("../b/Sam Lee.md", Some("b/Sam Lee.md"), link, "b/Sam Lee.md"),
            ("Sam Lee", Some("b/Sam Lee"), cmd, "b/Sam Lee.md"),
            // A path wins over a name: `ruth` is a stem, `people/ruth` a path.
            ("people/ruth", None, cmd, "people/ruth.md"),
            // Step 2: stem, name, alias; case, accents, typography, spaces.
            ("walter pruitt", None, link, "people/Walter Pruitt.md"),
            ("JOSE NUNEZ", None, link, "people/José Núñez.md"),
            ("Jose\u{301} Nu\u{303}n\u{303}ez", None, link, "people/José Núñez.md"),
            ("pepe", None, link, "people/José Núñez.md"),
            ("Kevin O\u{2019}Brien", None, link, "Kevin O'Brien.md"),
            ("kevin  o\u{2018}brien ", None, link, "Kevin O'Brien.md"),
            ("Jean-Luc Picard", None, link, "Jean-Luc Picard.md"),
            ("jean\u{2013}luc picard", None, link, "Jean-Luc Picard.md"),
            ("ruth", None, link, "people/ruth.md"),
            ("Ruth Quirk", None, link, "people/ruth.md"),
            ("samuel lee", None, link, "b/Sam Lee.md"),
            // Several at step 2: ambiguous (stem of one, stem of the other).
            ("Sam Lee", None, cmd, "a/Sam Lee.md | b/Sam Lee.md"),
            ("sam lee", None, link, "a/Sam Lee.md | b/Sam Lee.md"),
            // An exact name at step 2 is not ambiguous with prefixes of others (step 3).
            ("Ruth Quirk", None, cmd, "people/ruth.md"),
            // Step 3: word prefixes, commands only, any order, distinct words.
            ("walter", None, cmd, "people/Walter Pruitt.md"),
            ("walter", None, link, "-"),
            ("j nun", None, cmd, "people/José Núñez.md"),
            ("nun j", None, cmd, "people/José Núñez.md"),
            ("kev o'b", None, cmd, "Kevin O'Brien.md"),
            ("kev o\u{2019}b", None, cmd, "Kevin O'Brien.md"),
            ("luc", None, cmd, "Jean-Luc Picard.md"),
            ("pic jean", None, cmd, "Jean-Luc Picard.md"),
            ("sam", None, cmd, "a/Sam Lee.md | b/Sam Lee.md"),
            ("samu", None, cmd, "b/Sam Lee.md"),
            ("ruth q", None, cmd, "Ruth Quirke.md | people/ruth.md"),
            // One query word cannot use one name word twice.
            ("l l", None, cmd, "-"),
            ("walter walter", None, cmd, "-"),
            // Nothing.
            ("waltr", None, cmd, "-"),
            ("", None, cmd, "-"),
            ("people/Nobody", None, cmd, "-"),
        ];
        for &(text, path, usage, expected) in table {
            let name = Name::new(text).with_path(path.map(str::to_string));
            assert_eq!(
                show(&contacts, &name, usage),
                expected,
                "{text:?} ({path:?}, {usage:?})"
            );
        }
    }

    #[test]
    fn suggests_the_closest_by_edit_distance() {
        let contacts = vault();
        let r = Resolver::from_contacts(&contacts);
        let paths =
            |text: &str| -> Vec<&str> { r.suggest(text).into_iter().map(|i| contacts[i].path.as_str()).collect() };
        assert_eq!(paths("waltr"), ["people/Walter Pruitt.md"]);
        assert_eq!(paths("Walter Pruit"), ["people/Walter Pruitt.md"]);
        assert_eq!(paths("Jose Nunes"), ["people/José Núñez.md"]);
        assert_eq!(paths("Ruth Quirq"), ["people/ruth.md", "Ruth Quirke.md"]);
        // At most three, closest first.
        assert_eq!(paths("Sam Le"), ["a/Sam Lee.md", "b/Sam Lee.md"]);
        assert!(paths("zzzzzz").is_empty());
        let many: Vec<Contact> = (0..6)
            .map(|i| contact(&format!("Amy {i}.md"), &format!("Amy {i}"), &[]))
            .collect();
        let r = Resolver::from_contacts(&many);
        assert_eq!(r.suggest("Amy 9").len(), SUGGESTIONS);
    }

    #[test]
    fn keys_fold_case_accents_typography_and_spaces() {
        assert_eq!(key("  Kevin   O\u{2019}Brien "), "kevin o'brien");
        assert_eq!(key("Jean\u{2010}Luc \u{2013} Núñez"), "jean-luc - nunez");
        assert_eq!(words("jean-luc o'brien 2"), ["jean", "luc", "o'brien", "2"]);
    }

    #[test]
    fn prefix_assignment_gives_each_query_word_its_own_word() {
        assert!(starts_words(&["j", "jo"], &["jo", "j"]));
        assert!(starts_words(&["j", "jo"], &["jx", "jo"]));
        assert!(!starts_words(&["j", "jo"], &["jo"]));
        assert!(!starts_words(&["jo", "jo"], &["jo", "j"]));
    }

    #[test]
    fn links_by_paths_and_keys_alone_agree_with_the_resolver() {
        use std::collections::HashSet;
        let contacts = vault();
        let resolver = Resolver::from_contacts(&contacts);
        let paths: HashSet<&str> = contacts.iter().map(|c| c.path.as_str()).collect();
        let keys: HashSet<String> = contacts
            .iter()
            .flat_map(|c| {
                [c.stem.as_str(), c.name.as_str()]
                    .into_iter()
                    .chain(c.aliases.iter().map(String::as_str))
            })
            .map(key)
            .collect();
        let texts = [
            "people/Walter Pruitt",
            "people/Walter Pruitt.md",
            "./people\\ruth",
            "a/Sam Lee",
            "walter pruitt",
            "JOSE NUNEZ",
            "pepe",
            "ruth",
            "ruth.md",
            "people/ruth.MD",
            "Nobody",
            "elsewhere/ruth",
            "Sam Lee",
            "Kevin O\u{2019}Brien",
            "kevin o'brien.md",
            "  ruth  ",
            "b/Sam Lee.md",
        ];
        for text in texts {
            let missing = resolver.resolve(&Name::new(text), Usage::Link) == Resolution::Missing;
            let nobody = link_names_nobody(text, |p| paths.contains(p), |k| keys.contains(k));
            assert_eq!(nobody, missing, "{text:?}");
            // A text that cannot be a path resolves by its key alone.
            if !link_may_be_path(text) {
                assert_eq!(!keys.contains(&key(text)), missing, "{text:?} by key");
            }
        }
        assert!(link_may_be_path("a/b") && link_may_be_path("a\\b") && link_may_be_path("x.Md"));
        assert!(!link_may_be_path("Dr. No") && !link_may_be_path("md") && !link_may_be_path(".md"));
    }
}
