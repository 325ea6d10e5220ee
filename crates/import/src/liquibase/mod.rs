//! Liquibase changelogs in XML, YAML or JSON: one step per changeSet, in
//! the order Liquibase runs them (includes followed where they are among
//! the files given, reported where not). A `rollback` block is the undo; a
//! changeSet made only of change types Liquibase rolls back by itself
//! ([`AUTO_ROLLBACK`]) gets that as its undo; `dropTable`, `dropColumn`,
//! `delete` and raw `sql` without a rollback have none, and the data they
//! remove goes into `destroys`.

mod xml;
mod yaml;

use crate::Error;
use crate::draft::{Draft, NoteKind, Step, Undo, one_line};
use crate::limits::MAX_INCLUDE_DEPTH;
use crate::{Files, title_from};

/// The change types Liquibase's documentation ("What change types can I
/// use auto rollback with?") marks as rolled back automatically in XML,
/// YAML and JSON changelogs, with what the rollback does; `renameColumn`,
/// `renameTable`, `renameView` and `tagDatabase` from its list of inverses,
/// `empty` and `output` since Liquibase 4.22. Every other type needs a
/// `rollback` block.
pub const AUTO_ROLLBACK: &[(&str, &str)] = &[
    ("addCheckConstraint", "drop the check constraint"),
    ("addColumn", "drop the column"),
    ("addDefaultValue", "drop the default value"),
    ("addForeignKeyConstraint", "drop the foreign key constraint"),
    ("addLookupTable", "drop the foreign key constraint and the table"),
    ("addNotNullConstraint", "drop the not-null constraint"),
    ("addPrimaryKey", "drop the primary key"),
    ("addUniqueConstraint", "drop the unique constraint"),
    ("createIndex", "drop the index"),
    ("createSequence", "drop the sequence"),
    ("createSynonym", "drop the synonym"),
    ("createTable", "drop the table"),
    ("createView", "drop the view"),
    ("disableCheckConstraint", "enable the check constraint"),
    ("disableTrigger", "enable the trigger"),
    ("dropNotNullConstraint", "add the not-null constraint back"),
    ("enableCheckConstraint", "disable the check constraint"),
    ("enableTrigger", "disable the trigger"),
    ("renameColumn", "rename the column back"),
    ("renameTable", "rename the table back"),
    ("renameView", "rename the view back"),
    ("tagDatabase", "remove the tag"),
    ("empty", "nothing"),
    ("output", "nothing"),
];

#[derive(Debug)]
pub(crate) enum Entry {
    ChangeSet(ChangeSet),
    Include { file: String, relative: bool },
    IncludeAll { path: String, relative: bool },
}

#[derive(Debug)]
pub(crate) struct ChangeSet {
    pub id: String,
    pub author: String,
    pub comment: Option<String>,
    pub changes: Vec<Change>,
    pub rollback: Option<Rollback>,
}

#[derive(Debug)]
pub(crate) struct Change {
    pub kind: String,
    pub attrs: Vec<(String, String)>,
    /// The SQL of an `sql` change (or any text the element holds).
    pub sql: Option<String>,
    /// Column names given as nested `column` entries.
    pub columns: Vec<String>,
}

impl Change {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// `createTable department`, `addColumn person.email`.
    fn summary(&self) -> String {
        let object = [
            "tableName",
            "viewName",
            "indexName",
            "sequenceName",
            "constraintName",
            "procedureName",
            "tag",
            "newTableName",
        ]
        .iter()
        .find_map(|k| self.attr(k));
        let column = self
            .attr("columnName")
            .map(str::to_string)
            .or_else(|| (!self.columns.is_empty()).then(|| self.columns.join(", ")));
        match (self.kind.as_str(), object, column, &self.sql) {
            ("sql", _, _, Some(sql)) => format!("sql `{}`", one_line(sql)),
            (_, Some(o), Some(c), _) => format!("{} {o} ({c})", self.kind),
            (_, Some(o), None, _) => format!("{} {o}", self.kind),
            _ => self.kind.clone(),
        }
    }

