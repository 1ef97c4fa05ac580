//! `cohort plot KIND --out FILE.svg|FILE.png`: figures of checklist completion and facts, from the frames (the
//! data is computed in [`cohort::figures`], drawn by [`cohort::present::plot`]).

use super::{enum_arg, IndexArg};
use cohort::domain::ExchangeRates;
use cohort::figures::{draw, Drawn, FigureRequest, PlotBy, PlotKind};
use cohort::present::plot::Size;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// What to draw.
    #[arg(value_parser = enum_arg::<PlotKind>())]
    pub kind: PlotKind,
    /// One series per cohort (default), or none: every report pooled.
    #[arg(long, value_parser = enum_arg::<PlotBy>(), default_value = "cohort")]
    pub by: PlotBy,
    /// Only these cohorts (repeatable).
    #[arg(long, value_name = "LABEL")]
    pub cohort: Vec<String>,
    /// The figure to write; the extension picks the format: .svg or .png.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: PathBuf,
    /// Size in pixels, WIDTHxHEIGHT (default: fitted to the content, e.g. one row per checklist item).
    #[arg(long, value_name = "WxH")]
    pub size: Option<Size>,
    /// Exchange rate for credits stated in Danish kroner: US dollars per krone.
    #[arg(long, value_name = "RATE", default_value_t = ExchangeRates::default().usd_per_dkk)]
    pub usd_per_dkk: f64,
    /// Exchange rate for credits stated in euros: US dollars per euro.
    #[arg(long, value_name = "RATE", default_value_t = ExchangeRates::default().usd_per_eur)]
    pub usd_per_eur: f64,
    #[command(flatten)]
    pub index: IndexArg,
}

/// The line `cohort plot` prints for a figure written.
pub fn wrote(d: &Drawn) -> String {
    let reports = cohort::present::style::count(usize::try_from(d.reports).unwrap_or(usize::MAX), "report", "reports");
    format!("wrote {} ({} {}, {reports}) in {:.2} s", d.out.display(), d.size, d.format, d.seconds)
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let req = FigureRequest {
        kind: args.kind,
        by: args.by,
        cohorts: args.cohort,
        rates: ExchangeRates { usd_per_dkk: args.usd_per_dkk, usd_per_eur: args.usd_per_eur },
    };
    let index = cohort::Index::open(&args.index.index)?;
    index.check_cohorts(&req.cohorts)?;
    eprintln!("{}", wrote(&draw(&args.index.index, &req, &args.out, args.size)?));
    Ok(ExitCode::SUCCESS)
}
