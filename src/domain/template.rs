//! Template knowledge as data: question keys, checklist items, generations and the constraints the course's own
//! checker applies. This module reads like the tables in `shared/design/` and is the only place that knows them;
//! the parser, the checker and the generator look things up here instead of carrying their own `if`s.
//!
//! The phrases below are short identifying fragments in our own words (lower case, matched against normalised
//! text), not the course's template text.

use serde::Serialize;
use std::sync::OnceLock;

crate::string_enum! {
    /// The question set a report follows.
    QuestionSet { Q27 = "27q", Q31 = "31q" }
}

crate::string_enum! {
    /// The checklist generation a report's own checklist belongs to.
    ChecklistGeneration { None = "CL-none", Cl2023 = "CL-2023", Cl2025 = "CL-2025", Cl2026 = "CL-2026" }
}

crate::string_enum! {
    /// Canonical question key (QUESTIONS.md). Answers are keyed by this, never by their number.
    AnswerKey {
        Group = "group", Students = "students", Packages = "packages", Dependencies = "dependencies",
        Structure = "structure", CodeQuality = "code_quality", Tests = "tests", Coverage = "coverage",
        Branches = "branches", Dvc = "dvc", Ci = "ci", Configs = "configs", Reproducibility = "reproducibility",
        Tracking = "tracking", Docker = "docker", Debugging = "debugging", GcpServices = "gcp_services",
        ComputeEngine = "compute_engine", Bucket = "bucket", Registry = "registry", BuildHistory = "build_history",
        CloudTraining = "cloud_training", Api = "api", Deploy = "deploy", ApiTesting = "api_testing",
        Monitoring = "monitoring", Credits = "credits", Extras = "extras", Architecture = "architecture",
        Struggles = "struggles", Contributions = "contributions",
    }
}

crate::string_enum! {
    /// Canonical checklist item id (CHECKLIST.md), stable across generations.
    ChecklistId {
        GitRepo = "git-repo", WriteAccess = "write-access", Environment = "environment", Cookiecutter = "cookiecutter",
        DataScript = "data-script", ModelTrain = "model-train", Requirements = "requirements", Pep8 = "pep8",
        TypingDocs = "typing-docs", DataVersioning = "data-versioning", Cli = "cli", Dockerfiles = "dockerfiles",
        DockerBuild = "docker-build", ConfigFiles = "config-files", Hydra = "hydra", Profiling = "profiling",
        Logging = "logging", Wandb = "wandb", Sweep = "sweep", Lightning = "lightning", TestsData = "tests-data",
        TestsModel = "tests-model", Coverage = "coverage", Ci = "ci", CiMatrixCaching = "ci-matrix-caching",
        CiLinting = "ci-linting", PreCommit = "pre-commit", CmlDataTrigger = "cml-data-trigger",
        CmlRegistryTrigger = "cml-registry-trigger", GcpBucket = "gcp-bucket", BuildTrigger = "build-trigger",
        CloudTraining = "cloud-training", Fastapi = "fastapi", Torchserve = "torchserve", CloudDeploy = "cloud-deploy",
        ApiTests = "api-tests", LoadTest = "load-test", OnnxBentoml = "onnx-bentoml", Frontend = "frontend",
        DriftRobustness = "drift-robustness", IoCollection = "io-collection", DriftApi = "drift-api",
        SystemMetrics = "system-metrics", CloudMonitoring = "cloud-monitoring", Alerts = "alerts",
        DistributedData = "distributed-data", DistributedTraining = "distributed-training",
        Quantization = "quantization", DocsWrite = "docs-write", DocsPublish = "docs-publish", Revisit = "revisit",
        ArchitectureDiagram = "architecture-diagram", Understanding = "understanding", UploadCode = "upload-code",
    }
}

crate::string_enum! {
    /// The checklist section an item belongs to, canonically (CL-2023 calls `Extra` "Additional").
    Week { Week1 = "week1", Week2 = "week2", Week3 = "week3", Extra = "extra" }
}

/// An inclusive word range a question's answer should fall in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct WordRange {
    pub min: usize,
    pub max: usize,
}

/// An inclusive image-count range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ImageRange {
    pub min: usize,
    pub max: usize,
}

/// One question of the templates.
#[derive(Debug, Clone, Copy)]
pub struct QuestionSpec {
    pub key: AnswerKey,
    /// Position in the 27-question template, if it is there.
    pub number_27: Option<u32>,
    /// Position in the 31-question template.
    pub number_31: u32,
    /// What the question asks, in a few words (for people, not for matching).
    pub asks_for: &'static str,
    /// Identifying fragments of the prompt; the longest one found decides.
    pub phrases: &'static [&'static str],
    /// Fragments that rule this key out even when a phrase matches.
    pub unless: &'static [&'static str],
}

const fn q(
    key: AnswerKey,
    number_27: Option<u32>,
    number_31: u32,
    asks_for: &'static str,
    phrases: &'static [&'static str],
    unless: &'static [&'static str],
) -> QuestionSpec {
    QuestionSpec { key, number_27, number_31, asks_for, phrases, unless }
}

use AnswerKey as K;

