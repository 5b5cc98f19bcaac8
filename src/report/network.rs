//! The network as a graph: who introduced whom (`introduced_by`) and who mentions whom
//! (`[[wikilinks]]`). Names are resolved by [`crate::resolve`] as links (SPEC §2, steps 1–2): a
//! link that names several contacts, or none, makes no edge. Pure.

use std::collections::VecDeque;

use crate::contact::Contact;
use crate::resolve::Resolver;

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
    pub fn new(contacts: &[Contact], names: &Resolver<'_>) -> Self {
        let mut edges = vec![Vec::new(); contacts.len()];
        let mut add = |a: usize, b: usize, tie: Tie| {
            if a != b && !edges[a].iter().any(|&(x, _)| x == b) {
                edges[a].push((b, tie));
                edges[b].push((a, tie));
            }
        };
        for (i, c) in contacts.iter().enumerate() {
            for intro in &c.introduced_by {
                if let Some(j) = names.link(intro) {
                    add(j, i, Tie::Introduced);
                }
            }
            for link in &c.wikilinks {
                if let Some(j) = names.link(link) {
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
        let names = Resolver::from_contacts(&contacts);
        let graph = Graph::new(&contacts, &names);
        let (parent, reached) = graph.bfs(&[0]);
        assert_eq!(chain(&parent, 2), [0, 1, 2]);
        assert!(!reached[3]);
    }

    #[test]
    fn ambiguous_names_do_not_resolve() {
        let contacts = vec![contact("a/Sam.md", &[], &[]), contact("b/Sam.md", &[], &[])];
        assert_eq!(Resolver::from_contacts(&contacts).link("sam"), None);
        let contacts = vec![
            contact("Maya.md", &[], &["Sam"]),
            contact("a/Sam.md", &["maya"], &[]),
            contact("b/Sam.md", &[], &[]),
        ];
        let names = Resolver::from_contacts(&contacts);
        let graph = Graph::new(&contacts, &names);
        assert_eq!(graph.edges[0], [(1, Tie::Introduced)]);
    }
}
