//! `cohort reports [--json|--csv] [--cohort LABEL...]`: what is in the index.

use super::{ColorArg, FormatArgs, IndexArg};
use cohort::present::listing::write_reports;
use cohort::present::output::stdout;
use cohort::Index;
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub format: FormatArgs,
    /// Only these cohorts (repeatable).
    #[arg(long, value_name = "LABEL")]
    pub cohort: Vec<String>,
    #[command(flatten)]
    pub color: ColorArg,
    #[command(flatten)]
    pub index: IndexArg,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let index = Index::open(&args.index.index)?;
    index.check_cohorts(&args.cohort)?;
    let df = index.reports(&args.cohort)?;
    let mut out = stdout();
    write_reports(&mut out, &df, args.format.format(), cohort::present::style::Style::for_stdout(args.color.color))?;
    out.flush()?;
    eprintln!("{}", cohort::present::style::count(df.height(), "report", "reports"));
    Ok(ExitCode::SUCCESS)
}
