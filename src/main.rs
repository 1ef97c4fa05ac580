//! The `cohort` command: parses arguments and reports errors; the work lives in `cohort::cmd`.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cohort::cmd::Cli::parse();
    match cohort::cmd::run(cli) {
        Ok(code) => code,
        // A reader that stopped reading (`cohort parse ... | head`) is not an error worth a message.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cohort: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == BrokenPipe)
            || c.downcast_ref::<serde_json::Error>().is_some_and(|j| j.io_error_kind() == Some(BrokenPipe))
    })
}
