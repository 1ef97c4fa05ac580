//! The number of tests (question `tests`). Candidates are the numbers the scanner finds that count tests ("13 unit
//! tests", "seven tests", "28 test cases", "a model test"), each described by its kind (unit, integration,
//! performance), its subject (data, model, API: a part), a total word near it, and whether it counts parametrised
//! cases. Test names and numbers of test files, modules or types are never candidates. The rules, in order:
//!
//! - a total not said of one subject wins (`stated-total`), unless a part is larger (unclear); "9 unit tests in
//!   total" beside integration and performance tests adds those kinds;
//! - the only count (`sole-figure`);
//! - a whole stated first, not of one subject, with every later count smaller (`whole-before-parts`);
//! - a breakdown: every count once, summed (`sum-of-breakdown`); a count not of one subject that equals the sum of
//!   the others is that whole;
//! - no count: "28 test cases" alone is the count; an answer that is only a number, or says "we implemented 7", is
//!   that number (`bare-number`, the oldest template asks only "How many tests did you implement?").

use super::about::{self, Bound};
use super::scan::{numbers, regex, Scan, With};
use super::{Cand, Decided, Judgement, Verdict};
use crate::domain::FactRule;
use std::ops::Range;

/// Words that may stand between a count and "tests": "13 unit and integration tests", "four key tests".
const TEST_MODIFIERS: &str = "placeholder|dummy|unit|integration|performance|load|automated|automatic|different|distinct|main|key|separate|pytest|style|api|data|model|training|train|simple|additional|more|new|basic|functional|end-to-end|e2e|smoke|active|individual|total|unittest|parametri[sz]ed|parameteri[sz]ed|small|core|important|critical|frontend|backend|sanity|regression|dedicated|test|other|further|extra|passing|implemented|meaningful|comprehensive|specific|custom|simulated|mock";

/// Nouns after "test" that make the count one of something else: "4 test files", "three test modules".
const NOT_TESTS: &str = "files?|modules?|functions?|suites?|scripts?|folders?|classes|types?|categories|sets?|directories|areas|data|images|samples|splits?";

/// A statement of a number of tests.
#[derive(Debug, Clone)]
struct Mention {
    count: u32,
    /// The count as written.
    span: Range<usize>,
    /// The count with its noun ("13 unit tests").
    whole: Range<usize>,
    /// Written "a"/"an": one test named in passing, counted only as part of a breakdown.
    article: bool,
    /// "28 test cases": parametrised instances restating a count, used only when nothing else is stated.
    cases: bool,
    /// Marked as the total ("in total", "a total of", "overall").
    total: bool,
    /// The kind of test when stated: unit, integration, performance.
    kind: Option<&'static str>,
    /// What the tests are about ("3 model tests", "2 tests for the data"): a mention with a subject is a part.
    subject: Option<String>,
    /// "over 200 tests", "more than 30 tests": a lower bound is no count (QUESTIONS.md).
    bound: Option<Bound>,
    /// "a placeholder test": a slot for tests to come, which adds nothing.
    placeholder: bool,
    /// The noun is shared with another count of the sentence ("5 tests for the data and 3 for the model") or left
    /// out of a breakdown ("4 for the data and 2 for the training").
    implied: bool,
}

impl Mention {
    fn read_as(&self) -> String {
        let mut s = if self.article {
            "one test named with an article".to_string()
        } else if self.cases {
            "a count of test cases".to_string()
        } else {
            "a count of tests".to_string()
        };
        if let Some(k) = self.kind {
            s.push_str(&format!(", {k}"));
        }
        if let Some(subject) = &self.subject {
            s.push_str(&format!(", about the {subject}"));
        }
        if self.total {
            s.push_str(", called the total");
        }
        if self.implied {
            s.push_str(", the noun shared with the counts beside it");
        }
        if let Some(b) = self.bound {
            s.push_str(&format!(", {}", b.read_as()));
        }
        if self.placeholder {
            s.push_str(", a placeholder");
        }
        s
    }

    /// Whether the mention can count tests at all: a lower bound and a placeholder cannot.
    fn counts(&self) -> bool {
        self.bound != Some(Bound::Lower) && !self.placeholder
    }
}

