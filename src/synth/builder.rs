//! Building one report: the quirks drawn and the report assembled (its answers are written in `answers.rs`, the
//! markdown in `render.rs`), and the text helpers they share.

use super::*;

/// The quirks a report can be given, before their parameters are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    FrontMatter,
    Crlf,
    Tabs,
    Bom,
    TickStyle,
    WrappedItems,
    PromotedWeeks,
    DroppedItems,
    DeletedChecklist,
    DashWrapped,
    BareDashLines,
    AnswerOnMarkerLine,
    Html,
    DeletedQuestion,
    DuplicatedQuestion,
    ExtraQuestion,
    RenumberedQuestions,
    Mojibake,
}

pub(super) const KINDS: &[Kind] = &[
    Kind::FrontMatter,
    Kind::Crlf,
    Kind::Tabs,
    Kind::Bom,
    Kind::TickStyle,
    Kind::WrappedItems,
    Kind::PromotedWeeks,
    Kind::DroppedItems,
    Kind::DeletedChecklist,
    Kind::DashWrapped,
    Kind::BareDashLines,
    Kind::AnswerOnMarkerLine,
    Kind::Html,
    Kind::DeletedQuestion,
    Kind::DuplicatedQuestion,
    Kind::ExtraQuestion,
    Kind::RenumberedQuestions,
    Kind::Mojibake,
];

pub(super) const CHECKLIST_KINDS: &[Kind] = &[Kind::TickStyle, Kind::WrappedItems, Kind::PromotedWeeks, Kind::DroppedItems];
/// At most one way of wrapping answers per report.
pub(super) const WRAPPER_KINDS: &[Kind] = &[Kind::DashWrapped, Kind::BareDashLines, Kind::AnswerOnMarkerLine];

/// How one answer sits under its `> Answer:` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Wrapper {
    Plain,
    Dashes,
    BareLines,
    OnMarker,
}

/// A piece of an answer.
#[derive(Debug, Clone)]
pub(super) enum Part {
    /// A prose paragraph (hard-wrapped when the report's style does).
    Text(String),
    /// A list, code block, image line or HTML, written as is.
    Raw(String),
}

/// One question as it will be written.
#[derive(Debug, Clone)]
pub(super) struct Block {
    pub(super) key: Option<AnswerKey>,
    /// Number in the heading as written.
    pub(super) number: u32,
    /// The template's number (placeholders and sections use it).
    pub(super) template_number: u32,
    pub(super) prompt: &'static str,
    pub(super) length: Option<WordRange>,
    /// `None`: the placeholder is kept.
    pub(super) answer: Option<Vec<Part>>,
    pub(super) wrapper: Wrapper,
}

pub(super) struct Builder {
    pub(super) rng: Rng,
    pub(super) cohort: Cohort,
    pub(super) set: QuestionSet,
    pub(super) constraints: ConstraintSet,
    pub(super) profile: Profile,
    pub(super) theme: &'static Theme,
    pub(super) env: &'static str,
    pub(super) group: u32,
    pub(super) students: Vec<String>,
    pub(super) repo: String,
    pub(super) slug: String,
    pub(super) hash: String,
    pub(super) load: (u32, u32, u32),
    /// Reports that hard-wrap prose at 120 columns (like the template) rather than one line per paragraph.
    pub(super) hard_wrap: bool,
    pub(super) length_label: &'static str,
    pub(super) figures: Vec<String>,
    pub(super) used_generic: Vec<bool>,
    pub(super) facts: Facts,
    pub(super) students_answered: bool,
    pub(super) html: bool,
    pub(super) tabs: bool,
}

