//! `cohort stats checklist [--by item|week|module|cohort]...` and `cohort stats facts [--by-cohort]`: polars
//! queries over the frames, printed as a table, JSON Lines or CSV.

use crate::present::table::{json_rows, table_of};
use crate::store::frames::{self, checklist_completion, facts_summary, ChecklistBy, PartialTicks, Scope};
use crate::store::IndexDir;
use polars::prelude::{CsvWriter, DataFrame, SerWriter};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum What {
    /// Completion rate of checklist items: done / reports whose own checklist has the item.
    Checklist {
        /// Group by these (repeat or comma-separate, e.g. --by week,cohort).
        #[arg(long, value_enum, value_delimiter = ',', default_value = "item")]
        by: Vec<ChecklistBy>,
        #[command(flatten)]
        common: Common,
    },
    /// Number of tests, coverage and credits (in USD): n, mean, median, min, max.
    Facts {
        /// One row per fact and cohort.
        #[arg(long)]
        by_cohort: bool,
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Debug, Clone, clap::Args)]
pub struct Common {
    /// Only these cohorts (repeatable).
    #[arg(long)]
    pub cohort: Vec<String>,
    /// How boxes marked partly done or unclear (`[~]`, `[?]`, ...) count in checklist rates: as not done (the
    /// default), as done, or skipped (left out of done and total). Rows say it in `partial_as`.
    #[arg(long, value_enum, default_value = "not-done")]
    pub partial_as: PartialTicks,
    /// One JSON object per row (JSON Lines).
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// CSV with a header line.
    #[arg(long)]
    pub csv: bool,
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
}

/// Computes the statistic asked for.
pub fn compute(what: &What) -> anyhow::Result<DataFrame> {
    let common = match what {
        What::Checklist { common, .. } | What::Facts { common, .. } => common,
    };
    let generation = IndexDir::new(&common.index).require_current()?;
    let scope = Scope { cohorts: common.cohort.clone(), partial: common.partial_as };
    Ok(match what {
        What::Checklist { by, .. } => {
            let checklist = frames::read(&generation, frames::CHECKLIST)?;
            checklist_completion(&checklist, by, &scope)?
        }
        What::Facts { by_cohort, .. } => {
            let reports = frames::read(&generation, frames::REPORTS)?;
            facts_summary(&reports, *by_cohort, &scope)?
        }
    })
}

pub fn print(df: &mut DataFrame, json: bool, csv: bool) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if json {
        for row in json_rows(df) {
            serde_json::to_writer(&mut out, &row)?;
            writeln!(out)?;
        }
    } else if csv {
        CsvWriter::new(&mut out).include_header(true).finish(df)?;
    } else {
        table_of(df).print(&mut out)?;
    }
    out.flush()?;
    Ok(())
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut df = compute(&args.what)?;
    let common = match &args.what {
        What::Checklist { common, .. } | What::Facts { common, .. } => common,
    };
    print(&mut df, common.json, common.csv)?;
    Ok(ExitCode::SUCCESS)
}
