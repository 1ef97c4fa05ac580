//! How far cohort's figure fingerprints move under the transforms a copied figure goes through, and how close
//! figures of different reports come: the calibration behind `cohort dupes --figures`' default distance
//! (BENCHMARKS.md, "Figures").
//!
//! ```sh
//! cargo run --release --example figure_hashes -- DIR...          # every PNG/JPEG/WebP under DIR, one folder a report
//! cargo run --release --example figure_hashes -- --print DIR...  # path, pHash, dHash (beside imagehash)
//! cargo run --release --example figure_hashes -- --count 10000 DIR   # 10,000 figures (DIR's, over and over), timed
//! ```

use cohort::dupes::figures::FigureSettings;
use cohort::images::fingerprint::{fingerprint, Hashes};
use image::{DynamicImage, ImageOutputFormat, Rgba, RgbaImage};
use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn encode(image: &DynamicImage, format: ImageOutputFormat) -> Vec<u8> {
    let mut out = Vec::new();
    image.write_to(&mut Cursor::new(&mut out), format).expect("encode");
    out
}

/// The picture laid on white, as an editor flattens a transparent figure before saving it as JPEG.
fn flat(image: &DynamicImage) -> DynamicImage {
    let mut out = RgbaImage::from_pixel(image.width(), image.height(), Rgba([255, 255, 255, 255]));
    image::imageops::overlay(&mut out, &image.to_rgba8(), 0, 0);
    DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(out).to_rgb8())
}

/// The transforms of the planted-copies test (tests/it/figures.rs), by name.
fn transforms(image: &DynamicImage) -> Vec<(&'static str, Vec<u8>)> {
    let (w, h) = (image.width(), image.height());
    let filter = image::imageops::FilterType::Triangle;
    let resized = image.resize_exact((w * 6 / 10).max(1), (h * 6 / 10).max(1), filter);
    let (cx, cy) = (w / 50, h / 50);
    let cropped = image.crop_imm(cx, cy, w - 2 * cx, h - 2 * cy).resize_exact(w, h, filter);
    let mut brighter = flat(image).to_rgb8();
    for p in brighter.pixels_mut() {
        p.0 = p.0.map(|c| (c as f32 * 1.1).min(255.0) as u8);
    }
    let mut bordered = RgbaImage::from_pixel(w + 24, h + 24, Rgba([255, 255, 255, 255]));
    image::imageops::overlay(&mut bordered, &image.to_rgba8(), 12, 12);
    vec![
        ("resize 60%", encode(&resized, ImageOutputFormat::Png)),
        ("JPEG quality 75", encode(&flat(image), ImageOutputFormat::Jpeg(75))),
        ("crop 2% + resize", encode(&cropped, ImageOutputFormat::Png)),
        ("brightness +10%", encode(&DynamicImage::ImageRgb8(brighter), ImageOutputFormat::Png)),
        ("12-pixel border", encode(&DynamicImage::ImageRgba8(bordered), ImageOutputFormat::Png)),
        ("PNG -> JPEG", encode(&flat(image), ImageOutputFormat::Jpeg(90))),
    ]
}

