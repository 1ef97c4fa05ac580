//! The format variations real reports show (shared/design/FORMATS.md and the tick list of CHECKLIST.md), each on a
//! small handwritten fixture: the parser must see what a careful reader sees.
//!
//! Every fixture is written here in our own words. Prompts and checklist items paraphrase the template only as far
//! as needed to say which question or item they are; no text is taken from the corpus or the templates.

use cohort::domain::{
    parse_bytes, AnswerKey, ChecklistGeneration, ChecklistId, ImageKind, QuestionSet, Report, WarningKind,
};
use std::path::Path;

// ---------------------------------------------------------------------------------------------------------------
// Fixture builders
// ---------------------------------------------------------------------------------------------------------------

/// The 31 questions in template order: (key, prompt in our words, 27-question number if the old set has it).
#[rustfmt::skip]
const QUESTIONS: &[(AnswerKey, &str, Option<u32>)] = &[
    (AnswerKey::Group, "Which group number did your team register under?", Some(1)),
    (AnswerKey::Students, "Give the study number of every member of the team.", Some(2)),
    (AnswerKey::Packages, "Which open-source framework from outside the curriculum did you rely on?", Some(3)),
    (AnswerKey::Dependencies, "How were dependencies handled, and how would a newcomer recreate your setup?", Some(4)),
    (AnswerKey::Structure, "How did you use the cookiecutter layout and what did you change in it?", Some(5)),
    (AnswerKey::CodeQuality, "Which code quality rules did you enforce and why do they matter?", Some(6)),
    (AnswerKey::Tests, "How many tests did you write and what do they check?", Some(7)),
    (AnswerKey::Coverage, "What is your total code coverage, and would full coverage make you trust the code?", Some(8)),
    (AnswerKey::Branches, "Did your team work with branches and pull requests?", Some(9)),
    (AnswerKey::Dvc, "Did you use DVC to keep track of your data?", Some(10)),
    (AnswerKey::Ci, "Describe the continuous integration you ran on every push.", Some(11)),
    (AnswerKey::Configs, "How did you configure experiments, and did you keep config files?", Some(12)),
    (AnswerKey::Reproducibility, "How did you guard reproducibility so that no information is lost between runs?", Some(13)),
    (AnswerKey::Tracking, "Show one to three screenshots of what you logged in W&B and explain the metrics.", Some(14)),
    (AnswerKey::Docker, "How did you use docker in your project, and where is one of the files?", Some(15)),
    (AnswerKey::Debugging, "How did you go about debugging, and did you profile anything?", Some(16)),
    (AnswerKey::GcpServices, "Which GCP services did you use, and what is each one for?", Some(17)),
    (AnswerKey::ComputeEngine, "How did you use Compute Engine and which machine types did you pick?", Some(18)),
    (AnswerKey::Bucket, "Add one or two pictures of your GCP bucket.", Some(19)),
    (AnswerKey::Registry, "Add a picture of the artifact registry that holds your images.", Some(20)),
    (AnswerKey::BuildHistory, "Add a picture of your cloud build history.", Some(21)),
    (AnswerKey::CloudTraining, "Did you train your model in the cloud, with Compute Engine or Vertex AI?", None),
    (AnswerKey::Api, "Did you write an API for your model, and how?", None),
    (AnswerKey::Deploy, "Did you manage to deploy your API, on your own machine or in the cloud?", Some(22)),
    (AnswerKey::ApiTesting, "Did you unit test the API and do any load testing of it?", None),
    (AnswerKey::Monitoring, "Did you set up monitoring of the deployed model?", Some(23)),
    (AnswerKey::Credits, "How many credits did you spend, and which service cost the most?", Some(24)),
    (AnswerKey::Extras, "Did you build anything extra that no other question asked about?", None),
    (AnswerKey::Architecture, "Add a figure of your overall architecture and walk us through it.", Some(25)),
    (AnswerKey::Struggles, "What were the biggest struggles of the project and how did you get past them?", Some(26)),
    (AnswerKey::Contributions, "Describe the individual contributions of each member.", Some(27)),
];

/// One question block in the template's shape: heading, quoted prompt, `Answer:` line, answer.
fn question(n: u32, prompt: &str, answer: &str) -> String {
    format!("### Question {n}\n\n> **{prompt}**\n>\n> Answer:\n\n{answer}\n\n")
}

/// A short answer in our own words that says which question it answers.
fn answer_for(key: AnswerKey) -> String {
    format!("Our team wrote this text about {key} ourselves.")
}

/// The questions of a set, numbered as that set numbers them, with an answer each.
fn questions(set: QuestionSet) -> String {
    let mut out = String::from("## Group information\n\n");
    for (i, &(key, prompt, n27)) in QUESTIONS.iter().enumerate() {
        let n = match set {
            QuestionSet::Q31 => Some(i as u32 + 1),
            QuestionSet::Q27 => n27,
        };
        if let Some(n) = n {
            out.push_str(&question(n, prompt, &answer_for(key)));
        }
    }
    out
}