/// The questions, in 31-question order.
pub const QUESTIONS: &[QuestionSpec] = &[
    q(K::Group, Some(1), 1, "group number", &["group number"], &[]),
    q(K::Students, Some(2), 2, "study numbers of the members", &["study number", "student number", "student id"], &[]),
    q(
        K::Packages,
        Some(3),
        3,
        "third-party packages used",
        &["framework", "open-source", "open source", "third-party", "packages not covered"],
        &["dependencies"],
    ),
    q(
        K::Dependencies,
        Some(4),
        4,
        "dependency management",
        &["managed dependencies", "dependencies", "copy of your development environment"],
        &[],
    ),
    q(K::Structure, Some(5), 5, "project structure", &["cookiecutter", "cookie cutter", "overall structure"], &[]),
    q(K::CodeQuality, Some(6), 6, "code quality rules", &["code quality", "quality and format"], &[]),
    q(K::Tests, Some(7), 7, "number of tests", &["how many tests", "tests did you implement"], &["load test"]),
    q(K::Coverage, Some(8), 8, "total code coverage", &["code coverage"], &[]),
    q(K::Branches, Some(9), 9, "branches and pull requests", &["pull request", "branches"], &[]),
    q(K::Dvc, Some(10), 10, "data version control", &["dvc", "version control of your data", "managing data"], &[]),
    q(
        K::Ci,
        Some(11),
        11,
        "continuous integration",
        &[
            "continuous integration setup",
            "continuous integration",
            "continues integration",
            "kind of ci",
            "github actions workflow",
        ],
        &["load testing"],
    ),
    q(
        K::Configs,
        Some(12),
        12,
        "experiment configuration",
        &["configure experiments", "config files", "configuration files"],
        &[],
    ),
    q(K::Reproducibility, Some(13), 13, "reproducibility", &["reproducibility", "information is lost"], &[]),
    q(
        K::Tracking,
        Some(14),
        14,
        "experiment tracking screenshots",
        &["w&b", "experiment tracking", "weights & biases", "experiments that you have done"],
        &[],
    ),
    q(
        K::Docker,
        Some(15),
        15,
        "docker usage",
        &["containerized applications", "used docker", "docker in your"],
        &["registry", "build history"],
    ),
    q(K::Debugging, Some(16), 16, "debugging and profiling", &["debugging", "running into bugs"], &[]),
    q(
        K::GcpServices,
        Some(17),
        17,
        "GCP services used",
        &["gcp services", "services that you made use of"],
        &["architecture"],
    ),
    q(
        K::ComputeEngine,
        Some(18),
        18,
        "Compute Engine use",
        &["compute engine", "type of vms", "backbone of gcp"],
        &["vertex"],
    ),
    q(K::Bucket, Some(19), 19, "bucket screenshot", &["bucket"], &[]),
    q(
        K::Registry,
        Some(20),
        20,
        "registry screenshot",
        &["artifact registry", "container registry", "registry"],
        &["model registry"],
    ),
    q(K::BuildHistory, Some(21), 21, "build history screenshot", &["build history", "cloud build"], &[]),
    q(
        K::CloudTraining,
        None,
        22,
        "training in the cloud",
        &["train your model in the cloud", "model in the cloud using", "vertex ai"],
        &[],
    ),
    q(K::Api, None, 23, "an API for the model", &["write an api", "api for your model"], &["deploy", "load testing"]),
    q(
        K::Deploy,
        Some(22),
        24,
        "deployment",
        &["deploy your model", "deploy your api", "manage to deploy"],
        &["monitoring"],
    ),
    q(
        K::ApiTesting,
        None,
        25,
        "API tests and load testing",
        &["load testing", "load test", "unit testing and load"],
        &[],
    ),
    q(K::Monitoring, Some(23), 26, "monitoring", &["monitoring"], &[]),
    q(K::Credits, Some(24), 27, "credits used", &["credits", "most expensive"], &[]),
    q(K::Extras, None, 28, "anything extra", &["anything extra", "not covered by other questions"], &[]),
    q(
        K::Architecture,
        Some(25),
        29,
        "architecture figure",
        &["overall architecture", "architecture of your system", "architecture"],
        &[],
    ),
    q(K::Struggles, Some(26), 30, "struggles", &["struggles", "overcome these"], &[]),
    q(
        K::Contributions,
        Some(27),
        31,
        "individual contributions",
        &["individual contributions", "contributions of each", "contributed"],
        &[],
    ),
];

/// The question spec for a key.
pub fn question(key: AnswerKey) -> &'static QuestionSpec {
    // QUESTIONS is in the same order as AnswerKey::ALL (checked by a test).
    &QUESTIONS[key as usize]
}

/// The keys a question set contains, in its order.
pub fn questions_of(set: QuestionSet) -> Vec<AnswerKey> {
    match set {
        QuestionSet::Q31 => QUESTIONS.iter().map(|q| q.key).collect(),
        QuestionSet::Q27 => {
            let mut v: Vec<_> = QUESTIONS.iter().filter_map(|q| q.number_27.map(|n| (n, q.key))).collect();
            v.sort();
            v.into_iter().map(|(_, k)| k).collect()
        }
    }
}

/// The number a key has in a question set's template.
pub fn template_number(set: QuestionSet, key: AnswerKey) -> Option<u32> {
    let spec = question(key);
    match set {
        QuestionSet::Q31 => Some(spec.number_31),
        QuestionSet::Q27 => spec.number_27,
    }
}

