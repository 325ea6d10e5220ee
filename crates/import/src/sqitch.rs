//! Sqitch projects: `sqitch.plan` gives one step per change, in order, its
//! `[dependencies]` the step's `after`; `revert/<change>.sql` is the undo
//! and `verify/<change>.sql` the step's `verify`. A reworked change (one
//! that appears again after a tag) is a step of its own, named
//! `<change>@<tag>` as Sqitch names its earlier version; a dependency on
//! another project is kept as a comment and reported, since the plan
//! cannot wait for a step it does not have.

use std::collections::HashMap;

use crate::Error;
use crate::draft::{After, Draft, NoteKind, Step, Undo, id_from, one_line};
use crate::{Files, title_from};

struct Change {
    name: String,
    deps: Vec<String>,
    note: String,
    line: usize,
}

struct Tag {
    name: String,
    /// How many changes came before it.
    changes_before: usize,
}

/// Reads the plan at `plan_path` (a key of `files`), with its scripts
/// beside it.
pub fn import(files: &Files, plan_path: &str, root_name: &str, draft: &mut Draft) -> Result<(), Error> {
    let bytes = files.get(plan_path).ok_or_else(|| Error::new(format!("`{plan_path}` is missing")))?;
    let text = crate::csv::decode(bytes, plan_path, "a Sqitch plan")?;
    let (project, changes, tags) = parse(&text, plan_path)?;
    let dir = plan_path.rsplit_once('/').map_or(String::new(), |(d, _)| format!("{d}/"));
    match &project {
        Some(p) => draft.title = p.clone(),
        None => {
            draft.title = title_from(root_name);
            draft.title_guess = Some("the directory name: the plan has no `%project`".into());
        }
    }
    let has_reverts = files.keys().any(|k| k.starts_with(&format!("{dir}revert/")));
    if !has_reverts {
        draft.note(NoteKind::NotImported, "revert/", "no revert scripts among the files given, so no change has an undo; import the project's directory to read them");
    }
    for tag in &tags {
        draft.note(
            NoteKind::Ignored,
            format!("tag @{}", tag.name),
            "a Sqitch tag marks a point to revert to; a plan has no place for it",
        );
    }
    // The name each change's instance goes by: the last instance its own
    // name, an earlier (reworked) one `name@tag` with the first tag after it.
    let mut last: HashMap<&str, usize> = HashMap::new();
    for (i, c) in changes.iter().enumerate() {
        last.insert(&c.name, i);
    }
    let instance_name = |i: usize| -> String {
        let c = &changes[i];
        if last.get(c.name.as_str()) == Some(&i) {
            return c.name.clone();
        }
        // Sqitch names the old version by the last tag before its rework.
        let next = (i + 1..changes.len()).find(|&j| changes[j].name == c.name).unwrap_or(changes.len());
        match tags.iter().rev().find(|t| t.changes_before <= next && t.changes_before > i) {
            Some(t) => format!("{}@{}", c.name, t.name),
            None => c.name.clone(),
        }
    };
    let mut steps = Vec::new();
    for (i, c) in changes.iter().enumerate() {
        let name = instance_name(i);
        let mut s = Step { id: id_from(&name), ..Step::default() };
        if name != c.name {
            s.guess("id", format!("`{name}`: the version of `{}` before it was reworked", c.name));
        }
        let script = |kind: &str| {
            let path = format!("{dir}{kind}/{name}.sql");
            files.contains_key(path.as_str()).then(|| path.strip_prefix(&dir).unwrap_or(&path).to_string())
        };
        let what = match script("deploy") {
            Some(p) => format!("Deploy the Sqitch change {name} ({p})"),
            None => format!("Deploy the Sqitch change {name}"),
        };
        s.do_ = if c.note.is_empty() { what } else { format!("{what}: {}", c.note) };
        if let Some(p) = script("revert") {
            s.undo = Some(Undo { do_: format!("Revert the Sqitch change {name} ({p})"), ..Undo::default() });
        }
        if let Some(p) = script("verify") {
            s.verify = Some(format!("Run {p}"));
        }
        s.after = After::Ids(deps(c, i, &changes, &tags, project.as_deref(), &instance_name, &mut s, draft));
        steps.push(s);
    }
    crate::draft::settle_ids(&mut steps);
    draft.steps = steps;
    Ok(())
}

