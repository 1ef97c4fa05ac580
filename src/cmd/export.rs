//! `cohort export [--out notebooks-data/] [--pseudonymise]`: the three frames as Parquet and CSV.

use super::IndexArg;
use cohort::Index;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder to write reports/checklist/answers .parquet and .csv into.
    #[arg(long, default_value = "notebooks-data")]
    pub out: PathBuf,
    /// Replace student numbers, report ids (user names), branch names and e-mail addresses with stable
    /// pseudonyms in every column, and withhold quoted commit subjects.
    #[arg(long)]
    pub pseudonymise: bool,
    #[command(flatten)]
    pub index: IndexArg,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let index = Index::open(&args.index.index)?;
    for e in index.export(&args.out, args.pseudonymise)? {
        let rows = cohort::present::style::count(e.rows, "row", "rows");
        eprintln!("wrote {}/{}.parquet and .csv ({rows})", args.out.display(), e.name);
    }
    if args.pseudonymise {
        eprintln!(
            "student numbers, report ids, branch names and e-mail addresses replaced with pseudonyms (key kept in \
             {}/pseudonym.key)",
            index.root().display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
