//! Which cohort (course year) a report belongs to. In order: the label staff give for the folder it was read
//! from (`--cohort`, one for every folder or one per folder); else the year of the commit that `cohort scrape`
//! exported it from (its `source.json`: the course runs in January, so a January deadline belongs to that
//! year's course); else the template generation's label ([`crate::domain::Report::inferred_cohort`]), which is
//! a guess: "2023-24" stands for two course years.

use std::path::{Path, PathBuf};

/// Where a report's cohort label came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// `--cohort` for its folder.
    Given,
    /// The commit time in the `source.json` beside it.
    Scraped,
    /// Its template generation: a guess.
    Template,
}

/// Why the labels given do not fit the folders.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{labels} cohort labels for {paths} folders: give one --cohort for all of them, or one per folder in the order \
     the folders are named"
)]
pub struct LabelCountError {
    pub labels: usize,
    pub paths: usize,
}

/// The cohort labels given for the folders of one command.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    /// (folder as named, its canonical path, label)
    per_path: Vec<(PathBuf, Option<PathBuf>, String)>,
}

impl Labels {
    /// No label, one label for every path, or one per path.
    pub fn new(paths: &[PathBuf], labels: &[String]) -> Result<Labels, LabelCountError> {
        let per_path = match labels.len() {
            0 => Vec::new(),
            1 => paths.iter().map(|p| (p.clone(), std::fs::canonicalize(p).ok(), labels[0].clone())).collect(),
            n if n == paths.len() => {
                paths.iter().zip(labels).map(|(p, l)| (p.clone(), std::fs::canonicalize(p).ok(), l.clone())).collect()
            }
            n => return Err(LabelCountError { labels: n, paths: paths.len() }),
        };
        Ok(Labels { per_path })
    }

    /// The label given for the folder `file` was found in (the longest folder that holds it).
    pub fn given(&self, file: &Path) -> Option<&str> {
        let real = std::fs::canonicalize(file).ok();
        self.per_path
            .iter()
            .filter(|(p, r, _)| match (&real, r) {
                (Some(f), Some(r)) => file.starts_with(p) || f.starts_with(r),
                _ => file.starts_with(p),
            })
            .max_by_key(|(p, _, _)| p.components().count())
            .map(|(_, _, l)| l.as_str())
    }

    /// The label of a report file found under `root`, unless only its template can tell.
    pub fn known(&self, file: &Path, root: &Path) -> Option<(String, Basis)> {
        if let Some(l) = self.given(file) {
            return Some((l.to_string(), Basis::Given));
        }
        scraped_year(file, root).map(|y| (y, Basis::Scraped))
    }
}

/// The course year of a report `cohort scrape` exported: the year of the commit time (else the deadline) in the
/// nearest `source.json` in the report's folder or a folder above it, up to `root`.
pub fn scraped_year(file: &Path, root: &Path) -> Option<String> {
    let mut folder = file.parent();
    while let Some(dir) = folder {
        let source = dir.join(crate::scrape::SOURCE_FILE);
        if let Ok(bytes) = std::fs::read(&source) {
            let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
            let time = ["commit_time", "deadline"].iter().find_map(|k| v.get(*k).and_then(|t| t.as_str()))?;
            return year_of(time);
        }
        if dir == root || !dir.starts_with(root) {
            break;
        }
        folder = dir.parent();
    }
    None
}

/// The year of an ISO 8601 date or time (`2026-01-23T18:47:45+01:00`).
fn year_of(time: &str) -> Option<String> {
    let year = time.trim().get(..4)?;
    let rest = time.trim().get(4..5);
    (year.chars().all(|c| c.is_ascii_digit()) && matches!(rest, None | Some("-"))).then(|| year.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_label_for_all_or_one_per_folder() {
        let paths = vec![PathBuf::from("y/2024"), PathBuf::from("y/2025")];
        let l = Labels::new(&paths, &["2024".into(), "2025".into()]).unwrap();
        assert_eq!(l.given(Path::new("y/2025/g1/README.md")), Some("2025"));
        assert_eq!(l.given(Path::new("y/2024/README.md")), Some("2024"));
        assert_eq!(l.given(Path::new("elsewhere/README.md")), None);
        let e = Labels::new(&paths, &["a".into(), "b".into(), "c".into()]).unwrap_err();
        assert_eq!(e, LabelCountError { labels: 3, paths: 2 });
    }

    #[test]
    fn a_scraped_report_belongs_to_its_commit_year() {
        let dir = tempfile::tempdir().unwrap();
        let group = dir.path().join("group_3/reports");
        std::fs::create_dir_all(&group).unwrap();
        std::fs::write(dir.path().join("group_3/source.json"), r#"{"commit_time":"2026-01-23T18:47:45+01:00"}"#)
            .unwrap();
        assert_eq!(scraped_year(&group.join("README.md"), dir.path()).as_deref(), Some("2026"));
        assert_eq!(scraped_year(&dir.path().join("README.md"), dir.path()), None);
        assert_eq!(year_of("garbage"), None);
    }
}