/// The ids a change waits for; conflicts and other projects' changes are
/// reported instead.
#[allow(clippy::too_many_arguments)]
fn deps(
    c: &Change,
    at: usize,
    changes: &[Change],
    tags: &[Tag],
    project: Option<&str>,
    instance_name: &dyn Fn(usize) -> String,
    s: &mut Step,
    draft: &mut Draft,
) -> Vec<String> {
    let mut out = Vec::new();
    for dep in &c.deps {
        if let Some(conflict) = dep.strip_prefix('!') {
            s.remarks.push(format!(
                "Sqitch conflict with `{conflict}`: a plan cannot say that two steps exclude each other"
            ));
            continue;
        }
        let local = match dep.split_once(':') {
            Some((p, _)) if Some(p) != project => {
                s.remarks.push(format!("not imported: depends on `{dep}` of the Sqitch project `{p}`"));
                draft.note(
                    NoteKind::NotImported,
                    format!("change `{}` (line {})", c.name, c.line),
                    format!("depends on `{dep}` in another Sqitch project"),
                );
                continue;
            }
            Some((_, rest)) => rest,
            None => dep.as_str(),
        };
        let (name, tag) = match local.split_once('@') {
            Some((n, t)) => (n, Some(t)),
            None => (local, None),
        };
        // Before the tag, or before this change.
        let limit = match tag {
            Some(t) => tags.iter().find(|x| x.name == t).map_or(at, |x| x.changes_before.min(at)),
            None => at,
        };
        match (0..limit).rev().find(|&j| changes[j].name == name) {
            Some(j) => out.push(id_from(&instance_name(j))),
            None => {
                s.guess("after", format!("`{}`: no such change comes before it", one_line(dep)));
                out.push(id_from(local));
            }
        }
    }
    out.retain(|d| !d.is_empty());
    out.dedup();
    out
}

type Parsed = (Option<String>, Vec<Change>, Vec<Tag>);

fn parse(text: &str, path: &str) -> Result<Parsed, Error> {
    let mut project = None;
    let mut changes = Vec::new();
    let mut tags = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(pragma) = line.strip_prefix('%') {
            if let Some((k, v)) = pragma.split_once('=')
                && k.trim() == "project"
                && !v.trim().is_empty()
            {
                project = Some(v.trim().to_string());
            }
            continue;
        }
        let bad = || {
            Error::new(format!(
                "line {} of `{path}` is no change or tag: expected `name [dependencies] 2013-12-31T00:03:02Z Planner <email> # note`, found `{}`",
                n + 1,
                one_line(line)
            ))
        };
        let (body, note) = match line.find('>') {
            Some(gt) => {
                let (b, rest) = line.split_at(gt + 1);
                (b, rest.trim().strip_prefix('#').map_or("", str::trim))
            }
            None => return Err(bad()),
        };
        let body = body.trim_start_matches(['+', '-']).trim_start();
        let name_end = body.find(|c: char| c.is_whitespace() || c == '[').ok_or_else(bad)?;
        let (name, rest) = body.split_at(name_end);
        let rest = rest.trim_start();
        let (deps, rest) = match rest.strip_prefix('[') {
            Some(r) => {
                let (inside, after) = r.split_once(']').ok_or_else(bad)?;
                (inside.split_whitespace().map(str::to_string).collect(), after.trim_start())
            }
            None => (Vec::new(), rest),
        };
        let stamp = rest.split_whitespace().next().unwrap_or_default();
        if !(stamp.len() >= 20 && stamp.ends_with('Z') && stamp.as_bytes().get(4) == Some(&b'-')) {
            return Err(bad());
        }
        if let Some(tag) = name.strip_prefix('@') {
            tags.push(Tag { name: tag.to_string(), changes_before: changes.len() });
        } else {
            if name.is_empty() {
                return Err(bad());
            }
            changes.push(Change { name: name.to_string(), deps, note: note.to_string(), line: n + 1 });
        }
        if changes.len() > retreat_core::limits::MAX_STEPS {
            return Err(Error::new(format!(
                "`{path}` has more than {} changes, the most a plan can hold",
                retreat_core::limits::MAX_STEPS
            )));
        }
    }
    if changes.is_empty() {
        return Err(Error::new(format!(
            "`{path}` has no changes: expected lines such as `users [appschema] 2013-12-31T00:03:02Z Marge <marge@example.com> # Creates the users table`"
        )));
    }
    Ok((project, changes, tags))
}
