//! PERT draws that come out bit for bit the same natively and in wasm.
//!
//! Everything here is defined without the platform's maths library: ChaCha8
//! for random bits, IEEE arithmetic (`sqrt` is exact everywhere) and the
//! `libm` crate's pure-Rust `log`. PERT(min, mode, max) with shape 4 is
//! `min + (max - min) * Beta(α, β)` with `α = 1 + 4 (mode - min) / (max - min)`
//! and `β = 1 + 4 (max - mode) / (max - min)`; a Beta draw is `X / (X + Y)`
//! for Gamma draws `X ~ Γ(α)`, `Y ~ Γ(β)`, by Marsaglia and Tsang's method
//! (valid here since α, β >= 1).
//!
//! The normal draws Marsaglia and Tsang's method needs come from Marsaglia's
//! polar method on stream 0, as they always have (so that lint's figures,
//! one batch on stream 0, never move), and from Marsaglia and Tsang's
//! ziggurat (128 layers) on every other stream: one 64-bit word and a
//! multiplication for nearly every draw, where the polar method takes about
//! 1.3 words, half a `log` and half a square root.

use std::sync::OnceLock;

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

/// The ziggurat's layers: 128 of equal area under `exp(-x² / 2)`.
const LAYERS: usize = 128;
/// Where the base layer's tail starts.
const R: f64 = 3.442_619_855_899;
/// Each layer's area.
const AREA: f64 = 9.912_563_035_262_17e-3;

/// Layer `i` is `x[i]` wide and spans heights `f[i]..f[i + 1]` (the base
/// layer, 0, is the rectangle of width `R` and height `f(R)` with the tail
/// beyond it, counted as a rectangle `x[0]` wide).
struct Ziggurat {
    x: [f64; LAYERS + 1],
    f: [f64; LAYERS + 1],
}

fn density(x: f64) -> f64 {
    libm::exp(-0.5 * x * x)
}

/// The layers, computed once with `libm` (so the same everywhere).
fn ziggurat() -> &'static Ziggurat {
    static TABLE: OnceLock<Ziggurat> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut z = Ziggurat { x: [0.0; LAYERS + 1], f: [0.0; LAYERS + 1] };
        z.x[0] = AREA / density(R);
        z.x[1] = R;
        for i in 1..LAYERS - 1 {
            z.x[i + 1] = (-2.0 * libm::log(density(z.x[i]) + AREA / z.x[i])).sqrt();
        }
        z.x[LAYERS] = 0.0;
        for i in 1..=LAYERS {
            z.f[i] = density(z.x[i]);
        }
        z
    })
}

/// The source of every random number of one Monte Carlo simulation.
pub(crate) struct Draws {
    rng: ChaCha8Rng,
    /// The second normal of the last polar pair.
    spare: Option<f64>,
    /// The ziggurat, on every stream but 0.
    zig: Option<&'static Ziggurat>,
    /// Antithetic pairs: what this run does with each Gamma draw's first
    /// normal (see [`Draws::lead`]).
    mirror: Mirror,
    /// The first normals of the last leading run's Gamma draws, in order.
    first: Vec<f64>,
    /// How many of them the following run has used.
    at: usize,
}

#[derive(Clone, Copy, PartialEq)]
enum Mirror {
    Off,
    Lead,
    Follow,
}

impl Draws {
    /// Draws from `stream` of ChaCha8 seeded with `seed` (stream 0 is the
    /// one a freshly seeded generator gives).
    pub fn new(seed: u64, stream: u64) -> Draws {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        Draws { rng, spare: None, zig: (stream != 0).then(ziggurat), mirror: Mirror::Off, first: Vec::new(), at: 0 }
    }

    /// The next run leads an antithetic pair: each Gamma draw's first
    /// candidate normal is kept for the run that follows.
    pub fn lead(&mut self) {
        self.mirror = Mirror::Lead;
        self.first.clear();
    }

