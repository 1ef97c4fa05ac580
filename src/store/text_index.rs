//! The tantivy index: one document per answer, English stemming, stored text for snippets.

use super::checksums::{self, Checksums, FileChunks, CHUNK};
use super::query_syntax::{self, FilterField, Node, SyntaxError};
use super::{link_tree, Generation, Result, StoreError};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};
use tantivy::query::{AllQuery, BooleanQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query, RegexQuery, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// A tantivy directory that is only read, and checks every byte tantivy reads against the generation's checksums
/// ([`super::checksums`]): each chunk of a file the first time any part of it is read, small files (`meta.json`)
/// whole. A command thus checks what it reads and no more, and tantivy never sees a damaged byte (it trusts its
/// bytes: a flipped one can panic it or change an answer).
///
/// tantivy takes a lock file while it opens segments so that a writer's clean-up cannot delete them meanwhile; a
/// published generation has no writer, and taking the lock fails on a read-only folder ("Failed to acquire
/// Lockfile"), so the lock here is a no-op and every write is refused.
#[derive(Debug, Clone)]
struct CheckedDirectory {
    files: MmapDirectory,
    /// The tantivy folder.
    dir: PathBuf,
    sums: Arc<Checksums>,
    damage: Arc<Damage>,
}

/// The first damage a read met, for the error the search then returns whatever tantivy made of the failed read.
#[derive(Debug, Default)]
struct Damage(Mutex<Option<(PathBuf, String)>>);

impl Damage {
    fn record(&self, path: PathBuf, reason: String) -> std::io::Error {
        let message = format!("{}: {reason}", path.display());
        if let Ok(mut first) = self.0.lock() {
            first.get_or_insert((path, reason));
        }
        std::io::Error::new(std::io::ErrorKind::InvalidData, message)
    }

    fn error(&self) -> Option<StoreError> {
        let first = self.0.lock().ok()?.clone()?;
        Some(StoreError::Corrupt { path: first.0, reason: first.1 })
    }
}

fn read_only(path: &Path) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::PermissionDenied,
        format!("{}: the index is opened read-only", path.display()),
    )
}

impl CheckedDirectory {
    /// The sums of a tantivy file, or the error of a file the index does not list.
    fn sums_of(&self, path: &Path) -> std::result::Result<&FileChunks, OpenReadError> {
        let name = format!("tantivy/{}", path.to_string_lossy());
        self.sums.file(&name).ok_or_else(|| OpenReadError::IoError {
            io_error: Arc::new(self.damage.record(self.dir.join(path), "a file the index does not list".into())),
            filepath: path.to_path_buf(),
        })
    }
}

impl Directory for CheckedDirectory {
    fn get_file_handle(&self, path: &Path) -> std::result::Result<Arc<dyn FileHandle>, OpenReadError> {
        let inner = self.files.get_file_handle(path)?;
        let sums = self.sums_of(path)?.clone();
        let full = self.dir.join(path);
        if inner.len() as u64 != sums.bytes {
            let reason = format!("damaged index file ({} bytes, {} when written)", inner.len(), sums.bytes);
            let io_error = Arc::new(self.damage.record(full, reason));
            return Err(OpenReadError::IoError { io_error, filepath: path.to_path_buf() });
        }
        let checked = (0..sums.chunks().div_ceil(64)).map(|_| AtomicU64::new(0)).collect();
        Ok(Arc::new(CheckedFile { inner, path: full, sums, checked, damage: Arc::clone(&self.damage) }))
    }
    fn delete(&self, path: &Path) -> std::result::Result<(), DeleteError> {
        Err(DeleteError::IoError { io_error: Arc::new(read_only(path)), filepath: path.to_path_buf() })
    }
    fn exists(&self, path: &Path) -> std::result::Result<bool, OpenReadError> {
        self.files.exists(path)
    }
    fn open_write(&self, path: &Path) -> std::result::Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::wrap_io_error(read_only(path), path.to_path_buf()))
    }
    fn atomic_read(&self, path: &Path) -> std::result::Result<Vec<u8>, OpenReadError> {
        let bytes = self.files.atomic_read(path)?;
        match self.sums_of(path)?.check(&bytes) {
            None => Ok(bytes),
            Some(reason) => Err(OpenReadError::IoError {
                io_error: Arc::new(self.damage.record(self.dir.join(path), reason)),
                filepath: path.to_path_buf(),
            }),
        }
    }
    fn atomic_write(&self, path: &Path, _data: &[u8]) -> std::io::Result<()> {
        Err(read_only(path))
    }
    fn sync_directory(&self) -> std::io::Result<()> {
        Ok(())
    }
    fn acquire_lock(&self, _lock: &Lock) -> std::result::Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }
    fn watch(&self, _callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        Ok(WatchHandle::empty())
    }
}

/// A file of the index whose chunks are checked the first time they are read.
#[derive(Debug)]
struct CheckedFile {
    inner: Arc<dyn FileHandle>,
    path: PathBuf,
    sums: FileChunks,
    /// One bit per chunk: checked already.
    checked: Vec<AtomicU64>,
    damage: Arc<Damage>,
}

impl tantivy::HasLen for CheckedFile {
    fn len(&self) -> usize {
        self.inner.len()
    }
}

