//! Near-duplicate answers across groups and years: the algorithm behind `cohort dupes`, with no storage or
//! terminal in it.
//!
//! Per question key, every answer becomes the set of its word shingles (`w` consecutive normalised words, see
//! [`text`]). Candidates come from an inverted index rather than MinHash banding: all (shingle, answer) entries of
//! a question are sorted by shingle, and each run of equal shingles names the answers sharing it. A shingle found
//! in more than `max_reports` reports is common text (template wording, stock phrases) and is ignored, as MOSS's
//! `-m` does; every other run yields its answer pairs, so the work is at most `max_reports²/2` per shingle,
//! linear in the number of answers. Counting the pairs gives the exact number of shared shingles, so there is no
//! sampling error to verify away and no blind spot for a copied half inside an otherwise own answer (MinHash
//! estimates Jaccard, which such an answer keeps low). Each pair is then scored exactly:
//!
//! - containment = shared / the smaller answer's shingles (finds partial copies),
//! - Jaccard = shared / all shingles of the two,
//!
//! both over shingles that are not masked (common, or in the `--base` template text). Answers with fewer than
//! `min_words` words outside masked text are not compared.

pub mod figures;
pub mod run;
pub mod text;

use crate::domain::AnswerKey;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

/// Tuning of the search. The defaults were chosen on planted corpora (see BENCHMARKS.md, "Duplicates").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Words per shingle.
    pub shingle: usize,
    /// Shingles found (in one question's answers) in more than this many reports are common text and ignored.
    pub max_reports: usize,
    /// Answers with fewer words outside masked text are not compared.
    pub min_words: usize,
    /// A pair is reported when its containment reaches this and it shares `min_shared_words` words ...
    pub min_similarity: f64,
    pub min_shared_words: usize,
    /// ... or when it shares one passage of this many consecutive words, down to
    /// [`PASSAGE_FLOOR`] × `min_similarity`: a copied paragraph inside a long own answer keeps containment low.
    pub min_passage: usize,
}

/// How far below `min_similarity` a pair sharing a long passage is still reported.
pub const PASSAGE_FLOOR: f64 = 0.6;

impl Settings {
    /// The defaults: on the course's reports with planted copies (four seeds, 240 pairs) they found 99% of the
    /// copies and reported nothing else; see BENCHMARKS.md.
    pub const DEFAULT: Settings = Settings {
        shingle: 5,
        max_reports: 5,
        min_words: 25,
        min_similarity: 0.25,
        min_shared_words: 15,
        min_passage: 20,
    };
}

impl Default for Settings {
    fn default() -> Self {
        Settings::DEFAULT
    }
}

/// What the search needs to know of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportMeta {
    pub id: String,
    pub cohort: String,
    pub group: Option<u32>,
    pub students: Vec<String>,
    /// An earlier cohort (`--against`): compared with the others, never among themselves.
    pub earlier: bool,
}

impl ReportMeta {
    /// Whether two reports are the same group's (two versions of one report, or a group's report in two
    /// cohorts): they name a common student, or carry the same group number, unless both list their students
    /// and the cohorts differ without a common one (group numbers are reused every year).
    pub fn same_group(&self, other: &ReportMeta) -> bool {
        if self.students.iter().any(|s| other.students.contains(s)) {
            return true;
        }
        match (self.group, other.group) {
            (Some(a), Some(b)) if a == b => {
                self.cohort == other.cohort || self.students.is_empty() || other.students.is_empty()
            }
            _ => false,
        }
    }
}

/// One answer as the search sees it.
#[derive(Debug, Clone)]
pub struct AnswerText {
    /// Index of its report in [`Corpus::reports`].
    pub report: usize,
    pub key: AnswerKey,
    /// The question's number as the report writes it.
    pub number: Option<u32>,
    /// Normalised word hashes ([`text::words`]).
    pub words: Vec<u32>,
}

/// The reports and answers to search.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    pub reports: Vec<ReportMeta>,
    pub answers: Vec<AnswerText>,
}

impl Corpus {
    /// Adds a report and its answers (key, number as written, markdown); returns the report's index.
    pub fn add<'a>(
        &mut self,
        meta: ReportMeta,
        answers: impl IntoIterator<Item = (AnswerKey, Option<u32>, &'a str)>,
    ) -> usize {
        let report = self.reports.len();
        self.reports.push(meta);
        for (key, number, markdown) in answers {
            self.answers.push(AnswerText { report, key, number, words: text::words(markdown) });
        }
        report
    }

