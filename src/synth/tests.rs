//! The generator's own checks: its texts are recognised, its tables complete, its reports round-trip.

use super::*;
use crate::domain::template::{identify_checklist_item, identify_question, normalise_for_matching};

#[test]
fn prompts_identify_their_keys() {
    for &cohort in Cohort::ALL {
        for key in questions_of(cohort.questions()) {
            let p = prompt(cohort, key);
            assert!(!p.is_empty(), "{cohort} {key}: no prompt");
            assert_eq!(identify_question(&normalise_for_matching(p)), Some(key), "{cohort}: {p}");
        }
    }
    assert_eq!(identify_question(&normalise_for_matching(EXTRA_PROMPT)), None);
    // The 2026 package question is what tells a 2026 report without its checklist.
    let says_2026 = |c: Cohort| {
        let p = normalise_for_matching(prompt(c, K::Packages));
        template::PACKAGES_2026_PHRASES.iter().any(|phrase| p.contains(phrase))
    };
    assert!(says_2026(Cohort::Y2026));
    assert!(!says_2026(Cohort::Y2025) && !says_2026(Cohort::Y2023_24));
}

#[test]
fn checklist_texts_identify_their_items() {
    for g in [ChecklistGeneration::Cl2023, ChecklistGeneration::Cl2025, ChecklistGeneration::Cl2026] {
        for id in checklist_of(g) {
            let text = item_text(id, g);
            assert_eq!(identify_checklist_item(&normalise_for_matching(&text)), Some(id), "{g}: {text}");
            let tagged = text.ends_with(')') && text.contains("(M");
            assert_eq!(tagged, g != ChecklistGeneration::Cl2023 && checklist_item(id).module.is_some(), "{text}");
            // Wrapped and joined again, as a parser joins continuation lines.
            if let Some(at) = wrap_point(&text) {
                let joined = format!("{} {}", &text[..at], &text[at + 1..]);
                assert_eq!(joined, text);
            }
        }
    }
}

#[test]
fn tables_cover_every_item_and_key() {
    for &id in ChecklistId::ALL {
        assert_eq!(COMPLETION.iter().filter(|(i, _)| *i == id).count(), 1, "{id} in COMPLETION");
        assert_eq!(ITEM_TEXT.iter().filter(|(i, _)| *i == id).count(), 1, "{id} in ITEM_TEXT");
    }
    for &key in AnswerKey::ALL {
        assert_eq!(PROMPTS.iter().filter(|(k, _)| *k == key).count(), 1, "{key} in PROMPTS");
    }
    for title in SECTION_TITLES {
        assert!(template::SECTIONS.contains(&title.to_lowercase().as_str()), "{title}");
    }
}

/// The sentences an answer to `key` can contain when the group did not do `id` must never name the tool, and
/// when it did, a lead block that only applies then must name it in every alternative.
#[test]
fn tool_mentions_follow_the_profile() {
    for &(key, id, word) in TOOL_MENTIONS {
        let mut named = false;
        for b in LINES.iter().filter(|b| b.key == key) {
            let needs_item = b.when.did.contains(&id);
            if needs_item && b.lead > 0 && b.sentences.iter().all(|s| s.to_lowercase().contains(word)) {
                named = true;
            }
            if !needs_item {
                for s in b.sentences {
                    assert!(!s.to_lowercase().contains(word), "{key}/{id}: {s:?} names {word}");
                }
            }
        }
        assert!(named, "{key}: no lead block naming {word} when {id} is done");
        for s in GENERIC.iter().chain(MOJIBAKE_SENTENCES) {
            assert!(!s.to_lowercase().contains(word), "{s:?} names {word}");
        }
    }
}

/// Answers stating a fact must hold no other number, so the truth is unambiguous.
#[test]
fn fact_answers_hold_no_stray_numbers() {
    let fact_keys = [K::Tests, K::Coverage, K::Credits];
    let pools = LINES.iter().filter(|b| fact_keys.contains(&b.key)).flat_map(|b| b.sentences.iter());
    let other = GENERIC.iter().chain(CREDITS_UNSTATED).chain(EXPENSIVE_FORMS);
    for s in pools.chain(other).chain(EXPENSIVE.iter().map(|(_, _, why)| why)) {
        assert!(!s.chars().any(|c| c.is_ascii_digit()), "{s:?}");
        for w in s.split(|c: char| !c.is_alphanumeric()) {
            assert!(!crate::domain::number_words::is_number_word(w), "{s:?} has {w:?}");
        }
    }
}

#[test]
fn placeholders_all_expand() {
    let b = Builder::new(Rng::new(1), Cohort::Y2025, 3, vec!["s230001".into()]);
    let all = LINES.iter().flat_map(|l| l.sentences.iter()).chain(ARCHITECTURE_STEPS.iter().map(|(_, s)| s));
    for s in all {
        assert!(!b.expand(s).contains('{'), "{s}");
    }
}

#[test]
fn same_seed_same_cohort() {
    let spec = CohortSpec { seed: 11, reports: 25, cohort: None, quirks: true };
    assert_eq!(generate(&spec), generate(&spec));
    let other = generate(&CohortSpec { seed: 12, ..spec.clone() });
    assert_ne!(generate(&spec)[0].markdown, other[0].markdown);
}

#[test]
fn cohorts_and_quirks() {
    let spec = CohortSpec { seed: 5, reports: 40, cohort: Some(Cohort::Y2026), quirks: false };
    for r in generate(&spec) {
        assert_eq!(r.truth.questions, QuestionSet::Q31);
        assert_eq!(r.truth.generation, ChecklistGeneration::Cl2026);
        assert!(r.truth.quirks.is_empty());
        assert!(r.id.starts_with("group_"));
    }
    let ids: BTreeSet<String> = generate(&spec).into_iter().map(|r| r.id).collect();
    assert_eq!(ids.len(), 40, "ids are distinct");
    assert_eq!("2024".parse::<Cohort>(), Ok(Cohort::Y2023_24));
    assert!("1999".parse::<Cohort>().is_err());
    let names: BTreeSet<&str> = Quirk::NAMES.iter().copied().collect();
    assert_eq!(names.len(), KINDS.len());
}

#[test]
fn wrapping_never_starts_structure() {
    let text = "We ran - and then * things # and 12. items > quoted and --- rules";
    for line in wrap_words(text, 8).iter().skip(1) {
        assert!(!starts_structure(line.split_whitespace().next().unwrap_or("")), "{line:?}");
    }
}

#[test]
fn tiny_png_is_a_png() {
    assert_eq!(&TINY_PNG[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&TINY_PNG[TINY_PNG.len() - 8..TINY_PNG.len() - 4], b"IEND");
}

#[test]
fn generated_reports_parse() {
    let spec = CohortSpec { seed: 3, reports: 30, cohort: None, quirks: true };
    for r in generate(&spec) {
        let parsed = crate::domain::parse_bytes(Path::new("README.md"), r.markdown.as_bytes());
        assert!(parsed.is_ok(), "{}: {:?}", r.id, parsed.err());
    }
}
