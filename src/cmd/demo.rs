//! `cohort demo`: generate a synthetic cohort (three course years, real-world formatting quirks), ingest it,
//! and show what cohort answers: a statistic, a search, the facts, one group.

use super::{search, show, stats};
use crate::domain::synth::{write_cohort, CohortSpec};
use crate::ingest::{ingest, IngestOptions};
use crate::store::frames::ChecklistBy;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of reports to generate.
    #[arg(long, default_value_t = 120)]
    pub reports: usize,
    /// Seed of the generator (the same seed gives the same cohort).
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Keep the generated reports and the index in this folder (DIR/reports, DIR/index) to explore further.
    #[arg(long, value_name = "DIR")]
    pub keep: Option<PathBuf>,
}

fn banner(command: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "\n$ cohort {command}")?;
    out.flush()
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let temp = tempfile::tempdir()?;
    let base = args.keep.clone().unwrap_or_else(|| temp.path().to_path_buf());
    let reports = base.join("reports");
    let index = base.join("index");
    let spec = CohortSpec { seed: args.seed, reports: args.reports, ..Default::default() };
    let generated = write_cohort(&reports, &spec)?;
    println!("Generated {} synthetic reports (2023-24, 2025 and 2026 templates, with real-world quirks) in {}", generated.len(), reports.display());

    let outcome = ingest(std::slice::from_ref(&reports), &IngestOptions::new(&index))?;
    println!("Ingested {} reports into {} ({} files skipped)", outcome.total, index.display(), outcome.problems.len());

    let common = |json| stats::Common { cohort: vec![], json, csv: false, index: index.clone(), partial_as: Default::default() };
    banner("stats checklist --by week,cohort")?;
    stats::run(stats::Args {
        what: stats::What::Checklist { by: vec![ChecklistBy::Week, ChecklistBy::Cohort], common: common(false) },
    })?;

    banner("search locust --question api_testing --limit 5")?;
    search::run(search::Args {
        query: "locust".into(),
        question: Some("api_testing".into()),
        cohort: None,
        group: None,
        limit: 5,
        json: false,
        index: index.clone(),
    })?;

    banner("stats facts --by-cohort")?;
    stats::run(stats::Args { what: stats::What::Facts { by_cohort: true, common: common(false) } })?;

    let group = generated.iter().find_map(|r| r.truth.facts.group).unwrap_or(1);
    banner(&format!("show {group}"))?;
    show::run(show::Args { group: group.to_string(), cohort: None, index: index.clone(), explain: false })?;

    match &args.keep {
        Some(dir) => println!(
            "The reports and the index are in {}: try `cohort search \"data drift\" --index {}`.",
            dir.display(),
            index.display()
        ),
        None => println!("Run `cohort demo --keep demo` to keep the reports and the index, or `cohort ingest DIR` on your own."),
    }
    Ok(ExitCode::SUCCESS)
}
