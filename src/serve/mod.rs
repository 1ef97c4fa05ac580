//! `cohort serve`: read-only pages over an index for staff who would rather click. The server is one more client
//! of the library: searches go to [`AnswerIndex`], statistics and figures to [`Index`], findings to
//! [`crate::check::run::check_all`] and pairs to [`crate::dupes::find`]; pages only lay out what those return.
//!
//! Pages (each with a `.json` twin; tables of the statistics page also as `.csv`):
//! - `/` and `/search`: the search box, highlighted hits, facets with counts, paging; all state in the URL;
//! - `/stats`: completion and facts as tables and as the figures of `cohort plot`, inline;
//! - `/group/ID`: one report's members, facts, ticks, answers, findings and duplicate pairs;
//! - `/dupes` and `/pair?a=ID&b=ID`: ranked pairs, and two answers side by side with the shared passages marked;
//! - `/findings`: the findings of `cohort check` per rule and per group, each linked to its answer;
//! - `/figure?id=ID&path=PATH`: one figure a report shows, from its own folder only (`figure.rs`).
//!
//! Security ([`guard`]): loopback by default, a token for any other address, the `Host` header checked against
//! the bound name, GET and HEAD only, and headers that keep the pages to themselves.

mod assets;
mod dupes;
mod figure;
mod findings;
mod group;
pub mod guard;
mod layout;
mod search;
mod stats;

use crate::check::run::{check_all, CheckOptions, CheckOutcome};
use crate::check::Finding;
use crate::corpus::Input;
use crate::dupes::figures::{copied_figures, FigurePair, FigureSettings};
use crate::dupes::run::{read_index, Reading, Source};
use crate::dupes::{find, Outcome, Settings, ShingleSet};
use crate::index::Index;
use crate::store::text_index::AnswerIndex;
use crate::store::StoreError;
use axum::routing::get;
use axum::Router;
use polars::prelude::DataFrame;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub index: PathBuf,
    pub host: IpAddr,
    pub port: u16,
    /// Required on every request when set (given, or generated for a non-loopback host).
    pub token: Option<String>,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Index(#[from] StoreError),
    #[error(
        "refusing to serve on {host}, which other machines can reach, without a token: give --token T (or let \
             cohort generate one with --token generate)"
    )]
    NoToken { host: IpAddr },
    #[error("cannot listen on {addr}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("the server stopped")]
    Serve(#[source] std::io::Error),
}

/// The duplicate search over the whole index, made once.
pub struct Duplicates {
    pub source: Source,
    pub base: ShingleSet,
    pub settings: Settings,
    pub outcome: Outcome,
    /// Each report's pairs (indices into `outcome.pairs`, most similar first), for its page: scanning every pair
    /// for one report's was nine tenths of a group page's time on 10,000 reports.
    pub pairs_of: HashMap<String, Vec<usize>>,
    /// Figures copied between reports (`cohort dupes --figures`; indices into `source.figures`), closest first.
    pub figure_pairs: Vec<FigurePair>,
}

/// What every page reads: the index (frames in memory), its searcher, and the check and duplicate results made
/// once, on first use (the index never changes under a running server).
pub struct App {
    pub index: Index,
    pub searcher: AnswerIndex,
    checks: OnceLock<Result<Arc<CheckOutcome>, String>>,
    dupes: OnceLock<Result<Arc<Duplicates>, String>>,
    figures: OnceLock<Vec<(String, Result<String, String>)>>,
    /// Every report's figures (the images its answers show) and folder.
    report_figures: OnceLock<Result<Arc<figure::ReportFigures>, String>>,
    verdicts: OnceLock<Result<Option<Arc<DataFrame>>, String>>,
    /// Each report's findings (indices into the check's findings, in their order).
    findings_of: OnceLock<Result<HashMap<String, Vec<usize>>, String>>,
}

impl App {
    /// Opens the index, checks every file of it once (each read afterwards checks only what it reads) and keeps
    /// its frames in memory.
    pub fn open(dir: &std::path::Path) -> Result<App, StoreError> {
        let index = Index::open(dir)?;
        index.verify_files()?;
        let index = index.resident()?;
        let searcher = index.searcher()?;
        Ok(App {
            index,
            searcher,
            checks: OnceLock::new(),
            dupes: OnceLock::new(),
            figures: OnceLock::new(),
            report_figures: OnceLock::new(),
            verdicts: OnceLock::new(),
            findings_of: OnceLock::new(),
        })
    }

    /// `cohort check --index DIR`'s outcome.
    pub fn checks(&self) -> Result<Arc<CheckOutcome>, String> {
        self.checks
            .get_or_init(|| {
                check_all(&CheckOptions::new(Input::Index(self.index.root().to_path_buf())))
                    .map(Arc::new)
                    .map_err(|e| error_chain(&e))
            })
            .clone()
    }

