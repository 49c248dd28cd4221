//! The theme: Tera templates and static assets, loaded and compiled once per build.
//!
//! The default theme (`themes/default/`) is compiled into the binary, so an installed planbook
//! needs no files beside it. `theme:` in planbook.yaml names a folder whose `templates/*.html`
//! override the default templates by name (and may add new ones for `include`), and whose
//! `assets/style.css` / `assets/app.js` replace the default assets. Assets get a content hash in
//! their names so browsers can cache them forever.

use anyhow::{Context as _, bail};
use std::path::{Path, PathBuf};

/// The default theme's templates, by name.
const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../themes/default/templates/base.html")),
    ("components.html", include_str!("../../themes/default/templates/components.html")),
    ("dashboard.html", include_str!("../../themes/default/templates/dashboard.html")),
    ("plans.html", include_str!("../../themes/default/templates/plans.html")),
    ("plan.html", include_str!("../../themes/default/templates/plan.html")),
    ("debt.html", include_str!("../../themes/default/templates/debt.html")),
    ("debt_table.html", include_str!("../../themes/default/templates/debt_table.html")),
    ("quality.html", include_str!("../../themes/default/templates/quality.html")),
    ("doc.html", include_str!("../../themes/default/templates/doc.html")),
    ("docs.html", include_str!("../../themes/default/templates/docs.html")),
    ("graph.html", include_str!("../../themes/default/templates/graph.html")),
    ("pager.html", include_str!("../../themes/default/templates/pager.html")),
    ("timeline.html", include_str!("../../themes/default/templates/timeline.html")),
    ("timeline_undated.html", include_str!("../../themes/default/templates/timeline_undated.html")),
    ("retrospectives.html", include_str!("../../themes/default/templates/retrospectives.html")),
    ("lessons.html", include_str!("../../themes/default/templates/lessons.html")),
    ("charts.html", include_str!("../../themes/default/templates/charts.html")),
    ("search.html", include_str!("../../themes/default/templates/search.html")),
    ("404.html", include_str!("../../themes/default/templates/404.html")),
];

const DEFAULT_CSS: &str = include_str!("../../themes/default/assets/style.css");
/// The default script's feature files (`themes/default/assets/js/`), in the order they are put
/// together: one classic script in one strict-mode function scope, not ES modules, which do not
/// load from `file://`, where the site must still work.
const DEFAULT_JS_PARTS: &[&str] = &[
    include_str!("../../themes/default/assets/js/dates.js"),
    include_str!("../../themes/default/assets/js/tables.js"),
    include_str!("../../themes/default/assets/js/timeline.js"),
    include_str!("../../themes/default/assets/js/tokenize.js"),
    include_str!("../../themes/default/assets/js/search-index.js"),
    include_str!("../../themes/default/assets/js/search-ui.js"),
    include_str!("../../themes/default/assets/js/main.js"),
];

/// `app.js` of the default theme, from its feature files.
fn default_js() -> String {
    let mut js = String::from(
        "// planbook default theme: progressive enhancement only. Every page works without this script.\n// Put together from themes/default/assets/js/, one file per feature.\n(function () {\n\"use strict\";\n\n",
    );
    for part in DEFAULT_JS_PARTS {
        js.push_str(part);
        js.push('\n');
    }
    js.push_str("})();\n");
    js
}
const DEFAULT_ICON: &str = include_str!("../../themes/default/assets/favicon.svg");

/// A static file of the site.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Site-relative path with a content hash: `assets/style.3f9a0c1e.css`.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// Compiled templates and assets.
pub struct Theme {
    /// The templates.
    pub tera: tera::Tera,
    /// The stylesheet (theme CSS plus the highlighting palettes).
    pub css: Asset,
    /// The script.
    pub js: Asset,
    /// The favicon (SVG).
    pub icon: Asset,
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme").field("css", &self.css.path).field("js", &self.js.path).finish()
    }
}

