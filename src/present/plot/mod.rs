//! Figures drawn with plotters: what `cohort plot` writes as SVG or PNG.
//!
//! Each kind of figure has its own file and takes plain data (no frames): the command runs the polars queries and
//! fills these structs. Layout is computed here in pixels from measured text, not left to plotters' chart
//! builder, so that 54 item labels get one row each and nothing overlaps at any size the checks below accept.
//! Every piece of text goes through `Painter`, which records where it went ([`TextBox`]); tests use that to
//! check the rendered image.
//!
//! Text uses DejaVu Sans, embedded in the binary and registered with plotters' `ab_glyph` renderer, so PNGs render
//! on a machine with no fonts or fontconfig. SVGs name the font (falling back to any sans-serif) and keep labels
//! as `<text>`, so they stay searchable and editable.

mod checklist;
mod facts;
mod heatmap;
mod rates;

pub use checklist::{ItemRates, ItemRow};
pub use facts::{FactPanel, FactStrips, StripRow};
pub use heatmap::{Cell, Heatmap, HeatmapBlock, HeatmapColumn};
pub use rates::GroupRates;

use crate::domain::Week;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::OnceLock;

/// The family name text is drawn with. SVG viewers get it as a CSS list; the PNG renderer knows it as the name
/// the embedded font is registered under.
pub const FONT_FAMILY: &str = "DejaVu Sans, sans-serif";

/// DejaVu Sans (Bitstream Vera licence, see `assets/fonts/LICENSE-DejaVu`).
static DEJAVU_SANS: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/fonts/DejaVuSans.ttf"));

/// The embedded font for rasterising PNG text ourselves (see [`Painter::text`]).
fn glyph_font() -> Option<&'static ab_glyph::FontRef<'static>> {
    static FONT: OnceLock<Option<ab_glyph::FontRef<'static>>> = OnceLock::new();
    FONT.get_or_init(|| ab_glyph::FontRef::try_from_slice(DEJAVU_SANS).ok()).as_ref()
}

/// Registers the embedded font once per process. Also under plotters' generic "sans-serif", so any text plotters
/// draws on its own finds a font too.
fn ensure_font() -> Result<(), PlotError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        [FONT_FAMILY, "sans-serif"]
            .iter()
            .all(|name| plotters::style::register_font(name, FontStyle::Normal, DEJAVU_SANS).is_ok())
    });
    if ok && glyph_font().is_some() {
        Ok(())
    } else {
        Err(PlotError::Font)
    }
}

/// Why a figure could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    #[error("{}: cannot write a figure as {found}: name the output file .svg or .png", path.display())]
    UnknownFormat { path: PathBuf, found: String },
    #[error(
        "{}: {width}x{height} is too small for this figure (text would be under {MIN_TEXT} px): use --size with at \
         least {need_width}x{need_height}, or leave --size out to fit the figure to its content",
        path.display()
    )]
    TooSmall { path: PathBuf, width: u32, height: u32, need_width: u32, need_height: u32 },
    #[error("{}: cannot write the figure: {message} (is the folder writable, the disk not full?)", path.display())]
    Draw { path: PathBuf, message: String },
    /// The figure was drawn into a temporary file that could not be written whole or put in place; the previous
    /// file at the path, if any, is left as it was.
    #[error("cannot write the figure (is the folder writable, the disk not full?)")]
    Write(#[from] crate::store::StoreError),
    #[error("the embedded font could not be loaded (the binary is damaged: rebuild cohort)")]
    Font,
}

/// The output format, told by the file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Svg,
    Png,
}

impl Format {
    /// The format of an output path: `.svg` or `.png` (any case).
    pub fn of(path: &Path) -> Result<Format, PlotError> {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        match ext.as_str() {
            "svg" => Ok(Format::Svg),
            "png" => Ok(Format::Png),
            "" => Err(PlotError::UnknownFormat { path: path.to_path_buf(), found: "a file without extension".into() }),
            _ => Err(PlotError::UnknownFormat { path: path.to_path_buf(), found: format!(".{ext}") }),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Svg => "SVG",
            Format::Png => "PNG",
        })
    }
}

/// A figure's size in pixels, written `WIDTHxHEIGHT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub width: u32,
    pub height: u32,
}

