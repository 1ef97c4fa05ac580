//! Figure data: checklist completion and facts as the plain structs [`crate::present::plot`] draws, computed from
//! the frames with the polars queries of [`crate::store::frames`]. Kinds:
//! - `checklist`: completion per canonical item (horizontal bars, template order, coloured by week; one bar per
//!   cohort side by side when there are several);
//! - `heatmap`: groups × items, done / not done / not in the report's checklist, groups sorted by completion;
//! - `facts`: tests, coverage and credits (in USD at stated rates), a dot per report, the median marked;
//! - `weeks`, `modules`: completion per checklist week or course module, cohorts side by side.

use crate::domain::template::{checklist_item, CHECKLIST};
use crate::domain::{ChecklistId, ExchangeRates, Week};
use crate::index::Index;
use crate::present::plot::{
    coverage_line, week_name, Cell, FactPanel, FactStrips, Figure, Format, GroupRates, Header, Heatmap, HeatmapBlock,
    HeatmapColumn, ItemRates, ItemRow, PlotError, Rate, Size, StripRow,
};
use crate::store::frames::{
    checklist_completion, checklist_ticks, fact_values, facts_summary, report_completion, report_counts, ChecklistBy,
    Scope,
};
use crate::store::StoreError;
use polars::prelude::{DataFrame, DataType, PolarsError, PolarsResult};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

crate::string_enum! {
    /// What to draw.
    pub PlotKind {
        /// Completion rate per checklist item, in template order, coloured by week.
        Checklist = "checklist",
        /// Groups × items: done, not done, not in the report's checklist; groups sorted by completion.
        Heatmap = "heatmap",
        /// Tests, coverage and credits (USD): a dot per report, the median marked.
        Facts = "facts",
        /// Completion rate per checklist week.
        Weeks = "weeks",
        /// Completion rate per course module.
        Modules = "modules",
        /// Per decidable item: ticks the repository supports, ticks it does not, evidence without a tick (needs
        /// `cohort ingest --repos`).
        Verify = "verify",
    }
}

crate::string_enum! {
    /// How reports are split into series.
    pub PlotBy {
        /// One series per cohort, side by side (bars, heatmap blocks, strips).
        Cohort = "cohort",
        /// Every report in one series.
        None = "none",
    }
}

// Not derivable: `string_enum!` declares the enum, and takes no `#[default]` on a variant.
#[allow(clippy::derivable_impls)]
impl Default for PlotBy {
    fn default() -> Self {
        PlotBy::Cohort
    }
}

/// Which figure, of which reports.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureRequest {
    pub kind: PlotKind,
    pub by: PlotBy,
    /// Only these cohorts (all when empty).
    pub cohorts: Vec<String>,
    /// For credits stated in other currencies.
    pub rates: ExchangeRates,
}

impl FigureRequest {
    pub fn new(kind: PlotKind) -> Self {
        FigureRequest { kind, by: PlotBy::default(), cohorts: Vec::new(), rates: ExchangeRates::default() }
    }
}

/// The `[plot]` table of a saved query (`queries/*.toml` with `kind = "plot"`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlotSpec {
    pub kind: PlotKind,
    #[serde(default)]
    pub by: PlotBy,
    /// Relative to the folder `cohort run` is started in; `cohort run --out` overrides it.
    pub out: Option<PathBuf>,
    pub size: Option<Size>,
    pub usd_per_dkk: Option<f64>,
    pub usd_per_eur: Option<f64>,
}

/// Why a figure could not be made.
#[derive(Debug, thiserror::Error)]
pub enum FigureError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Plot(#[from] PlotError),
    #[error("{}: cannot compute the figure's data", path.display())]
    Query { path: PathBuf, source: PolarsError },
    /// A query failed; [`figure`] turns it into [`FigureError::Query`] with the index's path.
    #[error("cannot compute the figure's data")]
    Frames(#[from] PolarsError),
    #[error("{}: no reports to plot{}; the index has cohorts: {}", index.display(),
        if cohorts.is_empty() { String::new() } else { format!(" in cohort {}", cohorts.join(", ")) },
        if known.is_empty() { "none (run `cohort ingest`)".to_string() } else { known.join(", ") })]
    NoReports { index: PathBuf, cohorts: Vec<String>, known: Vec<String> },
    #[error("none of the {reports} reports in scope has a checklist: there is no completion to plot")]
    NoChecklists { reports: u32 },
    #[error("{}: no verdicts in this index: run `cohort ingest DIR --index {} --repos REPOS` first", index.display(), index.display())]
    NoVerdicts { index: PathBuf },
    #[error("{}: the folder {} does not exist: create it first", out.display(), folder.display())]
    NoFolder { out: PathBuf, folder: PathBuf },
}