/// Checklist items in CL-2026 order: (id, our wording, module tag, section in CL-2025/26, wording in CL-2023 or
/// `None` when CL-2023 does not have the item).
#[rustfmt::skip]
const ITEMS: &[(ChecklistId, &str, &str, &str, Option<&str>)] = &[
    (ChecklistId::GitRepo, "Set up a git repository for the project", "M5", "Week 1", Some("Set up a git repository for the project")),
    (ChecklistId::WriteAccess, "Give every member write access to the repository", "M5", "Week 1", Some("Give every member write access to the repository")),
    (ChecklistId::Environment, "Use a dedicated environment to keep the project's packages in order", "M2", "Week 1", Some("Use a dedicated environment to keep the project's packages in order")),
    (ChecklistId::Cookiecutter, "Start the file layout from a cookiecutter template", "M6", "Week 1", Some("Start the file layout from a cookiecutter template")),
    (ChecklistId::DataScript, "Complete `data.py` so that it fetches and prepares the data", "M6", "Week 1", Some("Complete `make_dataset.py` so that it fetches and prepares the data")),
    (ChecklistId::ModelTrain, "Put a model in `model.py` and a training loop in `train.py` and run it", "M6", "Week 1", Some("Write a model file and a training script and run them")),
    (ChecklistId::Requirements, "Keep the `requirements.txt` files current with every dependency", "M2+M6", "Week 1", Some("Keep the `requirements.txt` file current with every dependency")),
    (ChecklistId::Pep8, "Follow good coding practices (`pep8`) throughout", "M7", "Week 1", Some("Follow good coding practices (`pep8`) throughout")),
    (ChecklistId::TypingDocs, "Add some typing and document the essential parts of the code", "M7", "Week 1", Some("Add some typing and document the essential parts of the code")),
    (ChecklistId::DataVersioning, "Set up version control for your data", "M8", "Week 1", Some("Set up version control for your data")),
    (ChecklistId::Cli, "Add command line interfaces where they help", "M9", "Week 1", None),
    (ChecklistId::Dockerfiles, "Write one or more docker files for the code", "M10", "Week 1", Some("Write one or more docker files for the code")),
    (ChecklistId::DockerBuild, "Build the docker images locally and check they work as intended", "M10", "Week 1", Some("Build the docker images locally and check they work as intended")),
    (ChecklistId::ConfigFiles, "Write configuration files for your experiments", "M11", "Week 1", Some("Write configuration files for your experiments")),
    (ChecklistId::Hydra, "Load those configurations with Hydra", "M11", "Week 1", Some("Load those configurations with Hydra")),
    (ChecklistId::Profiling, "Profile the code to find what is slow", "M12", "Week 1", Some("Profile the code to find what is slow")),
    (ChecklistId::Logging, "Use logging to log important events", "M14", "Week 1", None),
    (ChecklistId::Wandb, "Track training runs with Weights & Biases", "M14", "Week 1", Some("Track training runs with Weights & Biases, and maybe try a hyperparameter sweep too")),
    (ChecklistId::Sweep, "Try a hyperparameter optimization sweep", "M14", "Week 1", None),
    (ChecklistId::Lightning, "Use PyTorch Lightning to cut boilerplate", "M15", "Week 1", Some("Use PyTorch Lightning to cut boilerplate")),
    (ChecklistId::TestsData, "Unit tests for the data part of your code", "M16", "Week 2", Some("Unit tests for the data part of your code")),
    (ChecklistId::TestsModel, "Unit tests for model construction or training", "M16", "Week 2", Some("Unit tests for model construction or training")),
    (ChecklistId::Coverage, "Measure the code coverage", "M16", "Week 2", Some("Measure the code coverage")),
    (ChecklistId::Ci, "Run continuous integration on GitHub", "M17", "Week 2", Some("Run continuous integration on GitHub")),
    (ChecklistId::CiMatrixCaching, "Add caching and a multi-os matrix to the CI", "M17", "Week 2", None),
    (ChecklistId::CiLinting, "Add a linting step to the CI", "M17", "Week 2", None),
    (ChecklistId::PreCommit, "Install pre-commit hooks", "M18", "Week 2", None),
    (ChecklistId::CmlDataTrigger, "Add a workflow that runs when data changes", "M19", "Week 2", None),
    (ChecklistId::CmlRegistryTrigger, "Add a workflow that runs when the model registry changes", "M19", "Week 2", None),
    (ChecklistId::GcpBucket, "Store the data in a GCP bucket tied to data version control", "M21", "Week 2", Some("Store the data in a GCP bucket tied to data version control")),
    (ChecklistId::BuildTrigger, "Set up a trigger workflow that builds the images automatically", "M21", "Week 2", Some("Set up a trigger workflow that builds the images automatically")),
    (ChecklistId::CloudTraining, "Train the model in GCP on Engine or Vertex AI", "M21", "Week 2", Some("Train the model in GCP on Engine or Vertex AI")),
    (ChecklistId::Fastapi, "Serve predictions from a FastAPI app", "M22", "Week 2", Some("Serve predictions from a FastAPI app")),
    (ChecklistId::Torchserve, "", "", "", Some("Optionally try serving locally with torchserve")),
    (ChecklistId::CloudDeploy, "Deploy your model in GCP with Functions or Run", "M23", "Week 2", Some("Deploy your model in GCP with Functions or Run")),
    (ChecklistId::ApiTests, "Write API tests and run them in CI", "M24", "Week 2", None),
    (ChecklistId::LoadTest, "Load test the application", "M24", "Week 2", None),
    (ChecklistId::OnnxBentoml, "Build a specialised deployment with ONNX or BentoML", "M25", "Week 2", None),
    (ChecklistId::Frontend, "Give the API a frontend", "M26", "Week 2", None),
    (ChecklistId::DriftRobustness, "Check how robust the model is to data drift", "M27", "Week 3", Some("Check how robust the model is to data drift")),
    (ChecklistId::IoCollection, "Collect the input-output data of the deployed app", "M27", "Week 3", None),
    (ChecklistId::DriftApi, "Deploy a drift detection API in the cloud", "M27", "Week 3", None),
    (ChecklistId::SystemMetrics, "Expose a few system metrics from the API", "M28", "Week 3", Some("Watch the system telemetry of the deployed model")),
    (ChecklistId::CloudMonitoring, "Set up cloud monitoring of the instrumented app", "M28", "Week 3", Some("Watch the performance of your deployed model")),
    (ChecklistId::Alerts, "Create an alert in GCP for when the app misbehaves", "M28", "Week 3", None),
    (ChecklistId::DistributedData, "Try distributed data loading if it applies", "M29", "Week 3", Some("Try distributed data loading if it applies")),
    (ChecklistId::DistributedTraining, "Try distributed training if it applies", "M30", "Week 3", Some("Try distributed training if it applies")),
    (ChecklistId::Quantization, "Experiment with quantization or pruning for faster inference", "M31", "Week 3", Some("Experiment with quantization or pruning for faster inference")),
    (ChecklistId::DocsWrite, "Write documentation for your application", "M32", "Extra", None),
    (ChecklistId::DocsPublish, "Publish the docs on GitHub Pages", "M32", "Extra", None),
    (ChecklistId::Revisit, "Revisit the initial project description", "", "Extra", Some("Revisit the initial project description")),
    (ChecklistId::ArchitectureDiagram, "Draw an architecture diagram of the pipeline", "", "Extra", None),
    (ChecklistId::Understanding, "Make sure everyone has an understanding of every part", "", "Extra", Some("Make sure everyone has an understanding of every part")),
    (ChecklistId::UploadCode, "Upload all your code to GitHub", "", "Extra", Some("Upload all your code to GitHub")),
];

/// CL-2023's sections by item count (CHECKLIST.md): Week 1 (17), Week 2 (10), Week 3 (6), Additional (3).
const SECTIONS_2023: &[(&str, usize)] = &[("Week 1", 17), ("Week 2", 10), ("Week 3", 6), ("Additional", 3)];

/// A whole checklist of one generation, every box ticked except those listed; returns the text and the ids in order.
fn checklist(generation: ChecklistGeneration, unticked: &[ChecklistId]) -> (String, Vec<ChecklistId>) {
    let mut out = String::from("## Overall project checklist\n\nTick what you did.\n");
    let mut ids = Vec::new();
    let mark = |id| if unticked.contains(&id) { ' ' } else { 'x' };
    match generation {
        ChecklistGeneration::None => return (String::new(), ids),
        ChecklistGeneration::Cl2023 => {
            let items: Vec<_> = ITEMS.iter().filter_map(|&(id, _, _, _, old)| old.map(|t| (id, t))).collect();
            let mut next = items.iter();
            for &(section, n) in SECTIONS_2023 {
                out.push_str(&format!("\n### {section}\n\n"));
                for &(id, text) in next.by_ref().take(n) {
                    out.push_str(&format!("* [{}] {text}\n", mark(id)));
                    ids.push(id);
                }
            }
        }
        ChecklistGeneration::Cl2025 | ChecklistGeneration::Cl2026 => {
            let mut section = "";
            for &(id, text, tag, sec, _) in ITEMS {
                let skip =
                    sec.is_empty() || (id == ChecklistId::IoCollection && generation == ChecklistGeneration::Cl2025);
                if skip {
                    continue;
                }
                if sec != section {
                    out.push_str(&format!("\n### {sec}\n\n"));
                    section = sec;
                }
                let tag = if tag.is_empty() { String::new() } else { format!(" ({tag})") };
                out.push_str(&format!("* [{}] {text}{tag}\n", mark(id)));
                ids.push(id);
            }
        }
    }
    out.push('\n');
    (out, ids)
}

const TITLE: &str = "# Exam report of our group\n\nA few words before the checklist.\n\n";

/// A complete report: title, a checklist of the generation, the questions of the set.
fn report_text(set: QuestionSet, generation: ChecklistGeneration) -> String {
    format!("{TITLE}{}{}", checklist(generation, &[]).0, questions(set))
}

