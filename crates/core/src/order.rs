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
/// draws them) keys and indices move side by side, bucketed by their top
/// bits first (see [`msd_pairs`]). Short lists go to the standard sort,
/// which is faster there.
pub fn argsort(n: usize, key: impl Fn(usize) -> u64, out: &mut Vec<u32>, buffers: &mut SortBuffers) {
    const SHORT: usize = 1024;
    let SortBuffers { keys, scratch, index } = buffers;
    out.clear();
    keys.clear();
    keys.extend((0..n).map(&key));
    let (mut or, mut and, mut min, mut max) = (0u64, !0u64, u64::MAX, 0u64);
    for &k in keys.iter() {
        (or, and, min, max) = (or | k, and & k, min.min(k), max.max(k));
    }
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
        msd_pairs(keys, out, (scratch, index), (min, max), (low, bits));
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
        let mut digits = Digits::count(keys, index_bits, bits);
        let (buckets, mut counts) = (digits.buckets, std::mem::take(&mut digits.counts));
        let digit = |k, pass| digits.digit(k, pass);
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

/// An LSD radix sort's digits over `bits` key bits from bit `low`, as few
/// passes as [`MAX_DIGIT`] allows, and every pass's bucket counts (pass
/// after pass, `buckets` each) for the keys.
struct Digits {
    low: u32,
    width: u32,
    mask: u64,
    buckets: usize,
    counts: Vec<u32>,
}

impl Digits {
    fn count(keys: &[u64], low: u32, bits: u32) -> Digits {
        let passes = bits.div_ceil(MAX_DIGIT) as usize;
        let width = bits.div_ceil(passes as u32);
        let (buckets, mask) = (1usize << width, (1u64 << width) - 1);
        let mut d = Digits { low, width, mask, buckets, counts: vec![0u32; buckets * passes] };
        for &k in keys {
            for pass in 0..passes {
                let at = pass * buckets + d.digit(k, pass);
                d.counts[at] += 1;
            }
        }
        d
    }

    /// The digit of key `k` in pass `pass`.
    fn digit(&self, k: u64, pass: usize) -> usize {
        ((k >> (self.low + pass as u32 * self.width)) & self.mask) as usize
    }
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

/// Sorts `keys` (in index order, from `min` to `max`; they differ in `bits`
/// bits from bit `low` up) into `order`, stably: the keys go to about two buckets a key, in
/// order, so nearly every bucket holds one or two; then each bucket is sorted
/// by insertion when short, by [`lsd_pairs`] when long (keys crowded into a
/// few buckets). Linear either way; `keys` comes back as scratch.
///
/// Keys that are all the bits of non-negative finite floats (times) are
/// bucketed by value, evenly over their range: their bits order as the
/// floats do, so any monotone bucketing of the floats is one of the keys.
/// Other keys are bucketed by their top varying bits.
fn msd_pairs(
    keys: &mut [u64],
    order: &mut Vec<u32>,
    bufs: (&mut Vec<u64>, &mut Vec<u32>),
    (min, max): (u64, u64),
    (low, bits): (u32, u32),
) {
    let n = keys.len();
    if max < f64::INFINITY.to_bits() {
        let (from, to) = (f64::from_bits(min), f64::from_bits(max));
        let buckets = 2 * n;
        let scale = buckets as f64 / (to - from);
        let bucket = |k: u64| (((f64::from_bits(k) - from) * scale) as usize).min(buckets - 1);
        bucketed(keys, order, bufs, buckets, bucket, (low, bits));
    } else {
        let top = (usize::BITS - n.leading_zeros()).min(bits).min(16);
        let shift = bits - top;
        let mask = (1u64 << top) - 1;
        let bucket = |k: u64| ((k >> (low + shift)) & mask) as usize;
        bucketed(keys, order, bufs, 1 << top, bucket, (low, shift));
    }
}

/// [`msd_pairs`] with its buckets: `bucket` is monotone in the key, and keys
/// in one bucket differ only in the `rest` bits `(from, count)`.
fn bucketed(
    keys: &mut [u64],
    order: &mut Vec<u32>,
    (scratch, index): (&mut Vec<u64>, &mut Vec<u32>),
    buckets: usize,
    bucket: impl Fn(u64) -> usize,
    rest: (u32, u32),
) {
    const INSERTION: usize = 32;
    let n = keys.len();
    // Each key's bucket is kept in `order` (free until the buckets are sorted).
    let mut bounds = vec![0u32; buckets + 1];
    order.clear();
    order.extend(keys.iter().map(|&k| bucket(k) as u32));
    for &b in order.iter() {
        bounds[b as usize + 1] += 1;
    }
    for b in 1..bounds.len() {
        bounds[b] += bounds[b - 1];
    }
    let mut next = bounds.clone();
    scratch.clear();
    scratch.resize(n, 0);
    index.clear();
    index.resize(n, 0);
    for (i, (&k, &b)) in keys.iter().zip(order.iter()).enumerate() {
        let slot = &mut next[b as usize];
        scratch[*slot as usize] = k;
        index[*slot as usize] = i as u32;
        *slot += 1;
    }
    for w in bounds.windows(2) {
        let (lo, hi) = (w[0] as usize, w[1] as usize);
        if hi - lo < 2 || rest.1 == 0 {
            continue;
        }
        let (k, i) = (&mut scratch[lo..hi], &mut index[lo..hi]);
        if hi - lo <= INSERTION {
            insertion_pairs(k, i);
        } else {
            lsd_pairs(k, i, (&mut keys[..hi - lo], &mut order[..hi - lo]), rest);
        }
    }
    std::mem::swap(order, index);
}

/// Sorts `keys` with `order` alongside by insertion, stably (equal keys keep
/// their order).
fn insertion_pairs(keys: &mut [u64], order: &mut [u32]) {
    for j in 1..keys.len() {
        let (k, i) = (keys[j], order[j]);
        let mut at = j;
        while at > 0 && keys[at - 1] > k {
            keys[at] = keys[at - 1];
            order[at] = order[at - 1];
            at -= 1;
        }
        keys[at] = k;
        order[at] = i;
    }
}

/// Sorts `keys` on their `bits` bits from bit `low` up, with `order`
/// alongside, stably: a least significant digit first radix sort, `tmp_keys`
/// and `tmp_order` (as long) its scratch.
fn lsd_pairs(
    keys: &mut [u64],
    order: &mut [u32],
    (tmp_keys, tmp_order): (&mut [u64], &mut [u32]),
    (low, bits): (u32, u32),
) {
    let n = keys.len();
    let mut digits = Digits::count(keys, low, bits);
    let (buckets, mut counts) = (digits.buckets, std::mem::take(&mut digits.counts));
    let digit = |k, pass| digits.digit(k, pass);
    // Passes go back and forth between the two pairs of slices.
    let mut in_tmp = false;
    for (pass, count) in counts.chunks_exact_mut(buckets).enumerate() {
        if !starts(count, n) {
            continue;
        }
        let (from_k, from_i, to_k, to_i) = if in_tmp {
            (&*tmp_keys, &*tmp_order, &mut *keys, &mut *order)
        } else {
            (&*keys, &*order, &mut *tmp_keys, &mut *tmp_order)
        };
        for (&k, &i) in from_k.iter().zip(from_i.iter()) {
            let slot = &mut count[digit(k, pass)];
            to_k[*slot as usize] = k;
            to_i[*slot as usize] = i;
            *slot += 1;
        }
        in_tmp = !in_tmp;
    }
    if in_tmp {
        keys.copy_from_slice(tmp_keys);
        order.copy_from_slice(tmp_order);
    }
}

/// A tiny random source for tests (xorshift64): shuffled inputs without a
/// dependency.
#[cfg(test)]
pub(crate) fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
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
        let mut next = xorshift(0x9E37_79B9_7F4A_7C15);
        let (mut out, mut buffers) = (Vec::new(), SortBuffers::default());
        for len in [0, 1, 2, 1024, 1025, 5000, 40_000] {
            // Whole seconds as f64 bits (many equal: packed and radix-sorted),
            // fractional times (too many bits to pack: keys and indices
            // radix-sorted side by side), fractional times with many ties,
            // times as Monte Carlo draws them, crowded ones, any bits, any bits
            // crowded, and one key for all.
            for kind in 0..8 {
                let key: Vec<u64> = (0..len)
                    .map(|_| match kind {
                        0 => ((next() % 5000) as f64 * 60.0).to_bits(),
                        1 => ((next() % 1_000_000) as f64 / 7.0).to_bits(),
                        2 => ((next() % 300) as f64 / 7.0).to_bits(),
                        3 => (60.0 + (next() >> 11) as f64 * (1.0 / (1u64 << 53) as f64) * 7.2e6).to_bits(),
                        // Crowded into a few of the top buckets by a few outliers.
                        4 => {
                            (1e6 + (next() % 100_000) as f64 / 7.0 + if next().is_multiple_of(50) { 1e9 } else { 0.0 })
                                .to_bits()
                        }
                        5 => next(),
                        6 => 1 << 63 | if next().is_multiple_of(50) { next() >> 1 } else { next() % (1 << 40) },
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