type Result<T> = std::result::Result<T, FigureError>;

/// A figure's data, with the number of reports it was made of.
#[derive(Debug, Clone)]
pub struct Made {
    pub figure: Figure,
    pub reports: u32,
}

/// Reports in scope per cohort: (cohort, reports, reports with a checklist).
struct Counts(Vec<(String, u32, u32)>);

impl Counts {
    fn reports(&self) -> u32 {
        self.0.iter().map(|c| c.1).sum()
    }
    fn with_checklist(&self) -> u32 {
        self.0.iter().map(|c| c.2).sum()
    }
    fn line(&self) -> String {
        coverage_line(&self.0.iter().map(|(c, n, _)| (c.clone(), *n)).collect::<Vec<_>>())
    }
    /// Series names: the cohorts, or one name for everything.
    fn series(&self, by: PlotBy) -> Vec<String> {
        match by {
            PlotBy::Cohort => self
                .0
                .iter()
                .map(|(c, n, _)| {
                    format!(
                        "{c} ({})",
                        crate::nouns::count(usize::try_from(*n).unwrap_or(usize::MAX), "report", "reports")
                    )
                })
                .collect(),
            PlotBy::None => vec![if self.reports() == 1 {
                "the 1 report".into()
            } else {
                format!("all {} reports", self.reports())
            }],
        }
    }
    /// The series a cohort's rows belong to.
    fn series_of(&self, by: PlotBy) -> HashMap<String, usize> {
        self.0.iter().enumerate().map(|(i, (c, _, _))| (c.clone(), if by == PlotBy::Cohort { i } else { 0 })).collect()
    }
}

