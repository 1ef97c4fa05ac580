//! `cohort serve`: every page over a demo index (hostile text included), the security rules, the `.json` twins
//! against the CLI's `--json` output, the index left untouched, and the pages in headless Chromium (skipped with
//! a printed reason when it is not installed).

use crate::common::{json_lines, run_ok};
use cohort::serve::{serve, ServeError, ServeOptions};
use cohort::synth::{write_cohort, CohortSpec};
use cohort::{ingest, IngestOptions};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// The text planted in one report: each piece must come back as text, never as markup or a link.
const HOSTILE: &str = "Our **zebraword** notes <script>alert(1)</script> and \"onmouseover=alert(2) x= and a \
[link](javascript:alert(3)) plus <img src=x onerror=alert(4)>.";
/// The folder (so the id) of the hostile report.
const HOSTILE_DIR: &str = "odd/?#<é> x";

struct Demo {
    _dir: tempfile::TempDir,
    index: PathBuf,
    addr: SocketAddr,
    hostile_id: String,
}

/// A demo cohort with one hostile report, ingested and served once for every test of this module.
fn demo() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let reports = dir.path().join("reports");
        let made = write_cohort(&reports, &CohortSpec { seed: 7, reports: 40, ..Default::default() }).expect("cohort");
        // One report copied under a hostile folder name, with hostile text under its first answer and two boxes
        // of its checklist marked partly done (`[~]`) and unclear (`[?]`).
        let source = made
            .iter()
            .map(|r| std::fs::read_to_string(reports.join(&r.id).join("reports/README.md")).expect("report"))
            .find(|md| md.matches("[ ] ").count() >= 2)
            .expect("a report with two unticked boxes");
        let planted = source.replacen("> Answer:\n\n", &format!("> Answer:\n\n{HOSTILE}\n\n"), 1);
        assert_ne!(planted, source, "the generator writes `> Answer:` lines");
        let planted = planted.replacen("[ ] ", "[~] ", 1).replacen("[ ] ", "[?] ", 1);
        let target = reports.join(HOSTILE_DIR).join("reports");
        std::fs::create_dir_all(&target).expect("hostile folder");
        std::fs::write(target.join("README.md"), planted).expect("hostile report");
        let index = dir.path().join("index");
        ingest(&[reports], &IngestOptions::new(&index)).expect("ingest");
        let ids = json_lines(&run_ok(&["reports", "--json", "--index", index.to_str().expect("path")]));
        let hostile_id = ids
            .iter()
            .filter_map(|r| r["id"].as_str())
            .find(|id| id.contains("?#<é>"))
            .expect("the hostile report is in the index")
            .to_string();
        let addr = start(&index, None);
        Demo { _dir: dir, index, addr, hostile_id }
    })
}

/// Serves `index` on a free loopback port, in a thread that lives as long as the test binary.
pub(crate) fn start(index: &Path, token: Option<String>) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    let opts =
        ServeOptions { index: index.to_path_buf(), host: [127, 0, 0, 1].into(), port: 0, token, allow_hosts: vec![] };
    std::thread::spawn(move || {
        let result = serve(&opts, |addr| {
            let _ = tx.send(addr);
        });
        panic!("the server stopped: {result:?}");
    });
    rx.recv_timeout(Duration::from_secs(120)).expect("the server starts")
}

/// A response: status, headers (lower-case names), body.
pub(crate) struct Reply {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: String,
}

/// A minimal HTTP/1.1 client: one request per connection.
pub(crate) fn request(addr: SocketAddr, method: &str, target: &str, extra: &[(&str, &str)]) -> Reply {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(300))).expect("timeout");
    let mut head = format!("{method} {target} HTTP/1.1\r\nConnection: close\r\n");
    if !extra.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("Host: {addr}\r\n"));
    }
    for (k, v) in extra {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).expect("send");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|c| c.parse().ok()).expect("status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Reply { status, headers, body: body.to_string() }
}

fn get(target: &str) -> Reply {
    request(demo().addr, "GET", target, &[])
}

fn get_ok(target: &str) -> String {
    let r = get(target);
    assert_eq!(r.status, 200, "GET {target}: {}", r.body);
    r.body
}

