//! A report's figures on its group page: images inside the report's folder are shown in place and served with an
//! image type, anything else (leaving the folder, absolute, a link out, HTML named .png, an SVG with a script) is
//! listed and never served. Over HTTP always; in headless Chromium when it is installed.

use crate::common::{add_to_answer, report_files, run_ok};
use crate::serve::{request, start};
use cohort::synth::figures::{picture, png};
use cohort::synth::{write_cohort, CohortSpec};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

struct Fixture {
    _dir: tempfile::TempDir,
    addr: SocketAddr,
    id: String,
}

/// What the report shows, as written, and whether it must be served.
const SHOWN: [(&str, bool); 10] = [
    ("figures/chart.png", true),
    ("figures/photo.jpg", true),
    ("figures/wide.png", true),
    ("figures/plain.svg", true),
    ("../outside.png", false),
    ("/etc/passwd.png", false),
    ("figures/link-out.png", false),
    ("figures/page.png", false),
    ("figures/evil.svg", false),
    ("https://example.invalid/remote.png", false),
];

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let reports = dir.path().join("reports");
        write_cohort(&reports, &CohortSpec { seed: 11, reports: 3, quirks: false, ..Default::default() })
            .expect("cohort");
        let report = report_files(&reports).into_iter().next().expect("a report");
        let folder = report.parent().expect("folder").to_path_buf();
        let figures = folder.join("figures");
        std::fs::create_dir_all(&figures).expect("figures");
        std::fs::write(figures.join("chart.png"), png(&picture(1, 320, 200)).expect("png")).expect("write");
        let mut jpeg = Vec::new();
        image::DynamicImage::ImageRgb8(picture(2, 300, 200))
            .write_to(&mut std::io::Cursor::new(&mut jpeg), image::ImageOutputFormat::Jpeg(80))
            .expect("jpeg");
        std::fs::write(figures.join("photo.jpg"), jpeg).expect("write");
        std::fs::write(figures.join("wide.png"), png(&picture(3, 2000, 500)).expect("png")).expect("write");
        std::fs::write(figures.join("plain.svg"), "<svg xmlns='http://www.w3.org/2000/svg' width='40' height='20'><rect width='40' height='20' fill='teal'/></svg>").expect("write");
        std::fs::write(folder.parent().expect("parent").join("outside.png"), png(&picture(4, 50, 50)).expect("png"))
            .expect("write");
        let secret = dir.path().join("secret.png");
        std::fs::write(&secret, png(&picture(5, 50, 50)).expect("png")).expect("write");
        #[cfg(unix)]
        std::os::unix::fs::symlink(&secret, figures.join("link-out.png")).expect("symlink");
        std::fs::write(figures.join("page.png"), "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>")
            .expect("write");
        std::fs::write(figures.join("evil.svg"), "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'><script>alert(2)</script></svg>")
            .expect("write");
        for (target, _) in SHOWN {
            add_to_answer(&report, 0, &format!("![figure {target}]({target})"));
        }
        let index = dir.path().join("index");
        run_ok(&["ingest", reports.to_str().expect("utf-8"), "--index", index.to_str().expect("utf-8")]);
        let id = report
            .strip_prefix(&reports)
            .ok()
            .and_then(|r| r.iter().next())
            .map(|c| c.to_string_lossy().to_string())
            .expect("id");
        let addr = start(&index, None);
        Fixture { _dir: dir, addr, id }
    })
}

/// The `src` of every `<img>` of a page, unescaped.
fn image_sources(page: &str) -> Vec<String> {
    page.split("<img ")
        .skip(1)
        .filter_map(|tag| tag.split("src=\"").nth(1)?.split('"').next().map(|s| s.replace("&amp;", "&")))
        .collect()
}

/// The figures of [`SHOWN`] that must be served, as their paths.
fn served() -> Vec<String> {
    let mut paths: Vec<String> = SHOWN.iter().filter(|(_, s)| *s).map(|(t, _)| t.to_string()).collect();
    paths.sort();
    paths
}