    /// What the change removes, if it is one that removes data.
    fn destroys(&self) -> Vec<String> {
        let table = self.attr("tableName").unwrap_or_default();
        match self.kind.as_str() {
            "dropTable" | "delete" if !table.is_empty() => vec![table.to_string()],
            "dropColumn" => {
                let mut cols: Vec<String> = self.attr("columnName").map(str::to_string).into_iter().collect();
                cols.extend(self.columns.iter().cloned());
                cols.into_iter().map(|c| if table.is_empty() { c } else { format!("{table}.{c}") }).collect()
            }
            "sql" => self.sql.as_deref().map(crate::sql::destroys).unwrap_or_default(),
            _ => Vec::new(),
        }
    }
}

#[derive(Debug)]
pub(crate) enum Rollback {
    /// `<rollback/>`: nothing to roll back.
    Empty,
    Changes(Vec<Change>),
    Sql(String),
    /// Roll back by running another changeSet's changes.
    Ref {
        id: String,
        author: String,
    },
}

/// Whether a file is a changelog, by its content.
pub fn is_changelog(path: &str, text: &str) -> bool {
    text.contains("databaseChangeLog")
        && (path.ends_with(".xml") || path.ends_with(".yaml") || path.ends_with(".yml") || path.ends_with(".json"))
}

/// The changeSets of `path` and of everything it includes, in order.
pub fn import(files: &Files, path: &str, root_name: &str, draft: &mut Draft) -> Result<(), Error> {
    let mut sets = Vec::new();
    let mut stack = Vec::new();
    walk(files, path, &mut stack, &mut sets, draft)?;
    if sets.is_empty() {
        return Err(Error::new(format!(
            "`{path}` has no changeSets (counting what it includes): there is no step to import"
        )));
    }
    if sets.len() > retreat_core::limits::MAX_STEPS {
        return Err(Error::new(format!(
            "the changelog has more than {} changeSets, the most a plan can hold",
            retreat_core::limits::MAX_STEPS
        )));
    }
    draft.title = title_from(root_name);
    draft.title_guess = Some("the name of the file or directory given".into());
    draft.steps = sets.into_iter().map(|(file, set)| step(&file, set)).collect();
    crate::draft::settle_ids(&mut draft.steps);
    Ok(())
}

fn walk(
    files: &Files,
    path: &str,
    stack: &mut Vec<String>,
    out: &mut Vec<(String, ChangeSet)>,
    draft: &mut Draft,
) -> Result<(), Error> {
    if let Some(at) = stack.iter().position(|p| p == path) {
        let mut cycle: Vec<&str> = stack[at..].iter().map(String::as_str).collect();
        cycle.push(path);
        return Err(Error::new(format!("the changelogs include each other in a cycle: {}", cycle.join(" → "))));
    }
    if stack.len() >= MAX_INCLUDE_DEPTH {
        return Err(Error::new(format!("includes nest more than {MAX_INCLUDE_DEPTH} deep, at `{path}`")));
    }
    let bytes = files.get(path).ok_or_else(|| Error::new(format!("`{path}` is not among the files given")))?;
    let text = crate::csv::decode(bytes, path, "a Liquibase changelog (XML, YAML or JSON)")?;
    if text.trim_start().starts_with("--") && text.to_lowercase().contains("liquibase formatted sql") {
        draft.note(
            NoteKind::NotImported,
            format!("`{path}`"),
            "a formatted SQL changelog: only XML, YAML and JSON changelogs are read",
        );
        return Ok(());
    }
    let entries = if path.ends_with(".xml") || text.trim_start().starts_with('<') {
        xml::entries(&text, path)?
    } else {
        yaml::entries(&text, path)?
    };
    stack.push(path.to_string());
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    for entry in entries {
        match entry {
            Entry::ChangeSet(set) => out.push((path.to_string(), set)),
            Entry::Include { file, relative } => match locate(files, dir, &file, relative) {
                Some(found) => walk(files, &found, stack, out, draft)?,
                None => draft.note(
                    NoteKind::NotImported,
                    format!("`{path}`"),
                    format!("includes `{file}`, which is not among the files given"),
                ),
            },
            Entry::IncludeAll { path: folder, relative } => {
                let base = join(if relative { dir } else { "" }, &folder);
                let prefix = if base.is_empty() { String::new() } else { format!("{}/", base.trim_end_matches('/')) };
                let found: Vec<String> = files
                    .iter()
                    .filter(|(k, _)| k.starts_with(&prefix) && !stack.iter().any(|s| s == *k))
                    .filter(|(k, v)| is_changelog(k, &String::from_utf8_lossy(v)))
                    .map(|(k, _)| k.to_string())
                    .collect();
                if found.is_empty() {
                    draft.note(
                        NoteKind::NotImported,
                        format!("`{path}`"),
                        format!("includes all of `{folder}`, which holds no changelog among the files given"),
                    );
                }
                for f in found {
                    walk(files, &f, stack, out, draft)?;
                }
            }
        }
    }
    stack.pop();
    Ok(())
}

