//! `cohort plot checklist`: completion rate per canonical item as horizontal bars, items in template order, one
//! row each. One series: bars coloured by week. Several (cohorts): one bar per cohort in each row, coloured by
//! cohort, with the weeks as tinted bands behind them.

use super::{
    measure, percent, series_colour, week_colour, week_name, widest, DrawError, Header, LegendEntry, Mark, Painter,
    Rate, Size, TextRole, AXIS, CENTRE_BOTTOM, CENTRE_MIDDLE, CENTRE_TOP, GRID, INK, LABEL_TEXT, LEFT_MIDDLE, MARGIN,
    MUTED, NOTE_TEXT, RIGHT_MIDDLE, TICK_TEXT,
};
use crate::domain::Week;
use plotters::prelude::*;

/// Completion per item.
#[derive(Debug, Clone)]
pub struct ItemRates {
    pub header: Header,
    /// Series names, in drawing order (cohorts, or one name for everything pooled).
    pub series: Vec<String>,
    /// Items in template order.
    pub items: Vec<ItemRow>,
    /// What the bars measure, under the axis (default: completion rate).
    pub axis_name: Option<String>,
}

/// One item: its label, week, and its rate in each series (`None`: no report of that series has the item).
#[derive(Debug, Clone)]
pub struct ItemRow {
    pub label: String,
    pub week: Option<Week>,
    pub rates: Vec<Option<Rate>>,
}

const AXIS_NAME: &str = "completion rate: ticked / reports whose own checklist has the item";
/// Bar area width at the fitted size.
const BARS: i32 = 860;

/// Pixel positions of the parts, at a size and text scale.
struct Layout {
    label_font: f64,
    tick_font: f64,
    bars_x0: i32,
    bars_x1: i32,
    week_x: i32,
    rows_y0: f64,
    pitch: f64,
}

impl ItemRates {
    fn single(&self) -> bool {
        self.series.len() <= 1
    }

    fn legend(&self) -> Vec<LegendEntry> {
        let mut weeks: Vec<Option<Week>> = self.items.iter().map(|i| i.week).collect();
        weeks.dedup();
        if self.single() {
            weeks.into_iter().map(|w| LegendEntry::new(Mark::Swatch(week_colour(w)), week_name(w))).collect()
        } else {
            let mut v: Vec<LegendEntry> = self
                .series
                .iter()
                .enumerate()
                .map(|(i, s)| LegendEntry::new(Mark::Swatch(series_colour(i)), s.clone()))
                .collect();
            v.extend(
                weeks
                    .into_iter()
                    .map(|w| LegendEntry::new(Mark::Band(week_colour(w)), format!("{} (band)", week_name(w)))),
            );
            v
        }
    }

    fn fitted_pitch(&self) -> f64 {
        let k = self.series.len().max(1) as f64;
        if self.single() {
            24.0
        } else {
            (7.0 * k + 10.0).max(24.0)
        }
    }

    fn value_text(rate: Rate) -> String {
        match rate.value() {
            Some(v) => format!("{} of {}", percent(v), rate.total),
            None => String::new(),
        }
    }

    /// Widths of the label column, the value column and the week column at a text scale.
    fn columns(&self, scale: f64) -> (i32, i32, i32) {
        let label = widest(self.items.iter().map(|i| i.label.as_str()), LABEL_TEXT * scale) + (14.0 * scale) as i32;
        let value = if self.single() {
            let texts: Vec<String> =
                self.items.iter().filter_map(|i| i.rates.first().copied().flatten()).map(Self::value_text).collect();
            widest(texts.iter().map(String::as_str), TICK_TEXT * scale) + (12.0 * scale) as i32
        } else {
            (12.0 * scale) as i32
        };
        let week = measure("week 3", NOTE_TEXT * scale).1 + (16.0 * scale) as i32;
        (label, value, week)
    }

    pub(super) fn default_size(&self) -> Size {
        let (label, value, week) = self.columns(1.0);
        let width = 2 * MARGIN + label + BARS + value + week;
        let header = self.header.height(&self.legend(), width, 1.0);
        let rows = (self.items.len() as f64 * self.fitted_pitch()).ceil() as i32;
        Size { width: width as u32, height: (header + 26 + rows + 58 + MARGIN) as u32 }
    }

    fn layout(&self, size: Size, scale: f64) -> Layout {
        let s = |px: f64| (px * scale).round() as i32;
        let (label, value, week) = self.columns(scale);
        let (w, h) = (size.width as i32, size.height as i32);
        let body_top = self.header.height(&self.legend(), w, scale);
        let rows_y0 = (body_top + s(26.0)) as f64;
        let rows_y1 = (h - MARGIN - s(58.0)) as f64;
        Layout {
            label_font: LABEL_TEXT * scale,
            tick_font: TICK_TEXT * scale,
            bars_x0: MARGIN + label,
            bars_x1: w - MARGIN - week - value,
            week_x: w - MARGIN - week / 2,
            rows_y0,
            pitch: (rows_y1 - rows_y0) / self.items.len().max(1) as f64,
        }
    }

