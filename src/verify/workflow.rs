//! What a GitHub Actions workflow does, read with a YAML parser: its triggers and their `paths`, every step's
//! `run` command and `uses` action, the largest job matrix, and whether it caches. Line numbers are found by
//! locating the value in the file's text (the YAML tree keeps no positions).

use yaml_rust2::Yaml;

/// One workflow file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Workflow {
    /// Event names (`push`, `pull_request`, `repository_dispatch`, ...).
    pub triggers: Vec<String>,
    /// `paths` filters of any trigger.
    pub trigger_paths: Vec<(String, usize)>,
    /// `run:` commands, with the line each starts on.
    pub runs: Vec<(String, usize)>,
    /// `uses:` actions (`actions/setup-python@v5`), with their `with:` keys.
    pub uses: Vec<Uses>,
    /// The most combinations any job's matrix has (0 without a matrix; a matrix computed at run time counts 2).
    pub matrix_entries: usize,
    pub matrix_line: usize,
    /// The line of a cache (actions/cache, setup-python `cache:`, setup-uv `enable-cache`), if any.
    pub cache_line: Option<usize>,
    /// Local actions the steps use (`uses: ./.github/actions/setup` gives `.github/actions/setup`), with the line.
    pub local_actions: Vec<(String, usize)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uses {
    pub action: String,
    pub with_keys: Vec<String>,
    pub line: usize,
}

/// The 1-based line of the first line of `text` that contains `needle` (its first line), else 1.
pub fn line_of(text: &str, needle: &str) -> usize {
    let first = needle.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    if first.is_empty() {
        return 1;
    }
    text.lines().position(|l| l.contains(first)).map_or(1, |i| i + 1)
}

fn key<'a>(y: &'a Yaml, k: &str) -> &'a Yaml {
    &y[k]
}

fn strings(y: &Yaml) -> Vec<String> {
    match y {
        Yaml::String(s) => vec![s.clone()],
        Yaml::Array(a) => a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        _ => vec![],
    }
}

/// Combinations of one `strategy.matrix`.
fn matrix_size(m: &Yaml) -> usize {
    match m {
        Yaml::Hash(h) => {
            let mut product = 1usize;
            let mut axes = 0;
            let mut include = 0;
            let mut exclude = 0;
            for (k, v) in h {
                match k.as_str() {
                    Some("include") => include = v.as_vec().map_or(0, Vec::len),
                    Some("exclude") => exclude = v.as_vec().map_or(0, Vec::len),
                    _ => {
                        axes += 1;
                        product = product.saturating_mul(match v {
                            Yaml::Array(a) => a.len(),
                            Yaml::String(_) => 2, // `${{ fromJSON(...) }}`: decided at run time
                            _ => 1,
                        });
                    }
                }
            }
            if axes == 0 {
                include
            } else {
                product.saturating_sub(exclude) + include
            }
        }
        Yaml::String(_) => 2,
        _ => 0,
    }
}

/// Reads a workflow. `None` when the text is not YAML or not a mapping.
/// The hook ids of a pre-commit configuration (`repos: [{hooks: [{id: ...}]}]`); empty when it holds none or
/// is not YAML. A configuration without hooks runs nothing.
pub fn pre_commit_hooks(text: &str) -> Vec<String> {
    let Some(docs) = super::yaml::load(text.trim_start_matches('\u{feff}')) else { return vec![] };
    let Some(doc) = docs.into_iter().next() else { return vec![] };
    let Some(repos) = key(&doc, "repos").as_vec() else { return vec![] };
    repos
        .iter()
        .filter_map(|r| key(r, "hooks").as_vec())
        .flatten()
        .filter_map(|h| key(h, "id").as_str().map(str::to_string))
        .collect()
}

pub fn read(text: &str) -> Option<Workflow> {
    // Editors on Windows may start the file with a byte-order mark, which the YAML reader refuses.
    let text = text.trim_start_matches('\u{feff}');
    let docs = super::yaml::load(text)?;
    let doc = docs.into_iter().next()?;
    doc.as_hash()?;
    let mut w = Workflow::default();
    // `on:` (a YAML 1.1 reader would turn the key into `true`; this one keeps it a string), but accept both.
    let yes = Yaml::Boolean(true);
    let on = if key(&doc, "on").is_badvalue() {
        doc.as_hash().and_then(|h| h.get(&yes)).unwrap_or(&Yaml::BadValue)
    } else {
        key(&doc, "on")
    };
    match on {
        Yaml::String(s) => w.triggers.push(s.clone()),
        Yaml::Array(_) => w.triggers.extend(strings(on)),
        Yaml::Hash(h) => {
            for (event, spec) in h {
                let Some(event) = event.as_str() else { continue };
                w.triggers.push(event.to_string());
                for p in strings(&spec["paths"]) {
                    let line = line_of(text, &p);
                    w.trigger_paths.push((p, line));
                }
            }
        }
        _ => {}
    }
    let Some(jobs) = key(&doc, "jobs").as_hash() else { return Some(w) };
    for (_, job) in jobs {
        let m = &job["strategy"]["matrix"];
        if !m.is_badvalue() {
            let size = matrix_size(m);
            if size > w.matrix_entries {
                w.matrix_entries = size;
                w.matrix_line = line_of(text, "matrix:");
            }
        }
        if let Some(steps) = job["steps"].as_vec() {
            let self_hosted = strings(&job["runs-on"]).iter().any(|r| r.contains("self-hosted"));
            read_steps(steps, text, !self_hosted, &mut w);
        }
    }
    Some(w)
}

