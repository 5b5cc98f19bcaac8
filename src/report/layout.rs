//! Where each person of the network picture goes: a clustered layout computed at report time,
//! so the HTML page needs no JavaScript to show it. Pure and deterministic: the same nodes give
//! the same coordinates, bit for bit (no hashing, no randomness, no threads).
//!
//! Each group (a circle) is a disc; its members sit on a sunflower (Vogel) spiral, the closest
//! people at the centre, so a circle reads as a dense patch with its warmest members in the
//! middle. Labelled members get a wider step of the spiral, so their names have room. Discs are
//! packed in rows, largest first. The cost is linear in the number of nodes.
//!
//! Why not a crate: `layout-rs` does layered (Sugiyama) layouts of a DAG and renders its own
//! SVG — the network has cycles (mentions go both ways) and mostly isolated people, which a
//! layered layout strings along one line; `force_graph` and `fdg-sim` are force-directed with
//! an all-pairs repulsion (quadratic per step: 10,000 people are 50 million pairs a step, far
//! beyond the 2-second budget) from random starting positions (`fdg-sim` uses a global random
//! generator). A picture that clusters by circle needs no simulation at all.

/// One person to place.
#[derive(Debug, Clone, Copy)]
pub struct Node {
    /// The group (circle) index, below the `groups` count given to [`layout`].
    pub group: usize,
    /// How close the person is, 0 to 1: the closest sit at their group's centre.
    pub closeness: f64,
    /// The drawn radius, at most [`MAX_RADIUS`].
    pub radius: f64,
    /// Whether a name is drawn under the node (it then gets room for it).
    pub labelled: bool,
}

/// A group's disc.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Disc {
    pub x: f64,
    pub y: f64,
    pub r: f64,
    pub members: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// The centre of each node, in input order.
    pub points: Vec<(f64, f64)>,
    /// Each group's disc, in group order (`members == 0` for an empty group).
    pub discs: Vec<Disc>,
    pub width: f64,
    pub height: f64,
}

/// The largest node radius the layout makes room for.
pub const MAX_RADIUS: f64 = 9.0;
/// Spiral step for unlabelled nodes: the spiral's nearest neighbours are at least about 1.5
/// steps apart, which leaves a gap between two nodes of [`MAX_RADIUS`].
const STEP: f64 = 14.0;
/// Spiral step for labelled nodes: room for a name of about twelve characters under each.
const LABEL_STEP: f64 = 58.0;
/// Room around each disc: its title above, a margin around.
const TITLE: f64 = 22.0;
const MARGIN: f64 = 16.0;
/// The golden angle, in radians.
const GOLDEN: f64 = 2.399_963_229_728_653;

