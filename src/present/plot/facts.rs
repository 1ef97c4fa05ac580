//! `cohort plot facts`: strip plots of the numbers reports state (tests, coverage, credits), one panel per fact
//! and one row per cohort, every report a dot, the median marked. Strips rather than histograms: a cohort is a
//! few dozen reports, and a dot per report shows the spread and the outliers without choosing bins.

use super::{
    centred_within, nice_ticks, number, series_colour, widest, DrawError, Header, LegendEntry, Mark, Painter, Size,
    TextRole, AXIS, CENTRE_TOP, GRID, INK, LABEL_TEXT, LEFT_MIDDLE, LEFT_TOP, MARGIN, MUTED, NOTE_TEXT, RIGHT_MIDDLE,
    TICK_TEXT,
};
use plotters::prelude::*;

/// One panel per fact.
#[derive(Debug, Clone)]
pub struct FactStrips {
    pub header: Header,
    pub panels: Vec<FactPanel>,
    /// Legend names of the series (cohorts), in colour order.
    pub series: Vec<String>,
}

/// One fact: its title (with the unit) and a strip per cohort.
#[derive(Debug, Clone)]
pub struct FactPanel {
    pub title: String,
    pub rows: Vec<StripRow>,
}

/// One cohort's values of a fact.
#[derive(Debug, Clone)]
pub struct StripRow {
    pub label: String,
    /// Colour index (the cohort's place in [`FactStrips::series`]).
    pub series: usize,
    pub values: Vec<f64>,
    pub median: Option<f64>,
    /// Reports in the row, stating the fact or not.
    pub reports: u32,
}

impl StripRow {
    fn count_text(&self) -> String {
        format!("{} of {} state it", self.values.len(), self.reports)
    }

    fn median_text(&self) -> String {
        self.median.map_or_else(|| "no median".to_string(), |m| format!("median {}", number(m)))
    }
}

const STRIP_WIDTH: i32 = 900;
const ROW: f64 = 50.0;
const PANEL_TITLE: f64 = 30.0;
const PANEL_TICKS: f64 = 26.0;
const PANEL_GAP: f64 = 20.0;

impl FactStrips {
    fn legend(&self) -> Vec<LegendEntry> {
        let mut v: Vec<LegendEntry> = if self.series.len() <= 1 {
            vec![LegendEntry::new(Mark::Dot(series_colour(0)), "one report")]
        } else {
            self.series
                .iter()
                .enumerate()
                .map(|(i, s)| LegendEntry::new(Mark::Dot(series_colour(i)), s.clone()))
                .collect()
        };
        v.push(LegendEntry::new(Mark::Tick(INK), "median"));
        v
    }

    fn rows(&self) -> usize {
        self.panels.iter().map(|p| p.rows.len()).sum()
    }

    /// Widths of the row-label column and of the median column at a text scale.
    fn columns(&self, scale: f64) -> (i32, i32) {
        let rows = || self.panels.iter().flat_map(|p| p.rows.iter());
        let labels: Vec<String> = rows().map(|r| r.label.clone()).collect();
        let counts: Vec<String> = rows().map(StripRow::count_text).collect();
        let medians: Vec<String> = rows().map(StripRow::median_text).collect();
        let label = widest(labels.iter().map(String::as_str), LABEL_TEXT * scale)
            .max(widest(counts.iter().map(String::as_str), TICK_TEXT * scale))
            + (16.0 * scale) as i32;
        let median = widest(medians.iter().map(String::as_str), TICK_TEXT * scale) + (14.0 * scale) as i32;
        (label, median)
    }

    fn fixed_height(&self, scale: f64) -> f64 {
        self.panels.len() as f64 * (PANEL_TITLE + PANEL_TICKS + PANEL_GAP) * scale
    }

