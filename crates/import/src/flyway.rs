//! Flyway directories: `V<version>__<description>.sql` migrations in
//! version order, one step each, with `U<version>__*.sql` as the undo when
//! there is one. Repeatable `R__*.sql` scripts run again whenever they
//! change, at no point of their own, so a rollback plan has no place for
//! them: they are reported.

use std::collections::BTreeMap;

use crate::Error;
use crate::draft::{Draft, NoteKind, Step, Undo, one_line};
use crate::{Files, title_from};

/// A version, compared part by part as numbers (`1.10` after `1.9`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Version(Vec<u64>);

impl Version {
    fn show(&self) -> String {
        self.0.iter().map(u64::to_string).collect::<Vec<_>>().join(".")
    }
}

/// `V1_1__Add_people.sql` → (`V`, 1.1, `Add people`); `R__x.sql` → version `None`.
fn migration(file: &str) -> Option<(char, Option<Version>, String)> {
    let stem = file.strip_suffix(".sql")?;
    let prefix = stem.chars().next().filter(|c| matches!(c, 'V' | 'U' | 'R'))?;
    let (version, description) = stem[1..].split_once("__")?;
    let description = description.replace('_', " ").trim().to_string();
    if prefix == 'R' {
        return version.is_empty().then_some((prefix, None, description));
    }
    let mut parts: Vec<u64> = version.split(['.', '_']).map(|p| p.parse().ok()).collect::<Option<_>>()?;
    // Flyway reads `1.0` as `1`.
    while parts.len() > 1 && parts.last() == Some(&0) {
        parts.pop();
    }
    (!parts.is_empty()).then_some((prefix, Some(Version(parts)), description))
}

pub fn import(files: &Files, root_name: &str, draft: &mut Draft) -> Result<(), Error> {
    let mut forward: BTreeMap<Version, (String, String)> = BTreeMap::new();
    let mut undo: BTreeMap<Version, String> = BTreeMap::new();
    for path in files.keys() {
        let file = path.rsplit('/').next().unwrap_or(path);
        match migration(file) {
            Some(('V', Some(v), description)) => {
                if let Some((other, _)) = forward.get(&v) {
                    return Err(Error::new(format!(
                        "`{path}` and `{other}` are both version {}: Flyway refuses two migrations of one version, and so does the import",
                        v.show()
                    )));
                }
                forward.insert(v, (path.to_string(), description));
            }
            Some(('U', Some(v), _)) => {
                undo.insert(v, path.to_string());
            }
            Some(('R', None, _)) => draft.note(
                NoteKind::NotImported,
                format!("`{path}`"),
                "a repeatable migration runs again whenever it changes, at no point of its own: it has no place in a rollback plan",
            ),
            _ if file.ends_with(".sql") => {
                draft.note(NoteKind::Ignored, format!("`{path}`"), "not named as a Flyway migration (`V1__name.sql`)");
            }
            _ => {}
        }
    }
    if forward.is_empty() {
        return Err(Error::new(format!(
            "`{root_name}` holds no Flyway migrations: expected files named like `V1__Create_person_table.sql`"
        )));
    }
    for (v, path) in &undo {
        if !forward.contains_key(v) {
            draft.note(
                NoteKind::NotImported,
                format!("`{path}`"),
                format!("an undo of version {}, which has no migration here", v.show()),
            );
        }
    }
    draft.title = title_from(root_name);
    draft.title_guess = Some("the directory name".into());
    let mut steps = Vec::new();
    for (v, (path, description)) in &forward {
        let mut s = Step { id: format!("V{}", v.show()), ..Step::default() };
        let what = if description.is_empty() { String::new() } else { format!(": {description}") };
        s.do_ = format!("Migrate to version {}{what} ({})", v.show(), one_line(path));
        if let Some(u) = undo.get(v) {
            s.undo = Some(Undo { do_: format!("Undo version {} ({})", v.show(), one_line(u)), ..Undo::default() });
        }
        steps.push(s);
    }
    crate::draft::settle_ids(&mut steps);
    draft.steps = steps;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(migration("V1_1__Add_people.sql"), Some(('V', Some(Version(vec![1, 1])), "Add people".into())));
        assert_eq!(migration("R__view.sql").map(|m| m.1), Some(None));
        assert_eq!(migration("V__x.sql"), None);
        assert_eq!(migration("notes.sql"), None);
    }
}