fn strs(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<String>>> {
    Ok(df.column(name)?.str()?.iter().map(|v| v.map(str::to_string)).collect())
}

fn u32s(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<u32>>> {
    let col = df.column(name)?.cast(&DataType::UInt32)?;
    Ok(col.u32()?.iter().collect())
}

fn f64s(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<f64>>> {
    let col = df.column(name)?.cast(&DataType::Float64)?;
    Ok(col.f64()?.iter().collect())
}

fn bools(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<bool>>> {
    Ok(df.column(name)?.bool()?.iter().collect())
}

/// Builds the figure's data from an index.
pub fn figure(index: &Index, req: &FigureRequest) -> Result<Made> {
    figure_of(index, req).map_err(|e| match e {
        FigureError::Frames(source) => FigureError::Query { path: index.generation().dir.clone(), source },
        e => e,
    })
}

fn figure_of(index: &Index, req: &FigureRequest) -> Result<Made> {
    let reports = index.reports_frame()?;
    let scope = Scope { cohorts: req.cohorts.clone(), ..Scope::default() };
    let counts_df = report_counts(&reports, &scope)?;
    let counts = Counts(
        strs(&counts_df, "cohort")?
            .into_iter()
            .zip(u32s(&counts_df, "reports")?)
            .zip(u32s(&counts_df, "with_checklist")?)
            .map(|((c, n), k)| (c.unwrap_or_default(), n.unwrap_or(0), k.unwrap_or(0)))
            .collect(),
    );
    if counts.reports() == 0 {
        let all = report_counts(&reports, &Scope::default())?;
        let known: Vec<String> = strs(&all, "cohort")?.into_iter().flatten().collect();
        return Err(FigureError::NoReports { index: index.root().to_path_buf(), cohorts: req.cohorts.clone(), known });
    }
    let by = req.by;
    let figure = match req.kind {
        PlotKind::Checklist => Figure::Checklist(item_rates(&index.checklist_frame()?, &counts, by, &scope)?),
        PlotKind::Verify => Figure::Checklist(verify_rates(index, &reports, &counts, by)?),
        PlotKind::Heatmap => Figure::Heatmap(heatmap(&reports, &index.checklist_frame()?, &counts, by, &scope)?),
        PlotKind::Facts => Figure::Facts(fact_strips(&reports, &req.rates, &counts, by, &scope)?),
        PlotKind::Weeks | PlotKind::Modules => {
            let key = if req.kind == PlotKind::Weeks { ChecklistBy::Week } else { ChecklistBy::Module };
            Figure::Rates(group_rates(&index.checklist_frame()?, key, &counts, by, &scope)?)
        }
    };
    Ok(Made { figure, reports: counts.reports() })
}

fn no_checklists(counts: &Counts) -> Result<()> {
    if counts.with_checklist() == 0 {
        return Err(FigureError::NoChecklists { reports: counts.reports() });
    }
    Ok(())
}

fn item_rates(checklist: &DataFrame, counts: &Counts, by: PlotBy, scope: &Scope) -> Result<ItemRates> {
    no_checklists(counts)?;
    let keys = match by {
        PlotBy::Cohort => vec![ChecklistBy::Item, ChecklistBy::Cohort],
        PlotBy::None => vec![ChecklistBy::Item],
    };
    let df = checklist_completion(checklist, &keys, scope)?;
    let series = counts.series(by);
    let series_of = counts.series_of(by);
    let items = strs(&df, "item")?;
    let cohorts = if by == PlotBy::Cohort { strs(&df, "cohort")? } else { vec![None; df.height()] };
    let mut rates: HashMap<(ChecklistId, usize), Rate> = HashMap::new();
    for (((item, cohort), done), total) in items.iter().zip(&cohorts).zip(u32s(&df, "done")?).zip(u32s(&df, "total")?) {
        let Some(id) = item.as_deref().and_then(ChecklistId::from_name) else {
            continue;
        };
        let s = cohort.as_ref().and_then(|c| series_of.get(c).copied()).unwrap_or(0);
        rates.insert((id, s), Rate { done: done.unwrap_or(0), total: total.unwrap_or(0) });
    }
    let rows: Vec<ItemRow> = CHECKLIST
        .iter()
        .filter(|spec| (0..series.len()).any(|s| rates.contains_key(&(spec.id, s))))
        .map(|spec| ItemRow {
            label: spec.short.to_string(),
            week: spec.latest_week(),
            rates: (0..series.len()).map(|s| rates.get(&(spec.id, s)).copied()).collect(),
        })
        .collect();
    let read = if series.len() > 1 {
        "Bar: share of a cohort's reports whose own checklist has the item that ticked it; no bar: no report of \
         that cohort has the item in its checklist. Items in template order, tinted by week."
    } else {
        "Bar: share of the reports whose own checklist has the item that ticked it (\"72% of 40\": 40 such \
         reports). Items in template order, coloured by week."
    };
    let title =
        if series.len() > 1 { "Checklist completion per item, by cohort" } else { "Checklist completion per item" };
    Ok(ItemRates {
        header: Header {
            title: title.into(),
            lines: vec![format!("{}; {} with a checklist.", counts.line(), counts.with_checklist()), read.into()],
        },
        series,
        items: rows,
        axis_name: None,
    })
}

fn heatmap(reports: &DataFrame, checklist: &DataFrame, counts: &Counts, by: PlotBy, scope: &Scope) -> Result<Heatmap> {
    no_checklists(counts)?;
    let ticks = checklist_ticks(checklist, scope)?;
    let mut done: HashMap<(String, ChecklistId), bool> = HashMap::new();
    let mut present: HashSet<ChecklistId> = HashSet::new();
    for ((id, item), d) in strs(&ticks, "id")?.into_iter().zip(strs(&ticks, "item")?).zip(bools(&ticks, "done")?) {
        let (Some(id), Some(item)) = (id, item.as_deref().and_then(ChecklistId::from_name)) else {
            continue;
        };
        present.insert(item);
        done.insert((id, item), d.unwrap_or(false));
    }
    let items: Vec<ChecklistId> = CHECKLIST.iter().map(|c| c.id).filter(|id| present.contains(id)).collect();

    let by_cohort = by == PlotBy::Cohort;
    let order = report_completion(reports, checklist, by_cohort, scope)?;
    let several = counts.0.len() > 1;
    let mut blocks: Vec<HeatmapBlock> = Vec::new();
    let rows = strs(&order, "id")?
        .into_iter()
        .zip(strs(&order, "cohort")?)
        .zip(u32s(&order, "group")?)
        .zip(f64s(&order, "rate")?);
    for (((id, cohort), group), rate) in rows {
        let (id, cohort) = (id.unwrap_or_default(), cohort.unwrap_or_default());
        let block_label = by_cohort.then(|| cohort.clone());
        if blocks.last().map_or(true, |b| by_cohort && b.label.as_deref() != Some(cohort.as_str())) {
            blocks.push(HeatmapBlock { label: block_label, columns: Vec::new() });
        }
        let mut label = group.map_or_else(|| short_id(&id), |g| g.to_string());
        if !by_cohort && several {
            label = format!("{label} · {cohort}");
        }
        let cells = items
            .iter()
            .map(|item| match done.get(&(id.clone(), *item)) {
                Some(true) => Cell::Done,
                Some(false) => Cell::NotDone,
                None => Cell::Absent,
            })
            .collect();
        if let Some(block) = blocks.last_mut() {
            block.columns.push(HeatmapColumn { label, rate, cells });
        }
    }
    for block in &mut blocks {
        if let Some(cohort) = &block.label {
            let n = block.columns.len();
            block.label = Some(format!("{cohort} ({n} {})", if n == 1 { "report" } else { "reports" }));
        }
    }
    let sorted = if by_cohort && several {
        "sorted by share of own checklist ticked, within each cohort"
    } else {
        "sorted by share of own checklist ticked"
    };
    Ok(Heatmap {
        header: Header {
            title: "Checklist of every group".into(),
            lines: vec![
                format!("{}; {} with a checklist.", counts.line(), counts.with_checklist()),
                "One column per group, one row per checklist item (template order, grouped by week).".into(),
            ],
        },
        items: items
            .iter()
            .map(|id| (checklist_item(*id).short.to_string(), checklist_item(*id).latest_week()))
            .collect(),
        blocks,
        columns_name: format!("groups (group number, or report id where none is stated), {sorted}"),
    })
}

/// A report id short enough to stand under a heatmap column.
fn short_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 14 {
        id.to_string()
    } else {
        format!("{}…", chars[..13].iter().collect::<String>())
    }
}

fn fact_strips(
    reports: &DataFrame,
    rates: &ExchangeRates,
    counts: &Counts,
    by: PlotBy,
    scope: &Scope,
) -> Result<FactStrips> {
    let values = fact_values(reports, rates, scope)?;
    let by_cohort = by == PlotBy::Cohort;
    let summary = facts_summary(&values, by_cohort, &Scope::default())?;
    let series = counts.series(by);
    let series_of = counts.series_of(by);
    // Medians from the polars summary, keyed by (fact, series).
    let mut medians: HashMap<(String, usize), f64> = HashMap::new();
    let summary_cohorts = if by_cohort { strs(&summary, "cohort")? } else { vec![None; summary.height()] };
    for ((fact, cohort), median) in
        strs(&summary, "fact")?.into_iter().zip(summary_cohorts).zip(f64s(&summary, "median")?)
    {
        let s = cohort.and_then(|c| series_of.get(&c).copied()).unwrap_or(0);
        if let (Some(fact), Some(m)) = (fact, median) {
            medians.insert((fact, s), m);
        }
    }
    let row_cohorts = strs(&values, "cohort")?;
    let mut reports_in: Vec<u32> = vec![0; series.len()];
    for (c, n, _) in &counts.0 {
        reports_in[series_of.get(c).copied().unwrap_or(0)] += n;
    }
    let titles = [
        ("tests", "Number of tests (as stated in the report)".to_string()),
        ("coverage", "Code coverage (%)".to_string()),
        (
            "credits_usd",
            format!(
                "Cloud credits spent, in US dollars (1 DKK = {} USD, 1 EUR = {} USD, 1 credit = 1 USD; change with \
                 --usd-per-dkk, --usd-per-eur)",
                rates.usd_per_dkk, rates.usd_per_eur
            ),
        ),
    ];
    let mut panels = Vec::new();
    for (fact, title) in titles {
        let mut per_series: Vec<Vec<f64>> = vec![Vec::new(); series.len()];
        for (cohort, v) in row_cohorts.iter().zip(f64s(&values, fact)?) {
            let (Some(cohort), Some(v)) = (cohort, v) else { continue };
            per_series[series_of.get(cohort).copied().unwrap_or(0)].push(v);
        }
        let rows = per_series
            .into_iter()
            .enumerate()
            .map(|(s, values)| StripRow {
                label: match by {
                    PlotBy::Cohort => counts.0[s].0.clone(),
                    PlotBy::None => "all".into(),
                },
                series: s,
                median: medians.get(&(fact.to_string(), s)).copied(),
                values,
                reports: reports_in[s],
            })
            .collect();
        panels.push(FactPanel { title, rows });
    }
    Ok(FactStrips {
        header: Header {
            title: "Tests, coverage and credits".into(),
            lines: vec![
                format!("{}.", counts.line()),
                "One dot per report that states the number (\"40 of 48 state it\"); the black bar marks the median."
                    .into(),
            ],
        },
        panels,
        series,
    })
}

fn group_rates(
    checklist: &DataFrame,
    key: ChecklistBy,
    counts: &Counts,
    by: PlotBy,
    scope: &Scope,
) -> Result<GroupRates> {
    no_checklists(counts)?;
    let keys = match by {
        PlotBy::Cohort => vec![key, ChecklistBy::Cohort],
        PlotBy::None => vec![key],
    };
    let df = checklist_completion(checklist, &keys, scope)?;
    let series = counts.series(by);
    let series_of = counts.series_of(by);
    let names = strs(&df, key.column())?;
    let cohorts = if by == PlotBy::Cohort { strs(&df, "cohort")? } else { vec![None; df.height()] };
    let mut categories: Vec<Option<String>> = Vec::new();
    let mut rates: Vec<Vec<Option<Rate>>> = Vec::new();
    for (((name, cohort), done), total) in
        names.into_iter().zip(cohorts).zip(u32s(&df, "done")?).zip(u32s(&df, "total")?)
    {
        // Categories in the query's order (week or module order, then name).
        let c = match categories.iter().position(|known| *known == name) {
            Some(c) => c,
            None => {
                categories.push(name.clone());
                rates.push(vec![None; series.len()]);
                categories.len() - 1
            }
        };
        let s = cohort.and_then(|c| series_of.get(&c).copied()).unwrap_or(0);
        rates[c][s] = Some(Rate { done: done.unwrap_or(0), total: total.unwrap_or(0) });
    }
    let (title, axis_name, read) = if key == ChecklistBy::Week {
        (
            "Checklist completion per week",
            "checklist section (the week each report's own checklist puts the item in)",
            "Bar: ticked items / items present, over all checklists of the cohort.",
        )
    } else {
        (
            "Checklist completion per course module",
            "course module (the item's tag in the checklist, else the template's)",
            "Bar: ticked items / items present, over all checklists of the cohort; the items without a module tag are \
             \"none\".",
        )
    };
    let unnamed = if key == ChecklistBy::Week { "no week" } else { "none" };
    Ok(GroupRates {
        header: Header {
            title: title.into(),
            lines: vec![format!("{}; {} with a checklist.", counts.line(), counts.with_checklist()), read.into()],
        },
        axis_name: axis_name.into(),
        categories: categories
            .into_iter()
            .map(|c| match (key, c) {
                (ChecklistBy::Week, Some(w)) => Week::from_name(&w).map_or(w, |w| week_name(Some(w)).to_string()),
                (_, Some(m)) => m,
                (_, None) => unnamed.to_string(),
            })
            .collect(),
        series,
        rates,
    })
}

/// A figure written.
#[derive(Debug, Clone)]
pub struct Drawn {
    pub out: PathBuf,
    pub format: Format,
    pub size: Size,
    pub reports: u32,
    pub seconds: f64,
}

impl Drawn {
    /// `{"out", "format", "width", "height", "reports"}`: what `cohort run --json` prints for a plot query.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "out": self.out.display().to_string(),
            "format": self.format.to_string().to_lowercase(),
            "width": self.size.width,
            "height": self.size.height,
            "reports": self.reports,
        })
    }
}