fn parse(text: &str) -> Report {
    parse_bytes(Path::new("x/README.md"), text.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

fn parse_raw(bytes: &[u8]) -> Report {
    parse_bytes(Path::new("x/README.md"), bytes).unwrap_or_else(|e| panic!("{e}"))
}

/// The warnings of a report, one string each, for assertions and failure messages.
fn warnings(r: &Report) -> Vec<String> {
    r.warnings.iter().map(ToString::to_string).collect()
}

fn answer(r: &Report, key: AnswerKey) -> &cohort::domain::Answer {
    r.answer(key).unwrap_or_else(|| panic!("no answer keyed {key}; warnings: {:?}", warnings(r)))
}

/// A report of one question set with a small checklist, whose `key` answer is `body` (the text after `Answer:`).
fn with_answer(key: AnswerKey, body: &str) -> Report {
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026);
    let default = format!("\n\n{}\n\n", answer_for(key));
    let at = text.find(&default).expect("the default answer is in the fixture");
    let text = format!("{}{}{}", &text[..at], body, &text[at + default.len()..]);
    parse(&text)
}

/// Asserts that a fixture reads as the full, clean report of its set: every key, answered, in order.
fn assert_clean(r: &Report, set: QuestionSet) {
    assert_eq!(r.questions, set);
    let expected: Vec<_> =
        QUESTIONS.iter().filter(|q| set == QuestionSet::Q31 || q.2.is_some()).map(|q| Some(q.0)).collect();
    let keys: Vec<_> = r.answers.iter().map(|a| a.key).collect();
    assert_eq!(keys, expected, "warnings: {:?}", warnings(r));
    assert!(r.answers.iter().all(|a| a.answered));
    for a in &r.answers {
        let key = a.key.expect("keyed");
        assert_eq!(a.markdown, answer_for(key), "answer to {key}");
    }
}

/// The checklist as (id, done) in the report's order.
fn ticks(r: &Report) -> Vec<(Option<ChecklistId>, bool)> {
    r.checklist.iter().map(|i| (i.id, i.done)).collect()
}

// ---------------------------------------------------------------------------------------------------------------
// The fixtures themselves read as intended
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn clean_fixtures_read_without_warnings() {
    for (set, generation) in [
        (QuestionSet::Q27, ChecklistGeneration::Cl2023),
        (QuestionSet::Q31, ChecklistGeneration::Cl2025),
        (QuestionSet::Q31, ChecklistGeneration::Cl2026),
    ] {
        let r = parse(&report_text(set, generation));
        assert_clean(&r, set);
        assert_eq!(r.generation, generation);
        assert!(r.warnings.is_empty(), "{set} {generation}: {:?}", warnings(&r));
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Bytes and encodings
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn jekyll_front_matter_is_not_content_and_keeps_line_numbers() {
    let body = report_text(QuestionSet::Q27, ChecklistGeneration::Cl2023);
    let text = format!("---\nlayout: default\nnav_exclude: true\n---\n\n{body}");
    let r = parse(&text);
    assert_clean(&r, QuestionSet::Q27);
    assert_eq!(r.generation, ChecklistGeneration::Cl2023);
    assert!(r.warnings.is_empty(), "{:?}", warnings(&r));
    // Lines are counted in the file as it is, front matter included.
    let q1_line = text.lines().position(|l| l == "### Question 1").expect("Q1 heading") + 1;
    assert_eq!(r.answers[0].line, q1_line);
}

#[test]
fn crlf_line_endings_read_like_lf() {
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2025).replace('\n', "\r\n");
    let r = parse(&text);
    assert_clean(&r, QuestionSet::Q31);
    assert_eq!(r.generation, ChecklistGeneration::Cl2025);
    assert!(r.answers.iter().all(|a| !a.markdown.contains('\r')));
    assert!(r.checklist.iter().all(|i| !i.text.contains('\r')));
}

#[test]
fn tab_characters_in_items_and_answers() {
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026)
        .replace("* [x] Install pre-commit hooks (M18)", "*\t[x]\tInstall pre-commit hooks (M18)")
        .replace(
            "* [x] Keep the `requirements.txt` files current with every dependency (M2+M6)",
            "* [x] Keep the `requirements.txt` files current\n\twith every dependency (M2+M6)",
        );
    let text = text.replace(&answer_for(AnswerKey::Tests), "We\twrote\tnine tests.\n\n\tAll of them pass.");
    let r = parse(&text);
    assert_eq!(r.generation, ChecklistGeneration::Cl2026);
    assert_eq!(r.tick(ChecklistId::PreCommit), Some(true));
    let req = r.checklist.iter().find(|i| i.id == Some(ChecklistId::Requirements)).expect("requirements item");
    assert_eq!(req.module.as_deref(), Some("M2+M6"));
    assert!(req.text.ends_with("with every dependency (M2+M6)"), "{:?}", req.text);
    let tests = answer(&r, AnswerKey::Tests);
    assert_eq!(tests.words, 8);
    assert!(tests.answered);
    assert_eq!(r.checklist.len(), 53);
}

#[test]
fn utf8_byte_order_mark_is_dropped_silently() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend(report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026).as_bytes());
    let r = parse_raw(&bytes);
    assert_clean(&r, QuestionSet::Q31);
    assert!(r.warnings.is_empty(), "{:?}", warnings(&r));
}

#[test]
fn utf8_byte_order_mark_before_front_matter() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend(b"---\nlayout: default\n---\n");
    bytes.extend(report_text(QuestionSet::Q27, ChecklistGeneration::Cl2023).as_bytes());
    let r = parse_raw(&bytes);
    assert_clean(&r, QuestionSet::Q27);
    assert!(r.warnings.is_empty(), "{:?}", warnings(&r));
}

#[test]
fn utf16_with_byte_order_mark_little_and_big_endian() {
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026).replace('\n', "\r\n");
    let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
    for bytes in [le, be] {
        let r = parse_raw(&bytes);
        assert_clean(&r, QuestionSet::Q31);
        assert_eq!(r.generation, ChecklistGeneration::Cl2026);
        assert_eq!(r.warnings.len(), 1, "{:?}", warnings(&r));
        assert_eq!(r.warnings[0].kind, WarningKind::Encoding);
        assert!(r.warnings[0].message.contains("UTF-16"));
    }
}

#[test]
fn non_utf8_bytes_are_a_warning_not_an_error() {
    // UTF-8 text (the em dash) with one stray Latin-1 byte (0xE9, "é"): the stray byte is replaced, with a warning.
    let text =
        report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026).replace(TITLE, "# Report \u{2014} group 5\n\n");
    let (before, after) = text.split_at(text.find("Our team wrote this text about tests").expect("tests answer"));
    let bytes: Vec<u8> = [before.as_bytes(), b"Caf\xE9 tests. ", after.as_bytes()].concat();
    let r = parse_raw(&bytes);
    assert_eq!(r.questions, QuestionSet::Q31);
    assert_eq!(r.answers.len(), 31);
    let encoding: Vec<_> = r.warnings.iter().filter(|w| w.kind == WarningKind::Encoding).collect();
    assert_eq!(encoding.len(), 1, "{:?}", warnings(&r));
    assert!(encoding[0].message.contains("UTF-8"), "{}", encoding[0]);
    let tests = answer(&r, AnswerKey::Tests);
    assert!(tests.markdown.starts_with("Caf\u{FFFD} tests."));
    // The warning names the line of the bad byte.
    let bad_line = before.matches('\n').count() + 1;
    assert_eq!(encoding[0].line, Some(bad_line));
}

#[test]
fn file_in_a_one_byte_encoding_is_read_as_latin1() {
    // No valid UTF-8 sequence anywhere: the file was saved as Latin-1 / Windows-1252, and its letters are kept.
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026)
        .replace(&answer_for(AnswerKey::Group), "Gruppe 7 \u{e6}\u{f8}\u{e5}, caf\u{e9}, na\u{ef}ve");
    let bytes: Vec<u8> = text.chars().map(|c| u8::try_from(u32::from(c)).expect("latin-1 only")).collect();
    let r = parse_raw(&bytes);
    assert_clean_except_encoding(&r, AnswerKey::Group);
    assert_eq!(answer(&r, AnswerKey::Group).markdown, "Gruppe 7 æøå, café, naïve");
    assert!(r.warnings[0].message.contains("Latin-1"), "{:?}", warnings(&r));
}

/// Every other answer is the fixture's own; the only warning is about the encoding.
fn assert_clean_except_encoding(r: &Report, key: AnswerKey) {
    assert_eq!(r.answers.len(), 31, "{:?}", warnings(r));
    for a in r.answers.iter().filter(|a| a.key != Some(key)) {
        assert_eq!(a.markdown, answer_for(a.key.expect("keyed")));
    }
    assert_eq!(r.warnings.len(), 1, "{:?}", warnings(r));
    assert_eq!(r.warnings[0].kind, WarningKind::Encoding);
}

