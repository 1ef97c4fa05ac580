//! The shared candidate scanner. An answer's markdown becomes plain text (emphasis, links, images, HTML, LaTeX
//! commands and escapes removed, table cells kept apart) while every byte keeps the offset it came from, so a
//! number found in the plain text can be quoted as the report writes it, with its sentence and line. Every number
//! in it (digits, decimals, thousands, number words) is a candidate; the fact readers decide what each one is from
//! what surrounds it.

use regex::Regex;
use std::ops::Range;

/// What a rewrite puts in place of a match.
#[derive(Clone, Copy)]
pub(crate) enum With {
    /// Fixed text.
    Text(&'static str),
    /// The match's capture group N (kept with its own offsets).
    Group(usize),
}

/// An answer's plain text, its sentences, and the way back to the markdown it came from.
#[derive(Debug, Clone)]
pub struct Scan<'a> {
    source: &'a str,
    /// 1-based line of the file where `source` starts.
    first_line: usize,
    /// The plain text the readers work on.
    pub text: String,
    /// For each byte of `text`, the byte of `source` it came from (a replacement: where the match started).
    origin: Vec<u32>,
    /// The sentences of `text`, as byte ranges, split when first asked for (the group and students readers never
    /// ask).
    sentences: std::cell::OnceCell<Vec<Range<usize>>>,
}

impl<'a> Scan<'a> {
    /// The plain text of an answer's markdown (see `plain_rewrites`); `first_line` is the file line it starts on.
    pub fn new(markdown: &'a str, first_line: usize) -> Scan<'a> {
        let mut scan = Scan {
            source: markdown,
            first_line,
            text: markdown.to_string(),
            origin: (0..markdown.len() as u32).collect(),
            sentences: std::cell::OnceCell::new(),
        };
        for (re, with) in plain_rewrites() {
            scan.rewrite(re, *with);
        }
        scan
    }

    /// The sentences of the plain text (see the function `sentences`).
    pub fn sentences(&self) -> &[Range<usize>] {
        self.sentences.get_or_init(|| sentences(&self.text))
    }

    /// The same scan with one more rewrite applied (sentences recomputed).
    pub(crate) fn rewritten(&self, re: &Regex, with: With) -> Scan<'a> {
        let mut s = self.clone();
        if s.rewrite(re, with) {
            s.sentences = std::cell::OnceCell::new();
        }
        s
    }

    /// Applies one rewrite to the text and its offsets; whether anything matched.
    fn rewrite(&mut self, re: &Regex, with: With) -> bool {
        let text = &self.text;
        let mut out = String::new();
        let mut origin: Vec<u32> = Vec::new();
        let mut last = 0;
        let push = |out: &mut String, origin: &mut Vec<u32>, from: usize, to: usize, own: &[u32]| {
            out.push_str(&text[from..to]);
            origin.extend_from_slice(&own[from..to]);
        };
        let at = |i: usize| self.origin.get(i).copied().unwrap_or(self.source.len() as u32);
        match with {
            With::Text(replacement) => {
                for m in re.find_iter(text) {
                    push(&mut out, &mut origin, last, m.start(), &self.origin);
                    out.push_str(replacement);
                    origin.extend(std::iter::repeat(at(m.start())).take(replacement.len()));
                    last = m.end();
                }
            }
            With::Group(g) => {
                for c in re.captures_iter(text) {
                    let Some(m) = c.get(0) else { continue };
                    push(&mut out, &mut origin, last, m.start(), &self.origin);
                    if let Some(kept) = c.get(g) {
                        push(&mut out, &mut origin, kept.start(), kept.end(), &self.origin);
                    }
                    last = m.end();
                }
            }
        }
        if last == 0 && out.is_empty() {
            return false;
        }
        push(&mut out, &mut origin, last, text.len(), &self.origin);
        self.text = out;
        self.origin = origin;
        true
    }

    /// The markdown bytes a range of the plain text came from.
    pub fn source_range(&self, r: Range<usize>) -> Range<usize> {
        let len = self.source.len();
        let start = self.origin.get(r.start).map_or(len, |&o| o as usize).min(len);
        let end =
            if r.end > r.start { self.origin.get(r.end - 1).map_or(len, |&o| o as usize + 1).min(len) } else { start };
        let start = floor_boundary(self.source, start);
        let end = ceil_boundary(self.source, end.max(start));
        start..end
    }