pub(super) fn read(scan: &Scan<'_>, explain: bool) -> Decided<u32> {
    // Asides without digits ("(active)", "(uv run pytest --collect-only)") sit between a count and its noun.
    let scan = scan.rewritten(regex!(r"\([^()\d]*\)"), With::Text(" "));
    let mentions = mentions(&scan);
    let mut j = choose(&scan, &mentions);
    if j.cands.is_empty() {
        j.cands = mentions.iter().map(|m| Cand::new(m.span.clone(), m.count, m.read_as())).collect();
    }
    j.quoted(&scan, explain)
}

fn mentions(scan: &Scan<'_>) -> Vec<Mention> {
    let text = &scan.text;
    let noun = regex!(&format!(
        r"(?i)^(?P<mods>(?:[\s/-]+(?:(?:and|or|&)\s+)?(?:{TEST_MODIFIERS}))*)[\s-]+(?P<noun>unit-?tests?|unittests?|test[\s-]?cases?|tests?)\b(?P<tail>[\s-]+(?:{NOT_TESTS})\b)?"
    ));
    let article = regex!(r"(?i)\ban?\b");
    let total_marker = regex!(r"(?i)\b(?:total|overall|altogether|all together|in all)\b");
    let subject_word = regex!(
        r"(?i)\b(data|dataset|dataloader|datamodule|model|models|api|endpoints?|train|training|trainer|frontend|backend|preprocessing|inference|evaluation)\b"
    );
    let subject_mod = regex!(r"(?i)\b(api|data|model|training|train|frontend|backend)\b");
    let member_word = regex!(r"(?i)\b(?:member|student|person|[sc]\d{5,7})\b");
    let all_numbers = numbers(text);
    // "4 tests, one of which is a placeholder"; "1 test that is just a placeholder".
    let placeholders_of = regex!(
        r"(?i)^[^.;]{0,40}?\b(?:(?P<n>one|two|three|\d+)\s+of\s+(?:them|which|these|those)|of\s+which\s+(?P<m>one|two|three|\d+))\s+(?:is|are|being)\s+(?:just\s+|only\s+|merely\s+|still\s+)?(?:an?\s+)?(?:placeholders?|dummy|dummies|empty)\b"
    );
    let placeholder_after = regex!(
        r"(?i)^\W{0,3}(?:that\s+(?:is|are)\s+|which\s+(?:is|are)\s+)?(?:just\s+|only\s+)?(?:an?\s+)?(?:placeholders?|dummy)\b"
    );
    let mut out = Vec::new();
    let mut loose: Vec<Mention> = Vec::new();
    for sentence in scan.sentences() {
        // A sentence that never says "test" counts tests only as a breakdown with the noun left out.
        let words = text[sentence.clone()].as_bytes();
        let says_test = memchr::memmem::find(words, b"est").is_some() || memchr::memmem::find(words, b"EST").is_some();
        let mut counts: Vec<(Range<usize>, Option<u32>)> = all_numbers
            .iter()
            .filter(|n| sentence.contains(&n.span.start) && !n.decimal && n.value <= 9999.0)
            .map(|n| (n.span.clone(), Some(n.value as u32)))
            .collect();
        if says_test {
            counts.extend(
                article
                    .find_iter(&text[sentence.clone()])
                    .map(|m| (sentence.start + m.start()..sentence.start + m.end(), None)),
            );
        }
        counts.sort_by_key(|(r, _)| r.start);
        let mut found: Vec<Mention> = Vec::new();
        let mut implied: Vec<Mention> = Vec::new();
        for (span, count) in counts {
            // The noun is near or nowhere: a cheap look for "test" before the full pattern.
            let after = &text.as_bytes()[span.end..sentence.end.min(span.end + 160)];
            let noun_near = says_test
                && (memchr::memmem::find(after, b"test").is_some()
                    || memchr::memmem::find(after, b"Test").is_some()
                    || memchr::memmem::find(after, b"TEST").is_some());
            let captured = if noun_near { noun.captures(&text[span.end..sentence.end]) } else { None };
            let Some(c) = captured else {
                if let Some(count) = count {
                    implied.extend(implied_part(text, sentence.clone(), span, count));
                }
                continue;
            };
            if c.name("tail").is_some() {
                continue;
            }
            let article = count.is_none();
            let count = count.unwrap_or(1);
            let mods = c["mods"].to_lowercase();
            let noun_text = c["noun"].to_lowercase();
            // "The first one tests that ...": "tests" is the verb there.
            if count == 1 && mods.trim().is_empty() && noun_text.ends_with('s') {
                continue;
            }
            let kind = if noun_text.starts_with("unit") || mods.contains("unit") {
                Some("unit")
            } else if mods.contains("integration") {
                Some("integration")
            } else if mods.contains("performance") || mods.contains("load") {
                Some("performance")
            } else {
                None
            };
            let end = span.end + c.get(0).map_or(0, |m| m.end());
            // What the tests are about: a subject among the words before the noun ("3 model tests"), else in
            // what follows up to the next clause break ("2 tests for the data").
            let after = &text[end..sentence.end];
            let clause = after.split([',', ':', ';', '.', '(']).next().unwrap_or("");
            let clause: String = clause.chars().take(40).collect();
            // Said of one member ("member two wrote 4 tests", "s100001: 3 tests"): a part of a per-member breakdown.
            let clause_before = text[sentence.start..span.start].rsplit([',', ';', '.', '(']).next().unwrap_or("");
            let member = member_word.find(clause_before);
            let subject = subject_mod
                .find(&mods)
                .or_else(|| subject_word.find(&clause))
                .or(member)
                .map(|m| m.as_str().to_lowercase());
            let bound = about::bound(&text[sentence.start..span.start], &text[span.end..sentence.end]);
            // "4 tests, one of which is a placeholder": the placeholders add nothing.
            let rest = &text[end..sentence.end];
            let placeholders = placeholders_of
                .captures(rest)
                .and_then(|p| p.name("n").or(p.name("m")).map(|m| m.as_str().to_lowercase()))
                .map_or(0, |n| match n.as_str() {
                    "one" => 1,
                    "two" => 2,
                    "three" => 3,
                    other => other.parse().unwrap_or(0),
                });
            let placeholder =
                mods.contains("placeholder") || mods.contains("dummy") || placeholder_after.is_match(rest);
            found.push(Mention {
                count: count.saturating_sub(placeholders),
                span: span.clone(),
                whole: span.start..end,
                article,
                cases: noun_text.contains("case"),
                total: false,
                kind,
                subject,
                bound,
                placeholder,
                implied: false,
            });
        }
        // Counts whose noun is shared stand beside a count with the noun; a breakdown with no noun at all needs two
        // parts or more, each said of what it tests.
        let stand_alone = implied.iter().filter(|m| m.subject.is_some()).count() >= 2;
        if !found.is_empty() || stand_alone {
            let no_noun = found.is_empty();
            found.extend(implied.into_iter().filter(|m| !no_noun || m.subject.is_some()));
            found.sort_by_key(|m| m.span.start);
        } else {
            // One part per line ("- 4 for the dataset"): the answer as a whole may still be such a breakdown.
            loose.extend(implied.into_iter().filter(|m| m.subject.is_some()));
        }
        // Each total marker belongs to the nearest count in its sentence.
        for marker in total_marker.find_iter(&text[sentence.clone()]) {
            let (m_start, m_end) = (sentence.start + marker.start(), sentence.start + marker.end());
            let nearest = found
                .iter_mut()
                .filter(|m| !m.article && !m.cases)
                .min_by_key(|m| m.whole.start.abs_diff(m_start).min(m.whole.end.abs_diff(m_end)));
            if let Some(m) = nearest {
                m.total = true;
            }
        }
        out.extend(found);
    }
    if out.is_empty() && loose.len() >= 2 {
        return loose;
    }
    out
}

