//! Round three of the reliability probes (issue 28) on `cohort serve` and `cohort export`: a server reached under
//! another name, idle connections, huge queries, token hygiene, a new ingest under a running server, findings
//! that must come from the index, and what a pseudonymised export may hold. Each test failed before its fix.

use crate::common::{add_to_answer, json_lines, run_ok};
use crate::serve::{request, start};
use cohort::synth::{write_cohort, CohortSpec};
use cohort::{ingest, IngestOptions};
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A small synthetic cohort, ingested: (temp dir, reports folder, index folder).
fn small_index(seed: u64, reports: usize) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("reports");
    write_cohort(&folder, &CohortSpec { seed, reports, ..Default::default() }).expect("cohort");
    let index = dir.path().join("index");
    ingest(std::slice::from_ref(&folder), &IngestOptions::new(&index)).expect("ingest");
    (dir, folder, index)
}

/// `cohort serve` as a process (what a member of staff runs), stopped by its pid when dropped.
struct Process {
    child: std::process::Child,
    addr: SocketAddr,
    printed: String,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `cohort serve --index INDEX --port 0 ARGS` with `env`, and reaches it through 127.0.0.1 on the port it
/// printed. `None` when it printed nothing (it refused to start).
fn serve_process(index: &Path, args: &[&str], env: &[(&str, &str)]) -> Option<Process> {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("cohort"))
        .args(["serve", "--index", index.to_str().expect("path"), "--port", "0"])
        .args(args)
        .env_remove("COHORT_SERVE_TOKEN")
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn cohort serve");
    let mut line = String::new();
    let read = BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).unwrap_or(0);
    if read == 0 {
        let _ = child.kill();
        let _ = child.wait();
        return None;
    }
    // "cohort serve: http://HOST:PORT/..."
    let after = line.split("http://").nth(1).expect("an address");
    let hostport = after.split('/').next().expect("host and port");
    let port: u16 = hostport.rsplit(':').next().and_then(|p| p.parse().ok()).expect("a port");
    Some(Process { child, addr: SocketAddr::from(([127, 0, 0, 1], port)), printed: line })
}

const TOKEN: &str = "0123456789abcdef-token";

#[test]
fn a_server_on_every_interface_answers_the_names_it_is_reached_by() {
    let (_dir, _reports, index) = small_index(3, 4);
    let server =
        serve_process(&index, &["--host", "0.0.0.0", "--token", TOKEN, "--allow-host", "my-server.example"], &[])
            .expect("the server starts");
    let port = server.addr.port();
    let status = |host: &str| request(server.addr, "GET", &format!("/stats?token={TOKEN}"), &[("Host", host)]).status;
    // An address of this machine, its loopback name, and a name staff allowed: the token is taken (303).
    for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}"), format!("my-server.example:{port}")] {
        assert_eq!(status(&host), 303, "Host: {host}");
    }
    // Any other name (DNS rebinding), or the right name on another port, is still refused.
    for host in [format!("evil.example:{port}"), format!("my-server.example:{}", port.wrapping_add(1)), String::new()] {
        assert_eq!(status(&host), 421, "Host: {host}");
    }
}

