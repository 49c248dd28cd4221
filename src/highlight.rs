//! Syntax highlighting: syntect's syntaxes, loaded once, behind comrak's adapter, writing CSS
//! classes (`hl-*`) so colours live in the stylesheet (a light and a dark palette) and pages carry
//! no inline styles (strict Content-Security-Policy).
//!
//! Highlighted code is cached by (language, code), bounded in bytes: a block repeated across
//! plans is highlighted once per build, and in watch mode a re-read file's unchanged blocks are
//! not highlighted again.
//!
//! The regex backend is oniguruma (`syntect/regex-onig` via comrak's `syntect-onig`): measured
//! faster than the pure-Rust fancy-regex backend on the same input (see ARCHITECTURE.md).

use comrak::adapters::SyntaxHighlighterAdapter;
use comrak::plugins::syntect::{SyntectAdapter, SyntectAdapterBuilder};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;

/// The prefix of every highlighting class.
pub const CLASS_PREFIX: &str = "hl-";

/// Syntaxes and the comrak adapter, built once per run and shared by every thread.
pub struct Highlighter {
    adapter: SyntectAdapter,
    cache: Cache,
}

/// Highlighted blocks by (language, code), in shards so parsing threads rarely wait on each
/// other. A shard that would hold more than its share of `CACHE_BYTES` is emptied first: simple,
/// and a build never needs more than one pass over its blocks.
struct Cache {
    shards: Vec<Mutex<Shard>>,
}

/// (language, code).
type BlockKey = (Option<Box<str>>, Box<str>);

#[derive(Default)]
struct Shard {
    blocks: HashMap<BlockKey, Arc<str>>,
    bytes: usize,
}

/// What the cache may hold (code and its HTML), in bytes.
const CACHE_BYTES: usize = 64 << 20;
const SHARDS: usize = 16;

impl Cache {
    fn new() -> Cache {
        Cache { shards: (0..SHARDS).map(|_| Mutex::default()).collect() }
    }

    fn shard(&self, lang: Option<&str>, code: &str) -> &Mutex<Shard> {
        let h =
            xxhash_rust::xxh3::xxh3_64(code.as_bytes()) ^ lang.map_or(0, |l| xxhash_rust::xxh3::xxh3_64(l.as_bytes()));
        &self.shards[(h % SHARDS as u64) as usize]
    }
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
        Highlighter { adapter, cache: Cache::new() }
    }

    /// The adapter comrak calls for fenced code.
    pub fn adapter(&self) -> &dyn SyntaxHighlighterAdapter {
        self
    }
}

/// A shard, also after a panic elsewhere while it was held (it holds a whole map: still usable).
fn lock(shard: &Mutex<Shard>) -> std::sync::MutexGuard<'_, Shard> {
    shard.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl SyntaxHighlighterAdapter for Highlighter {
    fn write_highlighted(&self, output: &mut dyn fmt::Write, lang: Option<&str>, code: &str) -> fmt::Result {
        let shard = self.cache.shard(lang, code);
        let key = (lang.map(Box::from), Box::from(code));
        if let Some(html) = lock(shard).blocks.get(&key).cloned() {
            return output.write_str(&html);
        }
        let mut html = String::new();
        self.adapter.write_highlighted(&mut html, lang, code)?;
        output.write_str(&html)?;
        let size = code.len() + html.len();
        if size <= CACHE_BYTES / SHARDS / 4 {
            let mut s = lock(shard);
            if s.bytes + size > CACHE_BYTES / SHARDS {
                s.blocks.clear();
                s.bytes = 0;
            }
            s.bytes += size;
            s.blocks.insert(key, Arc::from(html));
        }
        Ok(())
    }

    fn write_pre_tag(
        &self,
        output: &mut dyn fmt::Write,
        attributes: HashMap<&'static str, Cow<'_, str>>,
    ) -> fmt::Result {
        self.adapter.write_pre_tag(output, attributes)
    }

    fn write_code_tag(
        &self,
        output: &mut dyn fmt::Write,
        attributes: HashMap<&'static str, Cow<'_, str>>,
    ) -> fmt::Result {
        self.adapter.write_code_tag(output, attributes)
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
