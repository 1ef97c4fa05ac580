//! The statistics page: checklist completion per item, week, module and cohort and the fact summaries (the
//! polars queries of `cohort stats`), each table with a `.csv`, and the figures of `cohort plot` inline.

use super::layout::{self, link};
use super::App;
use crate::figures::{FigureRequest, PlotKind};
use crate::index::Statistic;
use crate::present::json::json_rows;
use crate::present::output::{write_frame, Format};
use crate::present::style::Style;
use crate::present::table::table_of;
use crate::store::frames::{ChecklistBy, Scope};
use axum::extract::{Path, Query};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use maud::{html, Markup};
use polars::prelude::DataFrame;
use std::sync::Arc;

/// The tables, by the name their `.csv` and JSON key use, with the CLI command that prints the same rows.
pub const TABLES: [(&str, &str, &str); 6] = [
    ("checklist-item", "Completion per item", "cohort stats checklist --by item"),
    ("checklist-week", "Completion per week", "cohort stats checklist --by week"),
    ("checklist-module", "Completion per module", "cohort stats checklist --by module"),
    ("checklist-cohort", "Completion per cohort", "cohort stats checklist --by cohort"),
    ("facts", "Facts", "cohort stats facts"),
    ("facts-by-cohort", "Facts per cohort", "cohort stats facts --by cohort"),
];

/// The short tables shown above the figures.
const SUMMARY_TABLES: [&str; 3] = ["checklist-cohort", "facts", "facts-by-cohort"];

/// One table with its title, its CSV link and the command that prints the same rows.
fn table_section(name: &str, title: &str, cli: &str, df: &DataFrame, cohort_params: &[(&str, String)]) -> Markup {
    let t = table_of(df);
    html! {
        section id=(name) {
            h3 { (title) a class="csv" href=(link(&format!("/stats/{name}.csv"), cohort_params)) { "CSV" } }
            p class="muted" { code { (cli) " --json" } }
            (layout::table(&t.headers, &t.rows, &t.numeric))
        }
    }
}

fn statistic(name: &str) -> Option<Statistic> {
    Some(match name {
        "checklist-item" => Statistic::Checklist { by: vec![ChecklistBy::Item] },
        "checklist-week" => Statistic::Checklist { by: vec![ChecklistBy::Week] },
        "checklist-module" => Statistic::Checklist { by: vec![ChecklistBy::Module] },
        "checklist-cohort" => Statistic::Checklist { by: vec![ChecklistBy::Cohort] },
        "facts" => Statistic::Facts { by_cohort: false },
        "facts-by-cohort" => Statistic::Facts { by_cohort: true },
        _ => return None,
    })
}

/// The figures the page shows, in order.
const FIGURES: [(PlotKind, &str); 4] = [
    (PlotKind::Checklist, "Completion per checklist item"),
    (PlotKind::Weeks, "Completion per week"),
    (PlotKind::Modules, "Completion per module"),
    (PlotKind::Facts, "Tests, coverage and credits"),
];

fn scope(params: &[(String, String)]) -> Scope {
    Scope {
        cohorts: params.iter().filter(|(k, v)| k == "cohort" && !v.is_empty()).map(|(_, v)| v.clone()).collect(),
        ..Scope::default()
    }
}

fn draw(app: &App, scope: &Scope) -> Vec<(String, Result<String, String>)> {
    FIGURES
        .iter()
        .map(|(kind, title)| {
            let req = FigureRequest { cohorts: scope.cohorts.clone(), ..FigureRequest::new(*kind) };
            let svg = app
                .index
                .figure(&req)
                .map_err(|e| super::error_chain(&e))
                .and_then(|made| made.figure.svg().map_err(|e| super::error_chain(&e)));
            (title.to_string(), svg)
        })
        .collect()
}

/// The figures of every cohort, drawn once.
pub fn figures(app: &App) -> &Vec<(String, Result<String, String>)> {
    app.figures.get_or_init(|| draw(app, &Scope::default()))
}

