//! `cohort parse PATH... [--json]`: read reports and print a summary of each, or JSON Lines.

use super::ReadLimitArg;
use cohort::discover::discover;
use cohort::present::output::{stdout, write_json_lines};
use cohort::present::text::print_report_summary;
use cohort::summary::summarise;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Report files, or folders to search for reports (README.md or other .md files that are reports).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Print one JSON object per report (JSON Lines), as in the interface contract.
    #[arg(long)]
    pub json: bool,
    /// Label the reports with this cohort instead of the one inferred from the template.
    #[arg(long)]
    pub cohort: Option<String>,
    #[command(flatten)]
    pub limit: ReadLimitArg,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (found, problems) = discover(&args.paths, args.limit.limits());
    let summaries = found.iter().map(|f| {
        let cohort = args.cohort.clone().unwrap_or_else(|| f.report.inferred_cohort().to_string());
        let path = f.relative.to_string_lossy().replace('\\', "/");
        summarise(&f.id, &path, &cohort, &f.report)
    });
    let mut out = stdout();
    if args.json {
        write_json_lines(&mut out, summaries)?;
    } else {
        for s in summaries {
            print_report_summary(&mut out, &s)?;
        }
    }
    out.flush()?;
    for p in &problems {
        eprintln!("cohort: skipped {p}");
    }
    if found.is_empty() {
        let paths: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
        eprintln!("cohort: no reports found under {}", paths.join(", "));
        return Ok(ExitCode::from(1));
    }
    if !args.json {
        eprintln!("{} reports read, {} files skipped", found.len(), problems.len());
    }
    Ok(ExitCode::SUCCESS)
}
