//! The command line (clap derive types only). Commands, flags and their spelling are a user
//! contract: scripts and CI call them.

use crate::diag::{ColorChoice, Format};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// planbook: a static site and a checker for a repository's exec plans, tech debt and quality
/// scores.
#[derive(Debug, Parser)]
#[command(name = "planbook", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print what planbook is doing and how long each stage takes.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// When to use colours (NO_COLOR is honoured under `auto`).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse every plan, run the convention's rules and print diagnostics.
    ///
    /// Exits 0 when there are no errors (warnings allowed), 1 when there are errors (or warnings
    /// with --strict), 2 when planbook cannot run (missing ROOT, broken planbook.yaml).
    Check(CheckArgs),
    /// Build the static site into ROOT/site (or --out, or `output:` in planbook.yaml).
    ///
    /// Diagnostics are printed as `check` prints them. Exits 0 when the site was written (even
    /// with errors in plans), 1 with --strict when there are errors or warnings, 1 when the site
    /// cannot be built (broken theme, unwritable output; the previous site is left untouched),
    /// 2 when planbook cannot run. With --check-links, broken links also exit 1.
    Build(BuildArgs),
    /// Write a commented planbook.yaml (and, with --github-pages, a workflow that publishes the
    /// site to GitHub Pages). Existing files are kept unless --force.
    Init(InitArgs),
}

/// `planbook init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Repository root.
    #[arg(default_value = ".")]
    pub root: PathBuf,
    /// Also write .github/workflows/planbook.yml, which builds with --strict and deploys to
    /// GitHub Pages.
    #[arg(long)]
    pub github_pages: bool,
    /// Overwrite files that exist.
    #[arg(long)]
    pub force: bool,
}

/// `planbook check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Repository root (holds docs/harness/ or docs/exec-plans/).
    #[arg(default_value = ".")]
    pub root: PathBuf,
    /// Output format of the diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
    /// Also print what was recognised, per kind: plans by state, steps, decisions dated and
    /// undated, retrospectives, debt items, quality domains, docs and references (in JSON, as
    /// the `recognised` object).
    #[arg(long)]
    pub summary: bool,
}

/// `planbook build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Repository root.
    #[arg(default_value = ".")]
    pub root: PathBuf,
    /// Output folder (default: ROOT/site).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// URL the site is published at (overrides `base_url` in planbook.yaml).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Fail (exit 1) when there are errors, warnings or broken links; nothing is written then.
    #[arg(long, conflicts_with = "watch")]
    pub strict: bool,
    /// Check that every internal link and `#fragment` of the built site resolves (always on
    /// with --strict); broken links make the exit code 1. Not with --watch.
    #[arg(long, conflicts_with = "watch")]
    pub check_links: bool,
    /// After building, watch ROOT and rebuild what each change affects.
    #[arg(long)]
    pub watch: bool,
    /// Serve the site with live reload while watching (the default with --watch).
    #[arg(long, requires = "watch", overrides_with = "no_serve")]
    pub serve: bool,
    /// Watch without serving.
    #[arg(long, requires = "watch")]
    pub no_serve: bool,
    /// Port of the preview server (the next free one when it is taken).
    #[arg(long, default_value_t = 4040, requires = "watch")]
    pub port: u16,
    /// Address the preview server binds (loopback unless you say otherwise). Beyond loopback,
    /// anyone who can reach this machine can read the site; requests must then name it by an IP
    /// address, `localhost`, or a name given with --allow-host.
    #[arg(long, default_value = "127.0.0.1", requires = "watch")]
    pub bind: std::net::IpAddr,
    /// A host name the preview server answers to when bound beyond loopback (repeatable), e.g.
    /// `--allow-host devbox.lan`.
    #[arg(long = "allow-host", value_name = "NAME", requires = "watch")]
    pub allow_hosts: Vec<String>,
    /// Open the site in a browser once it is served.
    #[arg(long, requires = "watch")]
    pub open: bool,
    /// Replace an output folder built by an earlier planbook (it has `.nojekyll` but no
    /// `.planbook-site`). Folders holding anything but site files are still refused.
    #[arg(long)]
    pub force: bool,
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
