//! planbook.yaml → `Config`. The keys and their defaults live here and nowhere else.
//!
//! The file is optional. Unknown keys are errors (a typo must not be silently ignored), reported
//! with the file, line and column, as are unknown rule codes and levels.

use crate::diag::{Code, RuleLevel};
use crate::yaml;
use anyhow::Context as _;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::io::Read as _;
use std::path::Path;

/// The config file's name, at the root.
pub const CONFIG_FILE: &str = "planbook.yaml";

/// The largest planbook.yaml read.
const MAX_CONFIG_SIZE: u64 = 1 << 20;

/// Where `build` writes when neither `--out` nor `output:` says.
pub const DEFAULT_OUTPUT: &str = "site";

/// The largest harness file planbook reads unless `max_file_size` says otherwise: generous for
/// any plan a person writes, small enough that a stray data dump cannot exhaust memory.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 8 * 1024 * 1024;

/// planbook.yaml, validated.
#[derive(Debug, Clone)]
pub struct Config {
    /// Site title; defaults to the root folder's name.
    pub title: Option<String>,
    /// The harness folder relative to the root; detected when absent.
    pub harness: Option<String>,
    /// Absolute URL the site is published at (for canonical links and feeds).
    pub base_url: Option<String>,
    /// Repository URL, for "view source" links (`https://github.com/acme/widgets`).
    pub repo_url: Option<String>,
    /// A theme folder overriding the default theme's templates by name.
    pub theme: Option<String>,
    /// Globs (relative to the root) of files and folders planbook never reads.
    pub exclude: Vec<String>,
    /// Severity overrides by code.
    pub rules: BTreeMap<Code, RuleLevel>,
    /// Output folder of `build`, relative to the root (default `site`).
    pub output: Option<String>,
    /// Render raw HTML in Markdown (sanitised) instead of escaping it.
    pub allow_html: bool,
    /// Custom domain for GitHub Pages, written to `CNAME` (`docs.acme.dev`).
    pub cname: Option<String>,
    /// Harness files larger than this many bytes are reported (E032) and not read.
    pub max_file_size: u64,
    /// Globs (relative to the root) of per-plan companion files (`NNN-x.progress.md`), beyond
    /// those found by sharing a plan's file stem.
    pub companions: Vec<String>,
    /// Folders or globs (relative to the root) of the planning workflow's drafts, shown as
    /// Proposals; hidden folders are read when named here.
    pub drafts: Vec<String>,
    /// The site's language (`lang` on every page, a BCP 47 tag such as `en` or `zh-CN`);
    /// detected from the harness text when absent.
    pub language: Option<String>,
    /// Read dates from git history (when ROOT is in a git work tree).
    pub git: bool,
    /// Show commit authors' names next to dates from git (`git_authors: names`), or none.
    pub git_authors: bool,
    /// An active plan no commit has touched for this many days (before the newest commit) is
    /// stale (W037).
    pub stale_after_days: u32,
}

/// Where drafts are read from when planbook.yaml does not say: the convention's planning
/// workflow folder.
pub const DEFAULT_DRAFTS: &[&str] = &[".vtcode/plans/"];

impl Default for Config {
    fn default() -> Config {
        Config {
            title: None,
            harness: None,
            base_url: None,
            repo_url: None,
            theme: None,
            exclude: Vec::new(),
            rules: BTreeMap::new(),
            output: None,
            allow_html: false,
            cname: None,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            companions: Vec::new(),
            drafts: DEFAULT_DRAFTS.iter().map(|d| d.to_string()).collect(),
            language: None,
            git: true,
            git_authors: true,
            stale_after_days: DEFAULT_STALE_AFTER_DAYS,
        }
    }
}

/// `stale_after_days` when planbook.yaml does not say.
pub const DEFAULT_STALE_AFTER_DAYS: u32 = 30;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    harness: Option<String>,
    base_url: Option<String>,
    repo_url: Option<String>,
    theme: Option<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    rules: BTreeMap<String, String>,
    output: Option<String>,
    #[serde(default)]
    allow_html: bool,
    cname: Option<String>,
    max_file_size: Option<SizeValue>,
    #[serde(default)]
    companions: Vec<String>,
    drafts: Option<Vec<String>>,
    language: Option<String>,
    git: Option<bool>,
    git_authors: Option<String>,
    stale_after_days: Option<u32>,
}