    pub(super) fn draw<DB: DrawingBackend>(&self, p: &mut Painter<DB>, size: Size) -> Result<(), DrawError> {
        let scale = p.scale;
        let s = |px: f64| (px * scale).round() as i32;
        let l = self.layout(size, scale);
        let width = size.width as i32;
        // The layout reserved the header's height; the rows start below it.
        self.header.draw(p, &self.legend(), width)?;
        let n = self.items.len();
        let row_y = |i: usize| l.rows_y0 + i as f64 * l.pitch;
        let rows_y1 = row_y(n);
        let x_of = |rate: f64| l.bars_x0 + (rate * (l.bars_x1 - l.bars_x0) as f64).round() as i32;

        // Week bands behind the rows, named in the right-hand column.
        let mut start = 0;
        while start < n {
            let week = self.items[start].week;
            let end = (start..n).find(|&i| self.items[i].week != week).unwrap_or(n);
            let (y0, y1) = (row_y(start).round() as i32, row_y(end).round() as i32);
            let tint = week_colour(week);
            p.rect(l.bars_x0, y0, width - MARGIN, y1, tint.mix(if self.single() { 0.07 } else { 0.14 }).filled())?;
            p.rect(width - MARGIN - s(5.0), y0, width - MARGIN, y1, tint.filled())?;
            if let Some(name) = super::fit(week_name(week), p.font(NOTE_TEXT), y1 - y0 - s(6.0)) {
                let at = (l.week_x - s(3.0), (y0 + y1) / 2);
                p.upright(&name, at, p.font(NOTE_TEXT), CENTRE_MIDDLE, INK, TextRole::Category)?;
            }
            start = end;
        }

        // Grid and percentage ticks above and below.
        let top = l.rows_y0.round() as i32;
        let bottom = rows_y1.round() as i32;
        for tenth in 0..=10 {
            let x = x_of(tenth as f64 / 10.0);
            p.line((x, top), (x, bottom), if tenth == 0 { AXIS } else { GRID }, 1)?;
            let label = format!("{}%", tenth * 10);
            p.text(&label, (x, top - s(5.0)), l.tick_font, CENTRE_BOTTOM, MUTED, TextRole::Tick)?;
            p.text(&label, (x, bottom + s(5.0)), l.tick_font, CENTRE_TOP, MUTED, TextRole::Tick)?;
        }
        let axis_y = bottom + s(30.0);
        p.text(
            self.axis_name.as_deref().unwrap_or(AXIS_NAME),
            ((l.bars_x0 + l.bars_x1) / 2, axis_y),
            p.font(NOTE_TEXT),
            CENTRE_TOP,
            INK,
            TextRole::Axis,
        )?;

        // Bars, labels and (one series) values.
        let k = self.series.len().max(1);
        for (i, item) in self.items.iter().enumerate() {
            let (y0, y1) = (row_y(i), row_y(i + 1));
            let pad = (l.pitch * if self.single() { 0.18 } else { 0.12 }).max(1.0);
            let bar = (y1 - y0 - 2.0 * pad) / k as f64;
            for (j, rate) in item.rates.iter().enumerate().take(k) {
                let Some(value) = rate.and_then(|r| r.value()) else {
                    continue;
                };
                let colour = if self.single() { week_colour(item.week) } else { series_colour(j) };
                let by0 = (y0 + pad + j as f64 * bar).round() as i32;
                let by1 = ((y0 + pad + (j + 1) as f64 * bar).round() as i32 - if k > 1 { 1 } else { 0 }).max(by0 + 1);
                p.rect(l.bars_x0, by0, x_of(value).max(l.bars_x0 + 1), by1, colour.filled())?;
                if self.single() {
                    if let Some(r) = rate {
                        let text = Self::value_text(*r);
                        p.text(
                            &text,
                            (x_of(value) + s(6.0), (by0 + by1) / 2),
                            l.tick_font,
                            LEFT_MIDDLE,
                            MUTED,
                            TextRole::Value,
                        )?;
                    }
                }
            }
            let cy = ((y0 + y1) / 2.0).round() as i32;
            p.text(&item.label, (l.bars_x0 - s(8.0), cy), l.label_font, RIGHT_MIDDLE, INK, TextRole::Category)?;
        }
        Ok(())
    }
}