#[test]
fn the_token_comes_from_a_file_or_the_environment_and_stays_on_this_server() {
    let (dir, _reports, index) = small_index(4, 4);
    let file = dir.path().join("token.txt");
    std::fs::write(&file, format!("{TOKEN}\n")).expect("token file");
    for (args, env) in [
        (vec!["--host", "0.0.0.0", "--token-file", file.to_str().expect("path")], vec![]),
        (vec!["--host", "0.0.0.0"], vec![("COHORT_SERVE_TOKEN", TOKEN)]),
    ] {
        let server = serve_process(&index, &args, &env).unwrap_or_else(|| panic!("starts with {args:?} {env:?}"));
        assert!(!server.printed.contains(TOKEN), "a token given is not printed: {}", server.printed);
        let addr = server.addr;
        let host = format!("127.0.0.1:{}", addr.port());
        assert_eq!(request(addr, "GET", "/stats", &[("Host", &host)]).status, 401);
        let given = request(addr, "GET", &format!("/stats?token={TOKEN}"), &[("Host", &host)]);
        assert_eq!(given.status, 303, "{args:?} {env:?}");
        // The cookie is named for this port and does not hold the token itself.
        let cookie = given.headers["set-cookie"].split(';').next().expect("cookie").to_string();
        let (name, value) = cookie.split_once('=').expect("name=value");
        assert_eq!(name, format!("cohort_token_{}", addr.port()));
        assert!(!value.contains(TOKEN), "{cookie}");
        assert_eq!(request(addr, "GET", "/stats", &[("Host", &host), ("Cookie", &cookie)]).status, 200);
        // The same value under the name of another port's server opens nothing here.
        let other = format!("cohort_token_{}={value}", addr.port().wrapping_add(1));
        assert_eq!(request(addr, "GET", "/stats", &[("Host", &host), ("Cookie", &other)]).status, 401);
        // A token in the address never sends the browser to another host.
        for path in ["//evil.example/x", "/\\evil.example/x", "///evil.example"] {
            let r = request(addr, "GET", &format!("{path}?token={TOKEN}"), &[("Host", &host)]);
            let to = r.headers.get("location").cloned().unwrap_or_default();
            assert!(
                r.status != 303 || (to.starts_with('/') && !to.starts_with("//") && !to.starts_with("/\\")),
                "{path} -> {} {to}",
                r.status
            );
        }
    }
    // A wrong token of another length is refused like any other.
    let server = serve_process(&index, &["--host", "0.0.0.0", "--token-file", file.to_str().expect("path")], &[])
        .expect("starts");
    let host = format!("127.0.0.1:{}", server.addr.port());
    assert_eq!(request(server.addr, "GET", "/stats?token=x", &[("Host", &host)]).status, 401);
}

#[test]
fn idle_and_slow_connections_are_closed() {
    let (_dir, _reports, index) = small_index(5, 4);
    let addr = start(&index, None);
    // A guard against a server that never closes: far above the header timeout, not a measurement.
    let guard = Duration::from_secs(60);
    let idle = TcpStream::connect(addr).expect("connect");
    idle.set_read_timeout(Some(guard)).expect("timeout");
    let started = Instant::now();
    let mut buf = [0u8; 64];
    let closed = matches!((&idle).read(&mut buf), Ok(0) | Err(_)) && started.elapsed() < guard;
    assert!(closed, "an idle connection is closed by the server");
    // Headers sent a byte at a time are cut off too.
    let mut slow = TcpStream::connect(addr).expect("connect");
    slow.set_read_timeout(Some(Duration::from_millis(500))).expect("timeout");
    let started = Instant::now();
    let mut cut = false;
    for b in b"GET / HTTP/1.1\r\nX-Slow: ".iter().chain(std::iter::repeat(&b'a')) {
        if slow.write_all(&[*b]).is_err() || matches!(slow.read(&mut buf), Ok(0)) {
            cut = true;
            break;
        }
        if started.elapsed() > guard {
            break;
        }
    }
    assert!(cut, "a request whose headers never end is cut off");
    // And the server still answers.
    assert_eq!(request(addr, "GET", "/stats", &[]).status, 200);
}