/// Normalises text for phrase matching: lower case, markdown emphasis and code marks dropped, whitespace collapsed.
/// An underscore inside a word (`make_dataset.py`) is part of a name and stays; elsewhere it is emphasis.
pub fn normalise_for_matching(text: &str) -> String {
    let bytes = text.as_bytes();
    // The character at byte `i` (always a character boundary here); ASCII without decoding, as nearly all of it is.
    let char_at = |i: usize| -> Option<char> {
        match *bytes.get(i)? {
            b if b < 0x80 => Some(char::from(b)),
            _ => text.get(i..)?.chars().next(),
        }
    };
    let mut out = String::with_capacity(text.len());
    let mut last_space = true;
    let mut prev: Option<char> = None;
    let mut i = 0;
    while let Some(mut c) = char_at(i) {
        i += c.len_utf8();
        // A backslash escape (`make\_dataset`) is the character it escapes.
        if c == '\\' {
            if let Some(n) = char_at(i).filter(char::is_ascii_punctuation) {
                c = n;
                i += 1;
            }
        }
        let before = prev.replace(c);
        let c = match c {
            // Inside a name (`make_dataset`, `train_module.py`) an underscore is part of it, not emphasis.
            '_' if before.is_some_and(char::is_alphanumeric) && char_at(i).is_some_and(char::is_alphanumeric) => c,
            '*' | '_' | '`' | '>' => continue,
            '\u{2019}' => '\'',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
            last_space = false;
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// The phrases of a table in one Aho-Corasick automaton, so identifying a text is one pass over it instead of a
/// `contains` per phrase.
struct PhraseIndex {
    automaton: aho_corasick::AhoCorasick,
    /// Per pattern: the entry it belongs to, and its length (`None` for an `unless` pattern).
    patterns: Vec<(usize, Option<usize>)>,
    entries: usize,
}

impl PhraseIndex {
    fn new<'a>(entries: impl Iterator<Item = (&'a [&'a str], &'a [&'a str])>) -> Self {
        let mut texts = Vec::new();
        let mut patterns = Vec::new();
        let mut n = 0;
        for (i, (phrases, unless)) in entries.enumerate() {
            for p in phrases {
                texts.push(*p);
                patterns.push((i, Some(p.len())));
            }
            for u in unless {
                texts.push(*u);
                patterns.push((i, None));
            }
            n = i + 1;
        }
        let automaton = aho_corasick::AhoCorasick::new(&texts)
            .unwrap_or_else(|e| unreachable!("the phrase tables are valid patterns: {e}"));
        PhraseIndex { automaton, patterns, entries: n }
    }

    /// The entry whose longest matching phrase is longest (the first on a tie); entries with a matching `unless`
    /// are skipped.
    fn best(&self, text: &str) -> Option<usize> {
        let mut longest = vec![0usize; self.entries];
        let mut excluded = vec![false; self.entries];
        for m in self.automaton.find_overlapping_iter(text) {
            match self.patterns[m.pattern().as_usize()] {
                (i, Some(len)) => longest[i] = longest[i].max(len),
                (i, None) => excluded[i] = true,
            }
        }
        let mut best: Option<(usize, usize)> = None;
        for i in 0..self.entries {
            if !excluded[i] && longest[i] > 0 && best.map_or(true, |(l, _)| longest[i] > l) {
                best = Some((longest[i], i));
            }
        }
        best.map(|(_, i)| i)
    }
}

fn question_phrases() -> &'static PhraseIndex {
    static INDEX: OnceLock<PhraseIndex> = OnceLock::new();
    INDEX.get_or_init(|| PhraseIndex::new(QUESTIONS.iter().map(|q| (q.phrases, q.unless))))
}

fn checklist_phrases() -> &'static PhraseIndex {
    static INDEX: OnceLock<PhraseIndex> = OnceLock::new();
    INDEX.get_or_init(|| PhraseIndex::new(CHECKLIST.iter().map(|c| (c.phrases, c.unless))))
}

/// Identifies a question by its prompt (already normalised with [`normalise_for_matching`]).
pub fn identify_question(prompt: &str) -> Option<AnswerKey> {
    question_phrases().best(prompt).map(|i| QUESTIONS[i].key)
}

/// One checklist item of the templates.
#[derive(Debug, Clone, Copy)]
pub struct ChecklistSpec {
    pub id: ChecklistId,
    pub short: &'static str,
    /// Position (1-based) in each generation's list, when the generation has the item.
    pub in_2023: Option<u32>,
    pub in_2025: Option<u32>,
    pub in_2026: Option<u32>,
    /// The module tag the template gives it (2025+), if any.
    pub module: Option<&'static str>,
    pub phrases: &'static [&'static str],
    pub unless: &'static [&'static str],
}

#[allow(clippy::too_many_arguments)] // one row of the CHECKLIST table
const fn c(
    id: ChecklistId,
    short: &'static str,
    in_2023: Option<u32>,
    in_2025: Option<u32>,
    in_2026: Option<u32>,
    module: Option<&'static str>,
    phrases: &'static [&'static str],
    unless: &'static [&'static str],
) -> ChecklistSpec {
    ChecklistSpec { id, short, in_2023, in_2025, in_2026, module, phrases, unless }
}

use ChecklistId as C;