/// Larger than any screen or page needs; keeps a typo from allocating gigabytes for a bitmap.
const MAX_SIDE: u32 = 20_000;

impl FromStr for Size {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("{s:?} is not a size: write WIDTHxHEIGHT in pixels, e.g. 1600x1200");
        let (w, h) = s.trim().split_once(['x', 'X', '×']).ok_or_else(bad)?;
        let width: u32 = w.trim().parse().map_err(|_| bad())?;
        let height: u32 = h.trim().parse().map_err(|_| bad())?;
        if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
            return Err(format!("{s:?}: each side must be between 1 and {MAX_SIDE} pixels"));
        }
        Ok(Size { width, height })
    }
}

impl<'de> serde::Deserialize<'de> for Size {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.width, self.height)
    }
}

/// Ticked out of present: one bar of a completion figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub done: u32,
    pub total: u32,
}

impl Rate {
    /// done / total; `None` when nothing was there to tick.
    pub fn value(self) -> Option<f64> {
        (self.total > 0).then(|| self.done as f64 / self.total as f64)
    }
}

/// Title and explanatory lines at the top of every figure.
#[derive(Debug, Clone, Default)]
pub struct Header {
    pub title: String,
    /// What the figure covers (how many reports) and how to read it; long lines are wrapped.
    pub lines: Vec<String>,
}

/// A figure ready to draw.
#[derive(Debug, Clone)]
pub enum Figure {
    Checklist(ItemRates),
    Heatmap(Heatmap),
    Facts(FactStrips),
    Rates(GroupRates),
}

/// What a piece of text is, so checks can pick the labels they care about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextRole {
    Title,
    Note,
    Legend,
    /// A category: a checklist item, a group, a cohort row, a week or module.
    Category,
    /// A number written beside a mark (a rate, a median).
    Value,
    Tick,
    Axis,
}

/// Where a piece of text was drawn: its layout box in pixels (x0, y0 inclusive; x1, y1 exclusive).
#[derive(Debug, Clone, PartialEq)]
pub struct TextBox {
    pub text: String,
    pub role: TextRole,
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
}

impl TextBox {
    pub fn overlaps(&self, other: &TextBox) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }
}

/// What was drawn.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub format: Format,
    pub size: Size,
    pub texts: Vec<TextBox>,
}

impl Figure {
    /// The size that fits the content with comfortable text.
    pub fn default_size(&self) -> Result<Size, PlotError> {
        ensure_font()?;
        Ok(match self {
            Figure::Checklist(f) => f.default_size(),
            Figure::Heatmap(f) => f.default_size(),
            Figure::Facts(f) => f.default_size(),
            Figure::Rates(f) => f.default_size(),
        })
    }

    /// Draws the figure into `path` (format from its extension), at `size` or the default size.
    pub fn render(&self, path: &Path, size: Option<Size>) -> Result<Rendered, PlotError> {
        let format = Format::of(path)?;
        let fitted = self.default_size()?;
        let size = size.unwrap_or(fitted);
        let min = self.min_size(fitted);
        if size.width < min.width || size.height < min.height {
            return Err(PlotError::TooSmall {
                path: path.to_path_buf(),
                width: size.width,
                height: size.height,
                need_width: min.width,
                need_height: min.height,
            });
        }
        let draw_err = |message: String| PlotError::Draw { path: path.to_path_buf(), message };
        // Drawn into a temporary file renamed over `path` once whole: a failed write keeps the previous figure.
        let mut texts = Vec::new();
        crate::store::write_whole(path, crate::store::Access::Shared, |_, tmp: &Path| {
            texts = match format {
                Format::Svg => {
                    let root = SVGBackend::new(tmp, (size.width, size.height)).into_drawing_area();
                    let texts = self.draw_on(&root, size, fitted, false).map_err(|e| draw_err(e.0))?;
                    root.present().map_err(|e| draw_err(e.to_string()))?;
                    texts
                }
                Format::Png => {
                    let root = BitMapBackend::new(tmp, (size.width, size.height)).into_drawing_area();
                    let texts = self.draw_on(&root, size, fitted, true).map_err(|e| draw_err(e.0))?;
                    root.present().map_err(|e| draw_err(e.to_string()))?;
                    texts
                }
            };
            Ok::<(), PlotError>(())
        })?;
        Ok(Rendered { format, size, texts })
    }

