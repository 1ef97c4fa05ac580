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
    /// The repository cell exactly as written (a URL, possibly malformed), for cloning. It may carry a token
    /// (`https://user:token@host/...`): never print or store it without redacting.
    pub repo_cell: Option<String>,
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

/// Whether a cell names a repository rather than a student: student ids never hold `/` or `:`.
fn looks_like_repo(cell: &str) -> bool {
    normalise_repo(cell).is_some() || cell.contains("://") || cell.contains(':')
}

/// A group list as read: the rows with a group number, and the rows without a readable one (each with its line
/// and why), which the caller reports and goes on without.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupList {
    pub rows: Vec<GroupRow>,
    pub rejected: Vec<GroupListError>,
}

/// The group number of a row's first cell. A word may come first (`Group 7`, `group_7`, `#7`), but nothing may
/// follow the digits, and a sign is refused: `-1` is not group 1, `1.5` not group 1 or 5.
fn group_number(cell: &str) -> Result<u32, String> {
    let cell = cell.trim();
    let digits_at = cell.find(|c: char| c.is_ascii_digit()).unwrap_or(cell.len());
    let (prefix, digits) = cell.split_at(digits_at);
    let word_first = prefix.is_empty()
        || (prefix.starts_with(|c: char| c.is_alphabetic() || c == '#')
            && prefix.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '_' | '-' | '#' | '.' | ':')));
    if digits.is_empty() || !word_first || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{cell:?} is not a group number (a whole number such as 12)"));
    }
    digits.parse::<u32>().map_err(|_| format!("{cell:?} is too large for a group number"))
}

/// Reads `group_info.csv`. A header line is recognised and skipped (a column named like `github_repo` is the
/// repository column; without a header, the last cell when it looks like a repository). A row without a readable
/// group number is rejected with its line and reason; the other rows are read.
pub fn read_group_list(text: &str) -> GroupList {
    let mut list = GroupList::default();
    let mut repo_column: Option<usize> = None;
    for (i, line) in text.trim_start_matches('\u{FEFF}').lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let cells = split_csv(line);
        let first = cells.first().map(String::as_str).unwrap_or("");
        let group = match group_number(first) {
            Ok(g) => g,
            // A first line whose first cell holds no digit is the header.
            Err(_) if line_no == 1 && !first.contains(|c: char| c.is_ascii_digit()) => {
                // Remember which column holds the repository, so an empty or malformed cell there is still known
                // to be the repository and never taken for a student.
                repo_column = cells.iter().skip(1).position(|c| {
                    let c = c.to_lowercase();
                    c.contains("repo") || c.contains("github")
                });
                repo_column = repo_column.map(|p| p + 1);
                continue;
            }
            Err(reason) => {
                list.rejected.push(GroupListError { line: line_no, reason });
                continue;
            }
        };
        let repo_index = match repo_column {
            Some(c) => (c < cells.len()).then_some(c),
            None => (cells.len() > 1 && cells.last().is_some_and(|c| looks_like_repo(c))).then(|| cells.len() - 1),
        };
        let repo_cell = repo_index.map(|i| cells[i].clone()).filter(|c| !c.is_empty());
        let repo = repo_cell.as_deref().and_then(normalise_repo);
        let students = cells
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(i, c)| Some(*i) != repo_index && !c.is_empty())
            .map(|(_, c)| c.clone())
            .collect();
        list.rows.push(GroupRow { group, students, repo, repo_cell, line: line_no });
    }
    list
}

/// Reads `group_info.csv` strictly: the first row without a readable group number is the error.
pub fn parse_group_list(text: &str) -> Result<Vec<GroupRow>, GroupListError> {
    let list = read_group_list(text);
    match list.rejected.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(list.rows),
    }
}

/// The group number a folder name states, `group_12` → 12 (the course's own `cloned_repos/group_<n>/` layout and
/// what `cohort scrape` writes).
fn group_folder_number(part: &str) -> Option<u32> {
    let digits = part.strip_prefix("group_")?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then(|| digits.parse().ok()).flatten()
}