impl FileHandle for CheckedFile {
    fn read_bytes(&self, range: std::ops::Range<usize>) -> std::io::Result<tantivy::directory::OwnedBytes> {
        if range.start < range.end {
            for k in range.start / CHUNK..=(range.end - 1) / CHUNK {
                let (word, bit) = (k / 64, 1u64 << (k % 64));
                let Some(flags) = self.checked.get(word) else { break };
                if flags.load(Ordering::Acquire) & bit != 0 {
                    continue;
                }
                let chunk = self.sums.chunk_range(k);
                let (from, to) = (chunk.start as u64, chunk.end as u64);
                let bytes = self.inner.read_bytes(chunk)?;
                if !self.sums.chunk_is(k, &bytes) {
                    return Err(self.damage.record(self.path.clone(), checksums::damaged_range(from, to)));
                }
                flags.fetch_or(bit, Ordering::AcqRel);
            }
        }
        self.inner.read_bytes(range)
    }
}

/// The `en_stem` analyzer with each word's stem remembered: stemming every word of every answer was a sixth of an
/// ingest (reports repeat their words), so each tokenizer keeps the stems it made. The same tokens as tantivy's
/// own `en_stem` (simple tokenizer, words over 40 bytes dropped, lower case, the English Snowball stemmer, which
/// makes the stems on a miss), so an index built either way reads the other's terms.
fn en_stem() -> tantivy::tokenizer::TextAnalyzer {
    use tantivy::tokenizer::{LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer};
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(RememberedStems)
        .build()
}

/// Registers cohort's analyzers on an index being written.
fn register_tokenizers(index: &Index) {
    index.tokenizers().register("en_stem", en_stem());
}

/// A token filter stemming English words, each distinct word once per tokenizer.
#[derive(Clone, Copy)]
struct RememberedStems;

impl tantivy::tokenizer::TokenFilter for RememberedStems {
    type Tokenizer<T: tantivy::tokenizer::Tokenizer> = StemsOf<T>;
    fn transform<T: tantivy::tokenizer::Tokenizer>(self, inner: T) -> StemsOf<T> {
        StemsOf { inner, stems: Stems::default() }
    }
}

/// Words and their stems, and the stemmer that makes them.
struct Stems {
    known: std::collections::HashMap<String, String>,
    stemmer: tantivy::tokenizer::TextAnalyzer,
}

/// Remembered words per tokenizer, at most (then forgotten and remembered again): a bound on memory.
const STEMS_KEPT: usize = 200_000;

impl Default for Stems {
    fn default() -> Self {
        use tantivy::tokenizer::{Language, RawTokenizer, Stemmer, TextAnalyzer};
        let stemmer = TextAnalyzer::builder(RawTokenizer::default()).filter(Stemmer::new(Language::English)).build();
        Stems { known: Default::default(), stemmer }
    }
}

impl Stems {
    /// Makes `word` its stem.
    fn stem(&mut self, word: &mut String) {
        if let Some(stem) = self.known.get(word.as_str()) {
            word.clear();
            word.push_str(stem);
            return;
        }
        let mut stream = self.stemmer.token_stream(word);
        let stem = if stream.advance() { stream.token().text.clone() } else { word.clone() };
        drop(stream);
        if self.known.len() >= STEMS_KEPT {
            self.known.clear();
        }
        self.known.insert(std::mem::replace(word, stem.clone()), stem);
    }
}

/// A tokenizer whose words are stemmed; a copy starts with no stems remembered (tantivy copies the registered
/// one for each segment it writes and each search).
struct StemsOf<T> {
    inner: T,
    stems: Stems,
}

impl<T: Clone> Clone for StemsOf<T> {
    fn clone(&self) -> Self {
        StemsOf { inner: self.inner.clone(), stems: Stems::default() }
    }
}

impl<T: tantivy::tokenizer::Tokenizer> tantivy::tokenizer::Tokenizer for StemsOf<T> {
    type TokenStream<'a> = StemStream<'a, T::TokenStream<'a>>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemStream { tail: self.inner.token_stream(text), stems: &mut self.stems }
    }
}

struct StemStream<'a, S> {
    tail: S,
    stems: &'a mut Stems,
}

impl<S: tantivy::tokenizer::TokenStream> tantivy::tokenizer::TokenStream for StemStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        self.stems.stem(&mut self.tail.token_mut().text);
        true
    }
    fn token(&self) -> &tantivy::tokenizer::Token {
        self.tail.token()
    }
    fn token_mut(&mut self) -> &mut tantivy::tokenizer::Token {
        self.tail.token_mut()
    }
}

/// The fields of an answer document.
#[derive(Clone, Copy)]
pub struct Fields {
    pub report_id: Field,
    pub group: Field,
    pub cohort: Field,
    pub question: Field,
    pub number: Field,
    /// Stemmed (English), stored: plain words find their variants ("deploy" finds "deployed").
    pub text: Field,
    /// Lower-cased only, not stored: "quoted phrases" match exactly these words.
    pub text_exact: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let stemmed = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("en_stem")
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let exact = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("default")
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        report_id: b.add_text_field("report_id", STRING | STORED),
        group: b.add_u64_field("group", NumericOptions::default().set_indexed().set_stored()),
        cohort: b.add_text_field("cohort", STRING | STORED),
        question: b.add_text_field("question", STRING | STORED),
        number: b.add_u64_field("number", STORED),
        text: b.add_text_field("text", stemmed),
        text_exact: b.add_text_field("text_exact", exact),
    };
    (b.build(), fields)
}

fn fields_of(index: &Index) -> Fields {
    let s = index.schema();
    let f =
        |name: &str| s.get_field(name).unwrap_or_else(|_| unreachable!("schema field {name} is created by schema()"));
    Fields {
        report_id: f("report_id"),
        group: f("group"),
        cohort: f("cohort"),
        question: f("question"),
        number: f("number"),
        text: f("text"),
        text_exact: f("text_exact"),
    }
}