    /// The next run follows the leading one: each Gamma draw's first
    /// candidate is the leading run's, negated. That is a standard normal
    /// too, so every run is still an exact draw; but where the leading run
    /// drew long, this one draws short, and the pair's average varies less.
    pub fn follow(&mut self) {
        self.mirror = Mirror::Follow;
        self.at = 0;
    }

    /// The first candidate of a Gamma draw.
    fn first_normal(&mut self) -> f64 {
        match self.mirror {
            Mirror::Off => self.normal(),
            Mirror::Lead => {
                let x = self.normal();
                self.first.push(x);
                x
            }
            Mirror::Follow => {
                let kept = self.first.get(self.at).copied();
                self.at += 1;
                kept.map_or_else(|| self.normal(), |x| -x)
            }
        }
    }

    /// Uniform in the open interval (0, 1).
    fn unit(&mut self) -> f64 {
        ((self.rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
    }

    /// Standard normal.
    fn normal(&mut self) -> f64 {
        match self.zig {
            Some(z) => self.ziggurat_normal(z),
            None => self.polar_normal(),
        }
    }

    /// Standard normal, by the ziggurat: a layer and a point across it from
    /// one word; inside the layer's inner rectangle (nearly always) that is
    /// the draw, else the wedge or the base layer's tail decide.
    fn ziggurat_normal(&mut self, z: &Ziggurat) -> f64 {
        loop {
            let bits = self.rng.next_u64();
            let i = (bits & (LAYERS as u64 - 1)) as usize;
            let sign = if bits & LAYERS as u64 == 0 { 1.0 } else { -1.0 };
            let x = (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64) * z.x[i];
            if x < z.x[i + 1] {
                return sign * x;
            }
            if i == 0 {
                // The tail beyond R (Marsaglia, 1964).
                loop {
                    let a = -libm::log(self.unit()) / R;
                    let b = -libm::log(self.unit());
                    if 2.0 * b > a * a {
                        return sign * (R + a);
                    }
                }
            }
            if z.f[i] + self.unit() * (z.f[i + 1] - z.f[i]) < density(x) {
                return sign * x;
            }
        }
    }

    /// Standard normal, by Marsaglia's polar method.
    fn polar_normal(&mut self) -> f64 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        loop {
            let u = 2.0 * self.unit() - 1.0;
            let v = 2.0 * self.unit() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                let factor = (-2.0 * libm::log(s) / s).sqrt();
                self.spare = Some(v * factor);
                return u * factor;
            }
        }
    }

    /// Γ(shape, 1) for shape >= 1 (Marsaglia and Tsang, 2000).
    fn gamma(&mut self, g: Gamma) -> f64 {
        let mut x = self.first_normal();
        loop {
            let t = 1.0 + g.c * x;
            if t > 0.0 {
                let v = t * t * t;
                let u = self.unit();
                let x2 = x * x;
                if u < 1.0 - 0.0331 * x2 * x2 || accepts(u, v, x2, g.d) {
                    return g.d * v;
                }
            }
            x = self.normal();
        }
    }

    pub fn pert(&mut self, p: &Pert) -> f64 {
        let x = self.gamma(p.alpha);
        let y = self.gamma(p.beta);
        p.min + p.range * (x / (x + y))
    }
}

/// Marsaglia and Tsang's full test, `log u < x² / 2 + d (1 - v + log v)`,
/// mostly without the logarithms: first with bounds that make it only
/// harder to pass (`log u` from above, `log v` from below, both exact to the
/// third order around 1), and only when that fails, exactly. Whatever the
/// bounds say first, the answer is the exact test's, so the draws are too.
fn accepts(u: f64, v: f64, x2: f64, d: f64) -> bool {
    // For 0 < u <= 1: log u <= 2 (u - 1) / (u + 1).
    let log_u_above = 2.0 * (u - 1.0) / (u + 1.0);
    // For v >= 1: log v >= 2 (v - 1) / (v + 1); for 0 < v < 1: log v >= (v - 1/v) / 2.
    let log_v_below = if v >= 1.0 { 2.0 * (v - 1.0) / (v + 1.0) } else { 0.5 * (v - 1.0 / v) };
    log_u_above < 0.5 * x2 + d * (1.0 - v + log_v_below) || libm::log(u) < 0.5 * x2 + d * (1.0 - v + libm::log(v))
}

