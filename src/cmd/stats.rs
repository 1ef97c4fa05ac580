//! `cohort stats checklist [--by item|week|module|cohort]...` and `cohort stats facts [--by-cohort]`: polars
//! queries over the frames, printed as a table, JSON Lines or CSV.

use super::{enum_arg, FormatArgs, IndexArg};
use cohort::index::Statistic;
use cohort::present::output::{stdout, write_frame};
use cohort::store::frames::{ChecklistBy, PartialTicks, Scope};
use cohort::Index;
use std::io::Write;
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
        #[arg(long, value_parser = enum_arg::<ChecklistBy>(), value_delimiter = ',', default_value = "item")]
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
    #[arg(long, value_parser = enum_arg::<PartialTicks>(), default_value = "not-done")]
    pub partial_as: PartialTicks,
    #[command(flatten)]
    pub format: FormatArgs,
    #[command(flatten)]
    pub index: IndexArg,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (statistic, common) = match args.what {
        What::Checklist { by, common } => (Statistic::Checklist { by }, common),
        What::Facts { by_cohort, common } => (Statistic::Facts { by_cohort }, common),
    };
    let scope = Scope { cohorts: common.cohort, partial: common.partial_as };
    let mut df = Index::open(&common.index.index)?.statistic(&statistic, &scope)?;
    let mut out = stdout();
    write_frame(&mut out, &mut df, common.format.format())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
