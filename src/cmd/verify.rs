//! `cohort verify [--index DIR [--cohort LABEL...] | REPORTS...] --repos DIR [--deadline T] [--json|--csv]
//! [--group N] [--item ID...]`: every report's claims against its group's repository (see [`cohort::verify`]).

use super::{ColorArg, FormatArgs};
use cohort::discover::{discover, Limits};
use cohort::present::output::{stdout, write_json_lines, Format};
use cohort::present::style::{count, Style};
use cohort::present::verify::{print_group, print_summary, write_verdicts_csv};
use cohort::scrape::Deadline;
use cohort::verify::frame::{item_summary, verdicts_frame};
use cohort::verify::{claims_from_index_of, verify, Claims, VerifyOptions};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(after_help = "Verdicts: supported, partial, no-evidence, only-on-branch, unclaimed, not-decidable, \
tests-mismatch.\n--repos takes cohort scrape's output folder, or a folder with <id>.bundle, <id>.git or <id>/ per \
report (an INDEX.tsv there with id and report_commit columns names the commit to read).\n\
--json prints a \"repository\" record per report, then its \"verdict\" records (fields in docs/verify.md); --csv \
one line per verdict (id, group, item, claimed, verdict, class, flagged, path, line, evidence, snippet, branch, note, commit, \
stated, counted, record). How many repositories were read goes to standard error.")]
pub struct Args {
    /// Report files or folders (as for `cohort parse`).
    #[arg(required_unless_present = "index", conflicts_with = "index")]
    pub reports: Vec<PathBuf>,
    /// Take the reports from an index instead.
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// The repositories: scrape's output folder, or a folder of <id>.bundle / <id>.git / <id>/ clones.
    #[arg(long, value_name = "DIR")]
    pub repos: PathBuf,
    /// Read each repository as it stood at this moment (RFC 3339 with an offset), unless the folder names the
    /// report's commit.
    #[arg(long, value_name = "T")]
    pub deadline: Option<Deadline>,
    #[command(flatten)]
    pub format: FormatArgs,
    #[command(flatten)]
    pub color: ColorArg,
    /// Only the report(s) of this group number.
    #[arg(long)]
    pub group: Option<u32>,
    /// With --index: only the reports of these cohorts (repeatable).
    #[arg(long, value_name = "LABEL", requires = "index")]
    pub cohort: Vec<String>,
    /// Only these checklist items (repeat or comma-separate; `tests` is the stated number of tests).
    #[arg(long, value_delimiter = ',')]
    pub item: Vec<String>,
    /// Where bundles are unbundled (default: the user's cache folder).
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
    /// Only the per-item summary (no table per group).
    #[arg(long)]
    pub summary: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    for i in &args.item {
        anyhow::ensure!(
            i == "tests" || cohort::domain::template::ChecklistId::from_name(i).is_some(),
            "unknown item {i:?}: use a checklist id (CHECKLIST.md) or `tests`"
        );
    }
    anyhow::ensure!(args.repos.is_dir(), "{}: no such folder (--repos)", args.repos.display());
    let mut claims: Vec<Claims> = match &args.index {
        Some(dir) => claims_from_index_of(dir, &args.cohort)?,
        None => {
            let (found, problems) = discover(&args.reports, Limits::default());
            for p in &problems {
                eprintln!("cohort: {p}");
            }
            found
                .iter()
                .map(|f| {
                    let mut c = Claims::from_report(&f.id, &f.report);
                    c.alt_ids.extend(f.root.file_name().map(|n| n.to_string_lossy().into_owned()));
                    c
                })
                .collect()
        }
    };
    if let Some(g) = args.group {
        claims.retain(|c| c.group == Some(g));
    }
    claims.sort_by(|a, b| a.id.cmp(&b.id));
    anyhow::ensure!(!claims.is_empty(), "no report to verify");
    let opts = VerifyOptions {
        repos: args.repos.clone(),
        deadline: args.deadline,
        items: args.item.clone(),
        cache: args.cache.clone().unwrap_or_else(cohort::repo::default_cache),
        repo_time: cohort::repo::REPO_TIME,
    };
    let results = verify(&claims, &opts);
    let mut out = stdout();
    match args.format.format() {
        Format::JsonLines => {
            for r in &results {
                write_json_lines(&mut out, [&r.facts])?;
                write_json_lines(&mut out, &r.verdicts)?;
            }
        }
        Format::Csv => write_verdicts_csv(&mut out, &results)?,
        Format::Table => {
            let style = Style::for_stdout(args.color.color);
            if !args.summary {
                for r in &results {
                    print_group(&mut out, r, style)?;
                }
            }
            print_summary(&mut out, &item_summary(&verdicts_frame(&results)?)?, style)?;
        }
    }
    out.flush()?;
    let unread: Vec<String> = results.iter().filter(|r| r.facts.status != "ok").map(|r| r.facts.id.clone()).collect();
    eprintln!(
        "{}, {} read, {} not read{}",
        count(results.len(), "report", "reports"),
        count(results.len() - unread.len(), "repository", "repositories"),
        unread.len(),
        if unread.is_empty() { String::new() } else { format!(": {}", unread.join(", ")) }
    );
    Ok(ExitCode::SUCCESS)
}
