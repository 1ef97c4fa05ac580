//! `cohort verify` for people: one table per group (its repository facts above it) and the per-item summary.

use super::table::{table_of, Table};
use crate::verify::GroupResult;
use polars::prelude::DataFrame;
use std::io::{self, Write};

/// One group: its repository facts, then a row per verdict.
pub fn print_group(out: &mut impl Write, r: &GroupResult) -> io::Result<()> {
    let f = &r.facts;
    let group = f.group.map_or_else(|| "-".to_string(), |g| g.to_string());
    writeln!(out, "== {} (group {group}) ==", f.id)?;
    if f.status != "ok" {
        writeln!(out, "repository not read ({}): {}", f.status, f.error.as_deref().unwrap_or(""))?;
        for n in &f.notes {
            writeln!(out, "note: {n}")?;
        }
        return writeln!(out);
    }
    writeln!(
        out,
        "{} at {} ({}, {}); {} commits from {} to {}; {} authors for {} students; {} commits after; unmerged branches: {}",
        f.repository,
        f.commit.as_deref().map_or("-", |c| &c[..c.len().min(12)]),
        f.commit_source.unwrap_or("-"),
        f.branch.as_deref().unwrap_or("detached"),
        f.commits.unwrap_or(0),
        f.first_commit_time.as_deref().unwrap_or("-"),
        f.last_commit_time.as_deref().unwrap_or("-"),
        f.authors.unwrap_or(0),
        f.group_size,
        f.commits_after_deadline.unwrap_or(0),
        if f.unmerged_branches.is_empty() { "none".to_string() } else { f.unmerged_branches.len().to_string() },
    )?;
    for n in &f.notes {
        writeln!(out, "note: {n}")?;
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
        t.rows.push(vec![
            v.item.clone(),
            if v.claimed { "x".into() } else { " ".into() },
            v.verdict.as_str().into(),
            if v.flagged { "!".into() } else { String::new() },
            place,
            what,
        ]);
    }
    t.print(out)?;
    writeln!(out)
}

/// The per-item summary over the cohort.
pub fn print_summary(out: &mut impl Write, summary: &DataFrame) -> io::Result<()> {
    writeln!(out, "== per item ==")?;
    table_of(summary).print(out)
}

/// A group's unsupported claims from the stored verdicts (`cohort show`).
pub fn write_unsupported(out: &mut impl Write, verdicts: &DataFrame, ids: &[String]) -> io::Result<()> {
    let flagged = crate::verify::frame::unsupported_of(verdicts, ids).map_err(io::Error::other)?;
    writeln!(out, "\nClaims the repository does not support ({}):", flagged.height())?;
    if flagged.height() > 0 {
        table_of(&flagged).print(out)?;
    }
    Ok(())
}
