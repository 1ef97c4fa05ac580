//! `cohort plot heatmap`: one column per group (report), one row per checklist item, each cell done / not done /
//! not in that report's checklist. Columns come sorted by completion (the command's query sorts them), in one
//! block per cohort; a small bar above each column shows how much of its own checklist the group ticked.

use super::{
    centred_within, fit, measure, week_name, widest, Anchor, DrawError, Header, LegendEntry, Mark, Painter, Size,
    TextRole, AXIS, CENTRE_BOTTOM, CENTRE_MIDDLE, CENTRE_TOP, INK, LABEL_TEXT, MARGIN, MIN_TEXT, NOTE_TEXT,
    RIGHT_MIDDLE, TICK_TEXT,
};
use crate::domain::Week;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// The state of one item in one report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Done,
    NotDone,
    /// The report's checklist does not have the item (an older or newer template, or a deleted line).
    Absent,
}

impl Cell {
    pub fn colour(self) -> RGBColor {
        match self {
            Cell::Done => RGBColor(0x21, 0x66, 0xAC),
            Cell::NotDone => RGBColor(0xF4, 0xA5, 0x82),
            Cell::Absent => RGBColor(0xE4, 0xE4, 0xE4),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Cell::Done => "done (ticked)",
            Cell::NotDone => "not done",
            Cell::Absent => "not in this report's checklist",
        }
    }
}

/// Groups × items.
#[derive(Debug, Clone)]
pub struct Heatmap {
    pub header: Header,
    /// Item labels and weeks, in template order (rows).
    pub items: Vec<(String, Option<Week>)>,
    /// Column blocks (one per cohort, or one for everything), each sorted by completion.
    pub blocks: Vec<HeatmapBlock>,
    /// What the columns are and how they are sorted, written under them.
    pub columns_name: String,
}

#[derive(Debug, Clone)]
pub struct HeatmapBlock {
    pub label: Option<String>,
    pub columns: Vec<HeatmapColumn>,
}

/// One report: its label (the group number), its completion rate and a cell per item row.
#[derive(Debug, Clone)]
pub struct HeatmapColumn {
    pub label: String,
    pub rate: Option<f64>,
    pub cells: Vec<Cell>,
}

/// Column pitch at the fitted size: wide enough for an upright group number.
const COLUMN: f64 = 13.0;
const ROW: f64 = 19.0;
const BLOCK_GAP: f64 = 16.0;
const WEEK_GAP: f64 = 6.0;
const RATE_BARS: f64 = 40.0;
/// Widest grid at the fitted size: several hundred reports still fit a screen's worth of zooming.
const MAX_GRID: f64 = 4000.0;

struct Layout {
    grid_x0: f64,
    column: f64,
    block_gap: f64,
    blocks_y: i32,
    bars_y0: i32,
    bars_y1: i32,
    grid_y0: f64,
    row: f64,
    week_gap: f64,
    label_font: f64,
    column_font: Option<f64>,
    /// Label every n-th column when the columns are too narrow for each to carry one.
    column_every: usize,
}

impl Heatmap {
    fn legend(&self) -> Vec<LegendEntry> {
        let mut v: Vec<LegendEntry> = [Cell::Done, Cell::NotDone, Cell::Absent]
            .iter()
            .map(|c| LegendEntry::new(Mark::Swatch(c.colour()), c.name()))
            .collect();
        v.push(LegendEntry::new(Mark::Swatch(AXIS), "bar above a column: share of its own checklist ticked"));
        v
    }

    fn n_columns(&self) -> usize {
        self.blocks.iter().map(|b| b.columns.len()).sum()
    }

    fn week_breaks(&self) -> usize {
        self.items.windows(2).filter(|w| w[0].1 != w[1].1).count()
    }

    fn labelled_blocks(&self) -> bool {
        self.blocks.iter().any(|b| b.label.is_some())
    }

    fn left_columns(&self, scale: f64) -> (i32, i32) {
        let week = measure("week 3", NOTE_TEXT * scale).1 + (14.0 * scale) as i32;
        let labels = self.items.iter().map(|(l, _)| l.as_str()).chain(["completion"]);
        let label = widest(labels, LABEL_TEXT * scale) + (12.0 * scale) as i32;
        (week, label)
    }

    fn column_labels_height(&self, font: f64) -> i32 {
        widest(self.blocks.iter().flat_map(|b| b.columns.iter().map(|c| c.label.as_str())), font)
    }

