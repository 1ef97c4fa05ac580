//! Building one report: the quirks drawn, the answers written, the markdown rendered.

use super::*;
use crate::domain::number_words;

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

    // -- answers -------------------------------------------------------------------------------------------------

    /// The answer to one question, recording the facts it states.
    pub(super) fn answer(&mut self, key: AnswerKey) -> Vec<Part> {
        match key {
            K::Group => {
                let form = self.rng.pick(GROUP_FORMS);
                self.facts.group = Some(self.group);
                let text = form.replace("{g2}", &format!("{:02}", self.group)).replace("{g}", &self.group.to_string());
                vec![Part::Text(text)]
            }
            K::Students => self.students_answer(),
            K::Tests => self.tests_answer(),
            K::Coverage => self.coverage_answer(),
            K::Credits => self.credits_answer(),
            K::Tracking => self.tracking_answer(),
            K::Bucket => {
                self.screenshot_answer(key, &[("bucket", "GCP bucket"), ("bucket_models", "bucket with models")])
            }
            K::Registry => {
                self.screenshot_answer(key, &[("registry", "artifact registry"), ("registry_tags", "image tags")])
            }
            K::BuildHistory => {
                self.screenshot_answer(key, &[("build_history", "cloud build history"), ("build_details", "build")])
            }
            K::GcpServices => self.services_answer(),
            K::Configs => self.configs_answer(),
            K::Architecture => self.architecture_answer(),
            K::ApiTesting => {
                let mut parts = self.prose(key, Vec::new());
                if self.profile.did(C::LoadTest) && self.rng.chance(0.5) {
                    let img = self.image("locust", "locust results");
                    parts.insert(parts.len().min(1), Part::Raw(img));
                }
                parts
            }
            K::Contributions => self.contributions_answer(),
            _ => self.prose(key, Vec::new()),
        }
    }

    pub(super) fn students_answer(&mut self) -> Vec<Part> {
        self.facts.students = self.students.clone();
        let ids = &self.students;
        let text = match self.rng.below(4) {
            0 => ids.join(", "),
            1 => match ids.split_last() {
                Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
                None => String::new(),
            },
            2 => format!("Study numbers: {}.", ids.join(", ")),
            _ => return vec![Part::Raw(ids.iter().map(|s| format!("- {s}")).collect::<Vec<_>>().join("\n"))],
        };
        vec![Part::Text(text)]
    }

    pub(super) fn tests_answer(&mut self) -> Vec<Part> {
        let mut facts = Vec::new();
        if (self.profile.did(C::TestsData) || self.profile.did(C::TestsModel)) && self.rng.chance(0.88) {
            let n = self.rng.range(3, 45) as u32;
            let as_words = n <= 20 && self.rng.chance(0.4);
            let form = self.rng.pick(TEST_COUNT);
            let lower = if as_words { number_words::word(n).unwrap_or_else(|| n.to_string()) } else { n.to_string() };
            let upper = capitalise(&lower);
            facts.push(form.replace("{n}", &lower).replace("{N}", &upper));
            self.facts.tests = Some(n);
        }
        self.prose(K::Tests, facts)
    }

    pub(super) fn coverage_answer(&mut self) -> Vec<Part> {
        let mut facts = Vec::new();
        if self.profile.did(C::Coverage) && self.rng.chance(0.9) {
            let mut tenths = self.rng.range(350, 990);
            if self.rng.chance(0.75) {
                tenths -= tenths % 10;
            }
            facts.push(self.rng.pick(COVERAGE_TOTAL).replace("{p}", &tenths_text(tenths)));
            if self.rng.chance(0.4) {
                facts.push(COVERAGE_HYPOTHETICAL.to_string());
            }
            self.facts.coverage = Some(tenths as f64 / 10.0);
        }
        self.prose(K::Coverage, facts)
    }

    pub(super) fn credits_answer(&mut self) -> Vec<Part> {
        let mut facts = Vec::new();
        if self.rng.chance(0.85) {
            let (sentence, amount, unit) = self.credits_statement();
            facts.push(sentence);
            self.facts.credits = Some(CreditsSpent { amount, unit });
        } else {
            facts.push(self.rng.pick(CREDITS_UNSTATED).to_string());
        }
        let options: Vec<(&str, &str)> =
            EXPENSIVE.iter().filter(|(w, _, _)| self.profile.holds(w)).map(|(_, s, why)| (*s, *why)).collect();
        let (service, why) = self.rng.pick(&options);
        facts.push(self.rng.pick(EXPENSIVE_FORMS).replace("{svc}", service).replace("{why}", why));
        self.facts.most_expensive_service = Some(service.to_string());
        self.prose(K::Credits, facts)
    }

    /// A sentence stating the credits spent, with the amount and unit it states.
    pub(super) fn credits_statement(&mut self) -> (String, f64, CreditUnit) {
        let cents = |c: usize| format!("{}.{:02}", c / 100, c % 100);
        let roll = self.rng.unit();
        if roll < 0.12 && self.students_answered {
            // Per-member amounts and no total: the total is their sum.
            let mut total = 0;
            let mut each = Vec::new();
            for s in &self.students {
                let c = self.rng.range(5, 1500);
                total += c;
                each.push(format!("{s} used ${}", cents(c)));
            }
            let sentence = match each.split_last() {
                Some((last, rest)) => format!("{} and {last}.", rest.join(", ")),
                None => String::new(),
            };
            return (sentence, total as f64 / 100.0, CreditUnit::USD);
        }
        if roll < 0.5 {
            let c = self.rng.range(50, 6000);
            (self.rng.pick(CREDITS_USD).replace("{a}", &cents(c)), c as f64 / 100.0, CreditUnit::USD)
        } else if roll < 0.7 {
            let kr = self.rng.range(15, 450);
            (self.rng.pick(CREDITS_DKK).replace("{a}", &kr.to_string()), kr as f64, CreditUnit::DKK)
        } else if roll < 0.8 {
            let c = self.rng.range(100, 5000);
            (self.rng.pick(CREDITS_EUR).replace("{a}", &cents(c)), c as f64 / 100.0, CreditUnit::EUR)
        } else {
            let tenths = self.rng.range(10, 600);
            (
                self.rng.pick(CREDITS_PLAIN).replace("{a}", &tenths_text(tenths)),
                tenths as f64 / 10.0,
                CreditUnit::Credits,
            )
        }
    }

    pub(super) fn tracking_answer(&mut self) -> Vec<Part> {
        let mut parts = self.prose(K::Tracking, Vec::new());
        let shots: &[(&str, &str)] = if self.profile.did(C::Wandb) {
            &[("wandb_loss", "W&B loss curves"), ("wandb_runs", "W&B runs"), ("wandb_sweep", "W&B sweep")]
        } else {
            &[("tensorboard_loss", "TensorBoard loss"), ("tensorboard_metrics", "TensorBoard metrics")]
        };
        let n = self.rng.range(1, shots.len());
        let images: Vec<String> = shots[..n].iter().map(|(stem, alt)| self.image(stem, alt)).collect();
        // Screenshots after the opening paragraph, or all at the end.
        let at = if self.rng.chance(0.5) { parts.len().min(1) } else { parts.len() };
        parts.insert(at, Part::Raw(images.join("\n\n")));
        parts
    }

    pub(super) fn screenshot_answer(&mut self, key: AnswerKey, shots: &[(&str, &str)]) -> Vec<Part> {
        let max = match constraint(self.constraints, key).images {
            Some(r) => r.max.min(shots.len()),
            None => 1,
        };
        let n = self.rng.range(1, max.max(1));
        let mut parts: Vec<Part> = shots[..n].iter().map(|(stem, alt)| Part::Raw(self.image(stem, alt))).collect();
        if self.rng.chance(0.6) {
            let options = self.applicable(key, 0);
            if !options.is_empty() {
                let sentence = self.rng.pick(&options);
                parts.insert(0, Part::Text(self.expand(sentence)));
            }
        }
        parts
    }

    pub(super) fn services_answer(&mut self) -> Vec<Part> {
        let mut services: Vec<(&str, &str)> =
            SERVICES.iter().filter(|(w, _, _)| self.profile.holds(w)).map(|(_, n, what)| (*n, *what)).collect();
        if self.rng.chance(0.4) {
            services.push(("Secret Manager", "keeps API keys out of the code"));
        }
        let table = if self.html {
            let rows: Vec<String> =
                services.iter().map(|(n, what)| format!("<tr><td>{n}</td><td>{what}</td></tr>")).collect();
            format!("<table>\n<tr><th>Service</th><th>Use</th></tr>\n{}\n</table>", rows.join("\n"))
        } else {
            services.iter().map(|(n, what)| format!("- **{n}**: {what}.")).collect::<Vec<_>>().join("\n")
        };
        let intro = self.rng.pick(SERVICES_INTRO).to_string();
        let mut parts = vec![Part::Text(intro), Part::Raw(table)];
        // Always end with prose, so a `--- ... ---` wrapper never closes on a table row.
        let closing = self.fill(K::GcpServices, 12, 40);
        parts.push(Part::Text(closing.join(" ")));
        parts
    }

    pub(super) fn configs_answer(&mut self) -> Vec<Part> {
        let mut parts = self.prose(K::Configs, Vec::new());
        if self.tabs || self.rng.chance(0.5) {
            let pkg = self.theme.pkg;
            let commands = if self.profile.did(C::Hydra) {
                [
                    format!("python src/{pkg}/train.py"),
                    format!("python src/{pkg}/train.py experiment=large optimizer.lr=0.0003"),
                ]
            } else {
                [format!("python src/{pkg}/train.py"), format!("python src/{pkg}/train.py --lr 0.0003 --epochs 20")]
            };
            let indent = if self.tabs { "\t" } else { "" };
            let code = format!("```bash\n{indent}{}\n{indent}{}\n```", commands[0], commands[1]);
            // A fence must be followed by prose: a `--- ... ---` wrapper closing on the fence line would leave
            // the fence open and swallow the rest of the report.
            if parts.len() < 2 {
                let split = split_paragraph(&parts);
                parts = split;
            }
            if parts.len() >= 2 {
                parts.insert(1, Part::Raw(code));
            }
        }
        parts
    }

    pub(super) fn architecture_answer(&mut self) -> Vec<Part> {
        let figure = if self.html {
            let path = self.figure("architecture");
            format!("<img src=\"{path}\" alt=\"architecture\" width=\"800\">")
        } else {
            self.image("architecture", "architecture")
        };
        let steps: Vec<String> =
            ARCHITECTURE_STEPS.iter().filter(|(w, _)| self.profile.holds(w)).map(|(_, s)| self.expand(s)).collect();
        let target = self.target(K::Architecture);
        let used = words(&steps);
        let rest = self.fill(K::Architecture, target.saturating_sub(used), 0);
        let mut parts = vec![Part::Raw(figure), Part::Text(steps.join(" "))];
        if !rest.is_empty() {
            parts.extend(self.paragraphs(rest));
        }
        parts
    }

    pub(super) fn contributions_answer(&mut self) -> Vec<Part> {
        let mut tasks: Vec<&str> = TASKS.iter().filter(|(w, _)| self.profile.holds(w)).map(|(_, t)| *t).collect();
        self.rng.shuffle(&mut tasks);
        let mut parts = Vec::new();
        if self.students_answered {
            let n = self.students.len();
            let mut lines = Vec::new();
            let style = self.rng.below(2);
            for (i, s) in self.students.iter().enumerate() {
                let mine: Vec<&str> = tasks.iter().skip(i).step_by(n).take(2).copied().collect();
                let what = if mine.is_empty() { "helped wherever it was needed".to_string() } else { join_and(&mine) };
                lines.push(match style {
                    0 => format!("Student {s} {what}."),
                    _ => format!("{s}: {what}."),
                });
            }
            let text = if self.html {
                lines.join("<br>\n")
            } else if self.rng.chance(0.5) {
                lines.iter().map(|l| format!("- {l}")).collect::<Vec<_>>().join("\n")
            } else {
                lines.join(" ")
            };
            parts.push(if self.html || text.starts_with("- ") { Part::Raw(text) } else { Part::Text(text) });
        } else {
            // Without the study numbers stated, members are not named by them here either, so the students fact
            // stays unambiguous.
            // TASKS always holds at least four entries, so three are there.
            let t: Vec<&str> = tasks.iter().take(3).copied().collect();
            let (a, b, c) = (t.first().unwrap_or(&""), t.get(1).unwrap_or(&""), t.get(2).unwrap_or(&""));
            parts.push(Part::Text(format!(
                "We split the work so that each member owned a part: one of us {a}, another {b}, and a third {c}."
            )));
        }
        let mut closing = vec![self.rng.pick(CONTRIBUTION_CLOSINGS).to_string()];
        if self.set == QuestionSet::Q31 {
            closing.push(self.rng.pick(AI_USE).to_string());
        }
        parts.push(Part::Text(closing.join(" ")));
        parts
    }

    // -- prose -----------------------------------------------------------------------------------------------------

    /// A prose answer: the applicable lead sentences with the facts near the front, then filler up to a length
    /// drawn from the question's word range.
    pub(super) fn prose(&mut self, key: AnswerKey, facts: Vec<String>) -> Vec<Part> {
        let mut sentences: Vec<String> = Vec::new();
        for block in LINES.iter().filter(|b| b.key == key && b.lead > 0 && self.profile.holds(&b.when)) {
            let mut idx: Vec<usize> = (0..block.sentences.len()).collect();
            self.rng.shuffle(&mut idx);
            for &i in idx.iter().take(block.lead) {
                sentences.push(self.expand(block.sentences[i]));
            }
        }
        for (i, fact) in facts.into_iter().enumerate() {
            let at = self.rng.range(0, sentences.len().min(1)) + i;
            sentences.insert(at.min(sentences.len()), fact);
        }
        let target = self.target(key);
        let more = self.fill(key, target.saturating_sub(words(&sentences)), 0);
        sentences.extend(more);
        self.paragraphs(sentences)
    }

    /// Filler sentences for a key, about `want` words (at least `min_words` if there is anything to say): the
    /// key's own filler first, then the generic pool, each generic sentence used once per report while it lasts.
    pub(super) fn fill(&mut self, key: AnswerKey, want: usize, min_words: usize) -> Vec<String> {
        let want = want.max(min_words);
        let mut out = Vec::new();
        if want == 0 {
            return out;
        }
        let mut own = self.applicable(key, 0);
        self.rng.shuffle(&mut own);
        let mut have = 0;
        for s in own {
            if have >= want {
                break;
            }
            let s = self.expand(s);
            have += s.split_whitespace().count();
            out.push(s);
        }
        let mut generic: Vec<usize> = (0..GENERIC.len()).collect();
        self.rng.shuffle(&mut generic);
        generic.sort_by_key(|&i| self.used_generic[i]);
        for i in generic {
            if have >= want {
                break;
            }
            self.used_generic[i] = true;
            have += GENERIC[i].split_whitespace().count();
            out.push(GENERIC[i].to_string());
        }
        out
    }

    /// Sentences of the key's applicable blocks with the given lead (0: filler).
    pub(super) fn applicable(&self, key: AnswerKey, lead: usize) -> Vec<&'static str> {
        LINES
            .iter()
            .filter(|b| b.key == key && b.lead == lead && self.profile.holds(&b.when))
            .flat_map(|b| b.sentences.iter().copied())
            .collect()
    }

    pub(super) fn pick_sentences(&mut self, pool: &[&'static str], min: usize, max: usize) -> Vec<&'static str> {
        let mut v = pool.to_vec();
        self.rng.shuffle(&mut v);
        let n = self.rng.range(min, max.min(v.len()));
        v.truncate(n);
        v
    }

    /// The answer length to aim for: inside the checker's range, now and then a little short, capped at 250.
    pub(super) fn target(&mut self, key: AnswerKey) -> usize {
        match constraint(self.constraints, key).words {
            Some(r) => {
                let hi = r.max.clamp(40, 250);
                let lo = (r.min.max(30) * 4 / 5).min(hi);
                self.rng.range(lo, hi)
            }
            None => 40,
        }
    }

    /// Sentences into one to three paragraphs.
    pub(super) fn paragraphs(&mut self, sentences: Vec<String>) -> Vec<Part> {
        let total = words(&sentences);
        let n = if total <= 70 || sentences.len() < 2 { 1 } else { self.rng.range(2, 3.min(sentences.len())) };
        let mut cuts: Vec<usize> = (1..sentences.len()).collect();
        self.rng.shuffle(&mut cuts);
        cuts.truncate(n - 1);
        cuts.sort_unstable();
        let mut parts = Vec::new();
        let mut start = 0;
        for cut in cuts.into_iter().chain(std::iter::once(sentences.len())) {
            parts.push(Part::Text(sentences[start..cut].join(" ")));
            start = cut;
        }
        parts
    }

    pub(super) fn expand(&self, s: &str) -> String {
        let (users, ms, rps) = self.load;
        s.replace("{framework}", self.theme.framework)
            .replace("{task}", self.theme.task)
            .replace("{data}", self.theme.data)
            .replace("{model}", self.theme.model)
            .replace("{pkg}", self.theme.pkg)
            .replace("{env}", self.env)
            .replace("{repo}", &self.repo)
            .replace("{slug}", &self.slug)
            .replace("{hash}", &self.hash)
            .replace("{users}", &users.to_string())
            .replace("{ms}", &ms.to_string())
            .replace("{rps}", &rps.to_string())
    }

    /// Registers a figure file and returns its path relative to the report.
    pub(super) fn figure(&mut self, stem: &str) -> String {
        let path = format!("figures/{stem}.png");
        if !self.figures.contains(&path) {
            self.figures.push(path.clone());
        }
        path
    }

    pub(super) fn image(&mut self, stem: &str, alt: &str) -> String {
        let path = self.figure(stem);
        format!("![{alt}]({path})")
    }

    // -- rendering -------------------------------------------------------------------------------------------------

    pub(super) fn render_checklist(
        &self,
        generation: ChecklistGeneration,
        ticks: &[(ChecklistId, bool)],
        style: Option<TickStyle>,
        wrapped: bool,
        promoted: bool,
    ) -> String {
        let mut s = String::from("## Overall project checklist\n\n");
        s.push_str(CHECKLIST_INTRO);
        if template::generation_spec(generation).module_tags {
            s.push(' ');
            s.push_str(CHECKLIST_INTRO_TAGS);
        }
        s.push_str("\n\n");
        let sep = if self.tabs { '\t' } else { ' ' };
        let level = if promoted { "##" } else { "###" };
        let mut week = None;
        for &(id, done) in ticks {
            let w = checklist_item(id).week(generation);
            if w != week {
                if week.is_some() {
                    s.push('\n');
                }
                if let Some(w) = w {
                    s.push_str(&format!("{level} {}\n\n", week_label(w, generation)));
                }
                week = w;
            }
            let text = item_text(id, generation);
            s.push_str(&TickStyle::prefix(style, done, sep));
            match wrapped.then(|| wrap_point(&text)).flatten() {
                Some(at) => {
                    s.push_str(&text[..at]);
                    s.push_str("\n    ");
                    s.push_str(&text[at + 1..]);
                }
                None => s.push_str(&text),
            }
            s.push('\n');
        }
        s.push('\n');
        s
    }

    pub(super) fn render_block(&self, b: &Block) -> String {
        let mut s = format!("### Question {}\n\n", b.number);
        for line in wrap_words(b.prompt, 110) {
            s.push_str(&format!("> **{line}**\n"));
        }
        s.push_str(">\n");
        if let Some(r) = b.length {
            s.push_str(&format!("> {}: {}-{} words.\n>\n", self.length_label, r.min, r.max));
        }
        match &b.answer {
            None => s.push_str(&format!("> Answer:\n\n--- question {} fill here ---\n\n", b.template_number)),
            Some(parts) => {
                let body = self.render_parts(parts);
                match b.wrapper {
                    Wrapper::Plain => s.push_str(&format!("> Answer:\n\n{body}\n\n")),
                    Wrapper::OnMarker => s.push_str(&format!("> Answer: {body}\n\n")),
                    Wrapper::Dashes => s.push_str(&format!("> Answer:\n\n--- {body} ---\n\n")),
                    Wrapper::BareLines => s.push_str(&format!("> Answer:\n\n---\n\n{body}\n\n---\n\n")),
                }
            }
        }
        s
    }

    pub(super) fn render_parts(&self, parts: &[Part]) -> String {
        parts
            .iter()
            .map(|p| match p {
                Part::Text(t) if self.hard_wrap => wrap_words(t, 120).join("\n"),
                Part::Text(t) | Part::Raw(t) => t.clone(),
            })
            .collect::<Vec<_>>()
            .join("\n\n")
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
