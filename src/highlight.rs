//! Syntax highlighting: syntect's syntaxes, loaded once, behind comrak's adapter, writing CSS
//! classes (`hl-*`) so colours live in the stylesheet (a light and a dark palette) and pages carry
//! no inline styles (strict Content-Security-Policy).
//!
//! The regex backend is oniguruma (`syntect/regex-onig` via comrak's `syntect-onig`): measured
//! faster than the pure-Rust fancy-regex backend on the same input (see ARCHITECTURE.md).

use comrak::plugins::syntect::{SyntectAdapter, SyntectAdapterBuilder};
use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;

/// The prefix of every highlighting class.
pub const CLASS_PREFIX: &str = "hl-";

/// Syntaxes and the comrak adapter, built once per run and shared by every thread.
pub struct Highlighter {
    adapter: SyntectAdapter,
}

impl std::fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Highlighter")
    }
}

impl Highlighter {
    /// Loads syntect's default syntaxes (a few milliseconds; do it once).
    pub fn new() -> Highlighter {
        let adapter = SyntectAdapterBuilder::new()
            .css_with_class_prefix(CLASS_PREFIX)
            .syntax_set(SyntaxSet::load_defaults_newlines())
            .build();
        Highlighter { adapter }
    }

    /// The adapter comrak calls for fenced code.
    pub fn adapter(&self) -> &SyntectAdapter {
        &self.adapter
    }
}

impl Default for Highlighter {
    fn default() -> Self {
        Highlighter::new()
    }
}

/// CSS for the highlighting classes: a light palette, and a dark one under
/// `prefers-color-scheme: dark`.
pub fn css() -> String {
    let themes = ThemeSet::load_defaults();
    let style = ClassStyle::SpacedPrefixed { prefix: CLASS_PREFIX };
    let light = css_for_theme_with_class_style(&themes.themes["InspiredGitHub"], style).unwrap_or_default();
    let dark = css_for_theme_with_class_style(&themes.themes["base16-ocean.dark"], style).unwrap_or_default();
    // Page backgrounds come from the theme's own CSS, not the palette's.
    let strip_background = |css: String| {
        css.lines().filter(|l| !l.trim_start().starts_with("background-color")).collect::<Vec<_>>().join("\n")
    };
    format!(
        "/* syntax highlighting: InspiredGitHub (light), base16-ocean.dark (dark) */\n{}\n@media (prefers-color-scheme: dark) {{\n{}\n}}\n",
        strip_background(light),
        strip_background(dark)
    )
}
