//! `cohort check` for people: every finding report by report, the table per report with counts per rule, and the
//! per-rule summary.

use super::table::table_of;
use crate::check::run::{CheckOutcome, ReportRead};
use crate::check::summary::{findings_frame, per_report, per_rule, reports_frame};
use crate::check::{Finding, Rule};
use polars::prelude::{PolarsError, SerWriter};
use std::collections::HashMap;
use std::io::{self, Write};

/// Why the check's tables could not be written.
#[derive(Debug, thiserror::Error)]
pub enum CheckTableError {
    #[error("cannot write the check's tables")]
    Io(#[from] io::Error),
    #[error("cannot compute the check's summary tables")]
    Frame(#[from] PolarsError),
}

/// The table per report (group, id, cohort, one count per rule, total) as CSV, for a spreadsheet.
pub fn write_per_report_csv(
    out: &mut impl Write,
    outcome: &CheckOutcome,
    selected: &[Rule],
) -> Result<(), CheckTableError> {
    let all: Vec<Rule> = if selected.is_empty() { Rule::ALL.to_vec() } else { selected.to_vec() };
    let reports = reports_frame(&outcome.checked)?;
    let found = findings_frame(&outcome.findings)?;
    let mut df = per_report(&reports, &found, &all)?;
    polars::prelude::CsvWriter::new(out).include_header(true).finish(&mut df)?;
    Ok(())
}

/// Every finding, report by report (the findings come in the reports' order).
pub fn write_findings(out: &mut impl Write, read: &[ReportRead], findings: &[Finding]) -> io::Result<()> {
    let by_id: HashMap<&str, &ReportRead> = read.iter().map(|r| (r.id.as_str(), r)).collect();
    for mine in findings.chunk_by(|a, b| a.id == b.id) {
        let Some(r) = by_id.get(mine[0].id.as_str()) else { continue };
        writeln!(
            out,
            "{}  ({}, {} {}, checker {:?})",
            r.id,
            mine[0].group.map_or("no group".to_string(), |g| format!("group {g}")),
            r.questions,
            r.generation,
            r.set
        )?;
        for f in mine {
            let line = f.line.map_or(String::new(), |n| format!("line {n}"));
            writeln!(out, "  {line:<10} {:<18} {}", f.rule.as_str(), f.message)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// The table per report (group) with counts per rule, and the per-rule summary over all reports checked. Columns:
/// the rules asked for, or (when none was) those that found something.
pub fn write_summaries(out: &mut impl Write, outcome: &CheckOutcome, selected: &[Rule]) -> Result<(), CheckTableError> {
    let findings = &outcome.findings;
    let rules: Vec<Rule> = Rule::ALL
        .iter()
        .copied()
        .filter(|r| if selected.is_empty() { findings.iter().any(|f| f.rule == *r) } else { selected.contains(r) })
        .collect();
    let reports = reports_frame(&outcome.checked)?;
    let found = findings_frame(findings)?;
    table_of(&per_report(&reports, &found, &rules)?).print(out)?;
    writeln!(out)?;
    let all: Vec<Rule> = if selected.is_empty() { Rule::ALL.to_vec() } else { selected.to_vec() };
    table_of(&per_rule(&reports, &found, &all)?).print(out)?;
    Ok(())
}