    /// `cohort dupes --index DIR`'s outcome, with the answers' text for side-by-side pages.
    pub fn dupes(&self) -> Result<Arc<Duplicates>, String> {
        self.dupes
            .get_or_init(|| {
                let threads = crate::parallel::default_threads();
                let how = Reading { limits: Default::default(), keep_text: true, threads, figures: true };
                let source = read_index(self.index.root(), false, how, &[]).map_err(|e| error_chain(&e))?;
                let settings = Settings::DEFAULT;
                let base = ShingleSet::default();
                let outcome = find(&source.corpus, &base, &settings, None, threads);
                let mut pairs_of: HashMap<String, Vec<usize>> = HashMap::new();
                for (i, p) in outcome.pairs.iter().enumerate() {
                    let (a, b) = (&source.meta(p.a).id, &source.meta(p.b).id);
                    pairs_of.entry(a.clone()).or_default().push(i);
                    if b != a {
                        pairs_of.entry(b.clone()).or_default().push(i);
                    }
                }
                let figure_pairs =
                    copied_figures(&source.figures, &source.corpus.reports, &[], &FigureSettings::DEFAULT);
                Ok(Arc::new(Duplicates { source, base, settings, outcome, pairs_of, figure_pairs }))
            })
            .clone()
    }

    /// One report's findings of `cohort check`, in the check's order.
    pub fn findings_of(&self, id: &str) -> Result<Vec<Finding>, String> {
        let checks = self.checks()?;
        let by_report = self
            .findings_of
            .get_or_init(|| {
                let mut by: HashMap<String, Vec<usize>> = HashMap::new();
                for (i, f) in checks.findings.iter().enumerate() {
                    by.entry(f.id.clone()).or_default().push(i);
                }
                Ok(by)
            })
            .as_ref()
            .map_err(String::clone)?;
        Ok(by_report.get(id).map_or_else(Vec::new, |v| v.iter().map(|&i| checks.findings[i].clone()).collect()))
    }

    /// The verdicts `cohort ingest --repos` stored (`cohort show`'s unsupported claims), if any.
    pub fn verdicts(&self) -> Result<Option<Arc<DataFrame>>, String> {
        self.verdicts
            .get_or_init(|| {
                crate::verify::frame::stored(&self.index).map(|v| v.map(Arc::new)).map_err(|e| error_chain(&e))
            })
            .clone()
    }

    /// Computes what is made once, so the first visitor does not wait for it.
    pub fn warm(&self) {
        let _ = self.checks();
        let _ = self.dupes();
        let _ = self.verdicts();
        let _ = stats::figures(self);
    }
}

/// An error with its causes, for a page.
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut s = e.to_string();
    let mut next = e.source();
    while let Some(c) = next {
        s.push_str(": ");
        s.push_str(&c.to_string());
        next = c.source();
    }
    s
}

/// Every page, behind the guard.
pub fn router(app: Arc<App>, guard: guard::Guard) -> Router {
    Router::new()
        .route("/", get(search::page))
        .route("/search", get(search::page))
        .route("/search.json", get(search::json))
        .route("/stats", get(stats::page))
        .route("/stats.json", get(stats::json))
        .route("/stats/{table}", get(stats::csv))
        .route("/group/{*id}", get(group::page))
        .route("/dupes", get(dupes::page))
        .route("/dupes.json", get(dupes::json))
        .route("/pair", get(dupes::pair))
        .route("/pair.json", get(dupes::pair_json))
        .route("/findings", get(findings::page))
        .route("/findings.json", get(findings::json))
        .route("/figure", get(figure::figure))
        .route("/assets/{name}", get(assets::asset))
        .fallback(layout::not_found)
        .with_state(app)
        .layer(axum::middleware::from_fn_with_state(Arc::new(guard), guard::check))
}

/// Whether an address only this machine can reach.
pub fn is_loopback(host: IpAddr) -> bool {
    host.is_loopback()
}

/// Opens the index, binds, prints where it listens (and the token when one was generated) and serves until the
/// process is stopped. `ready` is told the bound address (for tests and `cohort demo --serve`).
pub fn serve(opts: &ServeOptions, on_listen: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    if !is_loopback(opts.host) && opts.token.is_none() {
        return Err(ServeError::NoToken { host: opts.host });
    }
    let app = Arc::new(App::open(&opts.index)?);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(ServeError::Serve)?;
    runtime.block_on(async move {
        let addr = SocketAddr::new(opts.host, opts.port);
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|source| ServeError::Bind { addr, source })?;
        let bound = listener.local_addr().map_err(ServeError::Serve)?;
        let guard = guard::Guard::new(bound, opts.token.clone());
        let warming = Arc::clone(&app);
        std::thread::spawn(move || warming.warm());
        on_listen(bound);
        axum::serve(listener, router(app, guard)).await.map_err(ServeError::Serve)
    })
}
