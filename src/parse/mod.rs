//! Parse: `Source`s → the `Harness` model, files in parallel.
//!
//! In: sources from discover. Out: the model and the diagnostics that reading produces. Each file
//! is parsed once into comrak's AST and read in one pass over its outline; files are independent,
//! so rayon parses them in parallel and the result is sorted afterwards (deterministic whatever
//! the thread count). Pure: no filesystem, clock or environment.

mod date;
mod debt;
mod decisions;
pub(crate) mod doc;
mod fields;
mod grade;
mod html;
pub(crate) mod markdown;
mod nesting;
mod plan;
mod quality;
mod raw_html;
mod refs;
mod retro;
mod sections;
mod status;
mod steps;

use crate::diag::{Code, Diagnostic};
use crate::discover::{Source, SourceKind};
use crate::model::{DebtTracker, Doc, DocKind, Harness, Plan, QualityScore};
use rayon::prelude::*;

use html::Html;
pub use html::HtmlOptions;
pub use plan::file_number_of as file_number;

/// The length of a date at the start of `stem` (`2026-03-12-x`), real or not (`2026-13-40`).
pub fn date_prefix_len(stem: &str) -> Option<usize> {
    date::prefix(stem).map(|(_, len)| len)
}

/// Whether a state folder (`completed`, `abandoned`) holds finished plans (for history).
pub fn folder_is_finished(folder: &str) -> bool {
    matches!(status::folder_state(folder), crate::model::FolderState::Completed | crate::model::FolderState::Abandoned)
}

/// Whether a written status says the plan is finished (`completed`, `Shipped on …`, `已完成`).
pub fn status_is_finished(text: &str) -> bool {
    status::plan_status(text).is_some_and(|k| k.is_finished())
}

/// One parsed file.
pub enum Parsed {
    /// An exec plan.
    Plan(Box<Plan>),
    /// The debt tracker.
    Debt(DebtTracker),
    /// The quality score.
    Quality(QualityScore),
    /// Any other document.
    Doc(Doc),
    /// References from a repository file outside the harness.
    Mentions(crate::model::FileMentions),
    /// A file planbook failed on (an internal error, reported as a diagnostic).
    Failed,
}

/// Parses every source into the model. With `html`, the model's HTML fragments are rendered
/// from the same ASTs (for `build`); without, they stay empty (for `check`).
pub fn parse(sources: &[Source], harness_dir: &str, html: Option<&HtmlOptions>) -> (Harness, Vec<Diagnostic>) {
    let results: Vec<(Parsed, Vec<Diagnostic>)> = sources.par_iter().map(|s| parse_one_source(s, html)).collect();
    let mut harness = Harness { harness_dir: harness_dir.to_string(), ..Harness::default() };
    let mut diagnostics = Vec::new();
    for (parsed, diags) in results {
        diagnostics.extend(diags);
        insert(&mut harness, parsed);
    }
    harness.sort();
    (harness, diagnostics)
}

/// Puts one parsed file into the model (the caller sorts it afterwards).
pub fn insert(harness: &mut Harness, parsed: Parsed) {
    match parsed {
        Parsed::Plan(p) => harness.plans.push(*p),
        Parsed::Debt(d) => harness.debt = Some(d),
        Parsed::Quality(q) => harness.quality = Some(q),
        Parsed::Doc(d) => harness.docs.push(d),
        Parsed::Mentions(m) if !m.refs.is_empty() => harness.mentions.push(m),
        Parsed::Mentions(_) | Parsed::Failed => {}
    }
}

/// Parses one source.
///
/// A bug in a parser must not cost the user the rest of the site: a panic while reading one file
/// becomes a diagnostic for that file, and the file is left out.
pub fn parse_one_source(source: &Source, html: Option<&HtmlOptions>) -> (Parsed, Vec<Diagnostic>) {
    let run = || {
        let file = html.map(|h| h.for_file(&source.path));
        parse_one(source, Html(file.as_ref()))
    };
    match crate::panics::guard(run) {
        Ok(parsed) => parsed,
        Err(what) => {
            let d = Diagnostic::new(
                Code::InternalError,
                &source.path,
                None,
                format!("planbook failed to read this file: {what}"),
            )
            .help("this is a bug in planbook; please report it with the file. The rest of the harness was read");
            (Parsed::Failed, vec![d])
        }
    }
}

fn parse_one(source: &Source, html: Html<'_>) -> (Parsed, Vec<Diagnostic>) {
    let (parsed, mut diags) = read_source(source, html);
    html.report(&source.path, &mut diags);
    (parsed, diags)
}

fn read_source(source: &Source, html: Html<'_>) -> (Parsed, Vec<Diagnostic>) {
    let (path, text) = (source.path.as_str(), &*source.text);
    match &source.kind {
        SourceKind::Plan { folder } => {
            let (plan, mut diags) = plan::parse_plan(path, folder, text, html);
            if text.trim().is_empty() {
                diags.push(Diagnostic::new(Code::EmptyFile, path, None, "plan file is empty").help(
                    "start from the plan template: a `# EP-NNN: Title` heading, header fields and the five sections",
                ));
            }
            (Parsed::Plan(Box::new(plan)), diags)
        }
        SourceKind::DebtTracker => {
            let (tracker, diags) = debt::parse_debt(path, text, html);
            (Parsed::Debt(tracker), diags)
        }
        SourceKind::QualityScore => {
            let (quality, diags) = quality::parse_quality(path, text, html);
            (Parsed::Quality(quality), diags)
        }
        SourceKind::HarnessDoc => {
            let (doc, diags) = doc::parse_doc(path, DocKind::Harness, text, html);
            (Parsed::Doc(doc), diags)
        }
        SourceKind::RootDoc => {
            let (doc, diags) = doc::parse_doc(path, DocKind::Root, text, html);
            (Parsed::Doc(doc), diags)
        }
        SourceKind::Companion { plan } => {
            let (doc, diags) = doc::parse_companion(path, plan, text, html);
            (Parsed::Doc(doc), diags)
        }
        SourceKind::Draft => {
            let (doc, diags) = doc::parse_doc(path, DocKind::Draft, text, html);
            (Parsed::Doc(doc), diags)
        }
        SourceKind::RepoMarkdown => {
            let mut diags = Vec::new();
            (Parsed::Mentions(markdown_mentions(path, text, &mut diags)), diags)
        }
        SourceKind::RepoText => {
            let mut diags = Vec::new();
            (Parsed::Mentions(refs::scan_text(path, text, &mut diags)), diags)
        }
    }
}

/// References in a Markdown file outside the harness, with the text of their lines, sorted by
/// position (backlinks look them up so).
fn markdown_mentions(path: &str, text: &str, diags: &mut Vec<Diagnostic>) -> crate::model::FileMentions {
    let arena = comrak::Arena::new();
    let root = markdown::parse_file(&arena, text, path, diags);
    let mut found = Vec::new();
    refs::collect(root, path, &mut found);
    found.sort_by_key(|r| r.span);
    let lines: Vec<&str> = text.lines().collect();
    let shown = found
        .iter()
        .map(|r| {
            let line = r.span.line.checked_sub(1).and_then(|n| lines.get(n as usize));
            line.map_or_else(String::new, |l| l.trim().chars().take(160).collect())
        })
        .collect();
    crate::model::FileMentions { path: path.to_string(), refs: found, lines: shown }
}
