//! Saved queries (`queries/NAME.toml`, run by `cohort run`): a search, a statistic or a figure with its options.
//!
//! ```toml
//! description = "Checklist completion per week, cohorts side by side"
//! kind = "checklist"          # checklist | facts | search | plot
//! by = ["week", "cohort"]     # checklist: item | week | module | cohort; facts: cohort (as `--by`)
//! cohort = ["2025", "2026"]   # optional
//! ```
//! A search takes `query`, and optionally `question`, `cohort`, `group` and `limit`.
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

use crate::domain::ExchangeRates;
use crate::figures::{FigureRequest, PlotSpec};
use crate::index::Statistic;
use crate::present::plot::Size;
use crate::store::frames::{ChecklistBy, Scope};
use crate::store::text_index::SearchRequest;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// How many answers a search lists when it does not say.
pub const DEFAULT_SEARCH_LIMIT: usize = 20;

crate::string_enum! {
    /// What a saved query runs.
    pub QueryKind { Checklist = "checklist", Facts = "facts", Search = "search", Plot = "plot" }
}

/// A saved query as written in its TOML file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedQuery {
    pub description: Option<String>,
    pub kind: QueryKind,
    #[serde(default)]
    pub by: Vec<ChecklistBy>,
    /// The same as `by = ["cohort"]` for facts (kept for the files written before facts took `by`).
    #[serde(default)]
    pub by_cohort: bool,
    #[serde(default)]
    pub cohort: Vec<String>,
    pub query: Option<String>,
    pub question: Option<String>,
    pub group: Option<u32>,
    pub limit: Option<usize>,
    /// The figure of a `kind = "plot"` query.
    pub plot: Option<PlotSpec>,
}

/// What a saved query asks for, in the library's terms.
#[derive(Debug, Clone)]
pub enum Action {
    Statistic {
        statistic: Statistic,
        scope: Scope,
    },
    Search(SearchRequest),
    /// A figure, written to `out` (when the query names a file) at `size` (when it names one).
    Plot {
        request: FigureRequest,
        out: Option<PathBuf>,
        size: Option<Size>,
    },
}

/// Why a saved query cannot be run.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("{}: cannot read", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{}: not a valid saved query", path.display())]
    Invalid { path: PathBuf, source: toml::de::Error },
    #[error("{}: {reason}", path.display())]
    Incomplete { path: PathBuf, reason: &'static str },
}

impl SavedQuery {
    /// Reads and checks a saved query.
    pub fn load(path: &Path) -> Result<SavedQuery, QueryError> {
        let text = std::fs::read_to_string(path).map_err(|source| QueryError::Read { path: path.into(), source })?;
        let q: SavedQuery =
            toml::from_str(&text).map_err(|source| QueryError::Invalid { path: path.into(), source })?;
        let incomplete = |reason| Err(QueryError::Incomplete { path: path.into(), reason });
        if q.kind == QueryKind::Search && q.query.as_deref().map_or(true, str::is_empty) {
            return incomplete("a search needs `query = \"...\"`");
        }
        if q.kind == QueryKind::Plot && q.plot.is_none() {
            return incomplete("a plot query needs a [plot] table, e.g. `[plot]` then `kind = \"checklist\"`");
        }
        if q.kind == QueryKind::Facts && q.by.iter().any(|b| *b != ChecklistBy::Cohort) {
            return incomplete("facts are summarised per cohort or not at all: `by = [\"cohort\"]` or no `by`");
        }
        if q.kind != QueryKind::Plot && q.plot.is_some() {
            return incomplete("a [plot] table belongs to `kind = \"plot\"` only");
        }
        Ok(q)
    }

    /// What the query asks for (defaults filled in: completion per item, 20 answers).
    pub fn action(&self) -> Action {
        let scope = Scope { cohorts: self.cohort.clone(), ..Scope::default() };
        match (self.kind, &self.plot) {
            (QueryKind::Checklist, _) => {
                let by = if self.by.is_empty() { vec![ChecklistBy::Item] } else { self.by.clone() };
                Action::Statistic { statistic: Statistic::Checklist { by }, scope }
            }
            (QueryKind::Facts, _) => {
                let by_cohort = self.by_cohort || self.by.contains(&ChecklistBy::Cohort);
                Action::Statistic { statistic: Statistic::Facts { by_cohort }, scope }
            }
            (QueryKind::Search, _) => Action::Search(SearchRequest {
                query: self.query.clone().unwrap_or_default(),
                question: self.question.clone(),
                cohorts: self.cohort.clone(),
                group: self.group,
                limit: self.limit.unwrap_or(DEFAULT_SEARCH_LIMIT),
            }),
            (QueryKind::Plot, spec) => {
                let defaults = ExchangeRates::default();
                let spec = spec.clone().unwrap_or_else(|| PlotSpec {
                    kind: crate::figures::PlotKind::Checklist,
                    by: Default::default(),
                    out: None,
                    size: None,
                    usd_per_dkk: None,
                    usd_per_eur: None,
                });
                let request = FigureRequest {
                    kind: spec.kind,
                    by: spec.by,
                    cohorts: self.cohort.clone(),
                    rates: ExchangeRates {
                        usd_per_dkk: spec.usd_per_dkk.unwrap_or(defaults.usd_per_dkk),
                        usd_per_eur: spec.usd_per_eur.unwrap_or(defaults.usd_per_eur),
                    },
                };
                Action::Plot { request, out: spec.out, size: spec.size }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<SavedQuery, QueryError> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("q.toml");
        std::fs::write(&path, text).expect("write");
        SavedQuery::load(&path)
    }

    #[test]
    fn defaults_are_filled_in() {
        let q = load("kind = \"checklist\"\ncohort = [\"2025\"]").expect("valid");
        match q.action() {
            Action::Statistic { statistic, scope } => {
                assert_eq!(statistic, Statistic::Checklist { by: vec![ChecklistBy::Item] });
                assert_eq!(scope.cohorts, ["2025"]);
            }
            other => panic!("{other:?}"),
        }
        let q = load("kind = \"search\"\nquery = \"locust\"").expect("valid");
        let Action::Search(req) = q.action() else { panic!("a search") };
        assert_eq!((req.query.as_str(), req.limit), ("locust", DEFAULT_SEARCH_LIMIT));
    }

    #[test]
    fn incomplete_queries_say_what_is_missing() {
        for (text, says) in [
            ("kind = \"search\"", "needs `query"),
            ("kind = \"plot\"", "[plot] table"),
            ("kind = \"facts\"\n[plot]\nkind = \"facts\"", "belongs to"),
        ] {
            let e = load(text).expect_err(text);
            assert!(e.to_string().contains(says), "{text}: {e}");
        }
        // A search may name several cohorts, as `cohort search --cohort A --cohort B` does.
        let q = load("kind = \"search\"\nquery = \"x\"\ncohort = [\"a\", \"b\"]").expect("several cohorts");
        let Action::Search(req) = q.action() else { panic!("a search") };
        assert_eq!(req.cohorts, ["a", "b"]);
        let e = load("kind = \"pie\"").expect_err("unknown kind");
        assert!(matches!(e, QueryError::Invalid { .. }), "{e:?}");
    }
}