impl Builder {
    pub(super) fn new(mut rng: Rng, cohort: Cohort, group: u32, students: Vec<String>) -> Self {
        let profile = Profile::draw(&mut rng);
        let theme = &THEMES[rng.below(THEMES.len())];
        let env = rng.pick(ENV_TOOLS);
        let slug = theme.pkg.replace('_', "-");
        let owner = match rng.below(3) {
            0 => format!("mlops-group-{group}"),
            1 => format!("dtu-mlops-{group:02}"),
            _ => format!("team{group}-mlops"),
        };
        let repo = format!("https://github.com/{owner}/{slug}");
        let hash = format!("{:010x}", rng.next_u64() & 0xFF_FFFF_FFFF);
        let load = (rng.pick(&[50u32, 100, 200, 500]), rng.range(40, 400) as u32, rng.range(20, 300) as u32);
        let set = cohort.questions();
        let hard_wrap = rng.chance(0.3);
        let length_label =
            if cohort == Cohort::Y2023_24 && rng.chance(0.5) { "Answer length" } else { "Recommended answer length" };
        Builder {
            rng,
            cohort,
            set,
            constraints: ConstraintSet::C1,
            profile,
            theme,
            env,
            group,
            students,
            repo,
            slug,
            hash,
            load,
            hard_wrap,
            length_label,
            figures: Vec::new(),
            used_generic: vec![false; GENERIC.len()],
            facts: Facts::default(),
            students_answered: false,
            html: false,
            tabs: false,
        }
    }

