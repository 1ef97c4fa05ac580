//! Fingerprints of a figure: a content hash (the same file) and two perceptual hashes (the same picture after it
//! was resized, re-encoded, lightly cropped, framed or brightened).
//!
//! The perceptual hashes are written here rather than taken from a crate, for three reasons: they are about 150
//! lines; the well-kept Rust crates for them pull in another major version of `image` (and with it a second
//! build of its decoders), while this uses the `image` 0.24 that the figures of `cohort plot` already build; and
//! they follow the definitions of Python's `imagehash` (the peer staff know) exactly, so the two can be compared
//! bit for bit (BENCHMARKS.md, "Figures"):
//!
//! - **pHash**: grey levels (ITU-R 601 luma, alpha ignored, as Pillow's `convert("L")`), resized to 32×32 with
//!   Lanczos-3 (Pillow's `LANCZOS`), the 2-D DCT-II, and of its 8×8 lowest frequencies one bit each: above their
//!   median or not.
//! - **dHash**: grey levels resized to 9×8, one bit per horizontal neighbour pair: brighter to the right or not.
//!
//! Each is taken twice: of the whole picture, and of the picture without a uniform frame around it (a border added
//! in an editor, the margin of a screenshot), so that framing a copied figure does not move it away from its
//! original while a brightened one (whose frame may trim differently) still matches whole. Two figures are as far
//! apart as [`Hashes::distance`] says: the closer of the two pHash pairs plus the closer of the two dHash pairs, in
//! bits of 128. On the course's figures every transform a copy goes through (resize to 60%, JPEG quality 75, 2%
//! crop, 10% brighter, a 12-pixel border, PNG → JPEG) stays within 20 bits for 99.4% of 1,068 planted copies,
//! while the closest two figures of different groups that are no copy are 24 bits apart (BENCHMARKS.md,
//! "Figures"); a pHash alone needs a limit (10) that different groups' screenshots of one console reach.

use super::sniff::{sniff, ImageKind};
use image::io::{Limits, Reader};
use std::io::Cursor;

/// Pictures are box-averaged down to at most twice this many pixels a side before the hashes' Lanczos resize.
const REDUCED_SIDE: usize = 128;

/// The largest width or height decoded; a figure larger than that is fingerprinted by content only.
pub const MAX_SIDE: u32 = 16_384;
/// The most memory one decoder may take.
const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;

/// What is known of one figure file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    pub kind: ImageKind,
    /// blake3 of the file's bytes, hex.
    pub content: String,
    pub bytes: u64,
    /// Pixel size, when decoded.
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// Perceptual hashes, when decoded (PNG, JPEG, WebP).
    pub hashes: Option<Hashes>,
    /// Why a decodable figure has no perceptual hash (a damaged file, too large).
    pub problem: Option<String>,
}

/// Fingerprints `bytes`; `None` when they are no image (see [`sniff`]).
pub fn fingerprint(bytes: &[u8]) -> Option<Fingerprint> {
    let kind = sniff(bytes)?;
    let mut print = Fingerprint {
        kind,
        content: blake3::hash(bytes).to_hex().to_string(),
        bytes: bytes.len() as u64,
        width: None,
        height: None,
        hashes: None,
        problem: None,
    };
    if kind.decodable() {
        match decode_grey(bytes, kind) {
            Ok(grey) => {
                print.width = Some(grey.width as u32);
                print.height = Some(grey.height as u32);
                print.hashes = Some(Hashes::of(&grey));
            }
            Err(problem) => print.problem = Some(problem),
        }
    }
    Some(print)
}

/// The perceptual hashes of a picture: pHash and dHash of the whole picture (imagehash's definitions) and of the
/// picture without its uniform frame (`_inner`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Hashes {
    pub phash: u64,
    pub dhash: u64,
    pub phash_inner: u64,
    pub dhash_inner: u64,
}

impl Hashes {
    pub fn of(grey: &Grey) -> Hashes {
        let whole = grey.reduced((0, grey.height, 0, grey.width));
        let inner = grey.reduced(grey.frame_bounds());
        Hashes { phash: phash(&whole), dhash: dhash(&whole), phash_inner: phash(&inner), dhash_inner: dhash(&inner) }
    }

