//! Fact extraction as candidates and evidence. A fact the report does not state is `None`: never a guess.
//!
//! Each fact is read from the first answer with its key (shared/design/QUESTIONS.md, "Numbers to extract"). The
//! shared scanner (`scan`) turns the answer into plain text that remembers where each byte came from and finds
//! every number in it; each fact's reader (one file per fact) describes each candidate by what surrounds it (its
//! unit, a total word, a member or service it belongs to, a budget, a bound, a range, a list) and decides with the
//! same rules, in this order (docs/facts.md has the full list with examples):
//!
//! 1. **stated-total**: a candidate the answer calls the total ("in total", "overall", "altogether", "a total of",
//!    the TOTAL row of a coverage table) wins;
//! 2. **sole-figure** / **bare-number**: the only candidate of the fact's kind, or an answer that is only a number;
//! 3. **whole-before-parts**: a whole said first, then its parts, each smaller (tests);
//! 4. **group-statement**: what the group says it spent, as a group (credits);
//! 5. **sum-of-breakdown**: a complete breakdown (per kind, per member, per service) summed, in one unit;
//! 6. otherwise nothing, and when the candidates contradict each other (two currencies and no total, a total smaller
//!    than a part) nothing and a warning saying why.
//!
//! Every value carries its [`Provenance`]: the question, the rule, and the sentence and number as written.
//! [`explain_facts`] gives every candidate with the reason it won or lost.

pub(crate) mod scan;

mod about;

mod coverage;
mod credits;
mod group;
mod service;
mod students;
mod test_count;

pub use scan::{numbers, Number, Scan};
pub(crate) use scan::{plain_text, sentences};

use super::model::{Answer, FactProvenance, FactRule, Facts, Provenance, Quote, Warning, WarningKind};
use super::template::AnswerKey;
use serde::Serialize;
use std::ops::Range;

/// Facts and the warnings met while reading them.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    pub facts: Facts,
    pub warnings: Vec<Warning>,
}

/// The outcome of reading one fact.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Reading<T> {
    /// The answer states it.
    Found(T),
    /// The answer states no such number.
    Absent,
    /// The answer states numbers that do not give one value; the reason goes into a warning.
    Unclear(String),
}

/// What became of a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The value is this candidate.
    Chosen,
    /// The value is a sum, and this candidate is one of its parts.
    Summed,
    /// Not the value; `why` says why.
    Lost,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Chosen => "chosen",
            Verdict::Summed => "summed",
            Verdict::Lost => "lost",
        }
    }
}

/// One candidate and the judgement on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// Where it is: line, sentence and number as written.
    pub quote: Quote,
    /// Its value as read ("13", "2.12 USD", "55 (range 50-60)").
    pub value: String,
    /// What its surroundings make of it ("a total", "per member", "a budget", "a bound").
    pub read_as: String,
    pub verdict: Verdict,
    /// Why it won or lost.
    pub why: String,
}

/// A candidate as a reader judges it, before it is quoted.
#[derive(Debug, Clone)]
pub(crate) struct Cand {
    pub span: Range<usize>,
    pub value: String,
    pub read_as: String,
    pub verdict: Verdict,
    pub why: String,
}

impl Cand {
    pub fn new(span: Range<usize>, value: impl ToString, read_as: impl Into<String>) -> Cand {
        Cand { span, value: value.to_string(), read_as: read_as.into(), verdict: Verdict::Lost, why: String::new() }
    }
}

/// A reader's decision with its spans, in the plain text of the scan it read.
#[derive(Debug, Clone)]
pub(crate) struct Judgement<T> {
    pub reading: Reading<T>,
    pub rule: Option<FactRule>,
    /// The spans the value was read from.
    pub parts: Vec<Range<usize>>,
    pub cands: Vec<Cand>,
}

impl<T> Judgement<T> {
    pub fn absent(cands: Vec<Cand>) -> Self {
        Judgement { reading: Reading::Absent, rule: None, parts: vec![], cands }
    }

