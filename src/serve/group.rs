//! One group's page (`/group/ID`, ID = the report id, percent-encoded): members and facts, ticks, every answer
//! with its word count and text, the findings of `cohort check`, and its duplicate pairs. `/group/ID.json` is the
//! twin (the `.json` suffix is literal; a `.` inside an id is always encoded as `%2E` in links).

use super::layout::{self, group_link, link};
use super::App;
use crate::check::Finding;
use crate::domain::percent::percent_decode;
use crate::present::dupes::pair_json;
use crate::present::table::json_rows;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use maud::{html, Markup};
use polars::prelude::DataFrame;
use serde_json::Value;
use std::sync::Arc;

/// A duplicate pair as the page lists it: the other report, the question key, the similarity, the pair page's URL.
type PairLine = (String, String, f64, String);

/// What the page shows of one report.
struct Group {
    id: String,
    summary: Value,
    checklist: DataFrame,
    answers: DataFrame,
    findings: Result<Vec<Finding>, String>,
    /// (other report, question key, similarity, url of the pair page) and the JSON rows.
    pairs: Result<(Vec<PairLine>, Vec<Value>), String>,
}

fn load(app: &App, id: &str) -> Result<Option<Group>, String> {
    let err = |e: crate::store::StoreError| super::error_chain(&e);
    let Some(summary) = app.index.summary_of(id).map_err(err)? else { return Ok(None) };
    let summary: Value = serde_json::from_str(&summary).map_err(|e| e.to_string())?;
    let findings = app.checks().map(|c| c.findings.iter().filter(|f| f.id == id).cloned().collect());
    let pairs = app.dupes().map(|d| {
        let src = &d.source;
        let mut shown = Vec::new();
        let mut rows = Vec::new();
        for p in &d.outcome.pairs {
            let (a, b) = (&src.meta(p.a).id, &src.meta(p.b).id);
            if a != id && b != id {
                continue;
            }
            let other = if a == id { b } else { a };
            let url = link("/pair", &[("a", a.clone()), ("b", b.clone()), ("question", p.key.as_str().to_string())]);
            shown.push((other.clone(), p.key.as_str().to_string(), p.similarity(), url));
            rows.push(serde_json::to_value(pair_json(src, p)).unwrap_or(Value::Null));
        }
        (shown, rows)
    });
    Ok(Some(Group {
        id: id.to_string(),
        summary,
        checklist: app.index.checklist_of(id).map_err(err)?,
        answers: app.index.answers_of(id).map_err(err)?,
        findings,
        pairs,
    }))
}

pub async fn page(State(app): State<Arc<App>>, uri: Uri) -> Response {
    let raw = uri.path().strip_prefix("/group/").unwrap_or("");
    let (raw, twin) = match raw.strip_suffix(".json") {
        Some(r) => (r, true),
        None => (raw, false),
    };
    let id = percent_decode(raw);
    let group = match load(&app, &id) {
        Ok(Some(g)) => g,
        Ok(None) => {
            return layout::error_page(StatusCode::NOT_FOUND, &format!("No report with id {id:?} in this index."))
        }
        Err(e) => return layout::internal(&e),
    };
    if twin {
        return layout::json_response(&serde_json::json!({
            "summary": group.summary,
            "checklist": json_rows(&group.checklist),
            "answers": json_rows(&group.answers),
            "findings": group.findings.as_ref().ok(),
            "pairs": group.pairs.as_ref().ok().map(|p| &p.1),
        }));
    }
    let twin_url = format!("{}.json", group_link(&id));
    layout::page(&id, "", Some(&twin_url), body(&group))
}

fn text(v: &Value) -> String {
    match v {
        Value::Null => "—".to_string(),
        Value::String(s) => s.clone(),
        v => v.to_string(),
    }
}

fn column(df: &DataFrame, name: &str) -> Vec<String> {
    let Ok(c) = df.column(name) else { return vec![String::new(); df.height()] };
    (0..df.height()).map(|i| c.get(i).map(|v| crate::present::table::cell(&v)).unwrap_or_default()).collect()
}

fn flags(df: &DataFrame, name: &str) -> Vec<bool> {
    df.column(name)
        .ok()
        .and_then(|c| c.bool().ok().map(|b| b.iter().map(|x| x.unwrap_or(false)).collect()))
        .unwrap_or_else(|| vec![false; df.height()])
}

