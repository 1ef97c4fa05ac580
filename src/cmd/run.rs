//! `cohort run queries/NAME.toml`: a saved query (a search or a statistic with its options).
//!
//! ```toml
//! description = "Checklist completion per week, cohorts side by side"
//! kind = "checklist"          # checklist | facts | search
//! by = ["week", "cohort"]     # checklist: item | week | module | cohort
//! cohort = ["2025", "2026"]   # optional
//! ```
//! A search takes `query`, and optionally `question`, `cohort` (one), `group` and `limit`.

use super::{search, stats};
use crate::store::frames::ChecklistBy;
use anyhow::Context;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The saved query file.
    pub file: PathBuf,
    /// JSON Lines instead of a table.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// CSV (statistics only).
    #[arg(long)]
    pub csv: bool,
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Checklist,
    Facts,
    Search,
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
    Ok(q)
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let q = load(&args.file)?;
    if let Some(d) = &q.description {
        if !args.json && !args.csv {
            eprintln!("{d}");
        }
    }
    let common = stats::Common { cohort: q.cohort.clone(), json: args.json, csv: args.csv, index: args.index.clone() };
    match q.kind {
        Kind::Checklist => {
            let by = if q.by.is_empty() { vec![ChecklistBy::Item] } else { q.by.clone() };
            stats::run(stats::Args { what: stats::What::Checklist { by, common } })
        }
        Kind::Facts => stats::run(stats::Args { what: stats::What::Facts { by_cohort: q.by_cohort, common } }),
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