    /// Draws the figure as an SVG document in memory, fitted to its content: the bytes [`Figure::render`]
    /// writes to a `.svg` file (for a page that shows the figure inline).
    pub fn svg(&self) -> Result<String, PlotError> {
        let size = self.default_size()?;
        let draw_err = |message: String| PlotError::Draw { path: PathBuf::from("(in memory).svg"), message };
        let mut out = String::new();
        {
            let root = SVGBackend::with_string(&mut out, (size.width, size.height)).into_drawing_area();
            self.draw_on(&root, size, size, false).map_err(|e| draw_err(e.0))?;
            root.present().map_err(|e| draw_err(e.to_string()))?;
        }
        Ok(out)
    }

    /// The smallest size the layout accepts: text is scaled down with the figure, to at least [`MIN_TEXT`].
    fn min_size(&self, fitted: Size) -> Size {
        let scale = MIN_TEXT / LABEL_TEXT;
        Size {
            width: (fitted.width as f64 * scale).ceil() as u32,
            height: (fitted.height as f64 * scale).ceil() as u32,
        }
    }

    /// Draws at `size`; `raster` for a bitmap (text rasterised here, see [`Painter::text`]).
    fn draw_on<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        size: Size,
        fitted: Size,
        raster: bool,
    ) -> Result<Vec<TextBox>, DrawError> {
        // Text shrinks (never grows) when the figure is asked to be smaller than its content wants.
        let scale = (size.width as f64 / fitted.width as f64).min(size.height as f64 / fitted.height as f64).min(1.0);
        let mut p = Painter { area: root, texts: Vec::new(), scale, raster };
        p.area.fill(&WHITE).map_err(DrawError::from_area)?;
        match self {
            Figure::Checklist(f) => f.draw(&mut p, size)?,
            Figure::Heatmap(f) => f.draw(&mut p, size)?,
            Figure::Facts(f) => f.draw(&mut p, size)?,
            Figure::Rates(f) => f.draw(&mut p, size)?,
        }
        Ok(p.texts)
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Sizes and colours shared by the kinds
// ---------------------------------------------------------------------------------------------------------------

/// Font sizes (plotters' size: the glyph height in pixels) at the fitted size.
pub(crate) const TITLE_TEXT: f64 = 26.0;
pub(crate) const NOTE_TEXT: f64 = 15.0;
pub(crate) const LABEL_TEXT: f64 = 15.0;
pub(crate) const TICK_TEXT: f64 = 13.0;
/// Smallest text a requested size may shrink labels to.
pub const MIN_TEXT: f64 = 9.0;
pub(crate) const MARGIN: i32 = 24;

pub(crate) const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub(crate) const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
pub(crate) const GRID: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);
pub(crate) const AXIS: RGBColor = RGBColor(0x88, 0x88, 0x88);

/// Series colours (cohorts): the Okabe–Ito palette, told apart with the common colour-vision deficiencies.
const SERIES: [RGBColor; 7] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x00, 0x00, 0x00),
];

pub(crate) fn series_colour(i: usize) -> RGBColor {
    SERIES[i % SERIES.len()]
}

/// Week colours (Paul Tol's "bright" scheme), distinct from the series colours they may be drawn beside.
pub(crate) fn week_colour(week: Option<Week>) -> RGBColor {
    match week {
        Some(Week::Week1) => RGBColor(0x44, 0x77, 0xAA),
        Some(Week::Week2) => RGBColor(0x22, 0x88, 0x33),
        Some(Week::Week3) => RGBColor(0xCC, 0xBB, 0x44),
        Some(Week::Extra) => RGBColor(0xAA, 0x33, 0x77),
        None => RGBColor(0xBB, 0xBB, 0xBB),
    }
}

/// How a week is named on a figure.
pub fn week_name(week: Option<Week>) -> &'static str {
    match week {
        Some(Week::Week1) => "week 1",
        Some(Week::Week2) => "week 2",
        Some(Week::Week3) => "week 3",
        Some(Week::Extra) => "extra",
        None => "no week",
    }
}

/// A rate written as a percentage.
pub(crate) fn percent(rate: f64) -> String {
    format!("{:.0}%", rate * 100.0)
}

