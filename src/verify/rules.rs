//! The evidence rules, as data, in one place: per checklist item, what in a repository counts as evidence, what
//! counts as partial, and whether a tick without evidence is flagged (`Class::Decidable`), only shown
//! (`Class::Shown`) or cannot be judged from a repository at all (items without a rule). They follow
//! `shared/design/EVIDENCE.md`; the matching code below knows no item.
//!
//! Every signal is structural: Python imports, calls and decorators come from the parse tree, workflow commands
//! and triggers from the YAML tree, file evidence from the file list (contents of large files may be absent).
//! Files that are not the group's code never count (see [`exclusion`]), and neither do files unchanged since the
//! repository's first day (the course template) unless the rule says the template cannot hold that evidence.

use super::snapshot::{SnapFile, Snapshot};
use crate::domain::template::ChecklistId;

/// How a tick without evidence is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Decidable from the repository: a tick without evidence is flagged.
    Decidable,
    /// The evidence is shown when found, but its absence proves nothing (it may live in the cloud, run locally).
    Shown,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Decidable => "decidable",
            Class::Shown => "shown",
        }
    }
}

/// Which files a Python signal looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Any,
    /// Not test files (an app defined in a test proves no app).
    Code,
}

/// One kind of evidence.
#[derive(Debug, Clone, Copy)]
pub enum Signal {
    /// A file whose name (or, for patterns with `/`, path) matches a pattern (`*` wildcards, any case).
    File(&'static [&'static str]),
    /// A YAML file inside a folder with one of these names.
    YamlUnder(&'static [&'static str]),
    /// A folder with one of these names holding files with these extensions (an app's pages).
    FolderWith(&'static [&'static str], &'static [&'static str]),
    /// A Python import of one of these modules (or their submodules).
    Import(&'static [&'static str], Scope),
    /// A Python call or decorator whose callee is one of these (`hydra.main`; `FastAPI` also matches `fastapi.FastAPI`).
    Call(&'static [&'static str], Scope),
    /// A call or decorator named like one of these in a file that imports the module: `(module, callees)`.
    CallWith(&'static str, &'static [&'static str], Scope),
    /// A web route (`@app.get("/...")`) whose path contains one of `paths` (any route when `paths` is empty), in a
    /// file whose path or imports mention one of `context` (any file when empty).
    Route {
        paths: &'static [&'static str],
        context: &'static [&'static str],
    },
    /// A Python file whose name matches a pattern and that imports one of the modules (a script doing something).
    FileImporting(&'static [&'static str], &'static [&'static str]),
    /// A YAML file that configures experiments: inside a `configs/`-like folder or named like a configuration,
    /// and not a tool's own file (workflows, pre-commit, cloud builds, compose, docs, DVC).
    ExperimentConfig,
    /// A configuration file in one of these formats (`json`, `toml`) that the code loads: inside a `configs/`-like
    /// folder or named like a configuration, not a tool's own file, and named (by file name) in a Python file.
    LoadedConfig(&'static [&'static str]),
    /// A Python module of settings (one of these names, in non-test code): constants in code, not a
    /// configuration file.
    PythonSettings(&'static [&'static str]),
    /// A `gs://` string in Python code or a line with it in a configuration or script file.
    BucketPath,
    /// A line (not a comment) holding the text, in files with these name patterns outside workflows: formats
    /// without a parser here (k6 scripts) and configuration values (`logger: wandb`, `_target_: ...WandbLogger`).
    TextIn(&'static [&'static str], &'static str),
    /// A `key: value` line whose value is exactly this word (`logger: wandb`, `report_to: "wandb"`), in files with
    /// these name patterns outside workflows. An environment variable naming a key proves no use.
    ConfigValue(&'static [&'static str], &'static str),
    /// Test functions pytest collects in files about a topic (path, test names, class, imports mention a word).
    TestsAbout(&'static [&'static str]),
    /// Test functions pytest collects in files importing one of these modules or calling one of these names.
    TestsUsing(&'static [&'static str]),
    /// Any test function pytest collects (named in the notes of the test items, never their evidence).
    AnyTests,
    /// A workflow step running one of these commands (a word of the command, or a phrase).
    WorkflowRuns(&'static [&'static str]),
    /// A workflow step using an action whose name contains one of these.
    WorkflowUses(&'static [&'static str]),
    /// Any workflow.
    AnyWorkflow,
    /// A job matrix of more than one entry and a cache, in one workflow.
    MatrixAndCache,
    Matrix,
    Cache,
    /// A workflow triggered on changes to paths containing one of these.
    TriggerPaths(&'static [&'static str]),
    /// A workflow triggered by one of these events.
    Trigger(&'static [&'static str]),
    /// A workflow step running a task runner's target (`make lint`, `invoke lint`, `uv run invoke check`) whose
    /// recipe (the Makefile's, or the task's body in `tasks.py`) runs one of these commands.
    WorkflowRunsTask(&'static [&'static str]),
    /// pre-commit's hooks run in CI: a workflow running them (`pre-commit run`, the pre-commit action), or commits
    /// by the hosted service pre-commit.ci, with a `.pre-commit-config.yaml` in the tree; with `lints`, the
    /// configuration must also hold a linting hook.
    PreCommitInCi {
        lints: bool,
    },
    /// A pre-commit configuration (one of these names) holding at least one hook.
    PreCommitConfig(&'static [&'static str]),
    /// A web page served by the app at its root, in non-test code: a route at `/` declared with an HTML
    /// `response_class` or whose function answers with one of these (`HTMLResponse`, `TemplateResponse`), or a
    /// static site mounted at `/` (`StaticFiles(..., html=True)`).
    PageRoute(&'static [&'static str]),
}

/// The rule of one checklist item.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub item: &'static str,
    pub class: Class,
    pub evidence: &'static [Signal],
    pub partial: &'static [Signal],
    /// Whether a template file may count (the template never holds this evidence).
    pub template_counts: bool,
    /// What a reader of a claim without evidence should hear of, with why it is not evidence (a compose file
    /// without a Dockerfile): named in the note, never changing the verdict.
    pub noted: &'static [(Signal, &'static str)],
}

/// Parts of a project a test file can be named for that are neither its data nor its model.
const OTHER_TOPICS: &[&str] =
    &["api", "app", "endpoint", "locust", "load", "perf", "frontend", "ui", "drift", "monitor", "docker", "cli"];
