//! `cohort show GROUP [--cohort LABEL...] [--question KEY] [--json|--csv] [--explain]`: one group's whole profile
//! (members, facts each with the sentence it was read from, ticks, answers, warnings, unsupported claims) and its
//! answers' text with line numbers; or only one question's answer. `--explain` lists every candidate behind each fact.

use super::{ColorArg, FormatArgs, IndexArg};
use cohort::index::check_question;
use cohort::present::answers::{answer_texts, write_answer_texts};
use cohort::present::output::{stdout, Format};
use cohort::present::profile::write_profiles;
use cohort::present::style::Style;
use cohort::Index;
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "--json prints one object per answer (id, cohort, group, question, number, file, question_line, \
answered, lines [{line, text}]); --csv one row per line of an answer (id, cohort, group, question, number, file, \
question_line, answered, line, text). Both leave out the profile.\n\
Exit status: 0 shown, 1 no report of that group or id, 2 on an error (unknown question key or cohort, no index)."
)]
pub struct Args {
    /// Group number, or a report id (as `cohort reports` lists them).
    pub group: String,
    /// Only the reports of these cohorts (when the group number exists in several; repeatable).
    #[arg(long, value_name = "LABEL")]
    pub cohort: Vec<String>,
    /// Only the answer to this question, its text with line numbers (see `cohort keys`).
    #[arg(long, value_name = "KEY")]
    pub question: Option<String>,
    #[command(flatten)]
    pub format: FormatArgs,
    #[command(flatten)]
    pub color: ColorArg,
    /// List every candidate number behind each fact and why it won or lost.
    #[arg(long)]
    pub explain: bool,
    #[command(flatten)]
    pub index: IndexArg,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    check_question(args.question.as_deref())?;
    let index = Index::open(&args.index.index)?;
    index.check_cohorts(&args.cohort)?;
    let found = index.reports_of(&args.group, &args.cohort)?;
    if found.height() == 0 {
        eprintln!("cohort: no report for {:?} in {} (see `cohort reports`)", args.group, index.root().display());
        return Ok(ExitCode::from(1));
    }
    let mut out = stdout();
    let format = args.format.format();
    let style = Style::for_stdout(args.color.color);
    if args.question.is_none() && format == Format::Table {
        write_profiles(&mut out, &index, &found, args.explain, style)?;
        if let Some(verdicts) = cohort::verify::frame::stored(&index)? {
            let ids: Vec<String> = found.column("id")?.str()?.iter().flatten().map(str::to_string).collect();
            cohort::present::verify::write_unsupported(&mut out, &verdicts, &ids, style)?;
        }
        writeln!(out, "{}\n", style.heading("answers' text (line numbers in the report file):"))?;
    }
    let answers = answer_texts(&index, &found, args.question.as_deref())?;
    write_answer_texts(&mut out, &answers, format, style)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
