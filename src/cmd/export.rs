//! `cohort export [--out notebooks-data/] [--pseudonymise]`: the three frames as Parquet and CSV.

use crate::domain::pseudonym::Pseudonymiser;
use crate::store::frames::{self, write_csv, write_parquet, Frames};
use crate::store::{IndexDir, StoreError};
use polars::prelude::*;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder to write reports/checklist/answers .parquet and .csv into.
    #[arg(long, default_value = "notebooks-data")]
    pub out: PathBuf,
    /// Replace student numbers with stable pseudonyms in every column.
    #[arg(long)]
    pub pseudonymise: bool,
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
}

/// The index's pseudonym key, created on first use; it stays in the index folder.
fn pseudonym_key(index: &Path) -> anyhow::Result<[u8; 32]> {
    let path = index.join("pseudonym.key");
    if let Ok(bytes) = std::fs::read(&path) {
        if let Ok(key) = <[u8; 32]>::try_from(bytes.as_slice()) {
            return Ok(key);
        }
    }
    let mut seed = Vec::new();
    seed.extend(std::process::id().to_le_bytes());
    seed.extend(format!("{:?}", std::time::SystemTime::now()).as_bytes());
    seed.extend(format!("{:p}", &seed).as_bytes());
    if let Ok(mut f) = std::fs::File::open("/dev/urandom") {
        use std::io::Read;
        let mut buf = [0u8; 32];
        if f.read_exact(&mut buf).is_ok() {
            seed.extend(buf);
        }
    }
    let key = *blake3::hash(&seed).as_bytes();
    crate::store::write_atomically(&path, &key)?;
    Ok(key)
}

fn pseudonymise_frame(df: &DataFrame, p: &Pseudonymiser) -> PolarsResult<DataFrame> {
    let mut cols = Vec::with_capacity(df.width());
    for c in df.columns() {
        if c.dtype() == &DataType::String {
            let ca = c.str()?;
            let replaced: StringChunked = ca.iter().map(|v| v.map(|s| p.apply(s))).collect();
            cols.push(replaced.with_name(c.name().clone()).into_column());
        } else {
            cols.push(c.clone());
        }
    }
    DataFrame::new(df.height(), cols)
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let generation = IndexDir::new(&args.index).require_current()?;
    let mut f: Frames = frames::read_all(&generation)?;
    if args.pseudonymise {
        let key = pseudonym_key(&args.index)?;
        let known: Vec<String> = f
            .reports
            .column("students")?
            .str()?
            .iter()
            .flatten()
            .flat_map(|s| s.split(',').map(str::to_string).collect::<Vec<_>>())
            .collect();
        let p = Pseudonymiser::new(key).with_known_ids(known.iter().map(String::as_str));
        f = Frames {
            reports: pseudonymise_frame(&f.reports, &p)?,
            checklist: pseudonymise_frame(&f.checklist, &p)?,
            answers: pseudonymise_frame(&f.answers, &p)?,
        };
    }
    std::fs::create_dir_all(&args.out).map_err(|e| StoreError::Io { path: args.out.clone(), source: e })?;
    for (name, df) in [("reports", &mut f.reports), ("checklist", &mut f.checklist), ("answers", &mut f.answers)] {
        write_parquet(&args.out.join(format!("{name}.parquet")), df)?;
        write_csv(&args.out.join(format!("{name}.csv")), df)?;
        eprintln!("wrote {}/{name}.parquet and .csv ({} rows)", args.out.display(), df.height());
    }
    if args.pseudonymise {
        eprintln!("student numbers replaced with pseudonyms (key kept in {}/pseudonym.key)", args.index.display());
    }
    Ok(ExitCode::SUCCESS)
}