#[test]
fn double_encoded_mojibake_is_repaired_before_reading() {
    // `â€”` is an em dash whose UTF-8 bytes were read as Windows-1252 and saved again as UTF-8; `â€™` the same for
    // a right quote. The repair must come before the checklist and the answers are read.
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026)
        .replace("Track training runs with Weights & Biases", "Track training runs with Weights & Biases â€” every run")
        .replace(&answer_for(AnswerKey::Packages), "We picked one modelâ€”considered the best. Itâ€™s small.");
    let r = parse(&text);
    let packages = answer(&r, AnswerKey::Packages);
    assert_eq!(packages.markdown, "We picked one model—considered the best. It’s small.");
    assert_eq!(packages.words, 8);
    let wandb = r.checklist.iter().find(|i| i.id == Some(ChecklistId::Wandb)).expect("wandb item");
    assert!(wandb.text.contains("Biases — every run"), "{:?}", wandb.text);
    let enc: Vec<_> = r.warnings.iter().filter(|w| w.kind == WarningKind::Encoding).collect();
    assert_eq!(enc.len(), 1, "{:?}", warnings(&r));
    assert!(enc[0].message.contains("mojibake"));
    let first = text.lines().position(|l| l.contains("â€")).expect("mojibake line") + 1;
    assert_eq!(enc[0].line, Some(first));
}

// ---------------------------------------------------------------------------------------------------------------
// Tick styles
// ---------------------------------------------------------------------------------------------------------------

/// A CL-2026 report whose pre-commit item is written as `line`; returns that item's (mark, done).
fn tick_of(line: &str) -> (String, bool) {
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026)
        .replace("* [x] Install pre-commit hooks (M18)", line);
    let r = parse(&text);
    assert_eq!(r.checklist.len(), 53, "{line}: {:?}", warnings(&r));
    assert_eq!(r.generation, ChecklistGeneration::Cl2026);
    let item = r.checklist.iter().find(|i| i.id == Some(ChecklistId::PreCommit)).expect("pre-commit item");
    assert_eq!(item.text, "Install pre-commit hooks (M18)", "{line}");
    assert_eq!(item.module.as_deref(), Some("M18"));
    assert_eq!(item.section.as_deref(), Some("Week 2"));
    (item.mark.clone(), item.done)
}

#[test]
fn tick_lower_x() {
    assert_eq!(tick_of("* [x] Install pre-commit hooks (M18)"), ("x".into(), true));
}

#[test]
fn tick_upper_x() {
    assert_eq!(tick_of("* [X] Install pre-commit hooks (M18)"), ("X".into(), true));
}

#[test]
fn tick_blank() {
    assert_eq!(tick_of("* [ ] Install pre-commit hooks (M18)"), (" ".into(), false));
}

#[test]
fn tick_with_dash_bullet() {
    assert!(tick_of("- [x] Install pre-commit hooks (M18)").1);
    assert!(!tick_of("- [ ] Install pre-commit hooks (M18)").1);
}

#[test]
fn tick_ok() {
    assert_eq!(tick_of("* [ok] Install pre-commit hooks (M18)"), ("ok".into(), true));
}

#[test]
fn tick_check_word() {
    assert_eq!(tick_of("* [ check ] Install pre-commit hooks (M18)"), (" check ".into(), true));
}

#[test]
fn tick_emoji_in_brackets() {
    assert_eq!(tick_of("* [✅] Install pre-commit hooks (M18)"), ("✅".into(), true));
    assert!(!tick_of("* [❌] Install pre-commit hooks (M18)").1);
}

#[test]
fn tick_bare_emoji_without_brackets() {
    assert_eq!(tick_of("- ❌ Install pre-commit hooks (M18)"), ("❌".into(), false));
    assert_eq!(tick_of("- ✅ Install pre-commit hooks (M18)"), ("✅".into(), true));
}

#[test]
fn tick_empty_brackets() {
    assert_eq!(tick_of("* [] Install pre-commit hooks (M18)"), ("".into(), false));
}

#[test]
fn tick_x_with_trailing_space() {
    assert_eq!(tick_of("* [X ] Install pre-commit hooks (M18)"), ("X ".into(), true));
}

#[test]
fn tick_other_marks_count_as_done() {
    // CHECKLIST.md: blank or a cross is "not done", a done mark is "done"; since issue 16 a partial or unclear
    // mark (`[~]`, `[?]`) is neither and not counted as done.
    for mark in ["Y", "✔", "v"] {
        assert!(tick_of(&format!("* [{mark}] Install pre-commit hooks (M18)")).1, "{mark}");
    }
    for mark in ["~", "?"] {
        assert!(!tick_of(&format!("* [{mark}] Install pre-commit hooks (M18)")).1, "{mark}");
    }
    for cross in ["✗", "✘", "✖"] {
        assert!(!tick_of(&format!("* [{cross}] Install pre-commit hooks (M18)")).1, "{cross}");
    }
}

#[test]
fn tick_numbered_list_and_plus_bullet() {
    assert!(tick_of("1. [x] Install pre-commit hooks (M18)").1);
    assert!(!tick_of("+ [ ] Install pre-commit hooks (M18)").1);
}

#[test]
fn tick_box_in_parentheses() {
    // A group put the box itself in parentheses: the reader still sees a ticked box.
    assert!(tick_of("* ([X]) Install pre-commit hooks (M18)").1);
}

#[test]
fn a_legend_line_is_not_an_item() {
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026).replace(
        "* [x] Upload all your code to GitHub\n",
        "* [x] Upload all your code to GitHub\n\n❌ = we skipped it on purpose\n\n- [x] = finished\n",
    );
    let r = parse(&text);
    assert_eq!(r.checklist.len(), 53);
    assert!(r.warnings.is_empty(), "{:?}", warnings(&r));
}

// ---------------------------------------------------------------------------------------------------------------
// Checklist shape
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn items_wrapped_over_two_lines() {
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2025).replace(
        "* [x] Check how robust the model is to data drift (M27)",
        "* [x] Check how robust the model is\n      to data drift (M27)",
    );
    let r = parse(&text);
    assert_eq!(r.generation, ChecklistGeneration::Cl2025);
    assert_eq!(r.checklist.len(), 52);
    let item = r.checklist.iter().find(|i| i.id == Some(ChecklistId::DriftRobustness)).expect("drift item");
    assert_eq!(item.text, "Check how robust the model is to data drift (M27)");
    assert_eq!(item.module.as_deref(), Some("M27"));
    assert!(item.done);
}

#[test]
fn sub_bullets_under_an_item_are_not_part_of_it() {
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2025).replace(
        "* [x] Profile the code to find what is slow (M12)\n",
        "* [ ] Profile the code to find what is slow (M12)\n    - we ran cProfile once\n    - nothing came of it\n",
    );
    let r = parse(&text);
    assert_eq!(r.checklist.len(), 52, "{:?}", warnings(&r));
    let item = r.checklist.iter().find(|i| i.id == Some(ChecklistId::Profiling)).expect("profiling item");
    assert_eq!(item.text, "Profile the code to find what is slow (M12)");
    assert!(!item.done);
    assert!(r.warnings.is_empty(), "{:?}", warnings(&r));
}

#[test]
fn week_heading_promoted_to_level_two() {
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026)
        .replace("### Week", "## Week")
        .replace("### Extra", "## Extra");
    let r = parse(&text);
    assert_eq!(r.generation, ChecklistGeneration::Cl2026);
    assert_eq!(r.checklist.len(), 53);
    let quant = r.checklist.iter().find(|i| i.id == Some(ChecklistId::Quantization)).expect("quantization");
    assert_eq!(quant.section.as_deref(), Some("Week 3"));
    let upload = r.checklist.iter().find(|i| i.id == Some(ChecklistId::UploadCode)).expect("upload");
    assert_eq!(upload.section.as_deref(), Some("Extra"));
    assert!(r.warnings.is_empty(), "{:?}", warnings(&r));
}