    /// How far apart two pictures are, in bits of 128: the closer pHash pair (whole or framed) plus the closer
    /// dHash pair.
    pub fn distance(&self, other: &Hashes) -> u32 {
        let p = distance(self.phash, other.phash).min(distance(self.phash_inner, other.phash_inner));
        let d = distance(self.dhash, other.dhash).min(distance(self.dhash_inner, other.dhash_inner));
        p + d
    }
}

/// The pixel size of an image without decoding its pixels (PNG, JPEG, GIF, WebP headers).
pub fn dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    let kind = sniff(bytes)?;
    let format = image_format(kind)?;
    let mut reader = Reader::with_format(Cursor::new(bytes), format);
    reader.limits(limits());
    reader.into_dimensions().ok()
}

fn image_format(kind: ImageKind) -> Option<image::ImageFormat> {
    match kind {
        ImageKind::Png => Some(image::ImageFormat::Png),
        ImageKind::Jpeg => Some(image::ImageFormat::Jpeg),
        ImageKind::WebP => Some(image::ImageFormat::WebP),
        ImageKind::Gif | ImageKind::Svg => None,
    }
}

fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    limits
}

/// Decodes an image to pixels, within the size limits.
pub fn decode(bytes: &[u8], kind: ImageKind) -> Result<image::DynamicImage, String> {
    let format = image_format(kind).ok_or_else(|| format!("{} is not decoded", kind.as_str()))?;
    let mut reader = Reader::with_format(Cursor::new(bytes), format);
    reader.limits(limits());
    reader.decode().map_err(|e| format!("cannot decode the {}: {e}", kind.as_str()))
}

/// A grey-level picture, row by row, values 0..=255 as f32.
#[derive(Debug, Clone)]
pub struct Grey {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<f32>,
}

fn decode_grey(bytes: &[u8], kind: ImageKind) -> Result<Grey, String> {
    let image = decode(bytes, kind)?;
    Ok(Grey::of(&image))
}

impl Grey {
    /// Pillow's `convert("L")`: L = R·299/1000 + G·587/1000 + B·114/1000. Transparent pixels are laid on white
    /// first, as a page shows them (Pillow would take the colour under the transparency, often black, which makes
    /// a transparent figure and its copy pasted on a white slide two different pictures).
    pub fn of(image: &image::DynamicImage) -> Grey {
        use image::DynamicImage as D;
        let (width, height) = (image.width() as usize, image.height() as usize);
        let luma =
            |r: u8, g: u8, b: u8| ((r as u32 * 19595 + g as u32 * 38470 + b as u32 * 7471 + 0x8000) >> 16) as f32;
        let over_white = |l: f32, a: u8| {
            let a = a as f32 / 255.0;
            l * a + 255.0 * (1.0 - a)
        };
        // The decoders' own buffers are read in place (a copy of a 3,000-pixel screenshot costs as much as the
        // hashes); other layouts are converted first.
        let pixels = match image {
            D::ImageLuma8(b) => b.as_raw().iter().map(|&v| v as f32).collect(),
            D::ImageLumaA8(b) => b.as_raw().chunks_exact(2).map(|p| over_white(p[0] as f32, p[1])).collect(),
            D::ImageRgb8(b) => b.as_raw().chunks_exact(3).map(|p| luma(p[0], p[1], p[2])).collect(),
            D::ImageRgba8(b) => b.as_raw().chunks_exact(4).map(|p| over_white(luma(p[0], p[1], p[2]), p[3])).collect(),
            other if other.color().has_alpha() => {
                other.to_rgba8().pixels().map(|p| over_white(luma(p.0[0], p.0[1], p.0[2]), p.0[3])).collect()
            }
            other => other.to_rgb8().pixels().map(|p| luma(p.0[0], p.0[1], p.0[2])).collect(),
        };
        Grey { width, height, pixels }
    }

    fn at(&self, x: usize, y: usize) -> f32 {
        self.pixels[y * self.width + x]
    }

    /// The picture without a uniform frame: rows and columns at the edges whose every pixel is within a small
    /// tolerance of the frame's colour (the corners' median) are cut, at most a quarter of each side. A picture
    /// that is uniform throughout is returned whole.
    pub fn trimmed(&self) -> Grey {
        self.region(self.frame_bounds(), 1, 1)
    }

