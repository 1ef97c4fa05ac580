//! `cohort run queries/NAME.toml`: a saved query (a search, a statistic or a figure with its options; the format
//! is described in [`cohort::query`]).

use super::{ColorArg, FormatArgs, IndexArg};
use cohort::figures::draw;
use cohort::index::check_question;
use cohort::present::listing::{hits_summary, write_hits};
use cohort::present::output::{stdout, write_frame, Format};
use cohort::present::style::Style;
use cohort::query::{Action, SavedQuery};
use cohort::Index;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "A statistic prints as a table, JSON Lines (--json) or CSV (--csv); a search as a list or JSON \
    Lines; a plot query writes its figure and prints one line about it (a JSON object with --json)."
)]
pub struct Args {
    /// The saved query file.
    pub file: PathBuf,
    #[command(flatten)]
    pub format: FormatArgs,
    /// Where a plot query writes its figure (.svg or .png), instead of the `out` of its [plot] table.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub color: ColorArg,
    #[command(flatten)]
    pub index: IndexArg,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let q = SavedQuery::load(&args.file)?;
    let format = args.format.format();
    let style = Style::for_stdout(args.color.color);
    if let Some(d) = &q.description {
        if format == Format::Table {
            eprintln!("{d}");
        }
    }
    let file = args.file.display();
    let mut out = stdout();
    match q.action() {
        Action::Statistic { statistic, scope } => {
            let mut df = Index::open(&args.index.index)?.statistic(&statistic, &scope)?;
            write_frame(&mut out, &mut df, format, style)?;
        }
        Action::Search(req) => {
            check_question(req.question.as_deref())?;
            let results = Index::open(&args.index.index)?.search(&req)?;
            write_hits(&mut out, &results, format, style)?;
            out.flush()?;
            eprintln!("{}", hits_summary(&req.query, &results));
        }
        Action::Plot { request, out: spec_out, size } => {
            if args.format.csv {
                anyhow::bail!(
                    "{file}: a plot query writes a figure; --csv does not apply (--json describes the figure)"
                );
            }
            let Some(path) = args.out.or(spec_out) else {
                anyhow::bail!("{file}: say where the figure goes: `out = \"FILE.svg\"` in [plot], or --out FILE");
            };
            let drawn = draw(&args.index.index, &request, &path, size)?;
            if args.format.json {
                writeln!(out, "{}", drawn.json())?;
            } else {
                eprintln!("{}", super::plot::wrote(&drawn));
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