/// The checklist items, in template order (CL-2026 order, with CL-2023's torchserve where it stood).
#[rustfmt::skip]
pub const CHECKLIST: &[ChecklistSpec] = &[
    c(C::GitRepo, "git repo", Some(1), Some(1), Some(1), Some("M5"), &["git repository", "git repo"], &["write access"]),
    c(C::WriteAccess, "write access", Some(2), Some(2), Some(2), Some("M5"), &["write access", "access to the"], &[]),
    c(C::Environment, "environment", Some(3), Some(3), Some(3), Some("M2"), &["dedicated environment", "keep track of your packages", "environment"], &["requirements"]),
    c(C::Cookiecutter, "cookiecutter", Some(4), Some(4), Some(4), Some("M6"), &["cookiecutter", "cookie cutter", "initial file structure"], &[]),
    c(C::DataScript, "data script", Some(5), Some(5), Some(5), Some("M6"), &["make_dataset", "data.py", "downloads whatever data", "preprocesses it"], &[]),
    c(C::ModelTrain, "model+train", Some(6), Some(6), Some(6), Some("M6"), &["model.py", "train.py", "training procedure", "training script", "add a model"], &["unit test"]),
    c(C::Requirements, "requirements", Some(7), Some(7), Some(7), Some("M2+M6"), &["requirements", "uv.lock", "pyproject.toml"], &[]),
    c(C::Pep8, "pep8", Some(8), Some(8), Some(8), Some("M7"), &["pep8", "good coding practices", "coding practices"], &[]),
    c(C::TypingDocs, "typing/docs", Some(9), Some(9), Some(9), Some("M7"), &["code typing", "typing", "document essential"], &[]),
    c(C::DataVersioning, "data VC", Some(10), Some(10), Some(10), Some("M8"), &["version control for your data", "version control of your data", "data version control"], &["bucket", "storage"]),
    c(C::Cli, "CLI", None, Some(11), Some(11), Some("M9"), &["command line", "project commands"], &[]),
    c(C::Dockerfiles, "docker files", Some(11), Some(12), Some(12), Some("M10"), &["docker files", "dockerfile", "docker file"], &["build"]),
    c(C::DockerBuild, "docker build", Some(12), Some(13), Some(13), Some("M10"), &["build the docker", "docker files locally", "work as intended"], &["trigger"]),
    c(C::ConfigFiles, "config files", Some(13), Some(14), Some(14), Some("M11"), &["configurations files", "configuration files", "config files", "configuration file"], &["hydra"]),
    c(C::Hydra, "hydra", Some(14), Some(15), Some(15), Some("M11"), &["hydra"], &[]),
    c(C::Profiling, "profiling", Some(15), Some(16), Some(16), Some("M12"), &["profiling", "profile"], &[]),
    c(C::Logging, "logging", None, Some(17), Some(17), Some("M14"), &["use logging", "log important events", "logging to log"], &["weights & biases", "weights and biases", "wandb"]),
    c(C::Wandb, "wandb", Some(16), Some(18), Some(18), Some("M14"), &["weights & biases", "weights and biases", "weights&biases", "wandb", "w&b"], &[]),
    c(C::Sweep, "sweep", None, Some(19), Some(19), Some("M14"), &["sweep", "hyperparameter optimization"], &["weights & biases", "weights and biases", "weights&biases", "wandb", "w&b"]),
    c(C::Lightning, "lightning", Some(17), Some(20), Some(20), Some("M15"), &["lightning"], &[]),
    c(C::TestsData, "unit tests data", Some(18), Some(21), Some(21), Some("M16"), &["tests related to the data", "tests related to data", "data part of your code"], &[]),
    c(C::TestsModel, "unit tests model", Some(19), Some(22), Some(22), Some("M16"), &["tests related to model", "tests related to the model", "model construction"], &[]),
    c(C::Coverage, "coverage", Some(20), Some(23), Some(23), Some("M16"), &["coverage"], &[]),
    c(C::Ci, "CI", Some(21), Some(24), Some(24), Some("M17"), &["continuous integration", "github actions"], &["caching", "multi-os", "linting", "api test"]),
    c(C::CiMatrixCaching, "CI caching/matrix", None, Some(25), Some(25), Some("M17"), &["caching", "multi-os"], &[]),
    c(C::CiLinting, "CI linting", None, Some(26), Some(26), Some("M17"), &["linting step", "linting"], &[]),
    c(C::PreCommit, "pre-commit", None, Some(27), Some(27), Some("M18"), &["pre-commit", "precommit", "pre commit"], &[]),
    c(C::CmlDataTrigger, "CML data trigger", None, Some(28), Some(28), Some("M19"), &["when data changes", "data changes"], &[]),
    c(C::CmlRegistryTrigger, "CML registry trigger", None, Some(29), Some(29), Some("M19"), &["model registry"], &[]),
    c(C::GcpBucket, "GCP bucket", Some(22), Some(30), Some(30), Some("M21"), &["gcp bucket", "bucket", "data storage"], &[]),
    c(C::BuildTrigger, "build trigger", Some(23), Some(31), Some(31), Some("M21"), &["trigger workflow", "automatically building", "building your docker images"], &["data changes", "model registry"]),
    c(C::CloudTraining, "cloud training", Some(24), Some(32), Some(32), Some("M21"), &["model training in gcp", "engine or vertex", "vertex ai", "training in gcp"], &[]),
    c(C::Fastapi, "FastAPI", Some(25), Some(33), Some(33), Some("M22"), &["fastapi", "fast api"], &[]),
    c(C::Torchserve, "torchserve", Some(26), None, None, None, &["torchserve"], &[]),
    c(C::CloudDeploy, "cloud deploy", Some(27), Some(34), Some(34), Some("M23"), &["deploy your model in gcp", "functions or run", "deploy your model"], &["drift", "torchserve"]),
    c(C::ApiTests, "API tests", None, Some(35), Some(35), Some("M24"), &["api tests", "api test"], &[]),
    c(C::LoadTest, "load test", None, Some(36), Some(36), Some("M24"), &["load test", "load-test"], &[]),
    c(C::OnnxBentoml, "ONNX/BentoML", None, Some(37), Some(37), Some("M25"), &["onnx", "bentoml"], &[]),
    c(C::Frontend, "frontend", None, Some(38), Some(38), Some("M26"), &["frontend", "front-end", "front end"], &[]),
    c(C::DriftRobustness, "drift robustness", Some(28), Some(39), Some(39), Some("M27"), &["data drifting", "robust your model", "data drift"], &["detection api"]),
    c(C::IoCollection, "io collection", None, None, Some(40), Some("M27"), &["input-output data", "input output data", "input-output"], &[]),
    c(C::DriftApi, "drift API", None, Some(40), Some(41), Some("M27"), &["drift detection api", "drift detection"], &[]),
    c(C::SystemMetrics, "system metrics", Some(29), Some(41), Some(42), Some("M28"), &["system metrics", "system telemetry", "couple of system"], &[]),
    c(C::CloudMonitoring, "cloud monitoring", Some(30), Some(42), Some(43), Some("M28"), &["cloud monitoring", "performance of your deployed model", "monitoring of your instrumented"], &["telemetry"]),
    c(C::Alerts, "alerts", None, Some(43), Some(44), Some("M28"), &["alert"], &[]),
    c(C::DistributedData, "dist. data loading", Some(31), Some(44), Some(45), Some("M29"), &["distributed data loading", "distributed data"], &[]),
    c(C::DistributedTraining, "dist. training", Some(32), Some(45), Some(46), Some("M30"), &["distributed training", "distributed model training"], &[]),
    c(C::Quantization, "quantization", Some(33), Some(46), Some(47), Some("M31"), &["quantization", "pruning", "quantisation"], &[]),
    c(C::DocsWrite, "docs write", None, Some(47), Some(48), Some("M32"), &["documentation for your application", "write some documentation", "write documentation"], &["publish", "pages"]),
    c(C::DocsPublish, "docs publish", None, Some(48), Some(49), Some("M32"), &["publish the documentation", "github pages", "publish"], &[]),
    c(C::Revisit, "revisit", Some(34), Some(49), Some(50), None, &["revisit", "initial project description"], &[]),
    c(C::ArchitectureDiagram, "architecture diagram", None, Some(50), Some(51), None, &["architectural diagram", "architecture diagram"], &[]),
    c(C::Understanding, "understanding", Some(35), Some(51), Some(52), None, &["understanding"], &[]),
    c(C::UploadCode, "upload code", Some(36), Some(52), Some(53), None, &["uploaded all your code", "upload all your code", "all your code to"], &[]),
];

