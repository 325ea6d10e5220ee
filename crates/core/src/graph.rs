//! The plan as a dependency graph (petgraph): who waits for whom.
//!
//! Node `i` is step `i`; an edge `a -> b` means `b` waits for `a` (`b` is
//! `after` `a`). References to unknown steps (G001) are left out, and the edges
//! inside a cycle (G002) are dropped after the cycle is recorded, so that
//! everything downstream works on a DAG and still says something useful.

use std::collections::HashMap;

use petgraph::Direction::{Incoming, Outgoing};
use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::model::{Plan, Text};

/// A name in `after` or `undo.needs` that matches no step.
#[derive(Clone, Debug)]
pub struct UnknownRef {
    pub step: usize,
    pub name: Text,
    /// `after` or `undo.needs`.
    pub field: &'static str,
}

#[derive(Clone, Debug)]
pub struct PlanGraph {
    /// The dependency DAG (edges inside cycles removed).
    pub graph: DiGraph<(), ()>,
    /// Step id -> index of the first step with that id.
    pub index: HashMap<String, usize>,
    /// The resolved `after` of each step, in the order written, without repeats.
    pub after: Vec<Vec<usize>>,
    pub unknown: Vec<UnknownRef>,
    /// Each cycle as the steps around it, starting from its first step in the list.
    pub cycles: Vec<Vec<usize>>,
    /// The steps in an order where every step comes after all it waits for.
    pub order: Vec<usize>,
    /// The position of each step in `order`.
    pub pos: Vec<usize>,
    /// The DAG's edges as flat arrays for hot loops: step `i` waits for
    /// `dep_list[dep_at[i]..dep_at[i + 1]]` (ascending) and is waited for by
    /// `dependent_list[dependent_at[i]..dependent_at[i + 1]]` (ascending).
    dep_at: Vec<u32>,
    dep_list: Vec<u32>,
    dependent_at: Vec<u32>,
    dependent_list: Vec<u32>,
}

impl PlanGraph {
    pub fn build(plan: &Plan) -> PlanGraph {
        let n = plan.steps.len();
        let mut index = HashMap::with_capacity(n);
        for (i, s) in plan.steps.iter().enumerate() {
            index.entry(s.id().to_string()).or_insert(i);
        }
        let mut graph = DiGraph::with_capacity(n, n);
        for _ in 0..n {
            graph.add_node(());
        }
        let mut after = Vec::with_capacity(n);
        let mut unknown = Vec::new();
        // Which step last listed each step in its `after` (plus one): a
        // repeat is dropped in O(1), however long the list.
        let mut listed_by = vec![0usize; n];
        for (i, s) in plan.steps.iter().enumerate() {
            let mut deps: Vec<usize> = Vec::new();
            match &s.after {
                // Omitted: the previous step in the list (a plan reads as a checklist).
                None => deps.extend(i.checked_sub(1)),
                Some(names) => {
                    for name in names {
                        match index.get(name.as_str()) {
                            Some(&d) if listed_by[d] != i + 1 => {
                                listed_by[d] = i + 1;
                                deps.push(d);
                            }
                            Some(_) => {}
                            None => unknown.push(UnknownRef { step: i, name: name.clone(), field: "after" }),
                        }
                    }
                }
            }
            for &d in &deps {
                graph.add_edge(NodeIndex::new(d), NodeIndex::new(i), ());
            }
            after.push(deps);
            for name in s.undo.iter().flat_map(|u| &u.needs) {
                if !index.contains_key(name.as_str()) {
                    unknown.push(UnknownRef { step: i, name: name.clone(), field: "undo.needs" });
                }
            }
        }
        let cycles = find_cycles(&mut graph, &after);
        let order = topological_order(&graph);
        let mut pos = vec![0; n];
        for (p, &s) in order.iter().enumerate() {
            pos[s] = p;
        }
        let (dep_at, dep_list) = flatten(&graph, Incoming);
        let (dependent_at, dependent_list) = flatten(&graph, Outgoing);
        PlanGraph { graph, index, after, unknown, cycles, order, pos, dep_at, dep_list, dependent_at, dependent_list }
    }

    /// The steps `step` waits for directly (in the DAG), ascending.
    pub fn deps_of(&self, step: usize) -> &[u32] {
        &self.dep_list[self.dep_at[step] as usize..self.dep_at[step + 1] as usize]
    }

    pub fn len(&self) -> usize {
        self.pos.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pos.is_empty()
    }