    /// Column pitch at the fitted size: [`COLUMN`], wider for a few reports so the figure is not a sliver, narrower
    /// (labelling only some columns) for so many that the figure would pass [`MAX_GRID`].
    fn fitted_column(&self) -> f64 {
        let n = self.n_columns().max(1) as f64;
        let column = (900.0 / n).clamp(COLUMN, 3.0 * COLUMN);
        if n * column > MAX_GRID {
            MAX_GRID / n
        } else {
            column
        }
    }

    pub(super) fn default_size(&self) -> Size {
        let (week, label) = self.left_columns(1.0);
        let gaps = self.blocks.len().saturating_sub(1) as f64 * BLOCK_GAP;
        let grid_w = (self.n_columns() as f64 * self.fitted_column() + gaps).ceil() as i32;
        let width = (2 * MARGIN + week + label + grid_w).max(1000);
        let header = self.header.height(&self.legend(), width, 1.0);
        let top = if self.labelled_blocks() { 24 } else { 0 } + RATE_BARS as i32 + 8;
        let grid_h = (self.items.len() as f64 * ROW + self.week_breaks() as f64 * WEEK_GAP).ceil() as i32;
        let bottom = 8 + self.column_labels_height(TICK_TEXT) + 34;
        Size { width: width as u32, height: (header + top + grid_h + bottom + MARGIN) as u32 }
    }

    fn layout(&self, size: Size, scale: f64) -> Layout {
        let s = |px: f64| px * scale;
        let (w, h) = (size.width as f64, size.height as f64);
        let (week, label) = self.left_columns(scale);
        let grid_x0 = (MARGIN + week + label) as f64;
        let block_gap = s(BLOCK_GAP);
        let gaps = self.blocks.len().saturating_sub(1) as f64 * block_gap;
        let n = self.n_columns().max(1) as f64;
        let column = ((w - MARGIN as f64 - grid_x0 - gaps) / n).min(s(3.0 * COLUMN)).max(1.0);
        // An upright label's thickness is its layout height (about 0.8 of the font size).
        let wanted = (TICK_TEXT * scale).max(MIN_TEXT);
        let fits = |font: f64| measure("0", font).1 as f64 <= column - 1.0;
        let (column_font, column_every) = if fits(wanted) {
            (Some(wanted), 1)
        } else if fits(MIN_TEXT) {
            (Some(MIN_TEXT), 1)
        } else {
            let every = ((measure("0", MIN_TEXT).1 as f64 + 2.0) / column).ceil() as usize;
            (Some(MIN_TEXT), every.max(2))
        };
        let labels_h = column_font.map_or(0, |f| self.column_labels_height(f)) as f64;
        let body_top = self.header.height(&self.legend(), size.width as i32, scale);
        let blocks_y = body_top;
        let bars_y0 = body_top + if self.labelled_blocks() { s(24.0) as i32 } else { 0 };
        let bars_y1 = bars_y0 + s(RATE_BARS) as i32;
        let grid_y0 = (bars_y1 as f64) + s(8.0);
        let week_gap = s(WEEK_GAP);
        let grid_y1 = h - MARGIN as f64 - s(8.0) - labels_h - s(34.0);
        let rows = self.items.len().max(1) as f64;
        let row = (grid_y1 - grid_y0 - self.week_breaks() as f64 * week_gap) / rows;
        Layout {
            grid_x0,
            column,
            block_gap,
            blocks_y,
            bars_y0,
            bars_y1,
            grid_y0,
            row,
            week_gap,
            label_font: (LABEL_TEXT * scale).min(row * 0.85).max(MIN_TEXT),
            column_font,
            column_every,
        }
    }

