//! The search page: the CLI's query language over every answer, highlighted hits, facets with counts (question,
//! cohort, group; each toggles one URL parameter), paging. Everything it shows is in its URL.

use super::layout::{self, link, marked};
use super::App;
use crate::index::{check_question, IndexError};
use crate::store::text_index::{Facets, SearchError, SearchHit, SearchRequest};
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use maud::{html, Markup};
use std::sync::Arc;

/// Hits per page.
pub const PAGE: usize = 20;
/// Group facet entries shown (the most frequent).
const GROUPS_SHOWN: usize = 40;
/// The longest query the pages take, in bytes (a question is a few words; a 65 KB query once came back as a 5 MB
/// page, repeated in every facet link).
pub const MAX_QUERY_BYTES: usize = 1000;
/// The most words (terms, phrases, filters) a query may have.
pub const MAX_TERMS: usize = 64;
/// The most prefix terms (`locu*`) a query may have: each expands to every word of the index it starts.
pub const MAX_PREFIXES: usize = 8;

/// The state of the page, as its URL says it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchState {
    pub q: String,
    pub question: Option<String>,
    pub cohort: Option<String>,
    pub group: Option<u32>,
    pub page: usize,
}

/// The first value of a parameter.
pub fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
}

/// A positive page number (1 when absent).
pub fn page_number(params: &[(String, String)]) -> Result<usize, String> {
    match param(params, "page") {
        None => Ok(1),
        Some(p) => p
            .parse::<usize>()
            .ok()
            .filter(|n| *n >= 1 && *n <= 100_000)
            .ok_or(format!("page {p:?} is not a page number")),
    }
}

/// A query the pages refuse to run, with its status: too long (413) or too many terms (400). The message does not
/// repeat the query.
pub fn bounded(q: &str) -> Result<(), (StatusCode, String)> {
    if q.len() > MAX_QUERY_BYTES {
        return Err((
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("The query is {} bytes long; the pages take queries of at most {MAX_QUERY_BYTES} bytes.", q.len()),
        ));
    }
    let words: Vec<&str> = q.split_whitespace().collect();
    if words.len() > MAX_TERMS {
        return Err((
            StatusCode::BAD_REQUEST,
            format!("The query has {} words; the pages take queries of at most {MAX_TERMS}.", words.len()),
        ));
    }
    let prefixes = words.iter().filter(|w| w.contains('*')).count();
    if prefixes > MAX_PREFIXES {
        return Err((
            StatusCode::BAD_REQUEST,
            format!("The query has {prefixes} prefix terms (word*); the pages take at most {MAX_PREFIXES}."),
        ));
    }
    Ok(())
}

impl SearchState {
    fn parse(params: &[(String, String)]) -> Result<SearchState, (StatusCode, String)> {
        let q = param(params, "q").unwrap_or("");
        bounded(q)?;
        Self::parse_params(params).map_err(|e| (StatusCode::BAD_REQUEST, e))
    }

    fn parse_params(params: &[(String, String)]) -> Result<SearchState, String> {
        let group = match param(params, "group") {
            None => None,
            Some(g) => Some(g.parse::<u32>().map_err(|_| format!("group {g:?} is not a group number"))?),
        };
        let s = SearchState {
            q: param(params, "q").unwrap_or("").to_string(),
            question: param(params, "question").map(str::to_string),
            cohort: param(params, "cohort").map(str::to_string),
            group,
            page: page_number(params)?,
        };
        check_question(s.question.as_deref()).map_err(|e| e.to_string())?;
        Ok(s)
    }

    fn request(&self) -> SearchRequest {
        SearchRequest {
            query: self.q.clone(),
            question: self.question.clone(),
            cohorts: self.cohort.clone().into_iter().collect(),
            group: self.group,
            limit: PAGE,
        }
    }