#[test]
fn items_deleted_reordered_and_reworded() {
    let (list, _) = checklist(ChecklistGeneration::Cl2025, &[]);
    let list = list
        // deleted
        .replace("* [x] Give the API a frontend (M26)\n", "")
        .replace("* [x] Load test the application (M24)\n", "")
        // reworded: the group's own file names
        .replace(
            "* [x] Put a model in `model.py` and a training loop in `train.py` and run it (M6)",
            "* [x] Add a model to `train_module.py` and get training running (M6)",
        )
        // reordered: quantization moved to the top of Week 3
        .replace("* [x] Experiment with quantization or pruning for faster inference (M31)\n", "")
        .replace(
            "### Week 3\n\n",
            "### Week 3\n\n* [ ] Experiment with quantization or pruning for faster inference (M31)\n",
        );
    let r = parse(&format!("{TITLE}{list}{}", questions(QuestionSet::Q31)));
    assert_eq!(r.generation, ChecklistGeneration::Cl2025);
    assert_eq!(r.checklist.len(), 50);
    assert_eq!(r.tick(ChecklistId::Frontend), None);
    assert_eq!(r.tick(ChecklistId::LoadTest), None);
    assert_eq!(r.tick(ChecklistId::ModelTrain), Some(true));
    assert_eq!(r.tick(ChecklistId::Quantization), Some(false));
    let week3: Vec<_> = r.checklist.iter().filter(|i| i.section.as_deref() == Some("Week 3")).map(|i| i.id).collect();
    assert_eq!(week3.first(), Some(&Some(ChecklistId::Quantization)));
    assert!(r.checklist.iter().all(|i| i.id.is_some()));
    assert!(r.warnings.is_empty(), "{:?}", warnings(&r));
}

#[test]
fn checklist_deleted_is_cl_none() {
    let r = parse(&format!("{TITLE}{}", questions(QuestionSet::Q31)));
    assert_eq!(r.generation, ChecklistGeneration::None);
    assert!(r.checklist.is_empty());
    assert_clean(&r, QuestionSet::Q31);
    assert!(r.warnings.is_empty(), "{:?}", warnings(&r));
}

#[test]
fn generation_cl2023() {
    let (list, ids) = checklist(ChecklistGeneration::Cl2023, &[ChecklistId::Torchserve, ChecklistId::Hydra]);
    let r = parse(&format!("{TITLE}{list}{}", questions(QuestionSet::Q27)));
    assert_eq!(r.generation, ChecklistGeneration::Cl2023);
    assert_eq!(ids.len(), 36);
    let expected: Vec<_> =
        ids.iter().map(|&id| (Some(id), !matches!(id, ChecklistId::Torchserve | ChecklistId::Hydra))).collect();
    assert_eq!(ticks(&r), expected);
    // The old W&B item also suggests a sweep: it is `wandb` only.
    assert_eq!(r.tick(ChecklistId::Sweep), None);
    assert_eq!(
        r.checklist.iter().find(|i| i.id == Some(ChecklistId::Revisit)).and_then(|i| i.section.as_deref()),
        Some("Additional")
    );
    assert!(r.warnings.is_empty(), "{:?}", warnings(&r));
}

#[test]
fn generation_cl2025() {
    let (list, ids) = checklist(ChecklistGeneration::Cl2025, &[ChecklistId::Alerts]);
    let r = parse(&format!("{TITLE}{list}{}", questions(QuestionSet::Q31)));
    assert_eq!(r.generation, ChecklistGeneration::Cl2025);
    assert_eq!(ids.len(), 52);
    let expected: Vec<_> = ids.iter().map(|&id| (Some(id), id != ChecklistId::Alerts)).collect();
    assert_eq!(ticks(&r), expected);
    assert!(r.warnings.is_empty(), "{:?}", warnings(&r));
}

#[test]
fn generation_cl2026() {
    let (list, ids) = checklist(ChecklistGeneration::Cl2026, &[ChecklistId::IoCollection]);
    let r = parse(&format!("{TITLE}{list}{}", questions(QuestionSet::Q31)));
    assert_eq!(r.generation, ChecklistGeneration::Cl2026);
    assert_eq!(ids.len(), 53);
    let expected: Vec<_> = ids.iter().map(|&id| (Some(id), id != ChecklistId::IoCollection)).collect();
    assert_eq!(ticks(&r), expected);
    assert!(r.warnings.is_empty(), "{:?}", warnings(&r));
}

#[test]
fn cl2025_list_with_its_tags_removed_is_still_cl2025() {
    // A group that stripped the `(Mn)` tags: items only CL-2025 has still tell the generation.
    let (list, _) = checklist(ChecklistGeneration::Cl2025, &[]);
    let untagged: String = list
        .lines()
        .map(|l| match l.rfind(" (M") {
            Some(i) if l.starts_with("* [") => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let r = parse(&format!("{TITLE}{untagged}\n\n{}", questions(QuestionSet::Q31)));
    assert_eq!(r.generation, ChecklistGeneration::Cl2025);
    assert_eq!(r.checklist.len(), 52);
}

// ---------------------------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn placeholder_is_unanswered() {
    let r = with_answer(AnswerKey::Coverage, "\n\n--- question 8 fill here ---\n\n");
    let a = answer(&r, AnswerKey::Coverage);
    assert!(!a.answered);
    assert_eq!(a.markdown, "");
    // The checker counts the placeholder's tokens.
    assert_eq!(a.words, 6);
    let r = with_answer(AnswerKey::Coverage, "\n\n--- fill here ---\n\n");
    assert!(!answer(&r, AnswerKey::Coverage).answered);
}

#[test]
fn empty_answer_is_unanswered() {
    let r = with_answer(AnswerKey::Coverage, "\n\n");
    let a = answer(&r, AnswerKey::Coverage);
    assert!(!a.answered);
    assert_eq!(a.words, 0);
}

#[test]
fn answer_wrapped_in_dashes_on_one_line() {
    let r = with_answer(AnswerKey::Group, "\n\n--- 17 ---\n\n");
    let a = answer(&r, AnswerKey::Group);
    assert_eq!(a.markdown, "17");
    assert!(a.answered);
    assert_eq!(r.facts.group, Some(17));
    // The checker counts the wrapper's tokens as words.
    assert_eq!(a.words, 3);
}

#[test]
fn answer_wrapped_in_dashes_over_several_lines() {
    let body = "\n\n--- We kept the wrapper around our text.\nIt spans two lines. ---\n\n";
    let r = with_answer(AnswerKey::Branches, body);
    let a = answer(&r, AnswerKey::Branches);
    assert_eq!(a.markdown, "We kept the wrapper around our text.\nIt spans two lines.");
    assert_eq!(a.words, 13);
}

#[test]
fn bare_dash_lines_around_the_answer() {
    // The text directly above the closing `---` is a setext heading to a markdown reader; here it is answer text.
    let body = "\n\n---\nWe used branches for every feature.\nReviews happened in pull requests.\n---\n\n";
    let r = with_answer(AnswerKey::Branches, body);
    let a = answer(&r, AnswerKey::Branches);
    assert_eq!(a.markdown, "We used branches for every feature.\nReviews happened in pull requests.");
    assert_eq!(a.words, 13);
    assert_clean_except(&r, AnswerKey::Branches);
}

#[test]
fn setext_underline_inside_an_answer_does_not_end_it() {
    // `Question 10` underlined with dashes is no heading of the template: the answer goes on to the next `###`.
    let body = "\n\nWe answer this in two parts.\nQuestion 10 is next\n---\nSecond part of the answer.\n\n";
    let r = with_answer(AnswerKey::Branches, body);
    let a = answer(&r, AnswerKey::Branches);
    assert!(a.markdown.ends_with("Second part of the answer."), "{:?}", a.markdown);
    assert_clean_except(&r, AnswerKey::Branches);
}

/// Every other answer is still the fixture's own and there are no warnings.
fn assert_clean_except(r: &Report, key: AnswerKey) {
    assert_eq!(r.answers.len(), 31, "{:?}", warnings(r));
    for a in r.answers.iter().filter(|a| a.key != Some(key)) {
        let k = a.key.expect("keyed");
        assert_eq!(a.markdown, answer_for(k));
    }
    assert!(r.warnings.is_empty(), "{:?}", warnings(r));
}

#[test]
fn answer_on_the_answer_line_itself() {
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026).replace(
        &format!("> Answer:\n\n{}", answer_for(AnswerKey::Dvc)),
        "> Answer: We did not use DVC; the data set is small enough for git.",
    );
    let r = parse(&text);
    let a = answer(&r, AnswerKey::Dvc);
    assert_eq!(a.markdown, "We did not use DVC; the data set is small enough for git.");
    assert_eq!(a.words, 13);
    assert!(a.answered);
    assert!(!a.prompt.contains("We did not use"));
    assert_clean_except(&r, AnswerKey::Dvc);
}

