//! The network as a graph: who introduced whom (`introduced_by`) and who mentions whom
//! (`[[wikilinks]]`), with names resolved the way SPEC §2 resolves them (file stem, then
//! `name`, then aliases; case- and accent-insensitive). Pure.

use std::collections::{HashMap, VecDeque};

use crate::contact::Contact;
use crate::fold::fold;

/// Resolves a name written in a file to a contact index.
pub struct Names {
    stems: HashMap<String, Vec<usize>>,
    by_name: HashMap<String, Vec<usize>>,
    aliases: HashMap<String, Vec<usize>>,
}

impl Names {
    pub fn new(contacts: &[Contact]) -> Self {
        let mut n = Self {
            stems: HashMap::new(),
            by_name: HashMap::new(),
            aliases: HashMap::new(),
        };
        for (i, c) in contacts.iter().enumerate() {
            n.stems.entry(fold(&c.stem)).or_default().push(i);
            n.by_name.entry(fold(&c.name)).or_default().push(i);
            for a in &c.aliases {
                n.aliases.entry(fold(a)).or_default().push(i);
            }
        }
        n
    }

    /// The contact a link names, if exactly one stage matches exactly one contact.
    pub fn resolve(&self, name: &str) -> Option<usize> {
        let key = fold(name.trim());
        for map in [&self.stems, &self.by_name, &self.aliases] {
            match map.get(&key).map(Vec::as_slice) {
                Some([one]) => return Some(*one),
                Some([]) | None => {}
                Some(_) => return None,
            }
        }
        None
    }
}

/// An edge's origin, for explaining a chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tie {
    /// `to` was introduced by `from`.
    Introduced,
    /// One mentions the other in their notes.
    Mentioned,
}

/// Undirected adjacency over contact indexes.
pub struct Graph {
    pub edges: Vec<Vec<(usize, Tie)>>,
}

impl Graph {
    pub fn new(contacts: &[Contact], names: &Names) -> Self {
        let mut edges = vec![Vec::new(); contacts.len()];
        let mut add = |a: usize, b: usize, tie: Tie| {
            if a != b && !edges[a].iter().any(|&(x, _)| x == b) {
                edges[a].push((b, tie));
                edges[b].push((a, tie));
            }
        };
        for (i, c) in contacts.iter().enumerate() {
            for intro in &c.introduced_by {
                if let Some(j) = names.resolve(intro) {
                    add(j, i, Tie::Introduced);
                }
            }
            for link in &c.wikilinks {
                if let Some(j) = names.resolve(link) {
                    add(i, j, Tie::Mentioned);
                }
            }
        }
        Self { edges }
    }

    /// Shortest chains from any of `sources` to every reachable node: `parent[n]` is the next
    /// step back towards a source (`None` for sources and unreachable nodes), `reached[n]`
    /// says whether `n` was reached.
    pub fn bfs(&self, sources: &[usize]) -> (Vec<Option<usize>>, Vec<bool>) {
        let mut parent = vec![None; self.edges.len()];
        let mut reached = vec![false; self.edges.len()];
        let mut queue = VecDeque::new();
        for &s in sources {
            if !reached[s] {
                reached[s] = true;
                queue.push_back(s);
            }
        }
        while let Some(n) = queue.pop_front() {
            for &(m, _) in &self.edges[n] {
                if !reached[m] {
                    reached[m] = true;
                    parent[m] = Some(n);
                    queue.push_back(m);
                }
            }
        }
        (parent, reached)
    }
}

/// The chain from a source to `target` (source first), following `parent`.
pub fn chain(parent: &[Option<usize>], target: usize) -> Vec<usize> {
    let mut out = vec![target];
    let mut at = target;
    while let Some(p) = parent[at] {
        out.push(p);
        at = p;
        if out.len() > parent.len() {
            break;
        }
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(path: &str, intro: &[&str], links: &[&str]) -> Contact {
        Contact {
            path: path.into(),
            stem: crate::contact::stem_of(path),
            name: crate::contact::stem_of(path),
            introduced_by: intro.iter().map(ToString::to_string).collect(),
            wikilinks: links.iter().map(ToString::to_string).collect(),
            ..Contact::default()
        }
    }

    #[test]
    fn chains_follow_intros_and_mentions() {
        let contacts = vec![
            contact("Maya.md", &[], &["Tom"]),
            contact("Tom.md", &[], &[]),
            contact("Priya.md", &["tom"], &[]),
            contact("Zed.md", &[], &[]),
        ];
        let names = Names::new(&contacts);
        let graph = Graph::new(&contacts, &names);
        let (parent, reached) = graph.bfs(&[0]);
        assert_eq!(chain(&parent, 2), [0, 1, 2]);
        assert!(!reached[3]);
    }

    #[test]
    fn ambiguous_names_do_not_resolve() {
        let contacts = vec![contact("a/Sam.md", &[], &[]), contact("b/Sam.md", &[], &[])];
        assert_eq!(Names::new(&contacts).resolve("sam"), None);
    }
}
