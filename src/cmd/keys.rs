//! `cohort keys [questions|checklist] [--json|--csv]`: the question keys and checklist ids, per template generation.

use super::{ColorArg, FormatArgs};
use cohort::present::csv::write_table;
use cohort::present::keys::{checklist_keys, checklist_table, question_keys, question_table};
use cohort::present::output::{stdout, write_json_lines, Format};
use cohort::present::style::Style;
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Which list: questions, checklist, or both (the default; --csv needs one).
    #[arg(value_parser = ["questions", "checklist"])]
    pub which: Option<String>,
    #[command(flatten)]
    pub format: FormatArgs,
    #[command(flatten)]
    pub color: ColorArg,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let format = args.format.format();
    let style = Style::for_stdout(args.color.color);
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
        Format::Csv if questions => write_table(&mut out, &question_table())?,
        Format::Csv => write_table(&mut out, &checklist_table())?,
        Format::Table => {
            if questions {
                let title = "Question keys (for --question, question:KEY, and the `question` field of JSON output):";
                writeln!(out, "{}\n", style.heading(title))?;
                question_table().print_styled(&mut out, style)?;
            }
            if questions && checklist {
                writeln!(out)?;
            }
            if checklist {
                let title =
                    "Checklist ids (the `item` of `stats checklist`), with each item's place in each generation:";
                writeln!(out, "{}\n", style.heading(title))?;
                checklist_table().print_styled(&mut out, style)?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