/// The checklist spec for an id.
pub fn checklist_item(id: ChecklistId) -> &'static ChecklistSpec {
    &CHECKLIST[id as usize]
}

/// Identifies a checklist item by its text (already normalised with [`normalise_for_matching`]).
pub fn identify_checklist_item(text: &str) -> Option<ChecklistId> {
    checklist_phrases().best(text).map(|i| CHECKLIST[i].id)
}

impl ChecklistSpec {
    /// The item's position in a generation's list, if the generation has it.
    pub fn position(&self, generation: ChecklistGeneration) -> Option<u32> {
        match generation {
            ChecklistGeneration::None => None,
            ChecklistGeneration::Cl2023 => self.in_2023,
            ChecklistGeneration::Cl2025 => self.in_2025,
            ChecklistGeneration::Cl2026 => self.in_2026,
        }
    }

    /// The canonical week of the item in a generation (from the section sizes in CHECKLIST.md).
    pub fn week(&self, generation: ChecklistGeneration) -> Option<Week> {
        let pos = self.position(generation)?;
        let g = generation_spec(generation);
        let mut end = 0;
        for (week, size) in g.sections {
            end += *size;
            if pos <= end {
                return Some(*week);
            }
        }
        None
    }

    /// The week this item belongs to in the newest generation that has it (for reports with no generation).
    pub fn latest_week(&self) -> Option<Week> {
        [ChecklistGeneration::Cl2026, ChecklistGeneration::Cl2025, ChecklistGeneration::Cl2023]
            .into_iter()
            .find_map(|g| self.week(g))
    }
}

/// What a checklist generation looks like.
#[derive(Debug, Clone, Copy)]
pub struct GenerationSpec {
    pub generation: ChecklistGeneration,
    pub items: u32,
    /// (week, number of items), in order.
    pub sections: &'static [(Week, u32)],
    pub module_tags: bool,
}

pub const GENERATIONS: &[GenerationSpec] = &[
    GenerationSpec { generation: ChecklistGeneration::None, items: 0, sections: &[], module_tags: false },
    GenerationSpec {
        generation: ChecklistGeneration::Cl2023,
        items: 36,
        sections: &[(Week::Week1, 17), (Week::Week2, 10), (Week::Week3, 6), (Week::Extra, 3)],
        module_tags: false,
    },
    GenerationSpec {
        generation: ChecklistGeneration::Cl2025,
        items: 52,
        sections: &[(Week::Week1, 20), (Week::Week2, 18), (Week::Week3, 8), (Week::Extra, 6)],
        module_tags: true,
    },
    GenerationSpec {
        generation: ChecklistGeneration::Cl2026,
        items: 53,
        sections: &[(Week::Week1, 20), (Week::Week2, 18), (Week::Week3, 9), (Week::Extra, 6)],
        module_tags: true,
    },
];

pub fn generation_spec(generation: ChecklistGeneration) -> &'static GenerationSpec {
    &GENERATIONS[generation as usize]
}

/// The ids a generation's checklist contains, in its order.
pub fn checklist_of(generation: ChecklistGeneration) -> Vec<ChecklistId> {
    let mut v: Vec<_> = CHECKLIST.iter().filter_map(|c| c.position(generation).map(|p| (p, c.id))).collect();
    v.sort();
    v.into_iter().map(|(_, id)| id).collect()
}

/// Ids that exist only from CL-2025 on: finding one means the report is at least CL-2025.
pub fn only_from_2025(id: ChecklistId) -> bool {
    let spec = checklist_item(id);
    spec.in_2023.is_none() && spec.in_2025.is_some()
}

/// Constraint sets of the course checker (CONSTRAINTS.md §1c).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ConstraintSet {
    C0,
    C1,
    C2,
    C3,
    C4,
}

/// What the course checker requires of one question under one constraint set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Constraint {
    pub words: Option<WordRange>,
    pub images: Option<ImageRange>,
}

const fn w(min: usize, max: usize) -> Option<WordRange> {
    Some(WordRange { min, max })
}
const fn img(min: usize, max: usize) -> Option<ImageRange> {
    Some(ImageRange { min, max })
}

/// Word ranges by key for C0..C4, in the order of [`ConstraintSet`] (None = no check, or question absent).
#[rustfmt::skip]
const WORDS: &[(AnswerKey, [Option<WordRange>; 5])] = &[
    (K::Packages, [w(100, 200), w(100, 200), w(100, 200), w(100, 200), w(0, 200)]),
    (K::Dependencies, [w(100, 200); 5]),
    (K::Structure, [w(100, 200); 5]),
    (K::CodeQuality, [w(50, 100), w(50, 100), w(100, 200), w(100, 200), w(100, 200)]),
    (K::Tests, [None, w(50, 100), w(50, 100), w(50, 100), w(50, 100)]),
    (K::Coverage, [w(100, 200); 5]),
    (K::Branches, [w(100, 200); 5]),
    (K::Dvc, [w(100, 200); 5]),
    (K::Ci, [w(200, 300); 5]),
    (K::Configs, [w(50, 100); 5]),
    (K::Reproducibility, [w(100, 200); 5]),
    (K::Tracking, [w(200, 300); 5]),
    (K::Docker, [w(100, 200); 5]),
    (K::Debugging, [w(100, 200); 5]),
    (K::GcpServices, [w(50, 200); 5]),
    (K::ComputeEngine, [w(50, 100), w(100, 200), w(100, 200), w(100, 200), w(100, 200)]),
    (K::CloudTraining, [None, None, w(100, 200), w(100, 200), w(100, 200)]),
    (K::Api, [None, None, w(100, 200), w(100, 200), w(100, 200)]),
    (K::Deploy, [w(100, 200); 5]),
    (K::ApiTesting, [None, None, w(100, 200), w(100, 200), w(100, 200)]),
    (K::Monitoring, [w(100, 200); 5]),
    (K::Credits, [w(25, 100), w(25, 100), w(100, 200), w(100, 200), w(100, 200)]),
    (K::Extras, [None, None, w(0, 200), w(0, 200), w(0, 200)]),
    (K::Architecture, [w(200, 400); 5]),
    (K::Struggles, [w(200, 400); 5]),
    (K::Contributions, [w(50, 200), w(50, 200), w(50, 200), w(50, 300), w(50, 300)]),
];

