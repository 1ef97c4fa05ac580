//! `cohort dupes --figures` for people and programs: figures copied between reports as a ranked table, JSON Lines
//! and CSV rows (docs/interface.md).

use super::output::OutputError;
use super::style::{count, Style, Tone};
use super::table::Table;
use crate::dupes::figures::{FigurePair, FigureSettings};
use crate::dupes::run::Source;
use std::io::{self, Write};

/// One pair of figures in the JSON Lines output.
#[derive(Debug, serde::Serialize)]
pub struct FigurePairJson<'a> {
    /// Always `figure` (text pairs have no `kind` of this value: theirs are `exact`, `near`, `partial`).
    pub kind: &'static str,
    pub a: &'a str,
    pub b: &'a str,
    /// The figures' paths inside their reports' folders.
    pub a_figure: &'a str,
    pub b_figure: &'a str,
    /// Distance in bits of 128: pHash + dHash (0: the same picture, or the same bytes).
    pub distance: u32,
    /// The same bytes.
    pub identical: bool,
    pub same_group: bool,
    pub cohort_a: &'a str,
    pub cohort_b: &'a str,
    pub group_a: Option<u32>,
    pub group_b: Option<u32>,
}

/// A figure pair as its JSON Lines row.
pub fn figure_pair_json<'a>(source: &'a Source, p: &FigurePair) -> FigurePairJson<'a> {
    let (fa, fb) = (&source.figures[p.a], &source.figures[p.b]);
    let (ma, mb) = (&source.corpus.reports[fa.report], &source.corpus.reports[fb.report]);
    FigurePairJson {
        kind: "figure",
        a: &ma.id,
        b: &mb.id,
        a_figure: &fa.path,
        b_figure: &fb.path,
        distance: p.distance,
        identical: p.identical,
        same_group: p.same_group,
        cohort_a: &ma.cohort,
        cohort_b: &mb.cohort,
        group_a: ma.group,
        group_b: mb.group,
    }
}

/// The columns of `cohort dupes --figures --csv`: the fields of its JSON Lines rows, in their order.
pub const FIGURE_CSV_COLUMNS: [&str; 12] = [
    "kind",
    "a",
    "b",
    "a_figure",
    "b_figure",
    "distance",
    "identical",
    "same_group",
    "cohort_a",
    "cohort_b",
    "group_a",
    "group_b",
];

pub fn write_figure_csv(out: &mut impl Write, source: &Source, pairs: &[FigurePair]) -> Result<(), OutputError> {
    super::csv::write_records(out, &FIGURE_CSV_COLUMNS, pairs.iter().map(|p| figure_pair_json(source, p)))
}

/// The ranked table of figure pairs (nothing when there are none).
pub fn write_figure_table(out: &mut impl Write, source: &Source, pairs: &[FigurePair], style: Style) -> io::Result<()> {
    if pairs.is_empty() {
        return Ok(());
    }
    let mut table = Table::new(&["#", "a", "figure of a", "b", "figure of b", "distance", "note"]);
    table.numeric = vec![true, false, false, false, false, true, false];
    for (i, p) in pairs.iter().enumerate() {
        let row = figure_pair_json(source, p);
        let earlier = source.corpus.reports[source.figures[p.b].report].earlier;
        let note = match (p.same_group, p.identical, earlier) {
            (true, _, _) => "same group",
            (false, true, true) => "same file, earlier cohort",
            (false, true, false) => "same file",
            (false, false, true) => "earlier cohort",
            (false, false, false) => "",
        };
        let tone = if p.same_group {
            Tone::Faint
        } else if p.identical {
            Tone::Bad
        } else {
            Tone::Warn
        };
        let plain = |s: &str| (s.to_string(), Tone::Plain);
        table.push_toned(vec![
            plain(&(i + 1).to_string()),
            plain(row.a),
            plain(row.a_figure),
            plain(row.b),
            plain(row.b_figure),
            (p.distance.to_string(), tone),
            (note.to_string(), Tone::Faint),
        ]);
    }
    table.print_styled(out, style)
}

/// What was compared, in one line.
pub fn figure_summary_line(source: &Source, pairs: usize, settings: &FigureSettings) -> String {
    let reports = source.corpus.reports.iter().filter(|r| !r.earlier).count();
    format!(
        "{} among {} of {} (distance ≤ {} bits of 128; a figure in more than {} is common and ignored)",
        count(pairs, "figure pair", "figure pairs"),
        count(source.figures.len(), "figure", "figures"),
        count(reports, "report", "reports"),
        settings.max_distance,
        count(settings.common, "report", "reports"),
    )
}
