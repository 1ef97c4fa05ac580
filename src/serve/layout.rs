//! The page shell (title, navigation, the stylesheet), links built from parameters (every value
//! percent-encoded), and the error pages. maud escapes every string it is given, so report text can never
//! become markup.

use crate::store::text_index::SearchHit;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, PreEscaped, DOCTYPE};

/// Percent-encodes everything but letters, digits, `-`, `_` and `~`: ids and values may hold `/`, `?`, `#`, `.`,
/// spaces or any other character, and must stay one path segment or one query value.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A path with query parameters (empty values left out).
pub fn link(path: &str, params: &[(&str, String)]) -> String {
    let query: Vec<String> =
        params.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", encode(v))).collect();
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// The page of one report.
pub fn group_link(id: &str) -> String {
    format!("/group/{}", encode(id))
}

tokio::task_local! {
    /// The ingest the page being made is read from (its generation and when it was written), set for each
    /// request by the server; shown at the foot of every page.
    pub static FROM: String;
}

/// The pages of the navigation bar.
const NAV: [(&str, &str); 4] =
    [("/search", "Search"), ("/stats", "Statistics"), ("/dupes", "Duplicates"), ("/findings", "Findings")];

/// A whole page: `active` is the navigation entry it belongs to, `json` its twin.
pub fn page(title: &str, active: &str, json: Option<&str>, body: Markup) -> Response {
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · cohort" }
                link rel="stylesheet" href="/assets/serve.css";
                link rel="icon" href="/assets/favicon.svg";
            }
            body {
                header class="top" {
                    a class="brand" href="/" { "cohort" }
                    nav {
                        @for (href, name) in NAV {
                            a href=(href) class=[(active == name).then_some("active")] { (name) }
                        }
                    }
                    @if let Some(j) = json { a class="twin" href=(j) { "JSON" } }
                }
                main { (body) }
                @if let Some(from) = FROM.try_with(String::clone).ok().filter(|f| !f.is_empty()) {
                    footer class="muted" id="from" { "From the index as of ingest " (from) "." }
                }
            }
        }
    };
    html_response(StatusCode::OK, markup)
}

pub fn html_response(status: StatusCode, markup: Markup) -> Response {
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], markup.into_string()).into_response()
}

/// A page saying what went wrong, with its status (never a bare 500 for a bad address or query).
pub fn error_page(status: StatusCode, message: &str) -> Response {
    let title = format!("{} {}", status.as_u16(), status.canonical_reason().unwrap_or(""));
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head { meta charset="utf-8"; title { (title) " · cohort" } link rel="stylesheet" href="/assets/serve.css"; }
            body { main class="error" { h1 { (title) } p { (message) } p { a href="/" { "Back to the search" } } } }
        }
    };
    html_response(status, markup)
}

pub async fn not_found() -> Response {
    error_page(StatusCode::NOT_FOUND, "There is no such page.")
}

/// A JSON document.
pub fn json_response(value: &impl serde::Serialize) -> Response {
    match serde_json::to_vec_pretty(value) {
        Ok(body) => ([(header::CONTENT_TYPE, "application/json")], body).into_response(),
        Err(e) => error_page(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

/// The library could not answer: the index is damaged or unreadable.
pub fn internal(message: &str) -> Response {
    error_page(StatusCode::INTERNAL_SERVER_ERROR, message)
}

/// A hit's passage, escaped, its matched words (the search's `matches`, as `cohort search` marks them) in `<mark>`.
pub fn marked(hit: &SearchHit) -> Markup {
    html! {
        @for (part, matched) in hit.parts() {
            @if matched { mark { (part) } } @else { (part) }
        }
    }
}

/// A table of strings; `numeric` columns are right-aligned.
pub fn table(headers: &[String], rows: &[Vec<String>], numeric: &[bool]) -> Markup {
    let class = |i: usize| numeric.get(i).copied().unwrap_or(false).then_some("num");
    html! {
        table {
            thead { tr { @for (i, h) in headers.iter().enumerate() { th class=[class(i)] { (h) } } } }
            tbody {
                @for row in rows {
                    tr { @for (i, c) in row.iter().enumerate() { td class=[class(i)] { (c) } } }
                }
            }
        }
    }
}

/// Trusted markup made by the library (an SVG figure whose text plotters escaped).
pub fn trusted(svg: &str) -> PreEscaped<String> {
    // The XML declaration is not allowed inside HTML.
    let start = svg.find("<svg").unwrap_or(0);
    PreEscaped(svg[start..].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_stay_one_segment_and_one_value() {
        assert_eq!(encode("a/?#<é> b.json"), "a%2F%3F%23%3C%C3%A9%3E%20b%2Ejson");
        assert_eq!(link("/search", &[("q", "x&y".into()), ("page", String::new())]), "/search?q=x%26y");
        let hit = SearchHit {
            id: "r".into(),
            group: None,
            cohort: "2026".into(),
            question: "tests".into(),
            number: None,
            score: 1.0,
            snippet: String::new(),
            text: "<b> é**x** y".into(),
            matches: vec![[4, 5], [7, 8], [9, 10]],
        };
        // Character offsets (é is two bytes), stars in the text are text, and every part is escaped.
        assert_eq!(marked(&hit).into_string(), "&lt;b&gt; <mark>é</mark>**<mark>x</mark>*<mark>*</mark> y");
    }
}
