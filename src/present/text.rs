//! Plain-text rendering of reports for people.

use crate::summary::ReportSummary;
use std::io::{self, Write};

/// A few lines per report: identity, facts, checklist and answer counts, warnings.
pub fn print_report_summary(out: &mut impl Write, s: &ReportSummary) -> io::Result<()> {
    let opt = |v: Option<String>| v.unwrap_or_else(|| "-".into());
    writeln!(out, "{}  ({})  {} {}  cohort {}", s.id, s.path, s.template, s.checklist_generation, s.cohort)?;
    writeln!(
        out,
        "  group {} | {} students | tests {} | coverage {} | credits {}",
        opt(s.group.map(|g| g.to_string())),
        s.students.len(),
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
        writeln!(out, "  {} warnings:", s.warnings.len())?;
        for w in &s.warnings {
            writeln!(out, "    {w}")?;
        }
    }
    writeln!(out)
}