/// What a test is about, said after a count with no noun: "3 for the model", "two covering the API".
const SUBJECTS: &str = "data|dataset|datasets|dataloaders?|datamodule|data loading|model|models|api|endpoints?|train|training|trainer|frontend|backend|preprocessing|inference|evaluation|utils|utilities|cli|config|configs|pipeline|app|application|server|visuali[sz]ation|metrics|loss|predictions?|prediction";

/// Kinds and subjects a count may carry with the noun left to a later count: "3 data and 2 model tests".
const LISTED_KINDS: &str = "unit|integration|performance|load|e2e|end-to-end|smoke|functional|regression|sanity|api|data|model|training|train|frontend|backend|preprocessing|inference|evaluation";

/// A count whose noun is left out: a part of a breakdown said of what it tests ("3 for the model"), or listed with
/// its kind before a count that carries the noun ("3 unit and 2 integration tests", "10 unit tests and 3
/// integration").
fn implied_part(text: &str, sentence: Range<usize>, span: Range<usize>, count: u32) -> Option<Mention> {
    let after = &text[span.end..sentence.end];
    let before = &text[sentence.start..span.start];
    // Not a version, a price, a share or a time: "Python 3 for the model", "$3 for the API".
    if regex!(r"(?i)(?:[$€£]|\b(?:python|version|v|py|step|epochs?|gpus?|cpus?|top)\s*)$").is_match(before)
        || regex!(r"^(?:[.,]\d|\s*(?:%|percent|x\b|times|minutes?|seconds?|hours?|days?|weeks?|ms|s\b|gb|mb|epochs?))")
            .is_match(after)
    {
        return None;
    }
    let for_subject = regex!(&format!(
        r"(?i)^\s*(?:more\s+|additional\s+|other\s+|extra\s+)?(?:ones?\s+)?(?:for|on|of|in|covering|testing|about|regarding|targeting|concerning|related to|checking)\s+(?:the\s+|our\s+|its\s+)?(?:\w+\s+)?(?P<subject>{SUBJECTS})\b"
    ));
    let listed = regex!(&format!(
        r"(?i)^\s*(?P<kind>{LISTED_KINDS})(?:[\s/-]+(?:{LISTED_KINDS}))*\s*(?:,|\band\b|&|\bor\b|\bas well as\b|\bplus\b|;|\.|\)|$)"
    ));
    let (subject, kind) = if let Some(c) = for_subject.captures(after) {
        (Some(c["subject"].to_lowercase()), None)
    } else if let Some(c) = listed.captures(after) {
        let word = c["kind"].to_lowercase();
        match word.as_str() {
            "unit" => (None, Some("unit")),
            "integration" => (None, Some("integration")),
            "performance" | "load" => (None, Some("performance")),
            "e2e" | "end-to-end" | "smoke" | "functional" | "regression" | "sanity" => (Some(word), None),
            _ => (Some(word), None),
        }
    } else {
        return None;
    };
    Some(Mention {
        count,
        whole: span.clone(),
        span,
        article: false,
        cases: false,
        total: false,
        kind,
        subject,
        bound: None,
        placeholder: false,
        implied: true,
    })
}

