//! `cohort stats checklist [--by item|week|module|cohort]... [--pivot BY]` and `cohort stats facts [--by cohort]`: polars
//! queries over the frames, printed as a table, JSON Lines or CSV.

use super::{enum_arg, ColorArg, FormatArgs, IndexArg};
use cohort::index::Statistic;
use cohort::present::output::{stdout, write_frame};
use cohort::present::style::Style;
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
        /// Spread these values into columns: `--by item --pivot cohort` is a table of items × cohorts.
        #[arg(long, value_parser = enum_arg::<ChecklistBy>(), value_name = "BY")]
        pivot: Option<ChecklistBy>,
        #[command(flatten)]
        common: Common,
    },
    /// Number of tests, coverage and credits (in USD): n, mean, sum, median, min, max.
    Facts {
        /// `--by cohort`: one row per fact and cohort.
        #[arg(long, value_parser = ["cohort"], value_name = "cohort")]
        by: Option<String>,
        /// The same as --by cohort (kept for scripts).
        #[arg(long, hide = true)]
        by_cohort: bool,
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Debug, Clone, clap::Args)]
pub struct Common {
    /// Only these cohorts (repeatable).
    #[arg(long, value_name = "LABEL")]
    pub cohort: Vec<String>,
    /// How boxes marked partly done or unclear (`[~]`, `[?]`, ...) count in checklist rates: as not done (the
    /// default), as done, or skipped (left out of done and total). Rows say it in `partial_as`.
    #[arg(long, value_parser = enum_arg::<PartialTicks>(), default_value = "not-done")]
    pub partial_as: PartialTicks,
    #[command(flatten)]
    pub format: FormatArgs,
    #[command(flatten)]
    pub color: ColorArg,
    #[command(flatten)]
    pub index: IndexArg,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (statistic, common) = match args.what {
        What::Checklist { by, pivot: Some(columns), common } => {
            (Statistic::ChecklistPivot { rows: by.into_iter().filter(|b| *b != columns).collect(), columns }, common)
        }
        What::Checklist { by, pivot: None, common } => (Statistic::Checklist { by }, common),
        What::Facts { by, by_cohort, common } => (Statistic::Facts { by_cohort: by_cohort || by.is_some() }, common),
    };
    let index = Index::open(&common.index.index)?;
    index.check_cohorts(&common.cohort)?;
    let scope = Scope { cohorts: common.cohort, partial: common.partial_as };
    let mut df = index.statistic(&statistic, &scope)?;
    let mut out = stdout();
    write_frame(&mut out, &mut df, common.format.format(), Style::for_stdout(common.color.color))?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