#[derive(Clone, Copy, Debug)]
struct Gamma {
    d: f64,
    c: f64,
}

impl Gamma {
    fn new(shape: f64) -> Gamma {
        let d = shape - 1.0 / 3.0;
        Gamma { d, c: 1.0 / (9.0 * d).sqrt() }
    }
}

/// A PERT distribution (shape 4) over `[min, max]` with mode `likely`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pert {
    min: f64,
    range: f64,
    alpha: Gamma,
    beta: Gamma,
}

impl Pert {
    /// `None` unless `min <= likely <= max` and `min < max`.
    pub fn new(min: f64, likely: f64, max: f64) -> Option<Pert> {
        let range = max - min;
        if !(range > 0.0 && min <= likely && likely <= max) {
            return None;
        }
        let alpha = 1.0 + 4.0 * (likely - min) / range;
        let beta = 1.0 + 4.0 * (max - likely) / range;
        Some(Pert { min, range, alpha: Gamma::new(alpha), beta: Gamma::new(beta) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_stay_in_range_and_average_the_pert_mean() {
        let p = Pert::new(10.0, 20.0, 60.0).expect("valid");
        let mut draws = Draws::new(5, 0);
        let n = 200_000;
        let mut sum = 0.0;
        for _ in 0..n {
            let x = draws.pert(&p);
            assert!((10.0..=60.0).contains(&x), "{x}");
            sum += x;
        }
        let mean = sum / f64::from(n);
        // PERT mean: (min + 4 likely + max) / 6 = 25.
        assert!((mean - 25.0).abs() < 0.1, "mean {mean}");
    }

    #[test]
    fn a_symmetric_pert_is_below_its_mode_half_the_time() {
        let p = Pert::new(0.0, 5.0, 10.0).expect("valid");
        let mut draws = Draws::new(9, 0);
        let below = (0..100_000).filter(|_| draws.pert(&p) <= 5.0).count();
        assert!((49_000..=51_000).contains(&below), "{below}");
    }

    #[test]
    fn the_same_seed_gives_the_same_bits() {
        let p = Pert::new(1.0, 2.0, 9.0).expect("valid");
        let (mut a, mut b) = (Draws::new(42, 0), Draws::new(42, 0));
        for _ in 0..1_000 {
            assert_eq!(draws_bits(&mut a, &p), draws_bits(&mut b, &p));
        }
        // A known value pins the algorithm: changing it changes every figure.
        let mut c = Draws::new(1, 0);
        assert_eq!(draws_bits(&mut c, &p), KNOWN_FIRST_DRAW);
    }

    #[test]
    fn streams_of_one_seed_differ_and_stream_0_is_the_seeds_own() {
        let p = Pert::new(1.0, 2.0, 9.0).expect("valid");
        let mut fresh = Draws { zig: None, ..Draws::new(1, 0) };
        assert_eq!(draws_bits(&mut fresh, &p), KNOWN_FIRST_DRAW);
        let firsts: Vec<u64> = (0..4).map(|s| draws_bits(&mut Draws::new(1, s), &p)).collect();
        assert_eq!(firsts[0], KNOWN_FIRST_DRAW);
        for (i, a) in firsts.iter().enumerate() {
            assert!(firsts[i + 1..].iter().all(|b| b != a), "{firsts:?}");
        }
    }

    #[test]
    fn normals_have_the_normal_shape_by_either_method() {
        for stream in [0, 1] {
            let mut draws = Draws::new(3, stream);
            let n = 400_000;
            let (mut sum, mut squares, mut beyond) = (0.0, 0.0, [0u32; 4]);
            for _ in 0..n {
                let z = draws.normal();
                sum += z;
                squares += z * z;
                for (k, count) in beyond.iter_mut().enumerate() {
                    *count += u32::from(z.abs() > k as f64 + 0.5);
                }
            }
            let (mean, variance) = (sum / f64::from(n), squares / f64::from(n));
            assert!(mean.abs() < 0.005 && (variance - 1.0).abs() < 0.01, "stream {stream}: {mean} {variance}");
            // P(|Z| > 0.5, 1.5, 2.5, 3.5) for the standard normal.
            for (count, p) in beyond.iter().zip([0.617_075, 0.133_614, 0.012_419, 0.000_465]) {
                let share = f64::from(*count) / f64::from(n);
                let slack = 4.0 * (p * (1.0 - p) / f64::from(n)).sqrt();
                assert!((share - p).abs() < slack, "stream {stream}: {share} vs {p}");
            }
        }
        // The table closes at the top: the last layer ends at height 1.
        let z = ziggurat();
        assert!((z.f[LAYERS - 1] + AREA / z.x[LAYERS - 1] - 1.0).abs() < 1e-9, "{}", z.f[LAYERS - 1]);
    }

    #[test]
    fn pert_draws_by_the_ziggurat_average_the_pert_mean() {
        let p = Pert::new(10.0, 20.0, 60.0).expect("valid");
        let mut draws = Draws::new(5, 7);
        let n = 200_000;
        let mean = (0..n).map(|_| draws.pert(&p)).sum::<f64>() / f64::from(n);
        assert!((mean - 25.0).abs() < 0.1, "mean {mean}");
        let mut other = Draws::new(1, 1);
        assert_eq!(draws_bits(&mut other, &p), KNOWN_FIRST_ZIGGURAT_DRAW);
    }

    /// A following run's draws are PERT draws too (same mean and spread),
    /// and run against the leading run's: long where it drew short.
    #[test]
    fn antithetic_pairs_keep_the_distribution_and_pull_apart() {
        let p = Pert::new(10.0, 20.0, 60.0).expect("valid");
        let mut draws = Draws::new(5, 3);
        let (n, per_run) = (20_000, 5);
        let (mut lead, mut follow) = (Vec::new(), Vec::new());
        for _ in 0..n {
            draws.lead();
            lead.extend((0..per_run).map(|_| draws.pert(&p)));
            draws.follow();
            follow.extend((0..per_run).map(|_| draws.pert(&p)));
        }
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let var = |v: &[f64]| {
            let m = mean(v);
            v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / v.len() as f64
        };
        // PERT(10, 20, 60): mean 25, variance (25 - 10) (60 - 25) / 7 = 75.
        for v in [&lead, &follow] {
            assert!((mean(v) - 25.0).abs() < 0.2 && (var(v) - 75.0).abs() < 3.0, "{} {}", mean(v), var(v));
        }
        let (ml, mf) = (mean(&lead), mean(&follow));
        let cov = lead.iter().zip(&follow).map(|(a, b)| (a - ml) * (b - mf)).sum::<f64>() / lead.len() as f64;
        let rho = cov / (var(&lead) * var(&follow)).sqrt();
        assert!(rho < -0.8, "correlation {rho}");
    }

    /// The bounds before the logarithms never accept what the exact test
    /// rejects (so the draws are the same as with the exact test alone).
    #[test]
    fn the_bounded_test_decides_as_the_exact_one() {
        let mut draws = Draws::new(3, 5);
        for _ in 0..200_000 {
            let (u, x) = (draws.unit(), 3.0 * draws.normal());
            let d = 0.5 + 5.0 * draws.unit();
            let t = 1.0 + x / (9.0 * d).sqrt();
            if t <= 0.0 {
                continue;
            }
            let (v, x2) = (t * t * t, x * x);
            let exact = libm::log(u) < 0.5 * x2 + d * (1.0 - v + libm::log(v));
            assert_eq!(accepts(u, v, x2, d), exact, "u {u} v {v} x² {x2} d {d}");
        }
    }

    const KNOWN_FIRST_ZIGGURAT_DRAW: u64 = 4_626_883_775_550_813_754;

    fn draws_bits(d: &mut Draws, p: &Pert) -> u64 {
        d.pert(p).to_bits()
    }

    const KNOWN_FIRST_DRAW: u64 = 4_614_116_966_074_367_801;
}
