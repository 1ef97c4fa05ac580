//! Aligned plain-text tables for people (headers in bold and cells in their tone on a terminal), and a polars
//! frame as such a table. CSV is [`super::csv`], JSON Lines [`super::json`].

use super::style::{Style, Tone};
use polars::prelude::{AnyValue, DataFrame};
use std::io::{self, Write};

/// A table of text cells; numbers are right-aligned.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub numeric: Vec<bool>,
    /// The tone of each cell, row by row (a missing row or cell is plain).
    pub tones: Vec<Vec<Tone>>,
}

impl Table {
    pub fn new(headers: &[&str]) -> Self {
        Table {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: vec![],
            numeric: vec![false; headers.len()],
            tones: vec![],
        }
    }

    /// Adds a row whose cells each have a tone.
    pub fn push_toned(&mut self, cells: Vec<(String, Tone)>) {
        let (row, tones) = cells.into_iter().unzip();
        // Rows before the first toned one are plain.
        self.tones.resize(self.rows.len(), vec![]);
        self.rows.push(row);
        self.tones.push(tones);
    }

    /// The table without colour.
    pub fn print(&self, out: &mut impl Write) -> io::Result<()> {
        self.print_styled(out, Style::default())
    }

    /// The table, aligned; with colour, the headers bold, the rule dim and each cell in its tone.
    ///
    /// Every cell is printed through [`super::text::one_line`]: what a repository or report put in a cell (a file
    /// name, an author's name) cannot send escape sequences to the terminal or break a row with a newline.
    pub fn print_styled(&self, out: &mut impl Write, style: Style) -> io::Result<()> {
        let safe =
            |cells: &[String]| -> Vec<String> { cells.iter().map(|c| super::text::one_line(c).into_owned()).collect() };
        let headers = safe(&self.headers);
        let rows: Vec<Vec<String>> = self.rows.iter().map(|r| safe(r)).collect();
        let n = headers.len();
        let mut width: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
        for r in &rows {
            for (i, c) in r.iter().enumerate().take(n) {
                width[i] = width[i].max(c.chars().count());
            }
        }
        // Padding is counted on the plain text, then the cell is painted: escape codes take no columns.
        let line = |cells: &[String], tone: &dyn Fn(usize) -> Tone, out: &mut dyn Write| -> io::Result<()> {
            let mut s = String::new();
            let last = cells.iter().take(n).rposition(|c| !c.is_empty()).map_or(0, |i| i + 1);
            for (i, c) in cells.iter().enumerate().take(last) {
                let pad = width[i].saturating_sub(c.chars().count());
                if i > 0 {
                    s.push_str("  ");
                }
                let painted = style.paint(tone(i), c);
                if self.numeric.get(i).copied().unwrap_or(false) {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(&painted);
                } else {
                    s.push_str(&painted);
                    if i + 1 < last {
                        s.push_str(&" ".repeat(pad));
                    }
                }
            }
            writeln!(out, "{}", s.trim_end())
        };
        line(&headers, &|_| Tone::Strong, out)?;
        let rule: Vec<String> = width.iter().map(|w| "-".repeat(*w)).collect();
        line(&rule, &|_| Tone::Faint, out)?;
        for (r, cells) in rows.iter().enumerate() {
            let tones = self.tones.get(r);
            line(cells, &|i| tones.and_then(|t| t.get(i)).copied().unwrap_or_default(), out)?;
        }
        Ok(())
    }
}

/// A value as a table cell: null as `-`, strings unquoted, floats with two decimals (none when whole).
pub fn cell(v: &AnyValue<'_>) -> String {
    match v {
        AnyValue::Null => "-".into(),
        AnyValue::Float64(f) => format_float(*f),
        AnyValue::Float32(f) => format_float(f64::from(*f)),
        AnyValue::String(s) => s.to_string(),
        AnyValue::StringOwned(s) => s.to_string(),
        other => other.to_string(),
    }
}

fn format_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e12 {
        format!("{f:.0}")
    } else {
        format!("{f:.2}")
    }
}

/// The frame as a table; float columns are shown with two decimals, rates as percentages.
pub fn table_of(df: &DataFrame) -> Table {
    let headers: Vec<String> = df.get_column_names().iter().map(|s| s.to_string()).collect();
    let numeric = df.dtypes().iter().map(|d| d.is_primitive_numeric()).collect();
    let mut rows = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let row = df.get(i).unwrap_or_default();
        rows.push(
            row.iter()
                .zip(&headers)
                .map(|(v, h)| match (h.as_str(), v) {
                    ("rate", AnyValue::Float64(f)) => format!("{:.1}%", f * 100.0),
                    _ => cell(v),
                })
                .collect(),
        );
    }
    Table { headers, rows, numeric, tones: vec![] }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_cannot_send_escapes_or_break_its_row() {
        let mut t = Table::new(&["item", "where"]);
        t.push_toned(vec![
            ("wandb".into(), Tone::Plain),
            ("src/\u{1b}]0;TITLE\u{7}\u{1b}[2J\nNEWLINE.py".into(), Tone::Plain),
        ]);
        t.push_toned(vec![("ci".into(), Tone::Plain), ("Eve \u{9b}31m\r".into(), Tone::Plain)]);
        let mut out = Vec::new();
        t.print(&mut out).expect("print");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(!text.contains(['\u{1b}', '\u{7}', '\u{9b}', '\r']), "{text:?}");
        assert_eq!(text.lines().count(), 4, "{text}");
        assert!(text.lines().nth(2).is_some_and(|l| l.contains("NEWLINE.py")), "{text}");
    }
}
