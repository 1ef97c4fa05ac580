//! Counted nouns in messages: `1 report`, `2 reports`. Every count a person reads goes through [`count`], so no
//! message says "1 reports".

/// `n` with its noun in the right number (`one` for exactly 1, else `many`).
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
