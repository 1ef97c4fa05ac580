//! One group's page (`/group/ID`, ID = the report id, percent-encoded): members and facts, ticks, every answer
//! with its word count and text, the findings of `cohort check`, and its duplicate pairs. `/group/ID.json` is the
//! twin (the `.json` suffix is literal; a `.` inside an id is always encoded as `%2E` in links).

use super::figure::{answer_text, FigureRow};
use super::layout::{self, group_link, link};
use super::App;
use crate::check::Finding;
use crate::domain::percent::percent_decode;
use crate::present::dupes::pair_json;
use crate::present::json::json_rows;
use crate::present::provenance::fact_rows;
use crate::present::table::table_of;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use axum::Extension;
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
    /// The claims its repository does not support (`cohort show`'s list); `None` when the index has no verdicts.
    unsupported: Result<Option<DataFrame>, String>,
    /// The images its answers show, in the report's order.
    figures: Result<Vec<FigureRow>, String>,
}

fn load(app: &App, id: &str) -> Result<Option<Group>, String> {
    let err = |e: crate::store::StoreError| super::error_chain(&e);
    let Some(summary) = app.index.summary_of(id).map_err(err)? else { return Ok(None) };
    let summary: Value = serde_json::from_str(&summary).map_err(|e| e.to_string())?;
    let findings = app.findings_of(id);
    let pairs = app.dupes().map(|d| {
        let src = &d.source;
        let mut shown = Vec::new();
        let mut rows = Vec::new();
        for p in d.pairs_of.get(id).map_or(&[][..], Vec::as_slice).iter().map(|&i| &d.outcome.pairs[i]) {
            let (a, b) = (&src.meta(p.a).id, &src.meta(p.b).id);
            let other = if a == id { b } else { a };
            let url = link("/pair", &[("a", a.clone()), ("b", b.clone()), ("question", p.key.as_str().to_string())]);
            shown.push((other.clone(), p.key.as_str().to_string(), p.similarity(), url));
            rows.push(serde_json::to_value(pair_json(src, p)).unwrap_or(Value::Null));
        }
        (shown, rows)
    });
    let unsupported = app.verdicts().and_then(|v| {
        v.map(|v| crate::verify::frame::unsupported_of(&v, &[id.to_string()]).map_err(|e| e.to_string())).transpose()
    });
    let figures = app.report_figures().map(|f| f.of(id).to_vec());
    Ok(Some(Group {
        id: id.to_string(),
        unsupported,
        figures,
        summary,
        checklist: app.index.checklist_of(id).map_err(err)?,
        answers: app.index.answers_of(id).map_err(err)?,
        findings,
        pairs,
    }))
}