impl Theme {
    /// The default theme, overridden by the folder `user` (relative paths are relative to
    /// `root`) when given. A template that does not compile is an error naming the file.
    pub fn load(root: &Path, user: Option<&str>) -> anyhow::Result<Theme> {
        let mut templates: Vec<(String, String)> =
            DEFAULT_TEMPLATES.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
        let mut css = DEFAULT_CSS.to_string();
        let mut js = default_js();
        let mut icon = DEFAULT_ICON.to_string();
        if let Some(user) = user {
            let dir = root.join(user);
            if !dir.is_dir() {
                bail!("the theme folder `{}` set in planbook.yaml does not exist", dir.display());
            }
            // A theme is read from the repository only: its files become the site's pages and
            // assets, so a folder or file linking out (`style.css -> /proc/self/environ`) would
            // publish what it points at.
            let fence = crate::paths::Fence::new(root).with_context(|| format!("resolving `{}`", root.display()))?;
            if !fence.contains(&dir) {
                bail!("the theme folder `{}` set in planbook.yaml is outside the repository", dir.display());
            }
            // ...and of its own kind: `style.css -> ../.env` is not a stylesheet.
            let inside = |p: &Path| -> anyhow::Result<PathBuf> {
                fence.regular_path(p).filter(|real| real.extension() == p.extension()).with_context(|| {
                    format!("the theme file `{}` is not a regular file inside the repository", p.display())
                })
            };
            let tdir = dir.join("templates");
            if tdir.is_dir() {
                let mut entries: Vec<_> = std::fs::read_dir(&tdir)
                    .with_context(|| format!("reading theme templates in `{}`", tdir.display()))?
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "html"))
                    .collect();
                entries.sort();
                for path in entries {
                    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
                    let text = std::fs::read_to_string(inside(&path)?)
                        .with_context(|| format!("reading theme template `{}`", path.display()))?;
                    match templates.iter_mut().find(|(n, _)| *n == name) {
                        Some(slot) => slot.1 = text,
                        None => templates.push((name, text)),
                    }
                }
            }
            let read_asset = |name: &str| -> anyhow::Result<Option<String>> {
                let p = dir.join("assets").join(name);
                if p.is_file() {
                    Ok(Some(
                        std::fs::read_to_string(inside(&p)?).with_context(|| format!("reading `{}`", p.display()))?,
                    ))
                } else {
                    Ok(None)
                }
            };
            if let Some(c) = read_asset("style.css")? {
                css = c;
            }
            if let Some(j) = read_asset("app.js")? {
                js = j;
            }
            if let Some(i) = read_asset("favicon.svg")? {
                icon = i;
            }
        }
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| anyhow::anyhow!("{}", tera_error(&e)))
            .context("the theme's templates do not compile")?;
        css.push('\n');
        css.push_str(&crate::highlight::css());
        Ok(Theme {
            tera,
            css: asset("style", "css", css.into_bytes()),
            js: asset("app", "js", js.into_bytes()),
            icon: asset("favicon", "svg", icon.into_bytes()),
        })
    }
}

/// Tera's error with its causes on one line each.
pub fn tera_error(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(&format!("\n  {s}"));
        source = s.source();
    }
    msg
}

fn asset(stem: &str, ext: &str, bytes: Vec<u8>) -> Asset {
    Asset { path: format!("assets/{stem}.{:016x}.{ext}", xxhash_rust::xxh3::xxh3_64(&bytes)), bytes }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_theme_compiles_and_hashes_assets() {
        let t = Theme::load(Path::new("."), None).unwrap();
        assert!(t.css.path.starts_with("assets/style.") && t.css.path.ends_with(".css"), "{}", t.css.path);
        let again = Theme::load(Path::new("."), None).unwrap();
        assert_eq!(t.css.path, again.css.path, "hash is stable");
        assert!(String::from_utf8_lossy(&t.css.bytes).contains(".hl-"), "highlighting palette included");
    }

    #[test]
    fn user_templates_override_and_broken_ones_fail() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("mytheme/templates")).unwrap();
        std::fs::write(dir.path().join("mytheme/templates/404.html"), "custom {{ page.title }}").unwrap();
        let t = Theme::load(dir.path(), Some("mytheme")).unwrap();
        assert!(t.tera.get_template_names().any(|n| n == "404.html"));
        std::fs::write(dir.path().join("mytheme/templates/404.html"), "{% if %}").unwrap();
        let e = Theme::load(dir.path(), Some("mytheme")).unwrap_err();
        assert!(format!("{e:#}").contains("do not compile"), "{e:#}");
        assert!(Theme::load(dir.path(), Some("missing")).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_theme_is_read_from_the_repository_only() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("repo");
        std::fs::create_dir_all(root.join("mytheme/assets")).unwrap();
        std::fs::create_dir_all(tmp.path().join("outside/templates")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", root.join("mytheme/assets/style.css")).unwrap();
        let e = Theme::load(&root, Some("mytheme")).unwrap_err();
        assert!(format!("{e:#}").contains("not a regular file inside the repository"), "{e:#}");
        let e = Theme::load(&root, Some("../outside")).unwrap_err();
        assert!(format!("{e:#}").contains("outside the repository"), "{e:#}");
        std::os::unix::fs::symlink(tmp.path().join("outside"), root.join("linked")).unwrap();
        assert!(Theme::load(&root, Some("linked")).is_err(), "a theme folder linking out");
    }
}
