//! Synthetic figures and the transforms a copied figure goes through: for the tests and the calibration of
//! `cohort dupes --figures` (tests/it/figures.rs, examples/figure_hashes.rs), so that every one of them plants
//! the same copies.

use image::{DynamicImage, ImageBuffer, ImageOutputFormat, Rgb, RgbImage, Rgba, RgbaImage};
use std::io::Cursor;

/// A chart-like picture of its own for every seed: a light background, panels, bars and a curve, at `w`×`h`.
/// Channels stay below 215 away from the background, so that a 10% brighter copy is not clipped everywhere.
pub fn picture(seed: u64, w: u32, h: u32) -> RgbImage {
    let mut rng = super::Rng::new(seed);
    let bars: Vec<f32> = (0..4 + rng.below(6)).map(|_| 0.2 + rng.below(70) as f32 / 100.0).collect();
    let (r, g, b) = (rng.below(200) as u8, rng.below(200) as u8, rng.below(200) as u8);
    let panel = 0.3 + rng.below(40) as f32 / 100.0;
    let wave = 1.0 + rng.below(5) as f32;
    let phase = rng.below(628) as f32 / 100.0;
    ImageBuffer::from_fn(w, h, |x, y| {
        let (fx, fy) = (x as f32 / w as f32, y as f32 / h as f32);
        if fx < panel && fy < 0.12 {
            return Rgb([40, 40, 40 + (seed % 100) as u8]);
        }
        let curve = 0.5 + 0.3 * (fx * wave * std::f32::consts::TAU + phase).sin();
        if (fy - curve).abs() < 0.015 {
            return Rgb([200, 30, 30]);
        }
        if fx >= panel {
            let slot = ((fx - panel) / (1.0 - panel) * bars.len() as f32) as usize;
            let top = 1.0 - bars[slot.min(bars.len() - 1)];
            if fy > top && (fx - panel) * bars.len() as f32 % (1.0 - panel) > 0.1 * (1.0 - panel) {
                return Rgb([r, g, b]);
            }
        }
        Rgb([245, 245, 245])
    })
}

crate::string_enum! {
    /// What a copied figure goes through on its way into another report.
    pub Transform {
        Resize60 = "resize-60",
        Jpeg75 = "jpeg-75",
        Crop2 = "crop-2",
        Brighter10 = "brighter-10",
        Border12 = "border-12",
        PngToJpeg = "png-to-jpeg",
    }
}

impl Transform {
    /// The file extension of what [`Transform::apply`] writes.
    pub fn extension(self) -> &'static str {
        match self {
            Transform::Jpeg75 | Transform::PngToJpeg => "jpg",
            _ => "png",
        }
    }

    /// The copy's bytes: resized to 60%, JPEG at quality 75, 2% cropped per side and resized back, 10% brighter,
    /// framed by a 12-pixel white border, or saved as JPEG (quality 90). Transparent pixels are laid on white
    /// where the format has no alpha, as an editor flattens them.
    pub fn apply(self, image: &DynamicImage) -> Result<Vec<u8>, image::ImageError> {
        let (w, h) = (image.width(), image.height());
        let filter = image::imageops::FilterType::Triangle;
        let (copy, format) = match self {
            Transform::Resize60 => {
                (image.resize_exact((w * 6 / 10).max(1), (h * 6 / 10).max(1), filter), ImageOutputFormat::Png)
            }
            Transform::Jpeg75 => (flat(image), ImageOutputFormat::Jpeg(75)),
            Transform::PngToJpeg => (flat(image), ImageOutputFormat::Jpeg(90)),
            Transform::Crop2 => {
                let (cx, cy) = (w / 50, h / 50);
                (image.crop_imm(cx, cy, w - 2 * cx, h - 2 * cy).resize_exact(w, h, filter), ImageOutputFormat::Png)
            }
            Transform::Brighter10 => {
                let mut brighter = flat(image).to_rgb8();
                for p in brighter.pixels_mut() {
                    p.0 = p.0.map(|c| (c as f32 * 1.1).min(255.0) as u8);
                }
                (DynamicImage::ImageRgb8(brighter), ImageOutputFormat::Png)
            }
            Transform::Border12 => {
                let mut framed = RgbaImage::from_pixel(w + 24, h + 24, Rgba([255, 255, 255, 255]));
                image::imageops::overlay(&mut framed, &image.to_rgba8(), 12, 12);
                (DynamicImage::ImageRgba8(framed), ImageOutputFormat::Png)
            }
        };
        let mut out = Vec::new();
        copy.write_to(&mut Cursor::new(&mut out), format)?;
        Ok(out)
    }
}

/// The picture laid on white, without alpha.
fn flat(image: &DynamicImage) -> DynamicImage {
    let mut out = RgbaImage::from_pixel(image.width(), image.height(), Rgba([255, 255, 255, 255]));
    image::imageops::overlay(&mut out, &image.to_rgba8(), 0, 0);
    DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(out).to_rgb8())
}

/// A picture as PNG bytes.
pub fn png(image: &RgbImage) -> Result<Vec<u8>, image::ImageError> {
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(image.clone()).write_to(&mut Cursor::new(&mut out), ImageOutputFormat::Png)?;
    Ok(out)
}