fn terr(path: &Path) -> impl FnOnce(tantivy::TantivyError) -> StoreError + '_ {
    move |source| StoreError::Tantivy { path: path.to_path_buf(), source }
}

/// One answer to index.
#[derive(Debug, Clone)]
pub struct AnswerDoc<'a> {
    pub report_id: &'a str,
    pub group: Option<u32>,
    pub cohort: &'a str,
    /// Canonical key, or `extra` for a question the template does not have.
    pub question: &'a str,
    pub number: Option<u32>,
    pub text: &'a str,
}

/// Writes the index of a new generation at `dir`: starting from the previous generation's index (linked, not
/// copied) when there is one, removing the reports in `remove` and adding `add`. Committed once, at the end.
pub fn write<'a>(
    dir: &Path,
    previous: Option<&Path>,
    remove: &[String],
    add: impl Iterator<Item = AnswerDoc<'a>>,
) -> Result<()> {
    let mut writer = TextWriter::start(dir, previous, remove)?;
    for a in add {
        writer.add(&a)?;
    }
    writer.finish()
}

/// The index of a new generation being written (see `write`): answers are added as they come, so their reports
/// can be dropped while tantivy's threads index what they were given.
pub struct TextWriter {
    dir: PathBuf,
    writer: IndexWriter,
    f: Fields,
    /// Built from nothing (no previous generation).
    first: bool,
}

/// Segments an index may have after an ingest that builds on the previous one before they are merged into one.
const MAX_SEGMENTS: usize = 8;

impl TextWriter {
    /// Starts the index at `dir` from the previous generation's (linked, not copied), without the reports in
    /// `remove`.
    pub fn start(dir: &Path, previous: Option<&Path>, remove: &[String]) -> Result<TextWriter> {
        let index = match previous {
            Some(prev) => {
                link_tree(prev, dir)?;
                Index::open_in_dir(dir).map_err(terr(dir))?
            }
            None => {
                std::fs::create_dir_all(dir).map_err(super::io_err(dir))?;
                Index::create_in_dir(dir, schema().0).map_err(terr(dir))?
            }
        };
        register_tokenizers(&index);
        let f = fields_of(&index);
        let writer: IndexWriter = index.writer_with_num_threads(2, 100_000_000).map_err(terr(dir))?;
        let first = previous.is_none();
        if first {
            // Merged once, at the end (see `finish`): tantivy's merges while indexing rewrote the same answers
            // several times, and left anything from one to nine segments depending on timing.
            writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        }
        for id in remove {
            writer.delete_term(Term::from_field_text(f.report_id, id));
        }
        Ok(TextWriter { dir: dir.to_path_buf(), writer, f, first })
    }

    /// Adds one answer.
    pub fn add(&mut self, a: &AnswerDoc<'_>) -> Result<()> {
        let f = self.f;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.report_id, a.report_id);
        if let Some(g) = a.group {
            doc.add_u64(f.group, u64::from(g));
        }
        doc.add_text(f.cohort, a.cohort);
        doc.add_text(f.question, a.question);
        if let Some(n) = a.number {
            doc.add_u64(f.number, u64::from(n));
        }
        doc.add_text(f.text, a.text);
        doc.add_text(f.text_exact, a.text);
        self.writer.add_document(doc).map_err(terr(&self.dir))?;
        Ok(())
    }

    /// Commits everything added and waits for tantivy's merges. A first index is merged into one segment, and so
    /// is one that has gathered more than `MAX_SEGMENTS`: each segment costs every search (and every command's
    /// opening of the index) its own term dictionaries and norms.
    pub fn finish(mut self) -> Result<()> {
        self.writer.commit().map_err(terr(&self.dir))?;
        let segments = self.writer.index().searchable_segment_ids().map_err(terr(&self.dir))?;
        if (self.first && segments.len() > 1) || segments.len() > MAX_SEGMENTS {
            self.writer.merge(&segments).wait().map_err(terr(&self.dir))?;
        }
        self.writer.wait_merging_threads().map_err(terr(&self.dir))?;
        Ok(())
    }
}

/// A search and its filters.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// In the language of [`query_syntax`].
    pub query: String,
    pub question: Option<String>,
    /// Only these cohorts (all when empty).
    pub cohorts: Vec<String>,
    pub group: Option<u32>,
    /// At most this many hits (the total is counted whatever the limit).
    pub limit: usize,
}

/// One matching answer.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchHit {
    pub id: String,
    pub group: Option<u32>,
    pub cohort: String,
    pub question: String,
    pub number: Option<u32>,
    pub score: f32,
    /// The matching passage, matched terms wrapped in `**` (kept for one release: use `text` and `matches`).
    pub snippet: String,
    /// The matching passage as written (whitespace runs collapsed to one space).
    pub text: String,
    /// Where the matched words are in `text`: `[start, end)` pairs of character (Unicode scalar) offsets.
    pub matches: Vec<[usize; 2]>,
}