#[rustfmt::skip]
const IMAGES: &[(AnswerKey, [Option<ImageRange>; 5])] = &[
    (K::Tracking, [img(1, 3); 5]),
    (K::Bucket, [img(1, 2); 5]),
    (K::Registry, [img(1, 1), img(1, 1), img(1, 2), img(1, 2), img(1, 2)]),
    (K::BuildHistory, [img(1, 1), img(1, 1), img(1, 2), img(1, 2), img(1, 2)]),
    (K::Architecture, [img(1, 1); 5]),
];

/// The checker's constraint for a key under a constraint set.
pub fn constraint(set: ConstraintSet, key: AnswerKey) -> Constraint {
    let i = set as usize;
    Constraint {
        words: WORDS.iter().find(|(k, _)| *k == key).and_then(|(_, r)| r[i]),
        images: IMAGES.iter().find(|(k, _)| *k == key).and_then(|(_, r)| r[i]),
    }
}

/// The constraint set that applies to a report, from what the report itself shows. The newest set of the report's
/// question set and checklist generation: C1 for 27 questions (C0 only for the Dec 2022 drafts, which carry no
/// checklist and cannot be told apart from a group that deleted theirs, so C1 is used), C3 for 31 questions with a
/// CL-2025 checklist and C4 with CL-2026.
pub fn constraint_set_for(questions: QuestionSet, generation: ChecklistGeneration) -> ConstraintSet {
    match (questions, generation) {
        (QuestionSet::Q27, _) => ConstraintSet::C1,
        (QuestionSet::Q31, ChecklistGeneration::Cl2026) => ConstraintSet::C4,
        (QuestionSet::Q31, _) => ConstraintSet::C3,
    }
}

/// The 2026 template asks the package question as an optional one; these fragments of its prompt tell a 2026
/// report from a 2025 one when the checklist cannot (deleted, or kept from the older template).
pub const PACKAGES_2026_PHRASES: &[&str] = &["end up using any open-source", "open-source frameworks/packages"];

/// Level-2 sections of the templates (lower case), so a group's own extra section can be told apart.
pub const SECTIONS: &[&str] = &[
    "overall project checklist",
    "group information",
    "coding environment",
    "version control",
    "running code and tracking experiments",
    "working in the cloud",
    "deployment",
    "overall discussion of project",
];

impl ConstraintSet {
    /// Every set, oldest first.
    pub const ALL: &'static [ConstraintSet] =
        &[ConstraintSet::C0, ConstraintSet::C1, ConstraintSet::C2, ConstraintSet::C3, ConstraintSet::C4];

    /// The question set of the templates this set's checker was written for.
    pub fn questions(self) -> QuestionSet {
        match self {
            ConstraintSet::C0 | ConstraintSet::C1 => QuestionSet::Q27,
            ConstraintSet::C2 | ConstraintSet::C3 | ConstraintSet::C4 => QuestionSet::Q31,
        }
    }

    /// How this set's version of the course checker cuts a report into answers (CONSTRAINTS.md §2, §4).
    pub fn checker(self) -> CheckerVersion {
        match self.questions() {
            QuestionSet::Q27 => CheckerVersion { skip_chars: 43, preamble_dropped_first: false, answers: 27 },
            QuestionSet::Q31 => CheckerVersion { skip_chars: 0, preamble_dropped_first: true, answers: 31 },
        }
    }
}

/// What differs between the course checker's versions when it cuts a report into answers. OLD (C0, C1) drops the
/// first 43 characters (the old front matter), keeps the part before the first `Answer:` through the `###` cut and
/// drops the first answer at the end; LATEST (C2–C4) drops the part before the first `Answer:` straight away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckerVersion {
    /// Characters (not bytes) dropped from the start of the file before anything else.
    pub skip_chars: usize,
    /// Whether the part before the first `Answer:` is removed before the `###` cut (LATEST) or after it (OLD).
    pub preamble_dropped_first: bool,
    /// The number of answers the checker insists on; any other count stops it with a ValueError.
    pub answers: usize,
}

/// The answer length a prompt states ("Recommended answer length: 100-200 words."; "Answer length:" before
/// 2024-02). Every template states exactly the ranges its own checker applies (CONSTRAINTS.md §1c), so the stated
/// lengths tell the constraint sets apart where the checklist cannot.
pub fn stated_length(prompt: &str) -> Option<WordRange> {
    let lower = prompt.to_lowercase();
    let at = lower.find("answer length")? + "answer length".len();
    let rest = lower[at..].trim_start_matches([':', '*', '_', ' ']);
    let number = |s: &str| -> Option<(usize, usize)> {
        let digits = s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        s[..digits].parse().ok().map(|n| (n, digits))
    };
    let (min, used) = number(rest)?;
    let rest = rest[used..].trim_start().strip_prefix(['-', '–'])?.trim_start();
    let (max, _) = number(rest)?;
    (min <= max).then_some(WordRange { min, max })
}

