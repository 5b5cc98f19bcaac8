//! What the morning report needs from the index, without decoding every contact's facts: the
//! facts of only the contacts that can be due within the window, the counts of its closing lines
//! and the number of leads waiting, all from fast columns (see `schema::add_morning_columns`).
//!
//! Each answer is the one the reports compute from every contact's facts
//! ([`followup::Tally::of`], [`crate::report::leads::count`]); `tests/it/morning.rs` holds them
//! side by side on vaults with deleted, broken, snoozed and path-linked contacts.

use jiff::civil::Date;
use rayon::prelude::*;
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, SegmentReader};

use super::{Index, index_error, schema};
use crate::contact::Contact;
use crate::error::Result;
use crate::followup::{self, Tally};
use crate::resolve::{Name, key, link_names_nobody};

/// The morning report's share of the index.
pub struct Morning {
    /// The facts of every contact that can be due by the end of the window (more than are
    /// due: the report's rules decide), in index order.
    pub contacts: Vec<Contact>,
    /// Every contact of the vault counted for the closing lines.
    pub tally: Tally,
    /// Distinct names (by NAME key) in notes that name no contact.
    pub leads: usize,
}

impl Index {
    /// The contacts that can be due by `today` + `within_days`, the vault's tally and its
    /// leads count.
    pub fn morning(&self, today: Date, within_days: i64) -> Result<Morning> {
        let mut contacts = Vec::new();
        let (tally, leads) = self.morning_each(today, within_days, usize::MAX, |c| c, |c| contacts.push(c))?;
        Ok(Morning { contacts, tally, leads })
    }

    /// [`Index::morning`] handing each contact that can be due, through `map` (on every
    /// core), to `each` as it is decoded (at most `batch` runs of a few thousand at a time), for
    /// a caller that keeps only some.
    pub fn morning_each<T: Send>(
        &self,
        today: Date,
        within_days: i64,
        batch: usize,
        map: impl Fn(Contact) -> T + Sync,
        each: impl FnMut(T),
    ) -> Result<(Tally, usize)> {
        let searcher = self.searcher();
        let horizon = today
            .checked_add(jiff::Span::new().days(within_days))
            .unwrap_or(Date::MAX);
        let last_day = schema::day_number(horizon);
        // Which birthdays (month × 32 + day) fall within the window, by the report's own rule.
        let mut birthdays = [false; 13 * 32];
        for month in 1..=12 {
            for day in 1..=31 {
                birthdays[index(schema::birthday_code(month, day))] =
                    followup::birthday_within(month, day, today, within_days);
            }
        }
        let today_number = schema::day_number(today);
        let err = |e: tantivy::TantivyError| index_error(self.dir.as_deref(), e);
        let per_segment: Vec<Result<(Vec<DocId>, Tally)>> = searcher
            .segment_readers()
            .par_iter()
            .map(|segment| {
                let ff = segment.fast_fields();
                let Some(state) = ff.column_opt::<u64>("state").map_err(err)? else {
                    return Ok((Vec::new(), Tally::default()));
                };
                let snooze = ff.column_opt::<i64>("snooze").map_err(err)?;
                let due_from = ff.column_opt::<i64>("due_from").map_err(err)?;
                let settled = ff.column_opt::<i64>("settled").map_err(err)?;
                let birthday = ff.column_opt::<u64>("birthday").map_err(err)?;
                let mut tally = Tally::default();
                let mut picked = Vec::new();
                for (doc, code) in contacts_of(segment, &state) {
                    let snoozed = first(snooze.as_ref(), doc).is_some_and(|until| until > today_number);
                    tally.add(schema::status_of(code), snoozed);
                    // `DueBound::allows`, on day numbers.
                    let can_be_due = first(settled.as_ref(), doc).is_some_and(|s| today_number < s)
                        || first(due_from.as_ref(), doc).is_some_and(|from| from <= last_day)
                        || first(birthday.as_ref(), doc).is_some_and(|b| birthdays.get(index(b)) == Some(&true));
                    if can_be_due {
                        picked.push(doc);
                    }
                }
                Ok((picked, tally))
            })
            .collect();
        let mut picks = Vec::with_capacity(per_segment.len());
        let mut tally = Tally::default();
        for result in per_segment {
            let (picked, t) = result?;
            picks.push(picked);
            tally += t;
        }
        self.each_fact(&searcher, &picks, batch, map, each)?;
        let leads = self.leads_count(&searcher)?;
        Ok((tally, leads))
    }

