//! Which file of a commit is the report, and which files go with it. Pure functions over the commit's file list
//! (`git ls-tree`), so they are tested without git.
//!
//! The report is `reports/README.md` when that file is a report with at least one answer (the template's place);
//! otherwise the `.md` file that parses as a report (see [`looks_like_report`]) with the most answers, wherever the
//! group put it. An unfilled template left at `reports/README.md` therefore does not hide the report the group
//! wrote elsewhere.
//!
//! What is exported: the report, every local image it references that exists in the commit, and the `figures/`
//! folder beside it, with their paths relative to the report's folder unchanged, so every relative link still
//! resolves. When an image lies outside the report's folder (`../assets/arch.png`), the exported folder is the
//! nearest folder holding both.

use crate::discover::{looks_like_report, skipped_dir, Limits};
use crate::domain::percent::percent_decode;
use crate::domain::{parse_bytes, Report};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One file of a commit, from `git ls-tree -r -l -z`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeFile {
    pub oid: String,
    pub size: u64,
    /// Path in the repository, `/`-separated.
    pub path: String,
}

/// Reads `git ls-tree -r -l -z --full-tree` output: `<mode> SP <type> SP <oid> SP+ <size> TAB <path> NUL`. Only
/// regular files are kept; symbolic links and submodules are never exported, and a path that could leave the
/// output folder (`..`, empty or absolute components) is dropped.
pub fn parse_ls_tree(bytes: &[u8]) -> Vec<TreeFile> {
    bytes
        .split(|b| *b == 0)
        .filter_map(|record| {
            let text = std::str::from_utf8(record).ok()?;
            let (meta, path) = text.split_once('\t')?;
            let mut fields = meta.split_whitespace();
            let (mode, kind, oid, size) = (fields.next()?, fields.next()?, fields.next()?, fields.next()?);
            if kind != "blob" || !matches!(mode, "100644" | "100755") || !safe_path(path) {
                return None;
            }
            Some(TreeFile { oid: oid.to_string(), size: size.parse().ok()?, path: path.to_string() })
        })
        .collect()
}

pub(crate) fn safe_path(path: &str) -> bool {
    !path.is_empty() && path.split('/').all(|c| !c.is_empty() && c != "." && c != ".." && !c.contains('\\'))
}

/// The folder of a repository path (`""` at the root).
pub fn folder(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(f, _)| f)
}

/// The report chosen in a commit.
#[derive(Debug, Clone)]
pub struct Chosen {
    pub file: TreeFile,
    pub bytes: Vec<u8>,
    pub report: Report,
    /// Other files of the commit that also read as reports (an old copy, a second draft): worth a look.
    pub others: Vec<String>,
}

fn answered(r: &Report) -> usize {
    r.answers.iter().filter(|a| a.answered && a.key.is_some()).count()
}

fn is_markdown(path: &str) -> bool {
    Path::new(path).extension().is_some_and(|x| x.eq_ignore_ascii_case("md"))
}

fn in_skipped_dir(path: &str) -> bool {
    let f = folder(path);
    !f.is_empty() && f.split('/').any(skipped_dir)
}

/// Finds the report among a commit's files; `read` gives a file's bytes (`git cat-file blob`).
pub fn choose_report<E>(
    files: &[TreeFile],
    limits: Limits,
    mut read: impl FnMut(&TreeFile) -> Result<Vec<u8>, E>,
) -> Result<Option<Chosen>, E> {
    let preferred = |f: &TreeFile| f.path.eq_ignore_ascii_case("reports/README.md");
    let mut candidates: Vec<&TreeFile> = files
        .iter()
        .filter(|f| is_markdown(&f.path) && !in_skipped_dir(&f.path) && f.size <= limits.max_file_bytes)
        .collect();
    // The template's place first: when it holds an answered report, nothing else needs reading.
    candidates.sort_by_key(|f| !preferred(f));
    let mut reports: Vec<(TreeFile, Vec<u8>, Report)> = Vec::new();
    for f in candidates {
        let bytes = read(f)?;
        let Ok(report) = parse_bytes(Path::new(&f.path), &bytes) else { continue };
        if !looks_like_report(&report) {
            continue;
        }
        if preferred(f) && answered(&report) > 0 {
            return Ok(Some(Chosen { file: f.clone(), bytes, report, others: vec![] }));
        }
        reports.push((f.clone(), bytes, report));
    }
    // Most answers first; then inside a `reports` folder, shallower, the template's place, by path.
    let rank = |(f, _, r): &(TreeFile, Vec<u8>, Report)| {
        let in_reports = folder(&f.path).split('/').any(|c| c.eq_ignore_ascii_case("reports"));
        (std::cmp::Reverse(answered(r)), !in_reports, f.path.matches('/').count(), !preferred(f), f.path.clone())
    };
    reports.sort_by_key(rank);
    let mut it = reports.into_iter();
    Ok(it.next().map(|(file, bytes, report)| Chosen {
        file,
        bytes,
        report,
        others: it.map(|(f, _, _)| f.path).collect(),
    }))
}

