//! Broken and hostile inputs to `retreat import`: each ends in one clear
//! error (exit 2 on the command line) that names what was expected, in
//! bounded time and memory, never a panic or half a plan.

use std::time::{Duration, Instant};

use retreat_import::{Format, Input, Source, import};

use crate::support::{TempFile, retreat};

/// Imports `files` (the first the file given, or a directory when `dir`).
fn error_of(files: &[(&str, &[u8])], dir: bool, from: Option<Format>) -> String {
    let input = Input {
        name: if dir { "project" } else { files[0].0 },
        files: files.iter().map(|(p, b)| Source { path: p, bytes: b }).collect(),
        main: (!dir).then_some(files[0].0),
    };
    let started = Instant::now();
    let result = import(&input, from);
    assert!(started.elapsed() < Duration::from_secs(5), "{:?} took {:?}", files[0].0, started.elapsed());
    match result {
        Ok(i) => panic!("{} imported:\n{}", files[0].0, i.yaml),
        Err(e) => e.to_string(),
    }
}

/// What is wrong, the files, whether they are a directory, `--from`, and
/// what the error must say.
type Case<'a> = (&'a str, Vec<(&'a str, Vec<u8>)>, bool, Option<Format>, &'a str);

fn bomb() -> String {
    let mut s = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let prev = if i == 1 { "lol".to_string() } else { format!("lol{}", i - 1) };
        s.push_str(&format!(" <!ENTITY lol{i} \"{}\">\n", format!("&{prev};").repeat(10)));
    }
    s.push_str(
        "]>\n<databaseChangeLog><changeSet id=\"1\" author=\"x\"><sql>&lol9;</sql></changeSet></databaseChangeLog>\n",
    );
    s
}

