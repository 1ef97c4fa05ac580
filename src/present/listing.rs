//! Listings of what an index holds and of what a search found.

use super::csv::write_line as write_csv_line;
use super::output::{write_json_lines, Format, OutputError};
use super::style::{count, Style, Tone};
use super::table::{cell, Table};
use super::text::printable;
use crate::store::text_index::{GroupHits, SearchHit, SearchResults};
use polars::prelude::{DataFrame, PolarsError};
use std::io::Write;

/// Why a listing could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ListingError {
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error("unexpected frame layout; re-run `cohort ingest` to rebuild the index")]
    Frame(#[from] PolarsError),
}

impl From<std::io::Error> for ListingError {
    fn from(e: std::io::Error) -> Self {
        ListingError::Output(OutputError::Io(e))
    }
}

/// The reports (rows of the reports frame): their JSON summaries one per line, or a table (CSV or aligned, a
/// report with warnings in the warning tone; the count is the caller's summary line).
pub fn write_reports(out: &mut impl Write, df: &DataFrame, format: Format, style: Style) -> Result<(), ListingError> {
    if format == Format::JsonLines {
        for s in df.column("summary")?.str()?.iter().flatten() {
            writeln!(out, "{s}")?;
        }
        return Ok(());
    }
    let mut t = Table::new(&[
        "id",
        "cohort",
        "template",
        "checklist",
        "group",
        "students",
        "tests",
        "coverage",
        "credits",
        "ticked",
        "answered",
        "warnings",
    ]);
    t.numeric = vec![false, false, false, false, true, true, true, true, true, true, true, true];
    let s = |name: &str| -> Result<Vec<String>, PolarsError> {
        let c = df.column(name)?;
        Ok((0..df.height()).map(|i| c.get(i).map_or_else(|_| "-".to_string(), |v| cell(&v))).collect())
    };
    let cols: Vec<Vec<String>> = [
        "id",
        "cohort",
        "template",
        "generation",
        "group",
        "n_students",
        "tests",
        "coverage",
        "credits_amount",
        "credits_unit",
        "ticked",
        "items",
        "answered",
        "questions",
        "warnings",
    ]
    .iter()
    .map(|c| s(c))
    .collect::<Result<_, _>>()?;
    // Row by row: the frame is read column by column above.
    for i in 0..df.height() {
        let r: Vec<&String> = cols.iter().map(|c| &c[i]).collect();
        let credits = if *r[8] == "-" { "-".to_string() } else { format!("{} {}", r[8], r[9]) };
        let warned = if r[14].as_str() == "0" { Tone::Plain } else { Tone::Warn };
        let plain = |s: String| (s, Tone::Plain);
        t.push_toned(vec![
            (r[0].clone(), Tone::Strong),
            plain(r[1].clone()),
            plain(r[2].clone()),
            plain(r[3].clone()),
            plain(r[4].clone()),
            plain(r[5].clone()),
            plain(r[6].clone()),
            plain(r[7].clone()),
            plain(credits),
            plain(format!("{}/{}", r[10], r[11])),
            plain(format!("{}/{}", r[12], r[13])),
            (r[14].clone(), warned),
        ]);
    }
    if format == Format::Csv {
        super::csv::write_table(out, &t)?;
    } else {
        t.print_styled(out, style)?;
    }
    Ok(())
}

/// What a search found: one JSON object per hit, or the hits for people (matches marked by `style`). The count
/// goes to the caller's summary line ([`hits_summary`]), not here: data on standard output, summaries on stderr.
pub fn write_hits(
    out: &mut impl Write,
    results: &SearchResults,
    format: Format,
    style: Style,
) -> Result<(), OutputError> {
    match format {
        Format::JsonLines => return write_json_lines(out, &results.hits),
        Format::Csv => {
            write_csv_line(out, ["id", "group", "cohort", "question", "number", "score", "text"])?;
            for h in &results.hits {
                let group = h.group.map(|g| g.to_string()).unwrap_or_default();
                let number = h.number.map(|n| n.to_string()).unwrap_or_default();
                let score = format!("{:.4}", h.score);
                write_csv_line(out, [h.id.as_str(), &group, &h.cohort, &h.question, &number, &score, &h.text])?;
            }
            return Ok(());
        }
        Format::Table => {}
    }
    for h in &results.hits {
        let group = h.group.map_or_else(|| "group ?".to_string(), |g| format!("group {g}"));
        // Report text reaches the terminal without its control characters.
        let head = format!("{group}  {}  [{}]  {}", printable(&h.id), printable(&h.cohort), h.question);
        writeln!(out, "{}  {}", style.heading(&head), style.faint(&format!("score {:.2}", h.score)))?;
        writeln!(out, "    {}", marked(h, style))?;
    }
    Ok(())
}

/// The passage with its matches marked (colour on a terminal, `**` otherwise).
fn marked(hit: &SearchHit, style: Style) -> String {
    let mut out = String::with_capacity(hit.text.len() + 8 * hit.matches.len());
    for (part, matched) in hit.parts() {
        if matched {
            out.push_str(&style.matched(&printable(part)));
        } else {
            out.push_str(&printable(part));
        }
    }
    out
}

/// One line for people about a search: how many answers match and how many were shown.
pub fn hits_summary(query: &str, results: &SearchResults) -> String {
    let shown = results.hits.len();
    if results.total == 0 {
        format!("no answers match {query:?}")
    } else if shown == results.total {
        count(results.total, "answer matches", "answers match")
    } else {
        format!(
            "{}; showing the best {shown} (--limit N or --all for more)",
            count(results.total, "answer matches", "answers match")
        )
    }
}

/// The reports with matching answers, with how many of their answers match (`search --groups`).
pub fn write_group_hits(
    out: &mut impl Write,
    groups: &[GroupHits],
    format: Format,
    style: Style,
) -> Result<(), OutputError> {
    match format {
        Format::JsonLines => write_json_lines(out, groups),
        Format::Csv => {
            write_csv_line(out, ["cohort", "group", "id", "hits"])?;
            for g in groups {
                let group = g.group.map(|n| n.to_string()).unwrap_or_default();
                write_csv_line(out, [g.cohort.as_str(), &group, &g.id, &g.hits.to_string()])?;
            }
            Ok(())
        }
        Format::Table => {
            let mut t = Table::new(&["cohort", "group", "id", "hits"]);
            for g in groups {
                t.rows.push(vec![
                    g.cohort.clone(),
                    g.group.map_or_else(|| "-".into(), |n| n.to_string()),
                    g.id.clone(),
                    g.hits.to_string(),
                ]);
            }
            t.print_styled(out, style)?;
            Ok(())
        }
    }
}
