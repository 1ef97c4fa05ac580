//! `cohort show GROUP [--cohort LABEL] [--explain]`: one group's whole profile: members, facts (each with the
//! sentence it was read from), ticks, answers, warnings; with `--explain`, every candidate behind each fact.

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
    /// List every candidate number behind each fact and why it won or lost.
    #[arg(long)]
    pub explain: bool,
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
    write_profiles(&mut out, &index, &found, args.explain)?;
    if let Some(verdicts) = cohort::verify::frame::stored(&index)? {
        let ids: Vec<String> = found.column("id")?.str()?.iter().flatten().map(str::to_string).collect();
        cohort::present::verify::write_unsupported(&mut out, &verdicts, &ids)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