/// The major version of an action reference (`astral-sh/setup-uv@v5.1` → 5); `None` for a branch or a commit.
fn major_version(action: &str) -> Option<u32> {
    let (_, version) = action.rsplit_once('@')?;
    version.strip_prefix('v')?.split('.').next()?.parse().ok()
}

/// Whether a setup-uv step caches. Since its version 5 it caches by default on GitHub-hosted runners
/// (`enable-cache: auto`); `enable-cache: true` caches anywhere, `false` nowhere.
fn setup_uv_caches(action: &str, step: &Yaml, hosted: bool) -> bool {
    match &step["with"]["enable-cache"] {
        Yaml::Boolean(b) => *b,
        Yaml::String(s) => s == "true" || (s == "auto" && hosted),
        Yaml::BadValue | Yaml::Null => hosted && major_version(action).is_some_and(|v| v >= 5),
        _ => false,
    }
}

/// A shell line without its comment: from a `#` that starts a word (at the start or after a blank), outside
/// quotes (`echo "#1"` and `${#list}` keep theirs).
pub fn strip_shell_comment(line: &str) -> &str {
    let (mut single, mut double) = (false, false);
    let mut previous = ' ';
    for (i, c) in line.char_indices() {
        match c {
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '#' if !single && !double && previous.is_whitespace() => return &line[..i],
            _ => {}
        }
        previous = c;
    }
    line
}

/// Reads the steps of a job (or of a composite action). `hosted`: the job runs on GitHub's runners.
fn read_steps(steps: &[Yaml], text: &str, hosted: bool, w: &mut Workflow) {
    // Lines are looked for from the previous step's on, so two steps running the same command get their own.
    let mut from = 0;
    for step in steps {
        if let Some(run) = step["run"].as_str() {
            // One command line at a time, shell comments left out: a linter named in a comment runs nothing, and
            // the line cited is the one that runs the tool.
            for raw in run.lines() {
                let command = strip_shell_comment(raw).trim();
                if command.is_empty() {
                    continue;
                }
                let needle = raw.trim();
                let line = text.lines().skip(from).position(|l| l.contains(needle)).map(|i| from + i + 1);
                let line = line.unwrap_or_else(|| line_of(text, needle));
                from = from.max(line.saturating_sub(1));
                w.runs.push((command.to_string(), line));
            }
        }
        if let Some(action) = step["uses"].as_str() {
            let with_keys: Vec<String> = step["with"]
                .as_hash()
                .map(|h| h.keys().filter_map(|k| k.as_str().map(str::to_string)).collect())
                .unwrap_or_default();
            let line = line_of(text, action);
            let a = action.to_lowercase();
            let caches = a.starts_with("actions/cache")
                || (a.starts_with("actions/setup-python") && with_keys.iter().any(|k| k == "cache"))
                || (a.contains("setup-uv") && setup_uv_caches(&a, step, hosted));
            if caches && w.cache_line.is_none() {
                w.cache_line = Some(line);
            }
            if a.starts_with("./") {
                w.local_actions.push((action.trim_start_matches("./").trim_end_matches('/').to_string(), line));
            }
            w.uses.push(Uses { action: action.to_string(), with_keys, line });
        }
    }
}

/// Reads a local composite action (`.github/actions/NAME/action.yml`): its steps, as a workflow without triggers
/// or jobs. `None` when the text is not YAML or has no `runs.steps`.
pub fn read_action(text: &str) -> Option<Workflow> {
    let docs = super::yaml::load(text.trim_start_matches('\u{feff}'))?;
    let doc = docs.into_iter().next()?;
    let steps = doc["runs"]["steps"].as_vec()?;
    let mut w = Workflow::default();
    // The calling job's runner is not known here: course repositories run on GitHub's.
    read_steps(steps, text, true, &mut w);
    Some(w)
}