    pub(super) fn build(mut self, quirks_on: bool) -> SyntheticReport {
        let rng = &mut self.rng;
        let generation = match self.cohort {
            Cohort::Y2023_24 if rng.chance(0.15) => ChecklistGeneration::None,
            Cohort::Y2023_24 => ChecklistGeneration::Cl2023,
            Cohort::Y2025 => ChecklistGeneration::Cl2025,
            Cohort::Y2026 => ChecklistGeneration::Cl2026,
        };
        self.constraints = constraint_set_for(self.set, generation);
        let kinds = if quirks_on { choose_kinds(rng, generation != ChecklistGeneration::None) } else { vec![] };
        let has = |k: Kind| kinds.contains(&k);
        self.html = has(Kind::Html);
        self.tabs = has(Kind::Tabs);

        // Which template questions are there, and which are answered.
        let keys = questions_of(self.set);
        let deleted = if has(Kind::DeletedQuestion) {
            // The tab quirk lives in the configs answer, so that one stays.
            let candidates: Vec<AnswerKey> =
                keys.iter().copied().filter(|&k| !(self.tabs && k == K::Configs)).collect();
            Some(self.rng.pick(&candidates))
        } else {
            None
        };
        let present: Vec<AnswerKey> = keys.iter().copied().filter(|&k| Some(k) != deleted).collect();
        let answered = self.decide_answered(&present);
        let is_answered = |k: AnswerKey| answered.iter().any(|&(a, yes)| a == k && yes);
        self.students_answered = is_answered(K::Students);

        let mojibake = if has(Kind::Mojibake) {
            let candidates: Vec<AnswerKey> =
                MOJIBAKE_KEYS.iter().copied().filter(|&k| present.contains(&k) && is_answered(k)).collect();
            (!candidates.is_empty()).then(|| self.rng.pick(&candidates))
        } else {
            None
        };
        let duplicated = has(Kind::DuplicatedQuestion).then(|| self.rng.pick(&present));

        // Answers.
        let wrapper_kind = WRAPPER_KINDS.iter().copied().find(|k| has(*k));
        let mut blocks: Vec<Block> = Vec::new();
        for &(key, yes) in &answered {
            let answer = if yes {
                let mut parts = self.answer(key);
                if mojibake == Some(key) {
                    parts = double_encode(parts);
                }
                Some(parts)
            } else {
                None
            };
            let number = template_number(self.set, key).unwrap_or(0);
            blocks.push(Block {
                key: Some(key),
                number,
                template_number: number,
                prompt: prompt(self.cohort, key),
                length: constraint(self.constraints, key).words,
                answer,
                wrapper: Wrapper::Plain,
            });
        }
        if let Some(key) = duplicated {
            if let Some(i) = blocks.iter().position(|b| b.key == Some(key)) {
                let copy = blocks[i].clone();
                blocks.insert(i + 1, copy);
            }
        }
        if has(Kind::ExtraQuestion) {
            let last = blocks.iter().map(|b| b.template_number).max().unwrap_or(0);
            let sentences = self.pick_sentences(EXTRA_ANSWER, 2, 4);
            blocks.push(Block {
                key: None,
                number: last + 1,
                template_number: last + 1,
                prompt: EXTRA_PROMPT,
                length: None,
                answer: Some(vec![Part::Text(sentences.join(" "))]),
                wrapper: Wrapper::Plain,
            });
        }
        if has(Kind::RenumberedQuestions) && blocks.len() > 1 {
            // Numbered by position, with one number skipped part-way (a deleted question's gap closed, another
            // opened): the prompts still key every answer.
            // A skip exactly where a question was deleted would give back the template's numbers: take the
            // first skip, in random order, that changes at least one number.
            let mut skips: Vec<usize> = (1..blocks.len()).collect();
            self.rng.shuffle(&mut skips);
            let renumber = |skip: usize, i: usize| i as u32 + 1 + u32::from(i >= skip);
            let changes = |skip: usize| blocks.iter().enumerate().any(|(i, b)| renumber(skip, i) != b.template_number);
            if let Some(skip) = skips.into_iter().find(|&s| changes(s)) {
                for (i, b) in blocks.iter_mut().enumerate() {
                    b.number = renumber(skip, i);
                }
            }
        }
        self.assign_wrappers(&mut blocks, wrapper_kind);

        // The checklist.
        let has_checklist = generation != ChecklistGeneration::None && !has(Kind::DeletedChecklist);
        let mut ticks: Vec<(ChecklistId, bool)> = if has_checklist {
            checklist_of(generation).into_iter().map(|id| (id, self.profile.did(id))).collect()
        } else {
            vec![]
        };
        let mut dropped = Vec::new();
        if has(Kind::DroppedItems) && has_checklist {
            // io-collection is what tells CL-2026 from CL-2025; a group deleting it is a different test.
            let mut candidates: Vec<ChecklistId> =
                ticks.iter().map(|(id, _)| *id).filter(|&id| id != C::IoCollection).collect();
            self.rng.shuffle(&mut candidates);
            dropped = candidates.into_iter().take(self.rng.range(1, 3)).collect();
            ticks.retain(|(id, _)| !dropped.contains(id));
        }
        let style = has(Kind::TickStyle).then(|| self.rng.pick(TickStyle::ALL));

        // Record the quirks with their parameters, in the order they were chosen.
        let mut quirks = Vec::new();
        for &k in &kinds {
            let q = match k {
                Kind::FrontMatter => Some(Quirk::FrontMatter),
                Kind::Crlf => Some(Quirk::Crlf),
                Kind::Tabs => Some(Quirk::Tabs),
                Kind::Bom => Some(Quirk::Bom),
                Kind::TickStyle => style.map(Quirk::TickStyle),
                Kind::WrappedItems => Some(Quirk::WrappedItems),
                Kind::PromotedWeeks => Some(Quirk::PromotedWeeks),
                Kind::DroppedItems => (!dropped.is_empty()).then(|| Quirk::DroppedItems(dropped.clone())),
                Kind::DeletedChecklist => Some(Quirk::DeletedChecklist),
                Kind::DashWrapped => Some(Quirk::DashWrapped),
                Kind::BareDashLines => Some(Quirk::BareDashLines),
                Kind::AnswerOnMarkerLine => Some(Quirk::AnswerOnMarkerLine),
                Kind::Html => Some(Quirk::Html),
                Kind::DeletedQuestion => deleted.map(Quirk::DeletedQuestion),
                Kind::DuplicatedQuestion => duplicated.map(Quirk::DuplicatedQuestion),
                Kind::ExtraQuestion => Some(Quirk::ExtraQuestion),
                Kind::RenumberedQuestions => Some(Quirk::RenumberedQuestions),
                Kind::Mojibake => mojibake.map(Quirk::Mojibake),
            };
            quirks.extend(q);
        }

        // Write it.
        let mut doc = String::new();
        if has(Kind::FrontMatter) {
            doc.push_str(FRONT_MATTER);
        }
        doc.push_str(TITLE);
        doc.push_str("\n\n");
        doc.push_str(PREAMBLE);
        doc.push_str("\n\n");
        if has_checklist {
            doc.push_str(&self.render_checklist(
                generation,
                &ticks,
                style,
                has(Kind::WrappedItems),
                has(Kind::PromotedWeeks),
            ));
        }
        let mut section = None;
        for b in &blocks {
            let s = section_of(self.set, b.template_number);
            if section != Some(s) {
                doc.push_str(&format!("## {}\n\n", SECTION_TITLES[s]));
                section = Some(s);
            }
            doc.push_str(&self.render_block(b));
        }
        let mut markdown = doc.trim_end().to_string();
        markdown.push('\n');
        if has(Kind::Crlf) {
            markdown = markdown.replace('\n', "\r\n");
        }
        if has(Kind::Bom) {
            markdown.insert(0, '\u{FEFF}');
        }

        let truth = Truth {
            cohort: self.cohort,
            questions: self.set,
            generation: if has_checklist { generation } else { ChecklistGeneration::None },
            ticks,
            did: self.profile.done_ids(),
            answered: answered.iter().filter(|(_, yes)| *yes).map(|(k, _)| *k).collect(),
            unanswered: answered.iter().filter(|(_, yes)| !*yes).map(|(k, _)| *k).collect(),
            facts: self.facts,
            quirks,
        };
        SyntheticReport { id: format!("group_{:02}", self.group), markdown, figures: self.figures, truth }
    }

