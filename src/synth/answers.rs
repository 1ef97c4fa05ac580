//! Writing the answers: what each question's answer says, from the group's profile and the sentence pools.

use super::*;
use crate::domain::number_words;

impl Builder {
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

    // rendering -------------------------------------------------------------------------------------------------
}
