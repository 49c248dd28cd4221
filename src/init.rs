//! `planbook init`: a commented `planbook.yaml` and, with `--github-pages`, a GitHub Actions
//! workflow that builds the site with `--strict` and deploys it to GitHub Pages.
//!
//! Existing files are never overwritten without `--force`.

use anyhow::{Context, bail};
use std::path::{Path, PathBuf};

/// Where the workflow goes.
pub const WORKFLOW: &str = ".github/workflows/planbook.yml";

/// What `init` wrote.
#[derive(Debug)]
pub struct Written {
    /// The files, relative to the root.
    pub files: Vec<String>,
}

/// Writes the starter files into `root`.
pub fn init(root: &Path, github_pages: bool, force: bool) -> anyhow::Result<Written> {
    if !root.is_dir() {
        bail!("`{}` is not a folder", root.display());
    }
    let mut files: Vec<(&str, String)> = vec![(crate::config::CONFIG_FILE, config(root))];
    if github_pages {
        files.push((WORKFLOW, workflow()));
    }
    let existing: Vec<&str> = files.iter().map(|f| f.0).filter(|f| root.join(f).exists()).collect();
    if !force && !existing.is_empty() {
        bail!(
            "{} already exist{}; pass --force to overwrite",
            existing.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(" and "),
            if existing.len() == 1 { "s" } else { "" }
        );
    }
    for (rel, text) in &files {
        let path: PathBuf = root.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating `{}`", dir.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("writing `{}`", path.display()))?;
    }
    Ok(Written { files: files.into_iter().map(|f| f.0.to_string()).collect() })
}

/// A planbook.yaml with every key, the detected ones set and the rest commented out.
fn config(root: &Path) -> String {
    let title = std::path::absolute(root)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().to_string()))
        .unwrap_or_else(|| "Plans".to_string());
    let harness = ["docs/harness", "docs/exec-plans", "harness"]
        .into_iter()
        .find(|h| root.join(h).is_dir())
        .map(|h| if h == "docs/exec-plans" { "docs".to_string() } else { h.to_string() });
    let repo = github_remote(root);
    let mut out = String::from(
        "# planbook configuration: https://github.com/planbook/planbook#configuration-planbookyaml-optional-at-root\n\n",
    );
    out.push_str(&format!("# Site title, shown on every page.\ntitle: {}\n\n", yaml_string(&title)));
    match harness {
        Some(h) => {
            out.push_str(&format!("# The folder that holds exec-plans/ (detected when absent).\nharness: {h}\n\n"))
        }
        None => {
            out.push_str("# The folder that holds exec-plans/ (detected when absent).\n# harness: docs/harness\n\n")
        }
    }
    match &repo {
        Some(r) => out.push_str(&format!("# Where \"view source\" and code references link to.\nrepo_url: {r}\n\n")),
        None => out.push_str(
            "# Where \"view source\" and code references link to.\n# repo_url: https://github.com/acme/widgets\n\n",
        ),
    }
    out.push_str(
        "# Where the site is published, for canonical links, the sitemap and the feed. The GitHub\n\
         # Pages workflow passes it with --base-url, so it can stay commented out.\n\
         # base_url: https://acme.github.io/widgets/\n\n\
         # A custom domain for GitHub Pages (written to CNAME).\n\
         # cname: plans.acme.dev\n\n\
         # Files and folders planbook never reads (globs relative to this file).\n\
         # exclude:\n#   - vendor\n#   - node_modules\n\n\
         # Output folder of `planbook build` (default: site).\n# output: site\n\n\
         # Severity of a rule: off, warning or error (codes in `planbook check --help`).\n\
         # rules:\n#   W005: off\n\n\
         # Show raw HTML written in Markdown (sanitised) instead of escaping it.\n# allow_html: false\n",
    );
    out
}

/// The `origin` remote, when it is on GitHub, as `https://github.com/owner/repo`.
fn github_remote(root: &Path) -> Option<String> {
    let config = std::fs::read_to_string(root.join(".git/config")).ok()?;
    let mut in_origin = false;
    for line in config.lines().map(str::trim) {
        if line.starts_with('[') {
            in_origin = line == "[remote \"origin\"]";
        } else if in_origin && let Some(url) = line.strip_prefix("url").map(|u| u.trim_start_matches([' ', '=']).trim())
        {
            let path = url
                .strip_prefix("git@github.com:")
                .or_else(|| url.strip_prefix("https://github.com/"))
                .or_else(|| url.strip_prefix("ssh://git@github.com/"))?;
            return Some(format!("https://github.com/{}", path.trim_end_matches('/').trim_end_matches(".git")));
        }
    }
    None
}

fn yaml_string(s: &str) -> String {
    if s.chars().all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.')) && !s.starts_with(' ') {
        s.to_string()
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// The GitHub Pages workflow: build with planbook at this version, `--strict` (errors, warnings
/// and broken links fail the deploy), at the base URL GitHub Pages reports, then deploy.
fn workflow() -> String {
    let version = env!("CARGO_PKG_VERSION");
    format!(
        r#"# Builds the harness site with planbook and publishes it to GitHub Pages.
# Enable it once: Settings → Pages → Build and deployment → Source: GitHub Actions.
name: planbook

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

# One deployment at a time; a newer push cancels a build still waiting.
concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          # The whole history: planbook dates undated decisions and steps from git.
          fetch-depth: 0
      - id: pages
        uses: actions/configure-pages@v5
      - uses: dtolnay/rust-toolchain@stable
      - uses: actions/cache@v4
        with:
          path: ~/.cargo/bin/planbook
          key: planbook-{version}-${{{{ runner.os }}}}
      - name: Install planbook
        run: command -v planbook || cargo install --locked --git https://github.com/planbook/planbook --tag v{version} planbook
      - name: Build the site
        run: planbook build --strict --base-url "${{{{ steps.pages.outputs.base_url }}}}" --out site
      - uses: actions/upload-pages-artifact@v3
        with:
          path: site

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_it_writes_loads() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("docs/harness/exec-plans/active")).unwrap();
        std::fs::create_dir_all(tmp.path().join(".git")).unwrap();
        std::fs::write(
            tmp.path().join(".git/config"),
            "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = git@github.com:acme/widgets.git\n",
        )
        .unwrap();
        init(tmp.path(), false, false).unwrap();
        let config = crate::config::Config::load(tmp.path(), "").unwrap();
        assert_eq!(config.harness.as_deref(), Some("docs/harness"));
        assert_eq!(config.repo_url.as_deref(), Some("https://github.com/acme/widgets"));
        let again = init(tmp.path(), false, false).unwrap_err().to_string();
        assert!(again.contains("--force"), "{again}");
        init(tmp.path(), true, true).unwrap();
        assert!(tmp.path().join(WORKFLOW).is_file());
    }
}
