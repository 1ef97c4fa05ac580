//! A faithful emulation of how the course's `reports/report.py check` cuts a report into answers and counts their
//! words and images (CONSTRAINTS.md §2), for each of its versions. cohort's own parser reads answers by their
//! headings and prompts; the course checker does not, and staff compare cohort's verdicts with the checker's, so the
//! words and images rules judge exactly what the checker judges whenever the checker would run at all.

use crate::domain::template::CheckerVersion;
use regex::Regex;
use std::fmt;
use std::sync::OnceLock;

/// One answer as the checker sees it: the i-th gets the i-th constraint, whatever its heading says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckerAnswer {
    /// Whitespace-separated tokens, as Python's `str.split()` counts them.
    pub words: usize,
    /// Non-overlapping matches of `!\[.*?\]\(.*?\)` (alt and target on one line).
    pub images: usize,
}

/// Why the checker stops before checking anything (and, in the staff's leaderboard, scores as a perfect report).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckerStop {
    /// Python cannot read the file as UTF-8 (UnicodeDecodeError).
    NotUtf8,
    /// No `Answer:` anywhere: LATEST fails on an empty list (IndexError).
    NoAnswers,
    /// The answer count differs from the template's (ValueError).
    Count { found: usize, expected: usize },
}

impl fmt::Display for CheckerStop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckerStop::NotUtf8 => f.write_str("the file is not valid UTF-8, so the checker cannot read it"),
            CheckerStop::NoAnswers => f.write_str("the file has no \"Answer:\" line at all"),
            CheckerStop::Count { found, expected } if found < expected => write!(
                f,
                "it finds {found} answers where the template has {expected} (a `### Question` heading or an `Answer:` \
                 line deleted or reworded)"
            ),
            CheckerStop::Count { found, expected } => write!(
                f,
                "it finds {found} answers where the template has {expected} (a question added, or a `###` heading in \
                 the last answer)"
            ),
        }
    }
}

/// What the checker makes of a report: its answers, or why it stops.
pub type CheckerView = Result<Vec<CheckerAnswer>, CheckerStop>;

/// The file's text as Python's `open(...).read()` returns it: UTF-8 (a byte-order mark stays, as one character),
/// with universal newlines (`\r\n` and a lone `\r` become `\n`). `None` when the bytes are not UTF-8.
pub fn python_text(bytes: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?;
    if !text.contains('\r') {
        return Some(text.to_string());
    }
    Some(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Runs the checker's answer splitting on a file's bytes.
pub fn view(bytes: &[u8], version: CheckerVersion) -> CheckerView {
    let text = python_text(bytes).ok_or(CheckerStop::NotUtf8)?;
    split_answers(&text, version).map(|answers| answers.iter().map(|a| measure(a)).collect())
}

/// The answers, as strings, exactly as the checker cuts them (before it strips leading and trailing newlines,
/// which changes neither count).
pub fn split_answers(text: &str, version: CheckerVersion) -> Result<Vec<&str>, CheckerStop> {
    // `text[43:]` counts characters, not bytes.
    let start = text.char_indices().nth(version.skip_chars).map_or(text.len(), |(i, _)| i);
    let text = &text[start..];
    let mut parts: Vec<&str> = text.split("Answer:").collect();
    if version.preamble_dropped_first {
        parts.remove(0);
    }
    // Parts without `###` are dropped; the others end at the first `###`, then at the first `##`.
    let mut answers: Vec<&str> = parts
        .iter()
        .filter_map(|part| part.find("###").map(|at| &part[..at]))
        .map(|cut| cut.find("##").map_or(cut, |at| &cut[..at]))
        .collect();
    // The final part is appended whole, even when it was also cut and kept above.
    let last = parts.last().ok_or(CheckerStop::NoAnswers)?;
    answers.push(last);
    if !version.preamble_dropped_first {
        answers.remove(0);
    }
    if answers.len() != version.answers {
        return Err(CheckerStop::Count { found: answers.len(), expected: version.answers });
    }
    Ok(answers)
}

/// Word and image counts of one answer, as the checker computes them.
pub fn measure(answer: &str) -> CheckerAnswer {
    CheckerAnswer { words: python_words(answer), images: checker_image_pattern().find_iter(answer).count() }
}

/// Python's `len(s.split())`: whitespace is what `str.isspace()` says, which is Unicode White_Space plus the four
/// information separators U+001C..U+001F.
pub fn python_words(s: &str) -> usize {
    s.split(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)).filter(|t| !t.is_empty()).count()
}

fn checker_image_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // The checker's own pattern. Like Python's `re`, `.` stops at `\n` and the lazy quantifiers take the first
    // closing bracket, so both engines find the same non-overlapping matches.
    RE.get_or_init(|| Regex::new(r"!\[.*?\]\(.*?\)").expect("valid constant regex"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LATEST: CheckerVersion = CheckerVersion { skip_chars: 0, preamble_dropped_first: true, answers: 2 };
    const OLD: CheckerVersion = CheckerVersion { skip_chars: 4, preamble_dropped_first: false, answers: 2 };

    #[test]
    fn latest_cuts_at_headings_and_keeps_the_last_part_whole() {
        let text =
            "intro\n### Question 1\n> Answer:\none two\n\n## Section\n### Question 2\n> Answer:\nthree\n## four\n";
        let answers = split_answers(text, LATEST).unwrap();
        assert_eq!(answers, vec!["\none two\n\n", "\nthree\n## four\n"]);
        // A `###` in the last answer: it is cut and kept, and appended whole as well.
        let text = text.replace("## four", "### four");
        assert_eq!(split_answers(&text, LATEST), Err(CheckerStop::Count { found: 3, expected: 2 }));
    }

    #[test]
    fn a_part_without_heading_is_dropped_and_the_count_stops_the_checker() {
        let text = "### Question 1\n> Answer: a Answer: b\n### Question 2\n> Answer: c";
        // The text before the second `Answer:` holds no `###`: the answer "a" is lost, "b" takes its place.
        assert_eq!(split_answers(text, LATEST).unwrap(), vec![" b\n", " c"]);
        let three = CheckerVersion { answers: 3, ..LATEST };
        assert_eq!(split_answers(text, three), Err(CheckerStop::Count { found: 2, expected: 3 }));
        assert_eq!(split_answers("no marker", LATEST), Err(CheckerStop::NoAnswers));
    }

    #[test]
    fn old_skips_characters_and_drops_the_first_kept_part() {
        // The skipped characters hide the first `Answer:`, so the preamble's cut is what answers[1:] drops.
        let text = "Answer: x ### Question 1\n Answer: a b\n### Question 2\n Answer: c";
        let answers = split_answers(text, OLD).unwrap();
        assert_eq!(answers, vec![" a b\n", " c"]);
    }

    #[test]
    fn python_whitespace_and_newlines() {
        assert_eq!(python_words("a\u{a0}b\u{1f}c  d\u{2003}e"), 5);
        assert_eq!(python_text(b"a\r\nb\rc").as_deref(), Some("a\nb\nc"));
        assert_eq!(python_text(&[0xff, 0xfe, 0x00]), None);
        assert_eq!(measure("![a](b) ![c](d)\n![e]\n(f) ![g](h").images, 2);
    }
}
