//! `cohort scrape group_info.csv --deadline RFC3339 --out DIR [--jobs N] [--timeout SECS] [--allow-local]
//! [--ingest [--index DIR]]`

use cohort::ingest::{ingest, IngestOptions};
use cohort::present::table::Table;
use cohort::scrape::{scrape, Deadline, ScrapeOptions, REPORT_FILE};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Debug, clap::Args)]
#[command(after_help = "Which date counts: the committer date of commits on the default branch's first-parent line \
    (a rebase after the deadline gives a new committer date; a feature branch merged after the deadline does not \
    count). A row whose group number cannot be read (-1, 1.5, empty) is reported (invalid-group) and the others \
    are scraped. Repository URLs may carry a token (https://user:TOKEN@github.com/...): it is passed to git through a \
    credential helper and redacted in every output; no git prompt is ever shown.")]
pub struct Args {
    /// The course's group list: group_nb, student 1..5, github_repo.
    #[arg(value_name = "CSV")]
    pub group_list: PathBuf,
    /// Nothing committed after this counts: RFC 3339 with an offset, e.g. 2026-01-23T23:59:59+01:00.
    #[arg(long, value_parser = parse_deadline)]
    pub deadline: Deadline,
    /// Output folder: group_<n>/ per group, .clones/ (reused by later runs), scrape-report.json.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Repositories fetched at once.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: u16,
    /// Seconds allowed for one repository (fetch and export); git is stopped after that.
    #[arg(long, value_name = "SECS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
    /// Ingest the result afterwards, with group numbers and members from the group list.
    #[arg(long)]
    pub ingest: bool,
    /// Index folder for --ingest.
    #[arg(long, default_value = "index", requires = "ingest")]
    pub index: PathBuf,
    /// Cohort label (the course year) for --ingest; default: the year of each group's commit at the deadline.
    #[arg(long, value_name = "LABEL", requires = "ingest")]
    pub cohort: Vec<String>,
    /// Also fetch file:// URLs and paths on this machine (staff mirrors). Without it such rows are refused
    /// (local-url): the group list is filled in by students.
    #[arg(long)]
    pub allow_local: bool,
}

/// A group number as printed: `-` for a row whose number could not be read.
fn shown_group(group: Option<u32>) -> String {
    group.map_or_else(|| "-".to_string(), |n| n.to_string())
}

fn parse_deadline(s: &str) -> Result<Deadline, String> {
    s.parse::<Deadline>().map_err(|e| e.to_string())
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut opts = ScrapeOptions::new(&args.out, args.deadline);
    opts.jobs = usize::from(args.jobs);
    opts.timeout = Duration::from_secs(args.timeout);
    opts.progress = std::io::stderr().is_terminal();
    opts.allow_local = args.allow_local;
    let started = Instant::now();
    let report = scrape(&args.group_list, &opts)?;
    let secs = started.elapsed().as_secs_f64();

    let failed: Vec<_> = report.groups.iter().filter(|g| !g.ok()).collect();
    if !failed.is_empty() {
        let mut table = Table::new(&["group", "line", "reason", "repository", "what happened"]);
        table.numeric = vec![true, true, false, false, false];
        for g in &failed {
            let mut message = g.message.clone().unwrap_or_default();
            if g.previous_export {
                message.push_str(" (the export of an earlier run was kept)");
            }
            table.rows.push(vec![
                shown_group(g.group),
                g.line.to_string(),
                g.reason.map_or("-", |r| r.as_str()).to_string(),
                g.repo.clone().unwrap_or_else(|| "-".into()),
                message,
            ]);
        }
        table.print(&mut std::io::stderr().lock())?;
        eprintln!();
    }
    let noted: Vec<_> =
        report.groups.iter().filter(|g| g.ok() && (!g.notes.is_empty() || !g.missing_images.is_empty())).collect();
    for g in noted {
        for n in &g.notes {
            eprintln!("group {}: {n}", shown_group(g.group));
        }
        if !g.missing_images.is_empty() {
            eprintln!(
                "group {}: images referenced but not in the commit: {}",
                shown_group(g.group),
                g.missing_images.join(", ")
            );
        }
    }
    let cloned = report.groups.iter().filter(|g| g.clone == Some(cohort::scrape::CloneAction::Cloned)).count();
    let updated = report.groups.iter().filter(|g| g.clone == Some(cohort::scrape::CloneAction::Updated)).count();
    eprintln!(
        "scraped {} of {} as of {} ({} failed; {cloned} cloned, {updated} updated) into {} ({secs:.1} s); \
         details in {}",
        report.ok,
        cohort::present::style::count(report.groups_total, "group", "groups"),
        report.deadline,
        report.failed,
        args.out.display(),
        args.out.join(REPORT_FILE).display()
    );

    if args.ingest {
        let mut iopts = IngestOptions::new(&args.index);
        iopts.groups = Some(args.group_list.clone());
        iopts.cohorts = args.cohort.clone();
        iopts.progress = opts.progress;
        let outcome = ingest(std::slice::from_ref(&args.out), &iopts)?;
        for p in &outcome.problems {
            eprintln!("cohort: skipped {p}");
        }
        eprintln!("{}", outcome.summary(&args.index));
    }
    Ok(if report.ok > 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