/// Applies the rules; every mention becomes a judged candidate.
fn choose(scan: &Scan<'_>, mentions: &[Mention]) -> Judgement<u32> {
    let mut cands: Vec<Cand> = mentions.iter().map(|m| Cand::new(m.span.clone(), m.count, m.read_as())).collect();
    let judge = |cands: &mut Vec<Cand>, i: usize, verdict: Verdict, why: &str| {
        if let Some(c) = cands.get_mut(i) {
            c.verdict = verdict;
            c.why = why.to_string();
        }
    };
    let lose_rest = |cands: &mut Vec<Cand>, why: &str| {
        for c in cands.iter_mut().filter(|c| c.why.is_empty()) {
            c.why = why.to_string();
        }
    };
    for (i, m) in mentions.iter().enumerate() {
        if m.bound == Some(Bound::Lower) {
            judge(&mut cands, i, Verdict::Lost, "a lower bound is no count of tests");
        } else if m.placeholder {
            judge(&mut cands, i, Verdict::Lost, "a placeholder test adds nothing");
        }
    }
    let plain: Vec<usize> = (0..mentions.len()).filter(|&i| !mentions[i].cases && mentions[i].counts()).collect();
    let numbered: Vec<usize> = plain.iter().copied().filter(|&i| !mentions[i].article).collect();
    if numbered.is_empty() && mentions.iter().any(|m| m.bound == Some(Bound::Lower)) {
        // "Over 200 tests": no count is stated, and the bound is no count.
        lose_rest(&mut cands, "a test named with an article is not a count");
        return Judgement::absent(cands);
    }
    if numbered.is_empty() {
        // "28 test cases" alone is the count.
        if let Some(i) = mentions.iter().position(|m| m.cases) {
            judge(&mut cands, i, Verdict::Chosen, "the only count: of test cases");
            lose_rest(&mut cands, "a test named with an article is not a count");
            return Judgement::found(mentions[i].count, FactRule::SoleFigure, vec![mentions[i].span.clone()], cands);
        }
        if let Some((span, n)) = bare_number(scan) {
            let mut c = Cand::new(span.clone(), n, "a number answering how many tests");
            c.verdict = Verdict::Chosen;
            c.why = "bare-number: the answer states a number and nothing else counts tests".into();
            lose_rest(&mut cands, "a test named with an article is not a count");
            cands.push(c);
            return Judgement::found(n, FactRule::BareNumber, vec![span], cands);
        }
        lose_rest(&mut cands, "a test named with an article is not a count");
        return Judgement::absent(cands);
    }
    // A total said of one subject ("in total three tests for the data") is a part like the others.
    if let Some(&t) = numbered.iter().find(|&&i| mentions[i].total && mentions[i].subject.is_none()) {
        let total = &mentions[t];
        if let Some(&p) = numbered.iter().find(|&&i| mentions[i].count > total.count) {
            judge(&mut cands, t, Verdict::Lost, "called the total, but smaller than a part");
            judge(&mut cands, p, Verdict::Lost, "a part larger than the stated total");
            lose_rest(&mut cands, "the stated total and its parts disagree");
            return Judgement::unclear(
                format!(
                    "tests: the stated total ({}) is smaller than one of its parts ({})",
                    total.count, mentions[p].count
                ),
                cands,
            );
        }
        // "9 unit tests in total" beside "2 integration tests" and "1 performance test": that total counts one
        // kind only, so the other kinds are added.
        let others: Vec<usize> = match total.kind {
            Some("unit") => numbered
                .iter()
                .copied()
                .filter(|&i| matches!(mentions[i].kind, Some("integration" | "performance")))
                .collect(),
            _ => vec![],
        };
        judge(&mut cands, t, Verdict::Chosen, "stated-total: called the total, not of one subject");
        for &o in &others {
            judge(&mut cands, o, Verdict::Summed, "another kind than the unit-test total: added");
        }
        lose_rest(&mut cands, "a part or a restatement: the stated total wins");
        let value = total.count + others.iter().map(|&i| mentions[i].count).sum::<u32>();
        let mut parts = vec![total.span.clone()];
        parts.extend(others.iter().map(|&i| mentions[i].span.clone()));
        return Judgement::found(value, FactRule::StatedTotal, parts, cands);
    }
    let first = numbered[0];
    if plain.len() == 1 {
        judge(&mut cands, first, Verdict::Chosen, "sole-figure: the only count of tests");
        lose_rest(&mut cands, "a test named with an article or a count of cases");
        return Judgement::found(
            mentions[first].count,
            FactRule::SoleFigure,
            vec![mentions[first].span.clone()],
            cands,
        );
    }
    // "We implemented 9 tests across three areas" followed by its breakdown: a whole stated first, before parts
    // that are each smaller.
    let first_at = plain.iter().position(|&i| i == first).unwrap_or(0);
    let rest_smaller = plain[first_at + 1..].iter().all(|&i| mentions[i].count < mentions[first].count);
    // "10 unit tests and 3 integration tests": a count of one kind is no whole of another kind.
    let other_kind = mentions[first].kind.is_some()
        && plain[first_at + 1..].iter().any(|&i| mentions[i].kind.is_some_and(|k| Some(k) != mentions[first].kind));
    if mentions[first].subject.is_none() && rest_smaller && !other_kind {
        judge(&mut cands, first, Verdict::Chosen, "whole-before-parts: stated first, every later count smaller");
        lose_rest(&mut cands, "a part of the whole stated before it");
        return Judgement::found(
            mentions[first].count,
            FactRule::WholeBeforeParts,
            vec![mentions[first].span.clone()],
            cands,
        );
    }
    // A breakdown: sum the parts, once each ("2 tests for the model" said twice is one statement).
    let mut parts: Vec<usize> = Vec::new();
    for &i in &plain {
        let m = &mentions[i];
        let repeat = m.subject.is_some()
            && parts.iter().any(|&p| {
                let p = &mentions[p];
                p.count == m.count && p.subject == m.subject && p.kind == m.kind
            });
        if repeat {
            judge(&mut cands, i, Verdict::Lost, "the same part said again");
        } else {
            parts.push(i);
        }
    }
    let sum: u32 = parts.iter().map(|&i| mentions[i].count).sum();
    // A count that says nothing about its subject and equals the sum of all the others is the whole.
    if let Some(&w) =
        parts.iter().find(|&&i| !mentions[i].article && mentions[i].subject.is_none() && 2 * mentions[i].count == sum)
    {
        judge(&mut cands, w, Verdict::Chosen, "whole-before-parts: not of one subject, equal to the sum of the others");
        lose_rest(&mut cands, "a part of that whole");
        return Judgement::found(mentions[w].count, FactRule::WholeBeforeParts, vec![mentions[w].span.clone()], cands);
    }
    for &p in &parts {
        judge(&mut cands, p, Verdict::Summed, "sum-of-breakdown: one part of the breakdown");
    }
    lose_rest(&mut cands, "a count of test cases restates the tests");
    let spans = parts.iter().map(|&i| mentions[i].span.clone()).collect();
    Judgement::found(sum, FactRule::SumOfBreakdown, spans, cands)
}