    pub(super) fn draw<DB: DrawingBackend>(&self, p: &mut Painter<DB>, size: Size) -> Result<(), DrawError> {
        let scale = p.scale;
        let s = |px: f64| (px * scale).round() as i32;
        let l = self.layout(size, scale);
        self.header.draw(p, &self.legend(), size.width as i32)?;

        // Row positions, with a gap where the week changes.
        let mut row_top = Vec::with_capacity(self.items.len() + 1);
        let mut y = l.grid_y0;
        for (i, item) in self.items.iter().enumerate() {
            if i > 0 && self.items[i - 1].1 != item.1 {
                y += l.week_gap;
            }
            row_top.push(y);
            y += l.row;
        }
        let grid_y1 = y;
        let cell_gap = if l.row >= 6.0 { 1.0 } else { 0.0 };

        // Item labels and week names on the left.
        let (week_w, _) = self.left_columns(scale);
        let mut start = 0;
        while start < self.items.len() {
            let week = self.items[start].1;
            let end = (start..self.items.len()).find(|&i| self.items[i].1 != week).unwrap_or(self.items.len());
            let (y0, y1) = (row_top[start], row_top[end - 1] + l.row);
            let x = MARGIN + week_w / 2 - s(4.0);
            p.line((x + s(8.0), y0.round() as i32), (x + s(8.0), (y1 - cell_gap).round() as i32), AXIS, 1)?;
            if let Some(name) = fit(week_name(week), p.font(NOTE_TEXT), (y1 - y0) as i32 - s(4.0)) {
                p.upright(
                    &name,
                    (x, ((y0 + y1) / 2.0) as i32),
                    p.font(NOTE_TEXT),
                    CENTRE_MIDDLE,
                    INK,
                    TextRole::Category,
                )?;
            }
            start = end;
        }
        for (i, (label, _)) in self.items.iter().enumerate() {
            let cy = (row_top[i] + l.row / 2.0).round() as i32;
            p.text(label, (l.grid_x0 as i32 - s(6.0), cy), l.label_font, RIGHT_MIDDLE, INK, TextRole::Category)?;
        }
        let bars_mid = (l.bars_y0 + l.bars_y1) / 2;
        p.text("completion", (l.grid_x0 as i32 - s(6.0), bars_mid), l.label_font, RIGHT_MIDDLE, INK, TextRole::Axis)?;

        // Columns, block by block.
        let mut x = l.grid_x0;
        let mut index = 0usize;
        for block in &self.blocks {
            let block_x0 = x;
            for column in &block.columns {
                let (x0, x1) =
                    (x.round() as i32, (x + l.column - if l.column >= 4.0 { 1.0 } else { 0.0 }).round() as i32);
                let x1 = x1.max(x0 + 1);
                if let Some(rate) = column.rate {
                    let top = l.bars_y1 - (rate * (l.bars_y1 - l.bars_y0) as f64).round() as i32;
                    p.rect(x0, top, x1, l.bars_y1, AXIS.filled())?;
                }
                for (i, cell) in column.cells.iter().enumerate().take(self.items.len()) {
                    let (y0, y1) = (row_top[i].round() as i32, (row_top[i] + l.row - cell_gap).round() as i32);
                    p.rect(x0, y0, x1, y1.max(y0 + 1), cell.colour().filled())?;
                }
                if let Some(font) = l.column_font {
                    if index % l.column_every == 0 {
                        let at = (((x0 + x1) as f64 / 2.0).round() as i32, grid_y1.round() as i32 + s(6.0));
                        p.upright(&column.label, at, font, Anchor(HPos::Right, VPos::Center), INK, TextRole::Category)?;
                    }
                }
                index += 1;
                x += l.column;
            }
            let block_x1 = x - if l.column >= 4.0 { 1.0 } else { 0.0 };
            p.line((block_x0.round() as i32, l.bars_y1), (block_x1.round() as i32, l.bars_y1), AXIS, 1)?;
            if let Some(label) = &block.label {
                let font = p.font(NOTE_TEXT);
                if let Some(text) = fit(label, font, (block_x1 - block_x0) as i32) {
                    let at = (((block_x0 + block_x1) / 2.0).round() as i32, l.blocks_y + s(2.0));
                    p.text(&text, at, font, CENTRE_TOP, INK, TextRole::Category)?;
                }
            }
            x += l.block_gap;
        }

        let labels_h = l.column_font.map_or(0, |f| self.column_labels_height(f));
        let grid_x1 = x - l.block_gap;
        let mut name = self.columns_name.clone();
        if l.column_every > 1 {
            name.push_str(&format!("; one column in {} labelled", l.column_every));
        }
        let font = p.font(NOTE_TEXT);
        let centre =
            centred_within(&name, font, ((l.grid_x0 + grid_x1) / 2.0) as i32, MARGIN, size.width as i32 - MARGIN);
        let axis_at = (centre, grid_y1.round() as i32 + s(8.0) + labels_h + s(30.0));
        p.text(&name, axis_at, font, CENTRE_BOTTOM, INK, TextRole::Axis)?;
        Ok(())
    }
}