    fn params(&self) -> Vec<(&'static str, String)> {
        vec![
            ("q", self.q.clone()),
            ("question", self.question.clone().unwrap_or_default()),
            ("cohort", self.cohort.clone().unwrap_or_default()),
            ("group", self.group.map(|g| g.to_string()).unwrap_or_default()),
            ("page", if self.page > 1 { self.page.to_string() } else { String::new() }),
        ]
    }

    /// This state's URL under `path`.
    pub fn url(&self, path: &str) -> String {
        link(path, &self.params())
    }

    /// The URL with one parameter set (or cleared), back on page 1.
    fn with(&self, name: &str, value: Option<String>) -> String {
        let mut s = self.clone();
        s.page = 1;
        match name {
            "question" => s.question = value,
            "cohort" => s.cohort = value,
            _ => s.group = value.and_then(|v| v.parse().ok()),
        }
        s.url("/search")
    }
}

/// The search page's twin; `rows` are serialised as `cohort search --json` writes them (scores as f32).
#[derive(serde::Serialize)]
struct SearchJson<'a> {
    query: &'a str,
    question: Option<&'a str>,
    cohort: Option<&'a str>,
    group: Option<u32>,
    page: usize,
    offset: usize,
    total: u64,
    rows: &'a [SearchHit],
    facets: &'a Facets,
}

/// One page of hits and the facets of the whole result.
struct Found {
    hits: Vec<SearchHit>,
    facets: Facets,
}

fn run(app: &App, s: &SearchState) -> Result<Found, (StatusCode, String)> {
    let req = s.request();
    let offset = (s.page - 1) * PAGE;
    // A query the language refuses is the user's mistake (400); anything else is the index's (500).
    let bad = |e: SearchError| match e {
        SearchError::Syntax(e) => (StatusCode::BAD_REQUEST, e.to_string()),
        SearchError::Store(e) => (StatusCode::INTERNAL_SERVER_ERROR, super::error_chain(&e)),
    };
    // The library's checks (question keys, and whatever the query language refuses) are the user's mistakes.
    check_question(req.question.as_deref()).map_err(|e: IndexError| (StatusCode::BAD_REQUEST, e.to_string()))?;
    let (results, facets) = app.searcher.search_page(&req, offset).map_err(bad)?;
    Ok(Found { hits: results.hits, facets })
}

/// [`run`] on a blocking thread, when one of the [`super::SEARCH_SLOTS`] is free: a long search neither stalls
/// the async workers (every other page) nor runs beside more than a few others.
async fn run_blocking(app: &Arc<App>, s: &SearchState) -> Result<Found, (StatusCode, String)> {
    let (app, s) = (Arc::clone(app), s.clone());
    tokio::task::spawn_blocking(move || {
        let _slot = super::SEARCH_SLOTS.take();
        run(&app, &s)
    })
    .await
    .unwrap_or_else(|e| Err((StatusCode::INTERNAL_SERVER_ERROR, format!("the search failed: {e}"))))
}

pub async fn page(Extension(app): Extension<Arc<App>>, Query(params): Query<Vec<(String, String)>>) -> Response {
    let s = match SearchState::parse(&params) {
        Ok(s) => s,
        Err((status, e)) => return layout::error_page(status, &e),
    };
    if s.q.trim().is_empty() {
        return layout::page("Search", "Search", None, html! { (form(&s)) (help()) });
    }
    let found = match run_blocking(&app, &s).await {
        Ok(f) => f,
        Err((status, e)) => return layout::error_page(status, &e),
    };
    let title = format!("{} — search", s.q);
    layout::page(&title, "Search", Some(&s.url("/search.json")), body(&s, &found))
}

