//! Subcommands, one file each: each turns its arguments into the library's option types, makes one library call
//! and prints. `main.rs` parses arguments into [`Cli`] and calls [`run`]. Flags several commands share are
//! declared once here.

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand};
use cohort::discover::{Limits, DEFAULT_MAX_FILE_BYTES};
use cohort::present::style::ColorChoice;
use cohort::string_enum::StringEnum;
use std::marker::PhantomData;
use std::path::PathBuf;
use std::process::ExitCode;

pub mod check;
pub mod demo;
pub mod dupes;
pub mod export;
pub mod ingest;
pub mod keys;
pub mod parse;
pub mod plot;
pub mod reports;
pub mod run;
pub mod scrape;
pub mod search;
pub mod serve;
pub mod show;
pub mod stats;
pub mod verify;

/// Search, statistics and checks over a cohort of markdown exam reports.
///
/// Start with `cohort demo` to see it work on a generated cohort, then `cohort ingest DIR` on your own reports.
/// Everything runs locally; nothing is sent anywhere.
///
/// Exit status: 0 success; 1 nothing found, for the commands where a script needs to know (search, show, check,
/// dupes: see their --help); 2 an error, said in one sentence on standard error. Data goes to standard output,
/// counts and warnings to standard error.
#[derive(Debug, Parser)]
#[command(name = "cohort", version, about, long_about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate a synthetic cohort, ingest it and tour search, statistics and a group profile.
    Demo(demo::Args),
    /// Read report files or folders and print what was read (no index needed).
    Parse(parse::Args),
    /// Build or update the index (tantivy + Parquet frames) from folders of reports.
    Ingest(ingest::Args),
    /// Search every answer: BM25, "exact phrases", scoped by question, cohort or group.
    Search(search::Args),
    /// Checklist completion rates and fact summaries, as a table, JSON Lines or CSV.
    Stats(stats::Args),
    /// Draw completion or facts as a figure (SVG or PNG).
    Plot(plot::Args),
    /// List the reports in the index.
    Reports(reports::Args),
    /// One group's profile: members, facts, ticks, answers with word counts, warnings.
    Show(show::Args),
    /// Write the frames as Parquet and CSV for notebooks (optionally pseudonymised).
    Export(export::Args),
    /// Run a saved query from queries/*.toml.
    Run(run::Args),
    /// Check every report: word and image counts, broken images, contradicted ticks.
    Check(check::Args),
    /// Near-duplicate answers across groups and years, ranked, with the shared passages side by side.
    Dupes(dupes::Args),
    /// Read-only web pages over an index: search, statistics, groups, duplicates, findings.
    Serve(serve::Args),
    /// Collect every group's report as it stood at the deadline from the repositories in group_info.csv.
    Scrape(scrape::Args),
    /// What each report claims (ticks, stated tests) against its group's repository at the deadline.
    Verify(verify::Args),
    /// List the question keys and checklist ids, per template generation.
    Keys(keys::Args),
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Demo(a) => demo::run(a),
        Command::Parse(a) => parse::run(a),
        Command::Ingest(a) => ingest::run(a),
        Command::Search(a) => search::run(a),
        Command::Stats(a) => stats::run(a),
        Command::Plot(a) => plot::run(a),
        Command::Reports(a) => reports::run(a),
        Command::Show(a) => show::run(a),
        Command::Export(a) => export::run(a),
        Command::Run(a) => run::run(a),
        Command::Check(a) => check::run(a),
        Command::Dupes(a) => dupes::run(a),
        Command::Scrape(a) => scrape::run(a),
        Command::Verify(a) => verify::run(a),
        Command::Keys(a) => keys::run(a),
        Command::Serve(a) => serve::run(a),
    }
}

/// `--index DIR`, for the commands that read an index.
#[derive(Debug, Clone, clap::Args)]
pub struct IndexArg {
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
}

/// `--json` / `--csv`, for the commands that print rows.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct FormatArgs {
    /// One JSON object per row (JSON Lines).
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// CSV with a header line.
    #[arg(long)]
    pub csv: bool,
}

impl FormatArgs {
    pub fn format(self) -> cohort::present::output::Format {
        cohort::present::output::Format::from_flags(self.json, self.csv)
    }
}

/// `--color WHEN`, for the commands that print text a terminal can colour.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct ColorArg {
    /// Colour the output: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_name = "WHEN", default_value = "auto", value_parser = parse_color)]
    pub color: ColorChoice,
}

fn parse_color(s: &str) -> Result<ColorChoice, String> {
    match s {
        "auto" => Ok(ColorChoice::Auto),
        "always" => Ok(ColorChoice::Always),
        "never" => Ok(ColorChoice::Never),
        _ => Err("one of auto, always, never".into()),
    }
}

/// `--max-file-mb N`, for the commands that read report files.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct ReadLimitArg {
    /// Skip report files larger than this many megabytes.
    #[arg(long, default_value_t = DEFAULT_MAX_FILE_BYTES / 1_000_000)]
    pub max_file_mb: u64,
}

impl ReadLimitArg {
    pub fn limits(self) -> Limits {
        Limits { max_file_bytes: self.max_file_mb.saturating_mul(1_000_000) }
    }
}

/// The value parser of a library string enum: its names are the possible values, its doc comments their help.
pub fn enum_arg<T: StringEnum + Clone>() -> EnumArg<T> {
    EnumArg(PhantomData)
}

#[derive(Debug, Clone, Copy)]
pub struct EnumArg<T>(PhantomData<T>);

impl<T: StringEnum + Clone> TypedValueParser for EnumArg<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        let names = T::all().iter().map(|v| PossibleValue::new(v.as_str()));
        let name = PossibleValuesParser::new(names).parse_ref(cmd, arg, value)?;
        T::from_name(&name).ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidValue).with_cmd(cmd))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(T::all().iter().map(|v| {
            // As clap shows doc comments: without the summary's final period.
            let help = v.help().strip_suffix('.').unwrap_or(v.help());
            let value = PossibleValue::new(v.as_str());
            if help.is_empty() {
                value
            } else {
                value.help(help)
            }
        })))
    }
}
