//! The code's shape, checked so that it stays as ARCHITECTURE.md says: no
//! source file over 700 lines, no import cycles between files or between
//! a crate's top-level modules, and a core whose dependencies are only the
//! pure ones it was given.

use std::collections::{BTreeMap, BTreeSet};

use crate::support::{files_under, root};

/// Each crate's source folder.
const CRATES: [&str; 3] = ["crates/core/src", "src", "crates/web/src"];

const MAX_LINES: usize = 700;

/// A module path (`["parse", "reader"]`) for each `.rs` file under `dir`.
fn modules(dir: &str) -> BTreeMap<Vec<String>, String> {
    let mut out = BTreeMap::new();
    for (path, bytes) in files_under(dir) {
        let Some(rel) = path.strip_prefix(&format!("{}/{dir}/", root().display())) else { continue };
        let Some(stem) = rel.strip_suffix(".rs") else { continue };
        let mut parts: Vec<String> = stem.split('/').map(str::to_string).collect();
        if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
            parts.pop();
        }
        out.insert(parts, String::from_utf8(bytes).expect("UTF-8 source"));
    }
    out
}

/// The source without comments and without its `#[cfg(test)] mod tests`.
fn code_of(source: &str) -> String {
    let source = source.find("#[cfg(test)]\nmod tests").map_or(source, |at| &source[..at]);
    source.lines().map(|l| l.find("//").map_or(l, |at| &l[..at])).collect::<Vec<_>>().join("\n")
}

/// Which files each file refers to through `crate::` and `super::` paths
/// (`use` lines and paths in code alike); a path names the deepest module
/// file it reaches.
fn imports(mods: &BTreeMap<Vec<String>, String>) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let mut graph = BTreeMap::new();
    for (module, source) in mods {
        let code = code_of(source);
        let mut deps = BTreeSet::new();
        for (at, _) in code.match_indices("::") {
            let before = &code[..at];
            let word_start = before.rfind(|c: char| !(c.is_alphanumeric() || c == '_')).map_or(0, |i| i + 1);
            let base: Vec<String> = match &before[word_start..] {
                "crate" => Vec::new(),
                "super" if word_start == 0 || !code[..word_start].ends_with("::") => {
                    module.iter().take(module.len().saturating_sub(1)).cloned().collect()
                }
                _ => continue,
            };
            let mut path = base;
            let mut best = None;
            for segment in code[at + 2..].split("::") {
                let name: String = segment.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if name.is_empty() {
                    break;
                }
                path.push(name);
                if mods.contains_key(&path) {
                    best = Some(path.clone());
                } else {
                    break;
                }
            }
            if let Some(dep) = best.filter(|d| d != module) {
                deps.insert(dep);
            }
        }
        graph.insert(module.clone(), deps);
    }
    graph
}

/// The strongly connected components with more than one node (Tarjan).
fn cycles(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<&'a Vec<String>, usize>,
        low: BTreeMap<&'a Vec<String>, usize>,
        stack: Vec<&'a Vec<String>>,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a Vec<String>) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        for w in s.graph.get(v).into_iter().flatten() {
            let Some((w, _)) = s.graph.get_key_value(w) else { continue };
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.stack.contains(&w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                component.push(if w.is_empty() { "lib".to_string() } else { w.join("/") });
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.found.push(component);
            }
        }
    }
    let mut s = State { graph, index: BTreeMap::new(), low: BTreeMap::new(), stack: Vec::new(), found: Vec::new() };
    for v in graph.keys() {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.found
}

#[test]
fn no_source_file_is_over_700_lines() {
    for dir in CRATES {
        for (module, source) in modules(dir) {
            let lines = source.lines().count();
            let is_tests = module.last().is_some_and(|m| m == "tests");
            assert!(is_tests || lines <= MAX_LINES, "{dir}/{} has {lines} lines", module.join("/"));
        }
    }
}

#[test]
fn no_file_imports_a_file_that_imports_it_back() {
    for dir in CRATES {
        let graph = imports(&modules(dir));
        assert!(graph.len() > 3, "read only {} files of {dir}", graph.len());
        assert_eq!(cycles(&graph), Vec::<Vec<String>>::new(), "import cycles between the files of {dir}");
        // The same between top-level modules (a folder counts as one).
        let mut top: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
        for (module, deps) in &graph {
            let key: Vec<String> = module.iter().take(1).cloned().collect();
            let entry = top.entry(key.clone()).or_default();
            entry.extend(deps.iter().map(|d| d.iter().take(1).cloned().collect::<Vec<_>>()).filter(|d| *d != key));
        }
        assert_eq!(cycles(&top), Vec::<Vec<String>>::new(), "import cycles between the modules of {dir}");
    }
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let a = vec!["a".to_string()];
    let b = vec!["b".to_string()];
    let graph = BTreeMap::from([(a.clone(), BTreeSet::from([b.clone()])), (b.clone(), BTreeSet::from([a.clone()]))]);
    assert_eq!(cycles(&graph), vec![vec!["a".to_string(), "b".to_string()]]);
    let mods = BTreeMap::from([
        (a.clone(), "use crate::b::thing;".to_string()),
        (b.clone(), "fn f() { super::a::g() }".to_string()),
    ]);
    assert_eq!(cycles(&imports(&mods)).len(), 1);
}

/// The core's normal dependencies: none of them touches the terminal, the
/// browser, files or arguments. A new one is a decision: add it here and
/// say why in docs/decisions.md.
const PURE: [&str; 11] = [
    "base64",
    "flate2",
    "libm",
    "petgraph",
    "rand_chacha",
    "saphyr-parser",
    "serde",
    "serde_json",
    "sha2",
    "strsim",
    "time",
];

#[test]
fn the_core_depends_only_on_pure_crates() {
    let manifest = crate::support::read("crates/core/Cargo.toml");
    let mut section = "";
    let mut found = Vec::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line;
            continue;
        }
        let Some((name, _)) = line.split_once('=') else { continue };
        if line.starts_with('#') {
            continue;
        }
        assert!(!section.starts_with("[target"), "the core has target-specific dependencies: {section}");
        if section == "[dependencies]" {
            found.push(name.trim().split('.').next().unwrap_or_default().to_string());
        }
    }
    found.sort();
    assert_eq!(found, PURE, "crates/core/Cargo.toml [dependencies]");
}
