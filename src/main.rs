//! The `cohort` command: parses arguments and reports errors; the work lives in `cohort::cmd`.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cohort::cmd::Cli::parse();
    match cohort::cmd::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("cohort: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
