//! The total code coverage (question `coverage`), in percent. Candidates are the numbers followed by `%`,
//! "percent" or "of the code" ("86%", "$70\%$", "72 of the code"); a range ("60 to 70 percent", "35-40%",
//! "between 95% and 100%") stands for its midpoint. Each is ranked by what surrounds it:
//!
//! - **total**: said to be the total, overall or average figure, or on the TOTAL row of a coverage table;
//! - **plain**: a coverage figure with nothing saying what part it covers;
//! - **component**: about one file or part ("data.py 84%", "the API at 40%"), or listed with such figures;
//! - not a candidate at all: hypothetical ("even with 100%"), a bound ("below 10%"), or not about coverage.
//!
//! The first figure of the highest rank wins: a total (`stated-total`), else the only plain figure (`sole-figure`)
//! or the first of several (`first-figure`). Figures about components only give no total.

use super::about::{self, Stance};
use super::scan::{ceil_boundary, floor_boundary, numbers, range_before, regex, Scan, With};
use super::{Cand, Decided, Judgement, Verdict};
use crate::domain::FactRule;
use std::ops::Range;

/// Words naming one part of the code base: a coverage figure said of one of them is not the total.
const COMPONENTS: &str = "data|dataset|datamodule|dataloader|model|models|api|train|training|trainer|evaluate|evaluation|inference|frontend|backend|module|file|script|scripts|utils?|visuali[sz]ation|predict\\w*";

/// How much a stated percentage looks like the total coverage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum CoverageRank {
    Component = 1,
    Plain = 2,
    Total = 3,
}

impl CoverageRank {
    fn read_as(self) -> &'static str {
        match self {
            CoverageRank::Component => "a figure about one part of the code",
            CoverageRank::Plain => "a coverage figure",
            CoverageRank::Total => "a total figure",
        }
    }
}

/// A percentage in the answer and its rank (or why it is none).
struct Figure {
    value: f64,
    /// The number (or the range) as written.
    span: Range<usize>,
    /// The figure with its unit.
    whole: Range<usize>,
    rank: Result<CoverageRank, &'static str>,
    /// Read from a range: the midpoint.
    ranged: bool,
}

pub(super) fn read(scan: &Scan<'_>, explain: bool) -> Decided<f64> {
    // LaTeX math (`$66\%$`): the dollar signs are not currency here.
    let scan = scan.rewritten(regex!(r"\$"), With::Text(""));
    judge(&scan).quoted(&scan, explain)
}

fn judge(scan: &Scan<'_>) -> Judgement<f64> {
    let text = &scan.text;
    let unit = regex!(
        r"(?i)^\s*\]?\s*(?:%|percent\b|per cent\b|\s+of\s+(?:the\s+|our\s+)?(?:project's\s+|projects\s+)?code\b)"
    );
    let mut figures: Vec<Figure> = Vec::new();
    for n in numbers(text) {
        if n.word || n.value > 100.0 {
            continue;
        }
        // Only `%`, `]%`, "percent", "per cent" or "of the code" can follow: a look at the next byte first.
        let next = text[n.span.end..].trim_start().bytes().next();
        if !matches!(next, Some(b'%' | b']' | b'p' | b'P' | b'o' | b'O')) {
            continue;
        }
        let Some(u) = unit.find(&text[n.span.end..]) else { continue };
        let mut value = n.value;
        let mut span = n.span.clone();
        let mut ranged = false;
        if let Some((lo, start)) = range_before(text, n.span.start, "%") {
            if lo < value {
                ranged = true;
                value = (lo + value) / 2.0;
                span.start = start;
                // The low end was read as a figure of its own: it is part of this one.
                if figures.last().is_some_and(|f| f.span.start >= start) {
                    figures.pop();
                }
            }
        }
        let whole = span.start..n.span.end + u.end();
        figures.push(Figure { value, span, whole, rank: Err(""), ranged });
    }
    // "data, model and api: 40%, 60% and 100%": a figure listed right after a component figure is one too.
    let list_gap = regex!(r"^[\s,]*(?:and\s+)?$");
    for i in 0..figures.len() {
        let own = coverage_rank(scan, figures[i].whole.start, figures[i].whole.end);
        let listed = i > 0
            && list_gap.is_match(&text[figures[i - 1].whole.end.min(figures[i].whole.start)..figures[i].whole.start]);
        figures[i].rank = match (listed, own) {
            (true, own) if own != Ok(CoverageRank::Total) => match figures[i - 1].rank {
                Ok(rank) => Ok(rank),
                Err(_) => own,
            },
            _ => own,
        };
    }
    let mut cands: Vec<Cand> = figures
        .iter()
        .map(|f| {
            let value = if f.ranged { format!("{} (midpoint of a range)", f.value) } else { f.value.to_string() };
            let mut c = Cand::new(f.span.clone(), value, f.rank.map_or("not a coverage figure", CoverageRank::read_as));
            if let Err(why) = f.rank {
                c.why = why.to_string();
            }
            c
        })
        .collect();
    let best = figures.iter().enumerate().filter_map(|(i, f)| f.rank.ok().map(|r| (i, r))).fold(
        None::<(usize, CoverageRank)>,
        |best, (i, r)| match best {
            Some((_, b)) if b >= r => best,
            _ => Some((i, r)),
        },
    );
    let plain_count = figures.iter().filter(|f| f.rank == Ok(CoverageRank::Plain)).count();
    match best {
        Some((i, rank)) if rank >= CoverageRank::Plain => {
            let rule = match rank {
                CoverageRank::Total => FactRule::StatedTotal,
                _ if plain_count == 1 => FactRule::SoleFigure,
                _ => FactRule::FirstFigure,
            };
            for (k, c) in cands.iter_mut().enumerate() {
                if k == i {
                    c.verdict = Verdict::Chosen;
                    c.why = format!("{rule}: the first figure of the highest rank");
                } else if c.why.is_empty() {
                    c.why = match figures[k].rank {
                        Ok(r) if r < rank => format!("ranked lower than {}", rank.read_as()),
                        _ => "a later figure of the same rank".into(),
                    };
                }
            }
            Judgement::found(figures[i].value, rule, vec![figures[i].span.clone()], cands)
        }
        _ => {
            for c in cands.iter_mut().filter(|c| c.why.is_empty()) {
                c.why = "about one part only: parts without a total give no total".into();
            }
            Judgement::absent(cands)
        }
    }
}