/// A number as a tick or median label: no trailing zeros, at most two decimals.
pub(crate) fn number(x: f64) -> String {
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

/// Round tick steps (1, 2, 5 × 10^k) covering 0..=max with about `target` ticks; returns (ticks, axis end).
pub(crate) fn nice_ticks(max: f64, target: usize) -> (Vec<f64>, f64) {
    let max = if max.is_finite() && max > 0.0 { max } else { 1.0 };
    let raw = max / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag);
    let end = (max / step).ceil() * step;
    let n = (end / step).round() as usize;
    ((0..=n).map(|i| i as f64 * step).collect(), end)
}

// ---------------------------------------------------------------------------------------------------------------
// Measuring and drawing
// ---------------------------------------------------------------------------------------------------------------

/// A drawing failure, as text (the backend's error types differ).
#[derive(Debug)]
pub(crate) struct DrawError(pub String);

impl DrawError {
    fn from_area<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> Self {
        DrawError(e.to_string())
    }
}

/// A font size at a text scale, never below [`MIN_TEXT`] (nor above the size itself).
pub(crate) fn scaled_font(size: f64, scale: f64) -> f64 {
    (size * scale).max(MIN_TEXT.min(size))
}

/// Width and height of a text's layout box at a font size, from the embedded font's metrics.
pub(crate) fn measure(text: &str, size: f64) -> (i32, i32) {
    let font = FontDesc::new(FontFamily::Name(FONT_FAMILY), size, FontStyle::Normal);
    match font.box_size(text) {
        Ok((w, h)) => (w as i32, h as i32),
        // Only when the font is not registered; callers register it first. Estimate generously.
        Err(_) => ((text.chars().count() as f64 * size * 0.65) as i32, (size / 1.24) as i32),
    }
}

/// The widest of some texts at a font size.
pub(crate) fn widest<'a>(texts: impl IntoIterator<Item = &'a str>, size: f64) -> i32 {
    texts.into_iter().map(|t| measure(t, size).0).max().unwrap_or(0)
}

/// Breaks text into lines no wider than `width` at a font size (words longer than a line stay whole).
pub(crate) fn wrap(text: &str, size: f64, width: i32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if !line.is_empty() && measure(&candidate, size).0 > width {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Shortens text with an ellipsis until it fits `width`; `None` when not even the ellipsis fits.
pub(crate) fn fit(text: &str, size: f64, width: i32) -> Option<String> {
    if measure(text, size).0 <= width {
        return Some(text.to_string());
    }
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len())
        .rev()
        .map(|n| format!("{}…", chars[..n].iter().collect::<String>()))
        .find(|t| measure(t, size).0 <= width)
}

/// The x at which text centred near `centre` stays within `lo..hi` (it slides, rather than run off the figure).
pub(crate) fn centred_within(text: &str, size: f64, centre: i32, lo: i32, hi: i32) -> i32 {
    let half = measure(text, size).0 / 2;
    centre.min(hi - half).max(lo + half)
}

/// Where text hangs from its position.
#[derive(Clone, Copy)]
pub(crate) struct Anchor(pub HPos, pub VPos);

pub(crate) const LEFT_TOP: Anchor = Anchor(HPos::Left, VPos::Top);
pub(crate) const LEFT_MIDDLE: Anchor = Anchor(HPos::Left, VPos::Center);
pub(crate) const RIGHT_MIDDLE: Anchor = Anchor(HPos::Right, VPos::Center);
pub(crate) const CENTRE_TOP: Anchor = Anchor(HPos::Center, VPos::Top);
pub(crate) const CENTRE_BOTTOM: Anchor = Anchor(HPos::Center, VPos::Bottom);
pub(crate) const CENTRE_MIDDLE: Anchor = Anchor(HPos::Center, VPos::Center);

/// How a piece of text is drawn.
struct Look {
    size: f64,
    anchor: Anchor,
    colour: RGBColor,
    role: TextRole,
    upright: bool,
}

/// Draws on a figure and records where its text went.
pub(crate) struct Painter<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    pub texts: Vec<TextBox>,
    /// Text scale: 1 at the fitted size, less when a smaller size was asked for.
    pub scale: f64,
    /// A bitmap: text is rasterised here rather than by plotters.
    raster: bool,
}

