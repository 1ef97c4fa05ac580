//! A repository's trees and blobs read in-process through two long-lived `git cat-file` processes: `--batch` for
//! contents (commits, trees, blobs) and `--batch-check` for blob sizes. Listing a commit's files this way costs
//! no process at all, and the trees two commits share are parsed once: reading many states of one repository
//! (its branches, its history before the deadline) costs only what differs between them.
//!
//! The listing is [`Repo::files`]'s (`git ls-tree -r -l`), entry for entry: regular files only, in tree order,
//! paths that are not plain UTF-8 or not safe left out. Whatever this reader does not understand (a tree it
//! cannot find or parse, a tree nested deeper than 64 folders) is handed to `git ls-tree`, so errors and odd
//! repositories behave exactly as there.
//!
//! **Missing blobs.** A partial clone (`git clone --filter=blob:...`) or a mirror that lost a few objects lacks
//! blobs its trees name. Such a file is still listed (its name is in the tree; its size is unknown, given as 0)
//! and remembered ([`Objects::is_missing`]): a missing blob costs the file it belongs to, never the listing.
//! The `git cat-file` processes run with `GIT_NO_LAZY_FETCH=1`, so a partial clone is never fetched from.

use super::catfile::CatFile;
use super::{File, Repo, RepoError};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Deeper trees are listed by `git ls-tree` (recursion here is bounded; a hostile repository can nest deeply).
const MAX_DEPTH: usize = 64;

/// Reads trees and blobs of one repository.
pub struct Objects<'r> {
    repo: &'r Repo,
    contents: CatFile,
    info: CatFile,
    /// Files under a tree (paths relative to it), by tree name; `None` for a tree handed to `git ls-tree`.
    trees: HashMap<String, Option<Arc<Vec<File>>>>,
    sizes: HashMap<String, u64>,
    /// Blobs the trees name that the repository does not have.
    missing: HashSet<String>,
}

impl<'r> Objects<'r> {
    pub fn open(repo: &'r Repo) -> Result<Objects<'r>, RepoError> {
        Ok(Objects {
            repo,
            contents: CatFile::start(&repo.git_dir, repo.until)?,
            info: CatFile::start_check(&repo.git_dir, repo.until)?,
            trees: HashMap::new(),
            sizes: HashMap::new(),
            missing: HashSet::new(),
        })
    }

    /// The bytes of a blob, `None` when the repository lacks it.
    pub fn read(&mut self, oid: &str) -> Result<Option<Vec<u8>>, RepoError> {
        if self.missing.contains(oid) {
            return Ok(None);
        }
        let bytes = self.contents.read(oid)?;
        if bytes.is_none() {
            self.missing.insert(oid.to_string());
        }
        Ok(bytes)
    }

    /// Whether a blob a listed tree names is absent from the repository (its file is listed with size 0).
    pub fn is_missing(&self, oid: &str) -> bool {
        self.missing.contains(oid)
    }

    /// The regular files of a commit's tree with their blob names and sizes (as [`Repo::files`]).
    pub fn files(&mut self, commit: &str) -> Result<Vec<File>, RepoError> {
        let root = match self.contents.read_typed(commit)? {
            Some((kind, bytes)) if kind == "commit" => root_tree(&bytes),
            _ => None,
        };
        let listed = match root {
            Some(tree) => self.tree(&tree, 0)?,
            None => None,
        };
        match listed {
            Some(files) => Ok(files.iter().filter(|f| crate::scrape::export::safe_path(&f.path)).cloned().collect()),
            None => self.repo.files(commit),
        }
    }

    /// The files under a tree, `None` when it must be left to `git ls-tree`.
    fn tree(&mut self, oid: &str, depth: usize) -> Result<Option<Arc<Vec<File>>>, RepoError> {
        if let Some(known) = self.trees.get(oid) {
            return Ok(known.clone());
        }
        let listed = if depth > MAX_DEPTH { None } else { self.read_tree(oid, depth)?.map(Arc::new) };
        self.trees.insert(oid.to_string(), listed.clone());
        Ok(listed)
    }

    fn read_tree(&mut self, oid: &str, depth: usize) -> Result<Option<Vec<File>>, RepoError> {
        let Some((kind, bytes)) = self.contents.read_typed(oid)? else { return Ok(None) };
        // An entry that names another kind of object where a tree belongs is left to `git ls-tree` to refuse.
        if kind != "tree" {
            return Ok(None);
        }
        // Object names in a tree are raw bytes: 20 of them for SHA-1, 32 for SHA-256, as long as this tree's name.
        let raw = oid.len() / 2;
        let mut files = Vec::new();
        let mut rest = bytes.as_slice();
        while !rest.is_empty() {
            let Some(space) = rest.iter().position(|b| *b == b' ') else { return Ok(None) };
            let Some(nul) = rest.iter().position(|b| *b == 0) else { return Ok(None) };
            if nul < space || rest.len() < nul + 1 + raw {
                return Ok(None);
            }
            let mode = &rest[..space];
            let name = &rest[space + 1..nul];
            let entry_oid: String = rest[nul + 1..nul + 1 + raw].iter().map(|b| format!("{b:02x}")).collect();
            rest = &rest[nul + 1 + raw..];
            // A name that is not UTF-8 is left out, as `parse_ls_tree` leaves out such paths.
            let Ok(name) = std::str::from_utf8(name) else { continue };
            match mode {
                b"40000" | b"040000" => {
                    let Some(under) = self.tree(&entry_oid, depth + 1)? else { return Ok(None) };
                    files.extend(under.iter().map(|f| File {
                        oid: f.oid.clone(),
                        size: f.size,
                        path: format!("{name}/{}", f.path),
                    }));
                }
                b"100644" | b"100755" => {
                    let size = match self.sizes.get(&entry_oid) {
                        Some(s) => *s,
                        None => match self.info.info(&entry_oid)? {
                            Some((kind, s)) => {
                                if kind != "blob" {
                                    return Ok(None);
                                }
                                self.sizes.insert(entry_oid.clone(), s);
                                s
                            }
                            // The tree names it, the repository lacks it: the file is there, its content is not.
                            None => {
                                self.missing.insert(entry_oid.clone());
                                self.sizes.insert(entry_oid.clone(), 0);
                                0
                            }
                        },
                    };
                    files.push(File { oid: entry_oid, size, path: name.to_string() });
                }
                // Symbolic links and submodules are not content; other modes are not regular files either.
                _ => {}
            }
        }
        Ok(Some(files))
    }
}

/// The root tree named by a commit object (`tree <name>` on its first line).
fn root_tree(commit: &[u8]) -> Option<String> {
    let first = commit.split(|b| *b == b'\n').next()?;
    let name = std::str::from_utf8(first.strip_prefix(b"tree ")?).ok()?;
    (matches!(name.len(), 40 | 64) && name.bytes().all(|b| b.is_ascii_hexdigit())).then(|| name.to_string())
}
