//! What every request passes before a page sees it, and the headers every response carries: GET and HEAD only,
//! the `Host` header naming this server (a page on another site whose name resolves to this machine — DNS
//! rebinding — is refused), and the token when there is one (from `?token=`, then kept in an HttpOnly,
//! SameSite=Strict cookie named for the port, holding a value derived from the token rather than the token).
//!
//! The names a server answers to: the address it is bound to; `localhost` on loopback; on every interface
//! (`0.0.0.0`, `::`) any address of this machine, `localhost` and the machine's host name; and the names staff
//! allow with `--allow-host` (the name other machines reach it by). Always with the bound port.

use super::layout;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The cookie the token is kept in: `cohort_token_PORT` (two servers of one machine keep theirs apart).
pub const COOKIE: &str = "cohort_token";

/// What a request must match.
#[derive(Debug, Clone)]
pub struct Guard {
    port: u16,
    /// Host names and address literals (lower case, IPv6 without brackets) that name this server.
    names: Vec<String>,
    /// Bound to every interface: an address literal is accepted when it is an address of this machine.
    any_interface: bool,
    token: Option<String>,
    /// The cookie's name, and the value it holds when the token was given.
    cookie: (String, Option<String>),
}

impl Guard {
    /// `allowed`: further names the server is reached by (`--allow-host`).
    pub fn new(bound: SocketAddr, token: Option<String>, allowed: &[String]) -> Guard {
        let ip = bound.ip();
        let any_interface = ip.is_unspecified();
        let mut names = vec![ip.to_string()];
        if ip.is_loopback() || any_interface {
            names.push("localhost".into());
        }
        if any_interface {
            names.extend(host_name());
        }
        names.extend(allowed.iter().map(|n| n.trim().trim_end_matches('.').to_ascii_lowercase()));
        names.retain(|n| !n.is_empty());
        names.dedup();
        let port = bound.port();
        let cookie = (format!("{COOKIE}_{port}"), token.as_deref().map(|t| cookie_value(t, port)));
        Guard { port, names, any_interface, token, cookie }
    }

    /// Whether a `Host` header names this server.
    pub fn admits_host(&self, host: &str) -> bool {
        let Some((name, port)) = split_host(host) else { return false };
        if port != self.port {
            return false;
        }
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        if self.names.contains(&name) {
            return true;
        }
        // On every interface: any address of this machine (one that can be bound) names it.
        self.any_interface && name.parse::<IpAddr>().is_ok_and(|ip| std::net::UdpSocket::bind((ip, 0)).is_ok())
    }

    /// How the refusal names what the server answers to.
    fn answers_to(&self) -> String {
        let mut s: Vec<String> = self.names.iter().map(|n| format!("{n}:{}", self.port)).collect();
        if self.any_interface {
            s.push("any address of this machine".into());
        }
        s.join(", ")
    }
}

/// `name:port`, `[v6]:port`, or a name alone (port 80): the name and the port.
fn split_host(host: &str) -> Option<(&str, u16)> {
    if let Some(rest) = host.strip_prefix('[') {
        let (ip, after) = rest.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(p) => p.parse().ok()?,
            None if after.is_empty() => 80,
            None => return None,
        };
        return Some((ip, port));
    }
    match host.rsplit_once(':') {
        Some((name, port)) if !name.contains(':') => Some((name, port.parse().ok()?)),
        Some(_) => None,
        None if host.is_empty() => None,
        None => Some((host, 80)),
    }
}

/// The machine's host name (and its first label), lower case.
fn host_name() -> Vec<String> {
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let short = name.split('.').next().unwrap_or("").to_string();
    [name, short].into_iter().filter(|n| !n.is_empty()).collect()
}

