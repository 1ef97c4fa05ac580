//! Pseudonymised exports: no student number, user name or e-mail address in any cell of any exported frame.
//!
//! What is replaced, in every text cell of every frame (a keyed pseudonym, `p` and eight hex digits, the same
//! wherever the same value stands, so frames still join):
//! - the whole value of the `id` column (a report's folder, often `owner__repo`: a GitHub user name) and of the
//!   `branch` column (students name branches after themselves: `s216666/jane-doe-onnx`);
//! - wherever they occur as words: the report ids (of four characters or more with a letter), their owner part
//!   (`owner__repo`, `owner/repo`), the branch names, and the user of a `github.com/USER` address;
//! - e-mail addresses;
//! - the commit subjects a verdict's note quotes (`("...") removed it`): free text of the students, withheld;
//! - student numbers, as [`Pseudonymiser::apply`] finds them.
//!
//! A student's name written in an answer's prose is not recognised as a name; the group list and the reports
//! give student numbers, not names, and those are replaced.

use crate::domain::pseudonym::Pseudonymiser;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use polars::prelude::*;
use regex::Regex;
use std::sync::OnceLock;

fn email() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}").expect("valid"))
}

fn github_user() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?i)(github\.com[/:])([A-Za-z0-9][A-Za-z0-9-]*)").expect("valid constant regex"))
}

fn quoted_subject() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r#"\("[^\n]*?"\) removed it"#).expect("valid constant regex"))
}

/// Replaces what identifies a student in the cells of the frames of one index.
pub struct FramePseudonymiser {
    p: Pseudonymiser,
    /// Ids, owners and branch names, found as words (ASCII case ignored).
    words: Option<AhoCorasick>,
}

/// Whether a match at `start..end` of `text` stands alone (no letter, digit or `_` glued to either side).
fn standalone(text: &str, start: usize, end: usize) -> bool {
    let glued = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    !glued(text[..start].chars().next_back()) && !glued(text[end..].chars().next())
}

impl FramePseudonymiser {
    /// `ids`: the report ids of the index; `branches`: the branch names its verdicts name.
    pub fn new<'a>(
        p: Pseudonymiser,
        ids: impl IntoIterator<Item = &'a str>,
        branches: impl IntoIterator<Item = &'a str>,
    ) -> FramePseudonymiser {
        let has_letter = |s: &str| s.chars().any(char::is_alphabetic);
        let mut words: Vec<String> = Vec::new();
        for id in ids {
            if id.len() >= 4 && has_letter(id) {
                words.push(id.to_string());
            }
            // The owner of `owner__repo` (scrape's folders) or `owner/repo`.
            let owner = id.split_once("__").or_else(|| id.split_once('/')).map(|(o, _)| o);
            if let Some(o) = owner.filter(|o| o.len() >= 3 && has_letter(o)) {
                words.push(o.to_string());
            }
        }
        words.extend(branches.into_iter().filter(|b| !b.trim().is_empty()).map(str::to_string));
        words.sort();
        words.dedup();
        let words = (!words.is_empty())
            .then(|| {
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&words)
                    .ok()
            })
            .flatten();
        FramePseudonymiser { p, words }
    }

    fn pseudonym(&self, value: &str) -> String {
        self.p.pseudonym(value)
    }

    /// One cell of column `column`, pseudonymised.
    pub fn cell(&self, column: &str, value: &str) -> String {
        if column == "id" || column == "branch" {
            return self.pseudonym(value);
        }
        let mut s = quoted_subject().replace_all(value, "(subject withheld) removed it").into_owned();
        if s.contains('@') {
            s = email().replace_all(&s, |c: &regex::Captures<'_>| self.pseudonym(&c[0])).into_owned();
        }
        if s.contains("ithub") || s.contains("ITHUB") {
            s = github_user()
                .replace_all(&s, |c: &regex::Captures<'_>| format!("{}{}", &c[1], self.pseudonym(&c[2])))
                .into_owned();
        }
        if let Some(words) = &self.words {
            let mut out = String::with_capacity(s.len());
            let mut last = 0;
            for m in words.find_iter(&s) {
                if standalone(&s, m.start(), m.end()) {
                    out.push_str(&s[last..m.start()]);
                    out.push_str(&self.pseudonym(&s[m.start()..m.end()]));
                    last = m.end();
                }
            }
            out.push_str(&s[last..]);
            s = out;
        }
        self.p.apply(&s)
    }

    /// A frame with every text cell pseudonymised.
    pub fn frame(&self, df: &DataFrame) -> PolarsResult<DataFrame> {
        let mut cols = Vec::with_capacity(df.width());
        for c in df.columns() {
            if c.dtype() == &DataType::String {
                let name = c.name().to_string();
                let replaced: StringChunked = c.str()?.iter().map(|v| v.map(|s| self.cell(&name, s))).collect();
                cols.push(replaced.with_name(c.name().clone()).into_column());
            } else {
                cols.push(c.clone());
            }
        }
        DataFrame::new(df.height(), cols)
    }
}

/// The text values of a column (none when it is absent or not text).
pub fn texts(df: &DataFrame, column: &str) -> Vec<String> {
    df.column(column)
        .ok()
        .and_then(|c| c.str().ok().map(|s| s.iter().flatten().map(str::to_string).collect()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cell_loses_user_names_e_mail_addresses_branches_and_subjects() {
        let p = Pseudonymiser::new([3; 32]);
        let fp = FramePseudonymiser::new(p.clone(), ["janedoe42__mlops-project", "15"], ["s216666/jane-doe-onnx"]);
        let verdicts = df!(
            "id" => ["janedoe42__mlops-project", "15"],
            "branch" => [Some("s216666/jane-doe-onnx"), None],
            "note" => [
                "only on unmerged branch s216666/jane-doe-onnx",
                "wandb (src/train.py:1) was there until commit 0123456789ab of 2026-01-06 (\"drop wandb (jane.doe@gmail.com)\") removed it",
            ],
            "text" => ["see https://github.com/JaneDoe42/mlops or mail Jane.Doe@Gmail.com; JANEDOE42 did it", "we ran 15 tests"],
        )
        .expect("frame");
        let out = fp.frame(&verdicts).expect("pseudonymised");
        let cells: Vec<String> = ["id", "branch", "note", "text"].iter().flat_map(|c| texts(&out, c)).collect();
        let all = cells.join("\n").to_lowercase();
        for leak in ["janedoe42", "jane", "gmail", "s216666", "drop wandb"] {
            assert!(!all.contains(leak), "{leak} in {all}");
        }
        // The same value gets the same pseudonym everywhere; numbers in prose stay.
        assert_eq!(texts(&out, "id")[0], p.pseudonym("janedoe42__mlops-project"));
        assert!(texts(&out, "note")[0].ends_with(&texts(&out, "branch")[0]), "{cells:?}");
        assert_eq!(texts(&out, "text")[1], "we ran 15 tests");
        assert!(texts(&out, "note")[1].contains("(subject withheld) removed it"), "{cells:?}");
    }
}
