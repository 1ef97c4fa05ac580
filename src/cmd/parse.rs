//! `cohort parse PATH... [--json]`: read reports and print a summary of each, or JSON Lines.

use crate::discover::{discover, Limits};
use crate::present::text::print_report_summary;
use crate::summary::summarise;
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
    /// Skip files larger than this many megabytes.
    #[arg(long, default_value_t = 20)]
    pub max_file_mb: u64,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let limits = Limits { max_file_bytes: args.max_file_mb * 1_000_000 };
    let (found, problems) = discover(&args.paths, limits);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for f in &found {
        let cohort = args.cohort.clone().unwrap_or_else(|| f.report.inferred_cohort().to_string());
        let path = f.relative.to_string_lossy().replace('\\', "/");
        let summary = summarise(&f.id, &path, &cohort, &f.report);
        if args.json {
            serde_json::to_writer(&mut out, &summary)?;
            writeln!(out)?;
        } else {
            print_report_summary(&mut out, &summary)?;
        }
    }
    out.flush()?;
    for p in &problems {
        eprintln!("cohort: skipped {p}");
    }
    if found.is_empty() {
        eprintln!("cohort: no reports found under {}", args.paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "));
        return Ok(ExitCode::from(1));
    }
    if !args.json {
        eprintln!("{} reports read, {} files skipped", found.len(), problems.len());
    }
    Ok(ExitCode::SUCCESS)
}
