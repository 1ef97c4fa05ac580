//! Duplicates: the ranked pairs of `cohort dupes` with filters by question and cohort, the figures copied between
//! reports (`cohort dupes --figures`), and a pair page with both answers side by side, the shared passages marked
//! the same way on both sides, and their copied figures side by side with their distance.

use super::layout::{self, group_link, link};
use super::search::{page_number, param};
use super::{App, Duplicates};
use crate::dupes::figures::FigureSettings;
use crate::dupes::run::{compare, question_key, Comparison};
use crate::dupes::text::word_spans;
use crate::dupes::Pair;
use crate::present::dupes::{about, pair_json as row, rule, scores};
use crate::present::figure_pairs::{figure_pair_json, FigurePairJson};
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use maud::{html, Markup};
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

const PAGE: usize = 50;

#[derive(Default)]
struct Filter {
    question: Option<String>,
    cohort: Option<String>,
    page: usize,
}

impl Filter {
    fn parse(params: &[(String, String)]) -> Result<Filter, String> {
        let question = param(params, "question").map(str::to_string);
        if let Some(q) = &question {
            question_key(q).map_err(|e| e.to_string())?;
        }
        Ok(Filter { question, cohort: param(params, "cohort").map(str::to_string), page: page_number(params)? })
    }

    fn keeps(&self, d: &Duplicates, p: &Pair) -> bool {
        let (a, b) = (d.source.meta(p.a), d.source.meta(p.b));
        self.question.as_deref().map_or(true, |q| p.key.as_str() == q)
            && self.cohort.as_deref().map_or(true, |c| a.cohort == c || b.cohort == c)
    }

    fn url(&self, path: &str, question: Option<&str>, cohort: Option<&str>, page: usize) -> String {
        link(
            path,
            &[
                ("question", question.unwrap_or("").to_string()),
                ("cohort", cohort.unwrap_or("").to_string()),
                ("page", if page > 1 { page.to_string() } else { String::new() }),
            ],
        )
    }
}

fn ready(app: &App) -> Result<Arc<Duplicates>, Box<Response>> {
    app.dupes().map_err(|e| Box::new(layout::internal(&format!("The duplicate search failed: {e}"))))
}

/// The filter a request asks for and the duplicate search's outcome, or the page that says why not.
fn filtered(app: &App, params: &[(String, String)]) -> Result<(Filter, Arc<Duplicates>), Box<Response>> {
    let f = Filter::parse(params).map_err(|e| Box::new(layout::error_page(StatusCode::BAD_REQUEST, &e)))?;
    Ok((f, ready(app)?))
}

