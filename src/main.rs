//! The `cohort` command: parses arguments and reports errors; each subcommand (`cmd/`) turns its arguments into
//! the library's option types, makes one library call and prints.

mod cmd;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cmd::Cli::parse();
    match cmd::run(cli) {
        Ok(code) => code,
        // A reader that stopped reading (`cohort parse ... | head`) is not an error worth a message.
        Err(e) if cohort::present::output::is_broken_pipe(e.as_ref()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cohort: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
