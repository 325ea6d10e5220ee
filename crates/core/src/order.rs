//! Sorting by key. Every sort in the crate that is not on plain numbers goes
//! through [`sort_by_key`], which sorts `(key, index)` triples: the standard
//! library compiles its sort once for each element type and comparison, so a
//! `sort_by` with its own closure at each call site would put a copy of the
//! whole sort (3 to 7 KB of wasm) into the browser app per call site.

/// Sorts `items` by `key`, keeping equal keys in their order (a stable sort).
pub fn sort_by_key<T>(items: &mut Vec<T>, key: impl Fn(&T) -> (u64, u64)) {
    if items.len() < 2 {
        return;
    }
    let mut keyed: Vec<(u64, u64, usize)> = items
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let (a, b) = key(t);
            (a, b, i)
        })
        .collect();
    keyed.sort_unstable();
    let mut slots: Vec<Option<T>> = std::mem::take(items).into_iter().map(Some).collect();
    items.extend(keyed.into_iter().filter_map(|(_, _, i)| slots.get_mut(i).and_then(Option::take)));
}

/// A key that orders numbers as [`f64::total_cmp`] does.
pub fn f64_key(f: f64) -> u64 {
    let bits = f.to_bits();
    if bits >> 63 == 1 { !bits } else { bits | 1 << 63 }
}

/// A key that orders strings of up to 8 bytes (such as rule codes) as `str` does.
pub fn short_str_key(s: &str) -> u64 {
    let mut bytes = [0u8; 8];
    for (slot, b) in bytes.iter_mut().zip(s.bytes()) {
        *slot = b;
    }
    u64::from_be_bytes(bytes)
}

/// Buffers [`argsort`] reuses from call to call.
#[derive(Clone, Debug, Default)]
pub struct SortBuffers {
    keys: Vec<u64>,
    scratch: Vec<u64>,
    index: Vec<u32>,
}

/// The most bits one radix pass sorts on (2,048 buckets: the counts stay in
/// the first-level cache).
const MAX_DIGIT: u32 = 11;

/// The indices `0..n` ordered by `key(i)`, ties by index, into `out`.
///
/// Linear in `n`: only the bits that differ between keys count (times in
/// whole seconds leave the low bits of their `f64` bits zero, and close times
/// share their high bits), and the keys are radix-sorted on those bits in
/// digits of up to 11 bits, least significant first (each pass stable, so
/// ties stay in index order). When those bits and the index fit in one `u64`
/// together, each key is packed with its index and the packed words are
/// sorted; otherwise (times with fractions in all their bits, as Monte Carlo
/// draws them) keys and indices are moved side by side. Short lists go to
/// the standard sort, which is faster there.
pub fn argsort(n: usize, key: impl Fn(usize) -> u64, out: &mut Vec<u32>, buffers: &mut SortBuffers) {
    const SHORT: usize = 1024;
    let SortBuffers { keys, scratch, index } = buffers;
    out.clear();
    keys.clear();
    keys.extend((0..n).map(&key));
    let (or, and) = keys.iter().fold((0u64, !0u64), |(or, and), &k| (or | k, and & k));
    let varying = or ^ and;
    if n < 2 || varying == 0 {
        out.extend(0..n as u32);
        return;
    }
    let low = varying.trailing_zeros();
    let bits = 64 - varying.leading_zeros() - low;
    let index_bits = u64::BITS - (n as u64).leading_zeros();
    if bits + index_bits > u64::BITS {
        if n <= SHORT {
            let mut pairs: Vec<(u64, u32)> = keys.iter().enumerate().map(|(i, &k)| (k, i as u32)).collect();
            pairs.sort_unstable();
            out.extend(pairs.into_iter().map(|(_, i)| i));
            return;
        }
        for k in keys.iter_mut() {
            *k >>= low;
        }
        out.extend(0..n as u32);
        radix_pairs(keys, out, scratch, index, bits);
        return;
    }
    // Bits every key shares never decide an order: keep the rest, then the index.
    let (key_mask, index_mask) = ((1u64 << bits) - 1, (1u64 << index_bits) - 1);
    for (i, k) in keys.iter_mut().enumerate() {
        *k = (*k >> low & key_mask) << index_bits | i as u64;
    }
    if n <= SHORT {
        keys.sort_unstable();
    } else {
        let passes = bits.div_ceil(MAX_DIGIT) as usize;
        let width = bits.div_ceil(passes as u32);
        let (buckets, mask) = (1usize << width, (1u64 << width) - 1);
        let digit = |k: u64, pass: usize| ((k >> (index_bits + pass as u32 * width)) & mask) as usize;
        let mut counts = vec![0u32; buckets * passes];
        for &k in keys.iter() {
            for pass in 0..passes {
                counts[pass * buckets + digit(k, pass)] += 1;
            }
        }
        scratch.clear();
        scratch.resize(n, 0);
        for (pass, count) in counts.chunks_exact_mut(buckets).enumerate() {
            if !starts(count, n) {
                continue;
            }
            for &k in keys.iter() {
                let slot = &mut count[digit(k, pass)];
                scratch[*slot as usize] = k;
                *slot += 1;
            }
            std::mem::swap(keys, scratch);
        }
    }
    out.extend(keys.iter().map(|&k| (k & index_mask) as u32));
}

