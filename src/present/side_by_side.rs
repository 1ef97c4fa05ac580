//! Two texts in two columns for the terminal, with marked passages: reverse video on a terminal, `[[...]]`
//! elsewhere (pipes, files, tests), so the marks survive copying into an e-mail.

use std::io::{self, Write};
use std::ops::Range;

/// How marked passages are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkStyle {
    /// ANSI reverse video.
    Terminal,
    /// `[[` and `]]` around each marked passage.
    Brackets,
}

/// A piece of a word with whether it is marked.
type Piece = (String, bool);

/// `text` with `[[` and `]]` around each marked range (ranges out of bounds or off character boundaries are
/// skipped).
fn bracketed(text: &str, marks: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len() + 4 * marks.len());
    let mut at = 0;
    for r in marks {
        if r.start < at
            || r.end <= r.start
            || r.end > text.len()
            || !text.is_char_boundary(r.start)
            || !text.is_char_boundary(r.end)
        {
            continue;
        }
        out.push_str(&text[at..r.start]);
        out.push_str("[[");
        out.push_str(&text[r.clone()]);
        out.push_str("]]");
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Splits `text` into lines of at most `width` visible characters (longer words are cut), keeping its line
/// breaks, each line a list of pieces.
fn layout(text: &str, marks: &[Range<usize>], width: usize) -> Vec<Vec<Piece>> {
    let width = width.max(8);
    let marked = |i: usize| marks.iter().any(|r| r.contains(&i));
    let mut lines = Vec::new();
    let mut offset = 0;
    for source_line in text.split('\n') {
        let mut words: Vec<Vec<Piece>> = Vec::new();
        let mut pos = 0;
        for word in source_line.split(|c: char| c.is_whitespace()) {
            let start = offset + pos;
            pos += word.len() + 1;
            if word.is_empty() {
                continue;
            }
            let mut pieces: Vec<Piece> = Vec::new();
            for (i, c) in word.char_indices() {
                let m = marked(start + i);
                match pieces.last_mut() {
                    Some((s, pm)) if *pm == m => s.push(c),
                    _ => pieces.push((c.to_string(), m)),
                }
            }
            words.push(pieces);
        }
        offset += source_line.len() + 1;
        let mut line: Vec<Piece> = Vec::new();
        let mut used = 0;
        for word in words {
            let len: usize = word.iter().map(|(s, _)| s.chars().count()).sum();
            if used > 0 && used + 1 + len > width {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            if used > 0 {
                let joined = line.last().is_some_and(|p| p.1) && word.first().is_some_and(|p| p.1);
                line.push((" ".into(), joined));
                used += 1;
            }
            for (s, m) in word {
                for c in s.chars() {
                    if used == width {
                        lines.push(std::mem::take(&mut line));
                        used = 0;
                    }
                    match line.last_mut() {
                        Some((t, pm)) if *pm == m => t.push(c),
                        _ => line.push((c.to_string(), m)),
                    }
                    used += 1;
                }
            }
        }
        lines.push(line);
    }
    lines
}

/// The lines of one column.
fn column(text: &str, marks: &[Range<usize>], width: usize, style: MarkStyle) -> Vec<Vec<Piece>> {
    match style {
        MarkStyle::Terminal => layout(text, marks, width),
        MarkStyle::Brackets => layout(&bracketed(text, marks), &[], width),
    }
}

fn render(line: &[Piece], width: usize, style: MarkStyle) -> String {
    let mut s = String::new();
    let mut used = 0;
    for (text, marked) in line {
        // Report text never reaches the terminal with its control characters (only our own marks do).
        let text = crate::present::text::printable(text);
        if *marked && style == MarkStyle::Terminal {
            s.push_str("\x1b[7m");
            s.push_str(&text);
            s.push_str("\x1b[0m");
        } else {
            s.push_str(&text);
        }
        used += text.chars().count();
    }
    s.push_str(&" ".repeat(width.saturating_sub(used)));
    s
}

/// Writes two titled texts side by side in `total_width` columns.
pub fn write(
    out: &mut impl Write,
    (left_title, left, left_marks): (&str, &str, &[Range<usize>]),
    (right_title, right, right_marks): (&str, &str, &[Range<usize>]),
    total_width: usize,
    style: MarkStyle,
) -> io::Result<()> {
    let width = (total_width.saturating_sub(3) / 2).max(20);
    let l = column(left, left_marks, width, style);
    let r = column(right, right_marks, width, style);
    let title = |t: &str| crate::present::text::printable(t).chars().take(width).collect::<String>();
    writeln!(out, "{:<width$} │ {}", title(left_title), title(right_title))?;
    writeln!(out, "{}─┼─{}", "─".repeat(width), "─".repeat(width))?;
    for i in 0..l.len().max(r.len()) {
        let empty = Vec::new();
        let left_line = render(l.get(i).unwrap_or(&empty), width, style);
        let right_line = render(r.get(i).unwrap_or(&empty), width, style);
        writeln!(out, "{left_line} │ {}", right_line.trim_end())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Vec<Piece>]) -> Vec<String> {
        lines.iter().map(|l| l.iter().map(|(s, _)| s.as_str()).collect()).collect()
    }

    #[test]
    fn brackets_mark_passages_across_words_and_lines() {
        let t = "one two three four\nfive six";
        // "two three" and "five".
        let lines = column(t, &[4..13, 19..23], 40, MarkStyle::Brackets);
        assert_eq!(text(&lines), ["one [[two three]] four", "[[five]] six"]);
    }

    #[test]
    fn wraps_at_the_width_and_cuts_long_words() {
        let lines = column("aaaa bbbb cccc dddddddddddd", &[], 9, MarkStyle::Brackets);
        assert_eq!(text(&lines), ["aaaa bbbb", "cccc", "ddddddddd", "ddd"]);
    }

    #[test]
    fn terminal_marks_are_reverse_video_and_pad_by_visible_width() {
        let first = 0..2;
        let lines = column("ab cd", std::slice::from_ref(&first), 10, MarkStyle::Terminal);
        assert_eq!(render(&lines[0], 10, MarkStyle::Terminal), "\x1b[7mab\x1b[0m cd     ");
    }
}
