//! `cohort check [PATH... | --index DIR] [--json|--csv] [--group N] [--rule RULE...] [--strict] [--groups CSV]`: every
//! report checked at once, whatever its template generation (see [`cohort::check`] for the rules).

use super::{ColorArg, FormatArgs, ReadLimitArg};
use cohort::check::run::{check_all, CheckOptions};
use cohort::check::Rule;
use cohort::corpus::Input;
use cohort::present::check::{write_findings, write_per_report_csv, write_summaries};
use cohort::present::output::{stdout, write_json_lines, Format};
use cohort::present::style::{count, Style};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(after_help = "Rules: words, images, broken-image, unanswered, missing-question, duplicate-question, \
extra-question, contradiction, empty-checklist, numbers, checker-stops.\n\
words and images are judged as the course's report.py check judges them, with the ranges of each report's own \
template generation; checker-stops names the reports that checker gives up on (they are then checked per question).\n\
--json prints one object per finding: {\"id\", \"question\", \"rule\", \"message\", \"line\", \"item\", \"group\"}; \
--csv the table per report: group, id, cohort, one count per rule, total.\n\
Exit status: 0 checked (with or without findings), 1 with --strict and any finding, or when no report (of the group) \
was found, 2 on an error (a path that does not exist, an unknown rule).")]
pub struct Args {
    /// Report files, or folders to search for reports (as for `cohort parse`).
    #[arg(required_unless_present = "index", conflicts_with = "index")]
    pub paths: Vec<PathBuf>,
    /// Check the files an index was built from (re-read from disk) instead of PATHs.
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    #[command(flatten)]
    pub format: FormatArgs,
    #[command(flatten)]
    pub color: ColorArg,
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
    /// Cohort label (the course year) of the reports read: once for every folder, or once per folder in order
    /// (default: from each report's source.json, else its template). With --index: only the reports of these
    /// cohorts (repeatable).
    #[arg(long, value_name = "LABEL")]
    pub cohort: Vec<String>,
    #[command(flatten)]
    pub limit: ReadLimitArg,
}

fn parse_rule(s: &str) -> Result<Rule, String> {
    Rule::from_name(s).ok_or_else(|| format!("unknown rule {s:?}; rules: {}", Rule::NAMES.join(", ")))
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let input = match &args.index {
        Some(dir) => Input::Index(dir.clone()),
        None => Input::Paths(args.paths.clone()),
    };
    let opts = CheckOptions {
        input,
        limits: args.limit.limits(),
        groups: args.groups.clone(),
        group: args.group,
        rules: args.rule.clone(),
        cohorts: args.cohort.clone(),
    };
    let outcome = check_all(&opts)?;
    for p in &outcome.problems {
        eprintln!("cohort: skipped {p}");
    }
    if outcome.read.is_empty() {
        let from = match &args.index {
            Some(dir) => format!("the index at {}", dir.display()),
            None => args.paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
        };
        eprintln!("cohort: no reports found in {from}");
        return Ok(ExitCode::from(1));
    }
    if outcome.checked.is_empty() {
        eprintln!(
            "cohort: no report of group {} among the {} read",
            args.group.unwrap_or(0),
            count(outcome.read.len(), "report", "reports")
        );
        return Ok(ExitCode::from(1));
    }
    let mut out = stdout();
    let style = Style::for_stdout(args.color.color);
    match args.format.format() {
        Format::JsonLines => write_json_lines(&mut out, &outcome.findings)?,
        Format::Csv => write_per_report_csv(&mut out, &outcome, &args.rule)?,
        Format::Table => {
            if args.list || args.group.is_some() {
                write_findings(&mut out, &outcome.read, &outcome.findings, style)?;
            }
            write_summaries(&mut out, &outcome, &args.rule, style)?;
        }
    }
    out.flush()?;
    let skipped = outcome.problems.len();
    eprintln!(
        "{} checked, {}{}",
        count(outcome.checked.len(), "report", "reports"),
        count(outcome.findings.len(), "finding", "findings"),
        if skipped == 0 { String::new() } else { format!(", {} skipped", count(skipped, "file", "files")) }
    );
    Ok(if args.strict && !outcome.findings.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
