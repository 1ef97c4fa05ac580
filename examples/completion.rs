//! Ingest a folder of reports into a throwaway index and print checklist completion per week, through the
//! library API only (no CLI).
//!
//! ```sh
//! cargo run --release --example completion -- path/to/reports
//! ```
//! Without an argument it generates a small synthetic cohort first.

use cohort::store::frames::{ChecklistBy, Scope};
use cohort::synth::{write_cohort, CohortSpec};
use cohort::{ingest, Index, IngestOptions};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let work = tempfile::tempdir()?;
    let reports = match std::env::args_os().nth(1) {
        Some(p) => PathBuf::from(p),
        None => {
            let dir = work.path().join("reports");
            write_cohort(&dir, &CohortSpec { seed: 7, reports: 40, ..Default::default() })?;
            dir
        }
    };
    let index = work.path().join("index");
    let outcome = ingest(&[reports], &IngestOptions::new(&index))?;
    println!("ingested {} reports ({} files skipped)", outcome.total, outcome.problems.len());

    let by_week = Index::open(&index)?.checklist_completion(&[ChecklistBy::Week], &Scope::default())?;
    println!("{by_week}");
    Ok(())
}
