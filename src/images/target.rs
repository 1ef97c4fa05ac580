//! Where an image an answer shows lives: the target as written is classified without touching the disk, and only a
//! relative path that stays inside the report's folder is looked up there. Nothing outside the folder is read:
//! staff scrape a group's `reports/` folder only, and a report is untrusted input.

use crate::domain::percent::percent_decode;
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

/// What an image target names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageTarget {
    /// A path relative to the report's folder that stays inside it, normalised (`./a/../b.png` → `b.png`).
    Inside(PathBuf),
    /// `http://` or `https://`: a web address, not a file of the report.
    Remote,
    /// `data:` URI: the image is embedded in the report.
    Embedded,
    /// `/figures/x.png`, `C:\x.png`, `file://...`: not relative to the report.
    Absolute,
    /// `../x.png` and the like: leaves the report's folder.
    Escapes,
    /// `![x]()`.
    Empty,
}

/// Classifies an image target as written in the report (percent-escapes decoded, `?query` and `#fragment` dropped).
pub fn classify(target: &str) -> ImageTarget {
    let target = target.trim();
    let lower = target.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//") {
        return ImageTarget::Remote;
    }
    if lower.starts_with("data:") {
        return ImageTarget::Embedded;
    }
    let path = target.split(['?', '#']).next().unwrap_or("");
    let path = percent_decode(path);
    if path.is_empty() {
        return ImageTarget::Empty;
    }
    let has_scheme =
        path.split_once(':').is_some_and(|(s, _)| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphabetic()));
    if path.starts_with('/') || path.starts_with('\\') || has_scheme {
        return ImageTarget::Absolute;
    }
    let mut inside = PathBuf::new();
    for component in Path::new(&path).components() {
        match component {
            Component::Normal(part) => inside.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                if !inside.pop() {
                    return ImageTarget::Escapes;
                }
            }
            Component::RootDir | Component::Prefix(_) => return ImageTarget::Absolute,
        }
    }
    if inside.as_os_str().is_empty() {
        return ImageTarget::Empty;
    }
    ImageTarget::Inside(inside)
}

/// What the report's folder holds at a path inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileState {
    Present,
    Missing,
    /// A symbolic link (somewhere on the way) that leads out of the report's folder: not followed.
    LinksOutside,
}

/// Looks image files up; the rules take this so that they stay pure and testable without a disk.
pub trait ImageFiles {
    fn state(&self, inside: &Path) -> FileState;
}

/// The report's folder on disk.
#[derive(Debug, Clone)]
pub struct ReportFolder {
    folder: PathBuf,
    /// The folder with its own links resolved, once; `None` when it cannot be resolved (then nothing is present).
    canonical: Option<PathBuf>,
}

impl ReportFolder {
    pub fn new(folder: impl Into<PathBuf>) -> Self {
        let folder = folder.into();
        let canonical = std::fs::canonicalize(&folder).ok();
        ReportFolder { folder, canonical }
    }
}

impl ImageFiles for ReportFolder {
    fn state(&self, inside: &Path) -> FileState {
        let Some(root) = &self.canonical else { return FileState::Missing };
        let path = self.folder.join(inside);
        // Resolving links only reads directory entries; the image itself is never opened.
        match std::fs::canonicalize(&path) {
            Ok(real) if real.starts_with(root) => {
                if real.is_file() {
                    FileState::Present
                } else {
                    FileState::Missing
                }
            }
            Ok(_) => FileState::LinksOutside,
            Err(_) => FileState::Missing,
        }
    }
}

/// A fixed listing of the folder's files (relative paths), for tests and for callers that already know it.
impl ImageFiles for BTreeSet<PathBuf> {
    fn state(&self, inside: &Path) -> FileState {
        if self.contains(inside) {
            FileState::Present
        } else {
            FileState::Missing
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(classify("figures/a.png"), ImageTarget::Inside("figures/a.png".into()));
        assert_eq!(classify("./figures/../b.png?raw=true"), ImageTarget::Inside("b.png".into()));
        assert_eq!(classify("figures/my%20shot.png"), ImageTarget::Inside("figures/my shot.png".into()));
        assert_eq!(classify("../docs/a.png"), ImageTarget::Escapes);
        assert_eq!(classify("figures/../../a.png"), ImageTarget::Escapes);
        assert_eq!(classify("/reports/figures/a.png"), ImageTarget::Absolute);
        assert_eq!(classify("C:\\shots\\a.png"), ImageTarget::Absolute);
        assert_eq!(classify("file:///etc/passwd"), ImageTarget::Absolute);
        assert_eq!(classify("HTTPS://example.org/a.png"), ImageTarget::Remote);
        assert_eq!(classify("data:image/png;base64,AAAA"), ImageTarget::Embedded);
        assert_eq!(classify(""), ImageTarget::Empty);
        assert_eq!(classify("%zz.png"), ImageTarget::Inside("%zz.png".into()));
    }
}