#[test]
fn quoted_lines_after_the_answer_line_are_the_answer() {
    // QUESTIONS.md, "What an answer is": a group that writes its answer inside the template's quote block has
    // answered; the quote markers go, the words stay. A line repeating the prompt is the template's, not theirs.
    let prompt = QUESTIONS.iter().find(|q| q.0 == AnswerKey::Dvc).expect("the dvc prompt").1;
    let body = format!(">\n> **{prompt}**\n> We kept our data in DVC.\n>\n> > It lives in a bucket.");
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026)
        .replace(&format!("> Answer:\n\n{}", answer_for(AnswerKey::Dvc)), &format!("> Answer:\n{body}"));
    let r = parse(&text);
    let a = answer(&r, AnswerKey::Dvc);
    assert!(a.answered);
    assert_eq!(a.markdown, "We kept our data in DVC.\n\nIt lives in a bucket.");
    // The checker's word count sees every quoted word and marker after `Answer:`, as before.
    assert_eq!(a.words, body.split_whitespace().count());
    // The answer starts on its first line of the group's own words, after the repeated prompt.
    assert_eq!(a.markdown_line, a.line + 7, "{a:?}");
    assert_clean_except(&r, AnswerKey::Dvc);
}

#[test]
fn a_quote_inside_the_groups_own_answer_is_kept() {
    // Once the group's own text has begun, a `>` line is their formatting (a command set off), not template text.
    let body = "\n\nWe ran the tests with:\n\n> uv run pytest tests/\n\nand all of them passed.\n\n";
    let r = with_answer(AnswerKey::Tests, body);
    let a = answer(&r, AnswerKey::Tests);
    assert_eq!(a.markdown, "We ran the tests with:\n\n> uv run pytest tests/\n\nand all of them passed.");
    assert_clean_except_facts(&r, AnswerKey::Tests);
}

#[test]
fn emphasised_answer_label() {
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026)
        .replace(&format!("> Answer:\n\n{}", answer_for(AnswerKey::Dvc)), "> *Answer:*\n\nNo DVC for us.");
    let r = parse(&text);
    let a = answer(&r, AnswerKey::Dvc);
    assert_eq!(a.markdown, "No DVC for us.");
    // The checker splits on `Answer:`, so the closing `*` is a word to it.
    assert_eq!(a.words, 5);
    assert_clean_except(&r, AnswerKey::Dvc);
}

#[test]
fn html_img_is_an_image_of_kind_html() {
    let body =
        "\n\nOur runs:\n\n<img src=\"figures/wandb_runs.png\" width=\"600\">\n\n![loss curve](figures/loss.png)\n\n";
    let r = with_answer(AnswerKey::Tracking, body);
    let a = answer(&r, AnswerKey::Tracking);
    let images: Vec<_> = a.images.iter().map(|i| (i.target.as_str(), i.kind)).collect();
    assert_eq!(images, [("figures/wandb_runs.png", ImageKind::Html), ("figures/loss.png", ImageKind::Markdown)]);
    // The course checker counts markdown images only.
    assert_eq!(a.checker_images(), 1);
    assert_eq!(a.images[1].alt, "loss curve");
    assert_clean_except(&r, AnswerKey::Tracking);
}

#[test]
fn html_line_breaks_inside_an_answer() {
    let body = "\n\nWe spent 12 dollars.<br>Most of it went to Cloud Run.<br/>\n\n";
    let r = with_answer(AnswerKey::Credits, body);
    let a = answer(&r, AnswerKey::Credits);
    assert_eq!(a.markdown, "We spent 12 dollars.<br>Most of it went to Cloud Run.<br/>");
    assert!(a.answered);
    assert_clean_except_facts(&r, AnswerKey::Credits);
}

/// As [`assert_clean_except`], allowing fact warnings (the fact extractor is not under test here).
fn assert_clean_except_facts(r: &Report, key: AnswerKey) {
    assert_eq!(r.answers.len(), 31, "{:?}", warnings(r));
    for a in r.answers.iter().filter(|a| a.key != Some(key)) {
        assert_eq!(a.markdown, answer_for(a.key.expect("keyed")));
    }
    assert!(r.warnings.iter().all(|w| w.kind == WarningKind::Fact), "{:?}", warnings(r));
}

#[test]
fn html_table_inside_an_answer() {
    // An HTML block runs to the next blank line; a heading right under `</table>` still starts the next question
    // for a reader (and for the course checker, which splits on `###`).
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026).replace(
        &format!("{}\n\n### Question 9", answer_for(AnswerKey::Coverage)),
        "Coverage per module:\n\n<table>\n<tr><td>data</td><td>91%</td></tr>\n<tr><td>model</td><td>75%</td></tr>\n</table>\n### Question 9",
    );
    let r = parse(&text);
    let a = answer(&r, AnswerKey::Coverage);
    assert!(a.markdown.starts_with("Coverage per module:\n\n<table>"), "{:?}", a.markdown);
    assert!(a.markdown.ends_with("</table>"), "{:?}", a.markdown);
    assert_eq!(answer(&r, AnswerKey::Branches).markdown, answer_for(AnswerKey::Branches));
    assert_eq!(r.answers.len(), 31);
}

#[test]
fn a_question_commented_out_stays_out() {
    // A group hid a question of its own in an HTML comment: a reader does not see it.
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026)
        .replace("### Question 9\n", "<!--\n### Question 99\n\n> A question we dropped\n-->\n\n### Question 9\n");
    let r = parse(&text);
    assert_eq!(r.answers.len(), 31);
    assert!(answer(&r, AnswerKey::Coverage).markdown.contains("Question 99"));
    assert!(r.warnings.is_empty(), "{:?}", warnings(&r));
}

#[test]
fn html_div_inside_an_answer() {
    let body = "\n\n<div align=\"center\">\n<img src=\"figures/arch.png\" alt=\"architecture\"/>\n</div>\n\nThe figure shows our pipeline from commit to deployment.\n\n";
    let r = with_answer(AnswerKey::Architecture, body);
    let a = answer(&r, AnswerKey::Architecture);
    assert_eq!(a.images.len(), 1);
    assert_eq!(a.images[0].kind, ImageKind::Html);
    assert_eq!(a.images[0].target, "figures/arch.png");
    assert!(a.markdown.ends_with("from commit to deployment."));
    assert_clean_except(&r, AnswerKey::Architecture);
}

