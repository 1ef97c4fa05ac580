//! Conformance with every version of the blank template in ../shared/templates (skipped when absent): the parser
//! must key every question, tell the question set and checklist generation from the file alone, and see every
//! answer as unanswered (a blank template answers nothing, the 2025 keyboard-mash placeholder included).

use cohort::domain::template::{checklist_of, questions_of};
use cohort::domain::{parse_bytes, ChecklistGeneration, QuestionSet};
use std::path::{Path, PathBuf};

fn templates_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/templates");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: {} is absent (the shared templates are not part of the repo)", dir.display());
        None
    }
}

#[test]
fn every_template_version_reads_as_its_own_generation() {
    let Some(dir) = templates_dir() else { return };
    let versions = std::fs::read_to_string(dir.join("VERSIONS.tsv")).expect("VERSIONS.tsv");
    let mut checked = 0;
    for line in versions.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (file, items, questions, kind) = (cols[2], cols[3], cols[4], cols[7]);
        if kind != "README" {
            continue;
        }
        let bytes = std::fs::read(dir.join(file)).expect(file);
        let report = parse_bytes(Path::new(file), &bytes).unwrap_or_else(|e| panic!("{file}: {e}"));
        let set = if questions == "31" { QuestionSet::Q31 } else { QuestionSet::Q27 };
        assert_eq!(report.questions, set, "{file}");
        let keys: Vec<_> = report.answers.iter().map(|a| a.key).collect();
        let expected: Vec<_> = questions_of(set).into_iter().map(Some).collect();
        assert_eq!(keys, expected, "{file}: question keys in template order");
        let generation = match items {
            "0" => ChecklistGeneration::None,
            "36" => ChecklistGeneration::Cl2023,
            "52" => ChecklistGeneration::Cl2025,
            "53" => ChecklistGeneration::Cl2026,
            other => panic!("{file}: unexpected item count {other}"),
        };
        assert_eq!(report.generation, generation, "{file}");
        let ids: Vec<_> = report.checklist.iter().map(|i| i.id).collect();
        let expected: Vec<_> = checklist_of(generation).into_iter().map(Some).collect();
        assert_eq!(ids, expected, "{file}: checklist ids in template order");
        assert!(report.checklist.iter().all(|i| !i.done), "{file}: a blank template ticks nothing");
        let answered: Vec<_> = report.answers.iter().filter(|a| a.answered).map(|a| a.key).collect();
        assert!(answered.is_empty(), "{file}: blank template has answers {answered:?}");
        assert!(
            report.warnings.is_empty(),
            "{file}: a blank template is what the parser expects, yet: {:?}",
            report.warnings.iter().map(ToString::to_string).collect::<Vec<_>>()
        );
        checked += 1;
    }
    assert_eq!(checked, 22, "every README version in VERSIONS.tsv");
}