    /// The rows `top..bottom` and columns `left..right` inside the uniform frame (see [`Grey::trimmed`]).
    fn frame_bounds(&self) -> (usize, usize, usize, usize) {
        const TOLERANCE: f32 = 10.0;
        let (w, h) = (self.width, self.height);
        if w < 8 || h < 8 {
            return (0, h, 0, w);
        }
        let mut corners = [self.at(0, 0), self.at(w - 1, 0), self.at(0, h - 1), self.at(w - 1, h - 1)];
        corners.sort_by(f32::total_cmp);
        let frame = (corners[1] + corners[2]) / 2.0;
        let near = |v: f32| (v - frame).abs() <= TOLERANCE;
        let row_is_frame = |y: usize, x0: usize, x1: usize| (x0..x1).all(|x| near(self.at(x, y)));
        let col_is_frame = |x: usize, y0: usize, y1: usize| (y0..y1).all(|y| near(self.at(x, y)));
        let (mut top, mut bottom, mut left, mut right) = (0, h, 0, w);
        while top < h / 4 && row_is_frame(top, 0, w) {
            top += 1;
        }
        while h - bottom < h / 4 && bottom > top + 1 && row_is_frame(bottom - 1, 0, w) {
            bottom -= 1;
        }
        while left < w / 4 && col_is_frame(left, top, bottom) {
            left += 1;
        }
        while w - right < w / 4 && right > left + 1 && col_is_frame(right - 1, top, bottom) {
            right -= 1;
        }
        (top, bottom, left, right)
    }

    /// A region of the picture, each `fx`×`fy` block of it averaged into one pixel (blocks at the right and bottom
    /// edges may be smaller).
    fn region(&self, (top, bottom, left, right): (usize, usize, usize, usize), fx: usize, fy: usize) -> Grey {
        let (fx, fy) = (fx.max(1), fy.max(1));
        let (width, height) = ((right - left).div_ceil(fx), (bottom - top).div_ceil(fy));
        let mut sums = vec![0f32; width * height];
        let mut counts = vec![0u32; width * height];
        for y in top..bottom {
            let row = &self.pixels[y * self.width + left..y * self.width + right];
            let out = (y - top) / fy * width;
            for (x, block) in row.chunks(fx).enumerate() {
                sums[out + x] += block.iter().sum::<f32>();
                counts[out + x] += block.len() as u32;
            }
        }
        let pixels = sums.iter().zip(&counts).map(|(s, &n)| s / n.max(1) as f32).collect();
        Grey { width, height, pixels }
    }

    /// A region reduced by whole factors (a box average) to no more than [`REDUCED_SIDE`] pixels a side, before
    /// the Lanczos resize to the hashes' 32×32 and 9×8: on a 3,000-pixel screenshot the Lanczos passes alone took
    /// 40 ms; after the box average they take well under one, and the hashes move by a bit or two at most.
    fn reduced(&self, bounds: (usize, usize, usize, usize)) -> Grey {
        let (top, bottom, left, right) = bounds;
        self.region(bounds, (right - left) / REDUCED_SIDE, (bottom - top) / REDUCED_SIDE)
    }

    /// Resized with a Lanczos-3 filter whose support grows with the reduction, as Pillow's `resize(...,
    /// LANCZOS)` does (every source pixel contributes, so no detail is skipped), one axis after the other.
    pub fn resized(&self, width: usize, height: usize) -> Grey {
        let horizontal = resample_weights(self.width, width);
        let mut wide = vec![0f32; width * self.height];
        for y in 0..self.height {
            let row = &self.pixels[y * self.width..(y + 1) * self.width];
            for (x, (start, weights)) in horizontal.iter().enumerate() {
                wide[y * width + x] = weights.iter().enumerate().map(|(i, w)| w * row[start + i]).sum();
            }
        }
        let vertical = resample_weights(self.height, height);
        let mut pixels = vec![0f32; width * height];
        for (y, (start, weights)) in vertical.iter().enumerate() {
            for x in 0..width {
                pixels[y * width + x] =
                    weights.iter().enumerate().map(|(i, w)| w * wide[(start + i) * width + x]).sum();
            }
        }
        // Pillow stores each pass as 8-bit; rounding and clamping once at the end is close enough and keeps
        // hashes of a picture and its copies apart from rounding noise.
        for p in &mut pixels {
            *p = p.round().clamp(0.0, 255.0);
        }
        Grey { width, height, pixels }
    }
}

fn lanczos3(x: f64) -> f64 {
    fn sinc(x: f64) -> f64 {
        if x == 0.0 {
            1.0
        } else {
            let x = x * std::f64::consts::PI;
            x.sin() / x
        }
    }
    if x.abs() < 3.0 {
        sinc(x) * sinc(x / 3.0)
    } else {
        0.0
    }
}

