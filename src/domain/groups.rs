//! The course's group list, `group_info.csv` (`group_nb, student 1, ..., student 5, github_repo`), and attaching
//! it to reports: the list fills in a group number or members the report lacks, and a difference is a warning.

use super::model::{Report, Warning, WarningKind};
use std::fmt;

/// One row of the group list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRow {
    pub group: u32,
    pub students: Vec<String>,
    /// `owner/repo`, lower case, when the row names a GitHub repository.
    pub repo: Option<String>,
    /// 1-based line in the CSV file.
    pub line: usize,
}

/// A group list that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupListError {
    pub line: usize,
    pub reason: String,
}

impl fmt::Display for GroupListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

/// Splits one CSV line, honouring double quotes.
fn split_csv(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' | ';' if !quoted => out.push(std::mem::take(&mut cur).trim().to_string()),
            c => cur.push(c),
        }
    }
    out.push(cur.trim().to_string());
    out
}

/// `owner/repo` from the many ways a repository is written (URL, `.git`, `/tree/main`, no scheme).
pub fn normalise_repo(s: &str) -> Option<String> {
    let s = s.trim().trim_end_matches('/');
    let s = s.split("github.com").nth(1).unwrap_or(s);
    let s = s.trim_start_matches([':', '/']);
    let mut parts = s.split('/').filter(|p| !p.is_empty());
    let owner = parts.next()?;
    let repo = parts.next()?.trim_end_matches(".git");
    if owner.contains(' ') || repo.is_empty() {
        return None;
    }
    Some(format!("{}/{}", owner.to_lowercase(), repo.to_lowercase()))
}

/// Reads `group_info.csv`. A header line is recognised and skipped; rows without a group number are errors.
pub fn parse_group_list(text: &str) -> Result<Vec<GroupRow>, GroupListError> {
    let mut rows = Vec::new();
    for (i, line) in text.trim_start_matches('\u{FEFF}').lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let cells = split_csv(line);
        let first = cells.first().map(String::as_str).unwrap_or("");
        let Ok(group) = first.trim_start_matches(|c: char| !c.is_ascii_digit()).parse::<u32>() else {
            if line_no == 1 {
                continue; // header
            }
            return Err(GroupListError { line: line_no, reason: format!("no group number in first column: {first:?}") });
        };
        let repo = cells.last().filter(|_| cells.len() > 1).and_then(|c| normalise_repo(c));
        let students = cells[1..cells.len().saturating_sub(usize::from(repo.is_some()))]
            .iter()
            .filter(|c| !c.is_empty())
            .cloned()
            .collect();
        rows.push(GroupRow { group, students, repo, line: line_no });
    }
    Ok(rows)
}

/// Finds the row of a report: by its repository (an `owner__repo` or `owner/repo` in its path), else by the
/// group number it states.
pub fn row_for<'a>(rows: &'a [GroupRow], report_id: &str, report: &Report) -> Option<&'a GroupRow> {
    let id = report_id.to_lowercase();
    let by_repo = rows.iter().find(|r| {
        r.repo.as_ref().is_some_and(|repo| {
            let flat = repo.replace('/', "__");
            id.split('/').any(|part| part == flat) || id.contains(repo.as_str())
        })
    });
    by_repo.or_else(|| report.facts.group.and_then(|g| rows.iter().find(|r| r.group == g)))
}

/// Attaches a group-list row to a report: fills what is missing, warns where the report differs.
pub fn attach(report: &mut Report, row: &GroupRow) {
    match report.facts.group {
        None => report.facts.group = Some(row.group),
        Some(g) if g != row.group => {
            report.warnings.push(Warning {
                line: None,
                kind: WarningKind::Fact,
                message: format!("report states group {g}, the group list says {}; using the list", row.group),
            });
            report.facts.group = Some(row.group);
        }
        Some(_) => {}
    }
    if row.students.is_empty() {
        return;
    }
    let norm = |s: &str| s.trim().to_lowercase();
    let listed: Vec<String> = row.students.iter().map(|s| norm(s)).collect();
    let stated: Vec<String> = report.facts.students.iter().map(|s| norm(s)).collect();
    if stated.is_empty() {
        report.facts.students = row.students.clone();
    } else if listed.iter().any(|s| !stated.contains(s)) || stated.iter().any(|s| !listed.contains(s)) {
        report.warnings.push(Warning {
            line: None,
            kind: WarningKind::Fact,
            message: format!(
                "students in the report ({}) differ from the group list ({})",
                report.facts.students.join(", "),
                row.students.join(", ")
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_group_list() {
        let csv = "group_nb,student 1,student 2,student 3,student 4,student 5,github_repo\n\
                   12,s200001,s200002,,,,https://github.com/Owner/Repo.git\n\
                   \"13\",s200003,,,,,github.com/a/b/tree/main\n";
        let rows = parse_group_list(csv).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].group, 12);
        assert_eq!(rows[0].students, vec!["s200001", "s200002"]);
        assert_eq!(rows[0].repo.as_deref(), Some("owner/repo"));
        assert_eq!(rows[1].repo.as_deref(), Some("a/b"));
        assert_eq!(parse_group_list("x,y\nabc,s1\n").unwrap_err().line, 2);
    }

    #[test]
    fn normalises_repositories() {
        assert_eq!(normalise_repo("git@github.com:Me/Proj.git").as_deref(), Some("me/proj"));
        assert_eq!(normalise_repo("me/proj").as_deref(), Some("me/proj"));
        assert_eq!(normalise_repo("nonsense"), None);
    }
}