struct Figure {
    path: PathBuf,
    report: String,
    content: String,
    hashes: Hashes,
    bytes: Vec<u8>,
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let print_only = args.first().is_some_and(|a| a == "--print");
    if print_only {
        args.remove(0);
    }
    // `--count N`: fingerprint N figures (the files over and over) on every core, and say how long it took.
    let count: Option<usize> = match args.iter().position(|a| a == "--count") {
        Some(i) if i + 1 < args.len() => {
            let n = args[i + 1].parse().ok();
            args.drain(i..i + 2);
            n
        }
        _ => None,
    };
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    for dir in &args {
        for e in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().flatten() {
            let name = e.file_name().to_string_lossy().to_lowercase();
            if e.file_type().is_file() && [".png", ".jpg", ".jpeg", ".webp"].iter().any(|x| name.ends_with(x)) {
                // The report is the first folder below DIR.
                let report = e
                    .path()
                    .strip_prefix(dir)
                    .ok()
                    .and_then(|r| r.iter().next())
                    .map(|r| r.to_string_lossy().to_string());
                files.push((e.path().to_path_buf(), report.unwrap_or_default()));
            }
        }
    }
    let contents: Vec<Vec<u8>> = files.iter().map(|(f, _)| std::fs::read(f).unwrap_or_default()).collect();
    // Decoding alone, for the profile of a fingerprint.
    let start = Instant::now();
    let decoded = contents.iter().filter(|b| image::load_from_memory(b).is_ok()).count();
    eprintln!("{decoded} images decoded in {:.3} s on one thread", start.elapsed().as_secs_f64());
    if let Some(n) = count {
        let jobs: Vec<usize> = (0..n).collect();
        let start = Instant::now();
        let done = cohort::parallel::map_in_order(&jobs, |&i| fingerprint(&contents[i % contents.len()]).is_some());
        let cores = cohort::parallel::default_threads();
        println!("{} figures fingerprinted in {:.2} s on {cores} threads", done.len(), start.elapsed().as_secs_f64());
        return;
    }
    let start = Instant::now();
    let prints: Vec<_> = contents.iter().map(|b| fingerprint(b)).collect();
    let took = start.elapsed();
    eprintln!("{} images fingerprinted in {:.3} s on one thread (files already read)", files.len(), took.as_secs_f64());
    let figures: Vec<Figure> = files
        .into_iter()
        .zip(contents)
        .zip(prints)
        .filter_map(|(((path, report), bytes), print)| {
            let print = print?;
            Some(Figure { path, report, content: print.content, hashes: print.hashes?, bytes })
        })
        .collect();
    if print_only {
        for f in &figures {
            println!("{}\t{:016x}\t{:016x}", f.path.display(), f.hashes.phash, f.hashes.dhash);
        }
        return;
    }
    let limit = FigureSettings::DEFAULT.max_distance;
    // Common (template) figures: the same picture in more than `common` reports.
    let common: Vec<bool> = figures
        .iter()
        .map(|x| {
            let mut reports: Vec<&str> = figures
                .iter()
                .filter(|y| y.content == x.content || x.hashes.distance(&y.hashes) <= limit)
                .map(|y| y.report.as_str())
                .collect();
            reports.sort_unstable();
            reports.dedup();
            reports.len() > FigureSettings::DEFAULT.common
        })
        .collect();
    let mut per: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for f in figures.iter().zip(&common).filter(|(_, c)| !**c).map(|(f, _)| f) {
        let Ok(image) = image::load_from_memory(&f.bytes) else { continue };
        for (name, copy) in transforms(&image) {
            let d = fingerprint(&copy).and_then(|p| p.hashes).map_or(128, |h| f.hashes.distance(&h));
            per.entry(name).or_default().push(d);
            if d > limit {
                println!("missed: {} {name}: {d}", f.path.display());
            }
        }
    }
    println!("| transform | copies | within {limit} bits | median | 95th percentile | max |");
    println!("|---|---|---|---|---|---|");
    let (mut found, mut total) = (0, 0);
    for (name, ds) in &mut per {
        ds.sort_unstable();
        let within = ds.iter().filter(|&&d| d <= limit).count();
        found += within;
        total += ds.len();
        println!(
            "| {name} | {} | {within} | {} | {} | {} |",
            ds.len(),
            ds[ds.len() / 2],
            ds[(ds.len() - 1) * 95 / 100],
            ds[ds.len() - 1]
        );
    }
    println!("| all | {total} | {found} ({:.1}%) | | | |", 100.0 * found as f64 / total.max(1) as f64);
    let mut close: Vec<(u32, &Path, &Path)> = Vec::new();
    for i in 0..figures.len() {
        for j in i + 1..figures.len() {
            let (a, b) = (&figures[i], &figures[j]);
            if common[i] || common[j] || a.report == b.report || a.content == b.content {
                continue;
            }
            close.push((a.hashes.distance(&b.hashes), &a.path, &b.path));
        }
    }
    close.sort();
    println!("closest figures of different reports (not common, different bytes):");
    for (d, a, b) in close.iter().take(10) {
        println!("{d:4}  {}  {}", a.display(), b.display());
    }
}
