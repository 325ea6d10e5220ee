//! Plain-text helpers the readers and the rules share: the closest known
//! name to a typo, step ids and their look-alikes, shortening for messages,
//! and the byte scan that finds anything but printable ASCII.

#![cfg_attr(not(test), deny(clippy::indexing_slicing, clippy::string_slice))]

/// `[A-Za-z0-9_.-]+`
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// The known name closest to `name`, if one is close enough to be a typo.
/// The first of the nearest wins. A name whose length alone puts it too far
/// (the distance is at least the difference in length) is not compared.
pub fn closest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    let lower = name.to_ascii_lowercase();
    let chars = lower.chars().count();
    let mut best: Option<(usize, &'a str)> = None;
    let mut other = String::new();
    for &k in known {
        let limit = (k.len() / 3).max(1);
        let gap = chars.abs_diff(k.chars().count());
        if gap > limit || best.is_some_and(|(d, _)| gap >= d) {
            continue;
        }
        other.clear();
        other.extend(k.chars().map(|c| c.to_ascii_lowercase()));
        let d = strsim::damerau_levenshtein(&lower, &other);
        if d <= limit && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, k));
        }
    }
    best.map(|(_, k)| k)
}

/// What `id` looks like in ASCII: common Cyrillic and Greek look-alikes
/// mapped to their Latin twins, invisible and direction characters dropped.
pub fn skeleton(id: &str) -> String {
    id.chars()
        .filter(
            |c| !matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}'),
        )
        .map(|c| match c {
            'а' => 'a',
            'е' => 'e',
            'о' | 'ο' => 'o',
            'р' | 'ρ' => 'p',
            'с' => 'c',
            'у' => 'y',
            'х' | 'χ' => 'x',
            'і' | 'ι' => 'i',
            'ј' => 'j',
            'ѕ' => 's',
            'ԁ' => 'd',
            'ν' => 'v',
            'к' | 'κ' => 'k',
            'т' | 'τ' => 't',
            'А' | 'Α' => 'A',
            'В' | 'Β' => 'B',
            'Е' | 'Ε' => 'E',
            'К' | 'Κ' => 'K',
            'М' | 'Μ' => 'M',
            'Н' | 'Η' => 'H',
            'О' | 'Ο' => 'O',
            'Р' | 'Ρ' => 'P',
            'С' => 'C',
            'Т' | 'Τ' => 'T',
            'Х' | 'Χ' => 'X',
            'І' | 'Ι' => 'I',
            'Ζ' => 'Z',
            'Ν' => 'N',
            'Υ' => 'Y',
            other => other,
        })
        .collect()
}

/// `text`, cut to its first 60 characters (with `…`) for a message.
pub(crate) fn shorten(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", text.get(..at).unwrap_or_default()),
        None => text.to_string(),
    }
}

/// Where `bytes` holds anything but printable ASCII and line feeds. It looks
/// at 64 bytes at a time with a loop the compiler vectorises, and byte by
/// byte only in the blocks that hold something: most plans hold nothing.
pub(crate) fn unusual_bytes(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let usual = |c: u8| (0x20..0x7F).contains(&c) | (c == b'\n');
    bytes.chunks(64).enumerate().filter(move |(_, block)| !block.iter().fold(true, |all, &c| all & usual(c))).flat_map(
        move |(k, block)| block.iter().enumerate().filter(move |&(_, &c)| !usual(c)).map(move |(i, _)| k * 64 + i),
    )
}

#[cfg(test)]
mod tests {
    /// `closest` as first written: every name compared.
    fn closest_of_all<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
        let lower = name.to_ascii_lowercase();
        known
            .iter()
            .map(|k| (strsim::damerau_levenshtein(&lower, &k.to_ascii_lowercase()), *k))
            .filter(|(d, k)| *d <= (k.len() / 3).max(1))
            .min_by_key(|(d, _)| *d)
            .map(|(_, k)| k)
    }

    #[test]
    fn closest_skips_only_names_too_far_to_win() {
        let known = [
            "switch",
            "Switch",
            "swtich",
            "stop-feed",
            "stop-fed",
            "s1",
            "s12",
            "s120",
            "s21",
            "backup",
            "back-up",
            "bäckup",
            "a",
            "",
            "ab",
            "abc",
            "routes-ß",
            "ROUTES",
            "x",
            "xy",
        ];
        let names = [
            "switch",
            "SWITCH",
            "swich",
            "stopfeed",
            "s12x",
            "s2",
            "backup",
            "bakup",
            "bäkup",
            "",
            "a",
            "b",
            "routes",
            "routes-s",
            "xyz",
            "stop-feed-now",
            "abcd",
        ];
        for name in names {
            for skip in 0..known.len() {
                let known: Vec<&str> =
                    known.iter().copied().skip(skip).chain(known.iter().copied().take(skip)).collect();
                assert_eq!(super::closest(name, &known), closest_of_all(name, &known), "{name} in {known:?}");
            }
        }
    }
}