fn get_json(target: &str) -> Value {
    serde_json::from_str(&get_ok(target)).unwrap_or_else(|e| panic!("GET {target}: not JSON: {e}"))
}

fn index_arg() -> &'static str {
    demo().index.to_str().expect("UTF-8 path")
}

/// The values of `attr="..."` in a page, unescaped as a browser would (`&amp;` only: links carry no other).
fn attributes(page: &str, attr: &str) -> Vec<String> {
    let needle = format!("{attr}=\"");
    page.match_indices(&needle)
        .filter_map(|(i, _)| page[i + needle.len()..].split('"').next())
        .map(|v| v.replace("&amp;", "&"))
        .collect()
}

/// Every file under a folder with its bytes' hash.
fn hashes(dir: &Path) -> BTreeMap<PathBuf, blake3::Hash> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), blake3::hash(&std::fs::read(e.path()).expect("read"))))
        .collect()
}

#[test]
fn every_page_loads_with_its_rows() {
    let search = get_ok("/search?q=test");
    assert!(search.matches("class=\"hit\"").count() >= 5, "search hits listed");
    assert!(search.contains("<mark>"), "matched terms highlighted");
    let stats = get_ok("/stats");
    assert_eq!(stats.matches("<svg").count(), 4, "the four figures inline");
    assert!(stats.contains("git-repo"), "completion per item");
    // Facts per cohort: one table row per row of `cohort stats facts --by cohort`.
    let by_cohort = json_lines(&run_ok(&["stats", "facts", "--by", "cohort", "--json", "--index", index_arg()]));
    let section = stats.split("id=\"facts-by-cohort\"").nth(1).and_then(|s| s.split("</section>").next());
    let section = section.expect("a facts-per-cohort table");
    assert_eq!(section.matches("<tr>").count(), by_cohort.len() + 1, "a header and one row per CLI row");
    assert!(by_cohort.len() >= 6, "three facts in at least two cohorts: {by_cohort:?}");
    let group = get_ok(&format!("/group/{}", cohort_id_encoded(&first_id())));
    assert!(group.matches("class=\"answer\"").count() >= 20, "answers listed");
    assert!(group.contains("Checklist:"), "ticks");
    let dupes = get_ok("/dupes");
    assert!(dupes.contains("pairs reported"));
    let findings = get_ok("/findings");
    assert!(findings.matches("class=\"finding\"").count() >= 1, "findings listed");
    for (path, ty) in
        [("/assets/serve.css", "text/css"), ("/stats/facts.csv", "text/csv"), ("/search.json?q=x", "application/json")]
    {
        let r = get(path);
        assert_eq!(r.status, 200, "{path}");
        assert!(r.headers["content-type"].starts_with(ty), "{path}: {:?}", r.headers["content-type"]);
    }
}

fn first_id() -> String {
    let rows = json_lines(&run_ok(&["reports", "--json", "--index", index_arg()]));
    rows.iter().filter_map(|r| r["id"].as_str()).find(|id| !id.contains('?')).expect("a report").to_string()
}