/// The repository path an image link points to, or `None` for a web address or a link leaving the repository.
/// A leading `/` is the repository root, as GitHub renders it.
pub fn resolve_image(report_folder: &str, target: &str) -> Option<String> {
    let t = target.trim().trim_matches(['<', '>']);
    let t = t.split(['?', '#']).next().unwrap_or(t);
    if t.is_empty() || t.contains("://") || t.starts_with("//") || t.starts_with("data:") || t.starts_with("mailto:") {
        return None;
    }
    let t = percent_decode(t);
    let (base, rel) = match t.strip_prefix('/') {
        Some(rest) => ("", rest.to_string()),
        None => (report_folder, t),
    };
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The nearest folder holding both (`""` is the root).
fn common_folder<'a>(a: &'a str, b: &str) -> &'a str {
    let mut end = 0;
    let (mut ai, mut bi) = (a.split('/'), b.split('/'));
    let mut pos = 0;
    loop {
        match (ai.next(), bi.next()) {
            (Some(x), Some(y)) if x == y && !x.is_empty() => {
                pos += x.len();
                end = pos;
                pos += 1;
            }
            _ => break,
        }
    }
    &a[..end]
}

/// What to write for one group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The repository folder that becomes `DIR/group_<n>/`.
    pub root: String,
    /// Files to write, by repository path.
    pub files: Vec<TreeFile>,
    /// Local images the report references that are not in the commit (repository paths).
    pub missing_images: Vec<String>,
    /// Files left out, with the reason.
    pub skipped: Vec<String>,
}

/// Plans the export of a chosen report (see the module documentation).
pub fn plan(files: &[TreeFile], chosen: &Chosen, limits: Limits) -> Plan {
    let by_path: BTreeMap<&str, &TreeFile> = files.iter().map(|f| (f.path.as_str(), f)).collect();
    let report_folder = folder(&chosen.file.path);
    let mut root = report_folder;
    let mut wanted: BTreeSet<&str> = BTreeSet::new();
    let mut missing = BTreeSet::new();
    wanted.insert(&chosen.file.path);
    let images = chosen.report.answers.iter().flat_map(|a| a.images.iter());
    for target in images.filter_map(|i| resolve_image(report_folder, &i.target)) {
        match by_path.get_key_value(target.as_str()) {
            Some((path, _)) => {
                if !(root.is_empty() || path.starts_with(&format!("{root}/"))) {
                    root = common_folder(root, folder(path));
                }
                wanted.insert(path);
            }
            None => {
                missing.insert(target);
            }
        }
    }
    let figures = if report_folder.is_empty() { "figures/".to_string() } else { format!("{report_folder}/figures/") };
    wanted.extend(by_path.keys().filter(|p| p.starts_with(&figures)));
    let mut skipped = Vec::new();
    let mut out = Vec::new();
    for path in wanted {
        let Some(f) = by_path.get(path) else { continue };
        if f.size > limits.max_file_bytes {
            skipped.push(format!(
                "{path}: {} MB, over the {} MB limit",
                f.size / 1_000_000,
                limits.max_file_bytes / 1_000_000
            ));
        } else {
            out.push((*f).clone());
        }
    }
    Plan { root: root.to_string(), files: out, missing_images: missing.into_iter().collect(), skipped }
}