/// Where an included file is: beside the changelog when it says it is
/// relative, else from the top of the files given (Liquibase's search
/// path), trying the other place too.
fn locate(files: &Files, dir: &str, file: &str, relative: bool) -> Option<String> {
    let beside = join(dir, file);
    let top = join("", file);
    let order = if relative { [beside, top] } else { [top, beside] };
    order.into_iter().find(|p| files.contains_key(p.as_str()))
}

/// `dir` + `file`, with `.` and `..` worked out and a leading `/` or
/// `classpath:` dropped.
fn join(dir: &str, file: &str) -> String {
    let file = file.trim().trim_start_matches("classpath:");
    let mut parts: Vec<&str> =
        if file.starts_with('/') { Vec::new() } else { dir.split('/').filter(|p| !p.is_empty()).collect() };
    for part in file.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn step(file: &str, set: ChangeSet) -> Step {
    let mut s = Step { id: set.id.clone(), ..Step::default() };
    let summary: Vec<String> = set.changes.iter().map(Change::summary).collect();
    let what = set
        .comment
        .clone()
        .unwrap_or_else(|| if summary.is_empty() { "no changes".into() } else { summary.join("; ") });
    let by = if set.author.is_empty() { String::new() } else { format!(" by {}", set.author) };
    s.do_ =
        format!("{what} (Liquibase changeSet {}{by}, {file})", if set.id.is_empty() { "without id" } else { &set.id });
    if set.id.is_empty() {
        s.guess("id", "generated: the changeSet has no id");
    }
    match &set.rollback {
        Some(Rollback::Empty) => {
            s.undo = Some(Undo {
                do_: "Nothing to roll back: the changeSet's rollback block is empty".into(),
                ..Undo::default()
            })
        }
        Some(Rollback::Sql(sql)) => {
            s.undo = Some(Undo { do_: format!("Roll back with SQL: {}", one_line(sql)), ..Undo::default() })
        }
        Some(Rollback::Changes(list)) => {
            let what: Vec<String> = list.iter().map(Change::summary).collect();
            s.undo = Some(Undo { do_: format!("Roll back: {}", what.join("; ")), ..Undo::default() });
        }
        Some(Rollback::Ref { id, author }) => {
            let by = if author.is_empty() { String::new() } else { format!(" by {author}") };
            s.undo = Some(Undo { do_: format!("Roll back by running changeSet {id}{by} again"), ..Undo::default() });
        }
        None => {
            let auto: Option<Vec<String>> = set
                .changes
                .iter()
                .map(|c| {
                    AUTO_ROLLBACK
                        .iter()
                        .find(|(k, _)| *k == c.kind)
                        .map(|(_, undo)| format!("{undo} ({})", c.summary()))
                })
                .collect();
            match auto.filter(|a| !a.is_empty()) {
                Some(undos) => {
                    s.undo = Some(Undo {
                        do_: format!("Liquibase rolls it back by itself: {}", undos.join("; ")),
                        ..Undo::default()
                    });
                    s.guess("undo", "Liquibase's automatic rollback of these change types");
                }
                None => {
                    for c in &set.changes {
                        s.destroys.extend(c.destroys());
                        if c.kind == "sql" && c.destroys().is_empty() {
                            s.remarks
                                .push("raw SQL without a rollback: what it removes, if anything, is not known".into());
                        }
                    }
                    s.destroys.dedup();
                    if !s.destroys.is_empty() {
                        s.guess("destroys", "the data its changes remove");
                    }
                }
            }
        }
    }
    s
}
