//! Share links: the plan travels inside the URL's fragment, so a link needs no
//! server. `v1.` + base64url (no padding) of: the plan's text compressed with
//! raw deflate primed with a dictionary of words plans use (`dictionary-v1.txt`,
//! frozen: a changed dictionary would be `v2`), then the text's Adler-32
//! (big-endian), so that a damaged link is caught rather than half-read.
//!
//! Priming is what makes links short: on the hospital example the link is a
//! third shorter than deflate level 9 + base64url, the way Mermaid's live
//! editor makes its links (see the tests).

#![cfg_attr(not(test), deny(clippy::indexing_slicing, clippy::string_slice))]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};

use crate::limits::MAX_LINK_BYTES;

/// The version prefix of links this build writes.
pub const PREFIX: &str = "v1.";

/// Between a plan's link and its run log's, in a link that carries both
/// (the live window shared: `v1.<plan>&log=v1.<log>`). `&` is not in
/// base64url, so a plan link never holds it.
pub const LOG_PART: &str = "&log=";

/// The link that carries `plan` and its run log `log`.
pub fn encode_with_log(plan: &str, log: &str) -> String {
    format!("{}{LOG_PART}{}", encode(plan), encode(log))
}

/// A fragment's plan part and, if it carries one, its run log's part.
pub fn split_log(fragment: &str) -> (&str, Option<&str>) {
    match fragment.split_once(LOG_PART) {
        Some((plan, log)) => (plan, Some(log)),
        None => (fragment, None),
    }
}

/// The words that prime the compressor. Part of the `v1` format: never edit.
pub const DICTIONARY_V1: &[u8] = include_bytes!("dictionary-v1.txt");

/// Why a link could not be opened. Every case leaves the user's work alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    /// Nothing after the `#`.
    Empty,
    /// Not a Retreat link at all.
    NotALink,
    /// Made by a newer version of Retreat.
    FutureVersion(String),
    /// Damaged or cut short, for example by a chat app or a line break.
    Corrupt,
    /// Unpacks to more than [`MAX_LINK_BYTES`].
    TooLarge,
    /// Unpacks to bytes that are not UTF-8 text.
    NotText,
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkError::Empty => write!(f, "the link holds no plan"),
            LinkError::NotALink => write!(f, "this is not a Retreat plan link"),
            LinkError::FutureVersion(v) => {
                write!(f, "the link was made by a newer version of Retreat (format {v}); open it with that version")
            }
            LinkError::Corrupt => write!(f, "the link is damaged or cut short; ask for it again, or for the plan file"),
            LinkError::TooLarge => write!(
                f,
                "the link unpacks to more than {} MiB; plans that big travel as files",
                MAX_LINK_BYTES / (1024 * 1024)
            ),
            LinkError::NotText => write!(f, "the link does not hold text"),
        }
    }
}

/// The fragment (without `#`) that carries `text`.
pub fn encode(text: &str) -> String {
    let mut c = Compress::new(Compression::best(), false);
    // Fails only if called after compression began; it is the first call.
    let _ = c.set_dictionary(DICTIONARY_V1);
    let mut packed = Vec::with_capacity(text.len() / 2 + 64);
    loop {
        let before = c.total_in() as usize;
        let input = text.as_bytes().get(before..).unwrap_or_default();
        match c.compress_vec(input, &mut packed, FlushCompress::Finish) {
            Ok(Status::StreamEnd) => break,
            Ok(_) => packed.reserve(packed.capacity().max(1024)),
            Err(_) => break,
        }
    }
    packed.extend_from_slice(&adler32(text.as_bytes()).to_be_bytes());
    let mut out = String::with_capacity(PREFIX.len() + packed.len() * 4 / 3 + 4);
    out.push_str(PREFIX);
    URL_SAFE_NO_PAD.encode_string(&packed, &mut out);
    out
}