pub async fn page(Extension(app): Extension<Arc<App>>, Query(params): Query<Vec<(String, String)>>) -> Response {
    let (f, d) = match filtered(&app, &params) {
        Ok(found) => found,
        Err(r) => return *r,
    };
    let kept: Vec<(usize, &Pair)> = d.outcome.pairs.iter().enumerate().filter(|(_, p)| f.keeps(&d, p)).collect();
    // Counts for the filters, over the other filter's selection.
    let mut by_question: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_cohort: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &d.outcome.pairs {
        let (a, b) = (d.source.meta(p.a), d.source.meta(p.b));
        if f.cohort.as_deref().map_or(true, |c| a.cohort == c || b.cohort == c) {
            *by_question.entry(p.key.as_str()).or_default() += 1;
        }
        if f.question.as_deref().map_or(true, |q| p.key.as_str() == q) {
            *by_cohort.entry(a.cohort.as_str()).or_default() += 1;
            if b.cohort != a.cohort {
                *by_cohort.entry(b.cohort.as_str()).or_default() += 1;
            }
        }
    }
    let first = (f.page - 1) * PAGE;
    let pages = kept.len().div_ceil(PAGE).max(1);
    let figures = figure_rows(&d, &f);
    let q = f.question.as_deref();
    let c = f.cohort.as_deref();
    let body = html! {
        h1 { "Duplicate answers" }
        p class="muted" { (d.outcome.pairs.len()) " pairs reported (" (rule(&d.settings)) "; text in more than "
            (d.settings.max_reports) " reports is common text and ignored)." }
        div class="filters" {
            div { "Question: "
                a class=[q.is_none().then_some("on")] href=(f.url("/dupes", None, c, 1)) { "all" }
                @for (key, n) in &by_question {
                    a class=[(q == Some(*key)).then_some("on")] href=(f.url("/dupes", Some(key), c, 1)) { (key) " (" (n) ")" }
                }
            }
            div { "Cohort: "
                a class=[c.is_none().then_some("on")] href=(f.url("/dupes", q, None, 1)) { "all" }
                @for (cohort, n) in &by_cohort {
                    a class=[(c == Some(*cohort)).then_some("on")] href=(f.url("/dupes", q, Some(cohort), 1)) { (cohort) " (" (n) ")" }
                }
            }
        }
        table {
            thead { tr { th class="num" { "#" } th { "a" } th { "b" } th { "question" } th class="num" { "containment" }
                th class="num" { "Jaccard" } th class="num" { "shared words" } th { "kind" } th { "note" } th {} } }
            tbody {
                @for (rank, p) in kept.iter().skip(first).take(PAGE) {
                    @let (a, b) = (d.source.meta(p.a), d.source.meta(p.b));
                    tr class="pair-row" {
                        td class="num" { (rank + 1) }
                        td { a href=(group_link(&a.id)) { (a.id) } }
                        td { a href=(group_link(&b.id)) { (b.id) } }
                        td { (p.key.as_str()) }
                        td class="num" { (format!("{:.2}", p.containment)) }
                        td class="num" { (format!("{:.2}", p.jaccard)) }
                        td class="num" { (p.shared_words) }
                        td { (p.kind.as_str()) }
                        td { @if p.same_group { "same group" } @else if b.earlier { "earlier cohort" } }
                        td { a href=(link("/pair", &[("a", a.id.clone()), ("b", b.id.clone()), ("question", p.key.as_str().to_string())])) { "side by side" } }
                    }
                }
            }
        }
        div class="pager" {
            @if f.page > 1 { a rel="prev" href=(f.url("/dupes", q, c, f.page - 1)) { "← Previous" } }
            span class="muted" { (kept.len()) " pairs · page " (f.page) " of " (pages) }
            @if f.page < pages { a rel="next" href=(f.url("/dupes", q, c, f.page + 1)) { "Next →" } }
        }
        h2 { "Copied figures (" (figures.len()) ")" }
        p class="muted" { "Figures of two reports that are the same picture (resized, re-encoded, cropped, framed or "
            "brightened): distance in bits of 128, "
            (FigureSettings::DEFAULT.max_distance) " at most; a figure in more than "
            (FigureSettings::DEFAULT.common) " reports (the template's) is ignored." }
        @if !figures.is_empty() {
            table {
                thead { tr { th class="num" { "#" } th { "a" } th { "figure of a" } th { "b" } th { "figure of b" } th class="num" { "distance" } th { "note" } th {} } }
                tbody {
                    @for (rank, row) in figures.iter().enumerate() {
                        tr class="figure-pair-row" {
                            td class="num" { (rank + 1) }
                            td { a href=(group_link(row.a)) { (row.a) } }
                            td { code { (row.a_figure) } }
                            td { a href=(group_link(row.b)) { (row.b) } }
                            td { code { (row.b_figure) } }
                            td class="num" { (row.distance) }
                            td { @if row.same_group { "same group" } @else if row.identical { "same file" } }
                            td { a href=(link("/pair", &[("a", row.a.to_string()), ("b", row.b.to_string())])) { "side by side" } }
                        }
                    }
                }
            }
        }
    };
    layout::page("Duplicates", "Duplicates", Some(&f.url("/dupes.json", q, c, 1)), body)
}

/// Every pair the filters keep, as `cohort dupes --json` prints them.
pub async fn json(Extension(app): Extension<Arc<App>>, Query(params): Query<Vec<(String, String)>>) -> Response {
    let (f, d) = match filtered(&app, &params) {
        Ok(found) => found,
        Err(r) => return *r,
    };
    let rows: Vec<_> = d.outcome.pairs.iter().filter(|p| f.keeps(&d, p)).map(|p| row(&d.source, p)).collect();
    let figures = figure_rows(&d, &f);
    layout::json_response(
        &serde_json::json!({ "question": f.question, "cohort": f.cohort, "rows": rows, "figure_rows": figures }),
    )
}

