//! Findings: `cohort check`'s findings per rule and per group, each linked to the answer it is about.

use super::layout::{self, group_link, link};
use super::search::{page_number, param};
use super::App;
use crate::check::{Finding, Rule};
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use maud::html;
use std::collections::BTreeMap;
use std::sync::Arc;

const PAGE: usize = 100;
/// Reports listed in the per-group table (the most findings first; the screenshot showed 60 pushed the list
/// of findings off the screen).
const REPORTS_SHOWN: usize = 15;

struct Filter {
    rule: Option<Rule>,
    id: Option<String>,
    page: usize,
}

impl Filter {
    fn parse(params: &[(String, String)]) -> Result<Filter, String> {
        let rule = match param(params, "rule") {
            None => None,
            Some(r) => Some(
                Rule::from_name(r).ok_or_else(|| format!("unknown rule {r:?}; rules: {}", Rule::NAMES.join(", ")))?,
            ),
        };
        Ok(Filter { rule, id: param(params, "id").map(str::to_string), page: page_number(params)? })
    }

    fn keeps(&self, f: &Finding) -> bool {
        self.rule.map_or(true, |r| f.rule == r) && self.id.as_deref().map_or(true, |id| f.id == id)
    }

    fn url(&self, path: &str, rule: Option<Rule>, id: Option<&str>, page: usize) -> String {
        link(
            path,
            &[
                ("rule", rule.map(|r| r.as_str().to_string()).unwrap_or_default()),
                ("id", id.unwrap_or("").to_string()),
                ("page", if page > 1 { page.to_string() } else { String::new() }),
            ],
        )
    }
}

/// The link to the answer a finding is about (or to its report).
pub fn answer_link(f: &Finding) -> String {
    match f.question {
        Some(q) => format!("{}#answer-{}", group_link(&f.id), q.as_str()),
        None => group_link(&f.id),
    }
}

pub async fn page(Extension(app): Extension<Arc<App>>, Query(params): Query<Vec<(String, String)>>) -> Response {
    let f = match Filter::parse(&params) {
        Ok(f) => f,
        Err(e) => return layout::error_page(StatusCode::BAD_REQUEST, &e),
    };
    let checks = match app.checks() {
        Ok(c) => c,
        Err(e) => return layout::internal(&format!("The check failed: {e}")),
    };
    let mut per_rule: BTreeMap<&str, usize> = BTreeMap::new();
    let mut per_report: BTreeMap<&str, (Option<u32>, usize)> = BTreeMap::new();
    for x in &checks.findings {
        if f.id.as_deref().map_or(true, |id| x.id == id) {
            *per_rule.entry(x.rule.as_str()).or_default() += 1;
        }
        if f.rule.map_or(true, |r| x.rule == r) {
            let e = per_report.entry(x.id.as_str()).or_insert((x.group, 0));
            e.1 += 1;
        }
    }
    let mut reports: Vec<(&str, Option<u32>, usize)> = per_report.into_iter().map(|(id, (g, n))| (id, g, n)).collect();
    reports.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
    let kept: Vec<&Finding> = checks.findings.iter().filter(|x| f.keeps(x)).collect();
    let first = (f.page - 1) * PAGE;
    let pages = kept.len().div_ceil(PAGE).max(1);
    let id = f.id.as_deref();
    let body = html! {
        h1 { "Findings of cohort check" }
        p class="muted" { (checks.findings.len()) " findings in " (checks.checked.len()) " reports"
            @if !checks.problems.is_empty() { "; " (checks.problems.len()) " files could not be read" } "." }
        div class="tables" {
            section {
                h2 { "Per rule" }
                table { thead { tr { th { "rule" } th class="num" { "findings" } } } tbody {
                    tr { td { a class=[f.rule.is_none().then_some("on")] href=(f.url("/findings", None, id, 1)) { "all rules" } } td {} }
                    @for (r, n) in &per_rule { tr class="rule-row" {
                        td { a class=[(f.rule.map(|x| x.as_str()) == Some(*r)).then_some("on")] href=(f.url("/findings", Rule::from_name(r), id, 1)) { (r) } }
                        td class="num" { (n) }
                    } }
                } }
            }
            section {
                h2 { "Per group" }
                table { thead { tr { th { "report" } th class="num" { "group" } th class="num" { "findings" } } } tbody {
                    @if id.is_some() { tr { td { a href=(f.url("/findings", f.rule, None, 1)) { "all reports" } } td {} td {} } }
                    @for (rid, g, n) in reports.iter().take(REPORTS_SHOWN) { tr class="report-row" {
                        td { a class=[(id == Some(*rid)).then_some("on")] href=(f.url("/findings", f.rule, Some(rid), 1)) { (rid) } }
                        td class="num" { (g.map(|g| g.to_string()).unwrap_or_default()) }
                        td class="num" { (n) }
                    } }
                } }
                @if reports.len() > REPORTS_SHOWN { p class="muted" { "+ " (reports.len() - REPORTS_SHOWN) " more reports" } }
            }
        }
        h2 { (kept.len()) " findings"
            @if let Some(r) = f.rule { " of rule " (r.as_str()) }
            @if let Some(id) = id { " in " (id) } }
        table {
            thead { tr { th { "report" } th class="num" { "group" } th { "rule" } th { "question" } th class="num" { "line" } th { "message" } } }
            tbody { @for x in kept.iter().skip(first).take(PAGE) { tr class="finding" {
                td { a href=(group_link(&x.id)) { (x.id) } }
                td class="num" { (x.group.map(|g| g.to_string()).unwrap_or_default()) }
                td class="rule" { (x.rule.as_str()) }
                td { a href=(answer_link(x)) { (x.question.map_or("(report)", |q| q.as_str())) } }
                td class="num" { (x.line.map(|l| l.to_string()).unwrap_or_default()) }
                td { (x.message) }
            } } }
        }
        div class="pager" {
            @if f.page > 1 { a rel="prev" href=(f.url("/findings", f.rule, id, f.page - 1)) { "← Previous" } }
            span class="muted" { "page " (f.page) " of " (pages) }
            @if f.page < pages { a rel="next" href=(f.url("/findings", f.rule, id, f.page + 1)) { "Next →" } }
        }
    };
    layout::page("Findings", "Findings", Some(&f.url("/findings.json", f.rule, id, 1)), body)
}

/// The findings the filters keep, as `cohort check --json` prints them.
pub async fn json(Extension(app): Extension<Arc<App>>, Query(params): Query<Vec<(String, String)>>) -> Response {
    let f = match Filter::parse(&params) {
        Ok(f) => f,
        Err(e) => return layout::error_page(StatusCode::BAD_REQUEST, &e),
    };
    match app.checks() {
        Ok(c) => {
            let rows: Vec<&Finding> = c.findings.iter().filter(|x| f.keeps(x)).collect();
            layout::json_response(&serde_json::json!({ "rule": f.rule.map(|r| r.as_str()), "id": f.id, "rows": rows }))
        }
        Err(e) => layout::internal(&format!("The check failed: {e}")),
    }
}
