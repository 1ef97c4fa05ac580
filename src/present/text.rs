//! Plain-text rendering of reports for people.

use super::style::{Style, Tone};
use crate::summary::ReportSummary;
use std::io::{self, Write};

/// A few lines per report: identity (bold with colour), facts, checklist and answer counts, warnings (yellow).
pub fn print_report_summary(out: &mut impl Write, s: &ReportSummary, style: Style) -> io::Result<()> {
    let opt = |v: Option<String>| v.unwrap_or_else(|| "-".into());
    let id = printable(&s.id);
    writeln!(
        out,
        "{}  ({})  {} {}  cohort {}",
        style.heading(&id),
        s.path,
        s.template,
        s.checklist_generation,
        s.cohort
    )?;
    writeln!(
        out,
        "  group {} | {} | tests {} | coverage {} | credits {}",
        opt(s.group.map(|g| g.to_string())),
        crate::nouns::count(s.students.len(), "student", "students"),
        opt(s.tests.map(|t| t.to_string())),
        opt(s.coverage.map(|c| format!("{c}%"))),
        opt(s.credits.map(|c| format!("{} {}", c.amount, c.unit))),
    )?;
    let done = s.ticks.0.iter().filter(|(_, d)| *d).count();
    let answered = s.answers.0.iter().filter(|(_, a)| a.answered).count();
    writeln!(
        out,
        "  checklist {done}/{} ticked | {answered}/{} questions answered",
        s.ticks.0.len(),
        s.answers.0.len()
    )?;
    if !s.warnings.is_empty() {
        writeln!(out, "  {}:", style.paint(Tone::Warn, &crate::nouns::count(s.warnings.len(), "warning", "warnings")))?;
        for w in &s.warnings {
            writeln!(out, "    {}", printable(w))?;
        }
    }
    writeln!(out)
}

/// Report text made safe for a terminal: control characters (C0 but newline and tab, DEL, C1) and the invisible
/// bidirectional overrides are shown as `\u{..}` escapes, so a report cannot retitle the window, clear the screen
/// or reorder what staff read (`ESC ] 0;title BEL`, `ESC [2J`, U+202E). JSON output escapes them itself.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !text.contains(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Text for one line of a table or listing: like [`printable`], and line breaks and tabs made visible too, so a
/// newline in a file name cannot break a row.
pub fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if !text.contains(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::{one_line, printable};

    #[test]
    fn one_line_makes_line_breaks_and_escapes_visible() {
        assert_eq!(one_line("plain text"), "plain text");
        assert_eq!(one_line("tests/a\nb\t.py"), "tests/a\\u{a}b\\u{9}.py");
        assert_eq!(one_line("Eve \x1b]0;AUTHOR\x07\x1b[2J\u{9b}"), "Eve \\u{1b}]0;AUTHOR\\u{7}\\u{1b}[2J\\u{9b}");
    }

    #[test]
    fn control_characters_are_made_visible() {
        assert_eq!(printable("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(printable("a\x1b]0;title\x07b"), "a\\u{1b}]0;title\\u{7}b");
        assert_eq!(printable("\x1b[2J\u{9b}\u{202e}x"), "\\u{1b}[2J\\u{9b}\\u{202e}x");
    }
}