/// The figure pairs the cohort filter keeps (figures belong to no question), as `cohort dupes --figures --json`
/// prints them.
fn figure_rows<'a>(d: &'a Duplicates, f: &Filter) -> Vec<FigurePairJson<'a>> {
    d.figure_pairs
        .iter()
        .map(|p| figure_pair_json(&d.source, p))
        .filter(|r| f.cohort.as_deref().map_or(true, |c| r.cohort_a == c || r.cohort_b == c))
        .collect()
}

/// Two reports compared: the pairs already found between them (or, when the search reported none, the close
/// look of `cohort dupes --show A B`).
fn comparison(
    d: &Duplicates,
    params: &[(String, String)],
) -> Result<(String, String, Comparison), (StatusCode, String)> {
    let bad = |m: String| (StatusCode::BAD_REQUEST, m);
    let (Some(a), Some(b)) = (param(params, "a"), param(params, "b")) else {
        return Err(bad("a pair page needs ?a=ID&b=ID".into()));
    };
    let question = param(params, "question").map(question_key).transpose().map_err(|e| bad(e.to_string()))?;
    let threads = crate::parallel::default_threads();
    let c = compare(&d.source.corpus, &d.base, &d.settings, (a, b), question, threads)
        .map_err(|e| (StatusCode::NOT_FOUND, e.to_string()))?;
    Ok((a.to_string(), b.to_string(), c))
}

/// The duplicate search's outcome and the comparison a pair page asks for, or the page that says why not.
#[allow(clippy::type_complexity)]
fn compared(
    app: &App,
    params: &[(String, String)],
) -> Result<(Arc<Duplicates>, (String, String, Comparison)), Box<Response>> {
    let d = ready(app)?;
    let found = comparison(&d, params).map_err(|(status, e)| Box::new(layout::error_page(status, &e)))?;
    Ok((d, found))
}

pub async fn pair(Extension(app): Extension<Arc<App>>, Query(params): Query<Vec<(String, String)>>) -> Response {
    let (d, (a, b, c)) = match compared(&app, &params) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let src = &d.source;
    let corpus = &src.corpus;
    let twin = link("/pair.json", &params.iter().map(|(k, v)| (k.as_str(), v.clone())).collect::<Vec<_>>());
    let body = html! {
        h1 { (a) " and " (b) }
        p class="legend" {
            mark class="p0" { sup class="passage" { "1" } "Marked" } " passages are shared by both answers: a passage "
            "and its copy have the same colour and number on both sides. "
            span class="template" { "Grey, slanted" } " text is template text: wording found in more than "
            (d.settings.max_reports) " reports' answers to the question (the template's prompts and examples, stock "
            "phrases), which the duplicate search ignores."
        }
        @let shared_figures = figure_rows(&d, &Filter::default()).into_iter().filter(|r| (r.a == a && r.b == b) || (r.a == b && r.b == a)).collect::<Vec<_>>();
        @for row in &shared_figures {
            section class="compare" {
                h2 { "Figure " span class="muted" { " — distance " (row.distance) " bits of 128" @if row.identical { ", the same file" } } }
                div class="pair" {
                    @for (id, path) in [(row.a, row.a_figure), (row.b, row.b_figure)] {
                        div class="side" {
                            h3 { a href=(group_link(id)) { (id) } " " code { (path) } }
                            figure class="figure" {
                                a href=(link("/figure", &[("id", id.to_string()), ("path", path.to_string())])) {
                                    img src=(link("/figure", &[("id", id.to_string()), ("path", path.to_string()), ("size", "thumb".to_string())])) alt=(path);
                                }
                            }
                        }
                    }
                }
            }
        }
        @if c.below_thresholds { p class="note" { "Not reported as a pair; what they share below the thresholds:" } }
        @if c.questions.is_empty() { p class="muted" { "The two share no passage outside common text." } }
        @for q in &c.questions {
            section class="compare" {
                h2 { (q.key.as_str()) span class="muted" { " — " (q.pair.as_ref().map_or_else(|| "no shared passages".to_string(), scores)) } }
                div class="pair" {
                    @for (side, passages, ids, template, fallback, id) in [
                        (q.a, &q.passages.0, &q.passage_ids.0, &q.template.0, c.a, &a),
                        (q.b, &q.passages.1, &q.passage_ids.1, &q.template.1, c.b, &b),
                    ] {
                        @let meta = &corpus.reports[side.map_or(fallback, |i| corpus.answers[i].report)];
                        @let md = side.and_then(|i| src.markdown.get(i)).map_or("", String::as_str);
                        div class="side" {
                            h3 { a href=(group_link(id)) { (id) } " " small class="muted" { "(" (about(meta)) ")" } }
                            @if side.is_none() { p class="muted" { "(no answer)" } }
                            @else { div class="text" { (spans(md, passages, ids, template)) } }
                        }
                    }
                }
            }
        }
    };
    layout::page(&format!("{a} and {b}"), "Duplicates", Some(&twin), body)
}