pub async fn json(Extension(app): Extension<Arc<App>>, Query(params): Query<Vec<(String, String)>>) -> Response {
    let s = match SearchState::parse(&params) {
        Ok(s) => s,
        Err((status, e)) => return layout::error_page(status, &e),
    };
    match run_blocking(&app, &s).await {
        Ok(found) => layout::json_response(&SearchJson {
            query: &s.q,
            question: s.question.as_deref(),
            cohort: s.cohort.as_deref(),
            group: s.group,
            page: s.page,
            offset: (s.page - 1) * PAGE,
            total: found.facets.total,
            rows: &found.hits,
            facets: &found.facets,
        }),
        Err((status, e)) => layout::error_page(status, &e),
    }
}

fn form(s: &SearchState) -> Markup {
    html! {
        form class="search" method="get" action="/search" role="search" {
            input type="search" name="q" value=(s.q) placeholder="who used onnx, \"load test\", locust OR k6" autofocus;
            @if let Some(q) = &s.question { input type="hidden" name="question" value=(q); }
            @if let Some(c) = &s.cohort { input type="hidden" name="cohort" value=(c); }
            @if let Some(g) = s.group { input type="hidden" name="group" value=(g); }
            button type="submit" { "Search" }
        }
    }
}

fn help() -> Markup {
    html! {
        p class="muted" {
            "Every word is required; \"quoted phrases\" match exactly; OR between alternatives. "
            "The same language as " code { "cohort search" } "."
        }
    }
}

fn facet_list<T: ToString>(s: &SearchState, name: &str, entries: &[(T, u64)], selected: Option<String>) -> Markup {
    html! {
        ul {
            @for (value, n) in entries {
                @let v = value.to_string();
                @let on = selected.as_deref() == Some(v.as_str());
                li { a class=[on.then_some("on")] href=(s.with(name, (!on).then(|| v.clone()))) data-facet=(name) {
                    span { (v) @if on { " ✕" } } span class="count" { (n) }
                } }
            }
        }
    }
}

fn body(s: &SearchState, found: &Found) -> Markup {
    let f = &found.facets;
    let first = (s.page - 1) * PAGE;
    let mut groups: Vec<(u32, u64)> = f.group.clone();
    groups.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let hidden = groups.len().saturating_sub(GROUPS_SHOWN);
    groups.truncate(GROUPS_SHOWN);
    let pages = (f.total as usize).div_ceil(PAGE).max(1);
    html! {
        (form(s))
        div class="layout" {
            aside class="facets" {
                h3 { "Question" } (facet_list(s, "question", &f.question, s.question.clone()))
                h3 { "Cohort" } (facet_list(s, "cohort", &f.cohort, s.cohort.clone()))
                h3 { "Group" } (facet_list(s, "group", &groups, s.group.map(|g| g.to_string())))
                @if hidden > 0 { p class="muted" { "+ " (hidden) " more groups" } }
            }
            section {
                p class="muted" id="summary" {
                    @if f.total == 0 { "No answers match." }
                    @else { "Answers " (first + 1) "–" (first + found.hits.len()) " of " strong { (f.total) } " matching." }
                }
                ol class="hits" start=(first + 1) {
                    @for h in &found.hits {
                        li class="hit" {
                            div class="hit-head" {
                                a href=(layout::group_link(&h.id)) { strong { (h.id) } }
                                @if let Some(g) = h.group { span class="tag" { "group " (g) } }
                                span class="tag" { (h.cohort) }
                                a class="tag" href=(format!("{}#answer-{}", layout::group_link(&h.id), layout::encode(&h.question))) { (h.question) }
                                span class="score" { "score " (format!("{:.2}", h.score)) }
                            }
                            p class="snippet" { (marked(h)) }
                        }
                    }
                }
                div class="pager" {
                    @if s.page > 1 { a rel="prev" href=(SearchState { page: s.page - 1, ..s.clone() }.url("/search")) { "← Previous" } }
                    span class="muted" { "page " (s.page) " of " (pages) }
                    @if s.page < pages { a rel="next" href=(SearchState { page: s.page + 1, ..s.clone() }.url("/search")) { "Next →" } }
                }
            }
        }
    }
}
