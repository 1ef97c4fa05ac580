//! `cohort keys [questions|checklist] [--json|--csv]`: the question keys and checklist ids, per template generation.

use super::FormatArgs;
use cohort::present::keys::{checklist_keys, checklist_table, question_keys, question_table};
use cohort::present::output::{stdout, write_json_lines, Format};
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Which list: questions, checklist, or both (the default; --csv needs one).
    #[arg(value_parser = ["questions", "checklist"])]
    pub which: Option<String>,
    #[command(flatten)]
    pub format: FormatArgs,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let format = args.format.format();
    let which = args.which.as_deref();
    if format == Format::Csv && which.is_none() {
        anyhow::bail!(
            "--csv writes one table: say which, `cohort keys questions --csv` or `cohort keys checklist --csv`"
        );
    }
    let mut out = stdout();
    let (questions, checklist) = (which != Some("checklist"), which != Some("questions"));
    match format {
        Format::JsonLines => {
            if questions {
                write_json_lines(&mut out, question_keys())?;
            }
            if checklist {
                write_json_lines(&mut out, checklist_keys())?;
            }
        }
        Format::Csv if questions => question_table().print_csv(&mut out)?,
        Format::Csv => checklist_table().print_csv(&mut out)?,
        Format::Table => {
            if questions {
                writeln!(
                    out,
                    "Question keys (for --question, question:KEY, and the `question` field of JSON output):\n"
                )?;
                question_table().print(&mut out)?;
            }
            if questions && checklist {
                writeln!(out)?;
            }
            if checklist {
                writeln!(
                    out,
                    "Checklist ids (the `item` of `stats checklist`), with each item's place in each generation:\n"
                )?;
                checklist_table().print(&mut out)?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