    /// The steps `step` waits for directly (in the DAG), ascending.
    pub fn deps(&self, step: usize) -> impl Iterator<Item = usize> + '_ {
        self.deps_of(step).iter().map(|&d| d as usize)
    }

    /// The steps that wait for `step` directly (in the DAG), ascending.
    pub fn dependents(&self, step: usize) -> impl Iterator<Item = usize> + '_ {
        let at = self.dependent_at[step] as usize..self.dependent_at[step + 1] as usize;
        self.dependent_list[at].iter().map(|&d| d as usize)
    }

    /// For every step, whether it depends (directly or not) on a step for which
    /// `pred` holds. Linear in steps + edges.
    pub fn has_ancestor(&self, pred: impl Fn(usize) -> bool) -> Vec<bool> {
        let mut out = vec![false; self.len()];
        for &s in &self.order {
            out[s] = self.deps(s).any(|d| pred(d) || out[d]);
        }
        out
    }

    /// For every step, whether some step for which `pred` holds depends on it
    /// (directly or not). Linear in steps + edges.
    pub fn has_descendant(&self, pred: impl Fn(usize) -> bool) -> Vec<bool> {
        let mut out = vec![false; self.len()];
        for &s in self.order.iter().rev() {
            out[s] = self.dependents(s).any(|d| pred(d) || out[d]);
        }
        out
    }

    /// A reusable searcher for "does this step depend on that one" questions.
    pub fn ancestry(&self) -> Ancestry<'_> {
        Ancestry { graph: self, mark: vec![0; self.len()], generation: 0, stack: Vec::new(), tree: None }
    }
}

/// A spanning forest of the DAG, each step under its dependency placed last
/// in topological order (in a chain, the step before it), numbered by a
/// depth-first walk: the steps under `s` are numbered `enter[s]..leave[s]`.
/// A step under another in the forest depends on it, so that is answered
/// at once; in a chain, every such question.
struct Tree {
    enter: Vec<u32>,
    leave: Vec<u32>,
}

impl Tree {
    fn new(g: &PlanGraph) -> Tree {
        const NO: u32 = u32::MAX;
        let n = g.len();
        let (mut first_child, mut next_sibling) = (vec![NO; n], vec![NO; n]);
        for &s in g.order.iter().rev() {
            if let Some(parent) = g.deps(s).max_by_key(|&d| g.pos[d]) {
                next_sibling[s] = first_child[parent];
                first_child[parent] = s as u32;
            }
        }
        let (mut enter, mut leave) = (vec![0u32; n], vec![0u32; n]);
        let mut count = 0u32;
        let mut stack: Vec<(usize, u32)> = Vec::new();
        for &root in g.order.iter().filter(|&&r| g.deps_of(r).is_empty()) {
            enter[root] = count;
            count += 1;
            stack.push((root, first_child[root]));
            while let Some(top) = stack.last_mut() {
                let (s, child) = *top;
                if child == NO {
                    leave[s] = count;
                    stack.pop();
                } else {
                    let child = child as usize;
                    top.1 = next_sibling[child];
                    enter[child] = count;
                    count += 1;
                    stack.push((child, first_child[child]));
                }
            }
        }
        Tree { enter, leave }
    }

    /// Whether `step` is `under` or under it in the forest (then it is `under` or depends on it).
    fn holds(&self, under: usize, step: usize) -> bool {
        self.enter[under] <= self.enter[step] && self.enter[step] < self.leave[under]
    }
}

/// Target lists up to this long are checked against the forest at every
/// step a search reaches.
const TREE_TARGETS: usize = 4;

/// Answers reachability questions on the DAG without allocating per question.
/// A search never visits steps placed before its earliest target in the
/// topological order, since those cannot lead to it.
pub struct Ancestry<'g> {
    graph: &'g PlanGraph,
    mark: Vec<u32>,
    generation: u32,
    stack: Vec<usize>,
    /// Made on the first search that uses it.
    tree: Option<Tree>,
}