    /// Which present questions get an answer: most of them, except in the odd half-finished report, and
    /// screenshots of services a group never used are often left out.
    pub(super) fn decide_answered(&mut self, present: &[AnswerKey]) -> Vec<(AnswerKey, bool)> {
        let partial = self.rng.chance(0.08);
        let base = if partial { 0.6 } else { 0.04 };
        let p = &self.profile;
        present
            .iter()
            .map(|&key| {
                let skip = match key {
                    K::Group | K::Students => base / 4.0,
                    K::Configs if self.tabs => 0.0,
                    K::Bucket if !p.did(C::GcpBucket) => 0.5,
                    K::Registry if !p.did(C::DockerBuild) && !p.did(C::BuildTrigger) => 0.5,
                    K::BuildHistory if !p.did(C::BuildTrigger) => 0.5,
                    _ => base,
                };
                (key, !self.rng.chance(skip))
            })
            .collect()
    }

    pub(super) fn assign_wrappers(&mut self, blocks: &mut [Block], kind: Option<Kind>) {
        let (wrapper, share) = match kind {
            Some(Kind::DashWrapped) => (Wrapper::Dashes, 0.9),
            Some(Kind::BareDashLines) => (Wrapper::BareLines, 0.7),
            Some(Kind::AnswerOnMarkerLine) => (Wrapper::OnMarker, 0.5),
            _ => return,
        };
        let mut any = false;
        for b in blocks.iter_mut().filter(|b| b.answer.is_some()) {
            if self.rng.chance(share) {
                b.wrapper = wrapper;
                any = true;
            }
        }
        if !any {
            if let Some(b) = blocks.iter_mut().find(|b| b.answer.is_some()) {
                b.wrapper = wrapper;
            }
        }
    }
}