#[test]
fn huge_queries_are_refused_with_a_clear_page() {
    let (_dir, _reports, index) = small_index(6, 6);
    let addr = start(&index, None);
    let long = (0..3000).map(|i| format!("w{i}")).collect::<Vec<_>>().join("+");
    for path in ["/search", "/search.json"] {
        let r = request(addr, "GET", &format!("{path}?q={long}"), &[]);
        assert!(r.status == 413 || r.status == 400, "{path}: {}", r.status);
        assert!(r.body.len() < 20_000, "the refusal does not repeat the query: {} bytes", r.body.len());
        assert!(r.body.contains("query"), "it says why: {}", r.body);
    }
    // A short query of many prefix terms (each expands to every word it starts) is refused too.
    let prefixes = (0..40).map(|i| format!("{}*", (b'a' + (i % 26) as u8) as char)).collect::<Vec<_>>().join("+OR+");
    let r = request(addr, "GET", &format!("/search?q={prefixes}"), &[]);
    assert_eq!(r.status, 400, "{}", r.body);
    // An ordinary query still works.
    assert_eq!(request(addr, "GET", "/search?q=docker+OR+model*", &[]).status, 200);
}

/// The total hits of a search through the server.
fn total(addr: SocketAddr, q: &str) -> u64 {
    let r = request(addr, "GET", &format!("/search.json?q={q}"), &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    let v: Value = serde_json::from_str(&r.body).expect("JSON");
    v["total"].as_u64().expect("total")
}

#[test]
fn a_running_server_switches_to_a_new_ingest_and_says_which() {
    let (_dir, reports, index) = small_index(8, 5);
    let addr = start(&index, None);
    assert_eq!(total(addr, "freshword"), 0);
    let first = request(addr, "GET", "/stats", &[]).body;
    let file = walk_reports(&reports).into_iter().next().expect("a report");
    add_to_answer(&file, 0, "We wrote freshword everywhere.");
    ingest(std::slice::from_ref(&reports), &IngestOptions::new(&index)).expect("ingest again");
    let live = std::fs::read_to_string(index.join("CURRENT")).expect("CURRENT").trim().to_string();
    // Between two requests: the first after the ingest sees it (the check is not left to chance or a timer).
    let mut seen = 0;
    for _ in 0..20 {
        seen = total(addr, "freshword");
        if seen > 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    assert_eq!(seen, 1, "the server answers from the new ingest");
    let page = request(addr, "GET", "/stats", &[]).body;
    assert!(page.contains(&live), "the page names the ingest it is from ({live})");
    assert!(!first.contains(&live), "the first page was from the older one");
}

fn walk_reports(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "README.md")
        .map(|e| e.into_path())
        .collect();
    out.sort();
    out
}

/// The findings of one report as `check --index --json` prints them.
fn check_index(index: &Path, id: &str) -> Vec<Value> {
    json_lines(&run_ok(&["check", "--index", index.to_str().expect("path"), "--json"]))
        .into_iter()
        .filter(|f| f["id"].as_str() == Some(id))
        .collect()
}

#[test]
#[ignore = "issue 28 defect 13 is not fixed yet: check --index and serve still read the report files"]
fn findings_come_from_the_index_not_from_the_files() {
    let (dir, reports, index) = small_index(9, 4);
    let ids = json_lines(&run_ok(&["reports", "--json", "--index", index.to_str().expect("path")]));
    let id = ids[0]["id"].as_str().expect("id").to_string();
    let before = check_index(&index, &id);
    let group_page = |addr: SocketAddr| -> Value {
        let r = request(addr, "GET", &format!("/group/{}.json", id.replace('/', "%2F")), &[]);
        assert_eq!(r.status, 200, "{}", r.body);
        serde_json::from_str::<Value>(&r.body).expect("JSON")["findings"].clone()
    };
    let served = group_page(start(&index, None));
    assert_eq!(served, Value::Array(before.clone()), "the page and the CLI agree");
    // The file cut short after the ingest.
    let file = walk_reports(&reports).into_iter().find(|f| f.to_string_lossy().contains(&id)).expect("its file");
    let text = std::fs::read(&file).expect("read");
    std::fs::write(&file, &text[..text.len() / 5]).expect("cut");
    assert_eq!(check_index(&index, &id), before, "check --index after the file was cut");
    assert_eq!(group_page(start(&index, None)), served, "serve after the file was cut");
    // The folder moved away.
    std::fs::rename(&reports, dir.path().join("away")).expect("move");
    assert_eq!(check_index(&index, &id), before, "check --index with the folder gone");
    assert_eq!(group_page(start(&index, None)), served, "serve with the folder gone");
}

#[test]
fn a_pseudonymised_export_holds_no_user_name_or_e_mail_address() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("reports");
    write_cohort(&folder, &CohortSpec { seed: 12, reports: 3, ..Default::default() }).expect("cohort");
    // One group's folder named after its GitHub user, with an e-mail address and a student number in an answer.
    let first = walk_reports(&folder).into_iter().next().expect("a report");
    let named = folder.join("janedoe42__mlops-project");
    std::fs::create_dir_all(&named).expect("folder");
    std::fs::rename(&first, named.join("README.md")).expect("move");
    add_to_answer(&named.join("README.md"), 1, "Questions to jane.doe@gmail.com or s216666 please.");
    let index = dir.path().join("index");
    ingest(&[folder], &IngestOptions::new(&index)).expect("ingest");
    let out = dir.path().join("out");
    run_ok(&[
        "export",
        "--index",
        index.to_str().expect("path"),
        "--out",
        out.to_str().expect("path"),
        "--pseudonymise",
    ]);
    let student = regex::Regex::new(r"[sS]\d{6}").expect("regex");
    let mut cells = 0;
    for entry in std::fs::read_dir(&out).expect("out") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("csv") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("csv");
        cells += text.len();
        for needle in ["janedoe42", "jane.doe", "@gmail.com"] {
            assert!(!text.contains(needle), "{} holds {needle}", path.display());
        }
        assert!(!student.is_match(&text), "{} holds a student number", path.display());
    }
    assert!(cells > 1000, "the export wrote its frames");
}

