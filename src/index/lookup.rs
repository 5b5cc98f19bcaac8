//! NAME resolution through the index (SPEC §2): a path, then file stem, then `name`, then an
//! alias, each case- and accent-insensitive; several matches at one stage are ambiguous.

use tantivy::collector::TopDocs;
use tantivy::query::{FuzzyTermQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use super::Index;
use super::schema::path_term;
use crate::contact::Contact;
use crate::error::{Error, Result};
use crate::fold::fold;

/// More matches than this at one stage are reported as "and N more".
const MAX_CANDIDATES: usize = 20;

pub fn resolve(index: &Index, query: &str) -> Result<Contact> {
    let q = query.trim();
    let path = q.trim_start_matches("./").replace('\\', "/");
    let folded = fold(q);
    let f = index.fields;
    let searcher = index.searcher();
    let with_md = if path.to_ascii_lowercase().ends_with(".md") {
        path.clone()
    } else {
        format!("{path}.md")
    };
    let stages = [
        vec![path_term(&f, &path), path_term(&f, &with_md)],
        vec![Term::from_field_text(f.stem_key, &folded)],
        vec![Term::from_field_text(f.name_key, &folded)],
        vec![Term::from_field_text(f.alias_key, &folded)],
    ];
    for terms in stages {
        let mut found: Vec<Contact> = Vec::new();
        for term in terms {
            for contact in matches(index, &searcher, &TermQuery::new(term, IndexRecordOption::Basic))? {
                if !found.iter().any(|c| c.path == contact.path) {
                    found.push(contact);
                }
            }
        }
        match found.len() {
            0 => {}
            1 => return Ok(found.remove(0)),
            _ => {
                found.sort_by(|a, b| a.path.cmp(&b.path));
                let list = found.iter().map(|c| c.path.as_str()).collect::<Vec<_>>().join(", ");
                return Err(Error::Ambiguous(q.to_string(), list));
            }
        }
    }
    // Nothing matched: suggest the closest name.
    let fuzzy = FuzzyTermQuery::new(Term::from_field_text(f.name_key, &folded), 2, true);
    let suggestion = matches(index, &searcher, &fuzzy)?
        .first()
        .map(|c| format!("; did you mean {:?}?", c.name))
        .unwrap_or_default();
    Err(Error::NotFound(q.to_string(), suggestion))
}

fn matches(index: &Index, searcher: &Searcher, query: &dyn tantivy::query::Query) -> Result<Vec<Contact>> {
    let hits = searcher
        .search(query, &TopDocs::with_limit(MAX_CANDIDATES).order_by_score())
        .map_err(|e| Error::Index {
            path: std::path::PathBuf::from("(name lookup)"),
            source: Box::new(e),
        })?;
    let mut out = Vec::with_capacity(hits.len());
    for (_, address) in hits {
        out.extend(index.contact_at(searcher, address)?);
    }
    Ok(out)
}
