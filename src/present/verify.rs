//! `cohort verify` for people and spreadsheets: one table per group (its repository facts above it), the per-item
//! summary, and the verdicts as CSV.

use super::output::OutputError;
use super::style::{count, Style, Tone};
use super::table::{table_of, Table};
use super::text::one_line;
use crate::verify::{GroupResult, VerdictKind};
use polars::prelude::DataFrame;
use std::io::{self, Write};

/// How a verdict looks on a terminal: supported green; partly or elsewhere yellow; a claim without evidence or a
/// wrong test count red; what says nothing about the report's honesty dim.
pub fn verdict_tone(v: VerdictKind) -> Tone {
    match v {
        VerdictKind::Supported => Tone::Good,
        VerdictKind::Partial | VerdictKind::OnlyOnBranch => Tone::Warn,
        VerdictKind::NoEvidence | VerdictKind::TestsMismatch => Tone::Bad,
        VerdictKind::Unclaimed | VerdictKind::NotDecidable => Tone::Faint,
    }
}

/// The columns of `cohort verify --csv`: the fields of the JSON Lines verdict records, in their order.
pub const VERDICT_COLUMNS: [&str; 18] = [
    "id",
    "group",
    "item",
    "claimed",
    "verdict",
    "class",
    "flagged",
    "path",
    "line",
    "evidence",
    "snippet",
    "branch",
    "note",
    "commit",
    "stated",
    "counted",
    "removed_by",
    "record",
];

/// Every verdict as one CSV line ([`VERDICT_COLUMNS`]); the repository records are in `--json`.
pub fn write_verdicts_csv(out: &mut impl Write, results: &[GroupResult]) -> Result<(), OutputError> {
    super::csv::write_records(out, &VERDICT_COLUMNS, results.iter().flat_map(|r| &r.verdicts))
}

/// One group: its repository facts, then a row per verdict (in its tone). What the repository supplied (its
/// path, branch and author names, notes quoting it) is printed through [`one_line`], as the table's cells are.
pub fn print_group(out: &mut impl Write, r: &GroupResult, style: Style) -> io::Result<()> {
    let f = &r.facts;
    let group = f.group.map_or_else(|| "-".to_string(), |g| g.to_string());
    writeln!(out, "{}", style.heading(&one_line(&format!("== {} (group {group}) ==", f.id))))?;
    if f.status != "ok" {
        let line = format!("repository not read ({}): {}", f.status, f.error.as_deref().unwrap_or(""));
        writeln!(out, "{}", style.paint(Tone::Bad, &one_line(&line)))?;
        for n in &f.notes {
            writeln!(out, "note: {}", one_line(n))?;
        }
        return writeln!(out);
    }
    writeln!(
        out,
        "{} at {} ({}, {}); {} from {} to {}; {} for {}; {} after; unmerged branches: {}",
        one_line(&f.repository),
        f.commit.as_deref().map_or("-", |c| &c[..c.len().min(12)]),
        f.commit_source.unwrap_or("-"),
        one_line(f.branch.as_deref().unwrap_or("detached")),
        count(f.commits.unwrap_or(0), "commit", "commits"),
        f.first_commit_time.as_deref().unwrap_or("-"),
        f.last_commit_time.as_deref().unwrap_or("-"),
        count(f.authors.unwrap_or(0), "author", "authors"),
        count(f.group_size, "student", "students"),
        count(f.commits_after_deadline.unwrap_or(0), "commit", "commits"),
        if f.unmerged_branches.is_empty() { "none".to_string() } else { f.unmerged_branches.len().to_string() },
    )?;
    if !f.author_names.is_empty() {
        let each: Vec<String> =
            f.author_names.iter().zip(&f.author_commits).map(|(name, n)| format!("{name} {n}")).collect();
        writeln!(out, "commits by author: {}", one_line(&each.join(", ")))?;
    }
    for n in &f.notes {
        writeln!(out, "note: {}", one_line(n))?;
    }
    let mut t = Table::new(&["item", "ticked", "verdict", "flag", "where", "evidence / note"]);
    for v in &r.verdicts {
        let place = match (&v.path, v.line) {
            (Some(p), Some(l)) => format!("{p}:{l}"),
            (Some(p), None) => p.clone(),
            _ => String::new(),
        };
        let mut what = v.evidence.clone().unwrap_or_default();
        if let Some(n) = &v.note {
            what = if what.is_empty() { n.clone() } else { format!("{what}; {n}") };
        }
        if let (Some(s), Some(c)) = (v.stated, v.counted) {
            what = format!("stated {s}, counted {c}: {what}");
        }
        let tone = verdict_tone(v.verdict);
        t.push_toned(vec![
            (v.item.clone(), Tone::Plain),
            (if v.claimed { "x".into() } else { " ".into() }, Tone::Plain),
            (v.verdict.as_str().into(), tone),
            (if v.flagged { "!".into() } else { String::new() }, Tone::Bad),
            (place, Tone::Plain),
            (what, Tone::Plain),
        ]);
    }
    t.print_styled(out, style)?;
    writeln!(out)
}

/// The per-item summary over the cohort (each verdict's column in its tone).
pub fn print_summary(out: &mut impl Write, summary: &DataFrame, style: Style) -> io::Result<()> {
    writeln!(out, "{}", style.heading("== per item =="))?;
    let mut t = table_of(summary);
    let column_tone = |h: &str| match h {
        "supported" => Tone::Good,
        "partial" | "only_on_branch" => Tone::Warn,
        "no_evidence" | "tests_mismatch" => Tone::Bad,
        _ => Tone::Plain,
    };
    let tones: Vec<Tone> = t.headers.iter().map(|h| column_tone(h)).collect();
    t.tones = t
        .rows
        .iter()
        .map(|row| row.iter().zip(&tones).map(|(c, tone)| if c == "0" { Tone::Plain } else { *tone }).collect())
        .collect();
    t.print_styled(out, style)
}

/// A group's unsupported claims from the stored verdicts (`cohort show`).
pub fn write_unsupported(out: &mut impl Write, verdicts: &DataFrame, ids: &[String], style: Style) -> io::Result<()> {
    let flagged = crate::verify::frame::unsupported_of(verdicts, ids).map_err(io::Error::other)?;
    writeln!(out, "\nClaims the repository does not support ({}):", flagged.height())?;
    if flagged.height() > 0 {
        table_of(&flagged).print_styled(out, style)?;
    }
    Ok(())
}