/// The paths of [`SHOWN`] that these sources load.
fn ours(sources: &[String]) -> Vec<String> {
    let mut paths: Vec<String> = SHOWN
        .iter()
        .map(|(t, _)| t.to_string())
        .filter(|t| sources.iter().any(|s| s.contains(&format!("path={}", t.replace('/', "%2F").replace('.', "%2E")))))
        .collect();
    paths.sort();
    paths
}

/// The raw bytes of a response body (the shared client reads bodies as text).
fn body_bytes(addr: SocketAddr, target: &str) -> Vec<u8> {
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(s, "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").expect("send");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let at = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a head") + 4;
    raw.split_off(at)
}

#[test]
fn the_group_page_shows_the_figures_inside_the_folder_and_lists_the_others() {
    let f = fixture();
    let page = request(f.addr, "GET", &format!("/group/{}", f.id), &[]);
    assert_eq!(page.status, 200);
    let sources = image_sources(&page.body);
    assert_eq!(ours(&sources), served(), "{sources:?}");
    // Every image of the page (the synthetic report's own placeholders too) is served as an image.
    for src in &sources {
        let r = request(f.addr, "GET", src, &[]);
        assert_eq!(r.status, 200, "{src}");
        let kind = r.headers.get("content-type").cloned().unwrap_or_default();
        assert!(kind.starts_with("image/"), "{src}: {kind}");
        assert_eq!(r.headers.get("x-content-type-options").map(String::as_str), Some("nosniff"), "{src}");
        assert!(r.headers.get("content-security-policy").is_some_and(|c| c.contains("sandbox")), "{src}");
        let bytes = body_bytes(f.addr, src);
        assert_eq!(cohort::images::sniff::sniff(&bytes).map(|k| k.mime()), Some(kind.as_str()), "{src}");
    }
    // The wide figure comes scaled down on the page, whole behind its link.
    let wide = sources.iter().find(|s| s.contains("wide")).expect("the wide figure");
    assert!(wide.contains("size=thumb"));
    let thumb = image::load_from_memory(&body_bytes(f.addr, wide)).expect("a picture");
    assert_eq!(thumb.width(), 900);
    // Everything else is listed with its reason; the web address is a link, never an image.
    for (target, reason) in [
        ("../outside.png", "leaves the report's folder"),
        ("/etc/passwd.png", "absolute path"),
        ("figures/link-out.png", "symbolic link"),
        ("figures/page.png", "not an image by its content"),
        ("figures/evil.svg", "SVG holding a script"),
    ] {
        let (target, reason) = (maud::html! { (target) }.into_string(), maud::html! { (reason) }.into_string());
        let listed = page.body.split("<li>").any(|item| item.contains(&target) && item.contains(&reason));
        assert!(listed, "{target}: not listed with {reason:?}");
    }
    assert!(page.body.contains("href=\"https://example.invalid/remote.png\""));
    assert!(!sources.iter().any(|s| s.contains("example.invalid")));
    // Asking for what the report does not show, or for a refused file, is a 404.
    for path in [
        "../outside.png",
        "figures/page.png",
        "figures/evil.svg",
        "figures/link-out.png",
        "README.md",
        "figures/none.png",
    ] {
        let url = format!("/figure?id={}&path={}", f.id, path.replace('/', "%2F"));
        assert_eq!(request(f.addr, "GET", &url, &[]).status, 404, "{path}");
    }
    // The JSON twin lists every figure with its state.
    let twin: serde_json::Value =
        serde_json::from_str(&request(f.addr, "GET", &format!("/group/{}.json", f.id), &[]).body).expect("json");
    let state_of = |target: &str| {
        twin["figures"].as_array().expect("figures").iter().find(|r| r["target"] == target).map(|r| r["state"].clone())
    };
    for (target, served) in SHOWN {
        let expected = if served {
            "ok"
        } else if target.starts_with("https:") {
            "remote"
        } else {
            "refused"
        };
        assert_eq!(state_of(target), Some(serde_json::json!(expected)), "{target}");
    }
}

// --- headless Chromium --------------------------------------------------------------------------------------

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser"].iter().find_map(|name| {
        std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(name)).find(|p| p.is_file())
    })
}

/// One response the proxy passed on: the request target, the status and the content type.
type Seen = (String, u16, String);

