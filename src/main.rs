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
            eprintln!("cohort: error: {}", one_sentence(&e));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes in one line, leaving out a cause whose text the message before it already says
/// (`path: Not a directory (os error 20)` once, not twice).
fn one_sentence(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if !out.contains(&text) {
            if !out.is_empty() {
                out.push_str(": ");
            }
            out.push_str(&text);
        }
    }
    out
}
