//! `cohort show GROUP [--cohort LABEL]`: one group's whole profile: members, facts, ticks, answers, warnings.

use super::IndexArg;
use cohort::present::output::stdout;
use cohort::present::profile::write_profiles;
use cohort::Index;
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Group number, or a report id (as `cohort reports` lists them).
    pub group: String,
    /// Only the report of this cohort (when the group number exists in several).
    #[arg(long)]
    pub cohort: Option<String>,
    #[command(flatten)]
    pub index: IndexArg,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let index = Index::open(&args.index.index)?;
    let found = index.reports_of(&args.group, args.cohort.as_deref())?;
    if found.height() == 0 {
        eprintln!("cohort: no report for {:?} in {} (see `cohort reports`)", args.group, index.root().display());
        return Ok(ExitCode::from(1));
    }
    let mut out = stdout();
    write_profiles(&mut out, &index, &found)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
