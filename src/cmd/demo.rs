//! `cohort demo`: generate a synthetic cohort (three course years, real-world formatting quirks), ingest it,
//! and show what cohort answers: a statistic, a search, the facts, one group.

use cohort::index::Statistic;
use cohort::ingest::{ingest, IngestOptions};
use cohort::present::listing::{hits_summary, write_hits};
use cohort::present::output::{stdout, write_frame, Format};
use cohort::present::profile::write_profiles;
use cohort::present::style::{count, ColorChoice, Style};
use cohort::store::frames::{ChecklistBy, Scope};
use cohort::store::text_index::SearchRequest;
use cohort::synth::{write_cohort, CohortSpec};
use cohort::Index;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of reports to generate.
    #[arg(long, default_value_t = 120)]
    pub reports: usize,
    /// Seed of the generator (the same seed gives the same cohort).
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Keep the generated reports and the index in this folder (DIR/reports, DIR/index) to explore further.
    #[arg(long, value_name = "DIR")]
    pub keep: Option<PathBuf>,
    /// Then serve the pages over the demo index on 127.0.0.1 (`cohort serve`) until stopped.
    #[arg(long)]
    pub serve: bool,
    /// The port for --serve.
    #[arg(long, default_value_t = 8080, requires = "serve")]
    pub port: u16,
}

fn banner(out: &mut impl Write, command: &str) -> std::io::Result<()> {
    writeln!(out, "\n$ cohort {command}")
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let temp = tempfile::tempdir()?;
    let base = args.keep.clone().unwrap_or_else(|| temp.path().to_path_buf());
    let reports = base.join("reports");
    let index_dir = base.join("index");
    let spec = CohortSpec { seed: args.seed, reports: args.reports, ..Default::default() };
    let generated = write_cohort(&reports, &spec)?;
    let mut out = stdout();
    writeln!(
        out,
        "Generated {} synthetic reports (2023-24, 2025 and 2026 templates, with real-world quirks) in {}",
        generated.len(),
        reports.display()
    )?;
    let outcome = ingest(std::slice::from_ref(&reports), &IngestOptions::new(&index_dir))?;
    writeln!(
        out,
        "Ingested {} into {} ({} skipped)",
        count(outcome.total, "report", "reports"),
        index_dir.display(),
        count(outcome.problems.len(), "file", "files")
    )?;
    let index = Index::open(&index_dir)?;
    let all = Scope::default();
    let style = Style::for_stdout(ColorChoice::Auto);

    banner(&mut out, "stats checklist --by week,cohort")?;
    let by = vec![ChecklistBy::Week, ChecklistBy::Cohort];
    write_frame(&mut out, &mut index.statistic(&Statistic::Checklist { by }, &all)?, Format::Table, style)?;

    banner(&mut out, "search locust --question api_testing --limit 5")?;
    let req =
        SearchRequest { query: "locust".into(), question: Some("api_testing".into()), limit: 5, ..Default::default() };
    let results = index.search(&req)?;
    write_hits(&mut out, &results, Format::Table, style)?;
    writeln!(out, "{}", hits_summary(&req.query, &results))?;

    banner(&mut out, "stats facts --by cohort")?;
    write_frame(&mut out, &mut index.statistic(&Statistic::Facts { by_cohort: true }, &all)?, Format::Table, style)?;

    let group = generated.iter().find_map(|r| r.truth.facts.group).unwrap_or(1);
    banner(&mut out, &format!("show {group}"))?;
    let found = index.reports_of(&group.to_string(), &[])?;
    if found.height() == 0 {
        out.flush()?;
        eprintln!("cohort: no report for {:?} in {} (see `cohort reports`)", group.to_string(), index_dir.display());
    } else {
        write_profiles(&mut out, &index, &found, false, style)?;
    }

    match &args.keep {
        Some(dir) => writeln!(
            out,
            "The reports and the index are in {}: try `cohort search \"data drift\" --index {}`.",
            dir.display(),
            index_dir.display()
        )?,
        None => writeln!(
            out,
            "Run `cohort demo --keep demo` to keep the reports and the index, or `cohort ingest DIR` on your own."
        )?,
    }
    out.flush()?;
    if args.serve {
        let host = std::net::IpAddr::from([127, 0, 0, 1]);
        let opts =
            cohort::serve::ServeOptions { index: index_dir, host, port: args.port, token: None, allow_hosts: vec![] };
        cohort::serve::serve(&opts, |addr| println!("\ncohort serve: http://{addr}/  (Ctrl-C stops it)"))?;
    }
    Ok(ExitCode::SUCCESS)
}
