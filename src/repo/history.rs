//! A repository's history around one commit: the commit at a deadline (the rule `scrape` and `verify` share),
//! the first day, the branches not merged by the deadline, and who committed.

use super::{Repo, RepoError};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The last commit of `rev` at or before the deadline: the rule every part of cohort uses.
///
/// Which date counts: the **committer date** of commits on the branch's **first-parent** line. The committer
/// date is set when a commit is made or rewritten (a rebase or amend after the deadline gets a new one), whereas
/// the author date survives rebases and cherry-picks, so work rewritten after the deadline would slip in under
/// it. Following first parents keeps to what the branch itself pointed at: a feature branch commit made before
/// the deadline but merged after it is not part of the state at the deadline. git has no record of when a
/// commit was pushed, and both dates are set by the student's machine: a backdated commit pushed late cannot be
/// told apart here (the forge's push log can).
///
/// `run` runs one git command against the repository (scrape's runs with credentials and a time budget).
pub fn deadline_commit<E>(
    run: impl FnOnce(&[&str]) -> Result<Vec<u8>, E>,
    rev: &str,
    deadline_unix: i64,
) -> Result<Option<String>, E> {
    let before = format!("--before=@{deadline_unix}");
    let out = run(&["rev-list", "-1", "--first-parent", &before, rev, "--"])?;
    let oid = String::from_utf8_lossy(&out).trim().to_string();
    Ok((!oid.is_empty()).then_some(oid))
}

/// One person, all their names and e-mails merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    /// The name they committed under most often.
    pub name: String,
    pub names: Vec<String>,
    pub emails: Vec<String>,
    pub commits: usize,
}

/// A branch whose last commit before the deadline is not part of the evaluated commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branch {
    /// Short name (`feature/x`, `origin/` dropped).
    pub name: String,
    pub tip: String,
    pub time: i64,
}

/// The history facts of one evaluated commit.
#[derive(Debug, Clone)]
pub struct History {
    pub commit: String,
    /// Committer time (Unix seconds).
    pub commit_time: i64,
    /// Commits the evaluated commit contains (itself included).
    pub commits: usize,
    pub first_commit: String,
    pub first_time: i64,
    /// The template as instantiated: of the first-parent commits within 24 hours of the first one, the one that
    /// adds the most files (the first commit is often only a licence or a README, the cookiecutter output comes
    /// next). What the group changes after it, the same day or later, is the group's work.
    pub template_commit: String,
    /// The last first-parent commit within 24 hours of the first one.
    pub first_day_commit: String,
    /// Commits (of those the evaluated commit contains) made within 24 hours of the first one.
    pub first_day_commits: usize,
    pub authors: Vec<Author>,
    /// Commits by bots (dependabot, github-actions, ...), not counted as members.
    pub bot_commits: usize,
    /// The newest commit by the hosted pre-commit service (`pre-commit-ci[bot]`) in the history, if any.
    pub precommit_ci_commit: Option<String>,
    /// Commits on the default branch after the evaluated commit.
    pub after_deadline: usize,
    /// Branches with work before the deadline that the evaluated commit does not contain.
    pub unmerged: Vec<Branch>,
    /// The default branch's first-parent line from the evaluated commit back to the first commit, newest first,
    /// with committer times: the states the branch was in before the deadline.
    pub first_parent: Vec<(String, i64)>,
    /// Every commit the evaluated commit contains.
    pub graph: HashMap<String, CommitRow>,
}

/// Whether an author is a bot rather than a member.
pub fn is_bot(name: &str, email: &str) -> bool {
    let n = name.to_lowercase();
    let e = email.to_lowercase();
    n.contains("[bot]")
        || e.contains("[bot]")
        || e == "noreply@github.com"
        || ["dependabot", "github-actions", "renovate", "pre-commit-ci", "github classroom", "snyk-bot"]
            .iter()
            .any(|b| n.starts_with(b))
}