/// Per output pixel: the first input pixel and the normalised weights of the inputs from there.
fn resample_weights(input: usize, output: usize) -> Vec<(usize, Vec<f32>)> {
    let scale = input as f64 / output as f64;
    let filter_scale = scale.max(1.0);
    let support = 3.0 * filter_scale;
    (0..output)
        .map(|o| {
            let center = (o as f64 + 0.5) * scale;
            let start = ((center - support + 0.5).floor().max(0.0)) as usize;
            let end = ((center + support + 0.5).floor() as usize).min(input).max(start + 1);
            let mut weights: Vec<f64> =
                (start..end).map(|i| lanczos3((i as f64 - center + 0.5) / filter_scale)).collect();
            let total: f64 = weights.iter().sum();
            if total != 0.0 {
                for w in &mut weights {
                    *w /= total;
                }
            }
            (start, weights.into_iter().map(|w| w as f32).collect())
        })
        .collect()
}

/// imagehash's `phash` (hash_size 8, highfreq_factor 4) of a grey picture; bit 63 is the DCT's (0, 0), row-major,
/// so `format!("{:016x}")` prints what `str(imagehash.phash(img))` prints.
pub fn phash(grey: &Grey) -> u64 {
    const N: usize = 32;
    let small = grey.resized(N, N);
    // scipy's unnormalised DCT-II along columns, then rows (only the 8 lowest frequencies are needed of each).
    let cos: Vec<f64> = (0..8 * N)
        .map(|i| {
            let (k, n) = (i / N, i % N);
            (std::f64::consts::PI * k as f64 * (2 * n + 1) as f64 / (2 * N) as f64).cos()
        })
        .collect();
    let mut cols = [[0f64; N]; 8]; // cols[k][x]: frequency k along y, for column x
    for (k, col) in cols.iter_mut().enumerate() {
        for (x, c) in col.iter_mut().enumerate() {
            *c = 2.0 * (0..N).map(|y| small.pixels[y * N + x] as f64 * cos[k * N + y]).sum::<f64>();
        }
    }
    let mut low = [0f64; 64];
    for k in 0..8 {
        for l in 0..8 {
            low[k * 8 + l] = 2.0 * (0..N).map(|x| cols[k][x] * cos[l * N + x]).sum::<f64>();
        }
    }
    let mut sorted = low;
    sorted.sort_by(f64::total_cmp);
    let median = (sorted[31] + sorted[32]) / 2.0;
    bits(low.iter().map(|&v| v > median))
}

/// imagehash's `dhash` (hash_size 8): 9×8 grey levels, a bit per pixel brighter than its left neighbour... as
/// imagehash defines it: `pixels[:, 1:] > pixels[:, :-1]`.
pub fn dhash(grey: &Grey) -> u64 {
    let small = grey.resized(9, 8);
    bits((0..8).flat_map(|y| {
        let row = &small.pixels[y * 9..(y + 1) * 9];
        (0..8).map(move |x| row[x + 1] > row[x])
    }))
}

fn bits(values: impl Iterator<Item = bool>) -> u64 {
    values.fold(0u64, |acc, b| (acc << 1) | b as u64)
}

