//! Clone URLs from the group list's repository cells, and redaction of credentials in anything cohort prints or
//! writes.
//!
//! Students type their repository by hand, so cells come as `github.com/me/proj`, `.../proj.git`,
//! `.../proj/tree/main/reports`, `git@github.com:me/proj.git` or `me/proj`. For GitHub the owner and repository
//! are the first two path segments whatever follows, so those forms are rewritten to `https://github.com/me/proj`
//! with a note saying what changed. Anything that cannot be read without guessing (no repository name, several
//! URLs in one cell, an unknown scheme) is a [`UrlProblem`] for that group, never a guess.
//!
//! Credentials (`https://user:token@host/...`) are taken out of the URL: git is given the bare URL and gets the
//! credentials from a helper reading the child's environment, so they never reach a git config file, an argument
//! list, a log or an output file.

use crate::domain::percent::percent_decode;
use regex::Regex;
use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

/// Username and password taken out of a URL. `Debug` shows neither.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Credentials(***)")
    }
}

/// A repository to clone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoUrl {
    /// What git fetches: no credentials in it.
    pub url: String,
    /// What cohort prints and writes: `url` with `***@` where credentials were.
    pub shown: String,
    pub credentials: Option<Credentials>,
    /// What was changed to get here ("dropped /tree/main"), for the scrape report.
    pub notes: Vec<String>,
    /// A folder on this machine (`file://` or a path), not a server: only fetched when staff allow it, because the
    /// group list is filled in by students and must not make cohort read (or copy out) local folders.
    pub local: bool,
}

/// A repository cell that cannot be turned into a URL without guessing; the message is already redacted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlProblem(pub String);

impl fmt::Display for UrlProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

const REDACTED: &str = "***";

fn userinfo_with_scheme() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^\s/@]+@").expect("valid constant regex"))
}

fn userinfo_without_scheme() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // `user:token@host` written without a scheme; `git@host:path` has no colon before the `@` and is left alone.
    RE.get_or_init(|| Regex::new(r#"(^|[\s"'(<,])[^\s/@:"'<>,]+:[^\s/@"'<>,]+@"#).expect("valid constant regex"))
}

fn github_tokens() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // GitHub's token formats, caught even where they are not in a URL's user part (a query string, a message).
    RE.get_or_init(|| {
        Regex::new(r"\b(gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{16,})").expect("valid constant regex")
    })
}

/// `text` with every URL user part (`https://user:token@` → `https://***@`), scheme-less `user:token@` and GitHub
/// token replaced by `***`. Applied to every message, git error and output file cohort writes while scraping.
pub fn redact(text: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(text);
    if let Cow::Owned(s) = userinfo_with_scheme().replace_all(&out, format!("${{1}}{REDACTED}@").as_str()) {
        out = Cow::Owned(s);
    }
    if let Cow::Owned(s) = userinfo_without_scheme().replace_all(&out, format!("${{1}}{REDACTED}@").as_str()) {
        out = Cow::Owned(s);
    }
    if let Cow::Owned(s) = github_tokens().replace_all(&out, REDACTED) {
        out = Cow::Owned(s);
    }
    out
}