#[test]
fn verdicts_of_a_report_changed_while_it_was_verified_are_not_stored() {
    use cohort::verify::{claims_from_index, store_fresh, GroupResult, RepoFacts, Verdict, VerdictKind};
    let (_dir, reports, index) = small_index(11, 3);
    // What `ingest --repos` reads before verifying (one generation), and a verdict for each of its reports.
    let read = cohort::Index::open(&index).expect("open");
    let results: Vec<GroupResult> = claims_from_index(&index)
        .expect("claims")
        .into_iter()
        .map(|c| GroupResult {
            facts: RepoFacts { record: "repository", id: c.id.clone(), status: "ok".into(), ..Default::default() },
            verdicts: vec![Verdict {
                record: "verdict",
                id: c.id.clone(),
                group: c.group,
                item: "wandb".into(),
                claimed: true,
                verdict: VerdictKind::NoEvidence,
                class: "decidable",
                flagged: true,
                path: None,
                line: None,
                evidence: None,
                snippet: None,
                branch: None,
                note: None,
                commit: None,
                stated: None,
                counted: None,
                removed_by: None,
            }],
        })
        .collect();
    assert_eq!(results.len(), 3);
    // Meanwhile a plain ingest changes one report.
    let manifest = read.manifest().expect("manifest");
    let changed = &manifest.entries[0];
    add_to_answer(&changed.file, 0, "A sentence added while the repositories were read.");
    ingest(std::slice::from_ref(&reports), &IngestOptions::new(&index)).expect("ingest again");
    let stored = store_fresh(&index, &read, results).expect("store");
    assert_eq!((stored.reports, stored.stale), (2, 1), "{stored}");
    let live = cohort::Index::open(&index).expect("open");
    let df = cohort::verify::frame::stored(&live).expect("read").expect("verdicts");
    let ids: Vec<String> =
        df.column("id").expect("id").str().expect("str").iter().flatten().map(String::from).collect();
    assert_eq!(ids.len(), 2);
    assert!(!ids.contains(&changed.id), "the changed report has no verdicts of its old content: {ids:?}");
}
