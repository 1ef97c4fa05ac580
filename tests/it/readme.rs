//! Every command block of README.md runs as written on a fresh clone of the repository: the `sh` blocks are
//! extracted and each line is run by bash in the clone, with the `cohort` under test first on the PATH and the
//! folders the README names (`2024/`, `2025/`, `2026/`, `reports/`, `group_info.csv`, `templates/`) made of
//! synthetic reports. Skipped, as the only lines that need the network: `cargo` lines (crates are fetched to
//! build) and `cohort scrape` (it clones repositories).

use cohort::synth::{generate, Cohort, CohortSpec, SyntheticReport};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The command lines of the README's `sh` blocks, in order, with their line numbers, comments dropped.
fn command_lines(readme: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut in_sh = false;
    for (i, line) in readme.lines().enumerate() {
        let t = line.trim();
        if t.starts_with("```") {
            in_sh = !in_sh && t == "```sh";
            continue;
        }
        if !in_sh {
            continue;
        }
        // A comment starts at ` #` (no command of the README has a `#` of its own).
        let command = match t.find(" #") {
            Some(at) => &t[..at],
            None if t.starts_with('#') => "",
            None => t,
        };
        if !command.trim().is_empty() {
            out.push((i + 1, command.trim().to_string()));
        }
    }
    out
}

fn needs_network(command: &str) -> bool {
    command.starts_with("cargo ") || command.starts_with("cohort scrape")
}

/// A cohort of one course year whose folders include the groups the README names (12, 15, 31).
fn year(cohort: Cohort, reports: usize) -> Vec<SyntheticReport> {
    for seed in 1.. {
        let made = generate(&CohortSpec { seed, reports, cohort: Some(cohort), quirks: false });
        if [12, 15, 31].iter().all(|g| made.iter().any(|r| r.truth.facts.group == Some(*g))) {
            return made;
        }
    }
    unreachable!("some seed gives every group")
}

fn write(dir: &Path, reports: &[SyntheticReport]) {
    for r in reports {
        let folder = dir.join(&r.id).join("reports");
        std::fs::create_dir_all(folder.join("figures")).expect("mkdir");
        std::fs::write(folder.join("README.md"), &r.markdown).expect("write");
        for f in &r.figures {
            std::fs::write(folder.join(f), b"\x89PNG\r\n\x1a\n").expect("figure");
        }
    }
}

fn clone_of_this_repository(into: &Path) -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let clone = into.join("clone");
    let ok = Command::new("git")
        .args(["clone", "--quiet", "--no-hardlinks"])
        .arg(root)
        .arg(&clone)
        .status()
        .is_ok_and(|s| s.success());
    ok.then_some(clone)
}

#[test]
fn every_readme_command_runs_on_a_fresh_clone() {
    let dir = tempfile::tempdir().expect("temp");
    let Some(clone) = clone_of_this_repository(dir.path()) else {
        eprintln!("skipped: this is not a git repository (or git is missing), so there is no fresh clone to run in");
        return;
    };
    let readme = std::fs::read_to_string(clone.join("README.md")).expect("README");
    let lines = command_lines(&readme);
    assert!(lines.len() > 20, "the README shows its commands in sh blocks: {lines:?}");

    let mut y2026 = year(Cohort::Y2026, 40);
    // The README searches for a local address: one answer has it.
    let md = &mut y2026[0].markdown;
    let at = md.match_indices("Answer:").nth(23).map(|(i, _)| i + "Answer:".len()).expect("24 answers");
    md.insert_str(at, "\n\nWe ran the API at http://localhost:8000/predict before the cloud.\n");
    write(&clone.join("2024"), &year(Cohort::Y2023_24, 40));
    write(&clone.join("2025"), &year(Cohort::Y2025, 40));
    write(&clone.join("2026"), &y2026);
    write(&clone.join("reports"), &y2026);
    let mut list = String::from("group_nb,student 1,student 2,student 3,student 4,student 5,github_repo\n");
    for r in &y2026 {
        let mut students = r.truth.facts.students.clone();
        students.resize(5, String::new());
        // A report that does not state its number is listed under its folder's.
        let Some(g) =
            r.truth.facts.group.or_else(|| r.id.trim_start_matches(|c: char| !c.is_ascii_digit()).parse().ok())
        else {
            continue;
        };
        list.push_str(&format!("{g},{},https://github.com/course/{}\n", students.join(","), r.id));
    }
    std::fs::write(clone.join("group_info.csv"), list).expect("group list");
    std::fs::create_dir_all(clone.join("templates")).expect("mkdir");
    std::fs::write(clone.join("templates/blank.md"), "# Exam template\n\nWrite your answer below this line.\n")
        .expect("w");

    let binary = PathBuf::from(env!("CARGO_BIN_EXE_cohort"));
    let path = format!("{}:{}", binary.parent().expect("bin dir").display(), std::env::var("PATH").unwrap_or_default());
    let mut ran = 0;
    for (number, command) in &lines {
        if needs_network(command) {
            eprintln!("README.md:{number}: skipped (needs the network): {command}");
            continue;
        }
        if serves(command) {
            served(&clone, &path, *number, command);
            ran += 1;
            continue;
        }
        let out = Command::new("bash")
            .args(["-c", command])
            .current_dir(&clone)
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .output()
            .expect("run bash");
        // `--strict` exits 1 on findings by design; every other line must succeed.
        let expected_ok = out.status.success() || (command.contains("--strict") && out.status.code() == Some(1));
        assert!(
            expected_ok,
            "README.md:{number}: `{command}` exited {:?}\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        ran += 1;
    }
    assert!(ran > 20, "{ran} commands ran");
}

/// A line that starts a server, which runs until stopped.
fn serves(command: &str) -> bool {
    command.starts_with("cohort serve") || (command.starts_with("cohort demo") && command.contains("--serve"))
}

/// Runs a server line as written but on a free port (`--port 0`, as 8080 may be taken), waits for the address it
/// prints, asks it for its front page, and stops it.
fn served(clone: &Path, path: &str, number: usize, command: &str) {
    use std::io::{BufRead, Read, Write};
    let mut child = Command::new("bash")
        .args(["-c", &format!("exec {command} --port 0")])
        .current_dir(clone)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("run bash");
    let stdout = child.stdout.take().expect("stdout");
    let address = std::io::BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find_map(|l| l.split("cohort serve: http://").nth(1).and_then(|r| r.split('/').next()).map(str::to_string));
    let page = address.as_deref().and_then(|addr| {
        let mut s = std::net::TcpStream::connect(addr).ok()?;
        s.set_read_timeout(Some(std::time::Duration::from_secs(120))).ok()?;
        s.write_all(format!("GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes()).ok()?;
        let mut reply = String::new();
        s.read_to_string(&mut reply).ok()?;
        Some(reply)
    });
    let _ = child.kill();
    let _ = child.wait();
    let page = page.unwrap_or_else(|| panic!("README.md:{number}: `{command}` printed no address it answers on"));
    assert!(page.starts_with("HTTP/1.1 200") && page.contains("<form"), "README.md:{number}: `{command}`: {page}");
}

#[test]
fn command_lines_are_read_from_sh_blocks_only() {
    let md = "text\n```sh\ncohort a   # note\n# only a comment\n\ncohort b\n```\n```toml\nx = 1\n```\n";
    assert_eq!(command_lines(md), vec![(3, "cohort a".to_string()), (6, "cohort b".to_string())]);
}