fn cohort_id_encoded(id: &str) -> String {
    id.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Text as maud escapes it (what a page holds for it).
fn escaped(text: &str) -> String {
    maud::html! { (text) }.into_string()
}

#[test]
fn hits_are_marked_where_the_search_says_they_match() {
    // The matched word sits between `**` in the report: the marks come from the offsets, not from the stars.
    let page = get_ok("/search?q=zebraword");
    assert!(page.contains("**<mark>zebraword</mark>**"), "{page}");
    // Every match of every hit is one <mark> holding exactly the matched characters, and nothing else is marked.
    let twin = get_json("/search.json?q=test%20OR%20docker");
    let page = get_ok("/search?q=test%20OR%20docker");
    let mut marks = 0;
    for row in twin["rows"].as_array().expect("rows") {
        let text: Vec<char> = row["text"].as_str().expect("text").chars().collect();
        for m in row["matches"].as_array().expect("matches") {
            let (start, end) = (m[0].as_u64().expect("start") as usize, m[1].as_u64().expect("end") as usize);
            let word: String = text[start..end].iter().collect();
            assert!(page.contains(&format!("<mark>{}</mark>", escaped(&word))), "{word:?} is marked");
            marks += 1;
        }
    }
    assert!(marks >= 20, "{marks} matches");
    assert_eq!(page.matches("<mark>").count(), marks);
}

#[test]
fn a_group_page_shows_facts_with_their_sentences_and_tick_states() {
    let d = demo();
    let link = format!("/group/{}", cohort_id_encoded(&d.hostile_id));
    let page = get_ok(&link);
    let twin = get_json(&format!("{link}.json"));
    let provenance = twin["summary"]["provenance"].as_object().expect("facts with provenance");
    let shown = run_ok(&["show", &d.hostile_id, "--index", index_arg()]);
    let mut facts = 0;
    for fact in ["group", "tests", "coverage", "credits", "most_expensive_service"] {
        let Some(p) = provenance.get(fact) else { continue };
        let row = page
            .split(&format!("id=\"fact-{fact}\""))
            .nth(1)
            .and_then(|rest| rest.split("</tr>").next())
            .unwrap_or_else(|| panic!("a row for {fact}"));
        let (rule, line, sentence) =
            (p["rule"].as_str().expect("rule"), p["line"].as_u64().expect("line"), p["sentence"].as_str().expect("s"));
        assert!(row.contains(rule) && row.contains(&format!(">{line}<")), "{fact}: {row}");
        assert!(row.contains(&escaped(sentence)), "{fact}: the sentence it was read from: {row}");
        // `cohort show` lists the same rule and line for it.
        assert!(shown.lines().any(|l| l.contains(rule) && l.contains(&format!("line {line:>4}"))), "{fact}: {shown}");
        facts += 1;
    }
    assert!(facts >= 2, "{facts} facts with provenance");
    let states: Vec<&str> =
        twin["checklist"].as_array().expect("checklist").iter().filter_map(|r| r["state"].as_str()).collect();
    assert!(states.contains(&"partial") && states.contains(&"unclear"), "{states:?}");
    assert!(page.contains("class=\"partial\"") && page.contains("(partial)"), "a partly done box shows as such");
    assert!(page.contains("class=\"unclear\"") && page.contains("(unclear)"), "an unclear box shows as such");
    assert!(page.contains("1 partly done, 1 unclear"), "the heading counts them");
    // This index has no verdicts: no section for them, and null in the twin.
    assert!(!page.contains("Claims the repository does not support"));
    assert!(twin["unsupported"].is_null());
}

#[test]
fn pair_pages_number_shared_passages_alike_and_grey_template_text() {
    let dupes = get_json("/dupes.json");
    let rows = dupes["rows"].as_array().expect("rows");
    assert!(!rows.is_empty(), "the demo has duplicate pairs");
    let mut template_seen = false;
    for pair in rows.iter().take(8) {
        let (a, b, key) =
            (pair["a"].as_str().expect("a"), pair["b"].as_str().expect("b"), pair["key"].as_str().expect("k"));
        let url = format!("/pair?a={}&b={}&question={key}", cohort_id_encoded(a), cohort_id_encoded(b));
        let twin = get_json(&url.replacen("/pair?", "/pair.json?", 1));
        let q = &twin["questions"][0];
        let ids = |side: &str| -> BTreeSet<u64> {
            q[format!("passage_ids_{side}")].as_array().expect("ids").iter().filter_map(Value::as_u64).collect()
        };
        assert!(!ids("a").is_empty(), "{url}: a reported pair shares passages");
        assert_eq!(ids("a"), ids("b"), "{url}: every passage has its copy on the other side");
        let page = get_ok(&url);
        let sides: Vec<&str> = page.split("class=\"side\"").skip(1).collect();
        assert_eq!(sides.len(), 2, "{url}");
        let numbers = |side: &str| -> BTreeSet<String> {
            side.split("data-passage=\"").skip(1).filter_map(|r| r.split('"').next()).map(str::to_string).collect()
        };
        assert_eq!(numbers(sides[0]), numbers(sides[1]), "{url}: the same passage numbers on both sides");
        assert_eq!(numbers(sides[0]).len(), ids("a").len(), "{url}");
        let template = |side: &str| !q[format!("template_{side}")].as_array().expect("template").is_empty();
        if template("a") && template("b") {
            template_seen = true;
            assert!(
                sides.iter().all(|s| s.contains("class=\"template\"")),
                "{url}: template text greyed on both sides"
            );
        }
    }
    assert!(template_seen, "a pair of the demo shares template text");
}

#[test]
fn facet_links_narrow_the_hits() {
    let all = get_json("/search.json?q=test");
    let total = all["total"].as_u64().expect("total");
    let page = get_ok("/search?q=test");
    let facet_links: Vec<String> = attributes(&page, "href").into_iter().filter(|h| h.contains("question=")).collect();
    assert!(!facet_links.is_empty(), "question facets link somewhere");
    let first = &facet_links[0];
    let narrowed = get_json(&first.replacen("/search?", "/search.json?", 1));
    let key = narrowed["question"].as_str().expect("the facet sets the question").to_string();
    let n = narrowed["total"].as_u64().expect("total");
    assert!(n < total, "{first}: {n} of {total}");
    let expected =
        all["facets"]["question"].as_array().expect("facets").iter().find(|e| e[0] == key).expect("facet")[1].as_u64();
    assert_eq!(Some(n), expected, "the facet's count is the narrowed total");
    assert!(narrowed["rows"].as_array().expect("rows").iter().all(|h| h["question"] == key.as_str()));
    // Toggling the selected facet off links back to the whole result.
    let narrowed_page = get_ok(first);
    assert!(attributes(&narrowed_page, "href").iter().any(|h| h == "/search?q=test"), "the selected facet clears");
    // Paging: page 2 continues where page 1 stopped, as the CLI's --limit 40 does.
    let cli = json_lines(&run_ok(&["search", "test", "--limit", "40", "--json", "--index", index_arg()]));
    let p2 = get_json("/search.json?q=test&page=2");
    assert_eq!(p2["rows"].as_array().expect("rows")[..], cli[20..]);
}

#[test]
fn json_twins_equal_the_cli_on_the_demo_index() {
    twins_equal_cli(demo().addr, index_arg());
}

fn twins_equal_cli(addr: SocketAddr, index: &str) {
    let json = |target: &str| -> Value {
        let r = request(addr, "GET", target, &[]);
        assert_eq!(r.status, 200, "{target}");
        serde_json::from_str(&r.body).expect("JSON")
    };
    let mut found = 0;
    for (q, question) in [
        ("test", None),
        ("\"unit tests\"", None),
        ("docker OR kubernetes", Some("deploy")),
        ("cloud OR gcp", Some("deploy")),
        ("zzzunknownword", None),
    ] {
        let mut args = vec!["search", q, "--json", "--index", index];
        let mut target = format!("/search.json?q={}", cohort_id_encoded(q));
        if let Some(k) = question {
            args.extend(["--question", k]);
            target.push_str(&format!("&question={k}"));
        }
        // Exit status 1 is "nothing matches": no rows, as the twin must say too.
        let out = crate::common::cohort().args(&args).output().expect("search");
        assert!(matches!(out.status.code(), Some(0 | 1)), "search {q}: {}", String::from_utf8_lossy(&out.stderr));
        let cli = json_lines(&String::from_utf8_lossy(&out.stdout));
        let twin = json(&target);
        assert_eq!(twin["rows"].as_array().expect("rows")[..], cli[..], "search {q}");
        assert_eq!(twin["total"] == 0, out.status.code() == Some(1), "search {q}: total {}", twin["total"]);
        found += cli.len();
    }
    assert!(found >= 40, "the searches find something: {found}");
    let stats = json("/stats.json");
    for (key, args) in [
        ("checklist-item", vec!["stats", "checklist", "--by", "item"]),
        ("checklist-week", vec!["stats", "checklist", "--by", "week"]),
        ("checklist-module", vec!["stats", "checklist", "--by", "module"]),
        ("checklist-cohort", vec!["stats", "checklist", "--by", "cohort"]),
        ("facts", vec!["stats", "facts"]),
        ("facts-by-cohort", vec!["stats", "facts", "--by", "cohort"]),
    ] {
        let cli = json_lines(&run_ok(&[&args[..], &["--json", "--index", index]].concat()));
        assert_eq!(stats[key].as_array().expect(key)[..], cli[..], "{key}");
    }
    let dupes = json_lines(&run_ok(&["dupes", "--json", "--index", index]));
    assert_eq!(json("/dupes.json")["rows"].as_array().expect("rows")[..], dupes[..], "dupes");
    let out = crate::common::cohort().args(["check", "--json", "--index", index]).output().expect("check");
    let check = json_lines(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(json("/findings.json")["rows"].as_array().expect("rows")[..], check[..], "check");
}

#[test]
fn json_twins_equal_the_cli_on_the_corpus() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        println!("skipped: ../shared/corpus is not here");
        return;
    }
    let dir = tempfile::tempdir().expect("temp");
    let index = dir.path().join("index");
    ingest(&[corpus], &IngestOptions::new(&index)).expect("ingest the corpus");
    let addr = start(&index, None);
    twins_equal_cli(addr, index.to_str().expect("path"));
}