impl<DB: DrawingBackend> Painter<'_, DB> {
    /// A font size scaled to the figure.
    pub fn font(&self, size: f64) -> f64 {
        scaled_font(size, self.scale)
    }

    /// Writes text at a position, hanging from it as `anchor` says.
    pub fn text(
        &mut self,
        text: &str,
        at: (i32, i32),
        size: f64,
        anchor: Anchor,
        colour: RGBColor,
        role: TextRole,
    ) -> Result<(), DrawError> {
        self.place(text, at, Look { size, anchor, colour, role, upright: false })
    }

    /// Writes text turned a quarter, reading bottom to top; `anchor` is in the text's own direction (its start is
    /// the bottom).
    pub fn upright(
        &mut self,
        text: &str,
        at: (i32, i32),
        size: f64,
        anchor: Anchor,
        colour: RGBColor,
        role: TextRole,
    ) -> Result<(), DrawError> {
        self.place(text, at, Look { size, anchor, colour, role, upright: true })
    }

    fn place(&mut self, text: &str, at: (i32, i32), look: Look) -> Result<(), DrawError> {
        let Look { size, anchor, colour, role, upright } = look;
        if text.is_empty() {
            return Ok(());
        }
        let (w, h) = measure(text, size);
        let dx = match anchor.0 {
            HPos::Left => 0,
            HPos::Center => -w / 2,
            HPos::Right => -w,
        };
        let dy = match anchor.1 {
            VPos::Top => 0,
            VPos::Center => -h / 2,
            VPos::Bottom => -h,
        };
        let (x, y) = at;
        // A quarter turn maps the text's own (u, v) to (v, -u) on the figure.
        let (x0, y0, x1, y1) =
            if upright { (x + dy, y - dx - w, x + dy + h, y - dx) } else { (x + dx, y + dy, x + dx + w, y + dy + h) };
        if self.raster {
            self.raster_text(text, (x0, y0), size, colour, upright)?;
        } else {
            // SVG keeps text as <text>, laid out by the viewer with the same anchor.
            let mut style = TextStyle::from((FONT_FAMILY, size)).color(&colour).pos(Pos::new(anchor.0, anchor.1));
            if upright {
                style = style.transform(FontTransform::Rotate270);
            }
            self.area.draw_text(text, &style, at).map_err(DrawError::from_area)?;
        }
        self.texts.push(TextBox { text: text.to_string(), role, x0, y0, x1, y1 });
        Ok(())
    }

    /// Rasterises text into its layout box, whose top left on the figure is (x0, y0). Glyphs advance by the same
    /// metrics [`measure`] uses, each placed with its side bearing; the baseline sits so capitals centre in the box.
    fn raster_text(
        &mut self,
        text: &str,
        (x0, y0): (i32, i32),
        size: f64,
        colour: RGBColor,
        upright: bool,
    ) -> Result<(), DrawError> {
        use ab_glyph::{point, Font, ScaleFont};
        let Some(font) = glyph_font() else { return Ok(()) };
        let scaled = font.as_scaled(size as f32);
        let (width, box_height) = measure(text, size);
        let baseline = box_height as f32 / 2.0 + 0.315 * size as f32;
        let mut pen = 0f32;
        let mut previous = None;
        let mut pixels: Vec<(i32, i32, f32)> = Vec::new();
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(prev) = previous {
                pen += scaled.kern(prev, id);
            }
            previous = Some(id);
            let glyph = id.with_scale_and_position(size as f32, point(pen, baseline));
            pen += scaled.h_advance(id);
            let Some(outline) = font.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                if coverage > 0.02 {
                    // (u, v): along and across the text, from the top left of its box.
                    let (u, v) = (bounds.min.x as i32 + gx as i32, bounds.min.y as i32 + gy as i32);
                    // Upright text reads bottom to top: it starts at the bottom of its box (y0 + width).
                    let (x, y) = if upright { (x0 + v, y0 + width - u) } else { (x0 + u, y0 + v) };
                    pixels.push((x, y, coverage.min(1.0)));
                }
            });
        }
        for (x, y, coverage) in pixels {
            self.area.draw_pixel((x, y), &colour.mix(coverage as f64)).map_err(DrawError::from_area)?;
        }
        Ok(())
    }

    pub fn rect(&mut self, x0: i32, y0: i32, x1: i32, y1: i32, style: ShapeStyle) -> Result<(), DrawError> {
        self.area.draw(&Rectangle::new([(x0, y0), (x1, y1)], style)).map_err(DrawError::from_area)
    }

    pub fn line(&mut self, from: (i32, i32), to: (i32, i32), colour: RGBColor, width: u32) -> Result<(), DrawError> {
        self.area.draw(&PathElement::new(vec![from, to], colour.stroke_width(width))).map_err(DrawError::from_area)
    }

    pub fn dot(&mut self, at: (i32, i32), radius: i32, style: ShapeStyle) -> Result<(), DrawError> {
        self.area.draw(&Circle::new(at, radius, style)).map_err(DrawError::from_area)
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Header and legend
// ---------------------------------------------------------------------------------------------------------------

/// How a legend entry is marked.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Mark {
    /// A filled square (bars, cells).
    Swatch(RGBColor),
    /// A pale square (a background band).
    Band(RGBColor),
    /// A dot (one report in a strip).
    Dot(RGBColor),
    /// A short vertical bar (a median).
    Tick(RGBColor),
}