impl SearchHit {
    /// The passage cut at its matches: `(text, matched)` parts in order, from `text` and `matches` (offsets out of
    /// order or out of range are left unmarked). The terminal and the web page both mark these parts.
    pub fn parts(&self) -> Vec<(&str, bool)> {
        // Byte offset of every character start, and of the end.
        let bytes: Vec<usize> = self.text.char_indices().map(|(b, _)| b).chain([self.text.len()]).collect();
        let mut parts = Vec::with_capacity(2 * self.matches.len() + 1);
        let mut from = 0;
        for &[start, end] in &self.matches {
            if start < from || start >= end || end >= bytes.len() {
                continue;
            }
            if start > from {
                parts.push((&self.text[bytes[from]..bytes[start]], false));
            }
            parts.push((&self.text[bytes[start]..bytes[end]], true));
            from = end;
        }
        if from + 1 < bytes.len() {
            parts.push((&self.text[bytes[from]..], false));
        }
        parts
    }
}

/// What a search found: how many answers match, and the best `limit` of them.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchResults {
    /// Every matching answer, however many are shown.
    pub total: usize,
    pub hits: Vec<SearchHit>,
}

/// One report with answers that match, and how many (`cohort search --groups`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GroupHits {
    pub cohort: String,
    pub group: Option<u32>,
    pub id: String,
    pub hits: usize,
}

