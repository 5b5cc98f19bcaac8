//! What changed between the files on disk and the files an index holds (zk's `paths.Diff`):
//! one merge pass over two lists sorted by path. Pure: the walk and the index are the callers'.

/// A file as a walk of the vault saw it: its vault-relative path, size and modification time.
pub trait Stat {
    fn rel(&self) -> &str;
    fn size(&self) -> u64;
    fn mtime_ns(&self) -> i128;
}

/// The outcome of [`diff`]: the walked files to (re-)read and the indexed paths to forget.
#[derive(Debug)]
pub struct Changes<'w, 'k, F> {
    /// On disk, not in the index.
    pub added: Vec<&'w F>,
    /// In both, with another size or modification time.
    pub updated: Vec<&'w F>,
    /// In the index, no longer on disk.
    pub removed: Vec<&'k str>,
    /// In both, the same size and time.
    pub unchanged: usize,
}

impl<F> Changes<'_, '_, F> {
    /// Files added, updated or removed.
    pub fn changed(&self) -> usize {
        self.added.len() + self.updated.len() + self.removed.len()
    }
}

/// Compare `files` (the walk) with `known` (the index's path, size and mtime), both sorted by
/// path. A file counts as unchanged only when size and time are both the same.
pub fn diff<'w, 'k, F: Stat>(files: &'w [F], known: &'k [(String, u64, i64)]) -> Changes<'w, 'k, F> {
    let mut out = Changes {
        added: Vec::new(),
        updated: Vec::new(),
        removed: Vec::new(),
        unchanged: 0,
    };
    let (mut i, mut j) = (0, 0);
    loop {
        match (files.get(i), known.get(j)) {
            (Some(f), Some((path, size, mtime))) if f.rel() == path => {
                if f.size() == *size && f.mtime_ns() == i128::from(*mtime) {
                    out.unchanged += 1;
                } else {
                    out.updated.push(f);
                }
                i += 1;
                j += 1;
            }
            (Some(f), Some((path, _, _))) if f.rel() < path.as_str() => {
                out.added.push(f);
                i += 1;
            }
            (Some(f), None) => {
                out.added.push(f);
                i += 1;
            }
            (_, Some((path, _, _))) => {
                out.removed.push(path);
                j += 1;
            }
            (None, None) => return out,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct File(&'static str, u64, i128);

    impl Stat for File {
        fn rel(&self) -> &str {
            self.0
        }
        fn size(&self) -> u64 {
            self.1
        }
        fn mtime_ns(&self) -> i128 {
            self.2
        }
    }

    fn known(list: &[(&str, u64, i64)]) -> Vec<(String, u64, i64)> {
        list.iter().map(|(p, s, m)| ((*p).to_string(), *s, *m)).collect()
    }

    fn rels<'a>(files: &[&'a File]) -> Vec<&'a str> {
        files.iter().map(|f| f.0).collect()
    }

    #[test]
    fn nothing_changed() {
        let files = [File("a.md", 10, 5), File("b/c.md", 20, 6)];
        let k = known(&[("a.md", 10, 5), ("b/c.md", 20, 6)]);
        let c = diff(&files, &k);
        assert_eq!(c.unchanged, 2);
        assert_eq!(c.changed(), 0);
    }

    #[test]
    fn a_new_index_adds_everything_and_an_empty_walk_removes_everything() {
        let files = [File("a.md", 1, 1), File("b.md", 1, 1)];
        let c = diff(&files, &[]);
        assert_eq!(rels(&c.added), ["a.md", "b.md"]);
        assert_eq!((c.updated.len(), c.removed.len(), c.unchanged), (0, 0, 0));
        let k = known(&[("a.md", 1, 1), ("b.md", 1, 1)]);
        let c = diff::<File>(&[], &k);
        assert_eq!(c.removed, ["a.md", "b.md"]);
        assert_eq!(c.changed(), 2);
    }

    #[test]
    fn size_or_time_alone_is_a_change() {
        let files = [File("a.md", 11, 5), File("b.md", 20, 7), File("c.md", 30, 8)];
        let k = known(&[("a.md", 10, 5), ("b.md", 20, 6), ("c.md", 30, 8)]);
        let c = diff(&files, &k);
        assert_eq!(rels(&c.updated), ["a.md", "b.md"]);
        assert_eq!(c.unchanged, 1);
    }

    #[test]
    fn interleaved_additions_and_removals_are_told_apart() {
        let files = [
            File("a.md", 1, 1),
            File("c.md", 1, 1),
            File("e.md", 1, 1),
            File("f.md", 2, 1),
        ];
        let k = known(&[
            ("b.md", 1, 1),
            ("c.md", 1, 1),
            ("d.md", 1, 1),
            ("f.md", 1, 1),
            ("g.md", 1, 1),
        ]);
        let c = diff(&files, &k);
        assert_eq!(rels(&c.added), ["a.md", "e.md"]);
        assert_eq!(rels(&c.updated), ["f.md"]);
        assert_eq!(c.removed, ["b.md", "d.md", "g.md"]);
        assert_eq!(c.unchanged, 1);
    }

    #[test]
    fn a_rename_is_a_removal_and_an_addition() {
        let files = [File("people/Jane Doe.md", 5, 1)];
        let k = known(&[("people/jane.md", 5, 1)]);
        let c = diff(&files, &k);
        assert_eq!(rels(&c.added), ["people/Jane Doe.md"]);
        assert_eq!(c.removed, ["people/jane.md"]);
    }

    #[test]
    fn every_file_lands_in_exactly_one_list() {
        // Paths from a small alphabet, so that the two lists share some and not others.
        let names = ["a.md", "a/b.md", "a b.md", "b.md", "é.md", "z.md"];
        for mask in 0u32..(1 << (2 * names.len())) {
            let files: Vec<File> = names
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(i, n)| File(n, 1, i128::from(u8::try_from(i).unwrap() % 2)))
                .collect();
            let mut files = files;
            files.sort_by(|a, b| a.0.cmp(b.0));
            let mut k: Vec<(String, u64, i64)> = names
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << (i + names.len())) != 0)
                .map(|(_, n)| ((*n).to_string(), 1, 0))
                .collect();
            k.sort();
            let c = diff(&files, &k);
            assert_eq!(c.added.len() + c.updated.len() + c.unchanged, files.len(), "{mask:b}");
            assert_eq!(c.updated.len() + c.unchanged + c.removed.len(), k.len(), "{mask:b}");
        }
    }
}
