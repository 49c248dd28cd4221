//! planbook reads a repository's engineering harness (exec plans, the tech debt tracker, quality
//! scores, AGENTS.md) and checks it against the exec-plan convention; the static site builds on
//! the same model.
//!
//! ```text
//! discover ──▶ parse ──▶ rules ──▶ Report           (planbook check)
//!  files        Harness    Diagnostics
//! ```
//!
//! * `discover` finds the harness, walks it with `ignore` and reads files (parallel I/O);
//! * `parse` turns each file into the model in one pass over comrak's AST (rayon);
//! * `rules` checks the convention on the model;
//! * `diag` collects, orders and renders diagnostics.
//!
//! Stages only use types from earlier stages. Everything in the user's files that is wrong is a
//! `Diagnostic`; `Err` means planbook could not run at all.

#![warn(missing_docs)]

pub mod cli;
pub mod config;
pub mod diag;
pub mod discover;
pub mod highlight;
pub mod model;
pub mod parse;
pub mod rules;
pub mod slug;
pub mod yaml;

use config::Config;
use diag::Report;
use discover::Layout;
use model::Harness;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A repository opened for planbook: its root, config and harness location.
#[derive(Debug, Clone)]
pub struct Project {
    /// The root as given.
    pub root: PathBuf,
    /// How paths are shown to the user: the root as typed plus `/`, or empty for `.`.
    pub shown_root: String,
    /// planbook.yaml.
    pub config: Config,
    /// Where the harness is.
    pub layout: Layout,
}

impl Project {
    /// Reads the config and locates the harness. Fails when planbook cannot run on `root`.
    pub fn open(root: &Path) -> anyhow::Result<Project> {
        let shown = root.to_string_lossy();
        let shown_root = match shown.trim_end_matches('/') {
            "" | "." => String::new(),
            s => format!("{}/", s.trim_start_matches("./")),
        };
        if !root.is_dir() {
            anyhow::bail!("`{}` is not a folder", root.display());
        }
        let config = Config::load(root, &shown_root)?;
        let layout = discover::locate(root, &config)?;
        Ok(Project { root: root.to_path_buf(), shown_root, config, layout })
    }
}

/// How long each stage took.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    /// Walking and reading files.
    pub discover: Duration,
    /// Parsing them.
    pub parse: Duration,
    /// Running the rules.
    pub rules: Duration,
    /// Number of files read.
    pub files: usize,
}

/// The result of `check`: the model and its report.
#[derive(Debug)]
pub struct Checked {
    /// Everything that was read.
    pub harness: Harness,
    /// Diagnostics, ordered, with severities from planbook.yaml applied.
    pub report: Report,
    /// Stage timings (for `--verbose`).
    pub timings: Timings,
}

/// discover → parse → rules.
pub fn check(project: &Project) -> anyhow::Result<Checked> {
    let mut timings = Timings::default();
    let t = Instant::now();
    let (sources, mut diagnostics) = discover::discover(&project.layout, &project.config)?;
    timings.discover = t.elapsed();
    timings.files = sources.len();

    let t = Instant::now();
    let (harness, parse_diags) = parse::parse(&sources, &project.layout.harness_rel, None);
    diagnostics.extend(parse_diags);
    timings.parse = t.elapsed();

    let t = Instant::now();
    diagnostics.extend(rules::check(&harness));
    timings.rules = t.elapsed();

    let texts: HashMap<String, std::sync::Arc<str>> = sources.into_iter().map(|s| (s.path, s.text)).collect();
    let report = Report::new(diagnostics, texts, &project.config.rules, harness.plans.len());
    Ok(Checked { harness, report, timings })
}