/// Why a search could not run.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error(transparent)]
    Syntax(#[from] SyntaxError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An opened index, for running many searches (the CLI runs one; a notebook or benchmark runs many).
pub struct AnswerIndex {
    dir: std::path::PathBuf,
    index: Index,
    reader: tantivy::IndexReader,
    fields: Fields,
    /// Each document's question, cohort and group, read from the postings on the first [`AnswerIndex::facets`].
    table: std::sync::OnceLock<std::result::Result<std::sync::Arc<FacetTable>, tantivy::TantivyError>>,
    /// What a read found damaged: once anything is, every answer is that error.
    damage: Arc<Damage>,
}

impl AnswerIndex {
    /// Opens a generation's index for searching without writing anything into its folder (staff share indexes
    /// read-only); every byte read is checked against the generation's checksums.
    pub fn open(generation: &Generation) -> Result<Self> {
        let dir = generation.tantivy_dir();
        let damage = Arc::new(Damage::default());
        let opened = (|| {
            let files = MmapDirectory::open(&dir).map_err(|e| terr(&dir)(e.into()))?;
            let checked =
                CheckedDirectory { files, dir: dir.clone(), sums: generation.sums()?, damage: Arc::clone(&damage) };
            // tantivy's own `en_stem` here (the same tokens as [`en_stem`]): a search tokenizes the query and a few
            // hits once, where remembering stems costs more than it saves.
            let index = Index::open(checked).map_err(terr(&dir))?;
            let fields = fields_of(&index);
            // A published generation never changes, so there is nothing to reload (and nothing to watch).
            let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(terr(&dir))?;
            Ok((index, reader, fields))
        })();
        let (index, reader, fields) = match (opened, damage.error()) {
            (_, Some(e)) | (Err(e), None) => return Err(e),
            (Ok(parts), None) => parts,
        };
        Ok(AnswerIndex { dir, index, reader, fields, table: Default::default(), damage })
    }

    /// The result of a read, or the damage it met (tantivy may have turned a failed read into another error, or
    /// into no error at all).
    fn checked<T>(&self, result: std::result::Result<T, SearchError>) -> std::result::Result<T, SearchError> {
        match self.damage.error() {
            Some(e) => Err(SearchError::Store(e)),
            None => result,
        }
    }

    /// Runs a search (see [`query_syntax`] for the language): BM25 over the answer text, the filters as terms.
    pub fn search(&self, req: &SearchRequest) -> std::result::Result<SearchResults, SearchError> {
        self.search_from(req, 0)
    }

    /// The hits after the first `offset` of a search, `req.limit` of them (a page of results); `total` counts all.
    pub fn search_from(&self, req: &SearchRequest, offset: usize) -> std::result::Result<SearchResults, SearchError> {
        self.checked(self.search_from_unchecked(req, offset))
    }

    fn search_from_unchecked(
        &self,
        req: &SearchRequest,
        offset: usize,
    ) -> std::result::Result<SearchResults, SearchError> {
        let query = self.query(req)?;
        let searcher = self.reader.searcher();
        let (top, total) =
            searcher.search(&*query.query, &(top_docs(&searcher, req, offset), Count)).map_err(terr(&self.dir))?;
        let hits = self.hits(&searcher, &query, top, req.limit)?;
        Ok(SearchResults { total, hits })
    }

    /// A page of hits (as [`AnswerIndex::search_from`]) and the facets of the whole result (as
    /// [`AnswerIndex::facets`]), from one pass over the matching answers: what a search page shows.
    pub fn search_page(
        &self,
        req: &SearchRequest,
        offset: usize,
    ) -> std::result::Result<(SearchResults, Facets), SearchError> {
        self.checked(self.search_page_unchecked(req, offset))
    }

    fn search_page_unchecked(
        &self,
        req: &SearchRequest,
        offset: usize,
    ) -> std::result::Result<(SearchResults, Facets), SearchError> {
        let query = self.query(req)?;
        let searcher = self.reader.searcher();
        let table = self.facet_table(&searcher)?;
        let collectors = (top_docs(&searcher, req, offset), FacetCollector { table: std::sync::Arc::clone(&table) });
        let (top, counts) = searcher.search(&*query.query, &collectors).map_err(terr(&self.dir))?;
        let facets = table.name(counts);
        let hits = self.hits(&searcher, &query, top, req.limit)?;
        let total = usize::try_from(facets.total).unwrap_or(usize::MAX);
        Ok((SearchResults { total, hits }, facets))
    }

    /// The found documents as hits, each with its best passage and the matched words in it.
    fn hits(
        &self,
        searcher: &tantivy::Searcher,
        query: &Built,
        top: Vec<(tantivy::Score, tantivy::DocAddress)>,
        limit: usize,
    ) -> std::result::Result<Vec<SearchHit>, SearchError> {
        let dir = &self.dir;
        let f = self.fields;
        if top.is_empty() {
            return Ok(Vec::new());
        }
        // Highlight what matched: stemmed words in the stemmed field, phrases and prefixes in the exact one; the
        // passage with more marks wins. A field none of the query's terms is in can mark nothing, so its
        // generator is not made: tokenizing (and stemming) every hit's whole text for nothing was a sixth of a
        // search page's time.
        let mut fields_with_terms = std::collections::HashSet::new();
        query.query.query_terms(&mut |term, _| {
            fields_with_terms.insert(term.field());
        });
        let mut generators = Vec::new();
        for field in [f.text, f.text_exact] {
            if !fields_with_terms.contains(&field) {
                continue;
            }
            let mut g = SnippetGenerator::create(searcher, &*query.query, field).map_err(terr(dir))?;
            g.set_max_num_chars(220);
            generators.push(g);
        }
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top.into_iter().take(limit) {
            let doc: TantivyDocument = searcher.doc(addr).map_err(terr(dir))?;
            let text_of = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("").to_string();
            let num_of = |field| doc.get_first(field).and_then(|v| v.as_u64()).map(|n| n as u32);
            let full = text_of(f.text);
            let best = generators
                .iter()
                .map(|g| g.snippet(&full))
                .max_by_key(|s| s.highlighted().len())
                .map(|s| (s.fragment().to_string(), s.highlighted().to_vec()))
                .filter(|(fragment, _)| !fragment.trim().is_empty());
            let (fragment, marks) = best.unwrap_or_else(|| (full.chars().take(200).collect(), Vec::new()));
            let (fragment, marks) = images_as_alt_text(&fragment, &marks);
            let (text, matches) = collapse_whitespace(&fragment, &marks);
            hits.push(SearchHit {
                id: text_of(f.report_id),
                group: num_of(f.group),
                cohort: text_of(f.cohort),
                question: text_of(f.question),
                number: num_of(f.number),
                score,
                snippet: starred(&text, &matches),
                text,
                matches,
            });
        }
        Ok(hits)
    }

    /// Each document's question, cohort and group, read once.
    fn facet_table(
        &self,
        searcher: &tantivy::Searcher,
    ) -> std::result::Result<std::sync::Arc<FacetTable>, SearchError> {
        let table = self.table.get_or_init(|| FacetTable::build(searcher, self.fields).map(std::sync::Arc::new));
        Ok(std::sync::Arc::clone(
            table.as_ref().map_err(|e| StoreError::Tantivy { path: self.dir.clone(), source: e.clone() })?,
        ))
    }

    /// How many answers a search matches in all, per question, cohort and group (whatever `req.limit`).
    pub fn facets(&self, req: &SearchRequest) -> std::result::Result<Facets, SearchError> {
        self.checked(self.facets_unchecked(req))
    }

    fn facets_unchecked(&self, req: &SearchRequest) -> std::result::Result<Facets, SearchError> {
        let searcher = self.reader.searcher();
        let collector = FacetCollector { table: self.facet_table(&searcher)? };
        let query = self.query(req)?;
        let counts = searcher.search(&*query.query, &collector).map_err(terr(&self.dir))?;
        Ok(collector.table.name(counts))
    }

    /// Every report with a matching answer, with how many of its answers match, ordered by cohort and group.
    pub fn search_groups(&self, req: &SearchRequest) -> std::result::Result<Vec<GroupHits>, SearchError> {
        self.checked(self.search_groups_unchecked(req))
    }

    fn search_groups_unchecked(&self, req: &SearchRequest) -> std::result::Result<Vec<GroupHits>, SearchError> {
        let query = self.query(req)?;
        let searcher = self.reader.searcher();
        let docs = searcher.search(&*query.query, &DocSetCollector).map_err(terr(&self.dir))?;
        let f = self.fields;
        let mut counts: BTreeMap<(String, Option<u32>, String), usize> = BTreeMap::new();
        for addr in docs {
            let doc: TantivyDocument = searcher.doc(addr).map_err(terr(&self.dir))?;
            let text_of = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("").to_string();
            let group = doc.get_first(f.group).and_then(|v| v.as_u64()).map(|n| n as u32);
            *counts.entry((text_of(f.cohort), group, text_of(f.report_id))).or_default() += 1;
        }
        Ok(counts.into_iter().map(|((cohort, group, id), hits)| GroupHits { cohort, group, id, hits }).collect())
    }

    fn query(&self, req: &SearchRequest) -> std::result::Result<Built, SearchError> {
        let parsed = query_syntax::parse(&req.query)?;
        let builder = Builder { index: &self.index, f: self.fields, dir: &self.dir };
        let text_query = builder.build(&parsed)?.unwrap_or_else(|| Box::new(AllQuery));
        let f = self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query)];
        if let Some(q) = &req.question {
            clauses.push((Occur::Must, term(f.question, q)));
        }
        if !req.cohorts.is_empty() {
            let any: Vec<(Occur, Box<dyn Query>)> =
                req.cohorts.iter().map(|c| (Occur::Should, term(f.cohort, c))).collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        if let Some(g) = req.group {
            clauses.push((Occur::Must, group_term(f, g)));
        }
        Ok(Built { query: Box::new(BooleanQuery::new(clauses)) })
    }
}

