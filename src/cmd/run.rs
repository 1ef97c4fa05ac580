//! `cohort run queries/NAME.toml`: a saved query (a search or a statistic with its options).
//!
//! ```toml
//! description = "Checklist completion per week, cohorts side by side"
//! kind = "checklist"          # checklist | facts | search
//! by = ["week", "cohort"]     # checklist: item | week | module | cohort
//! cohort = ["2025", "2026"]   # optional
//! ```
//! A search takes `query`, and optionally `question`, `cohort` (one), `group` and `limit`.
//!
//! A plot (`kind = "plot"`) describes its figure in a `[plot]` table, with the options of `cohort plot`; `out`
//! is relative to the folder `cohort run` is started in, and `cohort run --out FILE` overrides it:
//! ```toml
//! description = "Checklist completion per item, cohorts side by side"
//! kind = "plot"
//! [plot]
//! kind = "checklist"          # checklist | heatmap | facts | weeks | modules
//! by = "cohort"               # cohort | none
//! out = "completion-by-item.svg"
//! size = "1600x1800"          # optional; usd_per_dkk and usd_per_eur too
//! ```

use super::{plot, search, stats};
use crate::store::frames::ChecklistBy;
use anyhow::Context;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The saved query file.
    pub file: PathBuf,
    /// JSON Lines instead of a table (a plot query: one line describing the figure written).
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// CSV (statistics only).
    #[arg(long)]
    pub csv: bool,
    /// Where a plot query writes its figure (.svg or .png), instead of the `out` of its [plot] table.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
}

/// A saved query as written in its TOML file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedQuery {
    pub description: Option<String>,
    pub kind: Kind,
    #[serde(default)]
    pub by: Vec<ChecklistBy>,
    #[serde(default)]
    pub by_cohort: bool,
    #[serde(default)]
    pub cohort: Vec<String>,
    pub query: Option<String>,
    pub question: Option<String>,
    pub group: Option<u32>,
    pub limit: Option<usize>,
    /// The figure of a `kind = "plot"` query.
    pub plot: Option<plot::PlotSpec>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Checklist,
    Facts,
    Search,
    Plot,
}

/// Reads and checks a saved query.
pub fn load(path: &Path) -> anyhow::Result<SavedQuery> {
    let text = std::fs::read_to_string(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let q: SavedQuery = toml::from_str(&text).with_context(|| format!("{}: not a valid saved query", path.display()))?;
    if q.kind == Kind::Search && q.query.as_deref().map_or(true, str::is_empty) {
        anyhow::bail!("{}: a search needs `query = \"...\"`", path.display());
    }
    if q.kind == Kind::Search && q.cohort.len() > 1 {
        anyhow::bail!("{}: a search takes one cohort", path.display());
    }
    if q.kind == Kind::Plot && q.plot.is_none() {
        anyhow::bail!("{}: a plot query needs a [plot] table, e.g. `[plot]` then `kind = \"checklist\"`", path.display());
    }
    if q.kind != Kind::Plot && q.plot.is_some() {
        anyhow::bail!("{}: a [plot] table belongs to `kind = \"plot\"` only", path.display());
    }
    Ok(q)
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let q = load(&args.file)?;
    if let Some(d) = &q.description {
        if !args.json && !args.csv {
            eprintln!("{d}");
        }
    }
    let common = stats::Common {
        cohort: q.cohort.clone(),
        json: args.json,
        csv: args.csv,
        index: args.index.clone(),
        partial_as: Default::default(),
    };
    match q.kind {
        Kind::Checklist => {
            let by = if q.by.is_empty() { vec![ChecklistBy::Item] } else { q.by.clone() };
            stats::run(stats::Args { what: stats::What::Checklist { by, common } })
        }
        Kind::Facts => stats::run(stats::Args { what: stats::What::Facts { by_cohort: q.by_cohort, common } }),
        Kind::Plot => {
            let Some(spec) = q.plot.clone() else {
                anyhow::bail!("{}: a plot query needs a [plot] table", args.file.display());
            };
            if args.csv {
                anyhow::bail!("{}: a plot query writes a figure; --csv does not apply (--json describes the figure)", args.file.display());
            }
            let Some(out) = args.out.clone().or(spec.out.clone()) else {
                anyhow::bail!("{}: say where the figure goes: `out = \"FILE.svg\"` in [plot], or --out FILE", args.file.display());
            };
            let defaults = crate::domain::ExchangeRates::default();
            let plot_args = plot::Args {
                kind: spec.kind,
                by: spec.by,
                cohort: q.cohort.clone(),
                out,
                size: spec.size,
                usd_per_dkk: spec.usd_per_dkk.unwrap_or(defaults.usd_per_dkk),
                usd_per_eur: spec.usd_per_eur.unwrap_or(defaults.usd_per_eur),
                index: args.index,
            };
            if args.json {
                println!("{}", plot::draw(&plot_args)?.json());
                Ok(ExitCode::SUCCESS)
            } else {
                plot::run(plot_args)
            }
        }
        Kind::Search => search::run(search::Args {
            query: q.query.clone().unwrap_or_default(),
            question: q.question.clone(),
            cohort: q.cohort.first().cloned(),
            group: q.group,
            limit: q.limit.unwrap_or(20),
            json: args.json,
            index: args.index,
        }),
    }
}