#[test]
fn hostile_text_renders_as_text_and_its_links_reach_the_page() {
    let d = demo();
    let page = get_ok("/search?q=zebraword");
    for bad in ["<script", "\"onmouseover=", "<img src=x", "href=\"javascript:"] {
        assert!(!page.contains(bad), "search page holds {bad:?}");
    }
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the script shows as text");
    assert!(page.contains("&quot;onmouseover=alert(2)"), "the quote shows as text");
    // The hit links to the hostile report's page, whose id holds `/?#<é>`.
    let link =
        attributes(&page, "href").into_iter().find(|h| h.starts_with("/group/odd")).expect("a link to the report");
    assert!(!link[7..].contains(['/', '?', '#', '<']), "the id is one encoded segment: {link}");
    let group = get_ok(&link);
    assert!(group.contains(&maud::html! { (d.hostile_id) }.into_string()), "the page is the hostile report's");
    assert!(!group.contains("<script") && !group.contains("href=\"javascript:"));
    let twin = get_json(&format!("{link}.json"));
    assert_eq!(twin["summary"]["id"], d.hostile_id.as_str());
    // A link to an answer of that report carries the encoded id too.
    let findings = get_ok(&format!("/findings?id={}", cohort_id_encoded(&d.hostile_id)));
    assert!(!findings.contains("<script"));
}