    /// Appends another corpus (built on another thread), keeping its reports' answers with them.
    pub fn append(&mut self, other: Corpus) {
        let offset = self.reports.len();
        self.reports.extend(other.reports);
        self.answers.extend(other.answers.into_iter().map(|mut a| {
            a.report += offset;
            a
        }));
    }
}

/// Shingle hashes are already well mixed, so sets of them skip hashing again.
#[derive(Debug, Clone, Copy, Default)]
pub struct ShingleHasher(u64);

impl Hasher for ShingleHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A set of shingle hashes.
pub type ShingleSet = HashSet<u64, BuildHasherDefault<ShingleHasher>>;

/// The shingles of template text (`--base` files): never evidence of copying.
pub fn base_shingles<'a>(texts: impl IntoIterator<Item = &'a str>, settings: &Settings) -> ShingleSet {
    texts.into_iter().flat_map(|t| text::shingles(&text::words(t), settings.shingle)).collect()
}

crate::string_enum! {
    /// How two answers overlap.
    pub Kind {
        /// The same text (Jaccard ≥ 0.9).
        Exact = "exact",
        /// Mostly the same text, edited or reordered.
        Near = "near",
        /// A passage of one answer inside the other's own text (Jaccard well below containment).
        Partial = "partial",
    }
}

impl Kind {
    fn of(containment: f64, jaccard: f64) -> Kind {
        if jaccard >= 0.9 {
            Kind::Exact
        } else if jaccard < 0.6 * containment {
            Kind::Partial
        } else {
            Kind::Near
        }
    }
}

/// A pair of answers to the same question that share text.
#[derive(Debug, Clone)]
pub struct Pair {
    /// Indices in [`Corpus::answers`]; `a`'s report is never an earlier cohort's when `b`'s is not.
    pub a: usize,
    pub b: usize,
    pub key: AnswerKey,
    /// Shared shingles / the smaller answer's shingles.
    pub containment: f64,
    /// Shared shingles / the union of both answers' shingles.
    pub jaccard: f64,
    pub shared_shingles: usize,
    /// Words inside shared passages (the smaller count of the two answers).
    pub shared_words: usize,
    /// Words of the longest shared passage (the smaller of the two answers' longest).
    pub longest: usize,
    /// Words of each answer outside masked text.
    pub words_a: usize,
    pub words_b: usize,
    pub same_group: bool,
    pub kind: Kind,
    /// The shared passages as word-index ranges into each answer's [`text::words`].
    pub passages_a: Vec<Range<usize>>,
    pub passages_b: Vec<Range<usize>>,
}

impl Pair {
    /// The ranking score: containment (a copied half is as suspicious as a copied whole).
    pub fn similarity(&self) -> f64 {
        self.containment
    }
}

/// What a search found, and what it ignored.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Most similar first.
    pub pairs: Vec<Pair>,
    /// Distinct shingles ignored as common text, summed over questions.
    pub common_shingles: usize,
    /// The shingles ignored as common text, per question: kept by a focused search (a close look at two reports,
    /// which shows that text as template text), empty otherwise.
    pub common: HashMap<AnswerKey, ShingleSet>,
}

/// Restricts a search to the answers of two reports (for `--show`), by report index.
pub type Focus = Option<(usize, usize)>;

/// Finds the pairs of answers to the same question from different reports that share text, using `threads`
/// worker threads (one question at a time each).
pub fn find(corpus: &Corpus, base: &ShingleSet, settings: &Settings, focus: Focus, threads: usize) -> Outcome {
    let mut by_key: HashMap<AnswerKey, Vec<usize>> = HashMap::new();
    for (i, a) in corpus.answers.iter().enumerate() {
        // Every answer counts towards what is common text, so a focused search sees all of them too.
        by_key.entry(a.key).or_default().push(i);
    }
    // Largest questions first, so the last one to finish is a small one.
    let mut keys: Vec<(AnswerKey, Vec<usize>)> = by_key.into_iter().collect();
    keys.sort_by_key(|(k, v)| (std::cmp::Reverse(v.iter().map(|&i| corpus.answers[i].words.len()).sum::<usize>()), *k));
    let results = crate::parallel::map_in_order_on(threads.max(1), &keys, |(key, answers)| {
        QuestionSearch::new(corpus, *key, answers, base, settings, focus).run()
    });
    let mut outcome = Outcome::default();
    for ((key, _), (pairs, common)) in keys.iter().zip(results) {
        outcome.pairs.extend(pairs);
        outcome.common_shingles += common.len();
        if focus.is_some() {
            outcome.common.insert(*key, common);
        }
    }
    let id = |answer: usize| corpus.reports[corpus.answers[answer].report].id.as_str();
    outcome.pairs.sort_by(|x, y| {
        y.similarity()
            .total_cmp(&x.similarity())
            .then(y.shared_words.cmp(&x.shared_words))
            .then(x.key.cmp(&y.key))
            .then_with(|| (id(x.a), id(x.b)).cmp(&(id(y.a), id(y.b))))
    });
    outcome
}