const DATA_WORDS: &[&str] = &[
    "data",
    "dataset",
    "loader",
    "preprocess",
    "process",
    "transform",
    "augment",
    "token",
    "split",
    "sample",
    "image",
];
const MODEL_WORDS: &[&str] = &[
    "model",
    "train",
    "network",
    "net",
    "predict",
    "forward",
    "architecture",
    "lightning",
    "infer",
    "evaluat",
    "classifier",
    "encoder",
    "layer",
    "loss",
    "optim",
    "module",
    "checkpoint",
];
/// The words of [`DATA_WORDS`] and [`MODEL_WORDS`] that name a test file's topic on their own (`module`, `net`,
/// `image` are parts of other names: a `test_datamodule.py`).
const NAMING_WORDS: &[&str] = &["data", "loader", "preprocess", "model", "train", "predict", "infer", "classifier"];
const TEST_RUNNERS: &[&str] = &[
    "pytest",
    "py.test",
    "unittest",
    "tox",
    "nox",
    "coverage run",
    "make test",
    "make tests",
    "invoke test",
    "invoke tests",
    "task test",
    "just test",
    "tests/",
];
/// Commands that install packages: a tool named in them is not run.
const INSTALLERS: &[&str] = &[
    "pip install",
    "pip3 install",
    "uv add",
    "uv tool install",
    "pipx install",
    "poetry add",
    "conda install",
    "mamba install",
    "apt-get install",
    "apt install",
    "npm install",
];
const LINTERS: &[&str] = &["ruff", "flake8", "pylint", "black"];
const DOCKERFILES: &[&str] = &["dockerfile", "*.dockerfile", "dockerfile.*", "*dockerfile", "*.dockerfile.*"];
const LOAD_SCRIPTS: &[&str] = &["*load_test*", "*loadtest*", "*load-test*", "*stress*", "*load_testing*"];
const DRIFT_LIBRARIES: &[&str] = &["evidently", "alibi_detect", "nannyml", "deepchecks", "torchdrift", "frouros"];
const DRIFT_CONTEXT: &[&str] =
    &["evidently", "alibi_detect", "nannyml", "deepchecks", "torchdrift", "frouros", "drift"];
/// YAML files that configure a tool, not an experiment.
const TOOL_YAML: &[&str] = &[
    ".pre-commit-config*",
    "cloudbuild*",
    "*docker-compose*",
    "compose.y*",
    "mkdocs*",
    "dvc.yaml",
    "dvc.lock",
    ".readthedocs*",
    "codecov*",
    "environment*.y*",
    "conda*.y*",
    "*vertex*",
    "*.dvc",
    "bentofile*",
    "*service*.y*",
    "*deploy*",
    "*job*.y*",
    ".gitlab-ci*",
];
/// Fixtures pytest and its common plugins provide: a test asking for another one that no `conftest.py`, the
/// test's own file or an import provides is not run by pytest (it errors), as in a manual script named
/// `test_*.py` whose functions take a URL or a file name.
pub const PYTEST_FIXTURES: &[&str] = &[
    "request",
    "tmp_path",
    "tmp_path_factory",
    "tmpdir",
    "tmpdir_factory",
    "monkeypatch",
    "capsys",
    "capsysbinary",
    "capfd",
    "capfdbinary",
    "caplog",
    "recwarn",
    "pytestconfig",
    "record_property",
    "record_testsuite_property",
    "record_xml_attribute",
    "cache",
    "doctest_namespace",
    "testdir",
    "pytester",
    "subtests",
    "mocker",
    "class_mocker",
    "module_mocker",
    "package_mocker",
    "session_mocker",
    "benchmark",
    "httpx_mock",
    "requests_mock",
    "respx_mock",
    "snapshot",
    "faker",
    "event_loop",
    "anyio_backend",
    "unused_tcp_port",
    "freezer",
    "datadir",
    "shared_datadir",
    "live_server",
];

/// JSON and TOML files that configure a tool or a package, not an experiment.
const TOOL_FILES: &[&str] = &[
    "pyproject.toml",
    "package.json",
    "package-lock.json",
    "tsconfig.json",
    "ruff.toml",
    ".ruff.toml",
    "uv.lock",
    "poetry.lock",
    "setup.cfg",
    "devcontainer.json",
    "launch.json",
    "settings.json",
    "renovate.json",
    "cloudbuild.json",
    "firebase.json",
    "vercel.json",
];
const PRE_COMMIT: &[&str] = &[".pre-commit-config.yaml", ".pre-commit-config.yml"];

use Scope::{Any, Code};
use Signal::*;

const fn rule(item: &'static str, class: Class, evidence: &'static [Signal], partial: &'static [Signal]) -> Rule {
    Rule { item, class, evidence, partial, template_counts: false, noted: &[] }
}

