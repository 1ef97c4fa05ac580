//! `cohort check` for people: every finding report by report, the table per report with counts per rule, and the
//! per-rule summary.

use super::style::{Style, Tone};
use super::table::{table_of, Table};
use crate::check::run::{CheckOutcome, ReportRead};
use crate::check::summary::{findings_frame, per_report, per_rule, reports_frame};
use crate::check::{Finding, Rule};
use polars::prelude::PolarsError;
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
    super::csv::write_frame(out, &mut df)?;
    Ok(())
}

/// How a finding is coloured: red where the report says something its own text, files or repository contradict
/// (or a required question is gone), yellow where it is short of what the course asks.
pub fn rule_tone(rule: Rule) -> Tone {
    match rule {
        Rule::Contradiction
        | Rule::UnsupportedClaim
        | Rule::TestsMismatch
        | Rule::BrokenImage
        | Rule::CopiedFigure
        | Rule::MissingQuestion => Tone::Bad,
        _ => Tone::Warn,
    }
}

/// Every finding, report by report (the findings come in the reports' order), rules in their tone.
pub fn write_findings(out: &mut impl Write, read: &[ReportRead], findings: &[Finding], style: Style) -> io::Result<()> {
    let by_id: HashMap<&str, &ReportRead> = read.iter().map(|r| (r.id.as_str(), r)).collect();
    for mine in findings.chunk_by(|a, b| a.id == b.id) {
        let Some(r) = by_id.get(mine[0].id.as_str()) else { continue };
        writeln!(
            out,
            "{}  ({}, {} {}, checker {:?})",
            style.heading(&r.id),
            mine[0].group.map_or("no group".to_string(), |g| format!("group {g}")),
            r.questions,
            r.generation,
            r.set
        )?;
        for f in mine {
            let line = f.line.map_or(String::new(), |n| format!("line {n}"));
            let rule = format!("{:<18}", f.rule.as_str());
            writeln!(out, "  {line:<10} {} {}", style.paint(rule_tone(f.rule), &rule), f.message)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// The table per report (group) with counts per rule, and the per-rule summary over all reports checked. Columns:
/// the rules asked for, or (when none was) those that found something; a count above 0 is in its rule's tone.
pub fn write_summaries(
    out: &mut impl Write,
    outcome: &CheckOutcome,
    selected: &[Rule],
    style: Style,
) -> Result<(), CheckTableError> {
    let findings = &outcome.findings;
    let rules: Vec<Rule> = Rule::ALL
        .iter()
        .copied()
        .filter(|r| if selected.is_empty() { findings.iter().any(|f| f.rule == *r) } else { selected.contains(r) })
        .collect();
    let reports = reports_frame(&outcome.checked)?;
    let found = findings_frame(findings)?;
    counts_toned(table_of(&per_report(&reports, &found, &rules)?)).print_styled(out, style)?;
    writeln!(out)?;
    let all: Vec<Rule> = if selected.is_empty() { Rule::ALL.to_vec() } else { selected.to_vec() };
    let mut per_rule = table_of(&per_rule(&reports, &found, &all)?);
    // One row per rule: its name and counts in its tone when it found anything.
    per_rule.tones = per_rule
        .rows
        .iter()
        .map(|row| {
            let tone = row.first().and_then(|r| Rule::from_name(r)).map_or(Tone::Plain, rule_tone);
            let found = row.iter().skip(1).any(|c| c.parse::<f64>().is_ok_and(|n| n > 0.0));
            vec![if found { tone } else { Tone::Plain }; row.len()]
        })
        .collect();
    per_rule.print_styled(out, style)?;
    Ok(())
}

/// The per-report table with each count above 0 in its rule's tone (columns named after rules).
fn counts_toned(mut t: Table) -> Table {
    let tones: Vec<Option<Tone>> = t.headers.iter().map(|h| Rule::from_name(h).map(rule_tone)).collect();
    t.tones = t
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .zip(&tones)
                .map(|(c, tone)| match tone {
                    Some(tone) if c != "0" && c != "-" => *tone,
                    _ => Tone::Plain,
                })
                .collect()
        })
        .collect();
    t
}