/// Turns one pass's counts into each bucket's first slot; `false` (counts
/// left as they are) when one bucket holds all `n` keys, so that the pass
/// would not move anything.
fn starts(count: &mut [u32], n: usize) -> bool {
    if count.iter().any(|&c| c as usize == n) {
        return false;
    }
    let mut at = 0u32;
    for c in count.iter_mut() {
        (*c, at) = (at, at + *c);
    }
    true
}

/// Sorts `keys` (of `bits` bits) with `order` alongside, stably: a least
/// significant digit first radix sort that moves each key with its index.
fn radix_pairs(keys: &mut Vec<u64>, order: &mut Vec<u32>, scratch: &mut Vec<u64>, index: &mut Vec<u32>, bits: u32) {
    let n = keys.len();
    let passes = bits.div_ceil(MAX_DIGIT) as usize;
    let width = bits.div_ceil(passes as u32);
    let (buckets, mask) = (1usize << width, (1u64 << width) - 1);
    let digit = |k: u64, pass: usize| ((k >> (pass as u32 * width)) & mask) as usize;
    let mut counts = vec![0u32; buckets * passes];
    for &k in keys.iter() {
        for pass in 0..passes {
            counts[pass * buckets + digit(k, pass)] += 1;
        }
    }
    scratch.clear();
    scratch.resize(n, 0);
    index.clear();
    index.resize(n, 0);
    for (pass, count) in counts.chunks_exact_mut(buckets).enumerate() {
        if !starts(count, n) {
            continue;
        }
        for (&k, &i) in keys.iter().zip(order.iter()) {
            let slot = &mut count[digit(k, pass)];
            scratch[*slot as usize] = k;
            index[*slot as usize] = i;
            *slot += 1;
        }
        std::mem::swap(keys, scratch);
        std::mem::swap(order, index);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably_by_key() {
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        sort_by_key(&mut v, |&(k, _)| (k, 0));
        assert_eq!(v, [(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
    }

    #[test]
    fn float_keys_order_as_total_cmp() {
        let mut floats = [f64::NEG_INFINITY, -2.5, -1e-300, -0.0, 0.0, 1e-300, 1.0, 7.5, f64::INFINITY, f64::NAN];
        let expected = floats;
        floats.reverse();
        floats.sort_by_key(|&f| f64_key(f));
        assert_eq!(floats.map(f64::to_bits), expected.map(f64::to_bits));
    }

    #[test]
    fn short_string_keys_order_as_strings() {
        let mut codes = ["T004", "C005", "P001", "C001", "R001", "G002", "C0"];
        let mut by_key = codes;
        codes.sort_unstable();
        by_key.sort_by_key(|c| short_str_key(c));
        assert_eq!(by_key, codes);
    }

    #[test]
    fn argsort_orders_indices_as_the_standard_sort_does() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let (mut out, mut buffers) = (Vec::new(), SortBuffers::default());
        for len in [0, 1, 2, 1024, 1025, 5000, 40_000] {
            // Whole seconds as f64 bits (many equal: packed and radix-sorted),
            // fractional times (too many bits to pack: keys and indices
            // radix-sorted side by side), fractional times with many ties,
            // times as Monte Carlo draws them, any bits, and one key for all.
            for kind in 0..6 {
                let key: Vec<u64> = (0..len)
                    .map(|_| match kind {
                        0 => ((next() % 5000) as f64 * 60.0).to_bits(),
                        1 => ((next() % 1_000_000) as f64 / 7.0).to_bits(),
                        2 => ((next() % 300) as f64 / 7.0).to_bits(),
                        3 => (60.0 + (next() >> 11) as f64 * (1.0 / (1u64 << 53) as f64) * 7.2e6).to_bits(),
                        4 => next(),
                        _ => 7,
                    })
                    .collect();
                let mut expected: Vec<u32> = (0..len as u32).collect();
                expected.sort_by_key(|&i| (key[i as usize], i));
                argsort(len, |i| key[i], &mut out, &mut buffers);
                assert_eq!(out, expected, "{len} keys of kind {kind}");
            }
        }
    }
}