    /// How many distinct names the vault's notes link to that name no contact
    /// ([`crate::report::leads::count`]), from the sorted key columns of every segment, merged,
    /// instead of a resolver built over every contact's facts. The rule is `resolve`'s: a link
    /// that cannot be a path ([`crate::resolve::link_may_be_path`]) names a contact when its key
    /// is a label's; the others go through [`link_names_nobody`] with the contacts' paths.
    fn leads_count(&self, searcher: &tantivy::Searcher) -> Result<usize> {
        let err = |e: tantivy::TantivyError| index_error(self.dir.as_deref(), e);
        let io = |e: std::io::Error| index_error(self.dir.as_deref(), e);
        // Per segment, on every core: the keys its live contacts hold, each list sorted.
        let per_segment: Vec<Result<[Keys; 3]>> = searcher
            .segment_readers()
            .par_iter()
            .map(|segment| {
                let ff = segment.fast_fields();
                let mut lists = [Keys::default(), Keys::default(), Keys::default()];
                let Some(state) = ff.column_opt::<u64>("state").map_err(err)? else {
                    return Ok(lists);
                };
                let docs: Vec<DocId> = contacts_of(segment, &state).map(|(doc, _)| doc).collect();
                for (name, list) in ["labels", "links", "link_paths"].into_iter().zip(lists.iter_mut()) {
                    if let Some(column) = ff.str(name).map_err(err)? {
                        *list = used_keys(&column, &docs).map_err(io)?;
                    }
                }
                // The stems' keys, from the paths (the labels column leaves them out).
                if let Some(paths) = ff.str("path").map_err(err)? {
                    let mut stems: Vec<String> = used_keys(&paths, &docs)
                        .map_err(io)?
                        .iter()
                        .map(|path| key(&crate::contact::stem_of(&String::from_utf8_lossy(path))))
                        .collect();
                    stems.sort_unstable();
                    stems.dedup();
                    let mut sorted = Keys::default();
                    for stem in &stems {
                        sorted.push(stem.as_bytes());
                    }
                    lists[0] = lists[0].union(&sorted);
                }
                Ok(lists)
            })
            .collect();
        let mut labels = Keys::default();
        let mut links = Keys::default();
        let mut link_paths = Keys::default();
        for result in per_segment {
            let [l, k, p] = result?;
            labels = labels.union(&l);
            links = links.union(&k);
            link_paths = link_paths.union(&p);
        }
        // Link keys with no label: one pass over both sorted lists.
        let mut at = 0;
        let mut count = 0;
        for link in links.iter() {
            while at < labels.len() && labels.get(at) < link {
                at += 1;
            }
            if at == labels.len() || labels.get(at) != link {
                count += 1;
            }
        }
        // Links that may be paths (few): a contact's path finds it; else its key decides,
        // counted once with the other links' keys.
        if !link_paths.is_empty() {
            let texts: Vec<String> = link_paths
                .iter()
                .map(|t| String::from_utf8_lossy(t).into_owned())
                .collect();
            let found = self.contact_paths_among(searcher, &texts)?;
            let mut extra: Vec<String> = texts
                .iter()
                .filter(|t| link_names_nobody(t, |p| found.contains(p), |k| labels.contains(k.as_bytes())))
                .map(|t| key(t))
                // Counted once: the other links' keys are counted above.
                .filter(|k| !links.contains(k.as_bytes()))
                .collect();
            extra.sort_unstable();
            extra.dedup();
            count += extra.len();
        }
        Ok(count)
    }

    /// Which of the paths step 1 of the resolver tries for `texts` are contacts' paths.
    fn contact_paths_among(
        &self,
        searcher: &tantivy::Searcher,
        texts: &[String],
    ) -> Result<std::collections::HashSet<String>> {
        let err = |e: tantivy::TantivyError| index_error(self.dir.as_deref(), e);
        let io = |e: std::io::Error| index_error(self.dir.as_deref(), e);
        let wanted: std::collections::BTreeSet<String> = texts.iter().flat_map(|t| Name::new(t).paths()).collect();
        let mut found = std::collections::HashSet::new();
        for segment in searcher.segment_readers() {
            let ff = segment.fast_fields();
            let (Some(state), Some(paths)) = (
                ff.column_opt::<u64>("state").map_err(err)?,
                ff.str("path").map_err(err)?,
            ) else {
                continue;
            };
            let mut ords = std::collections::HashMap::new();
            for path in &wanted {
                if let Some(ord) = paths.dictionary().term_ord(path.as_bytes()).map_err(io)? {
                    ords.insert(ord, path);
                }
            }
            if ords.is_empty() {
                continue;
            }
            for (doc, _) in contacts_of(segment, &state) {
                if let Some(path) = paths.ords().first(doc).and_then(|ord| ords.get(&ord)) {
                    found.insert((*path).clone());
                }
            }
        }
        Ok(found)
    }
}