    pub(super) fn default_size(&self) -> Size {
        let (label, median) = self.columns(1.0);
        let width = 2 * MARGIN + label + STRIP_WIDTH + median;
        let header = self.header.height(&self.legend(), width, 1.0);
        let body = self.fixed_height(1.0) + self.rows() as f64 * ROW;
        Size { width: width as u32, height: (header as f64 + body).ceil() as u32 + MARGIN as u32 }
    }

    pub(super) fn draw<DB: DrawingBackend>(&self, p: &mut Painter<DB>, size: Size) -> Result<(), DrawError> {
        let scale = p.scale;
        let s = |px: f64| (px * scale).round() as i32;
        let width = size.width as i32;
        let mut y = self.header.draw(p, &self.legend(), width)? as f64;
        let (label_w, median_w) = self.columns(scale);
        let (x0, x1) = (MARGIN + label_w, width - MARGIN - median_w);
        let spare = size.height as f64 - MARGIN as f64 - y - self.fixed_height(scale);
        let row = spare / self.rows().max(1) as f64;
        let (label_font, tick_font) = (p.font(LABEL_TEXT), p.font(TICK_TEXT));
        let radius = s(4.5).max(2);

        for panel in &self.panels {
            p.text(&panel.title, (x0, y.round() as i32 + s(6.0)), p.font(NOTE_TEXT), LEFT_TOP, INK, TextRole::Axis)?;
            y += PANEL_TITLE * scale;
            let max = panel.rows.iter().flat_map(|r| r.values.iter().copied()).fold(0.0, f64::max);
            let (ticks, end) = nice_ticks(max, 8);
            let x_of = |v: f64| x0 + ((v / end).clamp(0.0, 1.0) * (x1 - x0) as f64).round() as i32;
            let (top, bottom) = (y.round() as i32, (y + row * panel.rows.len() as f64).round() as i32);
            for t in &ticks {
                let x = x_of(*t);
                p.line((x, top), (x, bottom), if *t == 0.0 { AXIS } else { GRID }, 1)?;
                let label = number(*t);
                let cx = centred_within(&label, tick_font, x, MARGIN, width - MARGIN);
                p.text(&label, (cx, bottom + s(5.0)), tick_font, CENTRE_TOP, MUTED, TextRole::Tick)?;
            }
            for r in &panel.rows {
                let (ry0, ry1) = (y, y + row);
                let cy = (ry0 + ry1) / 2.0;
                p.line((x0, cy.round() as i32), (x1, cy.round() as i32), GRID, 1)?;
                let colour = series_colour(r.series);
                let spread = (row * 0.30).max(1.0);
                for (i, v) in r.values.iter().enumerate() {
                    // Deterministic jitter (golden-ratio sequence), so the same data draws the same figure.
                    let jitter = ((i as f64 * 0.618_033_988_75).fract() - 0.5) * 2.0 * spread;
                    p.dot((x_of(*v), (cy + jitter).round() as i32), radius, colour.mix(0.55).filled())?;
                }
                if let Some(m) = r.median {
                    let x = x_of(m);
                    p.rect(
                        x - s(1.5).max(1),
                        (ry0 + row * 0.1).round() as i32,
                        x + s(1.5).max(1) + 1,
                        (ry1 - row * 0.1).round() as i32,
                        INK.filled(),
                    )?;
                }
                let line = s(9.0);
                p.text(
                    &r.label,
                    (x0 - s(10.0), cy.round() as i32 - line),
                    label_font,
                    RIGHT_MIDDLE,
                    INK,
                    TextRole::Category,
                )?;
                p.text(
                    &r.count_text(),
                    (x0 - s(10.0), cy.round() as i32 + line),
                    tick_font,
                    RIGHT_MIDDLE,
                    MUTED,
                    TextRole::Note,
                )?;
                p.text(
                    &r.median_text(),
                    (x1 + s(10.0), cy.round() as i32),
                    tick_font,
                    LEFT_MIDDLE,
                    INK,
                    TextRole::Value,
                )?;
                y = ry1;
            }
            y += (PANEL_TICKS + PANEL_GAP) * scale;
        }
        Ok(())
    }
}
