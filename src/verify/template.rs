//! Which files are the course template's rather than the group's work: decided by content, not by date.
//!
//! A file is template when its content is the template's as a group got it: the same blob as in the first day of
//! another group's repository verified in the same run (what the groups of a cohort share when they instantiate
//! the course template), or, with the project's own package name and version numbers set aside, the content of a
//! file the course's cookiecutter template writes (`COURSE_FINGERPRINTS`). Only files of the repository's first
//! day are candidates (the template as instantiated: see [`crate::repo::History::template_commit`]); a file the
//! group wrote there (a project uploaded in one go, a squashed history, a re-upload) is the group's work, however
//! old it is.

use crate::repo::{History, Repo, RepoError};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Fingerprints ([`fingerprint`]) of the files the course's cookiecutter template
/// (github.com/SkafteNicki/mlops_template) writes, over its history: one per line, `#` comments. Made by
/// `cargo test --release --test it verify_evidence::print_course_fingerprints -- --ignored --nocapture` with
/// `COHORT_TEMPLATE_REPO` naming a clone of the template (see that test). Data only: no template file is here.
const COURSE_FINGERPRINTS: &str = include_str!("course_template.txt");

/// Files larger than this are never fingerprinted (the template writes small files).
const MAX_FINGERPRINTED: u64 = 64 * 1024;

fn course() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        COURSE_FINGERPRINTS.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect()
    })
}

/// Marks where a project name stood, and where a version number stood (`3.11`, `0.115.6`).
const NAME_MARK: char = '\u{1}';
const VERSION_MARK: char = '\u{2}';

/// The content of a text file with what differs between two instantiations of one template set aside: the
/// project's package names (`names`, each at least 3 characters) become one mark, dotted version numbers another,
/// and `\r\n` line ends `\n`. Two files with the same fingerprint are one template file instantiated twice.
pub fn fingerprint(text: &str, names: &[String]) -> String {
    let mut t = text.replace("\r\n", "\n");
    let mut names: Vec<&String> = names.iter().filter(|n| n.len() >= 3).collect();
    // Longer names first, so a name containing another is replaced whole.
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    for n in names {
        t = t.replace(n.as_str(), &NAME_MARK.to_string());
    }
    let mut out = String::with_capacity(t.len());
    let chars: Vec<char> = t.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || (chars[i] == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
            {
                i += 1;
            }
            if chars[start..i].contains(&'.') {
                out.push(VERSION_MARK);
            } else {
                out.extend(&chars[start..i]);
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    blake3::hash(out.as_bytes()).to_hex()[..32].to_string()
}

/// The package names a project's files show: folders holding an `__init__.py` directly under the root or under
/// `src/` (tests and docs aside), with `-` and `_` spellings.
pub fn package_names<'a>(paths: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut names = HashSet::new();
    for p in paths {
        let parts: Vec<&str> = p.split('/').collect();
        let package = match parts.as_slice() {
            ["src", name, "__init__.py"] | [name, "__init__.py"] => *name,
            _ => continue,
        };
        if !matches!(package, "tests" | "test" | "docs" | "src") {
            names.insert(package.to_string());
            names.insert(package.replace('_', "-"));
        }
    }
    names.into_iter().collect()
}

/// A repository's first day as the template candidates: the blobs of its first commit and of the instantiation
/// still there at the end of the first day, and which of them are the course template's by content.
#[derive(Debug, Clone, Default)]
pub struct FirstDay {
    /// The repository's first commit: two repositories with the same first commit are one repository.
    pub first_commit: String,
    pub blobs: HashSet<String>,
    /// Those whose fingerprint is the course template's.
    pub course: HashSet<String>,
}

impl FirstDay {
    /// Reads the first day of a history (a few trees and the small blobs among them).
    pub fn read(repo: &Repo, history: &History) -> Result<FirstDay, RepoError> {
        let mut objects = repo.objects()?;
        let kept: HashSet<String> = objects.files(&history.first_day_commit)?.into_iter().map(|f| f.oid).collect();
        let mut files = objects.files(&history.first_commit)?;
        files.extend(objects.files(&history.template_commit)?.into_iter().filter(|f| kept.contains(&f.oid)));
        let names = package_names(files.iter().map(|f| f.path.as_str()));
        let mut day = FirstDay { first_commit: history.first_commit.clone(), ..FirstDay::default() };
        for f in files {
            // Only files the rules read are worth a fingerprint (the others count by name, and a cohort's shared
            // blobs cover them).
            if !day.blobs.insert(f.oid.clone()) || f.size > MAX_FINGERPRINTED || !super::snapshot::wanted(&f.path) {
                continue;
            }
            // A blob the repository lacks is simply not known to be the course's.
            let Some(bytes) = objects.read(&f.oid)? else { continue };
            if course().contains(fingerprint(&String::from_utf8_lossy(&bytes), &names).as_str()) {
                day.course.insert(f.oid);
            }
        }
        Ok(day)
    }
}

/// Blobs that the first days of at least two distinct repositories (by first commit) hold: what the groups of a
/// cohort share because they instantiated the same template.
pub fn shared(days: &[&FirstDay]) -> HashSet<String> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut count: HashMap<&str, usize> = HashMap::new();
    for d in days {
        if !seen.insert(d.first_commit.as_str()) {
            continue;
        }
        for b in &d.blobs {
            *count.entry(b.as_str()).or_default() += 1;
        }
    }
    count.into_iter().filter(|(_, n)| *n >= 2).map(|(b, _)| b.to_string()).collect()
}

/// The template's blobs in one repository: its first-day blobs that are the course template's or that another
/// repository's first day shares.
pub fn template_blobs(day: &FirstDay, shared: &HashSet<String>) -> HashSet<String> {
    day.blobs.iter().filter(|b| day.course.contains(*b) || shared.contains(*b)).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_set_aside_names_versions_and_line_ends() {
        let a = "FROM python:3.11-slim\r\nCOPY src/alpha_proj src/alpha_proj\r\n";
        let b = "FROM python:3.12-slim\nCOPY src/beta_thing src/beta_thing\n";
        assert_eq!(fingerprint(a, &["alpha_proj".into()]), fingerprint(b, &["beta_thing".into()]));
        assert_ne!(fingerprint(a, &[]), fingerprint(b, &[]));
        // A plain number is content, not a version.
        assert_ne!(fingerprint("epochs: 10\n", &[]), fingerprint("epochs: 20\n", &[]));
    }

    #[test]
    fn package_names_come_from_init_files() {
        let mut names = package_names(["src/my_pkg/__init__.py", "tests/__init__.py", "src/my_pkg/x.py"].into_iter());
        names.sort();
        assert_eq!(names, ["my-pkg", "my_pkg"]);
    }

    #[test]
    fn shared_counts_repositories_not_copies_of_one() {
        let day = |first: &str, blobs: &[&str]| FirstDay {
            first_commit: first.into(),
            blobs: blobs.iter().map(|b| b.to_string()).collect(),
            course: HashSet::new(),
        };
        let (a, a_again, b) = (day("c1", &["x", "y"]), day("c1", &["x", "y"]), day("c2", &["x", "z"]));
        let s = shared(&[&a, &a_again, &b]);
        assert_eq!(s, HashSet::from(["x".to_string()]));
        assert_eq!(template_blobs(&b, &s), HashSet::from(["x".to_string()]));
    }
}
