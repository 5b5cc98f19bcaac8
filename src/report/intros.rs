//! `report intros`: the introduction graph from `introduced_by` — who introduced whom — as a
//! tree, as Graphviz `dot`, as Mermaid, or as JSON edges.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::contact::Contact;
use crate::resolve::Resolver;

/// One introduction: `from` introduced `to`. `from_path` is `None` when the introducer is not
/// a contact in the vault (a plain name, or a broken link).
#[derive(Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge<'a> {
    pub from: String,
    pub from_path: Option<&'a str>,
    pub to: &'a str,
    pub to_path: &'a str,
}

#[derive(Debug, Serialize)]
pub struct Intros<'a> {
    pub edges: Vec<Edge<'a>>,
}

pub fn intros(contacts: &[Contact]) -> Intros<'_> {
    let names = Resolver::from_contacts(contacts);
    let mut edges: Vec<Edge<'_>> = Vec::new();
    for c in contacts {
        for intro in &c.introduced_by {
            let from = names.link(intro).map(|i| &contacts[i]);
            edges.push(Edge {
                from: from.map_or_else(|| intro.clone(), |f| f.name.clone()),
                from_path: from.map(|f| f.path.as_str()),
                to: &c.name,
                to_path: &c.path,
            });
        }
    }
    edges.sort();
    edges.dedup();
    Intros { edges }
}

/// A node's key: its path, or its name when it is not in the vault.
fn key<'a>(name: &'a str, path: Option<&'a str>) -> &'a str {
    path.unwrap_or(name)
}

/// An indented tree: roots are introducers nobody in the vault introduced.
pub fn tree(report: &Intros<'_>) -> String {
    if report.edges.is_empty() {
        return "No introductions recorded yet. Add `introduced_by: \"[[Name]]\"` to a contact.\n".into();
    }
    let mut children: BTreeMap<&str, Vec<&Edge<'_>>> = BTreeMap::new();
    let mut introduced: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut label: BTreeMap<&str, String> = BTreeMap::new();
    for e in &report.edges {
        let from = key(&e.from, e.from_path);
        children.entry(from).or_default().push(e);
        introduced.insert(e.to_path);
        label.insert(
            from,
            if e.from_path.is_some() {
                e.from.clone()
            } else {
                format!("{} (not in the vault)", e.from)
            },
        );
        label.insert(e.to_path, e.to.to_string());
    }
    let mut roots: Vec<&str> = children.keys().copied().filter(|k| !introduced.contains(k)).collect();
    // Introductions that form a loop have no root: start from their smallest member.
    let mut seen = std::collections::HashSet::new();
    let mut out = String::new();
    roots.sort_by_key(|k| label.get(k).cloned().unwrap_or_default());
    for root in roots {
        let _ = writeln!(out, "{}", label[root]);
        walk(root, "", &children, &label, &mut seen, &mut out);
    }
    for start in children.keys().copied().collect::<Vec<_>>() {
        if !seen.contains(start) {
            let _ = writeln!(out, "{} (introductions in a loop)", label[start]);
            seen.insert(start);
            walk(start, "", &children, &label, &mut seen, &mut out);
        }
    }
    out
}

fn walk<'a>(
    node: &'a str,
    prefix: &str,
    children: &BTreeMap<&'a str, Vec<&'a Edge<'a>>>,
    label: &BTreeMap<&'a str, String>,
    seen: &mut std::collections::HashSet<&'a str>,
    out: &mut String,
) {
    seen.insert(node);
    let Some(kids) = children.get(node) else { return };
    let mut kids: Vec<&&Edge<'_>> = kids.iter().collect();
    kids.sort_by_key(|e| (e.to, e.to_path));
    for (i, e) in kids.iter().enumerate() {
        let last = i + 1 == kids.len();
        let (branch, more) = if last {
            ("└── ", "    ")
        } else {
            ("├── ", "│   ")
        };
        let _ = writeln!(out, "{prefix}{branch}{}", label[e.to_path]);
        if seen.contains(e.to_path) {
            continue;
        }
        walk(e.to_path, &format!("{prefix}{more}"), children, label, seen, out);
    }
}

fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Graphviz: `netvault report intros --format dot | dot -Tsvg > intros.svg`.
pub fn dot(report: &Intros<'_>) -> String {
    let mut out = String::from("digraph intros {\n  rankdir=LR;\n  node [shape=box];\n");
    for e in &report.edges {
        let _ = writeln!(out, "  {} -> {};", quote(&e.from), quote(e.to));
    }
    out.push_str("}\n");
    out
}

/// Mermaid, for Markdown notes that render it (Obsidian, GitHub).
pub fn mermaid(report: &Intros<'_>) -> String {
    let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
    let mut out = String::from("graph LR\n");
    for e in &report.edges {
        let mut ends = [0; 2];
        for (slot, (k, name)) in ends
            .iter_mut()
            .zip([(key(&e.from, e.from_path), e.from.as_str()), (e.to_path, e.to)])
        {
            let next = ids.len();
            *slot = *ids.entry(k).or_insert_with(|| {
                let _ = writeln!(out, "  n{next}[\"{}\"]", name.replace('"', "#quot;"));
                next
            });
        }
        let _ = writeln!(out, "  n{} --> n{}", ends[0], ends[1]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(path: &str, intro: &[&str]) -> Contact {
        Contact {
            path: path.into(),
            stem: crate::contact::stem_of(path),
            name: crate::contact::stem_of(path),
            introduced_by: intro.iter().map(ToString::to_string).collect(),
            ..Contact::default()
        }
    }

    #[test]
    fn tree_dot_and_mermaid() {
        let contacts = vec![
            contact("Margaret.md", &[]),
            contact("Claire.md", &["Margaret"]),
            contact("Nadia.md", &["claire"]),
            contact("Walter.md", &["Nobody"]),
        ];
        let report = intros(&contacts);
        assert_eq!(report.edges.len(), 3);
        let tree = tree(&report);
        assert_eq!(
            tree,
            "Margaret\n└── Claire\n    └── Nadia\nNobody (not in the vault)\n└── Walter\n"
        );
        assert!(dot(&report).contains("\"Margaret\" -> \"Claire\";"));
        let m = mermaid(&report);
        assert!(m.starts_with("graph LR\n"));
        assert_eq!(m.matches("-->").count(), 3);
    }

    #[test]
    fn loops_do_not_hang() {
        let contacts = vec![contact("A.md", &["B"]), contact("B.md", &["A"])];
        let tree = tree(&intros(&contacts));
        assert!(tree.contains("loop"), "{tree}");
    }
}