/// The constraint set a report was written against, from what its file shows: the set of its question set whose
/// word ranges agree with the most lengths its prompts state, and on a tie (prompts deleted or reworded) the newest
/// set of its question set and checklist generation ([`constraint_set_for`]).
pub fn constraint_set_of(
    questions: QuestionSet,
    generation: ChecklistGeneration,
    stated: &[(AnswerKey, WordRange)],
) -> ConstraintSet {
    let default = constraint_set_for(questions, generation);
    let agreement = |set: ConstraintSet| stated.iter().filter(|(k, r)| constraint(set, *k).words == Some(*r)).count();
    let best =
        ConstraintSet::ALL.iter().filter(|s| s.questions() == questions).map(|&s| agreement(s)).max().unwrap_or(0);
    if agreement(default) == best {
        return default;
    }
    ConstraintSet::ALL
        .iter()
        .rev()
        .copied()
        .find(|&s| s.questions() == questions && agreement(s) == best)
        .unwrap_or(default)
}

/// What a plainly stated accomplishment against an unticked box is read from, for [`ItemEvidence::reverse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reverse {
    /// Only a ticked box the answers deny is reported.
    No,
    /// A sentence saying the group did it ("we load tested the API with locust").
    Statement,
    /// The stated coverage figure (the coverage box asks for exactly that number).
    CoverageFigure,
}

/// A checklist item and the answers that speak to it: the data the contradiction rule reads. Patterns are regex
/// fragments matched against one clause of an answer's plain text, lower-cased.
#[derive(Debug, Clone, Copy)]
pub struct ItemEvidence {
    /// The items; a denial contradicts each of them that is ticked.
    pub items: &'static [ChecklistId],
    /// The answers that speak to the items.
    pub questions: &'static [AnswerKey],
    /// What the item is about ("load test", "dvc", "in the cloud").
    pub topic: &'static str,
    /// When set, the verb of the statement must match it ("deploy" for cloud deployment: "we did not deploy it to
    /// the cloud", not "we did not get GPUs in the cloud").
    pub verb: Option<&'static str>,
    /// Words right after the topic that narrow it to a part ("tests *for the API*"): such a statement is no denial
    /// of the item.
    pub narrowed_by: Option<&'static str>,
    /// Words between the negation and the topic that make the statement about something else ("did not deploy the
    /// *frontend* to the cloud").
    pub unless: Option<&'static str>,
    /// Another way of doing the item; when the answer mentions one, "we did not use DVC" does not deny the item.
    pub alternatives: Option<&'static str>,
    /// Where else the verb may happen without being the item ("we deployed it *locally*"); a sentence that denies
    /// the item and says the verb happened somewhere not named here is ambiguous and not reported.
    pub elsewhere: Option<&'static str>,
    pub reverse: Reverse,
}

const CLOUD: &str = r"(?:to|in|on|into|onto)\s+(?:the\s+|a\s+)?(?:google\s+)?(?:cloud|gcp)\b";
const LOCAL: &str = r"locally|\blocal\b|laptops?|\bhpc\b|own (?:machines?|computers?|hardware)|on[- ]prem";

