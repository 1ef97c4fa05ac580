//! A self-contained HTML page of duplicate pairs: both answers side by side with the shared passages
//! highlighted. No scripts, no external resources; every piece of report text is HTML-escaped, since reports
//! are written by students and may contain anything, `<script>` included.

use std::fmt::Write as _;
use std::ops::Range;

/// One answer of a pair as the page shows it.
#[derive(Debug, Clone)]
pub struct Side<'a> {
    /// The report id.
    pub id: &'a str,
    /// A short description of the report ("group 12, cohort 2025").
    pub about: String,
    pub markdown: &'a str,
    /// Byte ranges of `markdown` to highlight, in order and not overlapping.
    pub marks: Vec<Range<usize>>,
}

/// One pair on the page.
#[derive(Debug, Clone)]
pub struct PairView<'a> {
    pub question: &'a str,
    /// The scores line ("containment 0.82 · Jaccard 0.61 · 54 shared words · near").
    pub scores: String,
    /// A flag worth a reader's attention ("same group"), if any.
    pub note: Option<String>,
    pub a: Side<'a>,
    pub b: Side<'a>,
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `markdown` escaped, with the marked ranges wrapped in `<mark>`. Ranges that are out of bounds or not on
/// character boundaries are ignored rather than trusted.
pub fn highlighted(markdown: &str, marks: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(markdown.len() + 32 * marks.len());
    let mut at = 0;
    for r in marks {
        if r.start < at
            || r.end <= r.start
            || r.end > markdown.len()
            || !markdown.is_char_boundary(r.start)
            || !markdown.is_char_boundary(r.end)
        {
            continue;
        }
        out.push_str(&escape(&markdown[at..r.start]));
        out.push_str("<mark>");
        out.push_str(&escape(&markdown[r.clone()]));
        out.push_str("</mark>");
        at = r.end;
    }
    out.push_str(&escape(&markdown[at..]));
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#222}\
h1{font-size:1.4em}section{border-top:1px solid #ccc;padding:1em 0}\
h2{font-size:1.1em;margin:0 0 .3em}.scores{color:#555;margin:.2em 0 .8em}.note{color:#a40;font-weight:bold}\
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1.5em}.side h3{font-size:1em;margin:0 0 .4em}\
.text{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:.85em;background:#f7f7f7;padding:.8em;\
border-radius:4px;overflow-wrap:anywhere}mark{background:#ffe066}";

/// The whole page.
pub fn page(title: &str, intro: &str, pairs: &[PairView<'_>]) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p>{}</p>\n",
        escape(title),
        escape(title),
        escape(intro)
    );
    for (i, p) in pairs.iter().enumerate() {
        let _ = write!(
            out,
            "<section id=\"pair-{}\">\n<h2>{}. {} — {} vs {}</h2>\n<div class=\"scores\">{}",
            i + 1,
            i + 1,
            escape(p.question),
            escape(p.a.id),
            escape(p.b.id),
            escape(&p.scores)
        );
        if let Some(note) = &p.note {
            let _ = write!(out, " · <span class=\"note\">{}</span>", escape(note));
        }
        out.push_str("</div>\n<div class=\"pair\">\n");
        for side in [&p.a, &p.b] {
            let _ = writeln!(
                out,
                "<div class=\"side\"><h3>{} <small>({})</small></h3><div class=\"text\">{}</div></div>",
                escape(side.id),
                escape(&side.about),
                highlighted(side.markdown, &side.marks)
            );
        }
        out.push_str("</div>\n</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_and_marks_ranges() {
        assert_eq!(escape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        let md = "keep <b>this</b> and that";
        let tag = 5..16;
        assert_eq!(highlighted(md, std::slice::from_ref(&tag)), "keep <mark>&lt;b&gt;this&lt;/b&gt;</mark> and that");
        // Bad ranges are skipped, not trusted.
        assert_eq!(highlighted("é x", &[1..2, 9..12]), "é x");
    }
}