/// Opens the index, builds the figure and writes it to `out` (.svg or .png), at `size` or fitted to its content.
pub fn draw(index: &Path, req: &FigureRequest, out: &Path, size: Option<Size>) -> Result<Drawn> {
    // The format first: no point reading the index for a figure that cannot be written.
    let format = Format::of(out)?;
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(FigureError::NoFolder { out: out.to_path_buf(), folder: parent.to_path_buf() });
        }
    }
    let started = Instant::now();
    let made = Index::open(index)?.figure(req)?;
    let rendered = made.figure.render(out, size)?;
    Ok(Drawn {
        out: out.to_path_buf(),
        format,
        size: rendered.size,
        reports: made.reports,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Per decidable item and series: the share of ticks supported, the share not supported, and the share of the
/// series' reports with evidence but no tick.
fn verify_rates(index: &Index, reports: &DataFrame, counts: &Counts, by: PlotBy) -> Result<ItemRates> {
    let Some(verdicts) = crate::verify::frame::stored(index)? else {
        return Err(FigureError::NoVerdicts { index: index.root().to_path_buf() });
    };
    let series_of = counts.series_of(by);
    let base = counts.series(by);
    let items = crate::verify::decidable_items();
    let tallied = crate::verify::frame::tally_by_cohort(&verdicts, reports)?;
    // [item][series] = (ticks, supported, unclaimed); without --by cohort every cohort adds to the one series.
    let mut tally = vec![vec![(0u32, 0u32, 0u32); base.len()]; items.len()];
    let (ticks, supported, unclaimed) =
        (u32s(&tallied, "ticks")?, u32s(&tallied, "supported")?, u32s(&tallied, "unclaimed")?);
    for (row, (item, cohort)) in strs(&tallied, "item")?.into_iter().zip(strs(&tallied, "cohort")?).enumerate() {
        let (Some(i), Some(&s)) =
            (item.and_then(|item| items.iter().position(|x| *x == item)), cohort.and_then(|c| series_of.get(&c)))
        else {
            continue;
        };
        let t = &mut tally[i][s];
        t.0 += ticks[row].unwrap_or(0);
        t.1 += supported[row].unwrap_or(0);
        t.2 += unclaimed[row].unwrap_or(0);
    }
    let per_series: Vec<u32> = match by {
        PlotBy::Cohort => counts.0.iter().map(|c| c.1).collect(),
        PlotBy::None => vec![counts.reports()],
    };
    let series: Vec<String> = base
        .iter()
        .flat_map(|s| {
            [
                format!("{s}: ticked, supported"),
                format!("{s}: ticked, not supported"),
                format!("{s}: evidence, no tick"),
            ]
        })
        .collect();
    let rows = items
        .iter()
        .enumerate()
        .map(|(i, item)| ItemRow {
            label: (*item).to_string(),
            week: None,
            rates: tally[i]
                .iter()
                .zip(&per_series)
                .flat_map(|(&(ticks, supported, unclaimed), &n)| {
                    let of_ticks = |done| (ticks > 0).then_some(Rate { done, total: ticks });
                    [of_ticks(supported), of_ticks(ticks - supported), Some(Rate { done: unclaimed, total: n })]
                })
                .collect(),
        })
        .collect();
    Ok(ItemRates {
        header: Header {
            title: "Ticked items against the repositories".into(),
            lines: vec![
                format!("{}.", counts.line()),
                "Per item the rules decide: share of ticks the repository supports, share it does not (no evidence, \
                 partial, only on an unmerged branch), and share of the reports with evidence but no tick."
                    .into(),
            ],
        },
        series,
        items: rows,
        axis_name: Some("share of ticks (supported / not supported) or of reports (evidence, no tick)".into()),
    })
}