/// The rules. An item not listed here is not decidable from a repository (cloud work, GitHub settings, the
/// "consider ..." items, items every repository satisfies).
pub const RULES: &[Rule] = &[
    // Tests about other parts are no partial evidence of these: the note names them.
    rule("tests-data", Class::Decidable, &[TestsAbout(DATA_WORDS)], &[]),
    rule("tests-model", Class::Decidable, &[TestsAbout(MODEL_WORDS)], &[]),
    rule("ci", Class::Decidable, &[WorkflowRuns(TEST_RUNNERS)], &[AnyWorkflow]),
    rule(
        "ci-linting",
        Class::Decidable,
        &[
            WorkflowRuns(LINTERS),
            WorkflowUses(&["ruff", "flake8", "pylint", "black", "super-linter"]),
            WorkflowRunsTask(LINTERS),
            PreCommitInCi { lints: true },
        ],
        &[WorkflowRuns(&["mypy", "isort", "lint", "pre-commit run"])],
    ),
    rule("ci-matrix-caching", Class::Decidable, &[MatrixAndCache], &[Matrix, Cache]),
    // The group's own configuration, or the template's whose hooks the group's CI runs; a configuration without
    // hooks runs nothing (partial).
    rule(
        "pre-commit",
        Class::Decidable,
        &[PreCommitConfig(PRE_COMMIT), PreCommitInCi { lints: false }],
        &[File(PRE_COMMIT)],
    ),
    Rule {
        template_counts: true,
        ..rule(
            "data-versioning",
            Class::Decidable,
            &[File(&["*.dvc", "dvc.yaml", "dvc.lock", ".dvc/config"])],
            &[File(&[".dvcignore", ".dvc/.gitignore"]), Import(&["dvc"], Any)],
        )
    },
    rule(
        "gcp-bucket",
        Class::Decidable,
        &[BucketPath, Import(&["google.cloud.storage", "gcsfs"], Any)],
        &[Import(&["google.cloud"], Any)],
    ),
    // A compose file builds and runs images from Dockerfiles (or pulls others' images): without a Dockerfile the
    // group wrote none.
    Rule {
        noted: &[(
            File(&["docker-compose*.yml", "docker-compose*.yaml", "compose.yaml", "compose.yml"]),
            "a compose file, but no Dockerfile for it to build",
        )],
        ..rule("dockerfiles", Class::Decidable, &[File(DOCKERFILES)], &[])
    },
    // JSON and TOML configuration files the code loads count like YAML; a Python module of settings is partial.
    rule(
        "config-files",
        Class::Decidable,
        &[
            YamlUnder(&["configs", "conf", "config", "configurations"]),
            ExperimentConfig,
            LoadedConfig(&["json", "toml"]),
        ],
        &[
            Call(&["yaml.safe_load", "yaml.load", "OmegaConf.load"], Any),
            PythonSettings(&[
                "config.py",
                "configs.py",
                "constants.py",
                "settings.py",
                "params.py",
                "hparams.py",
                "hyperparameters.py",
            ]),
        ],
    ),
    rule(
        "hydra",
        Class::Decidable,
        &[CallWith(
            "hydra",
            &["main", "compose", "initialize", "initialize_config_dir", "initialize_config_module"],
            Any,
        )],
        &[Import(&["omegaconf", "hydra"], Any)],
    ),
    rule(
        "wandb",
        Class::Decidable,
        &[
            Import(&["wandb"], Any),
            Call(&["WandbLogger"], Any),
            TextIn(&["*.yaml", "*.yml"], "wandblogger"),
            ConfigValue(&["*.yaml", "*.yml"], "wandb"),
        ],
        &[],
    ),
    rule("lightning", Class::Decidable, &[Import(&["lightning", "pytorch_lightning"], Any)], &[]),
    rule(
        "fastapi",
        Class::Decidable,
        &[CallWith("fastapi", &["FastAPI", "APIRouter"], Code)],
        &[Import(&["fastapi"], Any)],
    ),
    rule(
        "api-tests",
        Class::Decidable,
        &[TestsUsing(&[
            "fastapi.testclient",
            "starlette.testclient",
            "httpx",
            "TestClient",
            "AsyncClient",
            "requests",
            "aiohttp",
            "urllib.request",
            "SyncHTTPClient",
            "AsyncHTTPClient",
        ])],
        &[TestsAbout(&["api", "endpoint"])],
    ),
    rule(
        "load-test",
        Class::Decidable,
        &[
            File(&["locustfile*.py", "*locust*.py"]),
            Import(&["locust"], Any),
            TextIn(&["*.js", "*.ts"], "k6/"),
            FileImporting(LOAD_SCRIPTS, &["httpx", "requests", "aiohttp"]),
        ],
        &[File(LOAD_SCRIPTS)],
    ),
    rule(
        "onnx-bentoml",
        Class::Decidable,
        &[
            Import(&["onnx", "onnxruntime", "bentoml"], Any),
            Call(&["torch.onnx.export", "to_onnx"], Any),
            File(&["*.onnx", "bentofile.yaml"]),
        ],
        &[],
    ),
    rule(
        "frontend",
        Class::Decidable,
        &[
            Import(&["streamlit", "gradio"], Any),
            // An HTML answer elsewhere (a drift report at /monitoring) is no frontend: the page must be at `/`.
            PageRoute(&["HTMLResponse", "TemplateResponse", "render_template"]),
            FolderWith(&["frontend", "ui", "webapp"], &["py", "js", "ts", "tsx", "jsx", "html", "vue", "svelte"]),
        ],
        &[File(&["*frontend*"])],
    ),
    rule(
        "drift-robustness",
        Class::Decidable,
        &[Import(DRIFT_LIBRARIES, Any), File(&["*drift*.py", "*drift*.ipynb"])],
        &[File(&["*drift*"])],
    ),
    rule(
        "drift-api",
        Class::Decidable,
        &[Route { paths: &["drift", "monitor"], context: &[] }, Route { paths: &[], context: DRIFT_CONTEXT }],
        &[File(&["*drift*"])],
    ),
    rule("cml-data-trigger", Class::Decidable, &[TriggerPaths(&["data", ".dvc", "dvc"])], &[WorkflowRuns(&["dvc"])]),
    rule(
        "sweep",
        Class::Shown,
        &[File(&["*sweep*.yaml", "*sweep*.yml", "*sweep*.py"]), Call(&["wandb.sweep", "wandb.agent"], Any)],
        &[],
    ),
    rule(
        "docs-publish",
        Class::Shown,
        &[
            WorkflowRuns(&["mkdocs gh-deploy", "gh-deploy", "mkdocs build"]),
            WorkflowUses(&["deploy-pages", "gh-pages", "mkdocs"]),
        ],
        &[File(&["mkdocs.yml", "mkdocs.yaml"])],
    ),
    rule(
        "system-metrics",
        Class::Shown,
        &[Import(&["prometheus_client", "prometheus_fastapi_instrumentator", "opentelemetry"], Any)],
        &[],
    ),
    rule("build-trigger", Class::Shown, &[File(&["cloudbuild*.yaml", "cloudbuild*.yml", "cloudbuild*.json"])], &[]),
    rule(
        "cml-registry-trigger",
        Class::Shown,
        &[Trigger(&["repository_dispatch", "registry_package"]), TriggerPaths(&["models/", "model"])],
        &[],
    ),
    rule("coverage", Class::Shown, &[WorkflowRuns(&["coverage", "--cov", "pytest-cov"])], &[]),
    rule("cli", Class::Shown, &[Import(&["typer", "click", "argparse"], Code)], &[]),
];

/// The rule of an item, if it has one.
pub fn rule_of(item: ChecklistId) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.item == item.as_str())
}

/// Folders that are never the group's code, with why. Checked on every folder of a path.
const EXCLUDED_DIRS: &[(&str, &str)] = &[
    ("reports", "the rendered report and the course's checker (reports/)"),
    ("site-packages", "a virtual environment"),
    ("dist-packages", "a virtual environment"),
    ("node_modules", "installed packages"),
    ("third_party", "vendored third-party code"),
    ("third-party", "vendored third-party code"),
    ("thirdparty", "vendored third-party code"),
    ("vendor", "vendored third-party code"),
    ("vendored", "vendored third-party code"),
    ("htmlcov", "a coverage report"),
    ("outputs", "run outputs"),
    ("multirun", "run outputs"),
    ("lightning_logs", "run outputs"),
    ("mlruns", "run outputs"),
    ("__pycache__", "compiled files"),
    (".ipynb_checkpoints", "notebook checkpoints"),
    (".tox", "a test environment"),
    (".nox", "a test environment"),
];