/// `max_file_size: 8388608` or `max_file_size: 8 MB`.
#[derive(Deserialize)]
#[serde(untagged)]
enum SizeValue {
    Bytes(u64),
    Text(String),
}

impl SizeValue {
    fn as_text(&self) -> String {
        match self {
            SizeValue::Bytes(n) => n.to_string(),
            SizeValue::Text(t) => t.clone(),
        }
    }
}

/// A planbook.yaml that cannot be used, with where the problem is.
#[derive(Debug, Clone)]
pub struct ConfigError {
    /// The config file, as shown to the user.
    pub path: String,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// 1-based column, when known.
    pub column: Option<u32>,
    /// What is wrong.
    pub message: String,
    /// The text of the offending line, for the excerpt.
    pub source_line: Option<String>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{}:{l}:{c}: {}", self.path, self.message),
            (Some(l), None) => write!(f, "{}:{l}: {}", self.path, self.message),
            _ => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Reads `root/planbook.yaml` when it exists; the defaults otherwise.
    pub fn load(root: &Path, shown_root: &str) -> anyhow::Result<Config> {
        let path = root.join(CONFIG_FILE);
        if std::fs::symlink_metadata(&path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound) {
            return Ok(Config::default());
        }
        // Only a regular file inside the repository, and a small one: an error quotes the
        // offending line, so `planbook.yaml -> ~/.netrc` must not be read at all.
        let inside = crate::paths::Fence::new(root).ok().and_then(|f| f.regular_file(CONFIG_FILE));
        let Some(real) = inside else {
            anyhow::bail!("`{}` is not a regular file inside the repository", path.display());
        };
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::fs::File::open(&real)?.take(MAX_CONFIG_SIZE + 1), &mut text)
            .with_context(|| format!("reading `{}`", path.display()))?;
        if text.len() as u64 > MAX_CONFIG_SIZE {
            anyhow::bail!("`{}` is larger than {MAX_CONFIG_SIZE} bytes", path.display());
        }
        Config::parse(&text, &format!("{shown_root}{CONFIG_FILE}")).map_err(anyhow::Error::new)
    }

    /// Parses the text of a config file; `shown_path` names it in errors.
    pub fn parse(text: &str, shown_path: &str) -> Result<Config, ConfigError> {
        let error = |line: Option<u32>, column: Option<u32>, message: String| ConfigError {
            path: shown_path.to_string(),
            line,
            column,
            source_line: line.and_then(|l| text.lines().nth(l as usize - 1)).map(str::to_string),
            message,
        };
        let raw: RawConfig = if text.trim().is_empty() {
            RawConfig::default()
        } else {
            yaml::from_str(text).map_err(|e| error(e.line, e.column, e.message))?
        };
        let line_of = |key: &str| text.lines().position(|l| l.starts_with(&format!("{key}:"))).map(|i| i as u32 + 1);
        for (key, value) in [("base_url", &raw.base_url), ("repo_url", &raw.repo_url)] {
            if let Some(url) = value
                && !is_web_url(url)
            {
                return Err(error(
                    line_of(key),
                    Some(1),
                    format!("`{key}` must be an http:// or https:// URL, not `{}`", url.trim()),
                ));
            }
        }
        let max_file_size = match &raw.max_file_size {
            None => DEFAULT_MAX_FILE_SIZE,
            Some(v) => parse_size(&v.as_text()).ok_or_else(|| {
                error(
                    line_of("max_file_size"),
                    Some(1),
                    format!(
                        "`max_file_size` must be a size like `8 MB`, `512 KiB` or `1000000`, not `{}`",
                        v.as_text()
                    ),
                )
            })?,
        };
        for (key, globs) in [("companions", &raw.companions), ("drafts", raw.drafts.as_ref().unwrap_or(&Vec::new()))] {
            for g in globs {
                let rel = g.trim();
                let outside = rel.starts_with('/') || rel.split(['/', '\\']).any(|part| part == "..");
                if outside || rel.is_empty() {
                    return Err(error(
                        line_of(key),
                        Some(1),
                        format!("`{key}` entries are paths or globs inside the repository, not `{rel}`"),
                    ));
                }
                if let Err(e) = globset::Glob::new(rel.trim_end_matches('/')) {
                    return Err(error(line_of(key), Some(1), format!("invalid `{key}` glob `{rel}`: {e}")));
                }
            }
        }
        if let Some(lang) = &raw.language
            && !is_language_tag(lang)
        {
            return Err(error(
                line_of("language"),
                Some(1),
                format!("`language` must be a language tag like `en`, `zh-CN` or `ja`, not `{}`", lang.trim()),
            ));
        }
        let git_authors = match raw.git_authors.as_deref().map(str::trim) {
            None | Some("names") => true,
            Some("none") => false,
            Some(other) => {
                return Err(error(
                    line_of("git_authors"),
                    Some(1),
                    format!("`git_authors` is `names` or `none`, not `{other}`"),
                ));
            }
        };
        let mut rules = BTreeMap::new();
        for (id, level) in raw.rules {
            let line = text.lines().position(|l| l.trim_start().starts_with(&format!("{id}:"))).map(|i| i as u32 + 1);
            let code = Code::from_id(&id).ok_or_else(|| {
                error(
                    line,
                    Some(1),
                    format!("unknown rule `{id}` in `rules` (codes look like `E001` or `W005`; see README)"),
                )
            })?;
            let level = match level.trim().to_ascii_lowercase().as_str() {
                "off" | "allow" | "ignore" => RuleLevel::Off,
                "warn" | "warning" => RuleLevel::Warning,
                "error" | "deny" => RuleLevel::Error,
                other => {
                    return Err(error(
                        line,
                        None,
                        format!("unknown level `{other}` for rule `{id}`: use `off`, `warning` or `error`"),
                    ));
                }
            };
            rules.insert(code, level);
        }
        Ok(Config {
            title: raw.title,
            harness: raw.harness,
            base_url: raw.base_url,
            repo_url: raw.repo_url,
            theme: raw.theme,
            exclude: raw.exclude,
            rules,
            output: raw.output,
            allow_html: raw.allow_html,
            cname: raw.cname,
            max_file_size,
            companions: raw.companions,
            drafts: raw.drafts.unwrap_or_else(|| DEFAULT_DRAFTS.iter().map(|d| d.to_string()).collect()),
            language: raw.language.map(|l| l.trim().to_string()),
            git: raw.git.unwrap_or(true),
            git_authors,
            stale_after_days: raw.stale_after_days.unwrap_or(DEFAULT_STALE_AFTER_DAYS),
        })
    }
}

