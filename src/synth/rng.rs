//! Random numbers: a seeded generator with no dependency, and the draws of group numbers and students.

use super::*;

/// SplitMix64: tiny, statistically sound, and with no dependency, so a seed gives the same cohort everywhere.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (multiply-shift: no modulo bias worth the name). `n` must be positive.
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        if hi <= lo {
            lo
        } else {
            lo + self.below(hi - lo + 1)
        }
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A random element of a non-empty slice.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// Fisher–Yates.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// Mixes a seed and a stream number into an independent seed.
pub(super) fn mix(seed: u64, stream: u64) -> u64 {
    let mut r = Rng::new(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
    r.next_u64()
}

/// Distinct group numbers, ascending, from a range a little larger than the cohort (real courses have gaps).
pub(super) fn draw_group_numbers(rng: &mut Rng, n: usize) -> Vec<u32> {
    let top = (n + n / 4 + 5).max(20) as u32;
    let mut all: Vec<u32> = (1..=top).collect();
    rng.shuffle(&mut all);
    let mut chosen: Vec<u32> = all.into_iter().take(n).collect();
    chosen.sort_unstable();
    chosen
}

/// Fake DTU study numbers `s2YNNNN`, the year digit roughly matching the cohort, unique across the cohort.
pub(super) fn draw_students(rng: &mut Rng, cohort: Cohort, n: usize, used: &mut BTreeSet<String>) -> Vec<String> {
    let years: &[u32] = match cohort {
        Cohort::Y2023_24 => &[1, 2, 3],
        Cohort::Y2025 => &[2, 3, 4],
        Cohort::Y2026 => &[3, 4, 5],
    };
    let mut out = Vec::with_capacity(n);
    let mut misses = 0;
    while out.len() < n {
        // A huge cohort can exhaust the cohort's years, then every `s2` number: fall back to wider spaces (the
        // 8-digit numbers some other universities use) rather than loop forever.
        let id = match misses {
            0..=999 => format!("s2{}{:04}", rng.pick(years), rng.below(10_000)),
            1000..=1999 => format!("s2{:05}", rng.below(100_000)),
            _ => format!("{:08}", rng.below(100_000_000)),
        };
        if used.insert(id.clone()) {
            out.push(id);
        } else {
            misses += 1;
        }
    }
    out
}