/// A repository path relative to the exported root.
pub fn relative_to<'a>(root: &str, path: &'a str) -> &'a str {
    if root.is_empty() {
        path
    } else {
        path.strip_prefix(root).map_or(path, |p| p.trim_start_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(paths: &[&str]) -> Vec<TreeFile> {
        paths
            .iter()
            .enumerate()
            .map(|(i, p)| TreeFile { oid: format!("{i:040}"), size: 10, path: p.to_string() })
            .collect()
    }

    /// A small report in our own words: three template questions (enough to read as a report) and images.
    fn report_md(answer: &str, images: &[&str]) -> String {
        let imgs: String = images.iter().map(|i| format!("![figure]({i})\n")).collect();
        format!(
            "# Exam report\n\n### Question 1\n> **Which group number were you given?**\n>\n> Answer:\n\n{answer}\n\n\
             ### Question 2\n> **Write the study number of each of you.**\n>\n> Answer:\n\n{answer}\n\n\
             ### Question 7\n> **How many tests did you write, and what do they check?**\n>\n> Answer:\n\n{answer}\n{imgs}"
        )
    }

    fn choose(files: &[TreeFile], content: &BTreeMap<&str, String>) -> Option<Chosen> {
        choose_report(files, Limits::default(), |f| {
            Ok::<_, ()>(content.get(f.path.as_str()).cloned().unwrap_or_default().into_bytes())
        })
        .unwrap()
    }

    #[test]
    fn reads_ls_tree_and_drops_unsafe_entries() {
        let out = [
            "100644 blob aaaa     120\treports/README.md",
            "120000 blob bbbb 7\tlink",
            "160000 commit cccc       -\tsub",
            "100755 blob dddd 5\trun.sh",
            "100644 blob eeee 1\ta/../../x",
        ]
        .join("\0");
        let out = out.as_bytes();
        let files = parse_ls_tree(out);
        assert_eq!(files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(), ["reports/README.md", "run.sh"]);
        assert_eq!(files[0].size, 120);
    }

    #[test]
    fn prefers_the_templates_place_and_finds_a_moved_report() {
        let filled = report_md("We wrote twelve tests with pytest for the data and the model.", &[]);
        let files = tree(&["README.md", "reports/README.md", "docs/exam/report.md"]);
        let mut content = BTreeMap::from([
            ("README.md", "# Our project\n\nIt classifies images.\n".to_string()),
            ("reports/README.md", filled.clone()),
            ("docs/exam/report.md", filled.clone()),
        ]);
        assert_eq!(choose(&files, &content).unwrap().file.path, "reports/README.md");
        // Moved: no reports/README.md; the project README is not a report.
        content.remove("reports/README.md");
        let files = tree(&["README.md", "docs/exam/report.md", "node_modules/x/report.md"]);
        content.insert("node_modules/x/report.md", filled.clone());
        let c = choose(&files, &content).unwrap();
        assert_eq!(c.file.path, "docs/exam/report.md");
        assert!(c.others.is_empty(), "{:?}", c.others);
        // An unfilled template left in place does not hide the written report.
        let files = tree(&["reports/README.md", "reports/final.md"]);
        let content = BTreeMap::from([("reports/README.md", report_md("", &[])), ("reports/final.md", filled)]);
        let c = choose(&files, &content).unwrap();
        assert_eq!(c.file.path, "reports/final.md");
        assert_eq!(c.others, ["reports/README.md"]);
        // No report at all.
        let files = tree(&["README.md"]);
        let content = BTreeMap::from([("README.md", "# Project\n".to_string())]);
        assert!(choose(&files, &content).is_none());
    }

    #[test]
    fn resolves_image_links() {
        assert_eq!(resolve_image("reports", "figures/a.png").as_deref(), Some("reports/figures/a.png"));
        assert_eq!(
            resolve_image("reports", "./figures/my%20b.png?raw=true").as_deref(),
            Some("reports/figures/my b.png")
        );
        assert_eq!(resolve_image("reports", "../assets/c.png").as_deref(), Some("assets/c.png"));
        assert_eq!(resolve_image("reports", "/docs/d.png").as_deref(), Some("docs/d.png"));
        assert_eq!(resolve_image("", "e.png").as_deref(), Some("e.png"));
        assert_eq!(resolve_image("reports", "../../outside.png"), None);
        assert_eq!(resolve_image("reports", "https://example.org/f.png"), None);
    }

    #[test]
    fn plans_the_report_its_images_and_figures() {
        let md = report_md("Twelve tests.", &["figures/a.png", "../assets/arch.png", "figures/gone.png"]);
        let files = tree(&[
            "reports/README.md",
            "reports/figures/a.png",
            "reports/figures/unused.png",
            "assets/arch.png",
            "assets/other.png",
            "src/model.py",
        ]);
        let content = BTreeMap::from([("reports/README.md", md)]);
        let chosen = choose(&files, &content).unwrap();
        let p = plan(&files, &chosen, Limits::default());
        assert_eq!(p.root, "", "arch.png lies outside reports/, so the export starts at the root");
        let paths: Vec<&str> = p.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            ["assets/arch.png", "reports/README.md", "reports/figures/a.png", "reports/figures/unused.png"]
        );
        assert_eq!(p.missing_images, ["reports/figures/gone.png"]);
        // Everything inside the report's folder: the folder itself is the root.
        let md = report_md("Twelve tests.", &["figures/a.png"]);
        let files = tree(&["x/reports/README.md", "x/reports/figures/a.png"]);
        let content = BTreeMap::from([("x/reports/README.md", md)]);
        let p = plan(&files, &choose(&files, &content).unwrap(), Limits::default());
        assert_eq!(p.root, "x/reports");
        assert_eq!(
            p.files.iter().map(|f| relative_to(&p.root, &f.path)).collect::<Vec<_>>(),
            ["README.md", "figures/a.png"]
        );
    }

    #[test]
    fn common_folders() {
        assert_eq!(common_folder("a/b/c", "a/b/d"), "a/b");
        assert_eq!(common_folder("a/b", "ab"), "");
        assert_eq!(common_folder("reports", "assets"), "");
        assert_eq!(common_folder("", "x"), "");
    }
}