#[test]
fn the_server_refuses_what_it_must() {
    let addr = demo().addr;
    for path in [
        "/..",
        "/../Cargo.toml",
        "/%2e%2e%2f",
        "/%2e%2e%2fCargo.toml",
        "/assets/..%2fCargo.toml",
        "/assets/%2e%2e%2f%2e%2e%2fCargo.toml",
        "/group/..",
        "/group/%2e%2e%2f",
        "/nowhere",
    ] {
        assert_eq!(get(path).status, 404, "{path}");
    }
    let post = request(addr, "POST", "/search?q=x", &[("Content-Length", "0")]);
    assert_eq!(post.status, 405);
    assert_eq!(post.headers.get("allow").map(String::as_str), Some("GET, HEAD"));
    assert_eq!(request(addr, "PUT", "/", &[("Content-Length", "0")]).status, 405);
    assert_eq!(request(addr, "HEAD", "/stats", &[]).status, 200);
    assert_eq!(request(addr, "GET", "/", &[("Host", "evil.example:80")]).status, 421, "DNS rebinding");
    assert_eq!(request(addr, "GET", "/", &[("Host", &format!("localhost:{}", addr.port()))]).status, 200);
    assert_eq!(get("/search?q=x&group=abc").status, 400);
    assert_eq!(get("/search?q=x&question=nope").status, 400);
    assert_eq!(get("/search?q=x&page=0").status, 400);
    assert_eq!(get("/findings?rule=nope").status, 400);
    assert_eq!(get("/pair?a=nope&b=nada").status, 404);
    let r = get("/group/no-such-report");
    assert_eq!(r.status, 404);
    assert!(r.body.contains("no-such-report"), "a page that says what is missing");
    for r in [get("/"), get("/nowhere"), post] {
        assert_eq!(r.headers["content-security-policy"].split(';').next(), Some("default-src 'self'"));
        assert_eq!(r.headers["x-content-type-options"], "nosniff");
        assert_eq!(r.headers["referrer-policy"], "no-referrer");
        assert_eq!(r.headers["cache-control"], "no-store");
    }
}