impl Ancestry<'_> {
    /// A new search: every mark of the last one is void.
    fn next_generation(&mut self) -> u32 {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.mark.fill(0);
            self.generation = 1;
        }
        self.generation
    }

    /// For each of `steps`, the first of the others (in their order) that
    /// depends on it (directly or not), if any. One search for them all,
    /// where asking [`Ancestry::depends_on_any`] for each pair would take
    /// `steps²` searches: each step's ancestors are walked back to the
    /// earliest of `steps` still without an answer (in topological order),
    /// skipping those an earlier step's walk has seen (whatever depends on
    /// them, that step does too), and a walk stops once it has nothing left
    /// to find.
    pub fn first_dependents(&mut self, steps: &[usize]) -> Vec<Option<usize>> {
        let g = self.graph;
        let mut out = vec![None; steps.len()];
        // Each step's first place in `steps`, where its answer goes.
        let mut place: HashMap<usize, usize> = HashMap::with_capacity(steps.len());
        for (k, &s) in steps.iter().enumerate() {
            place.entry(s).or_insert(k);
        }
        let mut by_pos: Vec<usize> = place.keys().copied().collect();
        by_pos.sort_unstable_by_key(|&s| g.pos[s]);
        let (mut unanswered, mut earliest) = (by_pos.len(), 0);
        let generation = self.next_generation();
        for &source in steps {
            // What this walk could find: the others without an answer, all
            // placed after the earliest of them.
            let own = usize::from(out[place[&source]].is_none());
            while earliest < by_pos.len() && out[place[&by_pos[earliest]]].is_some() {
                earliest += 1;
            }
            if unanswered == own || by_pos.get(earliest) == Some(&source) || self.mark[source] == generation {
                continue;
            }
            let min_pos = by_pos.get(earliest).map_or(usize::MAX, |&t| g.pos[t]);
            self.mark[source] = generation;
            self.stack.clear();
            self.stack.push(source);
            'walk: while let Some(s) = self.stack.pop() {
                for d in g.deps(s) {
                    if let Some(&k) = place.get(&d)
                        && out[k].is_none()
                    {
                        out[k] = Some(source);
                        unanswered -= 1;
                        if unanswered == own {
                            break 'walk;
                        }
                    }
                    if self.mark[d] == generation {
                        continue;
                    }
                    self.mark[d] = generation;
                    if g.pos[d] > min_pos {
                        self.stack.push(d);
                    }
                }
            }
        }
        // A step listed twice has one answer.
        for (k, s) in steps.iter().enumerate() {
            out[k] = place.get(s).and_then(|&first| out[first]);
        }
        out
    }

    /// Answers many questions "does `step` depend (directly or not) on one
    /// of the steps of `sets[key]`", given as `(key, step)`: for each, in
    /// their order. The questions about one set are answered together:
    /// searched one by one (pruned as in [`Ancestry::depends_on_any`]) until
    /// the searches have cost as much as one walk over the whole graph, the
    /// rest read off that walk, which answers the set for every step. So a
    /// set costs at most about twice the graph, however many steps ask about
    /// it (every undo needing the one backup that nothing waits for, say).
    pub fn depends_on_each(&mut self, questions: &[(usize, usize)], sets: &[&[usize]]) -> Vec<bool> {
        let g = self.graph;
        let whole = g.len() + g.dep_list.len();
        let mut answers = vec![false; questions.len()];
        let mut by_set: Vec<(usize, usize)> = questions.iter().enumerate().map(|(q, &(key, _))| (key, q)).collect();
        by_set.sort_unstable();
        let mut is_target = vec![false; g.len()];
        for group in by_set.chunk_by(|a, b| a.0 == b.0) {
            let targets = sets.get(group[0].0).copied().unwrap_or_default();
            let Some(min_pos) = targets.iter().map(|&t| g.pos[t]).min() else { continue };
            for &t in targets {
                is_target[t] = true;
            }
            let (mut spent, mut every): (usize, Option<Vec<bool>>) = (0, None);
            for &(_, q) in group {
                let step = questions[q].1;
                answers[q] = match &every {
                    Some(every) => every[step],
                    None => {
                        let (found, cost) = self.search(step, targets, &is_target, min_pos);
                        spent += cost;
                        if spent > whole {
                            every = Some(g.has_ancestor(|x| is_target[x]));
                        }
                        found
                    }
                };
            }
            for &t in targets {
                is_target[t] = false;
            }
        }
        answers
    }

    /// Whether `step` depends on one of `targets` (marked in `is_target`),
    /// none placed at or before `min_pos`; and how many edges the search
    /// read. As [`Ancestry::depends_on_any`], a short list is also checked
    /// against the forest.
    fn search(&mut self, step: usize, targets: &[usize], is_target: &[bool], min_pos: usize) -> (bool, usize) {
        let g = self.graph;
        let generation = self.next_generation();
        let small = targets.len() <= TREE_TARGETS;
        let tree = &*self.tree.get_or_insert_with(|| Tree::new(g));
        let under = |s: usize| small && targets.iter().any(|&t| t != step && tree.holds(t, s));
        if under(step) {
            return (true, 1);
        }
        let mut cost = 0;
        self.stack.clear();
        self.stack.push(step);
        while let Some(s) = self.stack.pop() {
            for d in g.deps(s) {
                cost += 1;
                if self.mark[d] == generation {
                    continue;
                }
                self.mark[d] = generation;
                if is_target[d] || (g.pos[d] > min_pos && under(d)) {
                    return (true, cost);
                }
                if g.pos[d] > min_pos {
                    self.stack.push(d);
                }
            }
        }
        (false, cost + 1)
    }

    /// The first of `targets` that `step` depends on (directly or not), if any.
    /// A search reaching a step under one of them in the forest ([`Tree`])
    /// stops there: that step depends on it.
    pub fn depends_on_any(&mut self, step: usize, targets: &[usize]) -> Option<usize> {
        let g = self.graph;
        let min_pos = targets.iter().map(|&t| g.pos[t]).min()?;
        let generation = self.next_generation();
        let small = targets.len() <= TREE_TARGETS;
        let tree = &*self.tree.get_or_insert_with(|| Tree::new(g));
        let under =
            |s: usize| if small { targets.iter().copied().find(|&t| t != step && tree.holds(t, s)) } else { None };
        if let Some(t) = under(step) {
            return Some(t);
        }
        self.stack.clear();
        self.stack.push(step);
        while let Some(s) = self.stack.pop() {
            for d in g.deps(s) {
                if self.mark[d] == generation {
                    continue;
                }
                self.mark[d] = generation;
                if targets.contains(&d) {
                    return Some(d);
                }
                if g.pos[d] > min_pos {
                    if let Some(t) = under(d) {
                        return Some(t);
                    }
                    self.stack.push(d);
                }
            }
        }
        None
    }
}