    pub fn unclear(why: String, cands: Vec<Cand>) -> Self {
        Judgement { reading: Reading::Unclear(why), rule: None, parts: vec![], cands }
    }

    pub fn found(value: T, rule: FactRule, parts: Vec<Range<usize>>, cands: Vec<Cand>) -> Self {
        Judgement { reading: Reading::Found(value), rule: Some(rule), parts, cands }
    }

    /// Quotes the parts (and, when explaining, every candidate) from the scan that was read.
    pub fn quoted(self, scan: &Scan<'_>, explain: bool) -> Decided<T> {
        let parts = self.parts.iter().map(|p| scan.quote(p.clone())).collect();
        let candidates = if explain {
            self.cands
                .into_iter()
                .map(|c| Candidate {
                    quote: scan.quote(c.span),
                    value: c.value,
                    read_as: c.read_as,
                    verdict: c.verdict,
                    why: c.why,
                })
                .collect()
        } else {
            vec![]
        };
        Decided { reading: self.reading, rule: self.rule, parts, candidates }
    }
}

/// A decision on one fact, quoted.
#[derive(Debug, Clone)]
pub(crate) struct Decided<T> {
    pub reading: Reading<T>,
    pub rule: Option<FactRule>,
    pub parts: Vec<Quote>,
    pub candidates: Vec<Candidate>,
}

impl<T> Decided<T> {
    fn absent() -> Self {
        Decided { reading: Reading::Absent, rule: None, parts: vec![], candidates: vec![] }
    }
}

/// One fact explained: its value and rule, or why it has none, and every candidate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactExplanation {
    /// `group`, `students`, `tests`, `coverage`, `credits`, `most_expensive_service`.
    pub fact: &'static str,
    /// The answer read (canonical key), when the report has it answered.
    pub question: Option<&'static str>,
    pub value: Option<String>,
    pub rule: Option<FactRule>,
    /// Why there is no value (nothing stated, or what contradicts).
    pub note: Option<String>,
    pub candidates: Vec<Candidate>,
}

/// Facts are read from the first this-many bytes of an answer: the template asks for a few hundred words, and a
/// pasted log of megabytes must not make reading quadratic.
const MAX_FACT_TEXT: usize = 20_000;

/// The first answer with `key` when it is filled in, with its markdown (at most [`MAX_FACT_TEXT`] bytes).
fn answer_for(answers: &[Answer], key: AnswerKey) -> Option<(&Answer, &str)> {
    answers.iter().find(|a| a.key == Some(key)).filter(|a| a.answered).map(|a| {
        let end = scan::floor_boundary(&a.markdown, MAX_FACT_TEXT);
        (a, &a.markdown[..end])
    })
}

/// All decisions of a report.
struct Decisions {
    group: (Option<AnswerKey>, Decided<u32>),
    students: (Option<AnswerKey>, Decided<Vec<String>>),
    tests: (Option<AnswerKey>, Decided<u32>),
    coverage: (Option<AnswerKey>, Decided<f64>),
    credits: (Option<AnswerKey>, Decided<super::model::CreditsSpent>),
    service: (Option<AnswerKey>, Decided<String>),
}