/// Item/question pairs where an answer speaks plainly to a checklist item (issue: load test vs API testing, cloud
/// deployment, frontend, ONNX/BentoML, data versioning vs DVC, cloud training, coverage, unit tests, pre-commit,
/// drift vs monitoring).
#[rustfmt::skip]
pub const ITEM_EVIDENCE: &[ItemEvidence] = &[
    ItemEvidence { items: &[C::LoadTest], questions: &[K::ApiTesting],
        topic: r"load[- ]?test(?:s|ing|ed)?|locust|stress[- ]test(?:s|ing)?", verb: None, narrowed_by: None,
        unless: None, alternatives: None, elsewhere: None, reverse: Reverse::Statement },
    ItemEvidence { items: &[C::CloudDeploy], questions: &[K::Deploy],
        topic: CLOUD, verb: Some(r"deploy\w*|host\w*"), narrowed_by: None,
        unless: Some(r"front|monitor|drift|\bui\b|streamlit|gradio|docs|documentation|website|dashboard"),
        alternatives: None, elsewhere: Some(LOCAL), reverse: Reverse::Statement },
    ItemEvidence { items: &[C::Frontend], questions: &[K::Extras, K::Api, K::Deploy, K::Architecture],
        topic: r"front[- ]?ends?|streamlit|gradio",
        verb: Some(r"make|made|build|built|creat\w*|implement\w*|develop\w*|writ\w*|wrote|add\w*|have|had|design\w*|set|get|got|finish\w*|complet\w*"),
        narrowed_by: Some(r"^\s*(?:code|for|to|with|of|part|side|server|service|container|image|url|tests?|and)\b"),
        unless: None, alternatives: None, elsewhere: None, reverse: Reverse::Statement },
    ItemEvidence { items: &[C::OnnxBentoml], questions: &[K::Api, K::Deploy, K::Extras],
        topic: r"onnx|bentoml", verb: None, narrowed_by: None, unless: None, alternatives: None, elsewhere: None,
        reverse: Reverse::Statement },
    ItemEvidence { items: &[C::DataVersioning], questions: &[K::Dvc],
        topic: r"dvc|data version control|version control (?:of|for) (?:the|our) data|data versioning|version (?:our|the) data",
        verb: None, narrowed_by: Some(r"^\s*(?:for (?:the |our )?models?|to version (?:the |our )?models?)"), unless: None,
        alternatives: Some(r"git[- ]lfs|\blfs\b|(?:bucket|object) versioning|versioning (?:is |was )?enabled|lakefs|delta lake|\bwith git\b|\bin git\b"),
        elsewhere: None, reverse: Reverse::Statement },
    ItemEvidence { items: &[C::CloudTraining], questions: &[K::CloudTraining, K::ComputeEngine],
        topic: CLOUD, verb: Some(r"train\w*"), narrowed_by: None, unless: None, alternatives: None,
        elsewhere: Some(LOCAL), reverse: Reverse::Statement },
    ItemEvidence { items: &[C::Coverage], questions: &[K::Coverage],
        topic: r"(?:code[- ])?coverage", verb: None, narrowed_by: Some(r"^\s*(?:of|for|on)\b"), unless: None,
        alternatives: None, elsewhere: None, reverse: Reverse::CoverageFigure },
    ItemEvidence { items: &[C::TestsData, C::TestsModel], questions: &[K::Tests],
        topic: r"(?:unit[- ]?)?tests?|(?:unit[- ])?testing",
        verb: None, narrowed_by: Some(r"^\s*(?:for|of|on|that|which|to|covering|in|beyond|other|than)\b"),
        unless: Some(r"integration|\bapi\b|end[- ]to[- ]end|e2e|front|performance|load|system|stress|smoke"),
        alternatives: None, elsewhere: None, reverse: Reverse::No },
    ItemEvidence { items: &[C::PreCommit], questions: &[K::CodeQuality, K::Ci, K::Extras],
        topic: r"pre-?commits?(?:\s+hooks?)?", verb: None, narrowed_by: None, unless: None, alternatives: None,
        elsewhere: None, reverse: Reverse::Statement },
    ItemEvidence { items: &[C::DriftRobustness, C::DriftApi], questions: &[K::Monitoring, K::Extras, K::Deploy],
        topic: r"(?:data[- ])?drift(?:ing)?(?:[- ]detection)?", verb: None,
        narrowed_by: Some(r"^\s*(?:dashboard|report|alert)"), unless: None, alternatives: None, elsewhere: None,
        reverse: Reverse::No },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_in_enum_order() {
        for (i, q) in QUESTIONS.iter().enumerate() {
            assert_eq!(q.key as usize, i, "{}", q.key);
        }
        for (i, c) in CHECKLIST.iter().enumerate() {
            assert_eq!(c.id as usize, i, "{}", c.id);
        }
        assert_eq!(QUESTIONS.len(), AnswerKey::ALL.len());
        assert_eq!(CHECKLIST.len(), ChecklistId::ALL.len());
    }

    #[test]
    fn generation_sizes_match_the_tables() {
        for g in GENERATIONS {
            let ids = checklist_of(g.generation);
            assert_eq!(ids.len() as u32, g.items, "{}", g.generation);
            assert_eq!(g.sections.iter().map(|(_, n)| n).sum::<u32>(), g.items);
            // positions are 1..=items without gaps
            for (i, id) in ids.iter().enumerate() {
                assert_eq!(checklist_item(*id).position(g.generation), Some(i as u32 + 1));
            }
        }
        assert_eq!(questions_of(QuestionSet::Q27).len(), 27);
        assert_eq!(questions_of(QuestionSet::Q31).len(), 31);
    }

    #[test]
    fn weeks_follow_section_sizes() {
        assert_eq!(checklist_item(C::Lightning).week(ChecklistGeneration::Cl2023), Some(Week::Week1));
        assert_eq!(checklist_item(C::TestsData).week(ChecklistGeneration::Cl2025), Some(Week::Week2));
        assert_eq!(checklist_item(C::IoCollection).week(ChecklistGeneration::Cl2026), Some(Week::Week3));
        assert_eq!(checklist_item(C::Revisit).week(ChecklistGeneration::Cl2023), Some(Week::Extra));
        assert_eq!(checklist_item(C::Torchserve).week(ChecklistGeneration::Cl2026), None);
    }

    #[test]
    fn own_words_identify_every_question() {
        let cases = [
            ("Which group number did you sign up as?", K::Group),
            ("List the study numbers of everyone", K::Students),
            ("How many tests did you implement?", K::Tests),
            ("What is your total code coverage?", K::Coverage),
            ("Did you do any load testing of the API?", K::ApiTesting),
            ("Did you manage to deploy your API locally?", K::Deploy),
            ("How did you write an API for the model?", K::Api),
            ("How many credits did you spend?", K::Credits),
            ("Screenshot of your artifact registry", K::Registry),
            ("Explain how you used docker in your project", K::Docker),
            ("Did you train your model in the cloud using Vertex AI?", K::CloudTraining),
            ("Describe the monitoring of your deployed model", K::Monitoring),
        ];
        for (text, key) in cases {
            assert_eq!(identify_question(&normalise_for_matching(text)), Some(key), "{text}");
        }
        assert_eq!(identify_question("what is your favourite colour"), None);
    }

    #[test]
    fn underscores_in_names_survive_normalisation() {
        assert_eq!(
            normalise_for_matching("Fill `make_dataset.py`, _really_ **now**"),
            "fill make_dataset.py, really now"
        );
        assert_eq!(normalise_for_matching("Fill make\\_dataset.py"), "fill make_dataset.py");
        assert_eq!(
            identify_checklist_item(&normalise_for_matching("Complete `make_dataset.py` first")),
            Some(C::DataScript)
        );
    }

    #[test]
    fn wandb_item_mentioning_a_sweep_is_wandb() {
        let t = normalise_for_matching("Use Weights & Biases for logging; also think about a hyperparameter sweep");
        assert_eq!(identify_checklist_item(&t), Some(C::Wandb));
        assert_eq!(identify_checklist_item("try a hyperparameter optimization sweep"), Some(C::Sweep));
    }

    #[test]
    fn constraints_changed_between_sets() {
        assert_eq!(constraint(ConstraintSet::C1, K::Credits).words, w(25, 100));
        assert_eq!(constraint(ConstraintSet::C4, K::Credits).words, w(100, 200));
        assert_eq!(constraint(ConstraintSet::C4, K::Packages).words, w(0, 200));
        assert_eq!(constraint(ConstraintSet::C0, K::Tests).words, None);
        assert_eq!(constraint(ConstraintSet::C1, K::Registry).images, img(1, 1));
        assert_eq!(constraint(ConstraintSet::C2, K::Registry).images, img(1, 2));
        assert_eq!(constraint(ConstraintSet::C4, K::Group), Constraint { words: None, images: None });
    }
}