/// The best `req.limit` documents after the first `offset`.
fn top_docs(
    searcher: &tantivy::Searcher,
    req: &SearchRequest,
    offset: usize,
) -> impl tantivy::collector::Collector<Fruit = Vec<(tantivy::Score, tantivy::DocAddress)>> {
    // Never more places than documents, whatever the limit asked for.
    let places = req.limit.min(usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX)).max(1);
    TopDocs::with_limit(places).and_offset(offset).order_by_score()
}

struct Built {
    query: Box<dyn Query>,
}

fn term(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::WithFreqs))
}

fn group_term(f: Fields, group: u32) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_u64(f.group, u64::from(group)), IndexRecordOption::Basic))
}

/// Turns a parsed query into a tantivy query; `None` for a part with nothing to search for (only punctuation).
struct Builder<'a> {
    index: &'a Index,
    f: Fields,
    dir: &'a Path,
}

impl Builder<'_> {
    fn tokens(&self, field: Field, text: &str) -> Result<Vec<String>> {
        let mut analyzer = self.index.tokenizer_for_field(field).map_err(terr(self.dir))?;
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        Ok(out)
    }

    /// The words of `text` in `field`, in order: one word is a term, several a phrase.
    fn words(&self, field: Field, text: &str) -> Result<Option<Box<dyn Query>>> {
        let mut terms: Vec<Term> = self.tokens(field, text)?.iter().map(|t| Term::from_field_text(field, t)).collect();
        Ok(match terms.len() {
            0 => None,
            1 => terms.pop().map(|t| Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)) as Box<dyn Query>),
            _ => Some(Box::new(PhraseQuery::new(terms))),
        })
    }

    fn build(&self, node: &Node) -> std::result::Result<Option<Box<dyn Query>>, SearchError> {
        let f = self.f;
        Ok(match node {
            Node::Word { text, .. } => self.words(f.text, text)?,
            Node::Exact { text, .. } => self.words(f.text_exact, text)?,
            Node::Prefix { text, column } => {
                let mut words = self.tokens(f.text_exact, text)?;
                match words.pop() {
                    None => None,
                    Some(last) if words.is_empty() => {
                        // The default tokenizer yields letters and digits only: nothing in them is special to a regex.
                        let q = RegexQuery::from_pattern(&format!("{last}.*"), f.text_exact).map_err(|e| {
                            SyntaxError { column: *column, message: format!("cannot search for this prefix: {e}") }
                        })?;
                        Some(Box::new(q))
                    }
                    Some(last) => {
                        let mut terms: Vec<Term> =
                            words.iter().map(|w| Term::from_field_text(f.text_exact, w)).collect();
                        terms.push(Term::from_field_text(f.text_exact, &last));
                        let mut q = PhrasePrefixQuery::new(terms);
                        q.set_max_expansions(1000);
                        Some(Box::new(q))
                    }
                }
            }
            Node::Filter { field, value, column } => Some(match field {
                FilterField::Question => {
                    crate::index::check_question(Some(value))
                        .map_err(|e| SyntaxError { column: *column, message: e.to_string() })?;
                    term(f.question, value)
                }
                FilterField::Cohort => term(f.cohort, value),
                FilterField::Group => {
                    let g: u32 = value.parse().map_err(|_| SyntaxError {
                        column: *column,
                        message: format!("group:{value}: a group filter takes a group number, e.g. group:12"),
                    })?;
                    group_term(f, g)
                }
            }),
            Node::Not(inner) => match self.build(inner)? {
                None => None,
                Some(q) => {
                    Some(Box::new(BooleanQuery::new(vec![(Occur::Must, Box::new(AllQuery)), (Occur::MustNot, q)])))
                }
            },
            Node::And(items) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                let mut positive = false;
                for item in items {
                    // `a -b` is "a, and not b": the negation joins the conjunction rather than matching everything.
                    let (occur, q) = match item {
                        Node::Not(inner) => (Occur::MustNot, self.build(inner)?),
                        other => (Occur::Must, self.build(other)?),
                    };
                    if let Some(q) = q {
                        positive |= occur == Occur::Must;
                        clauses.push((occur, q));
                    }
                }
                if clauses.is_empty() {
                    None
                } else {
                    if !positive {
                        clauses.push((Occur::Must, Box::new(AllQuery)));
                    }
                    Some(Box::new(BooleanQuery::new(clauses)))
                }
            }
            Node::Or(items) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for item in items {
                    if let Some(q) = self.build(item)? {
                        clauses.push((Occur::Should, q));
                    }
                }
                (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
            }
        })
    }
}

