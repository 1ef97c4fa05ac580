//! What every request passes before a page sees it, and the headers every response carries: GET and HEAD only,
//! the `Host` header naming the address the server is bound to (a page on another site whose name resolves to
//! 127.0.0.1 — DNS rebinding — is refused), and the token when there is one (from `?token=`, then kept in an
//! HttpOnly, SameSite=Strict cookie).

use super::layout;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::sync::Arc;

/// The cookie the token is kept in.
pub const COOKIE: &str = "cohort_token";

/// What a request must match.
#[derive(Debug, Clone)]
pub struct Guard {
    /// `Host` values naming the bound address (`127.0.0.1:8080`, and `localhost:8080` on loopback).
    hosts: Vec<String>,
    token: Option<String>,
}

impl Guard {
    pub fn new(bound: SocketAddr, token: Option<String>) -> Guard {
        let mut hosts = vec![bound.to_string()];
        if bound.ip().is_loopback() {
            hosts.push(format!("localhost:{}", bound.port()));
        }
        Guard { hosts, token }
    }
}

/// A token of 32 hexadecimal digits from the system's random source.
pub fn generate_token() -> std::io::Result<String> {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Compares without stopping at the first difference (no timing hint about the token).
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn cookie_token(req: &Request) -> Option<String> {
    req.headers().get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(
        |pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == COOKIE).then(|| value.to_string())
        },
    )
}

/// The query's `token` parameter, and the query without it.
fn query_token(query: &str) -> (Option<String>, String) {
    let mut token = None;
    let rest: Vec<&str> = query
        .split('&')
        .filter(|p| match p.strip_prefix("token=") {
            Some(t) => {
                token = Some(crate::domain::percent::percent_decode(t));
                false
            }
            None => !p.is_empty(),
        })
        .collect();
    (token, rest.join("&"))
}

/// The middleware: refuses what is not allowed, then adds the security headers to whatever the page returns.
pub async fn check(State(guard): State<Arc<Guard>>, req: Request, next: Next) -> Response {
    let mut response = admit(&guard, req, next).await;
    let h = response.headers_mut();
    // A page may set a stricter policy of its own (a report's figure: a sandbox, nothing loaded).
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'"),
        );
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

async fn admit(guard: &Guard, req: Request, next: Next) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = layout::error_page(StatusCode::METHOD_NOT_ALLOWED, "This server only reads: GET and HEAD.");
        r.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    if !guard.hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        return layout::error_page(
            StatusCode::MISDIRECTED_REQUEST,
            &format!("This server answers to {} only.", guard.hosts.join(" and ")),
        );
    }
    let Some(token) = &guard.token else { return next.run(req).await };
    let (given, rest) = query_token(req.uri().query().unwrap_or(""));
    if let Some(given) = given {
        if !same(&given, token) {
            return layout::error_page(StatusCode::UNAUTHORIZED, "Wrong token.");
        }
        // Into the cookie, out of the address bar (and of the history).
        let to = if rest.is_empty() { req.uri().path().to_string() } else { format!("{}?{rest}", req.uri().path()) };
        let cookie = format!("{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/");
        let mut r = (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response();
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            r.headers_mut().insert(header::SET_COOKIE, v);
        }
        return r;
    }
    match cookie_token(&req) {
        Some(c) if same(&c, token) => next.run(req).await,
        _ => layout::error_page(
            StatusCode::UNAUTHORIZED,
            "This server needs its token: open the address `cohort serve` printed (it ends in ?token=...).",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_leaves_the_query_and_compares_whole() {
        assert_eq!(query_token("q=x&token=ab%20c&page=2"), (Some("ab c".into()), "q=x&page=2".into()));
        assert_eq!(query_token("q=x"), (None, "q=x".into()));
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
    }
}