    /// The markdown a range of the plain text came from, as written.
    pub fn written(&self, r: Range<usize>) -> &'a str {
        let source: &'a str = self.source;
        &source[self.source_range(r)]
    }

    /// The file line a plain-text offset is on.
    pub fn line_at(&self, at: usize) -> usize {
        let src = self.source_range(at..at).start;
        self.first_line + memchr::memchr_iter(b'\n', &self.source.as_bytes()[..src]).count()
    }

    /// The sentence (range of the plain text) holding offset `at`.
    pub fn sentence_of(&self, at: usize) -> Range<usize> {
        self.sentences().iter().find(|r| r.contains(&at)).cloned().unwrap_or(at..at)
    }

    /// A quote of the words at `span`: its line, its sentence as written, and the words as written. The sentence
    /// always holds the words (a number running past its sentence's end widens it).
    pub fn quote(&self, span: Range<usize>) -> crate::domain::Quote {
        let sentence = self.sentence_of(span.start);
        let whole = sentence.start.min(span.start)..sentence.end.max(span.end);
        crate::domain::Quote {
            line: self.line_at(span.start),
            // As written, with line endings as `\n` (a CRLF file quotes the same as its LF copy).
            sentence: self.written(whole).trim().replace('\r', ""),
            written: self.written(span).trim().to_string(),
        }
    }
}

/// A regex compiled once, on first use.
macro_rules! regex {
    ($re:expr $(,)?) => {{
        static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
        RE.get_or_init(|| regex::Regex::new($re).expect("valid constant regex"))
    }};
}
pub(crate) use regex;

/// The rewrites from markdown to plain text, in order: comments, images, link targets, HTML (table cells kept
/// apart, rows on their own lines), leftover template placeholders, LaTeX commands and braces, escapes, emphasis
/// and code marks, and typographic spaces and quotes. Numbers in file names and URLs are not read, and `**13
/// tests**` reads as `13 tests`, `$78\,\%$` as `$78 %$`.
fn plain_rewrites() -> &'static [(Regex, With)] {
    static RES: std::sync::OnceLock<Vec<(Regex, With)>> = std::sync::OnceLock::new();
    RES.get_or_init(|| {
        let r = |re: &str| Regex::new(re).expect("valid constant regex");
        vec![
            (r(r"(?s)<!--.*?-->"), With::Text(" ")),
            (r(r"!\[[^\]]*\]\([^)\n]*\)?"), With::Text(" ")),
            (r(r"\[([^\]]*)\]\([^)\n]*\)"), With::Group(1)),
            // An HTML table row becomes one line, "TOTAL | 147 | 26 | 82%", like a markdown table row.
            (r(r"(?i)</t[dh]>\s*<t[dh][^>]*>"), With::Text(" | ")),
            (r(r"(?i)</tr>"), With::Text("\n")),
            (r(r"</?[A-Za-z][^>\n]*>"), With::Text(" ")),
            (r(r"(?i)-{2,}\s*(?:question\s*\d+\s*)?fill here\s*-{2,}"), With::Text(" ")),
            (r(r"-{3,}"), With::Text(" ")),
            // LaTeX: `\approx`/`\sim` are "about"; spacing commands and other commands (`\text`, `\mathbf`) and
            // braces go; `\%` and `\$` stay as the signs (the escapes below).
            (r(r"\\(?:approx|sim)\b"), With::Text("~")),
            (r(r"\\(?:[,;:! ]|quad\b|qquad\b)"), With::Text(" ")),
            (r(r"\\(?:text\w*|math\w*|bf|it|rm|left|right|mbox|boxed|displaystyle)\b"), With::Text("")),
            (r(r"[{}]"), With::Text("")),
            (r(r"\\([$%_*#\[\]])"), With::Group(1)),
            (r(r"[*`]"), With::Text("")),
            (r("\u{a0}"), With::Text(" ")),
            (r("[\u{2018}\u{2019}]"), With::Text("'")),
        ]
    })
}

/// Splits text into sentences (byte ranges): at line breaks, except where a hard-wrapped line goes on in lower
/// case; and after `.`, `!`, `?` or `;` followed by a space and an upper-case letter, a digit or a currency sign, so
/// that decimals ("83.4") and abbreviations before lower case ("kr. worth") stay whole.
pub(crate) fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (i, &(at, c)) in chars.iter().enumerate() {
        let mut rest = chars[i + 1..].iter().map(|&(_, c)| c);
        let end_here = match c {
            '\n' => {
                let line_before = text[start..at].lines().last().unwrap_or("");
                let next = rest.find(|c| *c == '\n' || !c.is_whitespace());
                line_before.trim().is_empty() || !next.is_some_and(|c| c.is_lowercase())
            }
            '.' | '!' | '?' | ';' => {
                rest.next().is_some_and(char::is_whitespace)
                    && rest
                        .find(|c| !c.is_whitespace())
                        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '$' || c == '€')
            }
            _ => false,
        };
        if end_here {
            out.push(start..at + c.len_utf8());
            start = at + c.len_utf8();
        }
    }
    out.push(start..text.len());
    out.retain(|r| !text[r.clone()].trim().is_empty());
    out
}

/// The answer as plain text, line breaks kept (see [`plain_rewrites`]).
pub(crate) fn plain_text(markdown: &str) -> String {
    Scan::new(markdown, 1).text
}

/// Moves `i` down to the nearest char boundary of `s`.
pub(crate) fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Moves `i` up to the nearest char boundary of `s`.
pub(crate) fn ceil_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

// ---------------------------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------------------------

