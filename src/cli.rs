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
    /// Build the static site (not available yet: arrives with the site).
    Build(BuildArgs),
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
}

/// `planbook build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Repository root.
    #[arg(default_value = ".")]
    pub root: PathBuf,
    /// Output folder.
    #[arg(long)]
    pub out: Option<PathBuf>,
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