/// Draws 1–4 quirks that fit together.
pub(super) fn choose_kinds(rng: &mut Rng, has_checklist: bool) -> Vec<Kind> {
    let mut pool = KINDS.to_vec();
    rng.shuffle(&mut pool);
    let want = rng.range(1, 4);
    let mut chosen: Vec<Kind> = Vec::new();
    for k in pool {
        if chosen.len() == want {
            break;
        }
        let checklist_kind = CHECKLIST_KINDS.contains(&k) || k == Kind::DeletedChecklist;
        let clash = (checklist_kind && !has_checklist)
            || (CHECKLIST_KINDS.contains(&k) && chosen.contains(&Kind::DeletedChecklist))
            || (k == Kind::DeletedChecklist && chosen.iter().any(|c| CHECKLIST_KINDS.contains(c)))
            || (WRAPPER_KINDS.contains(&k) && chosen.iter().any(|c| WRAPPER_KINDS.contains(c)));
        if !clash {
            chosen.push(k);
        }
    }
    chosen
}

/// Replaces `—` and `’` in an answer's text by what they become when UTF-8 is decoded as Windows-1252 and
/// encoded again.
pub(super) fn double_encode(parts: Vec<Part>) -> Vec<Part> {
    let garble =
        |t: String| t.replace('\u{2014}', "\u{E2}\u{20AC}\u{201D}").replace('\u{2019}', "\u{E2}\u{20AC}\u{2122}");
    let mut parts: Vec<Part> = parts
        .into_iter()
        .map(|p| match p {
            Part::Text(t) => Part::Text(garble(t)),
            raw => raw,
        })
        .collect();
    // The answer must contain the characters to garble: add one of our sentences to its last paragraph.
    let sentence = garble(MOJIBAKE_SENTENCES[parts.len() % MOJIBAKE_SENTENCES.len()].to_string());
    match parts.iter_mut().rev().find_map(|p| match p {
        Part::Text(t) => Some(t),
        Part::Raw(_) => None,
    }) {
        Some(t) => {
            t.push(' ');
            t.push_str(&sentence);
        }
        None => parts.push(Part::Text(sentence)),
    }
    parts
}

/// Splits a single paragraph at a sentence boundary, so something can stand between the halves.
pub(super) fn split_paragraph(parts: &[Part]) -> Vec<Part> {
    match parts {
        [Part::Text(t)] => match t.find(". ") {
            Some(i) => vec![Part::Text(t[..=i].to_string()), Part::Text(t[i + 2..].to_string())],
            None => parts.to_vec(),
        },
        _ => parts.to_vec(),
    }
}

/// A number of tenths as people write it: `87` for 870, `82.6` for 826.
pub(super) fn tenths_text(tenths: usize) -> String {
    match tenths % 10 {
        0 => (tenths / 10).to_string(),
        d => format!("{}.{d}", tenths / 10),
    }
}

pub(super) fn words(sentences: &[String]) -> usize {
    sentences.iter().map(|s| s.split_whitespace().count()).sum()
}

pub(super) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

pub(super) fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Greedy word wrap at `width` columns. A line never starts with a token markdown would read as structure (a
/// list bullet, a heading, a quote, an ordered-list number, a rule), so wrapping never changes what a parser sees.
pub(super) fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let fits = line.is_empty() || line.chars().count() + 1 + word.chars().count() <= width;
        if fits || starts_structure(word) {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        } else {
            lines.push(std::mem::take(&mut line));
            line.push_str(word);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

pub(super) fn starts_structure(word: &str) -> bool {
    let first = word.chars().next().unwrap_or(' ');
    matches!(first, '-' | '*' | '+' | '#' | '>' | '|' | '<' | '=' | '`' | '[' | '!')
        || (first.is_ascii_digit() && word.trim_start_matches(|c: char| c.is_ascii_digit()).starts_with(['.', ')']))
}

/// Where to wrap a long checklist item (a space near the middle), if it is long enough to wrap.
pub(super) fn wrap_point(text: &str) -> Option<usize> {
    if text.len() < 60 {
        return None;
    }
    let mut middle = text.len() / 2;
    while !text.is_char_boundary(middle) {
        middle -= 1;
    }
    text[..middle].rfind(' ').filter(|&i| i > 10)
}