/// The passage with every run of whitespace made one space, and the marks moved to match, in characters.
/// The passage with every markdown image `![alt](target)` shown as its alt text (`[image]` when it has none), as a
/// reader sees the answer: the file name is no passage, and a match inside it is no match to show. Marks inside the
/// alt text move with it; marks on the rest of the image syntax are dropped. Byte ranges in and out.
fn images_as_alt_text(fragment: &str, marks: &[std::ops::Range<usize>]) -> (String, Vec<std::ops::Range<usize>>) {
    static IMAGE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let image = IMAGE.get_or_init(|| regex::Regex::new(r"!\[([^\]\n]*)\]\([^)\n]*\)?").expect("a valid pattern"));
    if !fragment.contains("![") {
        return (fragment.to_string(), marks.to_vec());
    }
    let mut text = String::with_capacity(fragment.len());
    // (start in fragment, end in fragment, shift to add to offsets in this piece); kept pieces only.
    let mut kept: Vec<(usize, usize, isize)> = Vec::new();
    let mut from = 0;
    let mut keep = |text: &mut String, start: usize, end: usize| {
        kept.push((start, end, text.len() as isize - start as isize));
        text.push_str(&fragment[start..end]);
    };
    for m in image.captures_iter(fragment) {
        let (Some(whole), Some(alt)) = (m.get(0), m.get(1)) else { continue };
        keep(&mut text, from, whole.start());
        if alt.as_str().trim().is_empty() {
            text.push_str("[image]");
        } else {
            keep(&mut text, alt.start(), alt.end());
        }
        from = whole.end();
    }
    keep(&mut text, from, fragment.len());
    let moved = marks
        .iter()
        .filter_map(|r| {
            let (_, _, shift) = kept.iter().find(|(s, e, _)| *s <= r.start && r.end <= *e)?;
            Some((r.start as isize + shift) as usize..(r.end as isize + shift) as usize)
        })
        .collect();
    (text, moved)
}

fn collapse_whitespace(fragment: &str, marks: &[std::ops::Range<usize>]) -> (String, Vec<[usize; 2]>) {
    let mut text = String::with_capacity(fragment.len());
    let mut chars = 0usize;
    // Character offset in `text` of each byte offset of `fragment` that starts a character.
    let mut at: Vec<usize> = vec![0; fragment.len() + 1];
    let mut pending_space = false;
    for (byte, c) in fragment.char_indices() {
        if c.is_whitespace() {
            pending_space = !text.is_empty();
            at[byte] = chars;
            continue;
        }
        if pending_space {
            text.push(' ');
            chars += 1;
            pending_space = false;
        }
        at[byte] = chars;
        text.push(c);
        chars += 1;
    }
    at[fragment.len()] = chars;
    let matches = marks
        .iter()
        .filter(|r| r.start < r.end && r.end <= fragment.len())
        .map(|r| [at[r.start], at[r.end].max(at[r.start])])
        .filter(|[s, e]| s < e)
        .collect();
    (text, matches)
}

/// The passage with each match wrapped in `**` (the old `snippet` field).
fn starred(text: &str, matches: &[[usize; 2]]) -> String {
    let mut out = String::with_capacity(text.len() + 4 * matches.len());
    let mut next = matches.iter().peekable();
    for (i, c) in text.chars().enumerate() {
        if next.peek().is_some_and(|m| m[0] == i) {
            out.push_str("**");
        }
        out.push(c);
        if next.peek().is_some_and(|m| m[1] == i + 1) {
            out.push_str("**");
            next.next();
        }
    }
    out
}

/// Opens a generation's index and runs one search.
pub fn search(generation: &Generation, req: &SearchRequest) -> std::result::Result<SearchResults, SearchError> {
    AnswerIndex::open(generation)?.search(req)
}

#[cfg(test)]
mod image_text_tests {
    use super::images_as_alt_text;

    #[test]
    fn images_read_as_their_alt_text_and_matches_in_file_names_are_dropped() {
        let fragment = "We deploy ![the deploy pipeline](figures/deploy_pipeline.png) on Cloud Run ![](x/deploy.png).";
        let word = |w: &str, nth: usize| {
            let start = fragment.match_indices(w).nth(nth).map(|(i, _)| i).expect("word");
            start..start + w.len()
        };
        // "deploy" three times in the text: the word, in the alt text, and twice in file names.
        let marks = vec![word("deploy", 0), word("deploy", 1), word("deploy", 2), word("deploy", 3)];
        let (text, moved) = images_as_alt_text(fragment, &marks);
        assert_eq!(text, "We deploy the deploy pipeline on Cloud Run [image].");
        let shown: Vec<&str> = moved.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(shown, ["deploy", "deploy"]);
        assert_eq!(moved[1].start, text.find("the deploy").expect("alt") + 4);
        // A fragment cut inside an image's target, and one without images, keep their text.
        let (cut, _) = images_as_alt_text("see ![chart](figures/ch", &[]);
        assert_eq!(cut, "see chart");
        let first_word = std::iter::once(0..2).collect::<Vec<_>>();
        assert_eq!(images_as_alt_text("no image here", &first_word), ("no image here".to_string(), first_word));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_stems_are_tantivys_stems() {
        let text = "Deploying deployed deployment DEPLOYS; the runs running ran, caching cached caches \
                    Ünïcode naïve façades 3.14 x86_64 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa deploying";
        let tokens = |mut analyzer: tantivy::tokenizer::TextAnalyzer| {
            let mut out = Vec::new();
            let mut stream = analyzer.token_stream(text);
            while stream.advance() {
                let t = stream.token();
                out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
            }
            out
        };
        let stock = tantivy::tokenizer::TokenizerManager::default().get("en_stem").expect("tantivy's en_stem");
        let mut ours = en_stem();
        assert_eq!(tokens(ours.clone()), tokens(stock.clone()));
        // Twice through one tokenizer: the second time every stem is a remembered one.
        let first = {
            let mut s = ours.token_stream(text);
            let mut v = Vec::new();
            while s.advance() {
                v.push(s.token().text.clone());
            }
            v
        };
        let mut again = Vec::new();
        let mut s = ours.token_stream(text);
        while s.advance() {
            again.push(s.token().text.clone());
        }
        assert_eq!(first, again);
        assert!(first.contains(&"deploy".to_string()), "{first:?}");
    }

    #[test]
    fn marks_follow_collapsed_whitespace() {
        let fragment = "a  \n deploy é\tdone";
        let d = fragment.find("deploy").unwrap();
        let e = fragment.find("done").unwrap();
        let (text, matches) = collapse_whitespace(fragment, &[d..d + 6, e..e + 4]);
        assert_eq!(text, "a deploy é done");
        assert_eq!(matches, vec![[2, 8], [11, 15]]);
        assert_eq!(starred(&text, &matches), "a **deploy** é **done**");
    }
}

/// How many answers a search matches, in all and per question, cohort and group (each sorted by value).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Facets {
    pub total: u64,
    pub question: Vec<(String, u64)>,
    pub cohort: Vec<(String, u64)>,
    pub group: Vec<(u32, u64)>,
}

