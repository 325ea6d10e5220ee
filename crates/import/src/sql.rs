//! What a piece of SQL removes, as far as its first words tell: the tables
//! of `DROP TABLE`, `DELETE FROM` and `TRUNCATE`, and the columns of
//! `ALTER TABLE ... DROP COLUMN`. A guess for `destroys`, marked as one.

/// The tables (and `table.column`s) the statements in `sql` remove data from.
pub fn destroys(sql: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for statement in sql.split(';') {
        let words: Vec<String> = statement
            .split_whitespace()
            .map(|w| w.trim_matches(|c: char| matches!(c, '"' | '`' | '[' | ']' | '(' | ')')).to_string())
            .collect();
        let upper: Vec<String> = words.iter().map(|w| w.to_ascii_uppercase()).collect();
        let at = |i: usize| upper.get(i).map(String::as_str).unwrap_or_default();
        let name = |i: usize| words.get(i).filter(|w| !w.is_empty()).cloned();
        let skip_if_exists = |i: usize| if at(i) == "IF" && at(i + 1) == "EXISTS" { i + 2 } else { i };
        let found = match (at(0), at(1)) {
            ("DROP", "TABLE") => name(skip_if_exists(2)),
            ("DELETE", "FROM") => name(2),
            ("TRUNCATE", "TABLE") => name(2),
            ("TRUNCATE", _) => name(1),
            ("ALTER", "TABLE") => {
                let table = skip_if_exists(2);
                match (at(table + 1), at(table + 2)) {
                    ("DROP", "COLUMN") => {
                        name(skip_if_exists(table + 3)).zip(name(table)).map(|(c, t)| format!("{t}.{c}"))
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some(f) = found.filter(|f| !out.contains(f)) {
            out.push(f);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::destroys;

    #[test]
    fn finds_what_is_removed() {
        assert_eq!(destroys("DROP TABLE IF EXISTS person; delete from audit where x = 1"), ["person", "audit"]);
        assert_eq!(destroys("alter table person drop column email;"), ["person.email"]);
        assert_eq!(destroys("TRUNCATE log"), ["log"]);
        assert!(destroys("insert into t values (1)").is_empty());
    }
}
