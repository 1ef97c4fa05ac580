//! Listings of what an index holds and of what a search found.

use super::output::{write_json_lines, Format, OutputError};
use super::table::{cell, Table};
use crate::store::text_index::SearchHit;
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

/// The reports (rows of the reports frame): their JSON summaries one per line, or a table with a count.
pub fn write_reports(out: &mut impl Write, df: &DataFrame, format: Format) -> Result<(), ListingError> {
    if format == Format::JsonLines {
        for s in df.column("summary")?.str()?.iter().flatten() {
            writeln!(out, "{s}")?;
        }
        return Ok(());
    }
    let mut t = Table::new(&[
        "id", "cohort", "template", "checklist", "group", "students", "tests", "coverage", "credits", "ticked",
        "answered", "warnings",
    ]);
    t.numeric = vec![false, false, false, false, true, true, true, true, true, true, true, true];
    let s = |name: &str| -> Result<Vec<String>, PolarsError> {
        let c = df.column(name)?;
        Ok((0..df.height()).map(|i| c.get(i).map_or_else(|_| "-".to_string(), |v| cell(&v))).collect())
    };
    let cols: Vec<Vec<String>> = [
        "id", "cohort", "template", "generation", "group", "n_students", "tests", "coverage", "credits_amount",
        "credits_unit", "ticked", "items", "answered", "questions", "warnings",
    ]
    .iter()
    .map(|c| s(c))
    .collect::<Result<_, _>>()?;
    // Row by row: the frame is read column by column above.
    for i in 0..df.height() {
        let r: Vec<&String> = cols.iter().map(|c| &c[i]).collect();
        let credits = if *r[8] == "-" { "-".to_string() } else { format!("{} {}", r[8], r[9]) };
        t.rows.push(vec![
            r[0].clone(),
            r[1].clone(),
            r[2].clone(),
            r[3].clone(),
            r[4].clone(),
            r[5].clone(),
            r[6].clone(),
            r[7].clone(),
            credits,
            format!("{}/{}", r[10], r[11]),
            format!("{}/{}", r[12], r[13]),
            r[14].clone(),
        ]);
    }
    t.print(out)?;
    writeln!(out, "{} reports", df.height())?;
    Ok(())
}

/// What a search found: one JSON object per hit, or the hits for people with a count.
pub fn write_hits(out: &mut impl Write, query: &str, hits: &[SearchHit], format: Format) -> Result<(), OutputError> {
    if format == Format::JsonLines {
        return write_json_lines(out, hits);
    }
    if hits.is_empty() {
        writeln!(out, "no answers match {query:?}")?;
        return Ok(());
    }
    for h in hits {
        let group = h.group.map_or_else(|| "group ?".to_string(), |g| format!("group {g}"));
        writeln!(out, "{group}  {}  [{}]  {}  score {:.2}", h.id, h.cohort, h.question, h.score)?;
        writeln!(out, "    {}", h.snippet)?;
    }
    writeln!(out, "{} answers", hits.len())?;
    Ok(())
}