/// Per segment and document: the ordinals of its question and cohort and its group (`u32::MAX` for none).
/// The three fields are indexed but not fast fields, so they are read once from their postings.
struct FacetTable {
    questions: Vec<String>,
    cohorts: Vec<String>,
    groups: Vec<u32>,
    segments: std::collections::HashMap<tantivy::index::SegmentId, std::sync::Arc<Vec<[u32; 3]>>>,
}

const NONE: u32 = u32::MAX;

impl FacetTable {
    fn build(searcher: &tantivy::Searcher, f: Fields) -> tantivy::Result<FacetTable> {
        use tantivy::{DocSet, TERMINATED};
        let mut t =
            FacetTable { questions: Vec::new(), cohorts: Vec::new(), groups: Vec::new(), segments: Default::default() };
        let mut names: [std::collections::HashMap<Vec<u8>, u32>; 3] = Default::default();
        for segment in searcher.segment_readers() {
            let mut rows = vec![[NONE; 3]; segment.max_doc() as usize];
            for (slot, field) in [f.question, f.cohort, f.group].into_iter().enumerate() {
                let inverted = segment.inverted_index(field)?;
                let mut terms = inverted.terms().stream()?;
                while terms.advance() {
                    let bytes = terms.key().to_vec();
                    let next = names[slot].len() as u32;
                    let ord = *names[slot].entry(bytes.clone()).or_insert(next);
                    if ord == next {
                        match slot {
                            0 => t.questions.push(String::from_utf8_lossy(&bytes).into_owned()),
                            1 => t.cohorts.push(String::from_utf8_lossy(&bytes).into_owned()),
                            _ => t.groups.push(
                                <[u8; 8]>::try_from(bytes.as_slice()).map_or(NONE, |b| u64::from_be_bytes(b) as u32),
                            ),
                        }
                    }
                    let mut postings = inverted.read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)?;
                    let mut doc = postings.doc();
                    while doc != TERMINATED {
                        if let Some(row) = rows.get_mut(doc as usize) {
                            row[slot] = ord;
                        }
                        doc = postings.advance();
                    }
                }
            }
            t.segments.insert(segment.segment_id(), std::sync::Arc::new(rows));
        }
        Ok(t)
    }

    fn name(&self, counts: [Vec<u64>; 3]) -> Facets {
        let named = |names: &[String], counts: &[u64]| -> Vec<(String, u64)> {
            let mut v: Vec<(String, u64)> =
                names.iter().zip(counts).filter(|(_, n)| **n > 0).map(|(s, n)| (s.clone(), *n)).collect();
            v.sort();
            v
        };
        let mut group: Vec<(u32, u64)> =
            self.groups.iter().zip(&counts[2]).filter(|(g, n)| **n > 0 && **g != NONE).map(|(g, n)| (*g, *n)).collect();
        group.sort();
        Facets {
            // Ingest gives every answer a question (`extra` when the template has none).
            total: counts[0].iter().sum(),
            question: named(&self.questions, &counts[0]),
            cohort: named(&self.cohorts, &counts[1]),
            group,
        }
    }
}

/// Counts the matching documents per question, cohort and group ordinal.
struct FacetCollector {
    table: std::sync::Arc<FacetTable>,
}

struct FacetSegment {
    rows: Option<std::sync::Arc<Vec<[u32; 3]>>>,
    counts: [Vec<u64>; 3],
}

impl tantivy::collector::Collector for FacetCollector {
    type Fruit = [Vec<u64>; 3];
    type Child = FacetSegment;

    fn for_segment(
        &self,
        _: tantivy::SegmentOrdinal,
        segment: &tantivy::SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let t = &self.table;
        Ok(FacetSegment {
            rows: t.segments.get(&segment.segment_id()).cloned(),
            counts: [vec![0; t.questions.len()], vec![0; t.cohorts.len()], vec![0; t.groups.len()]],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let t = &self.table;
        let mut total = [vec![0; t.questions.len()], vec![0; t.cohorts.len()], vec![0; t.groups.len()]];
        for fruit in fruits {
            for (sum, part) in total.iter_mut().zip(fruit) {
                for (s, p) in sum.iter_mut().zip(part) {
                    *s += p;
                }
            }
        }
        Ok(total)
    }
}

impl tantivy::collector::SegmentCollector for FacetSegment {
    type Fruit = [Vec<u64>; 3];

    fn collect(&mut self, doc: tantivy::DocId, _score: tantivy::Score) {
        let Some(row) = self.rows.as_ref().and_then(|r| r.get(doc as usize)).copied() else { return };
        for (slot, &ord) in row.iter().enumerate() {
            if let Some(n) = self.counts[slot].get_mut(ord as usize) {
                *n += 1;
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.counts
    }
}
