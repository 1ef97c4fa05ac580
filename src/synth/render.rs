//! Rendering a report as markdown: its checklist, its question blocks and their answers' parts.

use super::*;

impl Builder {
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
