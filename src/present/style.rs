//! Colour on a terminal and counted nouns: the small things that make text output read right. Every command that
//! colours its output decides here whether to ([`Style::for_stdout`]) and paints with [`Style::paint`], so
//! `--color`, `NO_COLOR` and a pipe mean the same everywhere.

use std::io::IsTerminal;

/// When to colour text output (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set (to anything but the empty string).
    #[default]
    Auto,
    Always,
    Never,
}

/// Whether text written to standard output gets colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    pub colour: bool,
}

impl Style {
    /// The style for standard output under a choice: `auto` colours only a terminal, and never under `NO_COLOR`.
    pub fn for_stdout(choice: ColorChoice) -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let colour = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => !no_color && std::io::stdout().is_terminal(),
        };
        Style { colour }
    }

    fn wrap(self, code: &str, text: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// A heading (bold).
    pub fn heading(self, text: &str) -> String {
        self.wrap("1", text)
    }

    /// Something matched (bold red; `**word**` without colour).
    pub fn matched(self, text: &str) -> String {
        if self.colour {
            self.wrap("1;31", text)
        } else {
            format!("**{text}**")
        }
    }

    /// Something less important (dim).
    pub fn faint(self, text: &str) -> String {
        self.wrap("2", text)
    }

    /// A warning (yellow).
    pub fn warning(self, text: &str) -> String {
        self.wrap("33", text)
    }

    /// Text in a tone (unchanged without colour).
    pub fn paint(self, tone: Tone, text: &str) -> String {
        match tone {
            Tone::Plain => text.to_string(),
            Tone::Strong => self.heading(text),
            Tone::Faint => self.faint(text),
            Tone::Good => self.wrap("32", text),
            Tone::Warn => self.warning(text),
            Tone::Bad => self.wrap("1;31", text),
        }
    }
}

/// What a piece of output means to the reader, which its colour says on a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tone {
    #[default]
    Plain,
    /// A heading or a key figure (bold).
    Strong,
    /// Detail that matters less (dim).
    Faint,
    /// All is well: a supported claim (green).
    Good,
    /// Worth a look: a finding, a partial verdict, a near-duplicate (yellow).
    Warn,
    /// A problem: a claim without evidence, an exact copy (bold red).
    Bad,
}

pub use crate::nouns::count;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nouns_agree_and_plain_style_marks_with_stars() {
        assert_eq!(count(1, "answer", "answers"), "1 answer");
        assert_eq!(count(0, "answer", "answers"), "0 answers");
        assert_eq!(Style { colour: false }.matched("x"), "**x**");
        assert_eq!(Style { colour: true }.matched("x"), "\x1b[1;31mx\x1b[0m");
        assert_eq!(Style { colour: false }.paint(Tone::Bad, "x"), "x");
        assert_eq!(Style { colour: true }.paint(Tone::Good, "x"), "\x1b[32mx\x1b[0m");
    }
}