/// A number written in an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    pub value: f64,
    /// Where it is in the plain text.
    pub span: Range<usize>,
    /// Written as a word ("seven").
    pub word: bool,
    /// Written with a decimal point or comma.
    pub decimal: bool,
}

/// Parses a number as written: "2.12", "1,59" (decimal comma), "1,000" (thousands), "fifteen".
pub(crate) fn number_value(s: &str) -> Option<f64> {
    if regex!(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$").is_match(s) {
        return s.replace(',', "").parse().ok();
    }
    if let Ok(v) = s.replace(',', ".").parse::<f64>() {
        return Some(v);
    }
    crate::domain::number_words::value(s).map(f64::from)
}

/// Every number in the text, in order: digits (with decimals, a decimal comma or thousands separators) not glued
/// to letters before them (`s123456`, `v2` are not numbers), and number words.
pub fn numbers(text: &str) -> Vec<Number> {
    // Number words from the domain's one table (number_words).
    let re = regex!(&format!(
        r"(?i)(?:^|[^\p{{L}}\p{{N}}_.,])(?P<d>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:[.,]\d+)?)|\b(?P<w>{})\b",
        crate::domain::number_words::pattern()
    ));
    let mut out = Vec::new();
    for c in re.captures_iter(text) {
        let (m, word) = match (c.name("d"), c.name("w")) {
            (Some(d), _) => (d, false),
            (_, Some(w)) => (w, true),
            _ => continue,
        };
        let Some(value) = number_value(m.as_str()) else { continue };
        out.push(Number { value, span: m.range(), word, decimal: !word && m.as_str().contains(['.', ',']) });
    }
    out
}

/// A range written before a number ("10-", "10 to ", "between 10 and ", "around 10 - about "): its low end and
/// where the range starts, when `between_unit` (a unit pattern the low end may carry, e.g. `%`) allows.
pub(crate) fn range_before(text: &str, at: usize, low_unit: &str) -> Option<(f64, usize)> {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..at];
    let re = match low_unit {
        "%" => regex!(
            r"(?i)(?:(?P<between>between)\s+|\b)(?:around\s+|about\s+|~)?(?P<lo>\d+(?:\.\d+)?)\s*%?\s*(?P<sep>-|–|to|and)\s*(?:around\s+|about\s+)?$"
        ),
        _ => regex!(
            r"(?i)(?:(?P<between>between)\s+|\b)(?:around\s+|about\s+|~)?(?:[$€]\s*)?(?P<lo>\d+(?:\.\d+)?)[ \t]*(?P<sep>-|–|to|and)[ \t]*(?:around\s+|about\s+)?(?:[$€]\s*)?$"
        ),
    };
    let c = re.captures(before)?;
    // "A and B" is a range only after "between".
    if c.name("sep").is_some_and(|s| s.as_str().eq_ignore_ascii_case("and")) && c.name("between").is_none() {
        return None;
    }
    let lo = c.name("lo")?.as_str().parse::<f64>().ok()?;
    Some((lo, line_start + c.get(0)?.start()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_keeps_the_way_back_to_the_markdown() {
        let md = "Intro line.\nIn total we created **13 tests** ([see](http://x/1.html)).";
        let scan = Scan::new(md, 40);
        let at = scan.text.find("13").expect("13 in the plain text");
        let q = scan.quote(at..at + 2);
        assert_eq!(q.written, "13");
        assert_eq!(q.line, 41);
        assert!(q.sentence.contains("**13 tests**"), "{q:?}");
        assert!(!scan.text.contains("http"));
    }

    #[test]
    fn latex_and_escapes_read_as_their_numbers() {
        let scan = Scan::new(r"Coverage is $\text{total} \approx 78\,\%$.", 1);
        assert!(scan.text.contains("78 %"), "{}", scan.text);
        let at = scan.text.find("78").expect("78");
        assert_eq!(scan.quote(at..at + 2).written, "78");
    }

    #[test]
    fn numbers_in_digits_and_words_but_not_in_ids() {
        let got: Vec<f64> = numbers("seven tests, 1,000 lines, 2.5 hours, s123456, v2 and twenty-one")
            .iter()
            .map(|n| n.value)
            .collect();
        assert_eq!(got, vec![7.0, 1000.0, 2.5, 21.0]);
    }

    #[test]
    fn ranges_before_a_number() {
        assert_eq!(range_before("about 10-15", 9, ""), Some((10.0, 0)));
        assert_eq!(range_before("between 95% and 100", 16, "%"), Some((95.0, 0)));
        assert_eq!(range_before("data 95% and 100", 13, "%"), None);
    }

    #[test]
    fn sentences_split_at_stops_and_line_breaks_only() {
        let text = "We spent 83.4 kr. worth of credits. Then more\nwrapped here.\nNext";
        let got: Vec<&str> = sentences(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(got, ["We spent 83.4 kr. worth of credits.", " Then more\nwrapped here.", "Next"]);
    }
}