/// What a stretch of an answer is on the pair page.
#[derive(Clone, Copy)]
enum Span {
    /// Shared passage number k (the same on both sides).
    Shared(usize),
    Template,
}

/// An answer's markdown, escaped, its shared passages in numbered `<mark>`s and its template text greyed.
fn spans(md: &str, passages: &[Range<usize>], ids: &[usize], template: &[Range<usize>]) -> Markup {
    let words = word_spans(md);
    // Word ranges as byte ranges of the markdown (first word's start to last word's end).
    let bytes = |r: &Range<usize>| Some(words.get(r.start)?.start..words.get(r.end.checked_sub(1)?)?.end);
    let mut marks: Vec<(Range<usize>, Span)> = passages
        .iter()
        .zip(ids)
        .filter_map(|(r, k)| Some((bytes(r)?, Span::Shared(*k))))
        .chain(template.iter().filter_map(|r| Some((bytes(r)?, Span::Template))))
        .collect();
    marks.sort_by_key(|(r, _)| r.start);
    let mut parts: Vec<(&str, Option<Span>)> = Vec::new();
    let mut at = 0;
    for (r, kind) in marks {
        // Spans never overlap (template text is outside shared passages); one that would is left unmarked.
        if r.start < at || r.end > md.len() || !md.is_char_boundary(r.start) || !md.is_char_boundary(r.end) {
            continue;
        }
        parts.push((&md[at..r.start], None));
        parts.push((&md[r.clone()], Some(kind)));
        at = r.end;
    }
    parts.push((&md[at..], None));
    html! {
        @for (text, kind) in parts {
            @match kind {
                None => (text),
                Some(Span::Template) => span class="template" title="template text (ignored)" { (text) },
                Some(Span::Shared(k)) => mark class=(format!("p{}", k % 6)) data-passage=(k + 1) title=(format!("shared passage {}", k + 1)) {
                    sup class="passage" { (k + 1) } (text)
                },
            }
        }
    }
}

pub async fn pair_json(Extension(app): Extension<Arc<App>>, Query(params): Query<Vec<(String, String)>>) -> Response {
    let (d, (a, b, c)) = match compared(&app, &params) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let questions: Vec<_> = c
        .questions
        .iter()
        .map(|q| {
            serde_json::json!({
                "question": q.key.as_str(),
                "pair": q.pair.as_ref().map(|p| row(&d.source, p)),
                "a": q.a.and_then(|i| d.source.markdown.get(i)),
                "b": q.b.and_then(|i| d.source.markdown.get(i)),
                "passages_a": q.passages.0.iter().map(|r| [r.start, r.end]).collect::<Vec<_>>(),
                "passages_b": q.passages.1.iter().map(|r| [r.start, r.end]).collect::<Vec<_>>(),
                "passage_ids_a": q.passage_ids.0,
                "passage_ids_b": q.passage_ids.1,
                "template_a": q.template.0.iter().map(|r| [r.start, r.end]).collect::<Vec<_>>(),
                "template_b": q.template.1.iter().map(|r| [r.start, r.end]).collect::<Vec<_>>(),
            })
        })
        .collect();
    layout::json_response(
        &serde_json::json!({ "a": a, "b": b, "below_thresholds": c.below_thresholds, "questions": questions }),
    )
}
