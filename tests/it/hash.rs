//! The plan hash: what it covers and what it ignores.

use retreat_core::parse;

fn hash(text: &str) -> String {
    parse(text).hash.expect("a readable plan has a hash")
}

#[test]
fn known_vector() {
    // Canonical JSON: {"steps":[{"do":"x y z","id":"a","takes":15}],"title":"T é\"q\""}
    let text = "title: 'T é\"q\"'\nsteps:\n  - {id: a, do: x y z, takes: 15.0}\napprovals: [{by: me}]\n";
    assert_eq!(hash(text), "sha256:561fdd584cf77af24dfad79693af3e3ef46573d412c84e67449bc576a4d18077");
}

#[test]
fn formatting_comments_and_key_order_do_not_count() {
    let a = "title: T\nsteps:\n  - id: a\n    do: x y z\n";
    let b = "# a comment\nsteps: [ { do: \"x y z\", id: a } ]   # flow style\ntitle: T\n";
    assert_eq!(hash(a), hash(b));
}

#[test]
fn approvals_do_not_count_but_every_value_does() {
    let base = "title: T\nsteps:\n  - {id: a, do: x y z, takes: 5m}\n";
    let approved = format!("{base}approvals:\n  - by: Someone\n    date: 2026-11-20\n");
    assert_eq!(hash(base), hash(&approved));
    assert_ne!(hash(base), hash(&base.replace("5m", "6m")));
    assert_ne!(hash(base), hash(&base.replace("title: T", "title: U")));
}

#[test]
fn no_hash_when_the_text_is_cut_short() {
    assert_eq!(parse("title: T\nsteps: [\n").hash, None);
}

#[test]
fn an_approval_of_the_current_hash_is_not_stale() {
    let base = "title: T\nsteps:\n  - {id: a, do: x y z, takes: 5m}\n";
    let h = hash(base);
    let fresh = format!("{base}approvals: [{{by: Someone, plan_hash: '{h}'}}]\n");
    assert!(!crate::support::codes(&fresh).contains(&"C005"));
    let stale = format!("{}approvals: [{{by: Someone, plan_hash: '{h}'}}]\n", base.replace("5m", "6m"));
    assert!(crate::support::codes(&stale).contains(&"C005"));
    // Upper-case hex is the same hash.
    let upper =
        format!("{base}approvals: [{{by: Someone, plan_hash: 'sha256:{}'}}]\n", h["sha256:".len()..].to_uppercase());
    assert!(!crate::support::codes(&upper).contains(&"C005"));
}

#[test]
fn the_crew_counts_in_the_hash() {
    let base = "title: T\nsteps:\n  - {id: a, do: x y z, takes: 5m, owner: DBA}\n";
    let crewed = format!("{base}crew: {{DBA: 1}}\n");
    assert_ne!(hash(base), hash(&crewed));
    assert_ne!(hash(&crewed), hash(&crewed.replace("DBA: 1", "DBA: 2")));
    assert_ne!(hash(&crewed), hash(&crewed.replace("{DBA: 1}", "{\"*\": 1}")));
    // Written another way, the same crew is the same plan.
    assert_eq!(hash(&crewed), hash(&format!("crew:\n  DBA: 1\n{base}")));
}