#[test]
fn each_broken_or_hostile_input_gets_a_clear_error() {
    let deep_xml = format!("<databaseChangeLog>{}{}</databaseChangeLog>", "<a>".repeat(10_000), "</a>".repeat(10_000));
    let deep_yaml = format!("databaseChangeLog: {}{}", "[".repeat(10_000), "]".repeat(10_000));
    let alias_bomb = "databaseChangeLog:\n  - &a [x, x, x]\n  - &b [*a, *a, *a]\n  - [*b, *b, *b]\n";
    let too_many = {
        let mut s = String::from("task\n");
        for i in 0..100_001 {
            s.push_str(&format!("step {i}\n"));
        }
        s
    };
    let junk: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let cases: Vec<Case> = vec![
        ("binary junk named .csv", vec![("junk.csv", junk.clone())], false, None, "not UTF-8 text"),
        ("NUL bytes", vec![("nul.csv", b"task\0\n".to_vec())], false, None, "NUL"),
        ("an empty spreadsheet", vec![("empty.csv", b"\n\n".to_vec())], false, None, "is empty"),
        ("no header row", vec![("plain.csv", b"Stop the feed,5\nStart it,5\n".to_vec())], false, None, "no header row"),
        (
            "the header on row 3",
            vec![("late.csv", b"Change plan,,\nprepared by Ops,,\nTask,Owner,Duration\nStop,Ops,5\n".to_vec())],
            false,
            None,
            "row 3",
        ),
        (
            "no task column",
            vec![("notask.csv", b"id,owner\n1,Ops\n".to_vec())],
            false,
            None,
            "no column for what each step does",
        ),
        ("a row without its task", vec![("gap.csv", b"task,owner\nStop,Ops\n,Ops\n".to_vec())], false, None, "row 3"),
        ("an unclosed quote", vec![("quote.csv", b"task,owner\n\"Stop,Ops\n".to_vec())], false, None, "never closed"),
        ("a header and no steps", vec![("head.csv", b"task,owner\n,\n".to_vec())], false, None, "gives no steps"),
        ("more steps than a plan holds", vec![("big.csv", too_many.into_bytes())], false, None, "100000"),
        (
            "Markdown without lists or tables",
            vec![("notes.md", b"# Notes\n\nJust prose.\n".to_vec())],
            false,
            None,
            "no list items",
        ),
        ("an XML entity bomb", vec![("bomb.xml", bomb().into_bytes())], false, None, "entities are not expanded"),
        ("XML nested 10,000 deep", vec![("deep.xml", deep_xml.into_bytes())], false, None, "deep"),
        (
            "XML that is not well-formed",
            vec![("bad.xml", b"<databaseChangeLog><changeSet></databaseChangeLog>".to_vec())],
            false,
            None,
            "not well-formed",
        ),
        (
            "XML of another kind",
            vec![("pom.xml", b"<project><databaseChangeLog/></project>".to_vec())],
            false,
            None,
            "not a Liquibase changelog",
        ),
        ("YAML nested 10,000 deep", vec![("deep.yaml", deep_yaml.into_bytes())], false, None, "deep"),
        ("a YAML alias bomb", vec![("alias.yaml", alias_bomb.as_bytes().to_vec())], false, None, "alias"),
        (
            "a changelog without changeSets",
            vec![("none.yaml", b"databaseChangeLog: []\n".to_vec())],
            false,
            None,
            "no changeSets",
        ),
        (
            "a cyclic include",
            vec![
                ("a.xml", b"<databaseChangeLog><include file=\"b.xml\"/></databaseChangeLog>".to_vec()),
                ("b.xml", b"<databaseChangeLog><include file=\"a.xml\"/></databaseChangeLog>".to_vec()),
            ],
            false,
            None,
            "cycle: a.xml \u{2192} b.xml \u{2192} a.xml",
        ),
        (
            "a Retreat plan already",
            vec![("plan.yaml", b"title: x\nsteps:\n  - id: a\n".to_vec())],
            false,
            None,
            "Retreat plan already",
        ),
        (
            "a formatted SQL changelog",
            vec![("changes.sql", b"--liquibase formatted sql\n--changeset a:1\n".to_vec())],
            false,
            None,
            "formatted SQL",
        ),
        (
            "a broken sqitch.plan",
            vec![("sqitch.plan", b"%project=x\nusers [appschema\n".to_vec())],
            false,
            None,
            "line 2",
        ),
        ("a sqitch.plan without changes", vec![("sqitch.plan", b"%project=x\n".to_vec())], false, None, "no changes"),
        (
            "two Flyway migrations of one version",
            vec![("V1__a.sql", b"--".to_vec()), ("V1.0__b.sql", b"--".to_vec())],
            true,
            None,
            "both version 1",
        ),
        ("a directory of nothing importable", vec![("README.txt", b"hello".to_vec())], true, None, "no sqitch.plan"),
        (
            "a directory that could be two things",
            vec![("sqitch.plan", b"%project=x\n".to_vec()), ("V1__a.sql", b"--".to_vec())],
            true,
            None,
            "could be sqitch or flyway",
        ),
        (
            "a spreadsheet imported as Flyway, beside migrations",
            vec![("sheet.csv", b"task\nStop the feed\n".to_vec()), ("sql/V1__init.sql", b"--".to_vec())],
            false,
            Some(Format::Flyway),
            "`sheet.csv` is no Flyway migration (V1__name.sql): give the directory that holds them",
        ),
        (
            "an unknown kind of file",
            vec![("notes", b"just some words\nmore words\n".to_vec())],
            false,
            None,
            "give `--from`",
        ),
    ];
    assert!(cases.len() >= 20);
    for (what, files, dir, from, expected) in &cases {
        let borrowed: Vec<(&str, &[u8])> = files.iter().map(|(p, b)| (*p, b.as_slice())).collect();
        let message = error_of(&borrowed, *dir, *from);
        assert!(message.contains(expected), "{what}: {message}");
    }
}

#[test]
fn the_command_line_says_why_and_exits_2() {
    let missing = retreat(&["import", "no/such/file.csv"], None, None);
    assert_eq!(missing.status, 2);
    assert!(missing.stderr.contains("cannot read `no/such/file.csv`: no such file"), "{}", missing.stderr);
    assert!(missing.stdout.is_empty());
    let junk = TempFile::new("junk.csv", &[0xFF, 0xFE, 0x00, 0xD8, 0x00]);
    let run = retreat(&["import", junk.path_str()], None, None);
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(run.stderr.contains("cannot import"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "no half plan: {}", run.stdout);
    let bad_from = retreat(&["import", "x.csv", "--from", "excel"], None, None);
    assert_eq!(bad_from.status, 2);
    assert!(bad_from.stderr.contains("unknown format `excel`"), "{}", bad_from.stderr);
    let no_to = retreat(&["export", "www/examples/hl7-engine-replacement.yaml"], None, None);
    assert_eq!(no_to.status, 2);
    assert!(no_to.stderr.contains("needs `--to"), "{}", no_to.stderr);
}

#[test]
fn a_100_mb_csv_is_refused_at_the_size_limit() {
    let mut big = b"task,owner\n".to_vec();
    big.resize(100 << 20, b'x');
    let file = TempFile::new("huge.csv", &big);
    drop(big);
    let started = Instant::now();
    let run = retreat(&["import", file.path_str()], None, None);
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(run.stderr.contains("larger than 32 MiB"), "{}", run.stderr);
    assert!(started.elapsed() < Duration::from_secs(20), "{:?}", started.elapsed());
}