/// A BCP 47 tag as `lang` takes it: subtags of 1–8 ASCII letters or digits joined by `-`, the
/// first of letters only.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.trim().split('-');
    let first = parts.next().unwrap_or_default();
    (2..=8).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Whether `url` is an absolute http(s) URL: links built from it go on every page, so a
/// `javascript:` or `data:` URL must never become one.
fn is_web_url(url: &str) -> bool {
    url::Url::parse(url.trim()).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
}

/// `8388608`, `8 MB`, `8MiB`, `512 kb`: a byte count (KB/MB/GB are 1000-based, KiB/MiB/GiB
/// 1024-based). `None` for anything else, zero included.
fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at_checked(split)?;
    let n: u64 = digits.parse().ok()?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" | "k" => 1_000,
        "kib" => 1 << 10,
        "mb" | "m" => 1_000_000,
        "mib" => 1 << 20,
        "gb" | "g" => 1_000_000_000,
        "gib" => 1 << 30,
        _ => return None,
    };
    n.checked_mul(factor).filter(|&n| n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_key() {
        let c = Config::parse(
            "title: Widgets\nharness: docs/harness\nbase_url: https://acme.github.io/w/\nrepo_url: https://github.com/acme/w\ntheme: mytheme\nexclude: [vendor/**]\noutput: public\nallow_html: true\nrules:\n  W005: off\n  e001: warning\n",
            "planbook.yaml",
        )
        .unwrap();
        assert_eq!(c.title.as_deref(), Some("Widgets"));
        assert_eq!(c.exclude, vec!["vendor/**"]);
        assert_eq!((c.output.as_deref(), c.allow_html), (Some("public"), true));
        assert_eq!(c.rules.get(&Code::NothingInProgress), Some(&RuleLevel::Off));
        assert_eq!(c.rules.get(&Code::MissingSection), Some(&RuleLevel::Warning));
        assert!(Config::parse("", "planbook.yaml").unwrap().rules.is_empty());
    }

    #[test]
    fn unknown_key_names_key_file_and_line() {
        let e = Config::parse("title: x\ntheem: dark\n", "repo/planbook.yaml").unwrap_err();
        assert!(e.message.contains("unknown field `theem`"), "{}", e.message);
        assert_eq!(e.line, Some(2));
        assert!(e.to_string().starts_with("repo/planbook.yaml:2:"), "{e}");
    }

    #[test]
    fn urls_must_be_web_urls() {
        for bad in ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "github.com/acme/w"] {
            let e = Config::parse(&format!("title: x\nrepo_url: {bad}\n"), "planbook.yaml").unwrap_err();
            assert!(e.message.contains("http:// or https://"), "{bad}: {}", e.message);
            assert_eq!(e.line, Some(2));
        }
        assert!(Config::parse("base_url: 'javascript:x'\n", "planbook.yaml").is_err());
        assert!(Config::parse("repo_url: https://github.com/acme/w\n", "planbook.yaml").is_ok());
    }

    #[test]
    fn file_size_limit_takes_units() {
        let size = |v: &str| Config::parse(&format!("max_file_size: {v}\n"), "planbook.yaml").map(|c| c.max_file_size);
        assert_eq!(Config::default().max_file_size, 8 << 20);
        assert_eq!(size("1000").unwrap(), 1000);
        assert_eq!(size("8 MB").unwrap(), 8_000_000);
        assert_eq!(size("8MiB").unwrap(), 8 << 20);
        assert_eq!(size("512 kib").unwrap(), 512 << 10);
        for bad in ["0", "lots", "-1", "8 parsecs", "99999999999999999999 GB"] {
            assert!(size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn unknown_rule_and_level_are_errors() {
        let e = Config::parse("rules:\n  X999: off\n", "planbook.yaml").unwrap_err();
        assert!(e.message.contains("unknown rule `X999`"), "{}", e.message);
        assert_eq!(e.line, Some(2));
        let e = Config::parse("rules:\n  W005: loud\n", "planbook.yaml").unwrap_err();
        assert!(e.message.contains("unknown level `loud`"), "{}", e.message);
    }

    #[test]
    fn companions_drafts_and_language() {
        let d = Config::default();
        assert_eq!(d.drafts, vec![".vtcode/plans/"]);
        assert!(d.companions.is_empty() && d.language.is_none());
        let c = Config::parse(
            "companions: ['docs/harness/exec-plans/*/*.progress.md']\ndrafts: [proposals/]\nlanguage: zh-CN\n",
            "planbook.yaml",
        )
        .unwrap();
        assert_eq!(c.companions, vec!["docs/harness/exec-plans/*/*.progress.md"]);
        assert_eq!(c.drafts, vec!["proposals/"]);
        assert_eq!(c.language.as_deref(), Some("zh-CN"));
        assert!(Config::parse("drafts: []\n", "planbook.yaml").unwrap().drafts.is_empty());
        let g = Config::parse("git: false\ngit_authors: none\nstale_after_days: 90\n", "planbook.yaml").unwrap();
        assert_eq!((g.git, g.git_authors, g.stale_after_days), (false, false, 90));
        assert_eq!(Config::parse("git_authors: emails\n", "planbook.yaml").unwrap_err().line, Some(1));
        for bad in [
            "drafts: ['../elsewhere']",
            "drafts: ['/etc']",
            "companions: ['a/[x']",
            "language: 'en\"><x'",
            "language: e",
        ] {
            let e = Config::parse(&format!("title: t\n{bad}\n"), "planbook.yaml").unwrap_err();
            assert_eq!(e.line, Some(2), "{bad}: {e}");
        }
    }
}
