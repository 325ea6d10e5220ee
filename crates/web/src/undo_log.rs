//! The live window's "Undo": each change to the run log kept as the way
//! back, small enough to keep a hundred of them per tab across a reload.
//!
//! A click changes one event, so two logs in a row share a start and an
//! end: a [`Back`] keeps only the bytes between, as they were. A log of
//! 2,500 events on a 50,000-step plan is 206 KB: a hundred whole copies
//! would be 20 MB in the page and far over the browser's storage quota; a
//! hundred `Back`s are a few kilobytes. The stored history names the log it leads back from (a
//! hash), so it is never applied to another one.

/// The way from a log back to the one before it: replace what lies between
/// its first `start` bytes and its last `end` bytes by `was`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Back {
    start: usize,
    end: usize,
    was: String,
}

impl Back {
    /// The way back from `after` to `before`.
    pub fn between(before: &str, after: &str) -> Back {
        let (b, a) = (before.as_bytes(), after.as_bytes());
        let mut start = b.iter().zip(a).take_while(|(x, y)| x == y).count();
        while !before.is_char_boundary(start) {
            start -= 1;
        }
        let room = b.len().min(a.len()) - start;
        let mut end = b.iter().rev().zip(a.iter().rev()).take(room).take_while(|(x, y)| x == y).count();
        while !before.is_char_boundary(b.len() - end) || !after.is_char_boundary(a.len() - end) {
            end -= 1;
        }
        Back { start, end, was: before[start..b.len() - end].to_string() }
    }

    /// The log before `after`; `None` when this is not the way back from it.
    pub fn apply(&self, after: &str) -> Option<String> {
        let cut = after.len().checked_sub(self.end).filter(|cut| *cut >= self.start)?;
        let (head, tail) = (after.get(..self.start)?, after.get(cut..)?);
        Some([head, &self.was, tail].concat())
    }
}

/// FNV-1a: enough to tell whether a stored history belongs to this log.
fn hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// `undo1 <hash of log>`, then for each way back, oldest first, a line
/// `start end length` and the `length` bytes of `was`.
pub fn encode(history: &[Back], log: &str) -> String {
    let mut out = format!("undo1 {:x}\n", hash(log));
    for back in history {
        out.push_str(&format!("{} {} {}\n{}", back.start, back.end, back.was.len(), back.was));
    }
    out
}

/// The history stored for `log`; empty when it was stored for another log
/// or cannot be read (a history is a convenience, never a reason to fail).
pub fn decode(stored: &str, log: &str) -> Vec<Back> {
    read(stored, log).unwrap_or_default()
}

fn read(stored: &str, log: &str) -> Option<Vec<Back>> {
    let (head, mut rest) = stored.split_once('\n')?;
    if head != format!("undo1 {:x}", hash(log)) {
        return None;
    }
    let mut history = Vec::new();
    while !rest.is_empty() {
        let (line, after) = rest.split_once('\n')?;
        let mut numbers = line.split(' ').map(|n| n.parse::<usize>().ok());
        let (start, end, len) = (numbers.next()??, numbers.next()??, numbers.next()??);
        history.push(Back { start, end, was: after.get(..len)?.to_string() });
        rest = after.get(len..)?;
    }
    Some(history)
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn every_change_leads_back_through_storage() {
        let logs = [
            "events:\n",
            "events:\n  - { step: a, started: 2026-11-28T22:00:00Z }\n",
            "events:\n  - { step: a, started: 2026-11-28T22:00:00Z, finished: 2026-11-28T22:10:00Z }\n",
            "events:\n  - { step: a, started: 2026-11-28T22:00:00Z, finished: 2026-11-28T22:10:00Z }\n  - { step: é, note: \"ü\n1 2 3\" }\n",
            "events:\n  - { step: a, started: 2026-11-28T22:00:00Z, finished: 2026-11-28T22:10:00Z }\n  - { step: è, note: \"ü\n1 2 3\" }\n",
            "",
            "events:\n",
        ];
        let history: Vec<Back> = logs.windows(2).map(|w| Back::between(w[0], w[1])).collect();
        let last = logs[logs.len() - 1];
        let stored = encode(&history, last);
        assert!(stored.len() < logs.concat().len(), "{stored}");
        let mut read = decode(&stored, last);
        assert_eq!(read, history);
        let mut log = last.to_string();
        for before in logs.iter().rev().skip(1) {
            log = read.pop().and_then(|back| back.apply(&log)).expect("a way back");
            assert_eq!(log, *before);
        }
        assert!(read.is_empty());
    }

    #[test]
    fn a_history_never_applies_to_another_log() {
        let history = vec![Back::between("events: []\n", "events: [a]\n")];
        let stored = encode(&history, "events: [a]\n");
        assert!(decode(&stored, "events: [b]\n").is_empty());
        assert!(decode(&stored[..stored.len() - 1], "events: [a]\n").is_empty());
        assert!(decode("undo1 zz\n1 2", "events: [a]\n").is_empty());
        assert_eq!(Back { start: 9, end: 9, was: String::new() }.apply("short"), None);
    }
}
