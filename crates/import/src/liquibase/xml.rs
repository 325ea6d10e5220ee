//! Liquibase's XML changelogs, read with `quick-xml` into a small element
//! tree. No entity is expanded but the five XML predefines and character
//! references: a DTD is skipped, and a reference to an entity it declares
//! is an error, so an entity bomb is refused instead of grown.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{Change, ChangeSet, Entry, Rollback};
use crate::Error;
use crate::limits::{MAX_DEPTH, MAX_NODES};

/// An element: its local name (no namespace prefix), attributes, child
/// elements and text.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

fn open(e: &BytesStart, path: &str) -> Result<Element, Error> {
    let name = e.local_name().as_ref().to_string();
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| Error::new(format!("`{path}` is not well-formed XML: {err}")))?;
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|err| Error::new(format!("`{path}`: {err} (only the five predefined XML entities are read)")))?;
        attrs.push((a.key.local_name().as_ref().to_string(), value.into_owned()));
    }
    Ok(Element { name, attrs, ..Element::default() })
}

/// The document's root element.
fn tree(text: &str, path: &str) -> Result<Element, Error> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = vec![Element::default()];
    let mut nodes = 0usize;
    let bad =
        |e: &dyn std::fmt::Display, at: u64| Error::new(format!("`{path}` is not well-formed XML (at byte {at}): {e}"));
    loop {
        let at = reader.buffer_position();
        let event = reader.read_event().map_err(|e| bad(&e, at))?;
        nodes += 1;
        if nodes > MAX_NODES {
            return Err(Error::new(format!("`{path}` has more than {MAX_NODES} XML nodes")));
        }
        match event {
            Event::Start(e) => {
                if stack.len() > MAX_DEPTH {
                    return Err(Error::new(format!("`{path}` nests elements more than {MAX_DEPTH} deep")));
                }
                stack.push(open(&e, path)?);
            }
            Event::Empty(e) => {
                let el = open(&e, path)?;
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(el);
                }
            }
            Event::End(_) => {
                let el = stack.pop().unwrap_or_default();
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => return Err(bad(&"an end tag without its start", at)),
                }
            }
            Event::Text(t) => push(&mut stack, &t.xml_content(quick_xml::XmlVersion::Implicit1_0)),
            Event::CData(t) => push(&mut stack, &t.into_inner()),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => {
                        let name: String = r.as_ref().to_string();
                        quick_xml::escape::resolve_predefined_entity(&name).map(str::to_string).ok_or_else(|| {
                            Error::new(format!(
                                "`{path}` uses the entity `&{name};`: entities are not expanded (only `&lt;`, `&gt;`, `&amp;`, `&apos;` and `&quot;`), so a changelog must not need them"
                            ))
                        })?
                    }
                    Err(e) => return Err(bad(&e, at)),
                };
                push(&mut stack, &resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err(Error::new(format!("`{path}` ends before its elements are closed")));
    }
    let root = stack.pop().unwrap_or_default();
    root.children.into_iter().next().ok_or_else(|| Error::new(format!("`{path}` has no root element")))
}

fn push(stack: &mut [Element], text: &str) {
    if let Some(el) = stack.last_mut() {
        el.text.push_str(text);
    }
}

/// The entries of an XML changelog.
pub fn entries(text: &str, path: &str) -> Result<Vec<Entry>, Error> {
    let root = tree(text, path)?;
    if root.name != "databaseChangeLog" {
        return Err(Error::new(format!(
            "`{path}` is XML but not a Liquibase changelog: its root is `<{}>`, not `<databaseChangeLog>`",
            root.name
        )));
    }
    let mut out = Vec::new();
    for el in &root.children {
        let relative = el.attr("relativeToChangelogFile").is_some_and(|v| v.eq_ignore_ascii_case("true"));
        match el.name.as_str() {
            "changeSet" => out.push(Entry::ChangeSet(change_set(el))),
            "include" => out.push(Entry::Include { file: el.attr("file").unwrap_or_default().to_string(), relative }),
            "includeAll" => {
                out.push(Entry::IncludeAll { path: el.attr("path").unwrap_or_default().to_string(), relative })
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Elements of a changeSet that are no change.
const NOT_CHANGES: [&str; 5] = ["comment", "rollback", "preConditions", "validCheckSum", "modifySql"];

fn change_set(el: &Element) -> ChangeSet {
    let comment =
        el.children.iter().find(|c| c.name == "comment").map(|c| c.text.trim().to_string()).filter(|c| !c.is_empty());
    let changes = el.children.iter().filter(|c| !NOT_CHANGES.contains(&c.name.as_str())).map(change).collect();
    let rollback = el.children.iter().find(|c| c.name == "rollback").map(rollback);
    ChangeSet {
        id: el.attr("id").unwrap_or_default().to_string(),
        author: el.attr("author").unwrap_or_default().to_string(),
        comment,
        changes,
        rollback,
    }
}

fn change(el: &Element) -> Change {
    let columns =
        el.children.iter().filter(|c| c.name == "column").filter_map(|c| c.attr("name")).map(str::to_string).collect();
    let sql = Some(el.text.trim().to_string()).filter(|t| !t.is_empty());
    Change { kind: el.name.clone(), attrs: el.attrs.clone(), sql, columns }
}

fn rollback(el: &Element) -> Rollback {
    if let Some(id) = el.attr("changeSetId") {
        return Rollback::Ref {
            id: id.to_string(),
            author: el.attr("changeSetAuthor").unwrap_or_default().to_string(),
        };
    }
    let changes: Vec<Change> = el.children.iter().map(change).collect();
    let sql = el.text.trim();
    match (changes.is_empty(), sql.is_empty()) {
        (false, _) => Rollback::Changes(changes),
        (true, false) => Rollback::Sql(sql.to_string()),
        (true, true) => Rollback::Empty,
    }
}
