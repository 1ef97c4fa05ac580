//! Ingest a folder of reports into a throwaway index and print checklist completion per week, through the
//! library API only (no CLI).
//!
//! ```sh
//! cargo run --release --example completion -- path/to/reports
//! ```
//! Without an argument it generates a small synthetic cohort first.

use cohort::store::frames::{self, checklist_completion, ChecklistBy, Scope};
use cohort::store::IndexDir;
use cohort::{ingest, IngestOptions};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let work = tempfile::tempdir()?;
    let reports = match std::env::args_os().nth(1) {
        Some(p) => PathBuf::from(p),
        None => {
            let dir = work.path().join("reports");
            let spec = cohort::domain::synth::CohortSpec { seed: 7, reports: 40, ..Default::default() };
            cohort::domain::synth::write_cohort(&dir, &spec)?;
            dir
        }
    };
    let index = work.path().join("index");
    let outcome = ingest(&[reports], &IngestOptions::new(&index))?;
    println!("ingested {} reports ({} files skipped)", outcome.total, outcome.problems.len());

    let generation = IndexDir::new(&index).require_current()?;
    let checklist = frames::read(&generation, frames::CHECKLIST)?;
    let by_week = checklist_completion(&checklist, &[ChecklistBy::Week], &Scope::default())?;
    println!("{by_week}");
    Ok(())
}
