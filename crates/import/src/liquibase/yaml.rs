//! Liquibase's YAML and JSON changelogs (JSON is YAML too), read with
//! `saphyr-parser` into a small tree: nesting is capped and aliases are
//! refused, so no input can make the tree grow past its text.

use saphyr_parser::{Event, Parser};

use super::{Change, ChangeSet, Entry, Rollback};
use crate::Error;
use crate::limits::{MAX_DEPTH, MAX_NODES};

#[derive(Debug)]
enum Node {
    Scalar(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

impl Node {
    fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn text(&self) -> Option<String> {
        match self {
            Node::Scalar(s) if !s.trim().is_empty() && s != "~" && s != "null" => Some(s.clone()),
            _ => None,
        }
    }

    fn items(&self) -> &[Node] {
        match self {
            Node::Seq(items) => items,
            _ => &[],
        }
    }

    /// A map of one key, as YAML changelogs write each change: `- createTable: {...}`.
    fn single(&self) -> Option<(&str, &Node)> {
        match self {
            Node::Map(entries) if entries.len() == 1 => entries.first().map(|(k, v)| (k.as_str(), v)),
            _ => None,
        }
    }
}

/// A collection being built.
enum Open {
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>, Option<String>),
}

fn tree(text: &str, path: &str) -> Result<Node, Error> {
    let mut stack: Vec<Open> = Vec::new();
    let mut root = None;
    let mut nodes = 0usize;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| Error::new(format!("`{path}` is not valid YAML or JSON: {e}")))?;
        nodes += 1;
        if nodes > MAX_NODES {
            return Err(Error::new(format!("`{path}` has more than {MAX_NODES} YAML nodes")));
        }
        let done = match event {
            Event::Scalar(s, ..) => Node::Scalar(s.into_owned()),
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(Error::new(format!("`{path}` nests more than {MAX_DEPTH} levels deep")));
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Open::Seq(Vec::new())
                } else {
                    Open::Map(Vec::new(), None)
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Open::Seq(items)) => Node::Seq(items),
                Some(Open::Map(entries, _)) => Node::Map(entries),
                None => continue,
            },
            Event::Alias(_) => {
                return Err(Error::new(format!(
                    "`{path}` uses a YAML alias (line {}): changelogs are read without aliases",
                    span.start.line()
                )));
            }
            _ => continue,
        };
        match stack.last_mut() {
            None => {
                if root.is_none() {
                    root = Some(done);
                }
            }
            Some(Open::Seq(items)) => items.push(done),
            Some(Open::Map(entries, key)) => match key.take() {
                Some(k) => entries.push((k, done)),
                None => match done {
                    Node::Scalar(k) => *key = Some(k),
                    _ => return Err(Error::new(format!("`{path}` has a list or mapping as a key"))),
                },
            },
        }
    }
    root.ok_or_else(|| Error::new(format!("`{path}` is empty")))
}

/// The entries of a YAML or JSON changelog.
pub fn entries(text: &str, path: &str) -> Result<Vec<Entry>, Error> {
    let root = tree(text, path)?;
    let Some(log) = root.get("databaseChangeLog") else {
        return Err(Error::new(format!("`{path}` is no Liquibase changelog: it has no `databaseChangeLog`")));
    };
    let mut out = Vec::new();
    for item in log.items() {
        let Some((kind, body)) = item.single() else { continue };
        let relative =
            body.get("relativeToChangelogFile").and_then(Node::text).is_some_and(|v| v.eq_ignore_ascii_case("true"));
        match kind {
            "changeSet" => out.push(Entry::ChangeSet(change_set(body))),
            "include" => {
                out.push(Entry::Include { file: body.get("file").and_then(Node::text).unwrap_or_default(), relative })
            }
            "includeAll" => out
                .push(Entry::IncludeAll { path: body.get("path").and_then(Node::text).unwrap_or_default(), relative }),
            _ => {}
        }
    }
    Ok(out)
}

fn change_set(body: &Node) -> ChangeSet {
    let list = body.get("changes").map(changes).unwrap_or_default();
    let rollback = body.get("rollback").map(|r| match r {
        Node::Scalar(s) if s.trim().is_empty() || s == "~" || s == "null" => Rollback::Empty,
        Node::Scalar(s) => Rollback::Sql(s.trim().to_string()),
        Node::Map(_) if r.get("changeSetId").is_some() => Rollback::Ref {
            id: r.get("changeSetId").and_then(Node::text).unwrap_or_default(),
            author: r.get("changeSetAuthor").and_then(Node::text).unwrap_or_default(),
        },
        _ => {
            let list = changes(r);
            if list.is_empty() { Rollback::Empty } else { Rollback::Changes(list) }
        }
    });
    ChangeSet {
        id: body.get("id").and_then(Node::text).unwrap_or_default(),
        author: body.get("author").and_then(Node::text).unwrap_or_default(),
        comment: body.get("comment").and_then(Node::text),
        changes: list,
        rollback,
    }
}

/// A list of `- kind: {...}` (or one such map).
fn changes(node: &Node) -> Vec<Change> {
    let one = std::slice::from_ref(node);
    let items = if matches!(node, Node::Seq(_)) { node.items() } else { one };
    items.iter().filter_map(Node::single).map(|(kind, body)| change(kind, body)).collect()
}

fn change(kind: &str, body: &Node) -> Change {
    let mut attrs = Vec::new();
    if let Node::Map(entries) = body {
        for (k, v) in entries {
            if let Some(t) = v.text() {
                attrs.push((k.clone(), t));
            }
        }
    }
    let columns = body
        .get("columns")
        .map(|c| c.items().iter().filter_map(|i| i.get("column")?.get("name")?.text()).collect())
        .unwrap_or_default();
    let sql = match body {
        Node::Scalar(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => body.get("sql").and_then(Node::text),
    };
    Change { kind: kind.to_string(), attrs, sql, columns }
}