/// A number answering "how many tests" with no noun: the first sentence is only the number ("14", "**7**",
/// "Seven."), or a sentence ends in it after a verb of making or a label ("We implemented 7.", "Tests: 12").
fn bare_number(scan: &Scan<'_>) -> Option<(Range<usize>, u32)> {
    let text = &scan.text;
    let first = scan.sentences().first()?;
    let n = numbers(text).into_iter().find(|n| !n.decimal && n.value <= 999.0)?;
    let count = n.value as u32;
    let only = regex!(r"^[\s:~.!(),-]*$");
    let sentence = scan.sentence_of(n.span.start);
    let before = &text[sentence.start..n.span.start];
    let after = &text[n.span.end..sentence.end.max(n.span.end)];
    if *first == sentence && only.is_match(before) && only.is_match(after) {
        return Some((n.span, count));
    }
    let said = regex!(
        r"(?i)\b(?:implemented|wrote|written|created|made|have|has|had|are|is|tests?|total|count|number)\W*(?:(?:a total of|about|around|approximately|roughly|~)\s*)?$"
    );
    let ends = regex!(r"(?i)^\s*(?:in total|so far|altogether|overall)?\s*[.!;]?\s*$");
    (said.is_match(before) && ends.is_match(after)).then_some((n.span, count))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::facts::Reading;

    fn tests(md: &str) -> Option<u32> {
        match read(&Scan::new(md, 1), false).reading {
            Reading::Found(v) => Some(v),
            _ => None,
        }
    }

    fn rule(md: &str) -> Option<FactRule> {
        read(&Scan::new(md, 1), false).rule
    }

    #[test]
    fn tests_plain_counts_in_digits_and_words() {
        assert_eq!(tests("We wrote 12 tests for the pipeline."), Some(12));
        assert_eq!(tests("We implemented **seven tests** covering data and model."), Some(7));
        assert_eq!(tests("There are twenty-one unit tests."), Some(21));
        assert_eq!(tests("Overall 9 UNIT tests check the loader."), Some(9));
        assert_eq!(tests("Three unittests exist."), Some(3));
    }

    #[test]
    fn tests_explicit_total_wins_over_breakdown() {
        assert_eq!(tests("In total we have 10 tests: 4 tests for the data and 5 tests for the model."), Some(10));
        assert_eq!(tests("We wrote 3 data tests and 4 model tests, 8 tests in total."), Some(8));
        assert_eq!(
            tests("A total of 6 tests: 1 unit test for data, 2 unit tests for training, 3 unit tests for the API."),
            Some(6)
        );
    }

    #[test]
    fn tests_total_of_one_kind_adds_the_other_kinds() {
        let md = "Our suite holds 5 unit tests in total, plus 2 integration tests and 1 performance test.";
        assert_eq!(tests(md), Some(8));
    }

    #[test]
    fn tests_breakdown_without_total_is_summed() {
        assert_eq!(tests("We have 3 tests for the data and 2 tests for the model."), Some(5));
        assert_eq!(tests("Two tests for the dataset. There is also a model test and a training test."), Some(4));
        assert_eq!(
            tests("We wrote 2 tests for the model and 3 tests for the data. The 2 tests for the model check shapes."),
            Some(5)
        );
    }

    #[test]
    fn tests_breakdown_by_subject_words_before_the_noun() {
        assert_eq!(tests("We wrote 5 model tests, 3 data tests and 2 API tests."), Some(10));
        assert_eq!(rule("We wrote 5 model tests, 3 data tests and 2 API tests."), Some(FactRule::SumOfBreakdown));
    }

    #[test]
    fn tests_whole_stated_before_its_parts() {
        assert_eq!(
            tests("Our 9 tests span three areas:\n- API (2 tests)\n- Data (4 tests)\n- Model (4 tests)"),
            Some(9)
        );
        assert_eq!(tests("We have implemented 6 tests. One test checks the data and a test checks the API."), Some(6));
        assert_eq!(tests("We implemented 6 tests: 2 integration tests for the API and 4 tests for the data."), Some(6));
    }

    #[test]
    fn tests_never_count_files_modules_types_or_names() {
        assert_eq!(tests("We have 4 test files covering the data."), None);
        assert_eq!(tests("We use three kinds of tests: unit, integration and load."), None);
        assert_eq!(tests("We wrote test_data and test_model in 2 modules."), None);
        assert_eq!(tests("We added a model test that checks the output shape."), None);
        assert_eq!(tests("Tests check the data and the model."), None);
    }

    #[test]
    fn tests_parametrised_cases_do_not_compete_with_the_count() {
        assert_eq!(tests("Pytest reports 17 test cases from our 14 tests in total."), Some(14));
        assert_eq!(tests("Pytest collects 30 test cases."), Some(30));
    }

    #[test]
    fn tests_more_wordings() {
        assert_eq!(tests("We implemented 11 total tests for loading and training."), Some(11));
        assert_eq!(tests("We wrote a total of 15 unit and integration tests."), Some(15));
        assert_eq!(tests("We wrote two tests for the data. The second one tests the loader."), Some(2));
        assert_eq!(tests("We have a total\nof 8 tests, run on every push."), Some(8));
        assert_eq!(
            tests("We implemented 5 tests: 2 integration tests for the API, 1 load test and 2 tests for the data."),
            Some(5)
        );
    }

    #[test]
    fn tests_total_of_one_subject_is_a_part() {
        assert_eq!(tests("In total we wrote three tests for the data. For the model, two tests were added."), Some(5));
    }

    #[test]
    fn tests_total_smaller_than_a_part_is_unclear() {
        let r = read(&Scan::new("In total we implemented 2 tests. For the data we wrote five unit tests.", 1), false);
        assert!(matches!(r.reading, Reading::Unclear(_)), "{r:?}");
    }

    #[test]
    fn tests_asides_between_count_and_noun() {
        assert_eq!(tests("There are 40 pytest (collected by CI) style tests."), Some(40));
    }

    #[test]
    fn tests_per_member_counts_are_parts() {
        assert_eq!(tests("Member one wrote 5 tests, member two 3 tests and member three 2 tests."), Some(10));
    }

    #[test]
    fn tests_bare_numbers() {
        assert_eq!(tests("14"), Some(14));
        assert_eq!(rule("**14**"), Some(FactRule::BareNumber));
        assert_eq!(tests("Seven.\n\nThey check the data loader and the model output."), Some(7));
        assert_eq!(tests("We implemented 7."), Some(7));
        assert_eq!(tests("We use pytest with 3 modules."), None);
        assert_eq!(tests("Python 3.11 runs them."), None);
    }
}