/// A byte-exact logging proxy to `server`: each request gets its own connection to the server, and what came
/// back (status, content type) is logged.
fn proxy(server: SocketAddr) -> (SocketAddr, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("proxy");
    let addr = listener.local_addr().expect("addr");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let log = Arc::clone(&log);
            std::thread::spawn(move || relay(client, server, &log));
        }
    });
    (addr, seen)
}

fn relay(mut client: TcpStream, server: SocketAddr, log: &Mutex<Vec<Seen>>) {
    let _ = client.set_read_timeout(Some(Duration::from_secs(60)));
    loop {
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            match client.read(&mut byte) {
                Ok(1) => head.push(byte[0]),
                _ => return,
            }
        }
        let line = String::from_utf8_lossy(&head).lines().next().unwrap_or("").to_string();
        let target = line.split(' ').nth(1).unwrap_or("").to_string();
        let ours = format!("http://{server}");
        let Some(path) = target.strip_prefix(&ours) else {
            let _ = client.write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            return;
        };
        let Ok(mut upstream) = TcpStream::connect(server) else { return };
        let _ = write!(upstream, "GET {path} HTTP/1.1\r\nHost: {server}\r\nConnection: close\r\n\r\n");
        let mut raw = Vec::new();
        if upstream.read_to_end(&mut raw).is_err() {
            return;
        }
        let Some(at) = raw.windows(4).position(|w| w == b"\r\n\r\n") else { return };
        let text = String::from_utf8_lossy(&raw[..at]).into_owned();
        let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let kind = text
            .lines()
            .find_map(|l| {
                l.split_once(':')
                    .filter(|(k, _)| k.eq_ignore_ascii_case("content-type"))
                    .map(|(_, v)| v.trim().to_string())
            })
            .unwrap_or_default();
        log.lock().expect("log").push((path.to_string(), status, kind));
        let body = &raw[at + 4..];
        let mut out = format!("HTTP/1.1 {status} X\r\n");
        for l in text.lines().skip(1) {
            let name = l.split(':').next().unwrap_or("").to_ascii_lowercase();
            if !["connection", "content-length", "transfer-encoding"].contains(&name.as_str()) {
                out.push_str(l);
                out.push_str("\r\n");
            }
        }
        out.push_str(&format!("Content-Length: {}\r\nConnection: keep-alive\r\n\r\n", body.len()));
        if client.write_all(out.as_bytes()).is_err() || client.write_all(body).is_err() {
            return;
        }
    }
}

#[test]
fn the_group_page_in_headless_chromium_loads_every_figure_it_shows() {
    let Some(browser) = chromium() else {
        println!("skipped: chromium is not installed (apt-get install -y --no-install-recommends chromium)");
        return;
    };
    let f = fixture();
    let (proxy_addr, seen) = proxy(f.addr);
    let profile = tempfile::tempdir().expect("profile");
    let out = std::process::Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
            "--window-size=1300,4000",
            "--virtual-time-budget=5000",
            &format!("--user-data-dir={}", profile.path().display()),
            &format!("--proxy-server=http://{proxy_addr}"),
            "--proxy-bypass-list=<-loopback>",
            "--dump-dom",
            &format!("http://{}/group/{}", f.addr, f.id),
        ])
        .output()
        .expect("run chromium");
    assert!(out.status.success(), "chromium: {}", String::from_utf8_lossy(&out.stderr));
    let dom = String::from_utf8_lossy(&out.stdout);
    let sources = image_sources(&dom);
    assert_eq!(ours(&sources), served(), "the DOM's <img> elements: {sources:?}");
    let seen = seen.lock().expect("log").clone();
    for src in &sources {
        let loaded = seen.iter().find(|(path, _, _)| path == src);
        assert!(
            loaded.is_some_and(|(_, status, kind)| *status == 200 && kind.starts_with("image/")),
            "{src} was not loaded as an image: {loaded:?} (seen {seen:?})"
        );
    }
    assert!(!seen
        .iter()
        .any(|(path, _, _)| path.contains("outside") || path.contains("evil") || path.contains("page.png")));
}