/// Place `nodes` in `groups` discs.
pub fn layout(nodes: &[Node], groups: usize) -> Layout {
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); groups];
    for (i, n) in nodes.iter().enumerate() {
        members[n.group.min(groups.saturating_sub(1))].push(i);
    }
    // Spiral positions relative to each disc's centre, and each disc's radius.
    let mut local = vec![(0.0, 0.0); nodes.len()];
    let mut radii = vec![0.0; groups];
    for (g, list) in members.iter_mut().enumerate() {
        // Labelled first, then by closeness, then input order: a stable, total order.
        list.sort_by(|&a, &b| {
            (!nodes[a].labelled)
                .cmp(&!nodes[b].labelled)
                .then(nodes[b].closeness.total_cmp(&nodes[a].closeness))
                .then(a.cmp(&b))
        });
        // Vogel's spiral with a variable step: the k-th node sits where the area of the
        // footprints before it, plus half its own, would fill a disc.
        let mut area = 0.0;
        let mut extent: f64 = 0.0;
        for (k, &i) in list.iter().enumerate() {
            let step = if nodes[i].labelled { LABEL_STEP } else { STEP };
            let r = (area + step * step / 2.0).sqrt();
            area += step * step;
            let angle = GOLDEN * f64::from(u32::try_from(k).unwrap_or(u32::MAX));
            local[i] = (r * angle.cos(), r * angle.sin());
            extent = extent.max(
                r + if nodes[i].labelled {
                    LABEL_STEP / 2.0
                } else {
                    MAX_RADIUS
                },
            );
        }
        radii[g] = if list.is_empty() {
            0.0
        } else {
            extent.max(LABEL_STEP / 2.0)
        };
    }
    // Pack the discs in rows, largest first (then group order), each row as wide as the
    // square root of the total area asks, and never narrower than the widest disc.
    let mut order: Vec<usize> = (0..groups).filter(|&g| !members[g].is_empty()).collect();
    order.sort_by(|&a, &b| radii[b].total_cmp(&radii[a]).then(a.cmp(&b)));
    let cell = |g: usize| 2.0 * (radii[g] + MARGIN);
    let total: f64 = order.iter().map(|&g| cell(g) * (cell(g) + TITLE)).sum();
    let widest = order.iter().map(|&g| cell(g)).fold(0.0, f64::max);
    let row_width = (total.sqrt() * 1.2).max(widest).max(320.0);
    let mut discs = vec![
        Disc {
            x: 0.0,
            y: 0.0,
            r: 0.0,
            members: 0
        };
        groups
    ];
    let (mut x, mut y, mut row_height, mut width) = (0.0_f64, 0.0_f64, 0.0_f64, 0.0_f64);
    for &g in &order {
        let size = cell(g);
        if x > 0.0 && x + size > row_width {
            y += row_height;
            x = 0.0;
            row_height = 0.0;
        }
        discs[g] = Disc {
            x: x + size / 2.0,
            y: y + TITLE + size / 2.0,
            r: radii[g],
            members: members[g].len(),
        };
        x += size;
        width = width.max(x);
        row_height = row_height.max(size + TITLE);
    }
    let points = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let d = discs[n.group.min(groups.saturating_sub(1))];
            (d.x + local[i].0, d.y + local[i].1)
        })
        .collect();
    Layout {
        points,
        discs,
        width: width.max(1.0),
        height: (y + row_height).max(1.0),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn nodes(groups: usize, n: usize, labelled_per_group: usize) -> Vec<Node> {
        (0..n)
            .map(|i| Node {
                group: i % groups,
                closeness: f64::from(u32::try_from((i * 37) % 101).unwrap()) / 100.0,
                radius: MAX_RADIUS,
                labelled: i / groups < labelled_per_group,
            })
            .collect()
    }

    /// No two nodes overlap: every pair is farther apart than the sum of their radii (pairs
    /// compared through a grid, so a large vault is checked whole).
    pub(crate) fn assert_no_overlap(nodes: &[Node], layout: &Layout) {
        let cell = 2.0 * MAX_RADIUS;
        let mut grid: std::collections::BTreeMap<(i64, i64), Vec<usize>> = std::collections::BTreeMap::new();
        #[allow(clippy::cast_possible_truncation)] // reason: coordinates are a few thousand at most
        let key = |p: (f64, f64)| ((p.0 / cell).floor() as i64, (p.1 / cell).floor() as i64);
        for (i, &p) in layout.points.iter().enumerate() {
            grid.entry(key(p)).or_default().push(i);
        }
        for (i, &p) in layout.points.iter().enumerate() {
            let (kx, ky) = key(p);
            for dx in -1..=1 {
                for dy in -1..=1 {
                    for &j in grid.get(&(kx + dx, ky + dy)).into_iter().flatten() {
                        if j <= i {
                            continue;
                        }
                        let q = layout.points[j];
                        let d = (p.0 - q.0).hypot(p.1 - q.1);
                        assert!(
                            d > nodes[i].radius + nodes[j].radius,
                            "nodes {i} and {j} overlap: {d:.2} apart"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn nodes_never_overlap_at_any_size() {
        for (groups, n, labelled) in [
            (1, 1, 1),
            (1, 2, 0),
            (3, 40, 40),
            (8, 1000, 10),
            (1, 3000, 12),
            (40, 10_000, 10),
        ] {
            let nodes = nodes(groups, n, labelled);
            let layout = layout(&nodes, groups);
            assert_no_overlap(&nodes, &layout);
        }
    }

    #[test]
    fn nodes_stay_inside_their_disc_and_discs_apart() {
        let nodes = nodes(6, 600, 5);
        let layout = layout(&nodes, 6);
        for (n, p) in nodes.iter().zip(&layout.points) {
            let d = layout.discs[n.group];
            assert!((p.0 - d.x).hypot(p.1 - d.y) + n.radius <= d.r + 1e-9);
        }
        for (a, da) in layout.discs.iter().enumerate() {
            for db in &layout.discs[a + 1..] {
                assert!((da.x - db.x).hypot(da.y - db.y) > da.r + db.r);
            }
        }
    }

    #[test]
    fn the_closest_sit_at_the_centre() {
        let nodes: Vec<Node> = [0.1, 0.9, 0.5]
            .iter()
            .map(|&closeness| Node {
                group: 0,
                closeness,
                radius: 4.0,
                labelled: false,
            })
            .collect();
        let layout = layout(&nodes, 1);
        let d = layout.discs[0];
        let dist = |i: usize| (layout.points[i].0 - d.x).hypot(layout.points[i].1 - d.y);
        assert!(dist(1) < dist(2) && dist(2) < dist(0));
    }

    #[test]
    fn the_same_nodes_give_the_same_layout() {
        let nodes = nodes(5, 500, 6);
        assert_eq!(layout(&nodes, 5), layout(&nodes, 5));
        let empty = layout(&[], 0);
        assert!(empty.points.is_empty() && empty.width >= 1.0);
    }
}