fn is_github_owner(s: &str) -> bool {
    !s.is_empty() && s.len() <= 39 && !s.starts_with('-') && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn is_github_repo(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s != "."
        && s != ".."
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// GitHub pages that look like `owner/repo` but are not a repository.
const GITHUB_NON_OWNERS: &[&str] =
    &["orgs", "users", "settings", "topics", "search", "marketplace", "explore", "login"];

/// `https://github.com/owner/repo` from the path after the host (`owner/repo[.git][/anything][?query][#frag]`).
fn github(path: &str, shown_cell: &str, notes: &mut Vec<String>) -> Result<String, UrlProblem> {
    let (path, dropped_query) = match path.find(['?', '#']) {
        Some(i) => (&path[..i], true),
        None => (path, false),
    };
    if dropped_query {
        notes.push("dropped the query or #fragment after the repository".into());
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let Some(&owner) = segments.first() else {
        return Err(UrlProblem(format!("{shown_cell:?} names no GitHub owner or repository")));
    };
    if GITHUB_NON_OWNERS.contains(&owner.to_ascii_lowercase().as_str()) {
        return Err(UrlProblem(format!("{shown_cell:?} is a GitHub {owner} page, not a repository")));
    }
    let Some(&repo_segment) = segments.get(1) else {
        return Err(UrlProblem(format!(
            "{shown_cell:?} names the GitHub account {owner:?} but no repository (truncated?); write owner/repository"
        )));
    };
    // `.git` is how clone URLs are written: dropping it changes nothing worth a note.
    let repo = repo_segment.strip_suffix(".git").unwrap_or(repo_segment);
    if !is_github_owner(owner) || !is_github_repo(repo) {
        return Err(UrlProblem(format!(
            "{shown_cell:?} is not a GitHub repository name (owner {owner:?}, repository {repo:?} have characters GitHub does not allow)"
        )));
    }
    if segments.len() > 2 {
        // Everything after owner/repo on github.com is a page of that repository (tree, blob, pulls, ...).
        notes.push(format!("dropped /{} after the repository", segments[2..].join("/")));
    }
    Ok(format!("https://github.com/{owner}/{repo}"))
}

fn is_github_host(host: &str) -> bool {
    matches!(host.to_ascii_lowercase().as_str(), "github.com" | "www.github.com")
}

/// Turns a repository cell into a URL git can fetch (see the module documentation).
pub fn clone_url(cell: &str) -> Result<RepoUrl, UrlProblem> {
    let raw = cell.trim().trim_matches(['<', '>']).trim();
    let shown_cell = redact(raw).into_owned();
    if raw.is_empty() {
        return Err(UrlProblem("no repository given in the group list".into()));
    }
    if raw.split_whitespace().nth(1).is_some() {
        return Err(UrlProblem(format!(
            "{shown_cell:?} holds more than one word (several repositories?); keep one URL"
        )));
    }
    if raw.starts_with('-') {
        return Err(UrlProblem(format!("{shown_cell:?} is not a repository URL")));
    }
    let mut notes = Vec::new();

    // scp-like `git@github.com:owner/repo.git`
    if !raw.contains("://") {
        if let Some((user_host, path)) = raw.split_once(':') {
            let host = user_host.rsplit_once('@').map_or(user_host, |(_, h)| h);
            if is_github_host(host) && !path.starts_with('/') && !user_host.contains('/') {
                notes.push("SSH address replaced by https (public repositories need no key)".into());
                let url = github(path, &shown_cell, &mut notes)?;
                return Ok(RepoUrl { shown: url.clone(), url, credentials: None, notes, local: false });
            }
        }
    }

    let with_scheme: Cow<'_, str> = if raw.contains("://") {
        Cow::Borrowed(raw)
    } else if raw.starts_with('/') {
        // A local path: a staff mirror. git reads it as it is.
        return Ok(RepoUrl { url: raw.to_string(), shown: shown_cell, credentials: None, notes, local: true });
    } else {
        let first = raw.split('/').next().unwrap_or(raw);
        let host = first.rsplit_once('@').map_or(first, |(_, h)| h);
        if host.contains('.') && !host.starts_with('.') {
            notes.push("added https://".into());
            Cow::Owned(format!("https://{raw}"))
        } else if is_github_owner(first) && raw.split('/').filter(|s| !s.is_empty()).count() >= 2 {
            // `owner/repo`: the column is github_repo, so GitHub is the host.
            notes.push("read as a GitHub owner/repository".into());
            let url = github(raw, &shown_cell, &mut notes)?;
            return Ok(RepoUrl { shown: url.clone(), url, credentials: None, notes, local: false });
        } else {
            return Err(UrlProblem(format!(
                "{shown_cell:?} is not a repository URL (expected https://github.com/owner/repository)"
            )));
        }
    };

    let Some((scheme, rest)) = with_scheme.split_once("://") else {
        return Err(UrlProblem(format!("{shown_cell:?} is not a repository URL")));
    };
    let scheme = scheme.to_ascii_lowercase();
    if !matches!(scheme.as_str(), "https" | "http" | "ssh" | "git" | "file") {
        return Err(UrlProblem(format!("{shown_cell:?} uses the scheme {scheme:?}; use https://")));
    }
    if scheme == "file" {
        return Ok(RepoUrl { url: with_scheme.to_string(), shown: shown_cell, credentials: None, notes, local: true });
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let (userinfo, host) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    if host.is_empty() {
        return Err(UrlProblem(format!("{shown_cell:?} names no host")));
    }
    let http = matches!(scheme.as_str(), "https" | "http");
    let credentials = match userinfo {
        Some(u) if http => {
            let (user, password) = u.split_once(':').unwrap_or((u, ""));
            Some(Credentials { username: percent_decode(user), password: percent_decode(password) })
        }
        // An ssh user name (`ssh://git@host/...`) is part of the address, not a secret; a password is.
        Some(u) if u.contains(':') => {
            return Err(UrlProblem(format!(
                "{shown_cell:?} holds a password in an {scheme} URL; use https:// with a token"
            )));
        }
        _ => None,
    };

    if is_github_host(host) {
        if scheme != "https" {
            notes.push(format!("{scheme}:// replaced by https://"));
        }
        let url = github(path, &shown_cell, &mut notes)?;
        let shown = match &credentials {
            Some(_) => url.replacen("https://", &format!("https://{REDACTED}@"), 1),
            None => url.clone(),
        };
        return Ok(RepoUrl { url, shown, credentials, notes, local: false });
    }

    // Another host (a GitLab, a staff mirror): its path layout is unknown, so only what is safe anywhere is cut.
    let mut path = path.to_string();
    if let Some(i) = path.find(['?', '#']) {
        path.truncate(i);
        notes.push("dropped the query or #fragment".into());
    }
    let trimmed = path.trim_end_matches('/').len();
    path.truncate(trimmed);
    if path.is_empty() {
        return Err(UrlProblem(format!("{shown_cell:?} names a host but no repository")));
    }
    let user_part = match (userinfo, &credentials) {
        (Some(u), None) => format!("{u}@"),
        _ => String::new(),
    };
    let url = format!("{scheme}://{user_part}{host}{path}");
    let shown = match &credentials {
        Some(_) => format!("{scheme}://{REDACTED}@{host}{path}"),
        None => url.clone(),
    };
    Ok(RepoUrl { url, shown, credentials, notes, local: false })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(cell: &str) -> RepoUrl {
        clone_url(cell).unwrap_or_else(|e| panic!("{cell}: {e}"))
    }

    #[test]
    fn normalises_the_forms_students_write() {
        for cell in [
            "https://github.com/Me/Proj",
            "https://github.com/Me/Proj.git",
            "https://github.com/Me/Proj/",
            "https://github.com/Me/Proj/tree/main",
            "https://github.com/Me/Proj/tree/main/reports",
            "https://www.github.com/Me/Proj#readme",
            "http://github.com/Me/Proj",
            "github.com/Me/Proj",
            "www.github.com/Me/Proj.git",
            "git@github.com:Me/Proj.git",
            "ssh://git@github.com/Me/Proj.git",
            "Me/Proj",
            " <https://github.com/Me/Proj> ",
        ] {
            let u = ok(cell);
            assert_eq!(u.url, "https://github.com/Me/Proj", "{cell}");
            assert_eq!(u.shown, u.url, "{cell}");
            assert!(u.credentials.is_none(), "{cell}");
        }
        assert!(ok("https://github.com/Me/Proj").notes.is_empty());
        assert_eq!(
            ok("github.com/Me/Proj/tree/main").notes,
            vec!["added https://", "dropped /tree/main after the repository"]
        );
    }

    #[test]
    fn keeps_other_hosts_and_local_mirrors() {
        assert_eq!(ok("https://gitlab.com/group/sub/proj.git/").url, "https://gitlab.com/group/sub/proj.git");
        assert_eq!(ok("gitlab.example.org/x/y").url, "https://gitlab.example.org/x/y");
        assert_eq!(ok("file:///srv/mirror/g1").url, "file:///srv/mirror/g1");
        assert_eq!(ok("/srv/mirror/g1").url, "/srv/mirror/g1");
        assert!(ok("FILE:///srv/mirror/g1").local && ok("/srv/mirror/g1").local);
        assert!(!ok("https://gitlab.com/x/y").local && !ok("me/proj").local && !ok("git@github.com:a/b").local);
        assert_eq!(ok("ssh://git@git.example.org/x/y").url, "ssh://git@git.example.org/x/y");
    }

    #[test]
    fn reports_what_cannot_be_read_safely() {
        for (cell, says) in [
            ("", "no repository"),
            ("https://github.com/someone", "no repository (truncated?)"),
            ("github.com/", "no GitHub owner"),
            ("https://github.com/orgs/dtu-mlops", "not a repository"),
            ("https://github.com/a/b https://github.com/c/d", "more than one word"),
            ("my project", "more than one word"),
            ("proj", "not a repository URL"),
            ("ftp://host/x", "scheme"),
            ("ext::sh -c touch% /tmp/pwned", "more than one word"),
            ("--upload-pack=touch", "not a repository URL"),
            ("ext::sh", "not a repository URL"),
            ("https://github.com/me/pro%20j", "not a GitHub repository name"),
            ("https://gitlab.com", "no repository"),
        ] {
            let e = clone_url(cell).unwrap_err();
            assert!(e.0.contains(says), "{cell:?}: {e}");
        }
    }

    #[test]
    fn takes_credentials_out_of_the_url() {
        let u = ok("https://alice:ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/Me/Proj.git");
        assert_eq!(u.url, "https://github.com/Me/Proj");
        assert_eq!(u.shown, "https://***@github.com/Me/Proj");
        let c = u.credentials.clone().unwrap();
        assert_eq!((c.username.as_str(), c.password.as_str()), ("alice", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"));
        assert!(!format!("{u:?}").contains("ghp_"), "Debug must not show the token");
        let u = ok("oauth2:s3cr%40t@gitlab.com/x/y");
        assert_eq!(u.url, "https://gitlab.com/x/y");
        assert_eq!(u.shown, "https://***@gitlab.com/x/y");
        assert_eq!(u.credentials.unwrap().password, "s3cr@t");
        // A password in an ssh URL is refused, and the message does not repeat it.
        let e = clone_url("ssh://git:hunter2@example.org/x").unwrap_err();
        assert!(!e.0.contains("hunter2"), "{e}");
        let e = clone_url("https://tok3n@github.com/only-owner").unwrap_err();
        assert!(!e.0.contains("tok3n"), "{e}");
    }

    #[test]
    fn redacts_credentials_anywhere_in_text() {
        assert_eq!(
            redact("fatal: unable to access 'https://bob:s3cret@example.org/x.git/': refused"),
            "fatal: unable to access 'https://***@example.org/x.git/': refused"
        );
        assert_eq!(redact("cell bob:s3cret@github.com/a/b"), "cell ***@github.com/a/b");
        assert_eq!(redact("token ghp_abcdefghijklmnopqrstuvwxyz0123 leaked"), "token *** leaked");
        assert_eq!(
            redact("git@github.com:a/b.git and https://github.com/a/b"),
            "git@github.com:a/b.git and https://github.com/a/b"
        );
    }
}