/// Ranks one percentage by its context, or says why it is not a coverage figure of this code base.
fn coverage_rank(scan: &Scan<'_>, start: usize, end: usize) -> Result<CoverageRank, &'static str> {
    let text = &scan.text;
    let sentence = scan.sentence_of(start);
    // A figure can run past its sentence's end (a break between the number and `%`): the windows then stay empty
    // rather than reach backwards.
    let before = &text[floor_boundary(text, start.saturating_sub(70).max(sentence.start).min(start))..start];
    let after = &text[end..ceil_boundary(text, (end + 45).min(sentence.end).max(end))];
    // What follows, up to the next figure: "model 36%, 55% overall" says nothing of the 36.
    let after = &after[..after.find(|c: char| c.is_ascii_digit()).unwrap_or(after.len())];
    let before_l = before.to_lowercase();
    let after_l = after.to_lowercase();
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..text[start..].find('\n').map_or(text.len(), |i| start + i)];

    // The TOTAL row of a coverage report table.
    if regex!(r"(?i)^\s*\|?\s*total\b").is_match(line) {
        return Ok(CoverageRank::Total);
    }
    // "Even if we had 100%", "far from 100%", "would be 80%", "100% coverage does not mean ...".
    let hypothetical = regex!(
        r"(?i)\b(?:even|would|wouldn't|could|couldn't|should|hypothetically|achieving|reaching|goal|not reach|aim(?:ing|ed|s)?(?: for| at)?|target(?:ing|ed)?|strive|hope)\b|far from|away from|close to|\bif\b[^,.]*\b(?:had|were|was|achieved?|reached?|got|get)\b"
    );
    // Only the figure's own clause speaks of it: "we aim for 100% but are at 37%" says nothing hypothetical of 37.
    let own_clause =
        regex!(r"\b(?:but|while|whereas|although|though|however)\b|;").split(&before_l).last().unwrap_or(&before_l);
    if hypothetical.is_match(own_clause)
        || regex!(r"^\s*(?:code\s+)?(?:coverage\s+)?(?:is\s+)?(?:does|doesn't|is not|isn't|means|sounds|would|can|still|or close|goal)\b")
            .is_match(&after_l)
    {
        return Err("hypothetical, a goal, or a claim about coverage in general");
    }
    let stance = about::stance(&before_l, &after_l);
    if stance != Stance::Own {
        return Err(stance.why());
    }
    // "100% of the tests pass": a share of something else than the code.
    if regex!(r"^\s*(?:of\s+(?:the\s+|our\s+|all\s+)?(?:unit\s+)?(?:tests?|test cases|cases|time|runs?|builds?|checks?|pipelines?|workflows?|requests?)\b|(?:pass|passed|passing|success|accuracy|accurate|uptime)\b)").is_match(&after_l) {
        return Err("a share of something other than the code (tests passing, runs)");
    }
    // "below 10%", "more than 50%": a bound, not a figure.
    if regex!(r"(?i)(?:below|under|less than|more than|above|over|at least)\s*\(?\s*$").is_match(&before_l) {
        return Err("a bound, not a figure");
    }
    let sentence_l = text[sentence.clone()].to_lowercase();
    let total_before =
        regex!(r"\b(?:total|overall|average|all (?:of )?(?:our|the)|entire|whole)\b").is_match(&before_l);
    // "... 45%; we did not compute a total": a total said not to exist is no total.
    let total_after =
        regex!(r"^[^.\n]{0,25}\b(?:across (?:all|the|our)|of (?:all|the whole|the entire)|in total|overall|total)\b")
            .find(&after_l)
            .is_some_and(|m| !regex!(r"\b(?:not|no|without)\b|n't\b").is_match(m.as_str()));
    let partial = regex!(r"\bif we only\b|\bonly (?:look|consider|count)").is_match(&after_l);
    let component = regex!(&format!(r"\.py\b|\btest_\w+|\b(?:{COMPONENTS})\b"));
    let about_coverage = regex!(r"cover|coerage|covarage").is_match(&sentence_l);
    if (total_before || total_after) && !partial {
        return Ok(CoverageRank::Total);
    }
    if !about_coverage {
        return Err("its sentence is not about coverage");
    }
    // The clause the figure ends; for "as follows: 40%", the clause before the colon.
    let clause_before = before_l.rsplit([',', ';', ':']).find(|c| !c.trim().is_empty()).unwrap_or("");
    let names_component = component.is_match(clause_before)
        || regex!(r"^\s*\)?\s*(?:coverage\s+)?(?:for|on|in|of)\s+(?:the\s+)?\w+").is_match(&after_l)
            && component.is_match(after_l.split([',', '.', ';']).next().unwrap_or(""));
    if names_component || partial {
        Ok(CoverageRank::Component)
    } else {
        Ok(CoverageRank::Plain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::facts::Reading;

    fn coverage(md: &str) -> Option<f64> {
        match read(&Scan::new(md, 1), false).reading {
            Reading::Found(v) => Some(v),
            _ => None,
        }
    }

    #[test]
    fn coverage_plain_and_total_figures() {
        assert_eq!(coverage("The total code coverage is 64%."), Some(64.0));
        assert_eq!(coverage("Running pytest-cov gives 81% coverage."), Some(81.0));
        assert_eq!(coverage("Our code coverage is **57.5%**."), Some(57.5));
        assert_eq!(coverage(r"Coverage came out at $66\%$."), Some(66.0));
        assert_eq!(coverage("Today 58 of the code is covered by tests."), Some(58.0));
        assert_eq!(coverage("Our coverage is 45 percent."), Some(45.0));
    }

    #[test]
    fn coverage_ranges_are_midpoints() {
        assert_eq!(coverage("We measure 50 to 60 percent coverage."), Some(55.0));
        assert_eq!(coverage("The total coverage is about 30-40%."), Some(35.0));
        assert_eq!(coverage("Coverage is between 90% and 100%."), Some(95.0));
    }

    #[test]
    fn coverage_total_wins_over_per_file_figures() {
        let md = "data.py has 90% coverage and model.py 40%. The total coverage is 61%.";
        assert_eq!(coverage(md), Some(61.0));
        let table =
            "Name    Stmts   Miss  Cover\nsrc/a.py   10   0   100%\nsrc/b.py  30  15   50%\nTOTAL   40   15   62%";
        assert_eq!(coverage(table), Some(62.0));
    }

    #[test]
    fn coverage_hypothetical_and_bound_figures_are_not_read() {
        assert_eq!(coverage("Even if we had 100% coverage we would not trust it."), None);
        assert_eq!(coverage("Our coverage is 48%, far from 100%."), Some(48.0));
        assert_eq!(coverage("Our coverage is very low (below 10%)."), None);
    }

    #[test]
    fn coverage_from_an_html_report_table() {
        let md = "<table>\n<tr>\n<td>src/a.py</td>\n<td>10</td>\n<td>100%</td>\n</tr>\n<tr>\n<td>TOTAL</td>\n<td>40</td>\n<td>73%</td>\n</tr>\n</table>";
        assert_eq!(coverage(md), Some(73.0));
    }

    #[test]
    fn coverage_lists_of_components_and_typographic_quotes() {
        assert_eq!(coverage("We measured data, model and api at 20%, 50% and 100% coverage."), None);
        assert_eq!(coverage("utils.py reaches 100% coverage, although 100% coverage doesn\u{2019}t prove correctness; the API sits at 30%."), None);
        assert_eq!(coverage("Data is at 84% and the model at 36%, 55% overall."), Some(55.0));
    }

    #[test]
    fn coverage_per_component_only_gives_no_total() {
        assert_eq!(coverage("The coverage for the data is 30%, for the model 80% and for the API 100%."), None);
        assert_eq!(coverage("Model code is at 90% and API code at 35% coverage."), None);
    }

    #[test]
    fn coverage_absent_when_no_figure() {
        assert_eq!(coverage("We did not measure coverage."), None);
    }

    #[test]
    fn coverage_written_as_latex_math() {
        assert_eq!(coverage(r"Our total coverage is $\mathbf{78\,\%}$."), Some(78.0));
        assert_eq!(coverage(r"$\text{Coverage}_{total} = 81\%$"), Some(81.0));
    }

    /// Found by the fuzzer: a figure whose `%` starts the next sentence ran past its sentence's end, and the text
    /// window after it was sliced backwards (a panic).
    #[test]
    fn a_figure_running_past_its_sentence_is_read_without_panicking() {
        assert_eq!(coverage("Our code coverage is 60\n% of the lines."), Some(60.0));
        let _ = coverage("Coverage: 60\n\n%");
    }
}