fn body(g: &Group) -> Markup {
    let s = &g.summary;
    let members: Vec<String> = s["students"].as_array().map(|a| a.iter().map(text).collect()).unwrap_or_default();
    let credits = match &s["credits"] {
        Value::Null => "—".to_string(),
        c => format!("{} {}", text(&c["amount"]), text(&c["unit"])),
    };
    let (items, weeks, done) =
        (column(&g.checklist, "item"), column(&g.checklist, "week"), flags(&g.checklist, "done"));
    let mut week_names: Vec<&String> = weeks.iter().collect();
    week_names.dedup();
    let ticked = done.iter().filter(|d| **d).count();
    let (questions, numbers, words, images) = (
        column(&g.answers, "question"),
        column(&g.answers, "number"),
        column(&g.answers, "words"),
        column(&g.answers, "images"),
    );
    let markdown = column(&g.answers, "markdown");
    let answered = flags(&g.answers, "answered");
    let warnings: Vec<String> = s["warnings"].as_array().map(|a| a.iter().map(text).collect()).unwrap_or_default();
    html! {
        h1 { (g.id) }
        p class="muted" { "group " (text(&s["group"])) " · cohort " (text(&s["cohort"])) " · " (text(&s["path"])) }
        dl class="facts" {
            dt { "Members" } dd { @if members.is_empty() { "—" } @else { (members.join(", ")) } }
            dt { "Template" } dd { (text(&s["template"])) ", checklist " (text(&s["checklist_generation"])) }
            dt { "Tests" } dd { (text(&s["tests"])) }
            dt { "Coverage" } dd { (text(&s["coverage"])) }
            dt { "Credits" } dd { (credits) }
            dt { "Most expensive service" } dd { (text(&s["most_expensive_service"])) }
        }
        @if done.is_empty() { h2 { "Checklist" } p class="muted" { "This report has no checklist." } }
        @else { h2 { "Checklist: " (ticked) " of " (done.len()) " ticked" } }
        @for w in week_names {
            h3 { (w) }
            ul class="ticks" {
                @for i in (0..items.len()).filter(|&i| &weeks[i] == w) {
                    li class=(if done[i] { "done" } else { "missing" }) { (items[i]) }
                }
            }
        }
        h2 { "Answers" }
        @for i in 0..questions.len() {
            details class="answer" id=(format!("answer-{}", questions[i])) {
                summary {
                    span { "Q" (numbers[i]) " " strong { (questions[i]) } }
                    @if !answered[i] { span class="unanswered" { "unanswered" } }
                    @if images[i] != "0" && !images[i].is_empty() { span class="muted" { (images[i]) @if images[i] == "1" { " image" } @else { " images" } } }
                    span class="words" { (words[i]) " words" }
                }
                div class="text" { (markdown[i]) }
            }
        }
        h2 { "Findings of cohort check" }
        @match &g.findings {
            Err(e) => p class="muted" { "Not available: " (e) },
            Ok(f) if f.is_empty() => p class="muted" { "None." },
            Ok(f) => table {
                thead { tr { th { "rule" } th { "question" } th { "line" } th { "message" } } }
                tbody { @for x in f { tr class="finding" {
                    td { (x.rule.as_str()) }
                    td { @if let Some(q) = x.question { a href=(format!("#answer-{}", q.as_str())) { (q.as_str()) } } @else { "—" } }
                    td class="num" { (x.line.map(|l| l.to_string()).unwrap_or_default()) }
                    td { (x.message) }
                } } }
            },
        }
        h2 { "Duplicate pairs" }
        @match &g.pairs {
            Err(e) => p class="muted" { "Not available: " (e) },
            Ok((p, _)) if p.is_empty() => p class="muted" { "None." },
            Ok((p, _)) => table {
                thead { tr { th { "with" } th { "question" } th class="num" { "similarity" } th {} } }
                tbody { @for (other, key, sim, url) in p { tr class="pair-row" {
                    td { a href=(group_link(other)) { (other) } }
                    td { (key) }
                    td class="num" { (format!("{sim:.2}")) }
                    td { a href=(url) { "side by side" } }
                } } }
            },
        }
        @if !warnings.is_empty() {
            h2 { "Warnings" }
            ul { @for w in &warnings { li { (w) } } }
        }
    }
}