/// The search over one question's answers.
struct QuestionSearch<'a> {
    corpus: &'a Corpus,
    key: AnswerKey,
    /// Corpus answer indices; the search numbers them locally by position here.
    answers: &'a [usize],
    base: &'a ShingleSet,
    settings: &'a Settings,
    focus: Focus,
    /// Shingles ignored as common text.
    common: ShingleSet,
    /// Distinct unmasked shingles per local answer.
    distinct: Vec<u32>,
    /// Words outside masked text per local answer, computed when first needed.
    evidence: Vec<Option<usize>>,
}

impl<'a> QuestionSearch<'a> {
    fn new(
        corpus: &'a Corpus,
        key: AnswerKey,
        answers: &'a [usize],
        base: &'a ShingleSet,
        settings: &'a Settings,
        focus: Focus,
    ) -> Self {
        QuestionSearch {
            corpus,
            key,
            answers,
            base,
            settings,
            focus,
            common: ShingleSet::default(),
            distinct: vec![0; answers.len()],
            evidence: vec![None; answers.len()],
        }
    }

    fn answer(&self, local: usize) -> &'a AnswerText {
        &self.corpus.answers[self.answers[local]]
    }

    fn report(&self, local: usize) -> &'a ReportMeta {
        &self.corpus.reports[self.answer(local).report]
    }

    fn masked(&self, shingle: u64) -> bool {
        self.common.contains(&shingle) || self.base.contains(&shingle)
    }

    /// Whether two answers' reports are to be compared at all.
    fn comparable(&self, x: usize, y: usize) -> bool {
        let (rx, ry) = (self.answer(x).report, self.answer(y).report);
        if rx == ry || (self.corpus.reports[rx].earlier && self.corpus.reports[ry].earlier) {
            return false;
        }
        self.focus.map_or(true, |f| f == (rx, ry) || f == (ry, rx))
    }

    fn run(mut self) -> (Vec<Pair>, ShingleSet) {
        let counts = self.count_shared();
        let mut pairs = Vec::new();
        for (x, y, shared) in counts {
            if let Some(p) = self.verify(x, y, shared) {
                pairs.push(p);
            }
        }
        (pairs, self.common)
    }

    /// Every pair of comparable answers sharing at least one shingle that is not common text, with the number
    /// of distinct shingles they share. Fills `common` and `distinct` on the way.
    fn count_shared(&mut self) -> Vec<(usize, usize, u32)> {
        let size = self.settings.shingle.max(1);
        let mut entries: Vec<(u64, u32)> = Vec::new();
        for local in 0..self.answers.len() {
            let shingles = self.answer(local).words.windows(size).map(text::shingle_hash);
            if self.base.is_empty() {
                entries.extend(shingles.map(|h| (h, local as u32)));
            } else {
                entries.extend(shingles.filter(|h| !self.base.contains(h)).map(|h| (h, local as u32)));
            }
        }
        // Sorted, equal shingles are neighbours; without repeats, each answer counts a shingle once.
        entries.sort_unstable();
        entries.dedup();
        let mut pair_keys: Vec<u64> = Vec::new();
        let mut reports: Vec<usize> = Vec::new();
        let mut start = 0;
        while start < entries.len() {
            let shingle = entries[start].0;
            let mut end = start + 1;
            while end < entries.len() && entries[end].0 == shingle {
                end += 1;
            }
            let run = &entries[start..end];
            start = end;
            if run.len() > self.settings.max_reports {
                reports.clear();
                reports.extend(run.iter().map(|e| self.answer(e.1 as usize).report));
                reports.sort_unstable();
                reports.dedup();
                if reports.len() > self.settings.max_reports {
                    self.common.insert(shingle);
                    continue;
                }
            }
            for (i, &(_, x)) in run.iter().enumerate() {
                self.distinct[x as usize] += 1;
                for &(_, y) in &run[i + 1..] {
                    if self.comparable(x as usize, y as usize) {
                        pair_keys.push((u64::from(x) << 32) | u64::from(y));
                    }
                }
            }
        }
        drop(entries);
        pair_keys.sort_unstable();
        let mut counts = Vec::new();
        let mut i = 0;
        while i < pair_keys.len() {
            let mut j = i + 1;
            while j < pair_keys.len() && pair_keys[j] == pair_keys[i] {
                j += 1;
            }
            let k = pair_keys[i];
            counts.push(((k >> 32) as usize, (k & 0xffff_ffff) as usize, (j - i) as u32));
            i = j;
        }
        counts
    }

    /// Which words of a local answer are covered by a shingle passing `keep`.
    fn covered(&self, local: usize, keep: impl Fn(u64) -> bool) -> Vec<bool> {
        let words = &self.answer(local).words;
        let size = self.settings.shingle;
        let mut covered = vec![false; words.len()];
        for (pos, h) in text::shingles(words, size).into_iter().enumerate() {
            if keep(h) {
                covered[pos..pos + size].iter_mut().for_each(|c| *c = true);
            }
        }
        covered
    }

    fn evidence_words(&mut self, local: usize) -> usize {
        if let Some(n) = self.evidence[local] {
            return n;
        }
        let n = self.covered(local, |h| !self.masked(h)).into_iter().filter(|&c| c).count();
        self.evidence[local] = Some(n);
        n
    }

    fn unmasked_set(&self, local: usize) -> ShingleSet {
        text::shingles(&self.answer(local).words, self.settings.shingle)
            .into_iter()
            .filter(|&h| !self.masked(h))
            .collect()
    }

    /// Scores a candidate exactly and keeps it when it passes the thresholds.
    fn verify(&mut self, x: usize, y: usize, shared: u32) -> Option<Pair> {
        let s = *self.settings;
        let (dx, dy) = (self.distinct[x], self.distinct[y]);
        let smaller = dx.min(dy).max(1);
        let containment = f64::from(shared) / f64::from(smaller);
        let jaccard = f64::from(shared) / f64::from((dx + dy).saturating_sub(shared).max(1));
        // n shared shingles cover at least n + shingle - 1 words, so fewer cannot reach either word threshold.
        let needed = s.min_shared_words.min(s.min_passage).saturating_sub(s.shingle - 1).max(1);
        if containment < s.min_similarity * PASSAGE_FLOOR || (shared as usize) < needed {
            return None;
        }
        let (wx, wy) = (self.evidence_words(x), self.evidence_words(y));
        if wx < s.min_words || wy < s.min_words {
            return None;
        }
        let (set_x, set_y) = (self.unmasked_set(x), self.unmasked_set(y));
        let cover_x = self.covered(x, |h| set_y.contains(&h) && !self.masked(h));
        let cover_y = self.covered(y, |h| set_x.contains(&h) && !self.masked(h));
        let shared_words = cover_x.iter().filter(|&&c| c).count().min(cover_y.iter().filter(|&&c| c).count());
        let passages_x = runs(&cover_x);
        let passages_y = runs(&cover_y);
        let longest_of = |p: &[Range<usize>]| p.iter().map(|r| r.len()).max().unwrap_or(0);
        let longest = longest_of(&passages_x).min(longest_of(&passages_y));
        let similar = containment >= s.min_similarity && shared_words >= s.min_shared_words;
        if !similar && longest < s.min_passage {
            return None;
        }
        // An earlier cohort's answer goes second: the pair reads "this year's answer resembles that one".
        let swap = self.report(x).earlier && !self.report(y).earlier;
        let (x, y, passages_x, passages_y, wx, wy) =
            if swap { (y, x, passages_y, passages_x, wy, wx) } else { (x, y, passages_x, passages_y, wx, wy) };
        Some(Pair {
            a: self.answers[x],
            b: self.answers[y],
            key: self.key,
            containment,
            jaccard,
            shared_shingles: shared as usize,
            shared_words,
            longest,
            words_a: wx,
            words_b: wy,
            same_group: self.report(x).same_group(self.report(y)),
            kind: Kind::of(containment, jaccard),
            passages_a: passages_x,
            passages_b: passages_y,
        })
    }
}

