//! `cohort reports [--json]`: what is in the index.

use super::IndexArg;
use cohort::present::listing::write_reports;
use cohort::present::output::{stdout, Format};
use cohort::Index;
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The same JSON objects as `cohort parse --json`, one per line.
    #[arg(long)]
    pub json: bool,
    /// Only this cohort.
    #[arg(long)]
    pub cohort: Option<String>,
    #[command(flatten)]
    pub index: IndexArg,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let df = Index::open(&args.index.index)?.reports(args.cohort.as_deref())?;
    let mut out = stdout();
    write_reports(&mut out, &df, if args.json { Format::JsonLines } else { Format::Table })?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