#[derive(Debug, Clone)]
pub(crate) struct LegendEntry {
    pub mark: Mark,
    pub label: String,
}

impl LegendEntry {
    pub fn new(mark: Mark, label: impl Into<String>) -> Self {
        LegendEntry { mark, label: label.into() }
    }
}

const LEGEND_ROW: i32 = 24;
const LEGEND_GAP: i32 = 28;
const NOTE_ROW: i32 = 20;

/// Lays the legend out in rows that fit `width`: (row, x offset) per entry, and the number of rows.
fn legend_layout(entries: &[LegendEntry], size: f64, width: i32) -> (Vec<(i32, i32)>, i32) {
    let swatch = (size * 1.0) as i32;
    let mut places = Vec::with_capacity(entries.len());
    let (mut row, mut x) = (0, 0);
    for e in entries {
        let w = swatch + 8 + measure(&e.label, size).0;
        if x > 0 && x + w > width {
            row += 1;
            x = 0;
        }
        places.push((row, x));
        x += w + LEGEND_GAP;
    }
    let rows = if entries.is_empty() { 0 } else { row + 1 };
    (places, rows)
}

impl Header {
    /// Height of the header with its legend at a width, at text scale `scale`.
    pub(crate) fn height(&self, legend: &[LegendEntry], width: i32, scale: f64) -> i32 {
        let note = scaled_font(NOTE_TEXT, scale);
        let inner = width - 2 * MARGIN;
        let lines: usize = self.lines.iter().map(|l| wrap(l, note, inner).len()).sum();
        let (_, rows) = legend_layout(legend, note, inner);
        let s = |px: i32| (px as f64 * scale).round() as i32;
        MARGIN / 2 + s(38) + lines as i32 * s(NOTE_ROW) + if rows > 0 { s(8) + rows * s(LEGEND_ROW) } else { 0 } + s(12)
    }

    /// Draws title, notes and legend across the top; returns the y where the figure's body may start.
    pub(crate) fn draw<DB: DrawingBackend>(
        &self,
        p: &mut Painter<DB>,
        legend: &[LegendEntry],
        width: i32,
    ) -> Result<i32, DrawError> {
        let scale = p.scale;
        let s = |px: i32| (px as f64 * scale).round() as i32;
        let (title, note) = (p.font(TITLE_TEXT), p.font(NOTE_TEXT));
        let inner = width - 2 * MARGIN;
        let mut y = MARGIN / 2 + s(6);
        let title_text = fit(&self.title, title, inner).unwrap_or_default();
        p.text(&title_text, (MARGIN, y), title, LEFT_TOP, INK, TextRole::Title)?;
        y += s(38) - s(6);
        for line in &self.lines {
            for part in wrap(line, note, inner) {
                p.text(&part, (MARGIN, y + s(NOTE_ROW) / 2), note, LEFT_MIDDLE, MUTED, TextRole::Note)?;
                y += s(NOTE_ROW);
            }
        }
        if !legend.is_empty() {
            y += s(8);
            let (places, rows) = legend_layout(legend, note, inner);
            let swatch = note as i32;
            for (e, (row, dx)) in legend.iter().zip(places) {
                let x = MARGIN + dx;
                let cy = y + row * s(LEGEND_ROW) + s(LEGEND_ROW) / 2;
                let (top, bottom) = (cy - swatch / 2, cy + swatch / 2);
                match e.mark {
                    Mark::Swatch(c) => p.rect(x, top, x + swatch, bottom, c.filled())?,
                    Mark::Band(c) => {
                        p.rect(x, top, x + swatch, bottom, c.mix(0.16).filled())?;
                        p.rect(x, top, x + swatch, bottom, c.stroke_width(1))?;
                    }
                    Mark::Dot(c) => p.dot((x + swatch / 2, cy), swatch / 3, c.mix(0.7).filled())?,
                    Mark::Tick(c) => p.rect(x + swatch / 2 - 1, top, x + swatch / 2 + 2, bottom, c.filled())?,
                }
                p.text(&e.label, (x + swatch + 8, cy), note, LEFT_MIDDLE, INK, TextRole::Legend)?;
            }
            y += rows * s(LEGEND_ROW);
        }
        Ok(y + s(12))
    }
}