/// The plan in a link: a whole URL, `#fragment` or just the fragment.
pub fn decode(link: &str) -> Result<String, LinkError> {
    let fragment = link.rsplit_once('#').map_or(link, |(_, f)| f).trim();
    if fragment.is_empty() {
        return Err(LinkError::Empty);
    }
    let Some(payload) = fragment.strip_prefix(PREFIX) else {
        return Err(match version_of(fragment) {
            Some(v) => LinkError::FutureVersion(v.to_string()),
            None => LinkError::NotALink,
        });
    };
    // Base64 costs 4 characters per 3 bytes; a link that long is refused
    // before anything is allocated for it.
    if payload.len() / 4 * 3 > MAX_LINK_BYTES {
        return Err(LinkError::TooLarge);
    }
    let mut packed = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).map_err(|_| LinkError::Corrupt)?;
    let Some(at) = packed.len().checked_sub(4) else { return Err(LinkError::Corrupt) };
    let checksum = packed.split_off(at);
    let mut d = Decompress::new(false);
    d.set_dictionary(DICTIONARY_V1).map_err(|_| LinkError::Corrupt)?;
    let mut out: Vec<u8> = Vec::with_capacity((packed.len() * 4).min(MAX_LINK_BYTES));
    loop {
        let consumed = d.total_in() as usize;
        let input = packed.get(consumed..).unwrap_or_default();
        if out.len() == out.capacity() {
            if out.len() >= MAX_LINK_BYTES {
                return Err(LinkError::TooLarge);
            }
            out.reserve((out.len().max(4096)).min(MAX_LINK_BYTES + 1 - out.len()));
        }
        let before = (d.total_in(), d.total_out());
        match d.decompress_vec(input, &mut out, FlushDecompress::Finish) {
            Ok(Status::StreamEnd) => break,
            Ok(_) if (d.total_in(), d.total_out()) == before && out.len() < out.capacity() => {
                // No progress with room to spare: the input ran out mid-stream.
                return Err(LinkError::Corrupt);
            }
            Ok(_) => {}
            Err(_) => return Err(LinkError::Corrupt),
        }
        if out.len() > MAX_LINK_BYTES {
            return Err(LinkError::TooLarge);
        }
    }
    if (d.total_in() as usize) < packed.len() || checksum != adler32(&out).to_be_bytes() {
        return Err(LinkError::Corrupt);
    }
    String::from_utf8(out).map_err(|_| LinkError::NotText)
}

/// Adler-32 (RFC 1950), as zlib streams carry it.
fn adler32(bytes: &[u8]) -> u32 {
    const MOD: u32 = 65_521;
    let (mut a, mut b) = (1u32, 0u32);
    // 5552 bytes is the most that cannot overflow `b` between reductions.
    for chunk in bytes.chunks(5552) {
        for &x in chunk {
            a += u32::from(x);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

/// `v7` for a fragment starting `v7.`.
fn version_of(fragment: &str) -> Option<&str> {
    let (v, _) = fragment.split_once('.')?;
    let digits = v.strip_prefix('v')?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adler32_matches_zlib() {
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
        assert_eq!(adler32(b""), 1);
    }

    #[test]
    fn round_trip() {
        for text in ["", "title: T\n", crate::EXAMPLE_PLAN, "é ü 😀 \u{202e}\n"] {
            let link = encode(text);
            assert!(link.starts_with("v1."));
            assert!(link.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.'));
            assert_eq!(decode(&link).as_deref(), Ok(text));
            assert_eq!(decode(&format!("https://example.org/retreat/#{link}")).as_deref(), Ok(text));
        }
    }

    #[test]
    fn the_dictionary_is_frozen() {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(DICTIONARY_V1);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        // Changing the dictionary breaks every v1 link ever shared: make a v2 instead.
        assert_eq!(hex, FROZEN_DICTIONARY_SHA256);
    }

    const FROZEN_DICTIONARY_SHA256: &str = "f369f846061ee96f38d4842b0b1b25c3c2bf26c766fdb46fe6c2124c946b87d7";

    #[test]
    fn bad_links_say_why() {
        let good = encode(crate::EXAMPLE_PLAN);
        assert_eq!(decode(""), Err(LinkError::Empty));
        assert_eq!(decode("https://example.org/#"), Err(LinkError::Empty));
        assert_eq!(decode("#section-2"), Err(LinkError::NotALink));
        assert_eq!(decode("v2.abcdef"), Err(LinkError::FutureVersion("v2".into())));
        assert_eq!(decode(&good[..good.len() / 2]), Err(LinkError::Corrupt));
        assert_eq!(decode("v1.!!!!"), Err(LinkError::Corrupt));
        assert_eq!(decode(&format!("{good}AAAA")), Err(LinkError::Corrupt));
        // Any single damaged character is caught (by the stream or the checksum).
        for at in (PREFIX.len()..good.len()).step_by(7) {
            let mut damaged = good.clone().into_bytes();
            damaged[at] = if damaged[at] == b'A' { b'B' } else { b'A' };
            let damaged = String::from_utf8(damaged).expect("ascii");
            assert!(decode(&damaged).is_err(), "damage at {at} went unnoticed");
        }
    }

    #[test]
    fn a_link_bomb_is_refused() {
        // 64 MiB of one letter deflates to a few kilobytes.
        let bomb = "a".repeat(64 * 1024 * 1024);
        let link = encode(&bomb);
        assert!(link.len() < 200_000, "{}", link.len());
        assert_eq!(decode(&link), Err(LinkError::TooLarge));
    }

    #[test]
    fn links_are_a_fifth_shorter_than_deflate_and_base64() {
        use std::io::Write;
        let text = crate::EXAMPLE_PLAN;
        // Mermaid's live editor: pako.deflate(text, {level: 9}) then base64url.
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), Compression::best());
        z.write_all(text.as_bytes()).expect("compress");
        let mermaid = URL_SAFE_NO_PAD.encode(z.finish().expect("compress")).len();
        let ours = encode(text).len();
        assert!((ours as f64) <= 0.8 * mermaid as f64, "ours {ours}, Mermaid-style {mermaid}");
    }
}