#[test]
fn a_reachable_address_needs_a_token() {
    let opts = ServeOptions {
        index: demo().index.clone(),
        host: [0, 0, 0, 0].into(),
        port: 0,
        token: None,
        allow_hosts: vec![],
    };
    assert!(matches!(serve(&opts, |_| panic!("must not listen")), Err(ServeError::NoToken { .. })));
    let out = crate::common::cohort()
        .args(["serve", "--host", "0.0.0.0", "--port", "0", "--index", index_arg()])
        .timeout(Duration::from_secs(60))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("without a token"));
    // With a token: refused without it, kept in a strict cookie once given.
    let token = "0123456789abcdef0123";
    let addr = start(&demo().index, Some(token.into()));
    assert_eq!(request(addr, "GET", "/stats", &[]).status, 401);
    let given = request(addr, "GET", &format!("/stats?token={token}"), &[]);
    assert_eq!(given.status, 303);
    assert_eq!(given.headers["location"], "/stats");
    let cookie = &given.headers["set-cookie"];
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let pair = cookie.split(';').next().expect("cookie");
    assert_eq!(request(addr, "GET", "/stats", &[("Cookie", pair)]).status, 200);
    assert_eq!(request(addr, "GET", "/stats", &[("Cookie", "cohort_token=wrong")]).status, 401);
}

/// Same-site links of a page.
fn links(page: &str) -> Vec<String> {
    attributes(page, "href").into_iter().chain(attributes(page, "src")).filter(|h| h.starts_with('/')).collect()
}

#[test]
fn crawling_every_page_changes_no_file_of_the_index() {
    let before = hashes(&demo().index);
    let mut seen = BTreeSet::new();
    let mut queue = vec!["/".to_string(), "/search?q=test".into(), "/search?q=zebraword".into()];
    while let Some(target) = queue.pop() {
        if seen.len() >= 400 || !seen.insert(target.clone()) {
            continue;
        }
        let r = get(&target);
        assert!(r.status == 200 || r.status == 404, "{target}: {}", r.status);
        assert_ne!(r.status, 500, "{target}");
        if r.headers.get("content-type").is_some_and(|t| t.starts_with("text/html")) {
            queue.extend(links(&r.body).into_iter().filter(|l| !seen.contains(l)));
        }
    }
    assert!(seen.len() > 100, "crawled {} pages", seen.len());
    for must in ["/stats", "/dupes", "/findings"] {
        assert!(seen.contains(must), "{must} is linked");
    }
    assert!(seen.iter().any(|s| s.starts_with("/group/")) && seen.iter().any(|s| s.starts_with("/pair?")));
    assert_eq!(hashes(&demo().index), before, "the index's files are unchanged");
}

// --- Chromium -------------------------------------------------------------------------------------------------

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser"].iter().find_map(|name| {
        std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(name)).find(|p| p.is_file())
    })
}

/// A logging HTTP proxy on loopback: every request the browser makes passes it (loopback included), and it
/// forwards only those for `server`; it returns the request lines it saw.
fn proxy(server: SocketAddr) -> (SocketAddr, Arc<Mutex<Vec<String>>>) {
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

fn relay(mut client: TcpStream, server: SocketAddr, log: &Mutex<Vec<String>>) {
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
        let text = String::from_utf8_lossy(&head).into_owned();
        let line = text.lines().next().unwrap_or("").to_string();
        log.lock().expect("log").push(line.clone());
        let target = line.split(' ').nth(1).unwrap_or("");
        let ours = format!("http://{server}/");
        let Some(path) = target.strip_prefix(&ours[..ours.len() - 1]) else {
            let _ = client.write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            return;
        };
        let method = line.split(' ').next().unwrap_or("GET");
        let reply = request(server, method, path, &[]);
        let mut out = format!("HTTP/1.1 {} X\r\n", reply.status);
        for (k, v) in &reply.headers {
            if k != "connection" && k != "content-length" && k != "transfer-encoding" {
                out.push_str(&format!("{k}: {v}\r\n"));
            }
        }
        out.push_str(&format!("Content-Length: {}\r\nConnection: keep-alive\r\n\r\n", reply.body.len()));
        if client.write_all(out.as_bytes()).is_err() || client.write_all(reply.body.as_bytes()).is_err() {
            return;
        }
    }
}