/// "130 reports (2023-24: 43, 2025: 48, 2026: 22)": what a figure covers.
pub fn coverage_line(counts: &[(String, u32)]) -> String {
    let total: u32 = counts.iter().map(|(_, n)| n).sum();
    let noun = if total == 1 { "report" } else { "reports" };
    match counts {
        [] => format!("{total} {noun}"),
        [(c, _)] => format!("{total} {noun} of cohort {c}"),
        _ => format!(
            "{total} {noun} ({})",
            counts.iter().map(|(c, n)| format!("{c}: {n}")).collect::<Vec<_>>().join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_follows_the_extension() {
        assert_eq!(Format::of(Path::new("a/b.svg")).ok(), Some(Format::Svg));
        assert_eq!(Format::of(Path::new("b.PNG")).ok(), Some(Format::Png));
        let e = Format::of(Path::new("out/fig.jpg")).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("out/fig.jpg") && e.contains(".svg or .png"), "{e}");
        assert!(Format::of(Path::new("noext")).is_err());
    }

    #[test]
    fn sizes_parse_and_reject_nonsense() {
        assert_eq!("1600x1200".parse::<Size>(), Ok(Size { width: 1600, height: 1200 }));
        assert_eq!(" 800 X 600 ".parse::<Size>(), Ok(Size { width: 800, height: 600 }));
        assert!("1600".parse::<Size>().is_err());
        assert!("0x100".parse::<Size>().is_err());
        assert!("99999x100".parse::<Size>().is_err());
    }

    #[test]
    fn ticks_are_round_and_cover_the_maximum() {
        let (ticks, end) = nice_ticks(103.0, 6);
        assert_eq!(end, 120.0);
        assert_eq!(ticks, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0, 120.0]);
        let (ticks, end) = nice_ticks(0.9, 5);
        assert_eq!((ticks.len(), end), (6, 1.0));
        assert_eq!(nice_ticks(0.0, 5).1, 1.0);
        assert_eq!(number(0.2 + 0.1), "0.3");
        assert_eq!(number(11.5), "11.5");
        assert_eq!(number(20.0), "20");
    }

    #[test]
    fn wrapping_and_fitting_respect_the_width() {
        ensure_font().ok();
        let text = "one two three four five six seven eight nine ten eleven twelve";
        let lines = wrap(text, 15.0, 120);
        assert!(lines.len() > 2);
        assert!(lines.iter().all(|l| measure(l, 15.0).0 <= 120 || !l.contains(' ')));
        assert_eq!(lines.join(" "), text);
        let short = fit("a rather long label for a narrow column", 12.0, 60).unwrap_or_default();
        assert!(short.ends_with('…') && measure(&short, 12.0).0 <= 60, "{short}");
        assert_eq!(fit("x", 12.0, 1), None);
    }

    #[test]
    fn coverage_line_counts_every_cohort() {
        assert_eq!(coverage_line(&[("2025".into(), 3), ("2026".into(), 4)]), "7 reports (2025: 3, 2026: 4)");
        assert_eq!(coverage_line(&[("2025".into(), 1)]), "1 report of cohort 2025");
    }
}