/// The live contact documents of a segment (those with a status: files whose front matter has
/// errors and other files have none), with their status code.
fn contacts_of<'a>(segment: &'a SegmentReader, state: &'a Column<u64>) -> impl Iterator<Item = (DocId, u64)> + 'a {
    let alive = segment.alive_bitset();
    (0..segment.max_doc())
        .filter(move |&doc| alive.is_none_or(|a| a.is_alive(doc)))
        .filter_map(|doc| state.first(doc).map(|code| (doc, code)))
}

fn first<T: PartialOrd + Copy + Send + Sync + std::fmt::Debug + 'static>(
    column: Option<&Column<T>>,
    doc: DocId,
) -> Option<T> {
    column.and_then(|c| c.first(doc))
}

fn index(code: u64) -> usize {
    usize::try_from(code).unwrap_or(usize::MAX)
}

/// The values of a string column that `docs` hold, sorted (the dictionary's order).
fn used_keys(column: &StrColumn, docs: &[DocId]) -> std::io::Result<Keys> {
    let mut used = vec![false; column.num_terms()];
    for &doc in docs {
        for ord in column.ords().values_for_doc(doc) {
            if let Some(u) = used.get_mut(index(ord)) {
                *u = true;
            }
        }
    }
    let mut keys = Keys::default();
    let mut stream = column.dictionary().stream()?;
    while stream.advance() {
        if used.get(index(stream.term_ord())) == Some(&true) {
            keys.push(stream.key());
        }
    }
    Ok(keys)
}

/// Sorted, distinct byte strings in one buffer (a segment's dictionary terms, merged).
#[derive(Default)]
struct Keys {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl Keys {
    fn push(&mut self, key: &[u8]) {
        self.bytes.extend_from_slice(key);
        self.ends.push(self.bytes.len());
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn get(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start..self.ends[i]]
    }

    fn iter(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.len()).map(|i| self.get(i))
    }

    fn contains(&self, key: &[u8]) -> bool {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.get(mid).cmp(key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return true,
            }
        }
        false
    }

    /// Both lists merged, each key once.
    fn union(&self, other: &Keys) -> Keys {
        if self.is_empty() {
            return Keys {
                bytes: other.bytes.clone(),
                ends: other.ends.clone(),
            };
        }
        let mut out = Keys {
            bytes: Vec::with_capacity(self.bytes.len() + other.bytes.len()),
            ends: Vec::with_capacity(self.len() + other.len()),
        };
        let (mut i, mut j) = (0, 0);
        while i < self.len() || j < other.len() {
            let next = match (i < self.len(), j < other.len()) {
                (true, true) => match self.get(i).cmp(other.get(j)) {
                    std::cmp::Ordering::Less => {
                        i += 1;
                        self.get(i - 1)
                    }
                    std::cmp::Ordering::Greater => {
                        j += 1;
                        other.get(j - 1)
                    }
                    std::cmp::Ordering::Equal => {
                        i += 1;
                        j += 1;
                        self.get(i - 1)
                    }
                },
                (true, false) => {
                    i += 1;
                    self.get(i - 1)
                }
                _ => {
                    j += 1;
                    other.get(j - 1)
                }
            };
            out.push(next);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Keys;

    fn keys(words: &[&str]) -> Keys {
        let mut k = Keys::default();
        for w in words {
            k.push(w.as_bytes());
        }
        k
    }

    #[test]
    fn union_merges_sorted_lists_once_each() {
        let a = keys(&["ann", "bob", "zed"]);
        let b = keys(&["", "bob", "cy"]);
        let u = a.union(&b);
        let all: Vec<&[u8]> = u.iter().collect();
        assert_eq!(all, [&b""[..], b"ann", b"bob", b"cy", b"zed"]);
        assert!(u.contains(b"cy") && u.contains(b"") && !u.contains(b"c"));
        assert_eq!(Keys::default().union(&a).len(), 3);
        assert_eq!(a.union(&Keys::default()).len(), 3);
    }
}
