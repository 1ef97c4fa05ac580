//! `cohort ingest DIR... [--index DIR] [--cohort LABEL...] [--groups group_info.csv]`

use super::ReadLimitArg;
use cohort::ingest::{ingest, IngestOptions, DEFAULT_MAX_ANSWER_BYTES};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit status: 0 ingested (files that could not be read are listed on stderr and skipped), 2 on \
an error: a path that does not exist, no report in the folders given, a --cohort count that fits neither all folders \
nor each one (nothing is written then). With --check: 0 when every file of the index is as written, 2 when one is \
damaged (each is named)."
)]
pub struct Args {
    /// Folders (or report files) to ingest: one folder per group, any depth, several cohorts side by side.
    #[arg(required_unless_present = "check")]
    pub dirs: Vec<PathBuf>,
    /// Ingest nothing: check every file of the index against the checksums it was written with, name each damaged
    /// one and exit 2 (0 when the index is sound). Other commands check only what they read.
    #[arg(long, conflicts_with_all = ["dirs", "repos", "rebuild", "prune"])]
    pub check: bool,
    /// Index folder to create or update.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Cohort label (the course year): once for every folder, or once per folder in the order the folders are
    /// named. Default: the year of the commit in each report's source.json (from `cohort scrape`), else the
    /// template generation's label (a guess, said on stderr).
    #[arg(long, value_name = "LABEL")]
    pub cohort: Vec<String>,
    /// The course's group list (group_nb, student 1..5, github_repo) to attach group numbers and members.
    #[arg(long, value_name = "CSV")]
    pub groups: Option<PathBuf>,
    #[command(flatten)]
    pub limit: ReadLimitArg,
    /// Cut answers longer than this many kilobytes to that length in the index (a warning says so).
    #[arg(long, default_value_t = DEFAULT_MAX_ANSWER_BYTES as u64 / 1000, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_answer_kb: u64,
    /// Also verify every report against its repository (as `cohort verify --repos DIR`) and store the verdicts
    /// as `verdicts.parquet` in the index.
    #[arg(long, value_name = "DIR")]
    pub repos: Option<PathBuf>,
    /// With --repos: the deadline (RFC 3339 with an offset).
    #[arg(long, value_name = "T", requires = "repos")]
    pub deadline: Option<cohort::scrape::Deadline>,
    /// Build the index afresh from the reports, reusing nothing of the current one.
    #[arg(long)]
    pub rebuild: bool,
    /// Remove reports whose folders vanished even when most of a folder's reports did (by default they are kept
    /// then, with a note: an unmounted share must not empty the index).
    #[arg(long)]
    pub prune: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.check {
        return check(&args.index);
    }
    let mut opts = IngestOptions::new(&args.index);
    opts.cohorts = args.cohort;
    opts.groups = args.groups;
    opts.limits = args.limit.limits();
    opts.max_answer_bytes = usize::try_from(args.max_answer_kb.saturating_mul(1000)).unwrap_or(usize::MAX);
    opts.progress = std::io::stderr().is_terminal();
    opts.rebuild = args.rebuild;
    opts.prune = args.prune;
    let started = Instant::now();
    let mut outcome = ingest(&args.dirs, &opts)?;
    if args.repos.is_some() {
        // Verified again below: what the previous ingest's verdicts were is beside the point.
        outcome.verdicts_kept = None;
    }
    for n in &outcome.notes {
        eprintln!("cohort: {n}");
    }
    for p in &outcome.problems {
        eprintln!("cohort: skipped {p}");
    }
    for t in &outcome.truncated {
        eprintln!("cohort: cut {t}");
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!("{} ({secs:.2} s)", outcome.summary(&args.index));
    if !outcome.problems.is_empty() {
        eprintln!(
            "{} could not be ingested (listed above); everything else was.",
            cohort::present::style::count(outcome.problems.len(), "file", "files")
        );
    }
    if let (Some(repos), true) = (&args.repos, outcome.total > 0) {
        let opts = cohort::verify::VerifyOptions {
            repos: repos.clone(),
            deadline: args.deadline,
            items: vec![],
            cache: cohort::repo::default_cache(),
            repo_time: cohort::repo::REPO_TIME,
        };
        let stored = cohort::verify::verify_index(&args.index, &opts)?;
        eprintln!("{stored}");
    }
    Ok(ExitCode::SUCCESS)
}

/// `cohort ingest --check`: every file of the index checked; each damaged one named on stderr.
fn check(index: &std::path::Path) -> anyhow::Result<ExitCode> {
    let checked = cohort::Index::check_files(index)?;
    let mb = checked.bytes as f64 / 1e6;
    if checked.damaged.is_empty() {
        eprintln!(
            "the index at {} is sound: {} checked ({mb:.1} MB)",
            index.display(),
            cohort::nouns::count(checked.files, "file", "files")
        );
        return Ok(ExitCode::SUCCESS);
    }
    for e in &checked.damaged {
        eprintln!("cohort: damaged: {}", cohort::error::chain(e));
    }
    anyhow::bail!(
        "the index at {} has {} (listed above); re-run `cohort ingest` on the reports to rebuild it",
        index.display(),
        cohort::nouns::count(checked.damaged.len(), "damaged file", "damaged files"),
    )
}