fn decide(answers: &[Answer], explain: bool) -> Decisions {
    // Reads one answer with `read`; an unanswered question gives nothing.
    fn read<T>(
        answers: &[Answer],
        key: AnswerKey,
        read: impl FnOnce(&Scan<'_>, bool) -> Decided<T>,
        explain: bool,
    ) -> (Option<AnswerKey>, Decided<T>) {
        match answer_for(answers, key) {
            Some((a, md)) => {
                let scan = Scan::new(md, a.markdown_line.max(a.line));
                (Some(key), read(&scan, explain))
            }
            None => (None, Decided::absent()),
        }
    }
    let mut students =
        read(answers, AnswerKey::Students, |s, e| students::read(s, FactRule::IdsListed).quoted(s, e), explain);
    if !matches!(students.1.reading, Reading::Found(_)) {
        // Some groups leave question 2 empty but name every member by id in the contributions answer.
        let fallback = read(
            answers,
            AnswerKey::Contributions,
            |s, e| students::read(s, FactRule::IdsInContributions).quoted(s, e),
            explain,
        );
        if matches!(fallback.1.reading, Reading::Found(_)) {
            students = fallback;
        }
    }
    let members = match &students.1.reading {
        Reading::Found(ids) => ids.len(),
        _ => 0,
    };
    // The credits answer holds two facts: one scan for both.
    let (credits, service) = match answer_for(answers, AnswerKey::Credits) {
        Some((a, md)) => {
            let scan = Scan::new(md, a.markdown_line.max(a.line));
            let key = Some(AnswerKey::Credits);
            ((key, credits::read(&scan, members, explain)), (key, service::read(&scan).quoted(&scan, explain)))
        }
        None => ((None, Decided::absent()), (None, Decided::absent())),
    };
    Decisions {
        group: read(answers, AnswerKey::Group, |s, e| group::read(s).quoted(s, e), explain),
        students,
        tests: read(answers, AnswerKey::Tests, test_count::read, explain),
        coverage: read(answers, AnswerKey::Coverage, coverage::read, explain),
        credits,
        service,
    }
}

/// The value of a decision and its provenance; an unclear reading becomes a warning.
fn settle<T>(
    (key, d): (Option<AnswerKey>, Decided<T>),
    warnings: &mut Vec<Warning>,
) -> (Option<T>, Option<Provenance>) {
    match d.reading {
        Reading::Found(v) => {
            let provenance = match (key, d.rule) {
                (Some(key), Some(rule)) => Provenance::new(key.as_str(), rule, d.parts),
                _ => None,
            };
            (Some(v), provenance)
        }
        Reading::Absent => (None, None),
        Reading::Unclear(message) => {
            let line = d.parts.first().map(|q| q.line);
            warnings.push(Warning { line, kind: WarningKind::Fact, message });
            (None, None)
        }
    }
}

/// Reads the facts from a report's answers.
pub fn extract_facts(answers: &[Answer]) -> Extracted {
    let d = decide(answers, false);
    let mut warnings = Vec::new();
    let (group, group_p) = settle(d.group, &mut warnings);
    let (students, students_p) = settle(d.students, &mut warnings);
    let (tests, tests_p) = settle(d.tests, &mut warnings);
    let (coverage, coverage_p) = settle(d.coverage, &mut warnings);
    let (credits, credits_p) = settle(d.credits, &mut warnings);
    let (service, service_p) = settle(d.service, &mut warnings);
    let facts = Facts {
        group,
        students: students.unwrap_or_default(),
        tests,
        coverage,
        credits,
        most_expensive_service: service,
        provenance: FactProvenance {
            group: group_p,
            students: students_p,
            tests: tests_p,
            coverage: coverage_p,
            credits: credits_p,
            most_expensive_service: service_p,
        },
    };
    Extracted { facts, warnings }
}

/// Every fact with every candidate the readers saw and why it won or lost: what `cohort show --explain` prints.
pub fn explain_facts(answers: &[Answer]) -> Vec<FactExplanation> {
    fn one<T>(
        fact: &'static str,
        (key, d): (Option<AnswerKey>, Decided<T>),
        show: impl Fn(&T) -> String,
    ) -> FactExplanation {
        let (value, note) = match &d.reading {
            Reading::Found(v) => (Some(show(v)), None),
            Reading::Absent if key.is_none() => (None, Some("the question is missing or unanswered".to_string())),
            Reading::Absent => (None, Some("no candidate is the fact".to_string())),
            Reading::Unclear(why) => (None, Some(why.clone())),
        };
        FactExplanation {
            fact,
            question: key.map(AnswerKey::as_str),
            value,
            rule: d.rule,
            note,
            candidates: d.candidates,
        }
    }
    let d = decide(answers, true);
    vec![
        one("group", d.group, u32::to_string),
        one("students", d.students, |ids| ids.join(", ")),
        one("tests", d.tests, u32::to_string),
        one("coverage", d.coverage, |c| format!("{c}%")),
        one("credits", d.credits, |c| format!("{} {}", c.amount, c.unit)),
        one("most_expensive_service", d.service, String::clone),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn answer(key: AnswerKey, markdown: &str) -> Answer {
        Answer {
            key: Some(key),
            number: None,
            line: 1,
            prompt: String::new(),
            markdown: markdown.to_string(),
            words: markdown.split_whitespace().count(),
            images: vec![],
            links: vec![],
            answered: true,
            markdown_line: 2,
        }
    }

    #[test]
    fn unanswered_answers_give_no_facts() {
        let mut a = answer(AnswerKey::Tests, "--- question 7 fill here ---");
        a.answered = false;
        assert_eq!(extract_facts(&[a]).facts, Facts::default());
    }

    #[test]
    fn the_first_answer_with_a_key_is_read() {
        let answers = [answer(AnswerKey::Group, "Group 4"), answer(AnswerKey::Group, "Group 5")];
        assert_eq!(extract_facts(&answers).facts.group, Some(4));
    }

    #[test]
    fn unclear_facts_warn() {
        let answers = [answer(AnswerKey::Credits, "Altogether 20 DKK and 3 dollars were spent.")];
        let out = extract_facts(&answers);
        assert_eq!(out.facts.credits, None);
        assert_eq!(out.warnings.len(), 1);
        assert_eq!(out.warnings[0].kind, WarningKind::Fact);
    }

    #[test]
    fn students_fall_back_to_contributions() {
        let answers = [
            answer(AnswerKey::Students, "the four of us"),
            answer(AnswerKey::Contributions, "s100001 did the data, s100002 the model; s100001 also wrote docs."),
        ];
        let facts = extract_facts(&answers).facts;
        assert_eq!(facts.students, vec!["s100001", "s100002"]);
        assert_eq!(facts.provenance.students.map(|p| p.rule), Some(FactRule::IdsInContributions));
    }

    #[test]
    fn every_value_has_its_sentence_line_and_rule() {
        let answers = [
            answer(AnswerKey::Tests, "Some words first.\nWe have 3 tests for the data and **2 tests** for the model."),
            answer(AnswerKey::Coverage, "The total coverage is $78\\%$."),
        ];
        let facts = extract_facts(&answers).facts;
        assert_eq!(facts.tests, Some(5));
        let p = facts.provenance.tests.expect("tests provenance");
        assert_eq!(p.rule, FactRule::SumOfBreakdown);
        assert_eq!(p.question, "tests");
        assert_eq!(p.line, 3);
        assert_eq!(p.parts.len(), 2);
        assert!(p.parts.iter().all(|q| q.sentence.contains(&q.written)), "{p:?}");
        assert_eq!(p.parts[1].written, "2");
        assert!(p.parts[1].sentence.contains("**2 tests**"));
        let c = facts.provenance.coverage.expect("coverage provenance");
        assert_eq!((c.rule, c.written.as_str(), c.line), (FactRule::StatedTotal, "78", 2));
    }

    #[test]
    fn explain_lists_every_candidate_with_its_verdict() {
        let answers = [answer(
            AnswerKey::Credits,
            "We got $50 of free credits. Compute Engine cost $4.10 and Cloud Storage $0.40. In total we spent $4.50.",
        )];
        let explained = explain_facts(&answers);
        let credits = explained.iter().find(|e| e.fact == "credits").expect("credits explained");
        assert_eq!(credits.value.as_deref(), Some("4.5 USD"));
        assert_eq!(credits.rule, Some(FactRule::StatedTotal));
        let verdicts: Vec<(&str, Verdict)> =
            credits.candidates.iter().map(|c| (c.quote.written.as_str(), c.verdict)).collect();
        assert_eq!(
            verdicts,
            [("$50", Verdict::Lost), ("$4.10", Verdict::Lost), ("$0.40", Verdict::Lost), ("$4.50", Verdict::Chosen)]
        );
        assert!(credits.candidates[0].why.contains("budget"), "{:?}", credits.candidates[0]);
    }
}
