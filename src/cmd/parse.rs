//! `cohort parse PATH... [--json] [--cohort LABEL...]`: read reports and print a summary of each, or JSON Lines.

use super::{ColorArg, ReadLimitArg};
use cohort::cohort_label::Labels;
use cohort::discover::discover;
use cohort::ingest::require_paths;
use cohort::present::output::{stdout, write_json_lines};
use cohort::present::style::{count, Style};
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
    /// Cohort label (the course year): once for every folder, or once per folder in order (default: from each
    /// report's source.json, else its template).
    #[arg(long, value_name = "LABEL")]
    pub cohort: Vec<String>,
    #[command(flatten)]
    pub color: ColorArg,
    #[command(flatten)]
    pub limit: ReadLimitArg,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    require_paths(&args.paths)?;
    let labels = Labels::new(&args.paths, &args.cohort)?;
    let (found, problems) = discover(&args.paths, args.limit.limits());
    let summaries = found.iter().map(|f| {
        let cohort = labels
            .known(&f.root.join(&f.relative), &f.root)
            .map_or_else(|| f.report.inferred_cohort().to_string(), |(label, _)| label);
        let path = f.relative.to_string_lossy().replace('\\', "/");
        summarise(&f.id, &path, &cohort, &f.report)
    });
    let mut out = stdout();
    if args.json {
        write_json_lines(&mut out, summaries)?;
    } else {
        let style = Style::for_stdout(args.color.color);
        for s in summaries {
            print_report_summary(&mut out, &s, style)?;
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
        eprintln!(
            "{} read, {} skipped",
            count(found.len(), "report", "reports"),
            count(problems.len(), "file", "files")
        );
    }
    Ok(ExitCode::SUCCESS)
}
