//! Stable pseudonyms for student numbers. A keyed hash (the key stays with the index and never leaves it), so the
//! same student gets the same pseudonym in every export of that index, and the six-digit id space cannot be
//! reversed by hashing every candidate without the key.

use regex::Regex;
use std::collections::HashSet;
use std::sync::OnceLock;

fn student_id() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // Wherever it stands: inside names (`s123456__repo`), glued to words (`nwusers214995` in a W&B URL) or to
    // another id (`s555555s666666`). A longer run of digits (`s2182105`, a typo or another scheme) is replaced
    // whole: a pseudonymised export must not keep six digits of a student number.
    RE.get_or_init(|| Regex::new(r"[sS]\d{6,}").expect("valid constant regex"))
}

/// Replaces student ids with pseudonyms.
#[derive(Debug, Clone)]
pub struct Pseudonymiser {
    key: [u8; 32],
    /// Ids in other forms (other universities) that must be replaced too.
    extra: HashSet<String>,
}

impl Pseudonymiser {
    pub fn new(key: [u8; 32]) -> Self {
        Pseudonymiser { key, extra: HashSet::new() }
    }

    /// Also replaces these ids wherever they occur (ids as listed in the reports, of any form).
    pub fn with_known_ids<'a>(mut self, ids: impl IntoIterator<Item = &'a str>) -> Self {
        self.extra.extend(ids.into_iter().map(str::trim).filter(|s| s.len() >= 4).map(str::to_string));
        self
    }

    /// The pseudonym of one id: `p` and eight hex digits.
    pub fn pseudonym(&self, id: &str) -> String {
        let h = blake3::keyed_hash(&self.key, id.trim().to_lowercase().as_bytes());
        format!("p{}", &h.to_hex()[..8])
    }

    /// The text with every student id replaced.
    pub fn apply(&self, text: &str) -> String {
        let mut s = student_id().replace_all(text, |c: &regex::Captures<'_>| self.pseudonym(&c[0])).into_owned();
        for id in &self.extra {
            if s.contains(id.as_str()) {
                s = s.replace(id.as_str(), &self.pseudonym(id));
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_and_keyed() {
        let p = Pseudonymiser::new([7; 32]);
        assert_eq!(p.pseudonym("s123456"), p.pseudonym("S123456"));
        assert_ne!(p.pseudonym("s123456"), Pseudonymiser::new([8; 32]).pseudonym("s123456"));
        let out = p.apply("Student s123456 and s654321 wrote it, not s12345.");
        assert!(!out.contains("s123456") && !out.contains("s654321"));
        assert!(out.contains("s12345."), "five digits is not a student number");
        assert!(!p.apply("github.com/s123456__repo").contains("s123456"));
        let six_digits = regex::Regex::new(r"[sS]\d{6}").expect("regex");
        for glued in ["nwusers214995", "s2182105", "s555555s666666", "abcS123456xyz"] {
            let out = p.apply(glued);
            assert!(!six_digits.is_match(&out), "{glued} -> {out}");
        }
        assert_eq!(p.apply("users214995"), format!("user{}", p.pseudonym("s214995")));
        let q = Pseudonymiser::new([7; 32]).with_known_ids(["12345678"]);
        assert!(!q.apply("member 12345678").contains("12345678"));
    }
}