/// The words of an answer that are masked text (template wording, or text common to many reports: never evidence),
/// outside its shared passages, as word-index ranges: what a close look shows as template text.
pub fn masked_words(
    words: &[u32],
    shingle: usize,
    masked: impl Fn(u64) -> bool,
    shared: &[Range<usize>],
) -> Vec<Range<usize>> {
    let mut covered = vec![false; words.len()];
    for (pos, h) in text::shingles(words, shingle).into_iter().enumerate() {
        if masked(h) {
            covered[pos..pos + shingle].iter_mut().for_each(|c| *c = true);
        }
    }
    for r in shared {
        if let Some(c) = covered.get_mut(r.clone()) {
            c.iter_mut().for_each(|c| *c = false);
        }
    }
    runs(&covered)
}

/// Numbers the shared passages of two answers so that a passage and its copy get the same number: `a`'s passages
/// are 0, 1, ... in order; each of `b`'s takes the number of the first passage of `a` it shares a shingle with
/// (a passage of `b` sharing none, which the search does not produce, gets a number of its own).
pub fn link_passages(
    a: (&[u32], &[Range<usize>]),
    b: (&[u32], &[Range<usize>]),
    shingle: usize,
) -> (Vec<usize>, Vec<usize>) {
    let shingles_of = |words: &[u32], r: &Range<usize>| -> ShingleSet {
        words.get(r.clone()).map(|w| text::shingles(w, shingle).into_iter().collect()).unwrap_or_default()
    };
    let of_a: Vec<ShingleSet> = a.1.iter().map(|r| shingles_of(a.0, r)).collect();
    let mut next = of_a.len();
    let ids_b =
        b.1.iter()
            .map(|r| {
                let mine = shingles_of(b.0, r);
                of_a.iter().position(|s| !s.is_disjoint(&mine)).unwrap_or_else(|| {
                    next += 1;
                    next - 1
                })
            })
            .collect();
    ((0..of_a.len()).collect(), ids_b)
}