#[test]
fn images_from_web_addresses_and_outside_figures() {
    let body = "\n\n![bucket](https://storage.example.org/shots/bucket.png)\n![second](../docs/images/bucket2.jpg)\n![third](<figures/with space.png>)\n\n";
    let r = with_answer(AnswerKey::Bucket, body);
    let a = answer(&r, AnswerKey::Bucket);
    let targets: Vec<_> = a.images.iter().map(|i| i.target.as_str()).collect();
    assert_eq!(
        targets,
        ["https://storage.example.org/shots/bucket.png", "../docs/images/bucket2.jpg", "figures/with space.png"]
    );
    assert!(a.images.iter().all(|i| i.kind == ImageKind::Markdown));
    // Image targets are not also listed as links.
    assert!(a.links.is_empty(), "{:?}", a.links);
    assert_clean_except(&r, AnswerKey::Bucket);
}

#[test]
fn image_lines_are_lines_in_the_file() {
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026)
        .replace(&answer_for(AnswerKey::Registry), "Here:\n\n![registry](figures/registry.png)");
    let r = parse(&text);
    let want = text.lines().position(|l| l.starts_with("![registry]")).expect("image line") + 1;
    assert_eq!(answer(&r, AnswerKey::Registry).images[0].line, want);
}

#[test]
fn links_in_answers() {
    let body = "\n\nOur workflow: [tests](https://github.com/example/repo/actions/runs/1). See also https://example.org/docs.\n\n";
    let r = with_answer(AnswerKey::Ci, body);
    let a = answer(&r, AnswerKey::Ci);
    assert_eq!(a.links, ["https://github.com/example/repo/actions/runs/1", "https://example.org/docs"]);
}

// ---------------------------------------------------------------------------------------------------------------
// Document structure
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn title_changed() {
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026)
        .replace(TITLE, "# Pet classifier — final hand-in\n\nBy four students.\n\n");
    let r = parse(&text);
    assert_clean(&r, QuestionSet::Q31);
    assert!(r.warnings.is_empty(), "{:?}", warnings(&r));
}

#[test]
fn title_removed() {
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026).replace(TITLE, "");
    let r = parse(&text);
    assert_clean(&r, QuestionSet::Q31);
    assert_eq!(r.generation, ChecklistGeneration::Cl2026);
}

#[test]
fn extra_level_two_section_before_the_checklist() {
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026)
        .replace(TITLE, &format!("{TITLE}## About our project\n\nWe classify birds.\n\n"));
    let r = parse(&text);
    assert_clean(&r, QuestionSet::Q31);
    assert_eq!(r.checklist.len(), 53);
    assert!(r.warnings.is_empty(), "{:?}", warnings(&r));
}

#[test]
fn extra_level_two_section_after_the_last_answer() {
    let mut text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026);
    text.push_str("## Appendix\n\nSome extra plots we liked.\n");
    let r = parse(&text);
    let last = answer(&r, AnswerKey::Contributions);
    // The text after the last question belongs to it, as for the course checker; the reader is told.
    assert!(last.markdown.starts_with(&answer_for(AnswerKey::Contributions)));
    let w: Vec<_> = r.warnings.iter().filter(|w| w.kind == WarningKind::Structure).collect();
    assert_eq!(w.len(), 1, "{:?}", warnings(&r));
    assert!(w[0].message.contains("Appendix"));
    let line = text.lines().position(|l| l == "## Appendix").expect("appendix") + 1;
    assert_eq!(w[0].line, Some(line));
}

#[test]
fn checklist_heading_with_the_groups_own_name() {
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2025)
        .replace("## Overall project checklist", "## Our checklist");
    let r = parse(&text);
    assert_eq!(r.generation, ChecklistGeneration::Cl2025);
    assert_eq!(r.checklist.len(), 52);
    assert!(r.warnings.is_empty(), "{:?}", warnings(&r));
}

#[test]
fn extra_section_named_like_a_checklist_week_after_the_last_answer() {
    let mut text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026);
    text.push_str("## Extra material\n\nLinks we liked.\n");
    let r = parse(&text);
    let w: Vec<_> = r.warnings.iter().filter(|w| w.kind == WarningKind::Structure).collect();
    assert_eq!(w.len(), 1, "{:?}", warnings(&r));
    assert!(w[0].message.contains("Extra material"));
}

#[test]
fn own_level_three_heading_inside_an_answer_stays_in_it() {
    let body = "\n\nWe used two images.\n\n### Training image\n\nIt runs the trainer.\n\n";
    let r = with_answer(AnswerKey::Docker, body);
    let a = answer(&r, AnswerKey::Docker);
    assert!(a.markdown.contains("### Training image") && a.markdown.ends_with("It runs the trainer."));
    assert_clean_except(&r, AnswerKey::Docker);
}

#[test]
fn template_section_headings_end_answers() {
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026)
        .replace("### Question 4\n", "## Coding environment\n\n> Questions about the environment.\n\n### Question 4\n");
    let r = parse(&text);
    assert_clean(&r, QuestionSet::Q31);
    assert!(r.warnings.is_empty(), "{:?}", warnings(&r));
}

#[test]
fn question_missing() {
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026);
    let start = text.find("### Question 12\n").expect("Q12");
    let end = text.find("### Question 13\n").expect("Q13");
    let r = parse(&format!("{}{}", &text[..start], &text[end..]));
    assert_eq!(r.questions, QuestionSet::Q31);
    assert_eq!(r.answers.len(), 30);
    assert!(r.answer(AnswerKey::Configs).is_none());
    let missing: Vec<_> = r.warnings.iter().filter(|w| w.kind == WarningKind::MissingQuestion).collect();
    assert_eq!(missing.len(), 1, "{:?}", warnings(&r));
    assert!(missing[0].message.contains("missing") && missing[0].message.contains("configs"), "{}", missing[0]);
}

#[test]
fn question_duplicated() {
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026);
    let start = text.find("### Question 12\n").expect("Q12");
    let end = text.find("### Question 13\n").expect("Q13");
    let again = text[start..end].replace(&answer_for(AnswerKey::Configs), "A second go at the same question.");
    let text = format!("{}{again}{}", &text[..end], &text[end..]);
    let r = parse(&text);
    assert_eq!(r.answers.len(), 32);
    let dup: Vec<_> = r.warnings.iter().filter(|w| w.kind == WarningKind::DuplicateQuestion).collect();
    assert_eq!(dup.len(), 1, "{:?}", warnings(&r));
    let second = text.match_indices("### Question 12\n").nth(1).map(|(i, _)| text[..i].lines().count() + 1);
    assert_eq!(dup[0].line, second);
    // The first answer is the one the report's key lookups give.
    assert_eq!(answer(&r, AnswerKey::Configs).markdown, answer_for(AnswerKey::Configs));
}

#[test]
fn question_added_by_the_group() {
    let mut text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026);
    text.push_str(&question(32, "Which pet names did you give your servers?", "Rex and Bella."));
    let r = parse(&text);
    assert_eq!(r.questions, QuestionSet::Q31);
    assert_eq!(r.answers.len(), 32);
    let extra = r.answers.last().expect("added answer");
    assert_eq!((extra.key, extra.number, extra.markdown.as_str()), (None, Some(32), "Rex and Bella."));
    let w: Vec<_> = r.warnings.iter().filter(|w| w.kind == WarningKind::ExtraQuestion).collect();
    assert_eq!(w.len(), 1, "{:?}", warnings(&r));
    assert!(w[0].message.contains("not a template question"));
    assert_eq!(w[0].line, Some(extra.line));
}

#[test]
fn added_question_without_a_prompt_is_described_by_its_text() {
    let mut text = report_text(QuestionSet::Q27, ChecklistGeneration::Cl2023);
    text.push_str("### Question 28\nA meme about our project\n\n![meme](figures/meme.gif)\n");
    let r = parse(&text);
    let extra = r.answers.last().expect("added answer");
    assert_eq!(extra.key, None);
    let w = r.warnings.iter().find(|w| w.kind == WarningKind::ExtraQuestion).expect("extra-question warning");
    assert!(w.message.contains("A meme about our project"), "{}", w.message);
}

