//! The columns a spreadsheet may have, and how their headers are matched:
//! without case, spaces or punctuation, with a unit in brackets read off
//! first (`Duration (min)`). The names are section 7's, plus the plan
//! format's own name for every other step field, so that a sheet written
//! by `retreat export --to csv` reads back whole.

use crate::units::unit_secs;

/// A step field a column can give.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    Id,
    Do,
    After,
    Takes,
    Best,
    Likely,
    Worst,
    Owner,
    Phase,
    Kind,
    Undo,
    UndoTakes,
    Irreversible,
    Tags,
    Verify,
    Sets,
    Destroys,
    BacksUp,
    UndoSets,
    UndoNeeds,
    UndoOwner,
    Allow,
}

/// Every column with the headers that name it, normalised (lower case,
/// letters and digits only). The first is the one export writes.
pub const COLUMNS: &[(Column, &[&str])] = &[
    (Column::Id, &["id", "step", "#", "no", "stepid", "issuekey"]),
    (Column::Do, &["do", "task", "action", "description", "activity", "instruction", "summary"]),
    (Column::After, &["after", "predecessors", "dependson", "dependencies", "predecessor", "depends"]),
    (Column::Takes, &["takes", "duration", "time", "estimate"]),
    (Column::Best, &["best", "optimistic"]),
    (Column::Likely, &["likely", "mostlikely"]),
    (Column::Worst, &["worst", "pessimistic"]),
    (Column::Owner, &["owner", "who", "assignee", "responsible", "assignedto", "resourcenames"]),
    (Column::Phase, &["phase", "stage"]),
    (Column::Kind, &["kind", "type"]),
    (Column::Undo, &["undo", "rollback", "backout", "revert"]),
    (Column::UndoTakes, &["undotakes", "rollbackduration", "rollbacktime", "undoduration"]),
    (Column::Irreversible, &["irreversible"]),
    (Column::Tags, &["tags"]),
    (Column::Verify, &["verify"]),
    (Column::Sets, &["sets"]),
    (Column::Destroys, &["destroys"]),
    (Column::BacksUp, &["backsup"]),
    (Column::UndoSets, &["undosets"]),
    (Column::UndoNeeds, &["undoneeds"]),
    (Column::UndoOwner, &["undoowner", "rollbackowner", "backoutowner"]),
    (Column::Allow, &["allow"]),
];

impl Column {
    /// Whether the column holds durations (a unit applies to it).
    pub fn is_duration(self) -> bool {
        matches!(self, Column::Takes | Column::Best | Column::Likely | Column::Worst | Column::UndoTakes)
    }

    /// The plan field the column fills, for messages.
    pub fn field(self) -> &'static str {
        match self {
            Column::Id => "id",
            Column::Do => "do",
            Column::After => "after",
            Column::Takes | Column::Best | Column::Likely | Column::Worst => "takes",
            Column::Owner => "owner",
            Column::Phase => "phase",
            Column::Kind => "kind",
            Column::Undo | Column::UndoTakes | Column::UndoSets | Column::UndoNeeds | Column::UndoOwner => "undo",
            Column::Irreversible => "irreversible",
            Column::Tags => "tags",
            Column::Verify => "verify",
            Column::Sets => "sets",
            Column::Destroys => "destroys",
            Column::BacksUp => "backs_up",
            Column::Allow => "allow",
        }
    }
}

/// A header cell read: the column it names (if any) and the unit in its
/// brackets, in seconds; `odd_unit` is bracket text that is no unit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Header {
    pub column: Option<Column>,
    pub unit: Option<u64>,
    pub odd_unit: Option<String>,
}

pub fn header(cell: &str) -> Header {
    let cell = cell.trim().trim_start_matches('\u{FEFF}');
    let (name, bracket) = split_bracket(cell);
    let unit = bracket.and_then(unit_secs).or_else(|| counts_seconds(name).then_some(1));
    let odd_unit = bracket.filter(|_| unit.is_none()).map(str::to_string);
    let key = normalise(name);
    // `Task #`, `Step #`: a number sign names the id, whatever it follows
    // (without it, `Task #` would read as the task's text).
    let numbered = name.trim_end().ends_with('#');
    let column = if numbered { Some(Column::Id) } else { named(&key).or_else(|| within(name)) };
    Header { column, unit, odd_unit }
}

/// Jira's time columns (`Original Estimate`, `Remaining Estimate`, `Time
/// Spent`) hold bare seconds in its CSV export.
pub fn counts_seconds(name: &str) -> bool {
    let key = normalise(name);
    matches!(key.trim_start_matches('σ'), "originalestimate" | "remainingestimate" | "timespent")
}

fn named(key: &str) -> Option<Column> {
    COLUMNS.iter().find(|(_, names)| names.contains(&key)).map(|(c, _)| *c)
}

/// A header of several words (`Task Description`, `Owner/Responsible`,
/// `Est. Duration`): the longest run of its words that names a column,
/// the last such run on a tie, since the last word of an English compound
/// is the thing it names (`Task Owner` is an owner).
fn within(name: &str) -> Option<Column> {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_lowercase();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    for len in (1..words.len()).rev() {
        for start in (0..=words.len() - len).rev() {
            if let Some(c) = named(&words[start..start + len].concat()) {
                return Some(c);
            }
        }
    }
    None
}

/// Lower case, letters and digits only; a header of punctuation alone
/// (`#`) stays as it is.
pub fn normalise(name: &str) -> String {
    let key: String = name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    if key.is_empty() { name.trim().to_string() } else { key }
}

/// `Duration (min)` → (`Duration`, `min`); also `[min]`.
fn split_bracket(cell: &str) -> (&str, Option<&str>) {
    for (open, close) in [('(', ')'), ('[', ']')] {
        if let Some(body) = cell.strip_suffix(close)
            && let Some(at) = body.rfind(open)
        {
            let name = body[..at].trim_end();
            if !name.is_empty() {
                return (name, Some(body[at + open.len_utf8()..].trim()));
            }
        }
    }
    (cell, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_without_case_spaces_or_punctuation() {
        assert_eq!(header("Depends-On").column, Some(Column::After));
        assert_eq!(header("MOST LIKELY").column, Some(Column::Likely));
        assert_eq!(header("Rollback_Duration").column, Some(Column::UndoTakes));
        assert_eq!(header("#").column, Some(Column::Id));
        assert_eq!(header("Task #").column, Some(Column::Id));
        assert_eq!(
            (header("Original Estimate").column, header("Original Estimate").unit),
            (Some(Column::Takes), Some(1))
        );
        assert_eq!(header("Original Estimate (h)").unit, Some(3600));
        assert_eq!(header("Task Name").column, Some(Column::Do));
        assert_eq!(header("No.").column, Some(Column::Id));
        let h = header("Duration (min)");
        assert_eq!((h.column, h.unit), (Some(Column::Takes), Some(60)));
        assert_eq!(header("Takes [h]").unit, Some(3_600));
        assert_eq!(header("Time (approx)").odd_unit.as_deref(), Some("approx"));
        assert_eq!(header("Status").column, None);
        assert_eq!(header("Task Description").column, Some(Column::Do));
        assert_eq!(header("Owner/Responsible").column, Some(Column::Owner));
        assert_eq!(header("Task Owner").column, Some(Column::Owner));
        assert_eq!(header("Rollback owner").column, Some(Column::UndoOwner));
        assert_eq!(header("Est. Duration").column, Some(Column::Takes));
    }
}
