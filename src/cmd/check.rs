//! `cohort check [PATH... | --index DIR] [--json] [--group N] [--rule RULE...] [--strict] [--groups CSV]`: every
//! report checked at once, whatever its template generation (see [`crate::check`] for the rules).

use crate::check::course_checker::{self, CheckerView};
use crate::check::images::ReportFolder;
use crate::check::summary::{findings_frame, per_report, per_rule, reports_frame, Checked};
use crate::check::{check, constraint_set, CheckContext, Finding, Rule};
use crate::discover::{assign_ids, candidates, parse_candidate, read_bytes, Candidate, Found, Limits, Problem, Read};
use crate::domain::groups::{row_for, GroupRow};
use crate::domain::template::ConstraintSet;
use crate::present::table::table_of;
use crate::store::manifest::Manifest;
use crate::store::IndexDir;
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(after_help = "Rules: words, images, broken-image, unanswered, missing-question, duplicate-question, \
extra-question, contradiction, empty-checklist, numbers, checker-stops.\n\
words and images are judged as the course's report.py check judges them, with the ranges of each report's own \
template generation; checker-stops names the reports that checker gives up on (they are then checked per question).")]
pub struct Args {
    /// Report files, or folders to search for reports (as for `cohort parse`).
    #[arg(required_unless_present = "index", conflicts_with = "index")]
    pub paths: Vec<PathBuf>,
    /// Check the files an index was built from (re-read from disk) instead of PATHs.
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// One JSON object per finding (JSON Lines): {"id", "question", "rule", "message", ...}.
    #[arg(long)]
    pub json: bool,
    /// Only the report(s) of this group number (then every finding is listed).
    #[arg(long)]
    pub group: Option<u32>,
    /// Only these rules (repeat or comma-separate).
    #[arg(long, value_delimiter = ',', value_parser = parse_rule)]
    pub rule: Vec<Rule>,
    /// Exit with status 1 when there is any finding (for scripts).
    #[arg(long)]
    pub strict: bool,
    /// The course's group list (group_nb, student 1..5, github_repo): group numbers and member counts are compared
    /// with it.
    #[arg(long, value_name = "CSV")]
    pub groups: Option<PathBuf>,
    /// List every finding before the summary tables (the default with --group).
    #[arg(long)]
    pub list: bool,
    /// Skip report files larger than this many megabytes.
    #[arg(long, default_value_t = 20)]
    pub max_file_mb: u64,
}

fn parse_rule(s: &str) -> Result<Rule, String> {
    Rule::from_name(s).ok_or_else(|| {
        format!("unknown rule {s:?}; rules: {}", Rule::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", "))
    })
}

/// A report read for checking, with what the course checker makes of its file.
struct Loaded {
    found: Found,
    cohort: Option<String>,
    set: ConstraintSet,
    checker: CheckerView,
}

/// Reads and parses a candidate; the bytes are only kept long enough for the checker's emulation. A panic while
/// reading one file (a bug) becomes a problem for that file, as in ingest.
fn load(c: &Candidate, limits: Limits, cohort: Option<String>) -> Result<Option<Loaded>, Problem> {
    let read = || {
        let bytes = read_bytes(c, limits)?;
        match parse_candidate(c, &bytes) {
            Read::Report(found) => {
                let set = constraint_set(&found.report);
                let checker = course_checker::view(&bytes, set.checker());
                Ok(Some(Loaded { found: *found, cohort, set, checker }))
            }
            Read::NotAReport => Ok(None),
            Read::Problem(p) => Err(p),
        }
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|_| {
        Err(Problem {
            path: c.path.clone(),
            reason: "internal error while reading this file (a bug in cohort: please report it)".into(),
        })
    })
}