/// Finds the row of a report: by its repository (an `owner__repo` or `owner/repo` in its path), else by a
/// `group_<n>` folder in its path (the folder was named from the list, so it beats what the report states), else
/// by the group number it states.
pub fn row_for<'a>(rows: &'a [GroupRow], report_id: &str, report: &Report) -> Option<&'a GroupRow> {
    let id = report_id.to_lowercase();
    let by_repo = rows.iter().find(|r| {
        r.repo.as_ref().is_some_and(|repo| {
            let flat = repo.replace('/', "__");
            id.split('/').any(|part| part == flat) || id.contains(repo.as_str())
        })
    });
    let by_folder = || id.split('/').find_map(group_folder_number).and_then(|g| rows.iter().find(|r| r.group == g));
    by_repo.or_else(by_folder).or_else(|| report.facts.group.and_then(|g| rows.iter().find(|r| r.group == g)))
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
        assert_eq!(rows[0].repo_cell.as_deref(), Some("https://github.com/Owner/Repo.git"));
        assert_eq!(rows[1].repo_cell.as_deref(), Some("github.com/a/b/tree/main"));
        assert_eq!(parse_group_list("x,y\nabc,s1\n").unwrap_err().line, 2);
    }

    #[test]
    fn the_header_names_the_repository_column() {
        // A malformed or local repository cell under the header's github_repo column is the repository, never a
        // student; an empty one is no repository.
        let csv = "group_nb,student 1,student 2,github_repo\n\
                   1,s1,s2,just-a-name\n\
                   2,s3,,file:///srv/mirror/g2\n\
                   3,s4,s5,\n";
        let rows = parse_group_list(csv).unwrap();
        assert_eq!(rows[0].students, vec!["s1", "s2"]);
        assert_eq!(rows[0].repo_cell.as_deref(), Some("just-a-name"));
        assert_eq!(rows[1].students, vec!["s3"]);
        assert_eq!(rows[1].repo_cell.as_deref(), Some("file:///srv/mirror/g2"));
        assert_eq!(rows[2].students, vec!["s4", "s5"]);
        assert_eq!(rows[2].repo_cell, None);
        // Without a header the last cell is the repository only when it looks like one.
        let rows = parse_group_list("4,s6,https://example.org/x/y\n5,s7,s8\n").unwrap();
        assert_eq!(rows[0].students, vec!["s6"]);
        assert_eq!(rows[0].repo_cell.as_deref(), Some("https://example.org/x/y"));
        assert_eq!(rows[1].students, vec!["s7", "s8"]);
        assert_eq!(rows[1].repo_cell, None);
    }

    #[test]
    fn a_group_folder_finds_its_row() {
        let rows = parse_group_list("7,s1,https://github.com/a/b\n8,s2,https://github.com/c/d\n").unwrap();
        let report = Report {
            path: "group_9/README.md".into(),
            questions: crate::domain::QuestionSet::Q31,
            generation: crate::domain::ChecklistGeneration::None,
            checklist: vec![],
            answers: vec![],
            facts: Default::default(),
            warnings: vec![],
        };
        assert_eq!(row_for(&rows, "group_8", &report).map(|r| r.group), Some(8));
        assert_eq!(row_for(&rows, "scraped/group_7/docs", &report).map(|r| r.group), Some(7));
        assert_eq!(row_for(&rows, "group_9", &report), None);
        assert_eq!(row_for(&rows, "group_x8", &report), None);
    }

    #[test]
    fn group_numbers_are_whole_numbers_with_at_most_a_word_before_them() {
        for (cell, group) in [("12", 12), (" 7 ", 7), ("Group 3", 3), ("group_4", 4), ("#5", 5), ("0", 0)] {
            assert_eq!(group_number(cell), Ok(group), "{cell:?}");
        }
        for cell in ["-1", "+1", "1.5", "12a", "seven", "", "4294967296", "\u{2212}1", "- 1", "1 2"] {
            assert!(group_number(cell).is_err(), "{cell:?} read as {:?}", group_number(cell));
        }
        let list = read_group_list("group_nb,github_repo\n-1,a/b\n2,c/d\nx,e/f\n");
        assert_eq!(list.rows.iter().map(|r| r.group).collect::<Vec<_>>(), [2]);
        assert_eq!(list.rejected.iter().map(|e| e.line).collect::<Vec<_>>(), [2, 4]);
        assert!(list.rejected[0].reason.contains("\"-1\""), "{:?}", list.rejected);
        // Without a header, a first line with a bad number is a rejected row, not a header.
        assert_eq!(read_group_list("-3,a/b\n").rejected.len(), 1);
    }

    #[test]
    fn normalises_repositories() {
        assert_eq!(normalise_repo("git@github.com:Me/Proj.git").as_deref(), Some("me/proj"));
        assert_eq!(normalise_repo("me/proj").as_deref(), Some("me/proj"));
        assert_eq!(normalise_repo("nonsense"), None);
    }
}
