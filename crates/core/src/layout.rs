//! A layered, left-to-right drawing of the dependency graph (Sugiyama style):
//! each step goes in the layer after its latest dependency, edges that skip
//! layers get a bend point in every layer they cross, and a few barycenter
//! sweeps reorder each layer to remove crossings. Pure data: the app turns it
//! into SVG.

use crate::graph::PlanGraph;
use crate::order::{f64_key, sort_by_key};

/// Width and height of a node's box, and the gaps between them.
pub const NODE_WIDTH: f64 = 150.0;
pub const NODE_HEIGHT: f64 = 46.0;
const GAP_X: f64 = 56.0;
const GAP_Y: f64 = 22.0;
const MARGIN: f64 = 16.0;
/// Barycenter sweeps (down and up count as one).
const SWEEPS: usize = 6;

#[derive(Clone, Debug, PartialEq)]
pub struct NodeBox {
    pub step: usize,
    pub layer: usize,
    /// Top-left corner.
    pub x: f64,
    pub y: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EdgePath {
    /// The step waited for, and the step that waits.
    pub from: usize,
    pub to: usize,
    /// From the right edge of `from` to the left edge of `to`, through a bend
    /// point in each layer in between.
    pub points: Vec<(f64, f64)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub nodes: Vec<NodeBox>,
    pub edges: Vec<EdgePath>,
    pub width: f64,
    pub height: f64,
    /// Edge crossings left after ordering (between adjacent layers).
    pub crossings: usize,
}

/// An edge as the chain of `(layer, index)` items it passes: its two steps
/// and a bend point in each layer between them.
struct Chain {
    from: usize,
    to: usize,
    items: Vec<(usize, usize)>,
}

pub fn layout(graph: &PlanGraph) -> Layout {
    let n = graph.len();
    let mut layer = vec![0usize; n];
    for &s in &graph.order {
        layer[s] = graph.deps(s).map(|d| layer[d] + 1).max().unwrap_or(0);
    }
    let layers = layer.iter().max().map_or(0, |&l| l + 1);
    // How many items (steps and bend points) each layer holds.
    let mut items = vec![0usize; layers];
    let mut slot = vec![(0usize, 0usize); n];
    for s in 0..n {
        slot[s] = (layer[s], items[layer[s]]);
        items[layer[s]] += 1;
    }
    let mut chains: Vec<Chain> = Vec::new();
    for to in 0..n {
        for from in graph.deps(to) {
            let mut chain = vec![slot[from]];
            for (l, count) in items.iter_mut().enumerate().take(layer[to]).skip(layer[from] + 1) {
                chain.push((l, *count));
                *count += 1;
            }
            chain.push(slot[to]);
            chains.push(Chain { from, to, items: chain });
        }
    }
    // `up[l][i]`: indices in layer l-1 linked to item i of layer l; `down` likewise.
    let mut up: Vec<Vec<Vec<usize>>> = items.iter().map(|&c| vec![Vec::new(); c]).collect();
    let mut down: Vec<Vec<Vec<usize>>> = items.iter().map(|&c| vec![Vec::new(); c]).collect();
    for chain in &chains {
        for w in chain.items.windows(2) {
            let ((la, ia), (lb, ib)) = (w[0], w[1]);
            up[lb][ib].push(ia);
            down[la][ia].push(ib);
        }
    }
    // `pos[l][i]`: where item i of layer l is drawn; start in list order.
    let mut pos: Vec<Vec<f64>> = items.iter().map(|&c| (0..c).map(|i| i as f64).collect()).collect();
    let big = items.iter().sum::<usize>() > 20_000;
    for sweep in 0..if big { 0 } else { SWEEPS } {
        if sweep % 2 == 0 {
            for (l, links) in up.iter().enumerate().skip(1) {
                reorder(&mut pos, l, links, l - 1);
            }
        } else {
            for (l, links) in down.iter().enumerate().take(layers.saturating_sub(1)).rev() {
                reorder(&mut pos, l, links, l + 1);
            }
        }
    }
    let crossings = (1..layers).map(|l| count_crossings(&pos[l - 1], &pos[l], &up[l])).sum();
    let x_of = |l: usize| MARGIN + l as f64 * (NODE_WIDTH + GAP_X);
    let y_of = |p: f64| MARGIN + p * (NODE_HEIGHT + GAP_Y);
    let nodes = (0..n)
        .map(|s| {
            let (l, i) = slot[s];
            NodeBox { step: s, layer: l, x: x_of(l), y: y_of(pos[l][i]) }
        })
        .collect();
    let edges = chains
        .iter()
        .map(|chain| {
            let last = chain.items.len() - 1;
            let points = chain
                .items
                .iter()
                .enumerate()
                .map(|(k, &(l, i))| {
                    let y = y_of(pos[l][i]) + NODE_HEIGHT / 2.0;
                    let x = if k == 0 {
                        x_of(l) + NODE_WIDTH
                    } else if k == last {
                        x_of(l)
                    } else {
                        x_of(l) + NODE_WIDTH / 2.0
                    };
                    (x, y)
                })
                .collect();
            EdgePath { from: chain.from, to: chain.to, points }
        })
        .collect();
    let tallest = items.iter().copied().max().unwrap_or(0);
    Layout {
        nodes,
        edges,
        width: 2.0 * MARGIN + layers as f64 * (NODE_WIDTH + GAP_X) - GAP_X.min(layers as f64 * GAP_X),
        height: 2.0 * MARGIN + tallest as f64 * (NODE_HEIGHT + GAP_Y) - GAP_Y.min(tallest as f64 * GAP_Y),
        crossings,
    }
}

/// Reorders layer `l` by the mean position of each item's neighbours in
/// layer `other` (items without neighbours keep their place).
fn reorder(pos: &mut [Vec<f64>], l: usize, links: &[Vec<usize>], other: usize) {
    let keys: Vec<(f64, f64, usize)> = (0..pos[l].len())
        .map(|i| {
            let near = &links[i];
            let key = if near.is_empty() {
                pos[l][i]
            } else {
                near.iter().map(|&j| pos[other][j]).sum::<f64>() / near.len() as f64
            };
            (key, pos[l][i], i)
        })
        .collect();
    let mut sorted = keys;
    sort_by_key(&mut sorted, |a| (f64_key(a.0), f64_key(a.1)));
    for (rank, &(_, _, i)) in sorted.iter().enumerate() {
        pos[l][i] = rank as f64;
    }
}

/// Crossings between two adjacent layers: pairs of links whose ends are in
/// opposite orders.
fn count_crossings(upper: &[f64], lower: &[f64], up: &[Vec<usize>]) -> usize {
    let mut links: Vec<(f64, f64)> =
        up.iter().enumerate().flat_map(|(i, near)| near.iter().map(move |&j| (lower[i], upper[j]))).collect();
    sort_by_key(&mut links, |a| (f64_key(a.0), f64_key(a.1)));
    // Count inversions of the upper ends (merge sort; n log n).
    let mut ends: Vec<f64> = links.into_iter().map(|(_, u)| u).collect();
    inversions(&mut ends)
}

fn inversions(v: &mut [f64]) -> usize {
    if v.len() < 2 {
        return 0;
    }
    let mid = v.len() / 2;
    let mut count = inversions(&mut v[..mid]) + inversions(&mut v[mid..]);
    let (left, right) = (v[..mid].to_vec(), v[mid..].to_vec());
    let (mut i, mut j, mut k) = (0, 0, 0);
    while i < left.len() && j < right.len() {
        if left[i] <= right[j] {
            v[k] = left[i];
            i += 1;
        } else {
            v[k] = right[j];
            j += 1;
            count += left.len() - i;
        }
        k += 1;
    }
    v[k..k + left.len() - i].copy_from_slice(&left[i..]);
    k += left.len() - i;
    v[k..].copy_from_slice(&right[j..]);
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    fn graph(text: &str) -> PlanGraph {
        PlanGraph::build(&parse(text).plan)
    }

    #[test]
    fn layers_follow_the_longest_dependency_chain() {
        let g = graph(
            "title: T\nsteps:\n  - {id: a, do: x y z}\n  - {id: b, do: x y z}\n  - {id: c, after: [a], do: x y z}\n  - {id: d, after: [b, c], do: x y z}\n",
        );
        let l = layout(&g);
        let layers: Vec<usize> = l.nodes.iter().map(|n| n.layer).collect();
        assert_eq!(layers, [0, 1, 1, 2]);
        for e in &l.edges {
            assert!(e.points.windows(2).all(|w| w[0].0 < w[1].0), "edges run left to right");
        }
    }

    #[test]
    fn long_edges_bend_in_every_layer_they_cross() {
        let g = graph(
            "title: T\nsteps:\n  - {id: a, do: x y z}\n  - {id: b, do: x y z}\n  - {id: c, do: x y z}\n  - {id: d, after: [a, c], do: x y z}\n",
        );
        let l = layout(&g);
        let a_to_d = l.edges.iter().find(|e| e.from == 0 && e.to == 3).expect("edge");
        assert_eq!(a_to_d.points.len(), 4);
    }

    #[test]
    fn barycenter_sweeps_untangle_a_crossing() {
        // Written so that list order crosses the edges: x1 -> y2 and x2 -> y1.
        let g = graph(
            "title: T\nsteps:\n  - {id: x1, after: [], do: x y z}\n  - {id: x2, after: [], do: x y z}\n  - {id: y1, after: [x2], do: x y z}\n  - {id: y2, after: [x1], do: x y z}\n",
        );
        assert_eq!(layout(&g).crossings, 0);
    }

    #[test]
    fn inversions_count_crossings() {
        assert_eq!(inversions(&mut [3.0, 1.0, 2.0]), 2);
        assert_eq!(inversions(&mut [1.0, 2.0, 3.0]), 0);
    }
}