/// The reports to check: from PATHs, or from the files an index lists (with their ids and cohort labels).
fn load_all(args: &Args, limits: Limits) -> anyhow::Result<(Vec<Loaded>, Vec<Problem>)> {
    let mut problems = Vec::new();
    // (candidate, id and cohort from the index)
    let inputs: Vec<(Candidate, Option<(String, String)>)> = match &args.index {
        Some(dir) => {
            let generation = IndexDir::new(dir).require_current()?;
            Manifest::read(&generation)?
                .entries
                .into_iter()
                .map(|e| {
                    let c = Candidate { path: e.file, root: e.root, explicit: true };
                    (c, Some((e.id, e.cohort)))
                })
                .collect()
        }
        None => {
            let (cands, found_problems) = candidates(&args.paths);
            problems = found_problems;
            cands.into_iter().map(|c| (c, None)).collect()
        }
    };
    let results = crate::parallel::map_in_order(&inputs, |(c, listed)| load(c, limits, listed.as_ref().map(|(_, cohort)| cohort.clone())));
    let mut found = Vec::new();
    let mut rest = Vec::new();
    for ((_, listed), result) in inputs.iter().zip(results) {
        match result {
            Ok(Some(l)) => {
                found.push(l.found);
                rest.push((listed.as_ref().map(|(id, _)| id.clone()), l.cohort, l.set, l.checker));
            }
            Ok(None) => {}
            Err(p) if listed.is_some() => problems.push(Problem {
                path: p.path,
                reason: format!("{} (listed in the index; re-run `cohort ingest` if it moved)", p.reason),
            }),
            Err(p) => problems.push(p),
        }
    }
    // Ids depend on every report found (two reports in one folder are named by their files); an index keeps its own.
    assign_ids(&mut found);
    // The tables count per id, so reports from different roots that get the same id (two files named on the
    // command line are both `README`) are named by their paths.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for f in &found {
        *seen.entry(f.id.clone()).or_default() += 1;
    }
    for (f, (listed_id, ..)) in found.iter_mut().zip(&rest) {
        if listed_id.is_none() && seen[&f.id] > 1 {
            f.id = f.root.join(&f.relative).with_extension("").to_string_lossy().replace('\\', "/");
        }
    }
    let loaded = found
        .into_iter()
        .zip(rest)
        .map(|(mut found, (listed_id, cohort, set, checker))| {
            if let Some(id) = listed_id {
                found.id = id;
            }
            Loaded { found, cohort, set, checker }
        })
        .collect();
    Ok((loaded, problems))
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let limits = Limits { max_file_bytes: args.max_file_mb.saturating_mul(1_000_000) };
    let rows: Option<Vec<GroupRow>> = match &args.groups {
        Some(path) => Some(crate::ingest::read_groups(path)?.0),
        None => None,
    };
    let (loaded, problems) = load_all(&args, limits)?;
    for p in &problems {
        eprintln!("cohort: skipped {p}");
    }
    if loaded.is_empty() {
        let from = match &args.index {
            Some(dir) => format!("the index at {}", dir.display()),
            None => args.paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
        };
        eprintln!("cohort: no reports found in {from}");
        return Ok(ExitCode::from(1));
    }

    // Each report's findings, on all cores; the group filter needs the group the list gives.
    let per_report = crate::parallel::map_in_order(&loaded, |l| {
        let f = &l.found;
        let row = rows.as_deref().and_then(|rows| row_for(rows, &f.id, &f.report));
        let group = row.map(|r| r.group).or(f.report.facts.group);
        if args.group.is_some_and(|g| Some(g) != group) {
            return None;
        }
        let folder = f.root.join(&f.relative).parent().map(PathBuf::from).unwrap_or_else(|| f.root.clone());
        let images = ReportFolder::new(folder);
        let ctx = CheckContext { id: &f.id, set: l.set, checker: &l.checker, images: &images, group_row: row };
        let cohort = l.cohort.clone().unwrap_or_else(|| f.report.inferred_cohort().to_string());
        let found: Vec<Finding> = check(&f.report, &ctx)
            .into_iter()
            .filter(|x| args.rule.is_empty() || args.rule.contains(&x.rule))
            .collect();
        Some((Checked { id: f.id.clone(), group, cohort }, found))
    });
    let mut checked = Vec::new();
    let mut findings: Vec<Finding> = Vec::new();
    for (c, found) in per_report.into_iter().flatten() {
        checked.push(c);
        findings.extend(found);
    }
    if checked.is_empty() {
        eprintln!("cohort: no report of group {} among the {} reports read", args.group.unwrap_or(0), loaded.len());
        return Ok(ExitCode::from(1));
    }

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        for f in &findings {
            serde_json::to_writer(&mut out, f)?;
            writeln!(out)?;
        }
    } else {
        if args.list || args.group.is_some() {
            print_findings(&mut out, &loaded, &findings)?;
        }
        print_summaries(&mut out, &checked, &findings, &args.rule)?;
    }
    out.flush()?;
    eprintln!(
        "{} reports checked, {} findings{}",
        checked.len(),
        findings.len(),
        if problems.is_empty() { String::new() } else { format!(", {} files skipped", problems.len()) }
    );
    Ok(if args.strict && !findings.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Every finding, report by report (the findings come in the reports' order).
fn print_findings(out: &mut impl Write, loaded: &[Loaded], findings: &[Finding]) -> anyhow::Result<()> {
    let by_id: HashMap<&str, &Loaded> = loaded.iter().map(|l| (l.found.id.as_str(), l)).collect();
    for mine in findings.chunk_by(|a, b| a.id == b.id) {
        let Some(l) = by_id.get(mine[0].id.as_str()) else { continue };
        let r = &l.found.report;
        writeln!(
            out,
            "{}  ({}, {} {}, checker {:?})",
            l.found.id,
            mine[0].group.map_or("no group".to_string(), |g| format!("group {g}")),
            r.questions,
            r.generation,
            l.set
        )?;
        for f in mine {
            let line = f.line.map_or(String::new(), |n| format!("line {n}"));
            writeln!(out, "  {line:<10} {:<18} {}", f.rule.as_str(), f.message)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// The table per report (group) with counts per rule, and the per-rule summary over all reports checked.
fn print_summaries(out: &mut impl Write, checked: &[Checked], findings: &[Finding], selected: &[Rule]) -> anyhow::Result<()> {
    // Columns for the rules asked for, or for those that found something.
    let rules: Vec<Rule> = Rule::ALL
        .iter()
        .copied()
        .filter(|r| if selected.is_empty() { findings.iter().any(|f| f.rule == *r) } else { selected.contains(r) })
        .collect();
    let reports = reports_frame(checked)?;
    let found = findings_frame(findings)?;
    table_of(&per_report(&reports, &found, &rules)?).print(out)?;
    writeln!(out)?;
    let all: Vec<Rule> = if selected.is_empty() { Rule::ALL.to_vec() } else { selected.to_vec() };
    table_of(&per_rule(&reports, &found, &all)?).print(out)?;
    Ok(())
}
