//! The fast YAML reader (src/parse/fast.rs) against the full parser: on
//! every text the project holds, whenever the fast reader accepts a text its
//! tree (kinds, texts, spans) must be the full parser's; and the plans people
//! write (every example, generated plans) must take the fast path.

use retreat_core::parse::yaml_trees;

use crate::support::files_under;

/// The UTF-8 files under `relative`: the YAML readers take text.
fn texts_under(relative: &str) -> Vec<(String, String)> {
    files_under(relative).into_iter().filter_map(|(name, bytes)| Some((name, String::from_utf8(bytes).ok()?))).collect()
}

/// Checks one text; true when the fast reader took it.
fn agree(name: &str, text: &str) -> bool {
    let (fast, full) = yaml_trees(text);
    match fast {
        Some(fast) => {
            assert_eq!(fast, full, "{name}: the fast reader's tree differs from the full parser's\n{text}");
            true
        }
        None => false,
    }
}

#[test]
fn the_fast_reader_agrees_with_the_full_parser_on_every_stored_text() {
    let texts: Vec<_> =
        ["www/examples", "tests/fixtures", "fuzz/corpus/lint", "fuzz/corpus/simulate", "fuzz/corpus/yaml"]
            .into_iter()
            .flat_map(texts_under)
            .collect();
    assert!(texts.len() > 1_000, "{} texts", texts.len());
    let fast = texts.iter().filter(|(name, text)| agree(name, text)).count();
    // Enough texts took the fast path for the comparison to mean something
    // (the fuzz corpora hold mostly texts it leaves to the full parser).
    assert!(fast > 1_000, "only {fast} of {} texts took the fast path", texts.len());
}

#[test]
fn plans_as_people_write_them_take_the_fast_path() {
    let mut texts = texts_under("www/examples");
    texts.push(("examples::large".into(), retreat_core::examples::large()));
    texts.push(("contract example".into(), retreat_core::EXAMPLE_PLAN.into()));
    for seed in 1..=5 {
        texts.push((format!("synth::plan(200, {seed})"), retreat_core::synth::plan(200, seed)));
    }
    for (name, text) in &texts {
        assert!(agree(name, text), "{name} did not take the fast path");
    }
}

/// Small texts at the edges of the subset. Those the fast reader takes
/// must agree with the full parser; the rest (errors, rare forms, texts that
/// might go on past the line) it must leave to the full parser.
#[test]
fn edge_cases_are_taken_alike_or_left_to_the_full_parser() {
    let taken = [
        "a: 1\n",
        "a: 1",
        "a:\n",
        "a:",
        "a:\nb: 2\n",
        "a:   # note\n  b: 1\n",
        "k:\n- a\n-  # c\n- b: 1\n  c: 2\nz: [ x , \"y\" ]  # t\nw: {}\n",
        "d: \"dq\"  # c\ne: x  \n",
        "a: 'it''s'\n",
        "a : b\n",
        "\"q\": 1\n",
        "a: [a, [b, c], {d: e}]\n",
        "a: {x: [1, 2] , y: 'z'}\n",
        "a: { }\n",
        "a: [ ]\n",
        "- a\n- b\n",
        "-\n- \n-   # c\n",
        "a: x\n # c\nb: y\n",
        "a:\n  - x\n  -\n    y: 1\n",
        "a:\n  x\n",
        "a: [x] # c\n",
        "a: x#c\n",
        "a: http://x.y/z?q=1#frag\n",
        "a: 10:30\n",
        "a: é ü\nb: 北京\n",
        "é: 1\n",
        "a: ~\nb: null\nc: true\n",
        "  a: 1\n  b: 2\n",
        "a: 1\na: 2\n",
        "[a, b]\n",
        "{a: b}\n",
        "plain\n",
        "a:\n- x\nb:\n- y\n",
        "a:\n  - b:\n    - c\n",
        "- a: 1\n  b:\n  - x\n- c: 2\n",
        "a: 'x' # c\nb: \"y\"\n",
        "a: \"\"\nb: ''\n",
        "a: .5\n",
        "a: x,y\n",
        "a: x ]\n",
        "a: x}\n",
    ];
    for case in taken {
        assert!(agree(case, case), "{case:?} should take the fast path");
    }
    let declined = [
        "'q' : 1\n",
        "- a\n  b\n",
        "- - a\n",
        "a: b: c\n",
        "a: - b\n",
        "a: x # c\n  y\n",
        "a:\n  x\n  y\n",
        "a: [x]#c\n",
        "a: 'x'#c\n",
        "a: x:\n",
        "a: [x:, y]\n",
        "a: {x:y}\n",
        "a: {x: }\n",
        "a: [x, ]\n",
        "a: [x,, y]\n",
        "a: \"x\" y\n",
        "  a: 1\n b: 2\n",
        "a: 1\n  b: 2\n",
        "a:\n  b: 1\n c: 2\n",
        "---\na: 1\n",
        "a: 1\n...\n",
        "%YAML 1.2\n---\na: 1\n",
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: |\n  x\n",
        "a: >\n  x\n",
        "a: \"x\\ny\"\n",
        "a: \"x\n  y\"\n",
        "a: [x,\n  y]\n",
        "? a\n: b\n",
        "# only a comment\n",
        "",
        "a: -1\n",
        "a: [x]]\n",
        "a: [x] y\n",
        "a: [x]: y\n",
    ];
    for case in declined {
        assert!(!agree(case, case), "{case:?} should be left to the full parser");
    }
}
