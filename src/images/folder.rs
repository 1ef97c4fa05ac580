//! Reading a figure from the report's own folder and from nowhere else. A report is untrusted input: a target
//! that leaves the folder, is absolute, passes through a symbolic link, is no regular file, is too large or is not
//! an image by its bytes is refused with the reason `check`'s broken-image finding gives, and a web address is
//! only ever shown as a link, never fetched.

use super::sniff::{sniff, ImageKind};
use super::target::{classify, ImageTarget};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest figure file read (and served): 20 MB, the report size limit of `--max-file-mb`'s default.
pub const MAX_FIGURE_BYTES: u64 = 20 * 1024 * 1024;

/// What an image target of a report gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FigureRead {
    /// A file inside the report's folder holding an image: its path relative to the folder, its kind and bytes.
    File { inside: PathBuf, kind: ImageKind, bytes: Vec<u8> },
    /// A web address: shown as a link, never fetched.
    Remote(String),
    /// A `data:` URI inside the report: not read.
    Embedded,
    /// Not read, and why (the broken-image finding's wording).
    Refused(String),
}

/// Reads the image `target` (as written in the report) from `folder`, the report's folder.
pub fn read_figure(folder: &Path, target: &str, max_bytes: u64) -> FigureRead {
    match classify(target) {
        ImageTarget::Inside(inside) => match read_inside(folder, &inside, max_bytes) {
            Ok((kind, bytes)) => FigureRead::File { inside, kind, bytes },
            Err(reason) => FigureRead::Refused(format!("{target} {reason}")),
        },
        ImageTarget::Remote => FigureRead::Remote(target.trim().to_string()),
        ImageTarget::Embedded => FigureRead::Embedded,
        ImageTarget::Escapes => FigureRead::Refused(format!("{target} leaves the report's folder; not followed")),
        ImageTarget::Absolute => {
            FigureRead::Refused(format!("{target} is an absolute path; only files in the report's folder are read"))
        }
        ImageTarget::Empty => FigureRead::Refused("an image with no path".to_string()),
    }
}

/// Reads `inside` (normalised, relative) below `folder`: every component on the way must be a real directory or,
/// at the end, a regular file (no symbolic link anywhere, so nothing outside can be reached), at most `max_bytes`
/// long, and an image by its bytes. The error completes the sentence "TARGET ...".
pub fn read_inside(folder: &Path, inside: &Path, max_bytes: u64) -> Result<(ImageKind, Vec<u8>), String> {
    let mut path = folder.to_path_buf();
    let parts: Vec<_> = inside.components().collect();
    for (i, part) in parts.iter().enumerate() {
        path.push(part);
        let meta = match std::fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err("does not exist in the report's folder".to_string())
            }
            Err(e) => return Err(format!("cannot be read: {e}")),
        };
        if meta.file_type().is_symlink() {
            return Err("is a symbolic link; links are not followed".to_string());
        }
        let last = i + 1 == parts.len();
        if !last && !meta.is_dir() {
            return Err("does not exist in the report's folder".to_string());
        }
        if last && !meta.is_file() {
            return Err("is not a regular file; not read".to_string());
        }
        if last && meta.len() > max_bytes {
            return Err(format!("is larger than {} MB; not read", max_bytes / (1024 * 1024)));
        }
    }
    let file = std::fs::File::open(&path).map_err(|e| format!("cannot be read: {e}"))?;
    let mut bytes = Vec::new();
    // Read at most one byte past the limit: a file that grew since it was looked at is still refused.
    file.take(max_bytes + 1).read_to_end(&mut bytes).map_err(|e| format!("cannot be read: {e}"))?;
    if bytes.len() as u64 > max_bytes {
        return Err(format!("is larger than {} MB; not read", max_bytes / (1024 * 1024)));
    }
    let kind =
        sniff(&bytes).ok_or_else(|| "is not an image by its content (not PNG, JPEG, GIF, WebP or SVG)".to_string())?;
    Ok((kind, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    fn refused(read: FigureRead) -> String {
        match read {
            FigureRead::Refused(reason) => reason,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn only_images_inside_the_folder_are_read() -> std::io::Result<()> {
        let root = tempfile::tempdir()?;
        let folder = root.path().join("group_1");
        std::fs::create_dir_all(folder.join("figures"))?;
        std::fs::write(folder.join("figures/a.png"), PNG)?;
        std::fs::write(folder.join("page.png"), b"<html><script>alert(1)</script></html>")?;
        std::fs::write(root.path().join("secret.png"), PNG)?;
        let max = MAX_FIGURE_BYTES;
        match read_figure(&folder, "./figures/../figures/a.png", max) {
            FigureRead::File { inside, kind, bytes } => {
                assert_eq!((inside, kind, bytes.as_slice()), (PathBuf::from("figures/a.png"), ImageKind::Png, PNG));
            }
            other => panic!("{other:?}"),
        }
        assert!(refused(read_figure(&folder, "../secret.png", max)).contains("leaves the report's folder"));
        assert!(refused(read_figure(&folder, "/etc/passwd", max)).contains("absolute path"));
        assert!(refused(read_figure(&folder, "page.png", max)).contains("not an image by its content"));
        assert!(refused(read_figure(&folder, "figures/none.png", max)).contains("does not exist"));
        assert!(refused(read_figure(&folder, "figures", max)).contains("not a regular file"));
        assert!(refused(read_figure(&folder, "figures/a.png", 4)).contains("larger than"));
        assert_eq!(
            read_figure(&folder, "https://example.org/x.png", max),
            FigureRead::Remote("https://example.org/x.png".into())
        );
        assert_eq!(read_figure(&folder, "data:image/png;base64,AAAA", max), FigureRead::Embedded);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.path().join("secret.png"), folder.join("out.png"))?;
            std::os::unix::fs::symlink(folder.join("figures"), folder.join("linked"))?;
            assert!(refused(read_figure(&folder, "out.png", max)).contains("symbolic link"));
            // A link that stays inside is refused too: the reader never follows links.
            assert!(refused(read_figure(&folder, "linked/a.png", max)).contains("symbolic link"));
        }
        Ok(())
    }
}