/// Why a path is not the group's code, if it is not.
pub fn exclusion(path: &str) -> Option<&'static str> {
    let parts: Vec<&str> = path.split('/').collect();
    let folders = &parts[..parts.len().saturating_sub(1)];
    for (i, dir) in folders.iter().enumerate() {
        let d = dir.to_lowercase();
        if let Some((_, why)) = EXCLUDED_DIRS.iter().find(|(n, _)| *n == d) {
            return Some(why);
        }
        if d.starts_with("venv") || d.starts_with(".venv") || d.ends_with("venv") || d == "virtualenv" {
            return Some("a virtual environment");
        }
        // A software development kit copied in (`google-cloud-sdk/`, `sdk/`): someone else's code and workflows.
        if d == "sdk" || d.ends_with("-sdk") || d.ends_with("_sdk") {
            return Some("a vendored SDK");
        }
        // W&B writes one folder per run inside wandb/: `run-<date>-<id>`, `offline-run-...`, `latest-run`.
        if d == "wandb" {
            if let Some(next) = parts.get(i + 1) {
                if next.starts_with("run-")
                    || next.starts_with("offline-run-")
                    || *next == "latest-run"
                    || next.starts_with("debug")
                {
                    return Some("W&B run files");
                }
            }
        }
    }
    None
}

/// `*`-wildcard match, any case.
pub fn glob(pattern: &str, text: &str) -> bool {
    let p = pattern.to_lowercase();
    let t = text.to_lowercase();
    let parts: Vec<&str> = p.split('*').collect();
    if parts.len() == 1 {
        return p == t;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !t.starts_with(first) || !t[first.len()..].ends_with(last) || t.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &t[first.len()..t.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

/// Where the evidence is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub path: String,
    pub line: Option<usize>,
    /// What matched, in a few words (`import wandb`, `workflow runs pytest`).
    pub what: String,
}

/// What a rule found in one snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    Supported(Evidence),
    Partial(Evidence),
    /// Nothing; `template` names evidence that exists only in files unchanged since the first day.
    Nothing {
        template: Option<Evidence>,
    },
}

fn module_matches(import: &str, module: &str) -> bool {
    import == module || (import.starts_with(module) && import[module.len()..].starts_with('.'))
}

fn callee_matches(callee: &str, name: &str) -> bool {
    callee == name || callee.ends_with(&format!(".{name}"))
}

fn file_matches(f: &SnapFile, pattern: &str) -> bool {
    if pattern.contains('/') {
        let p = pattern.to_lowercase();
        let path = f.path.to_lowercase();
        path == p || path.ends_with(&format!("/{p}"))
    } else {
        glob(pattern, f.name())
    }
}

/// Whether a run command runs one of the tools: a word of the command equal to (or starting with) the tool, or
/// the phrase for tools written with a space or a slash.
fn runs_tool(command: &str, tool: &str) -> bool {
    let lower = command.to_lowercase();
    // A command installing the tool runs nothing (`pip install ruff && ruff check .` runs it in its second part).
    lower.split(['\n', ';', '&', '|']).filter(|part| !INSTALLERS.iter().any(|i| part.contains(i))).any(|part| {
        if tool.contains([' ', '/', '-']) {
            return part.contains(tool);
        }
        part.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '\'' | '"' | '`' | '=' | ',')).any(|w| {
            w == tool
                || (w.starts_with(tool) && w[tool.len()..].starts_with(['[', '@', '=', '<', '>', ':']))
                || w.ends_with(&format!("/{tool}"))
        })
    })
}

fn is_test_path(snap: &Snapshot, path: &str) -> bool {
    snap.collects(path) || path.split('/').any(|p| p == "tests" || p == "test")
}

/// The task-runner targets a workflow command runs: `make lint check` gives `(make, lint)` and `(make, check)`;
/// `invoke lint`, `inv lint`, `uv run invoke lint`, `python -m invoke lint` give `(invoke, lint)`.
fn tasks_run(command: &str) -> Vec<(&'static str, String)> {
    let mut found = Vec::new();
    for part in command.split(['\n', ';', '&', '|']) {
        let words: Vec<&str> = part.split_whitespace().collect();
        let Some(i) = words.iter().position(|w| matches!(*w, "make" | "invoke" | "inv")) else { continue };
        let runner = if words[i] == "make" { "make" } else { "invoke" };
        for w in &words[i + 1..] {
            if w.starts_with('-') || w.contains('=') {
                continue;
            }
            found.push((runner, w.trim_matches(['"', '\'']).to_string()));
        }
    }
    found
}

/// The command lines a task runner's target runs: a Makefile target's recipe (and its prerequisites' recipes),
/// or the body of the `tasks.py` function an invoke task names (`lint-code` is `def lint_code`). Comment lines
/// are left out.
fn task_recipe(snap: &Snapshot, runner: &str, target: &str) -> Vec<String> {
    let text =
        |names: &[&str]| names.iter().find_map(|n| snap.texts.get(*n)).map(|b| String::from_utf8_lossy(b).into_owned());
    let not_comment = |l: &&str| !l.trim_start().starts_with('#');
    if runner == "make" {
        let Some(makefile) = text(&["Makefile", "makefile", "GNUmakefile"]) else { return vec![] };
        // Every rule's head is found in one pass (the first rule naming a target wins, as before), so a target
        // with many prerequisites costs one lookup each, not one pass over the Makefile each.
        let lines: Vec<&str> = makefile.lines().collect();
        let mut heads: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (i, l) in lines.iter().enumerate() {
            if let Some((names, _)) = l.split_once(':').filter(|_| !l.starts_with('\t')) {
                for n in names.split_whitespace() {
                    heads.entry(n).or_insert(i);
                }
            }
        }
        let recipe_of = |t: &str| -> (Vec<String>, Vec<String>) {
            let Some(&at) = heads.get(t) else { return (vec![], vec![]) };
            let prereqs =
                lines[at].split_once(':').map_or(vec![], |(_, r)| r.split_whitespace().map(str::to_string).collect());
            let body = lines[at + 1..]
                .iter()
                .copied()
                .take_while(|l| l.starts_with('\t') || l.trim().is_empty())
                .filter(not_comment);
            (body.map(str::to_string).collect(), prereqs)
        };
        let (mut body, prereqs) = recipe_of(target);
        let mut seen = std::collections::HashSet::new();
        for p in prereqs {
            if seen.insert(p.clone()) {
                body.extend(recipe_of(&p).0);
            }
        }
        body
    } else {
        let Some(tasks) = text(&["tasks.py"]) else { return vec![] };
        let def = format!("def {}(", target.replace('-', "_"));
        let mut lines = tasks.lines();
        if !lines.by_ref().any(|l| l.starts_with(&def)) {
            return vec![];
        }
        lines
            .take_while(|l| l.starts_with([' ', '\t']) || l.trim().is_empty())
            .filter(not_comment)
            .map(str::to_string)
            .collect()
    }
}