/// The cookie's value: derived from the token and the port, so the cookie neither shows the token to whatever
/// else listens on this machine (cookies are sent to every port) nor opens a server on another port.
fn cookie_value(token: &str, port: u16) -> String {
    let key = blake3::hash(token.as_bytes());
    blake3::keyed_hash(key.as_bytes(), format!("cohort serve cookie {port}").as_bytes()).to_hex().to_string()
}
/// A token of 32 hexadecimal digits from the system's random source.
pub fn generate_token() -> std::io::Result<String> {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Compares in constant time: both sides are hashed to 32 bytes first, so neither a length mismatch nor the
/// first differing byte returns early (no timing hint about the token).
fn same(a: &str, b: &str) -> bool {
    let (x, y) = (blake3::hash(a.as_bytes()), blake3::hash(b.as_bytes()));
    x.as_bytes().iter().zip(y.as_bytes()).fold(0u8, |acc, (p, q)| acc | (p ^ q)) == 0
}

fn cookie_token(req: &Request, name: &str) -> Option<String> {
    req.headers().get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(
        |pair| {
            let (cookie, value) = pair.trim().split_once('=')?;
            (cookie == name).then(|| value.to_string())
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
    if !guard.admits_host(host) {
        return layout::error_page(
            StatusCode::MISDIRECTED_REQUEST,
            &format!(
                "This server answers to {} only (start it with --allow-host NAME for another name).",
                guard.answers_to()
            ),
        );
    }
    let Some(token) = &guard.token else { return next.run(req).await };
    let (given, rest) = query_token(req.uri().query().unwrap_or(""));
    if let Some(given) = given {
        if !same(&given, token) {
            return layout::error_page(StatusCode::UNAUTHORIZED, "Wrong token.");
        }
        // Into the cookie, out of the address bar (and of the history). The path stays on this server: `//host/x`
        // or `/\host/x` would send the browser (and the next request) to another host.
        let path = format!("/{}", req.uri().path().trim_start_matches(['/', '\\']));
        let to = if rest.is_empty() { path } else { format!("{path}?{rest}") };
        let (name, value) = (&guard.cookie.0, guard.cookie.1.as_deref().unwrap_or(""));
        let cookie = format!("{name}={value}; HttpOnly; SameSite=Strict; Path=/");
        let mut r = (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response();
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            r.headers_mut().insert(header::SET_COOKIE, v);
        }
        return r;
    }
    match (cookie_token(&req, &guard.cookie.0), &guard.cookie.1) {
        (Some(c), Some(value)) if same(&c, value) => next.run(req).await,
        _ => layout::error_page(
            StatusCode::UNAUTHORIZED,
            "This server needs its token: open the address with ?token=T once (cohort serve printed it when it made \
             the token).",
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
        assert!(!same("", "abc"));
    }

    #[test]
    fn hosts_name_the_bound_address_its_machine_and_the_names_allowed() {
        let loopback = Guard::new("127.0.0.1:8080".parse().expect("addr"), None, &[]);
        assert!(loopback.admits_host("127.0.0.1:8080") && loopback.admits_host("LOCALHOST:8080"));
        assert!(!loopback.admits_host("127.0.0.1:8081") && !loopback.admits_host("evil.example:8080"));
        assert!(!loopback.admits_host("") && !loopback.admits_host("127.0.0.1"));
        let every = Guard::new("0.0.0.0:8080".parse().expect("addr"), Some("t".repeat(16)), &["Staff.Example".into()]);
        for ok in ["127.0.0.1:8080", "[::1]:8080", "localhost:8080", "staff.example:8080", "staff.example.:8080"] {
            assert!(every.admits_host(ok), "{ok}");
        }
        // 192.0.2.1 is a documentation address: no machine has it.
        for refused in ["evil.example:8080", "staff.example:80", "192.0.2.1:8080", "[::1]", "a:b:8080"] {
            assert!(!every.admits_host(refused), "{refused}");
        }
        let port80 = Guard::new("0.0.0.0:80".parse().expect("addr"), Some("t".repeat(16)), &["staff.example".into()]);
        assert!(port80.admits_host("staff.example"));
    }
}