impl Workflow {
    /// Adds the steps of a local action this workflow uses, as if they were written at `line` (the `uses:` step).
    pub fn include_action(&mut self, action: &Workflow, line: usize) {
        self.runs.extend(action.runs.iter().map(|(r, _)| (r.clone(), line)));
        self.uses.extend(action.uses.iter().map(|u| Uses { line, ..u.clone() }));
        if self.cache_line.is_none() && action.cache_line.is_some() {
            self.cache_line = Some(line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_triggers_steps_matrix_and_cache() {
        let text = "name: t\non:\n  push:\n    branches: [main]\n    paths:\n      - 'data/**'\n      - '*.dvc'\n  pull_request:\njobs:\n  test:\n    runs-on: ${{ matrix.os }}\n    strategy:\n      matrix:\n        os: [ubuntu-latest, windows-latest]\n        python: ['3.11', '3.12']\n        exclude:\n          - os: windows-latest\n            python: '3.11'\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-python@v5\n        with:\n          python-version: ${{ matrix.python }}\n          cache: pip\n      - run: |\n          pip install -r requirements.txt\n          pytest tests/\n";
        let w = read(text).expect("workflow");
        assert_eq!(w.triggers, ["push", "pull_request"]);
        assert_eq!(w.trigger_paths, vec![("data/**".to_string(), 6), ("*.dvc".to_string(), 7)]);
        assert_eq!(w.matrix_entries, 3);
        assert_eq!(w.cache_line, Some(21));
        // One entry per command line, at its own line.
        let runs: Vec<(&str, usize)> = w.runs.iter().map(|(c, l)| (c.as_str(), *l)).collect();
        assert_eq!(runs, [("pip install -r requirements.txt", 26), ("pytest tests/", 27)]);
    }

    #[test]
    fn a_byte_order_mark_is_not_yaml_and_keeps_line_numbers() {
        let w = read("\u{feff}on: push\njobs:\n  t:\n    steps:\n      - run: pytest\n").expect("workflow");
        assert_eq!(w.triggers, ["push"]);
        assert_eq!(w.runs, vec![("pytest".to_string(), 5)]);
        let hooks =
            "\u{feff}repos:\n- repo: https://example.invalid/h\n  hooks:\n  - id: ruff\n  #- id: off\n  - id: eof\n";
        assert_eq!(pre_commit_hooks(hooks), ["ruff", "eof"]);
        assert!(pre_commit_hooks("# only a comment\n").is_empty());
        assert!(pre_commit_hooks("repos: []\n").is_empty());
        assert!(pre_commit_hooks("repos:\n- repo: local\n  hooks: []\n").is_empty());
        assert!(pre_commit_hooks("[unclosed").is_empty());
    }

    #[test]
    fn a_matrix_from_an_anchor_and_steps_of_a_local_action() {
        let text = "on: push\nx-versions: &versions ['3.11', '3.12']\njobs:\n  test:\n    strategy:\n      matrix:\n        python: *versions\n    steps:\n      - uses: ./.github/actions/prepare\n      - run: pytest\n";
        let mut w = read(text).expect("workflow");
        assert_eq!(w.matrix_entries, 2, "the alias is resolved");
        assert_eq!(w.local_actions, vec![(".github/actions/prepare".to_string(), 9)]);
        assert_eq!(w.cache_line, None);
        let action = read_action(
            "runs:\n  using: composite\n  steps:\n    - uses: actions/setup-python@v5\n      with:\n        cache: pip\n    - run: ruff check .\n      shell: bash\n",
        )
        .expect("action");
        w.include_action(&action, 9);
        assert_eq!(w.cache_line, Some(9));
        assert!(w.runs.iter().any(|(r, l)| r.contains("ruff") && *l == 9));
    }

    #[test]
    fn setup_uv_caches_by_default_from_version_5_on_hosted_runners() {
        let job = |uses: &str, with: &str, runs_on: &str| {
            let text =
                format!("on: push\njobs:\n  t:\n    runs-on: {runs_on}\n    steps:\n      - uses: {uses}\n{with}");
            read(&text).expect("workflow").cache_line.is_some()
        };
        assert!(job("astral-sh/setup-uv@v5", "", "ubuntu-latest"));
        assert!(job("astral-sh/setup-uv@v6.1.0", "", "${{ matrix.os }}"));
        assert!(!job("astral-sh/setup-uv@v3", "", "ubuntu-latest"), "before version 5 caching was off by default");
        assert!(!job("astral-sh/setup-uv@v5", "", "[self-hosted, linux]"));
        assert!(!job("astral-sh/setup-uv@v6", "        with:\n          enable-cache: false\n", "ubuntu-latest"));
        assert!(job("astral-sh/setup-uv@v3", "        with:\n          enable-cache: true\n", "ubuntu-latest"));
        assert!(!job("actions/setup-python@v5", "        with:\n          enable-cache: true\n", "ubuntu-latest"));
    }

    #[test]
    fn run_scripts_are_read_a_line_at_a_time_without_comments() {
        let text = "on: [push]\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          # later: ruff check .\n          pip install -e .\n          echo \"#1\" # flake8 someday\n          python -m pytest\n";
        let w = read(text).expect("a workflow");
        let runs: Vec<(&str, usize)> = w.runs.iter().map(|(c, l)| (c.as_str(), *l)).collect();
        assert_eq!(runs, [("pip install -e .", 8), ("echo \"#1\"", 9), ("python -m pytest", 10)]);
        assert_eq!(strip_shell_comment("n=${#list} # count"), "n=${#list} ");
    }

    #[test]
    fn not_yaml_is_none() {
        assert!(read("{{{: [").is_none());
        assert!(read("- a list").is_none());
        let w = read("on: push\njobs: {}\n").expect("mapping");
        assert_eq!(w.triggers, ["push"]);
    }
}