/// Each node's neighbours in `direction`, ascending, as offsets into one list.
fn flatten(graph: &DiGraph<(), ()>, direction: petgraph::Direction) -> (Vec<u32>, Vec<u32>) {
    let n = graph.node_count();
    let mut at = Vec::with_capacity(n + 1);
    let mut list = Vec::with_capacity(graph.edge_count());
    for i in 0..n {
        at.push(list.len() as u32);
        let from = list.len();
        list.extend(graph.neighbors_directed(NodeIndex::new(i), direction).map(|d| d.index() as u32));
        list[from..].sort_unstable();
    }
    at.push(list.len() as u32);
    (at, list)
}

/// Records every cycle, then removes the edges inside each strongly connected
/// component so that the graph is a DAG.
fn find_cycles(graph: &mut DiGraph<(), ()>, after: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut cycles = Vec::new();
    let mut component = vec![usize::MAX; graph.node_count()];
    // Kosaraju's algorithm walks with explicit stacks: a chain of a hundred
    // thousand steps must not overflow the call stack (Tarjan's recurses).
    for (c, scc) in kosaraju_scc(&*graph).into_iter().enumerate() {
        let cyclic = scc.len() > 1 || scc.first().is_some_and(|&n| graph.contains_edge(n, n));
        if !cyclic {
            continue;
        }
        for n in &scc {
            component[n.index()] = c;
        }
        let start = scc.iter().map(|n| n.index()).min().unwrap_or(0);
        cycles.push(cycle_through(start, c, &component, after));
    }
    if !cycles.is_empty() {
        graph.retain_edges(|g, e| {
            g.edge_endpoints(e)
                .is_none_or(|(a, b)| component[a.index()] == usize::MAX || component[a.index()] != component[b.index()])
        });
    }
    crate::order::sort_by_key(&mut cycles, |c| (c.first().map_or(0, |&f| f as u64 + 1), 0));
    cycles
}

/// The shortest cycle through `start` inside its component, in execution
/// order: each step is followed by one that waits for it.
fn cycle_through(start: usize, comp: usize, component: &[usize], after: &[Vec<usize>]) -> Vec<usize> {
    // Breadth first along "waits for": start waits for d1, d1 for d2, ... and
    // some dm waits for start. Executed, that is start -> dm -> ... -> d1.
    let mut prev: HashMap<usize, usize> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(s) = queue.pop_front() {
        for &d in &after[s] {
            if component[d] != comp {
                continue;
            }
            if d == start {
                // path = [dm, ..., d1, start]
                let mut path = vec![s];
                let mut cur = s;
                while let Some(&p) = prev.get(&cur) {
                    path.push(p);
                    cur = p;
                }
                path.rotate_right(1);
                return path;
            }
            if d != start && !prev.contains_key(&d) {
                prev.insert(d, s);
                queue.push_back(d);
            }
        }
    }
    vec![start]
}

/// Kahn's algorithm, taking ready steps in list order so that the order is
/// stable and reads like the plan.
fn topological_order(graph: &DiGraph<(), ()>) -> Vec<usize> {
    let n = graph.node_count();
    let mut indegree: Vec<usize> =
        (0..n).map(|i| graph.neighbors_directed(NodeIndex::new(i), Incoming).count()).collect();
    let mut ready = std::collections::BinaryHeap::new();
    for (i, &d) in indegree.iter().enumerate() {
        if d == 0 {
            ready.push(std::cmp::Reverse(i));
        }
    }
    let mut order = Vec::with_capacity(n);
    while let Some(std::cmp::Reverse(s)) = ready.pop() {
        order.push(s);
        for t in graph.neighbors_directed(NodeIndex::new(s), Outgoing) {
            let t = t.index();
            indegree[t] -= 1;
            if indegree[t] == 0 {
                ready.push(std::cmp::Reverse(t));
            }
        }
    }
    order
}
