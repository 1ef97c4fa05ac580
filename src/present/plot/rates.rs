//! `cohort plot weeks` and `cohort plot modules`: completion rate per checklist week (or course module) as
//! vertical bars, one per cohort side by side.

use super::{
    measure, percent, series_colour, widest, Anchor, DrawError, Header, LegendEntry, Mark, Painter, Rate, Size,
    TextRole, AXIS, CENTRE_BOTTOM, CENTRE_MIDDLE, CENTRE_TOP, GRID, INK, LABEL_TEXT, MARGIN, MUTED, NOTE_TEXT,
    RIGHT_MIDDLE, TICK_TEXT,
};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Completion per category (week or module) and series (cohort).
#[derive(Debug, Clone)]
pub struct GroupRates {
    pub header: Header,
    /// What the categories are, written under them.
    pub axis_name: String,
    pub categories: Vec<String>,
    /// Legend names of the series, in colour order.
    pub series: Vec<String>,
    /// `rates[category][series]`; `None` where the series has no item of the category.
    pub rates: Vec<Vec<Option<Rate>>>,
}

const Y_AXIS_NAME: &str = "completion rate (ticked / items present)";
const PLOT_HEIGHT: i32 = 440;

/// How value labels fit over the bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Values {
    Level,
    Upright,
    None,
}

impl GroupRates {
    fn k(&self) -> usize {
        self.series.len().max(1)
    }

    fn legend(&self) -> Vec<LegendEntry> {
        self.series
            .iter()
            .enumerate()
            .map(|(i, s)| LegendEntry::new(Mark::Swatch(series_colour(i)), s.clone()))
            .collect()
    }

    fn fitted_bar(&self) -> f64 {
        if self.k() <= 2 {
            34.0
        } else {
            15.0
        }
    }

    fn fitted_slot(&self) -> f64 {
        let label = widest(self.categories.iter().map(String::as_str), LABEL_TEXT) as f64 + 14.0;
        (self.k() as f64 * self.fitted_bar() / 0.78).max(label.min(120.0)).max(60.0)
    }

    fn y_axis_width(&self, scale: f64) -> i32 {
        measure("100%", TICK_TEXT * scale).0 + measure("0", NOTE_TEXT * scale).1 + (22.0 * scale) as i32
    }

    fn values_mode(&self, bar: f64, font: f64) -> Values {
        let (w, h) = measure("100%", font);
        if (w as f64) <= bar - 2.0 {
            Values::Level
        } else if (h as f64) <= bar - 2.0 {
            Values::Upright
        } else {
            Values::None
        }
    }

    pub(super) fn default_size(&self) -> Size {
        let plot_w = (self.categories.len() as f64 * self.fitted_slot()).ceil() as i32;
        let width = (2 * MARGIN + self.y_axis_width(1.0) + plot_w).max(900);
        let header = self.header.height(&self.legend(), width, 1.0);
        let labels = self.category_labels_height(self.fitted_slot(), 1.0);
        Size { width: width as u32, height: (header + 50 + PLOT_HEIGHT + 10 + labels + 36 + MARGIN) as u32 }
    }

    /// Height of the category labels: one line when they fit their slot, else upright.
    fn category_labels_height(&self, slot: f64, scale: f64) -> i32 {
        let font = LABEL_TEXT * scale;
        let widest = widest(self.categories.iter().map(String::as_str), font);
        if widest as f64 <= slot - 6.0 {
            measure("M", font).1
        } else {
            widest
        }
    }

    pub(super) fn draw<DB: DrawingBackend>(&self, p: &mut Painter<DB>, size: Size) -> Result<(), DrawError> {
        let scale = p.scale;
        let s = |px: f64| (px * scale).round() as i32;
        let (width, height) = (size.width as i32, size.height as i32);
        let top = self.header.draw(p, &self.legend(), width)?;
        let x0 = MARGIN + self.y_axis_width(scale);
        let x1 = width - MARGIN;
        let n = self.categories.len().max(1);
        let slot = (x1 - x0) as f64 / n as f64;
        let labels_h = self.category_labels_height(slot, scale);
        let y1 = height - MARGIN - s(36.0) - labels_h - s(10.0);
        let (tick_font, label_font) = (p.font(TICK_TEXT), p.font(LABEL_TEXT));
        let k = self.k();
        let bar = slot * 0.78 / k as f64;
        let values = self.values_mode(bar, tick_font);
        let headroom = match values {
            Values::Level => measure("100%", tick_font).1 + s(8.0),
            Values::Upright => measure("100%", tick_font).0 + s(8.0),
            Values::None => s(8.0),
        };
        let y0 = top + headroom.max(s(14.0));
        let y_of = |rate: f64| y1 - (rate * (y1 - y0) as f64).round() as i32;

        for tenth in 0..=10 {
            let y = y_of(tenth as f64 / 10.0);
            p.line((x0, y), (x1, y), if tenth == 0 { AXIS } else { GRID }, 1)?;
            p.text(&format!("{}%", tenth * 10), (x0 - s(6.0), y), tick_font, RIGHT_MIDDLE, MUTED, TextRole::Tick)?;
        }
        let name_x = MARGIN + measure("0", p.font(NOTE_TEXT)).1 / 2;
        p.upright(Y_AXIS_NAME, (name_x, (y0 + y1) / 2), p.font(NOTE_TEXT), CENTRE_MIDDLE, INK, TextRole::Axis)?;

        let level_labels = labels_h <= measure("M", label_font).1;
        for (c, category) in self.categories.iter().enumerate() {
            let slot_x0 = x0 as f64 + c as f64 * slot;
            let group_x0 = slot_x0 + slot * 0.11;
            for (j, rate) in self.rates.get(c).into_iter().flatten().enumerate().take(k) {
                let Some(value) = rate.and_then(|r| r.value()) else {
                    continue;
                };
                let bx0 = (group_x0 + j as f64 * bar).round() as i32;
                let bx1 = ((group_x0 + (j + 1) as f64 * bar).round() as i32 - 1).max(bx0 + 1);
                let top = y_of(value);
                p.rect(bx0, top.min(y1 - 1), bx1, y1, series_colour(j).filled())?;
                let cx = (bx0 + bx1) / 2;
                match values {
                    Values::Level => {
                        p.text(&percent(value), (cx, top - s(4.0)), tick_font, CENTRE_BOTTOM, INK, TextRole::Value)?
                    }
                    Values::Upright => p.upright(
                        &percent(value),
                        (cx, top - s(4.0)),
                        tick_font,
                        Anchor(HPos::Left, VPos::Center),
                        INK,
                        TextRole::Value,
                    )?,
                    Values::None => {}
                }
            }
            let cx = (slot_x0 + slot / 2.0).round() as i32;
            if level_labels {
                p.text(category, (cx, y1 + s(8.0)), label_font, CENTRE_TOP, INK, TextRole::Category)?;
            } else {
                p.upright(
                    category,
                    (cx, y1 + s(8.0)),
                    label_font,
                    Anchor(HPos::Right, VPos::Center),
                    INK,
                    TextRole::Category,
                )?;
            }
        }
        let axis_y = height - MARGIN;
        p.text(&self.axis_name, ((x0 + x1) / 2, axis_y), p.font(NOTE_TEXT), CENTRE_BOTTOM, INK, TextRole::Axis)?;
        Ok(())
    }
}