type Tables = Vec<(&'static str, &'static str, &'static str, DataFrame)>;

fn tables(app: &App, scope: &Scope) -> Result<Tables, String> {
    TABLES
        .iter()
        .map(|(name, title, cli)| {
            let st = statistic(name).ok_or_else(|| format!("no table {name}"))?;
            let df = app.index.statistic(&st, scope).map_err(|e| super::error_chain(&e))?;
            Ok((*name, *title, *cli, df))
        })
        .collect()
}

fn cohorts(app: &App) -> Vec<String> {
    let mut v: Vec<String> = app
        .index
        .frame(crate::store::frames::REPORTS)
        .ok()
        .and_then(|df| {
            df.column("cohort")
                .ok()
                .and_then(|c| c.str().ok().map(|s| s.iter().flatten().map(str::to_string).collect()))
        })
        .unwrap_or_default();
    v.sort();
    v.dedup();
    v
}

pub async fn page(Extension(app): Extension<Arc<App>>, Query(params): Query<Vec<(String, String)>>) -> Response {
    let scope = scope(&params);
    let tables = match tables(&app, &scope) {
        Ok(t) => t,
        Err(e) => return layout::internal(&e),
    };
    let drawn;
    let figs = if scope.cohorts.is_empty() {
        figures(&app)
    } else {
        drawn = draw(&app, &scope);
        &drawn
    };
    let cohort_params: Vec<(&str, String)> = scope.cohorts.iter().map(|c| ("cohort", c.clone())).collect();
    let body = html! {
        h1 { "Statistics" @if !scope.cohorts.is_empty() { " — cohort " (scope.cohorts.join(", ")) } }
        div class="filters" {
            span { "Cohort: "
                a class=[scope.cohorts.is_empty().then_some("on")] href="/stats" { "all" }
                @for c in cohorts(&app) {
                    a class=[(scope.cohorts == [c.clone()]).then_some("on")] href=(link("/stats", &[("cohort", c.clone())])) { (c) }
                }
            }
        }
        // The short tables first (the screenshot showed them 7,000 pixels down, under the figures), then the
        // figures, then the long per-item, per-week and per-module tables.
        nav class="toc" {
            span { "On this page:" }
            @for (name, title, _, _) in tables.iter().filter(|t| SUMMARY_TABLES.contains(&t.0)) { a href=(format!("#{name}")) { (title) } }
            @for (i, (title, _)) in figs.iter().enumerate() { a href=(format!("#figure-{i}")) { "Figure: " (title) } }
            @for (name, title, _, _) in tables.iter().filter(|t| !SUMMARY_TABLES.contains(&t.0)) { a href=(format!("#{name}")) { "Table: " (title) } }
        }
        h2 { "Per cohort" }
        div class="tables" {
            @for (name, title, cli, df) in tables.iter().filter(|t| SUMMARY_TABLES.contains(&t.0)) {
                (table_section(name, title, cli, df, &cohort_params))
            }
        }
        @for (i, (title, svg)) in figs.iter().enumerate() {
            h2 id=(format!("figure-{i}")) { (title) }
            @match svg {
                Ok(svg) => { div class="figure" { (layout::trusted(svg)) } }
                Err(e) => { p class="muted" { "No figure: " (e) } }
            }
        }
        h2 { "Per item, week and module" }
        div class="tables" {
            @for (name, title, cli, df) in tables.iter().filter(|t| !SUMMARY_TABLES.contains(&t.0)) {
                (table_section(name, title, cli, df, &cohort_params))
            }
        }
    };
    layout::page("Statistics", "Statistics", Some(&link("/stats.json", &cohort_params)), body)
}

pub async fn json(Extension(app): Extension<Arc<App>>, Query(params): Query<Vec<(String, String)>>) -> Response {
    let scope = scope(&params);
    match tables(&app, &scope) {
        Ok(tables) => {
            let mut doc = serde_json::Map::new();
            doc.insert("cohorts".into(), serde_json::json!(scope.cohorts));
            for (name, _, _, df) in &tables {
                doc.insert((*name).to_string(), serde_json::json!(json_rows(df)));
            }
            layout::json_response(&doc)
        }
        Err(e) => layout::internal(&e),
    }
}

pub async fn csv(
    Extension(app): Extension<Arc<App>>,
    Path(file): Path<String>,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    let Some(st) = file.strip_suffix(".csv").and_then(statistic) else { return layout::not_found().await };
    let mut df = match app.index.statistic(&st, &scope(&params)) {
        Ok(df) => df,
        Err(e) => return layout::internal(&super::error_chain(&e)),
    };
    let mut out = Vec::new();
    if let Err(e) = write_frame(&mut out, &mut df, Format::Csv, Style::default()) {
        return layout::internal(&super::error_chain(&e));
    }
    (StatusCode::OK, [(header::CONTENT_TYPE, "text/csv; charset=utf-8")], out).into_response()
}