#[test]
fn questions_renumbered_are_keyed_by_prompt() {
    // A group numbered from 0 and skipped a number: keys still follow the prompts.
    let mut text = format!("{TITLE}{}", checklist(ChecklistGeneration::Cl2026, &[]).0);
    for (i, &(key, prompt, _)) in QUESTIONS.iter().enumerate() {
        let n = if i < 10 { i } else { i + 1 };
        text.push_str(&question(n as u32, prompt, &answer_for(key)));
    }
    let r = parse(&text);
    assert_clean(&r, QuestionSet::Q31);
    assert_eq!(answer(&r, AnswerKey::Tests).number, Some(6));
    assert_eq!(answer(&r, AnswerKey::Contributions).number, Some(31));
}

#[test]
fn questions_reordered_are_keyed_by_prompt() {
    let mut text = format!("{TITLE}{}", checklist(ChecklistGeneration::Cl2026, &[]).0);
    for (i, &(key, prompt, _)) in QUESTIONS.iter().enumerate().rev() {
        text.push_str(&question(i as u32 + 1, prompt, &answer_for(key)));
    }
    let r = parse(&text);
    assert_eq!(r.questions, QuestionSet::Q31);
    assert_eq!(r.answers.first().and_then(|a| a.key), Some(AnswerKey::Contributions));
    assert!(r.answers.iter().all(|a| a.key.is_some_and(|k| a.markdown == answer_for(k))));
    assert!(r.warnings.is_empty(), "{:?}", warnings(&r));
}

#[test]
fn heading_styles_for_questions() {
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026)
        .replace("### Question 2\n", "## Question 2:\n")
        .replace("### Question 3\n", "### **Question 3**\n")
        .replace("### Question 4\n", "#### Q4\n")
        .replace("### Question 5\n", "### Question 5 - structure\n");
    let r = parse(&text);
    assert_clean(&r, QuestionSet::Q31);
    assert_eq!(answer(&r, AnswerKey::Dependencies).number, Some(4));
}

#[test]
fn december_2022_numbered_headings() {
    // The December 2022 drafts: `### 26.` headings, numbers 1-24 then 26-28, no checklist.
    let mut text = String::from("# Exam sheet\n\n");
    let mut n = 0;
    for &(key, prompt, n27) in QUESTIONS {
        if n27.is_none() {
            continue;
        }
        n += 1;
        let shown = if n >= 25 { n + 1 } else { n };
        text.push_str(&format!("### {shown}.\n\n> **{prompt}**\n>\n> Answer:\n\n{}\n\n", answer_for(key)));
    }
    let r = parse(&text);
    assert_clean(&r, QuestionSet::Q27);
    assert_eq!(r.generation, ChecklistGeneration::None);
    assert_eq!(answer(&r, AnswerKey::Architecture).number, Some(26));
    assert_eq!(answer(&r, AnswerKey::Contributions).number, Some(28));
    assert!(r.warnings.is_empty(), "{:?}", warnings(&r));
}

#[test]
fn question_sets_told_apart() {
    assert_eq!(parse(&report_text(QuestionSet::Q27, ChecklistGeneration::None)).questions, QuestionSet::Q27);
    assert_eq!(parse(&report_text(QuestionSet::Q31, ChecklistGeneration::None)).questions, QuestionSet::Q31);
    // A 2025 group on the 27-question template with the new checklist.
    let r = parse(&report_text(QuestionSet::Q27, ChecklistGeneration::Cl2025));
    assert_eq!((r.questions, r.generation), (QuestionSet::Q27, ChecklistGeneration::Cl2025));
}

#[test]
fn word_count_is_whitespace_tokens_of_the_source() {
    let body = "\n\n--- We wrote **7 tests** with `pytest`:\n\n* data: 4\n* model: 3\n\n[run](https://example.org/r/1) ---\n\n";
    let r = with_answer(AnswerKey::Tests, body);
    let a = answer(&r, AnswerKey::Tests);
    // --- We wrote **7 tests** with `pytest`: * data: 4 * model: 3 [run](...) ---
    assert_eq!(a.words, 15);
}

#[test]
fn unclosed_code_fence_swallowing_later_headings_is_recovered() {
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026).replace(
        &answer_for(AnswerKey::Docker),
        "We build with:\n\n```bash\ndocker build -f dockerfiles/train.dockerfile . -t train:latest\n",
    );
    let r = parse(&text);
    assert_eq!(r.answers.len(), 31, "{:?}", warnings(&r));
    let keys: Vec<_> = r.answers.iter().map(|a| a.key).collect();
    assert!(keys.iter().all(Option::is_some));
    let docker = answer(&r, AnswerKey::Docker);
    assert!(docker.markdown.ends_with("-t train:latest"), "{:?}", docker.markdown);
    assert_eq!(answer(&r, AnswerKey::Debugging).markdown, answer_for(AnswerKey::Debugging));
    let structure: Vec<_> = r.warnings.iter().filter(|w| w.kind == WarningKind::Structure).collect();
    assert!(!structure.is_empty(), "a warning tells the reader about the fence");
    let fence_line = text.lines().position(|l| l == "```bash").expect("fence") + 1;
    assert!(structure.iter().all(|w| w.line.is_some_and(|l| l > fence_line)));
}

#[test]
fn unclosed_fence_closed_by_a_later_fence_is_recovered() {
    // The open fence in one answer is "closed" by the opening fence of a later answer, whose closing fence then
    // opens a block that runs to the end: every heading in between is still a question to a reader.
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026)
        .replace(&answer_for(AnswerKey::Docker), "We build with:\n\n```bash\ndocker build .\n")
        .replace(&answer_for(AnswerKey::GcpServices), "We list them with:\n\n```\ngcloud services list\n```");
    let r = parse(&text);
    let keys: Vec<_> = r.answers.iter().map(|a| a.key).collect();
    assert_eq!(keys.len(), 31, "{:?}", warnings(&r));
    assert!(keys.iter().all(Option::is_some));
    assert_eq!(answer(&r, AnswerKey::Debugging).markdown, answer_for(AnswerKey::Debugging));
    assert!(answer(&r, AnswerKey::GcpServices).markdown.contains("gcloud services list"));
    assert_eq!(answer(&r, AnswerKey::Contributions).markdown, answer_for(AnswerKey::Contributions));
    assert!(r.warnings.iter().all(|w| w.kind == WarningKind::Structure && w.message.contains("code block")));
}

#[test]
fn template_section_heading_right_under_html_ends_the_answer() {
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026).replace(
        &format!("{}\n\n### Question 22", answer_for(AnswerKey::BuildHistory)),
        "<div>\n<img src=\"figures/build.png\">\n</div>\n## Deployment\n\n> Questions about deploying.\n\n### Question 22",
    );
    let r = parse(&text);
    let a = answer(&r, AnswerKey::BuildHistory);
    assert!(a.markdown.ends_with("</div>"), "{:?}", a.markdown);
    assert_eq!(a.images.len(), 1);
    assert_eq!(r.answers.len(), 31);
    assert_eq!(r.warnings.len(), 1, "{:?}", warnings(&r));
    assert!(r.warnings[0].message.contains("HTML"));
}

#[test]
fn closed_code_fence_hides_headings_inside_it() {
    let text = report_text(QuestionSet::Q31, ChecklistGeneration::Cl2026)
        .replace(&answer_for(AnswerKey::Configs), "Our config:\n\n```yaml\n# Question 12 settings\nlr: 0.001\n```\n");
    let r = parse(&text);
    assert_clean_except(&r, AnswerKey::Configs);
    assert!(answer(&r, AnswerKey::Configs).markdown.contains("lr: 0.001"));
}

#[test]
fn not_a_report() {
    let err = parse_bytes(Path::new("x/README.md"), b"# A project\n\nJust some text.\n").unwrap_err();
    assert_eq!(err.kind, cohort::domain::ParseErrorKind::NotAReport);
}