/// Searches one signal over the files `eligible` admits.
fn search(signal: &Signal, snap: &Snapshot, eligible: &dyn Fn(&SnapFile) -> bool) -> Option<Evidence> {
    let ok_path = |path: &str| snap.file(path).is_some_and(eligible);
    let ev = |path: &str, line: Option<usize>, what: String| Some(Evidence { path: path.to_string(), line, what });
    let mut py: Vec<(&String, &std::sync::Arc<super::python::PythonFacts>)> =
        snap.python.iter().filter(|(p, _)| ok_path(p)).collect();
    py.sort_by(|a, b| a.0.cmp(b.0));
    let in_scope = |path: &str, scope: Scope| scope == Scope::Any || !is_test_path(snap, path);
    let mut wfs: Vec<&(String, std::sync::Arc<super::workflow::Workflow>)> =
        snap.workflows.iter().filter(|(p, _)| ok_path(p)).collect();
    wfs.sort_by(|a, b| a.0.cmp(&b.0));
    match *signal {
        File(patterns) => snap
            .files
            .iter()
            .filter(|f| eligible(f))
            .find(|f| patterns.iter().any(|p| file_matches(f, p)))
            .and_then(|f| ev(&f.path, None, format!("file {}", f.name()))),
        PreCommitConfig(names) => {
            snap.files.iter().filter(|f| eligible(f) && names.iter().any(|n| f.path.eq_ignore_ascii_case(n))).find_map(
                |f| {
                    let text = String::from_utf8_lossy(snap.texts.get(&f.path)?);
                    let hooks = super::workflow::pre_commit_hooks(&text);
                    let first = hooks.first()?;
                    let line = super::workflow::line_of(&text, &format!("id: {first}"));
                    let hooks = crate::nouns::count(hooks.len(), "hook", "hooks");
                    ev(&f.path, Some(line), format!("pre-commit configuration with {hooks}"))
                },
            )
        }
        YamlUnder(dirs) => snap
            .files
            .iter()
            .filter(|f| eligible(f) && (f.path.ends_with(".yaml") || f.path.ends_with(".yml")))
            .find(|f| {
                let parts: Vec<&str> = f.path.split('/').collect();
                parts[..parts.len() - 1].iter().any(|p| dirs.contains(&p.to_lowercase().as_str()))
            })
            .and_then(|f| ev(&f.path, None, "YAML configuration".into())),
        FolderWith(dirs, exts) => snap
            .files
            .iter()
            .filter(|f| eligible(f))
            .find(|f| {
                let parts: Vec<&str> = f.path.split('/').collect();
                let ext = f.name().rsplit_once('.').map_or("", |(_, e)| e).to_lowercase();
                parts[..parts.len() - 1].iter().any(|p| dirs.contains(&p.to_lowercase().as_str()))
                    && exts.contains(&ext.as_str())
            })
            .and_then(|f| ev(&f.path, None, "a frontend folder with pages".into())),
        Import(modules, scope) => py.iter().filter(|(p, _)| in_scope(p, scope)).find_map(|(p, f)| {
            let i = f.imports.iter().find(|i| modules.iter().any(|m| module_matches(&i.name, m)))?;
            ev(p, Some(i.line), format!("import {}", i.name))
        }),
        Call(names, scope) => py.iter().filter(|(p, _)| in_scope(p, scope)).find_map(|(p, f)| {
            let hit = f
                .calls
                .iter()
                .map(|c| (&c.name, c.line))
                .chain(f.decorators.iter().map(|d| (&d.callee, d.line)))
                .find(|(c, _)| names.iter().any(|n| callee_matches(c, n)))?;
            ev(p, Some(hit.1), format!("{}(...)", hit.0))
        }),
        CallWith(module, names, scope) => py.iter().filter(|(p, _)| in_scope(p, scope)).find_map(|(p, f)| {
            if !f.imports.iter().any(|i| module_matches(&i.name, module)) {
                return None;
            }
            let hit = f
                .calls
                .iter()
                .map(|c| (&c.name, c.line))
                .chain(f.decorators.iter().map(|d| (&d.callee, d.line)))
                .find(|(c, _)| {
                    names
                        .iter()
                        .any(|n| callee_matches(c, n) && (c.contains(module) || !c.contains('.') || c.starts_with(n)))
                })?;
            ev(p, Some(hit.1), format!("{}(...) with {module} imported", hit.0))
        }),
        Route { paths, context } => py.iter().filter(|(p, _)| in_scope(p, Code)).find_map(|(p, f)| {
            let about = context.is_empty()
                || context.iter().any(|c| {
                    p.to_lowercase().contains(c) || f.imports.iter().any(|i| i.name.to_lowercase().contains(c))
                });
            if !about {
                return None;
            }
            let d = f.decorators.iter().find(|d| {
                let verb = d.callee.rsplit('.').next().unwrap_or("");
                matches!(verb, "get" | "post" | "put" | "delete" | "patch" | "api_route" | "websocket" | "route")
                    && d.first_string
                        .as_deref()
                        .is_some_and(|s| paths.is_empty() || paths.iter().any(|w| s.to_lowercase().contains(w)))
            })?;
            ev(p, Some(d.line), format!("route {}", d.first_string.as_deref().unwrap_or("")))
        }),
        FileImporting(patterns, modules) => py.iter().find_map(|(p, f)| {
            let name = p.rsplit('/').next().unwrap_or(p);
            if !patterns.iter().any(|pat| glob(pat, name)) {
                return None;
            }
            let i = f.imports.iter().find(|i| modules.iter().any(|m| module_matches(&i.name, m)))?;
            ev(p, Some(i.line), format!("a script importing {}", i.name))
        }),
        ExperimentConfig => snap
            .files
            .iter()
            .filter(|f| eligible(f) && (f.path.ends_with(".yaml") || f.path.ends_with(".yml")))
            .filter(|f| !f.path.contains(".github/") && !TOOL_YAML.iter().any(|t| glob(t, f.name())))
            .find(|f| {
                let name = f.name().to_lowercase();
                ["config", "conf", "param", "experiment", "train", "model", "default"].iter().any(|w| name.contains(w))
            })
            .and_then(|f| ev(&f.path, None, "YAML configuration".into())),
        LoadedConfig(extensions) => {
            let mut own_py: Vec<(&String, &std::sync::Arc<Vec<u8>>)> =
                snap.texts.iter().filter(|(p, _)| p.ends_with(".py") && ok_path(p)).collect();
            own_py.sort_by(|a, b| a.0.cmp(b.0));
            snap.files
                .iter()
                .filter(|f| {
                    eligible(f) && !f.path.contains(".github/") && !f.path.starts_with('.') && !f.path.contains("/.")
                })
                .filter(|f| {
                    let name = f.name().to_lowercase();
                    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
                    let parts: Vec<&str> = f.path.split('/').collect();
                    let in_configs = parts[..parts.len() - 1]
                        .iter()
                        .any(|p| ["configs", "conf", "config", "configurations"].contains(&p.to_lowercase().as_str()));
                    let named =
                        ["config", "conf", "param", "experiment", "hparam", "setting"].iter().any(|w| name.contains(w));
                    extensions.contains(&ext) && (in_configs || named) && !TOOL_FILES.contains(&name.as_str())
                })
                .find_map(|f| {
                    let name = f.name();
                    let (file, line) = own_py.iter().find_map(|(p, b)| {
                        let text = String::from_utf8_lossy(b);
                        let i = text.lines().position(|l| !l.trim_start().starts_with('#') && l.contains(name))?;
                        Some((*p, i + 1))
                    })?;
                    ev(&f.path, None, format!("configuration file loaded by {file}:{line}"))
                })
        }
        PythonSettings(names) => py.iter().filter(|(p, _)| in_scope(p, Code)).find_map(|(p, _)| {
            let name = p.rsplit('/').next().unwrap_or(p).to_lowercase();
            names
                .contains(&name.as_str())
                .then(|| ev(p, None, "settings in a Python module, not a configuration file".into()))?
        }),
        BucketPath => {
            let in_py = py
                .iter()
                .find_map(|(p, f)| f.bucket_strings.first().and_then(|s| ev(p, Some(s.line), "a gs:// path".into())));
            in_py.or_else(|| {
                let mut texts: Vec<(&String, &std::sync::Arc<Vec<u8>>)> =
                    snap.texts.iter().filter(|(p, _)| ok_path(p) && !p.ends_with(".py")).collect();
                texts.sort_by(|a, b| a.0.cmp(b.0));
                texts.into_iter().find_map(|(p, b)| {
                    let text = String::from_utf8_lossy(b);
                    let i = text.lines().position(|l| l.contains("gs://") && !l.trim_start().starts_with('#'))?;
                    ev(p, Some(i + 1), "a gs:// path".into())
                })
            })
        }
        TextIn(patterns, needle) => {
            let mut texts: Vec<(&String, &std::sync::Arc<Vec<u8>>)> = snap
                .texts
                .iter()
                .filter(|(p, _)| ok_path(p) && patterns.iter().any(|pat| glob(pat, p.rsplit('/').next().unwrap_or(p))))
                .collect();
            texts.sort_by(|a, b| a.0.cmp(b.0));
            texts.into_iter().filter(|(p, _)| !p.contains(".github/")).find_map(|(p, b)| {
                let text = String::from_utf8_lossy(b);
                let i = text.lines().position(|l| {
                    let t = l.trim_start();
                    !t.starts_with('#') && !t.starts_with("//") && t.to_lowercase().contains(needle)
                })?;
                ev(p, Some(i + 1), format!("mentions {needle}"))
            })
        }
        ConfigValue(patterns, word) => {
            let mut texts: Vec<(&String, &std::sync::Arc<Vec<u8>>)> = snap
                .texts
                .iter()
                .filter(|(p, _)| {
                    ok_path(p)
                        && !p.contains(".github/")
                        && patterns.iter().any(|pat| glob(pat, p.rsplit('/').next().unwrap_or(p)))
                })
                .collect();
            texts.sort_by(|a, b| a.0.cmp(b.0));
            texts.into_iter().find_map(|(p, b)| {
                let text = String::from_utf8_lossy(b);
                let i = text.lines().position(|l| {
                    let t = l.trim_start().trim_start_matches("- ");
                    let Some((_, value)) = t.split_once(':') else { return false };
                    let value = value.split('#').next().unwrap_or("").trim().trim_matches(['"', '\'']);
                    !t.starts_with('#') && value.eq_ignore_ascii_case(word)
                })?;
                ev(p, Some(i + 1), format!("configured as {word}"))
            })
        }
        TestsAbout(words) => py.iter().filter(|(p, _)| snap.collects(p)).find_map(|(p, f)| {
            // A file named for the topic is about it; a file named for another part (the API, a load test) is
            // not; a generically named file is about what its tests and imports name.
            let path = p.to_lowercase();
            let name = path.rsplit('/').next().unwrap_or(&path);
            // A file named for both (`test_training_data.py`) is judged test by test, as one named for the other.
            let named_for_other = NAMING_WORDS.iter().any(|o| !words.contains(o) && name.contains(o));
            let t = if words.iter().any(|w| path.contains(w)) && !named_for_other {
                f.tests.first()?
            } else if OTHER_TOPICS.iter().any(|o| !words.contains(o) && path.contains(o)) {
                return None;
            } else if DATA_WORDS.iter().chain(MODEL_WORDS).any(|o| !words.contains(o) && path.contains(o)) {
                // Only a test named for the topic first (`test_model_output` in test_data.py, not
                // `test_list_models` in test_api.py).
                // A name that also speaks of the file's own topic (`test_train_split` in test_data.py) is about that.
                let others: Vec<&str> =
                    DATA_WORDS.iter().chain(MODEL_WORDS).filter(|o| !words.contains(o)).copied().collect();
                f.tests.iter().find(|t| {
                    let rest = t.name.trim_start_matches("test").trim_start_matches('_').to_lowercase();
                    words.iter().any(|w| rest.starts_with(w)) && !others.iter().any(|o| rest.contains(o))
                })?
            } else {
                let imports = f.imports.iter().map(|i| i.name.to_lowercase()).collect::<Vec<_>>().join(" ");
                f.tests.iter().find(|t| {
                    let topic = format!(
                        "{imports} {} {}",
                        t.name.to_lowercase(),
                        t.class.as_deref().unwrap_or("").to_lowercase()
                    );
                    words.iter().any(|w| topic.contains(w))
                })?
            };
            ev(p, Some(t.line), format!("test {} ({} in the file)", t.name, f.tests.len()))
        }),
        TestsUsing(names) => {
            // The first of `names` the file imports or calls.
            let used = |f: &super::python::PythonFacts| -> Option<&'static str> {
                names.iter().copied().find(|n| {
                    f.imports.iter().any(|i| module_matches(&i.name, n) || i.name.ends_with(&format!(".{n}")))
                        || f.calls.iter().any(|c| callee_matches(&c.name, n))
                })
            };
            let uses = |f: &super::python::PythonFacts| used(f).is_some();
            // pytest hands the fixtures of every `conftest.py` above a test file to its tests: a client made there
            // is the tests' client.
            let conftest_using = |path: &str| {
                let mut dir = path.rsplit_once('/').map_or("", |(d, _)| d);
                loop {
                    let conftest =
                        if dir.is_empty() { "conftest.py".to_string() } else { format!("{dir}/conftest.py") };
                    // Looked up by path, not searched for: one lookup per folder of each test file.
                    if ok_path(&conftest) && snap.python.get(&conftest).is_some_and(|f| uses(f)) {
                        return Some(conftest);
                    }
                    if dir.is_empty() {
                        return None;
                    }
                    dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
                }
            };
            py.iter().filter(|(p, _)| snap.collects(p)).find_map(|(p, f)| {
                let t = f.tests.first()?;
                if let Some(n) = used(f) {
                    return ev(p, Some(t.line), format!("test {} in a file using {n}", t.name));
                }
                let conftest = conftest_using(p)?;
                ev(p, Some(t.line), format!("test {} with a client from {conftest}", t.name))
            })
        }
        AnyTests => py.iter().filter(|(p, _)| snap.collects(p)).find_map(|(p, f)| {
            let t = f.tests.first()?;
            ev(p, Some(t.line), format!("test {}", t.name))
        }),
        WorkflowRuns(tools) => wfs.iter().find_map(|(p, w)| {
            w.runs.iter().find_map(|(cmd, line)| {
                let tool = tools.iter().find(|t| runs_tool(cmd, t))?;
                ev(p, Some(*line), format!("workflow runs {tool}"))
            })
        }),
        WorkflowUses(actions) => wfs.iter().find_map(|(p, w)| {
            let u = w.uses.iter().find(|u| actions.iter().any(|a| u.action.to_lowercase().contains(a)))?;
            ev(p, Some(u.line), format!("workflow uses {}", u.action))
        }),
        AnyWorkflow => wfs.first().and_then(|(p, _)| ev(p, None, "a workflow (not running tests)".into())),
        MatrixAndCache => wfs.iter().find_map(|(p, w)| {
            (w.matrix_entries > 1 && w.cache_line.is_some())
                .then(|| ev(p, Some(w.matrix_line), format!("matrix of {} and a cache", w.matrix_entries)))
                .flatten()
        }),
        Matrix => wfs.iter().find_map(|(p, w)| {
            (w.matrix_entries > 1)
                .then(|| ev(p, Some(w.matrix_line), format!("matrix of {}, no cache", w.matrix_entries)))
                .flatten()
        }),
        Cache => wfs.iter().find_map(|(p, w)| w.cache_line.and_then(|l| ev(p, Some(l), "a cache, no matrix".into()))),
        TriggerPaths(fragments) => wfs.iter().find_map(|(p, w)| {
            let (path, line) =
                w.trigger_paths.iter().find(|(tp, _)| fragments.iter().any(|f| tp.to_lowercase().contains(f)))?;
            ev(p, Some(*line), format!("triggered on changes to {path}"))
        }),
        Trigger(events) => wfs.iter().find_map(|(p, w)| {
            let e = w.triggers.iter().find(|t| events.contains(&t.as_str()))?;
            ev(p, None, format!("triggered by {e}"))
        }),
        PreCommitInCi { lints } => {
            // The configuration may be the template's: what is the group's is running it in CI.
            let (config_path, config) = PRE_COMMIT.iter().find_map(|c| snap.texts.get(*c).map(|t| (*c, t)))?;
            let text = String::from_utf8_lossy(config).to_lowercase();
            let linter = if lints { Some(*LINTERS.iter().find(|l| text.contains(*l))?) } else { None };
            let with = linter.map_or(String::new(), |l| format!(" with {l}"));
            // `pip install pre-commit` or `pre-commit autoupdate` run no hook; `pre-commit run` and the action do.
            let in_workflow = wfs.iter().find_map(|(p, w)| {
                let line =
                    w.runs.iter().find(|(c, _)| runs_tool(c, "pre-commit run")).map(|(_, l)| *l).or_else(|| {
                        w.uses
                            .iter()
                            .find(|u| {
                                let a = u.action.to_lowercase();
                                a.contains("pre-commit/action") || a.contains("pre-commit-action")
                            })
                            .map(|u| u.line)
                    })?;
                ev(p, Some(line), format!("workflow runs pre-commit{with}"))
            });
            in_workflow.or_else(|| {
                let c = snap.precommit_ci_commit.as_deref()?;
                let short = c.get(..7).unwrap_or(c);
                ev(config_path, None, format!("pre-commit.ci ran the hooks{with} (commit {short})"))
            })
        }
        WorkflowRunsTask(tools) => wfs.iter().find_map(|(p, w)| {
            w.runs.iter().find_map(|(cmd, line)| {
                tasks_run(cmd).into_iter().find_map(|(runner, target)| {
                    let recipe = task_recipe(snap, runner, &target);
                    let tool = tools.iter().find(|t| recipe.iter().any(|r| runs_tool(r, t)))?;
                    ev(p, Some(*line), format!("workflow runs `{runner} {target}`, which runs {tool}"))
                })
            })
        }),
        PageRoute(answers) => py.iter().filter(|(p, _)| in_scope(p, Code)).find_map(|(p, f)| {
            let page = f.decorators.iter().find(|d| {
                let verb = d.callee.rsplit('.').next().unwrap_or("");
                let html_class = d.keywords.iter().any(|(k, v)| k == "response_class" && v.contains("HTML"));
                let answers_page = d.body_calls.iter().any(|c| answers.iter().any(|a| callee_matches(c, a)));
                matches!(verb, "get" | "route" | "api_route")
                    && matches!(d.first_string.as_deref(), Some("/" | ""))
                    && (html_class || answers_page)
            });
            match (page, f.static_sites.first()) {
                (Some(d), _) => ev(p, Some(d.line), "a web page at /".into()),
                (None, Some(&l)) => ev(p, Some(l), "a static web site mounted at /".into()),
                (None, None) => None,
            }
        }),
    }
}