pub async fn page(Extension(app): Extension<Arc<App>>, uri: Uri) -> Response {
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
            "unsupported": group.unsupported.as_ref().ok().and_then(|u| u.as_ref().map(json_rows)),
            "figures": group.figures.as_ref().ok(),
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
    let (items, weeks, done) =
        (column(&g.checklist, "item"), column(&g.checklist, "week"), flags(&g.checklist, "done"));
    // Indexes made before tick states have no `state`: a box is then done or not.
    let states: Vec<String> = if g.checklist.column("state").is_ok() {
        column(&g.checklist, "state")
    } else {
        done.iter().map(|d| if *d { "done" } else { "not-done" }.to_string()).collect()
    };
    let mut week_names: Vec<&String> = weeks.iter().collect();
    week_names.dedup();
    let ticked = done.iter().filter(|d| **d).count();
    let partial = states.iter().filter(|s| *s == "partial").count();
    let unclear = states.iter().filter(|s| *s == "unclear").count();
    let (questions, numbers, words, images) = (
        column(&g.answers, "question"),
        column(&g.answers, "number"),
        column(&g.answers, "words"),
        column(&g.answers, "images"),
    );
    let markdown = column(&g.answers, "markdown");
    let answered = flags(&g.answers, "answered");
    let warnings: Vec<String> = s["warnings"].as_array().map(|a| a.iter().map(text).collect()).unwrap_or_default();
    let figures: &[FigureRow] = g.figures.as_deref().unwrap_or(&[]);
    let not_shown: Vec<&FigureRow> = figures.iter().filter(|f| f.state == "refused").collect();
    html! {
        h1 { (g.id) }
        p class="muted" { "group " (text(&s["group"])) " · cohort " (text(&s["cohort"])) " · " (text(&s["path"])) }
        dl class="facts" {
            dt { "Members" } dd { @if members.is_empty() { "—" } @else { (members.join(", ")) } }
            dt { "Template" } dd { (text(&s["template"])) ", checklist " (text(&s["checklist_generation"])) }
        }
        h2 { "Facts" }
        table class="fact-table" {
            thead { tr { th { "fact" } th { "value" } th { "rule" } th class="num" { "line" } th { "read from" } } }
            tbody {
                @for f in fact_rows(s) {
                    tr class="fact" id=(format!("fact-{}", f.fact)) {
                        td { (f.name) }
                        td class="value" { (f.value) }
                        @match &f.provenance {
                            Some(p) => {
                                td { code { (p.rule.as_str()) } }
                                td class="num" { (p.line) }
                                td {
                                    a class="sentence" href=(format!("#answer-{}", layout::encode(&p.question))) { (p.sentence) }
                                    @for q in p.parts.iter().skip(1) {
                                        br; span class="muted" { "+ " (q.written) ", line " (q.line) ": " } (q.sentence)
                                    }
                                }
                            }
                            None => { td {} td {} td class="muted" { @if f.value == "-" { "not stated" } } }
                        }
                    }
                }
            }
        }
        @if done.is_empty() { h2 { "Checklist" } p class="muted" { "This report has no checklist." } }
        @else {
            h2 { "Checklist: " (ticked) " of " (done.len()) " ticked"
                @if partial > 0 { ", " (partial) " partly done" }
                @if unclear > 0 { ", " (unclear) " unclear" } }
        }
        @for w in week_names {
            h3 { (w) }
            ul class="ticks" {
                @for i in (0..items.len()).filter(|&i| &weeks[i] == w) {
                    @let state = states[i].as_str();
                    li class=(tick_class(state)) title=(state) {
                        (items[i])
                        @if state == "partial" || state == "unclear" { " " span class="state" { "(" (state) ")" } }
                    }
                }
            }
        }
        @match &g.unsupported {
            Ok(None) => {},
            Err(e) => { h2 { "Claims the repository does not support" } p class="muted" { "Not available: " (e) } },
            Ok(Some(u)) => {
                h2 { "Claims the repository does not support (" (u.height()) ")" }
                @if u.height() == 0 { p class="muted" { "None: every decidable tick has evidence in the repository." } }
                @else {
                    @let t = table_of(u);
                    div class="unsupported" { (layout::table(&t.headers, &t.rows, &t.numeric)) }
                }
            },
        }
        h2 { "Answers" }
        @for i in 0..questions.len() {
            @let shown: Vec<&FigureRow> = figures.iter().filter(|f| f.question == questions[i]).collect();
            // An answer that shows figures is open: staff grading a report look at its pictures.
            details class="answer" id=(format!("answer-{}", questions[i])) open[shown.iter().any(|f| f.state == "ok")] {
                summary {
                    span { "Q" (numbers[i]) " " strong { (questions[i]) } }
                    @if !answered[i] { span class="unanswered" { "unanswered" } }
                    @if images[i] != "0" && !images[i].is_empty() { span class="muted" { (images[i]) @if images[i] == "1" { " image" } @else { " images" } } }
                    span class="words" { (words[i]) " words" }
                }
                div class="text" { (answer_text(&g.id, &shown, &markdown[i])) }
            }
        }
        @if !not_shown.is_empty() {
            h2 { "Figures not shown (" (not_shown.len()) ")" }
            p class="muted" { "Only image files inside the report's own folder are shown; these were not read." }
            ul class="figures-refused" {
                @for f in &not_shown {
                    li { a href=(format!("#answer-{}", layout::encode(&f.question))) { (f.question) } ": " (f.reason.as_deref().unwrap_or(&f.target)) }
                }
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

/// The class of a checklist box: how the stylesheet marks its state.
fn tick_class(state: &str) -> &'static str {
    match state {
        "done" => "done",
        "partial" => "partial",
        "unclear" => "unclear",
        _ => "missing",
    }
}