/// The number of bits in which two hashes differ.
pub fn distance(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{DynamicImage, ImageBuffer, Rgb, RgbImage};

    /// A picture with structure at several scales: blocks, a diagonal, a gradient.
    fn picture(seed: u32, w: u32, h: u32) -> RgbImage {
        ImageBuffer::from_fn(w, h, |x, y| {
            let (fx, fy) = (x as f32 / w as f32, y as f32 / h as f32);
            let block = ((fx * (3 + seed % 4) as f32) as u32 + (fy * (2 + seed % 3) as f32) as u32 + seed) % 3;
            let diagonal = ((fx - fy * (0.5 + (seed % 5) as f32 / 10.0)).abs() < 0.05) as u8;
            // Channels stay below 215, so that 10% brighter is not clipped.
            let v = (block * 60) as u8;
            Rgb([v + diagonal * 90, (fx * 190.0) as u8, v / 2 + (fy * 100.0) as u8])
        })
    }

    fn png(image: &RgbImage) -> Vec<u8> {
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(image.clone())
            .write_to(&mut Cursor::new(&mut out), image::ImageOutputFormat::Png)
            .expect("encode png");
        out
    }

    fn jpeg(image: &RgbImage, quality: u8) -> Vec<u8> {
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(image.clone())
            .write_to(&mut Cursor::new(&mut out), image::ImageOutputFormat::Jpeg(quality))
            .expect("encode jpeg");
        out
    }

    fn print(bytes: &[u8]) -> Fingerprint {
        fingerprint(bytes).expect("an image")
    }

    #[test]
    fn a_picture_and_its_transformed_copies_are_close_and_other_pictures_are_not() {
        for seed in 0..6 {
            let original = picture(seed, 640, 400);
            let a = print(&png(&original));
            assert_eq!((a.width, a.height), (Some(640), Some(400)));
            let resized = image::imageops::resize(&original, 384, 240, image::imageops::FilterType::Triangle);
            let mut bordered = RgbImage::from_pixel(640 + 24, 400 + 24, Rgb([255, 255, 255]));
            image::imageops::overlay(&mut bordered, &original, 12, 12);
            let cropped = image::imageops::crop_imm(&original, 13, 8, 614, 384).to_image();
            let brighter = ImageBuffer::from_fn(640, 400, |x, y| {
                let Rgb(p) = *original.get_pixel(x, y);
                Rgb(p.map(|c| (c as f32 * 1.1).min(255.0) as u8))
            });
            for (what, copy) in [
                ("resized to 60%", png(&resized)),
                ("JPEG quality 75", jpeg(&original, 75)),
                ("a 12-pixel white border", png(&bordered)),
                ("2% cropped per side", png(&cropped)),
                ("10% brighter", png(&brighter)),
            ] {
                let b = print(&copy);
                let d = a.hashes.expect("hashes").distance(&b.hashes.expect("hashes"));
                assert!(d <= 20, "seed {seed}, {what}: distance {d}");
            }
            for other in (0..6).filter(|&o| o != seed) {
                let c = print(&png(&picture(other, 640, 400)));
                let d = a.hashes.expect("hashes").distance(&c.hashes.expect("hashes"));
                assert!(d > 24, "seeds {seed} and {other}: distance {d}");
            }
        }
    }

    #[test]
    fn content_hash_and_size_of_every_kind_and_nothing_for_what_is_no_image() {
        let bytes = png(&picture(1, 50, 40));
        let p = print(&bytes);
        assert_eq!(p.kind, ImageKind::Png);
        assert_eq!(p.content, blake3::hash(&bytes).to_hex().to_string());
        assert_eq!(p.bytes, bytes.len() as u64);
        assert_eq!(dimensions(&bytes), Some((50, 40)));
        let svg = print(b"<svg xmlns='http://www.w3.org/2000/svg'/>");
        assert_eq!((svg.kind, svg.hashes, svg.problem.as_deref()), (ImageKind::Svg, None, None));
        assert!(fingerprint(b"<html><body>not a picture</body></html>").is_none());
    }

    #[test]
    fn a_damaged_image_is_named_not_a_panic() {
        let mut bytes = png(&picture(2, 64, 64));
        bytes.truncate(60);
        let p = print(&bytes);
        assert_eq!(p.hashes, None);
        assert!(p.problem.as_deref().is_some_and(|m| m.contains("cannot decode the png")), "{:?}", p.problem);
        let mut huge = png(&picture(2, 8, 8));
        // Width field of IHDR set to 100,000 pixels: refused by the limits, not allocated.
        huge[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        assert!(print(&huge).hashes.is_none());
    }

    #[test]
    fn hashes_follow_imagehash_bit_order() {
        // Darker to the right everywhere: no dHash bit ("brighter than the left neighbour") is set.
        let gradient =
            Grey { width: 64, height: 64, pixels: (0..64 * 64).map(|i| 255.0 - (i % 64) as f32 * 4.0).collect() };
        assert_eq!(dhash(&gradient), 0);
        // Bright on its left half: the DCT's (0,0) (the mean) and (0,1) (the first horizontal frequency) are the
        // largest coefficients, so above the median; bit 63 is (0,0), bit 62 is (0,1).
        let halves = Grey {
            width: 64,
            height: 64,
            pixels: (0..64 * 64).map(|i| if i % 64 < 32 { 255.0 } else { 0.0 }).collect(),
        };
        assert_eq!(phash(&halves) >> 62, 0b11);
        assert_eq!(distance(0b1011, 0b0001), 2);
    }
}