/// Applies a rule to a snapshot.
pub fn evaluate(rule: &Rule, snap: &Snapshot) -> Finding {
    let own = |f: &SnapFile| f.excluded.is_none() && (rule.template_counts || !f.template);
    let any = |f: &SnapFile| f.excluded.is_none();
    if let Some(e) = rule.evidence.iter().find_map(|s| search(s, snap, &own)) {
        return Finding::Supported(e);
    }
    if let Some(e) = rule.partial.iter().find_map(|s| search(s, snap, &own)) {
        return Finding::Partial(e);
    }
    let template = rule.evidence.iter().find_map(|s| search(s, snap, &any));
    Finding::Nothing { template }
}

/// Why test files a reader would look at do not count for a claim the rule does not support: tests that would
/// count but sit in a file pytest does not collect, and test files named for the item's topic that are empty or
/// hold no active test (all commented out). These explain a verdict; they never change it.
pub fn near_misses(rule: &Rule, snap: &Snapshot) -> Vec<String> {
    let own = |f: &SnapFile| f.excluded.is_none() && (rule.template_counts || !f.template);
    let mut found: Vec<String> = rule
        .noted
        .iter()
        .filter_map(|(signal, why)| {
            let e = search(signal, snap, &own)?;
            Some(format!("{}: {why}", e.path))
        })
        .collect();
    let test_signal = |s: &Signal| matches!(s, TestsAbout(_) | TestsUsing(_) | AnyTests);
    if !rule.evidence.iter().chain(rule.partial).any(test_signal) {
        return found;
    }
    let mut everything = snap.clone();
    everything.collect_any_test_file = true;
    if let Some(e) = rule.evidence.iter().filter(|s| test_signal(s)).find_map(|s| search(s, &everything, &own)) {
        if !snap.collects(&e.path) {
            found.push(format!(
                "{}{} would count ({}), but pytest does not collect it: its name matches none of {}",
                e.path,
                e.line.map(|l| format!(":{l}")).unwrap_or_default(),
                e.what,
                snap.test_patterns.join(", ")
            ));
        }
    }
    let topics: Vec<&str> = rule
        .evidence
        .iter()
        .chain(rule.partial)
        .filter_map(|s| if let TestsAbout(words) = s { Some(*words) } else { None })
        .flatten()
        .copied()
        .collect();
    let mut named: Vec<&SnapFile> = snap
        .files
        .iter()
        .filter(|f| {
            let name = f.name().to_lowercase();
            f.excluded.is_none()
                && name.ends_with(".py")
                && snap.collects(&f.path)
                && topics.iter().any(|w| name.contains(w))
        })
        .collect();
    named.sort_by(|a, b| a.path.cmp(&b.path));
    for f in named {
        let as_left = if f.template { " (as the template left it)" } else { "" };
        if f.size == 0 && !f.missing {
            found.push(format!("{} is empty{as_left}", f.path));
            continue;
        }
        let Some(facts) = snap.python.get(&f.path) else { continue };
        if !facts.tests.is_empty() {
            continue;
        }
        found.push(match facts.commented_tests {
            0 => format!("{} holds no test function{as_left}", f.path),
            n => format!(
                "{} holds no active test: {} commented out",
                f.path,
                crate::nouns::count(n, "test is", "tests are")
            ),
        });
    }
    // Tests the group did write, about something else.
    if rule.evidence.iter().any(|s| matches!(s, TestsAbout(_))) {
        if let Some(e) = search(&AnyTests, snap, &own) {
            found.push(format!(
                "the tests pytest collects are about other parts (e.g. {}{}, {})",
                e.path,
                e.line.map(|l| format!(":{l}")).unwrap_or_default(),
                e.what
            ));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_and_exclusions() {
        assert!(glob("dockerfile.*", "Dockerfile.api"));
        assert!(glob("*.dockerfile", "train.dockerfile"));
        assert!(glob("*dockerfile", "trainDockerfile"));
        assert!(!glob("dockerfile", "dockerfiles"));
        assert!(glob("test_*.py", "test_data.py"));
        assert!(!glob("test_*.py", "data_test.py"));
        assert!(glob("locustfile*.py", "locustfile.py"));
        assert_eq!(exclusion("reports/report.html"), Some("the rendered report and the course's checker (reports/)"));
        assert_eq!(exclusion("venv/lib/python3.11/site-packages/wandb/__init__.py"), Some("a virtual environment"));
        assert_eq!(exclusion("wandb/run-20240110_101010-abc/files/config.yaml"), Some("W&B run files"));
        assert_eq!(exclusion("src/project/train.py"), None);
        assert_eq!(exclusion("google-cloud-sdk/.github/workflows/ci.yml"), Some("a vendored SDK"));
        assert_eq!(exclusion("third_party/yolo/train.py"), Some("vendored third-party code"));
        assert_eq!(exclusion("reports"), None, "a file named reports is not a folder");
    }

    #[test]
    fn commands_run_tools_as_words() {
        assert!(runs_tool("python -m pytest tests/ -q", "pytest"));
        assert!(runs_tool("uv run ruff check .", "ruff"));
        assert!(!runs_tool("echo truffle", "ruff"));
        assert!(runs_tool("make test", "make test"));
        assert!(!runs_tool("pip install pytest-cov", "pytest"));
        assert!(!runs_tool("pip install ruff", "ruff"));
        assert!(runs_tool("pip install ruff && ruff check .", "ruff"));
    }

    #[test]
    fn task_runner_targets_in_commands() {
        assert_eq!(tasks_run("make lint test"), [("make", "lint".to_string()), ("make", "test".to_string())]);
        assert_eq!(tasks_run("uv sync\nuv run invoke check-style --fix"), [("invoke", "check-style".to_string())]);
        assert_eq!(tasks_run("python -m pytest && make -j2 style"), [("make", "style".to_string())]);
        assert!(tasks_run("uv run ruff check .").is_empty());
    }

    #[test]
    fn every_rule_names_a_checklist_item() {
        for r in RULES {
            assert!(ChecklistId::from_name(r.item).is_some(), "{}", r.item);
        }
    }
}