fn name_key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Merges authors that share an e-mail or a name (union-find over both keys); bots are left out.
pub fn merge_authors(commits: &[(String, String)]) -> (Vec<Author>, usize) {
    let mut parent: Vec<usize> = Vec::new();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut people: Vec<(String, String)> = Vec::new();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    let mut counts: Vec<usize> = Vec::new();
    let mut bots = 0;
    for (name, email) in commits {
        if is_bot(name, email) {
            bots += 1;
            continue;
        }
        let key = (name.clone(), email.clone());
        let i = *index.entry(key.clone()).or_insert_with(|| {
            people.push(key);
            parent.push(parent.len());
            counts.push(0);
            people.len() - 1
        });
        counts[i] += 1;
        for k in [format!("e:{}", email.trim().to_lowercase()), format!("n:{}", name_key(name))] {
            if k.len() <= 2 {
                continue;
            }
            match by_key.get(&k) {
                Some(&j) => {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    if a != b {
                        parent[a] = b;
                    }
                }
                None => {
                    by_key.insert(k, i);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..people.len() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    let mut authors: Vec<Author> = groups
        .into_values()
        .map(|members| {
            let mut names: Vec<String> = Vec::new();
            let mut emails: Vec<String> = Vec::new();
            let mut best = (0, String::new());
            for &m in &members {
                let (n, e) = &people[m];
                if !names.contains(n) {
                    names.push(n.clone());
                }
                if !emails.contains(e) {
                    emails.push(e.clone());
                }
                if counts[m] > best.0 {
                    best = (counts[m], n.clone());
                }
            }
            Author { name: best.1, names, emails, commits: members.iter().map(|&m| counts[m]).sum() }
        })
        .collect();
    authors.sort_by(|a, b| b.commits.cmp(&a.commits).then(a.name.cmp(&b.name)));
    (authors, bots)
}

/// One commit of the history: its parents and its committer time.
#[derive(Debug, Clone)]
pub struct CommitRow {
    pub parents: Vec<String>,
    pub time: i64,
}

impl History {
    /// Every commit the evaluated commit contains, newest first (committer time, then hash for a stable order).
    pub fn by_time(&self) -> Vec<(String, i64)> {
        let mut all: Vec<(String, i64)> = self.graph.iter().map(|(c, r)| (c.clone(), r.time)).collect();
        all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        all
    }

    /// The first-parent line from a commit down to the first commit, newest first with committer times.
    pub fn first_parents_of(&self, from: &str) -> Vec<(String, i64)> {
        let mut line = Vec::new();
        let mut seen = HashSet::new();
        let mut at = self.graph.get_key_value(from);
        while let Some((c, row)) = at {
            if !seen.insert(c.as_str()) {
                break;
            }
            line.push((c.clone(), row.time));
            at = row.parents.first().and_then(|p| self.graph.get_key_value(p));
        }
        line
    }

    /// A line of commits from `from` down to `ancestor` through parents (first parents tried first), newest
    /// first with committer times; `None` when `ancestor` is not an ancestor of `from` in the history.
    pub fn line_between(&self, from: &str, ancestor: &str) -> Option<Vec<(String, i64)>> {
        // Depth-first from `from`; commits known not to lead to the ancestor are not walked twice.
        let mut dead: HashSet<&str> = HashSet::new();
        let start = self.graph.get_key_value(from)?.0.as_str();
        let mut path: Vec<&str> = vec![start];
        let mut next: Vec<usize> = vec![0];
        while let (Some(&top), Some(i)) = (path.last(), next.last_mut()) {
            if top == ancestor {
                return Some(path.iter().map(|c| (c.to_string(), self.graph.get(*c).map_or(0, |r| r.time))).collect());
            }
            let parents = self.graph.get(top).map(|r| r.parents.as_slice()).unwrap_or(&[]);
            match parents.get(*i) {
                Some(p) => {
                    *i += 1;
                    if self.graph.contains_key(p) && !dead.contains(p.as_str()) && !path.contains(&p.as_str()) {
                        path.push(p);
                        next.push(0);
                    }
                }
                None => {
                    dead.insert(top);
                    path.pop();
                    next.pop();
                }
            }
        }
        None
    }

    /// Reads the history of `commit` (one `git log`, one `git for-each-ref`, one `git rev-list --count`, and one
    /// `git rev-list` per branch that moved after the deadline). `deadline` is the moment branches are judged at.
    pub fn read(repo: &Repo, commit: &str, deadline: i64) -> Result<History, RepoError> {
        let log = repo.run(&["log", "--format=%H%x1f%P%x1f%ct%x1f%an%x1f%ae", commit, "--"])?;
        let mut rows: HashMap<String, CommitRow> = HashMap::new();
        let mut people = Vec::new();
        let mut precommit_ci_commit = None;
        for line in String::from_utf8_lossy(&log).lines() {
            let f: Vec<&str> = line.split('\x1f').collect();
            if f.len() < 5 {
                continue;
            }
            if precommit_ci_commit.is_none() && f[3].to_lowercase().starts_with("pre-commit-ci") {
                precommit_ci_commit = Some(f[0].to_string());
            }
            let parents = f[1].split_whitespace().map(str::to_string).collect();
            rows.insert(f[0].to_string(), CommitRow { parents, time: f[2].parse().unwrap_or(0) });
            people.push((f[3].to_string(), f[4].to_string()));
        }
        let Some(top) = rows.get(commit) else {
            return Err(RepoError::Corrupt {
                path: repo.shown.clone(),
                detail: format!("git log does not list {commit}"),
            });
        };
        let commit_time = top.time;
        // The first-parent line, newest first.
        let mut line = vec![commit.to_string()];
        let mut seen = HashSet::new();
        while let Some(p) = line.last().and_then(|c| rows.get(c)).and_then(|r| r.parents.first()) {
            if !seen.insert(p.clone()) || !rows.contains_key(p) {
                break;
            }
            line.push(p.clone());
        }
        let first_commit = line.last().cloned().unwrap_or_else(|| commit.to_string());
        let first_time = rows.get(&first_commit).map_or(commit_time, |r| r.time);
        let first_day: Vec<&str> = line
            .iter()
            .rev()
            .take_while(|c| rows.get(*c).is_some_and(|r| r.time <= first_time + 86_400))
            .map(String::as_str)
            .collect();
        let template_commit = template_commit(repo, &first_day)?.unwrap_or_else(|| first_commit.clone());
        let first_day_commit = first_day.last().map_or_else(|| first_commit.clone(), |c| (*c).to_string());
        let first_day_commits = rows.values().filter(|r| r.time <= first_time + 86_400).count();
        let (authors, bot_commits) = merge_authors(&people);
        let after_deadline = repo
            .text(&["rev-list", "--count", &format!("{commit}..{}", repo.default_ref), "--"])
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let unmerged = unmerged_branches(repo, &rows, deadline)?;
        Ok(History {
            commit: commit.to_string(),
            commit_time,
            commits: rows.len(),
            first_commit,
            first_time,
            template_commit,
            first_day_commit,
            first_day_commits,
            authors,
            bot_commits,
            precommit_ci_commit,
            after_deadline,
            unmerged,
            first_parent: line.iter().map(|c| (c.clone(), rows.get(c).map_or(0, |r| r.time))).collect(),
            graph: rows,
        })
    }
}

/// Of the first day's first-parent commits (oldest first), the one that adds the most files (the earliest of
/// equals), with one `git log` over exactly those commits.
fn template_commit(repo: &Repo, first_day: &[&str]) -> Result<Option<String>, RepoError> {
    if first_day.len() <= 1 {
        return Ok(first_day.first().map(|c| (*c).to_string()));
    }
    let mut args = vec![
        "log",
        "--no-walk=unsorted",
        "--diff-merges=first-parent",
        "--diff-filter=A",
        // Added files are named by the trees alone; rename detection would read blobs, which a partial clone
        // lacks (and a missing blob must cost a file, never the history).
        "--no-renames",
        "--name-only",
        "--format=%x1e%H",
    ];
    args.extend_from_slice(first_day);
    args.push("--");
    let out = repo.run(&args)?;
    let text = String::from_utf8_lossy(&out);
    let mut best: Option<(usize, &str)> = None;
    for chunk in text.split('\x1e').filter(|c| !c.trim().is_empty()) {
        let mut lines = chunk.lines().filter(|l| !l.trim().is_empty());
        let Some(hash) = lines.next() else { continue };
        let added = lines.count();
        if best.map_or(true, |(n, _)| added > n) {
            best = Some((added, hash.trim()));
        }
    }
    Ok(best.map(|(_, h)| h.to_string()))
}

fn unmerged_branches(
    repo: &Repo,
    contained: &HashMap<String, CommitRow>,
    deadline: i64,
) -> Result<Vec<Branch>, RepoError> {
    let refs = repo.run(&[
        "for-each-ref",
        "--format=%(objectname)%1f%(refname)%1f%(committerdate:unix)%1f%(objecttype)%1f%(authorname)%1f%(authoremail)",
        "refs/heads",
        "refs/remotes",
    ])?;
    let mut out: Vec<Branch> = Vec::new();
    let mut names = HashSet::new();
    for line in String::from_utf8_lossy(&refs).lines() {
        let f: Vec<&str> = line.split('\x1f').collect();
        if f.len() < 6 || f[3] != "commit" || f[1] == repo.default_ref || f[1].ends_with("/HEAD") {
            continue;
        }
        // A bot's branch (a dependency bump) is not the group's work.
        if is_bot(f[4], f[5].trim_matches(['<', '>']))
            || ["dependabot/", "renovate/", "pre-commit-ci"].iter().any(|b| f[1].contains(b))
        {
            continue;
        }
        let name = f[1]
            .strip_prefix("refs/heads/")
            .or_else(|| f[1].strip_prefix("refs/remotes/").and_then(|r| r.split_once('/').map(|(_, b)| b)))
            .unwrap_or(f[1])
            .to_string();
        if repo.default_ref.strip_prefix("refs/heads/") == Some(name.as_str()) || !names.insert(name.clone()) {
            continue;
        }
        let time: i64 = f[2].parse().unwrap_or(0);
        let tip =
            if time <= deadline { Some(f[0].to_string()) } else { deadline_commit(|a| repo.run(a), f[1], deadline)? };
        let Some(tip) = tip else { continue };
        if contained.contains_key(&tip) {
            continue;
        }
        let time = if time <= deadline {
            time
        } else {
            repo.text(&["log", "-1", "--format=%ct", &tip, "--"])?.parse().unwrap_or(0)
        };
        out.push(Branch { name, tip, time });
    }
    // Most recent first: the branch a group most likely meant to merge.
    out.sort_by(|a, b| b.time.cmp(&a.time).then(a.name.cmp(&b.name)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(n: &str, e: &str) -> (String, String) {
        (n.to_string(), e.to_string())
    }

    #[test]
    fn aliases_merge_through_shared_emails_and_names() {
        let commits = vec![
            c("Ada L", "ada@uni.dk"),
            c("ada-l", "ada@uni.dk"),
            c("ada-l", "123+ada-l@users.noreply.github.com"),
            c("Bob", "bob@x.org"),
            c("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"),
            c("github-actions", "41898282+github-actions[bot]@users.noreply.github.com"),
        ];
        let (authors, bots) = merge_authors(&commits);
        assert_eq!(bots, 2);
        assert_eq!(authors.len(), 2, "{authors:?}");
        assert_eq!(authors[0].commits, 3);
        assert_eq!(authors[0].emails.len(), 2);
        assert_eq!(authors[1].name, "Bob");
    }
}