/// Runs headless Chromium on one URL through the proxy: `--dump-dom` (returned) or `--screenshot=FILE`.
fn browse(browser: &Path, proxy: SocketAddr, url: &str, screenshot: Option<&Path>) -> String {
    let profile = tempfile::tempdir().expect("profile");
    let mut cmd = std::process::Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        &format!("--user-data-dir={}", profile.path().display()),
        &format!("--proxy-server=http://{proxy}"),
        // Loopback is not exempt from the proxy: every request is seen.
        "--proxy-bypass-list=<-loopback>",
    ]);
    match screenshot {
        Some(file) => {
            cmd.args(["--window-size=1400,1600", "--hide-scrollbars", &format!("--screenshot={}", file.display())])
        }
        None => cmd.arg("--dump-dom"),
    };
    let out = cmd.arg(url).output().expect("run chromium");
    assert!(out.status.success(), "chromium {url}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn pages_in_headless_chromium() {
    let Some(browser) = chromium() else {
        println!("skipped: chromium is not installed (apt-get install -y --no-install-recommends chromium)");
        return;
    };
    let d = demo();
    let (proxy_addr, seen) = proxy(d.addr);
    let base = format!("http://{}", d.addr);
    let dupes = get_json("/dupes.json");
    let pair = &dupes["rows"][0];
    let pair_url = match (pair["a"].as_str(), pair["b"].as_str()) {
        (Some(a), Some(b)) => format!(
            "/pair?a={}&b={}&question={}",
            cohort_id_encoded(a),
            cohort_id_encoded(b),
            pair["key"].as_str().unwrap_or("")
        ),
        _ => String::new(),
    };
    let group_url = format!("/group/{}", cohort_id_encoded(&d.hostile_id));
    let pages: Vec<(&str, String, &str, usize)> = vec![
        ("search", "/search?q=test".into(), "class=\"hit\"", 20),
        ("search-facet", "/search?q=test&question=tests".into(), "class=\"hit\"", 1),
        ("stats", "/stats".into(), "<svg", 4),
        ("group", group_url, "class=\"answer\"", 20),
        ("dupes", "/dupes".into(), "class=\"pair-row\"", usize::from(!pair_url.is_empty())),
        ("pair", if pair_url.is_empty() { "/pair?a=x&b=y".into() } else { pair_url }, "class=\"side\"", 0),
        ("findings", "/findings".into(), "class=\"finding\"", 1),
    ];
    let shots = std::env::var_os("COHORT_SCREENSHOTS").map(PathBuf::from);
    for (name, path, marker, at_least) in &pages {
        let dom = browse(&browser, proxy_addr, &format!("{base}{path}"), None);
        assert!(dom.matches(marker).count() >= *at_least, "{name}: {} × {marker}", dom.matches(marker).count());
        assert!(!dom.contains("<script"), "{name}: a script element in the DOM");
        if let Some(dir) = &shots {
            std::fs::create_dir_all(dir).expect("screenshot folder");
            browse(&browser, proxy_addr, &format!("{base}{path}"), Some(&dir.join(format!("{name}.png"))));
        }
    }
    // The facet narrowed the DOM's hit count to the facet's own.
    let narrowed = browse(&browser, proxy_addr, &format!("{base}/search.json?q=test&question=tests"), None);
    assert!(narrowed.contains("\"question\": \"tests\""));
    let seen = seen.lock().expect("log");
    assert!(seen.len() >= pages.len() * 2, "every page and its stylesheet went through the proxy: {seen:?}");
    let ours = format!("http://{}/", d.addr);
    // Chromium's own service pings (update, time, accounts) reach the proxy too, which refuses them; what is
    // asserted is that nothing else tries to leave: no page loads anything from outside.
    let browser_own = |l: &&String| {
        let host =
            l.split(' ').nth(1).unwrap_or("").trim_start_matches("http://").split(['/', ':']).next().unwrap_or("");
        host.ends_with(".google.com") || host.ends_with(".googleapis.com")
    };
    let outside: Vec<&String> = seen
        .iter()
        .filter(|l| !l.split(' ').nth(1).is_some_and(|t| t.starts_with(&ours)))
        .filter(|l| !browser_own(l))
        .collect();
    assert!(outside.is_empty(), "requests that left 127.0.0.1:{}: {outside:?}", d.addr.port());
}