/// The ranges of consecutive `true`s.
fn runs(flags: &[bool]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, &f) in flags.iter().enumerate() {
        match (f, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..flags.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_flags() {
        assert_eq!(runs(&[true, true, false, true]), vec![0..2, 3..4]);
        assert_eq!(runs(&[false, false]), Vec::<Range<usize>>::new());
    }

    fn meta(id: &str, cohort: &str, group: Option<u32>, students: &[&str]) -> ReportMeta {
        ReportMeta {
            id: id.into(),
            cohort: cohort.into(),
            group,
            students: students.iter().map(|s| s.to_string()).collect(),
            earlier: false,
        }
    }

    #[test]
    fn same_group_by_students_or_number() {
        let a = meta("a", "2025", Some(7), &["s1", "s2"]);
        assert!(a.same_group(&meta("b", "2024", Some(9), &["s2"])), "a common student");
        assert!(a.same_group(&meta("b", "2025", Some(7), &["s3"])), "same number, same cohort");
        assert!(a.same_group(&meta("b", "2026", Some(7), &[])), "same number, students unknown");
        assert!(!a.same_group(&meta("b", "2026", Some(7), &["s3"])), "number reused in another year");
        assert!(!a.same_group(&meta("b", "2025", Some(8), &[])));
        assert!(!a.same_group(&meta("b", "2025", None, &[])));
    }

    #[test]
    fn template_words_leave_out_shared_passages() {
        // Words 0..6 are masked (shingles 0 and 1 of three words), words 4..8 are shared.
        let words: Vec<u32> = (0..10).collect();
        let masked: ShingleSet = text::shingles(&words, 3).into_iter().take(4).collect();
        let (shared, template) = (4..8, 0..4);
        let found = masked_words(&words, 3, |h| masked.contains(&h), std::slice::from_ref(&shared));
        assert_eq!(found, std::slice::from_ref(&template));
        assert_eq!(masked_words(&words, 3, |_| false, &[]), Vec::<Range<usize>>::new());
    }

    #[test]
    fn a_passage_and_its_copy_share_a_number() {
        // b holds a's second passage first, then its first.
        let a: Vec<u32> = (0..30).collect();
        let mut b: Vec<u32> = (100..105).collect();
        b.extend(20..28);
        b.extend(200..203);
        b.extend(0..8);
        let (ia, ib) = link_passages((a.as_slice(), &[0..8, 20..28][..]), (b.as_slice(), &[5..13, 16..24][..]), 5);
        assert_eq!((ia, ib), (vec![0, 1], vec![1, 0]));
        let (only_a, only_b) = (0..8, 0..5);
        let (_, lone) = link_passages(
            (a.as_slice(), std::slice::from_ref(&only_a)),
            (b.as_slice(), std::slice::from_ref(&only_b)),
            5,
        );
        assert_eq!(lone, vec![1], "a passage of b with no counterpart gets its own number");
    }

    #[test]
    fn kinds_from_scores() {
        assert_eq!(Kind::of(1.0, 1.0), Kind::Exact);
        assert_eq!(Kind::of(0.6, 0.45), Kind::Near);
        assert_eq!(Kind::of(0.6, 0.2), Kind::Partial);
    }
}
