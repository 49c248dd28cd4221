//! References as written: `EP-NNN`, `TD-NNN`, links, backticked and bare paths to harness files,
//! plan file names in front matter (`depends-on: 0032-some-plan`), with where they are and the
//! relation the text states ("resolves TD-004"). The link stage resolves them into a graph; here
//! they are only what the text says.

use super::{DebtId, PlanNumber, Span};
use serde::{Deserialize, Serialize};

/// What a reference points at, as written.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "to")]
pub enum RefTarget {
    /// `EP-NNN`.
    Plan(PlanNumber),
    /// `TD-NNN`.
    Debt(DebtId),
    /// A file by path relative to the root (a link, a backticked or bare path), with its fragment.
    /// A path starting `exec-plans/` may be written from the harness folder (the link stage
    /// decides).
    Path(String),
    /// A plan by file name, as written in a front matter relation (`0032-some-plan`,
    /// `some-plan`, `0032-some-plan.md`).
    Name(String),
}

/// A relation the text states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    /// "resolves TD-004", "fixes", "closes", "addresses".
    Resolves,
    /// "supersedes EP-003", "replaces".
    Supersedes,
    /// "superseded by EP-008", "replaced by".
    SupersededBy,
    /// "depends on EP-002", "requires", "blocked by"; front matter `depends-on`.
    DependsOn,
    /// "blocks EP-005".
    Blocks,
    /// "follows up EP-003", "follow-up to".
    FollowsUp,
}

impl Relation {
    /// How the site labels it.
    pub fn label(self) -> &'static str {
        match self {
            Relation::Resolves => "resolves",
            Relation::Supersedes => "supersedes",
            Relation::SupersededBy => "superseded by",
            Relation::DependsOn => "depends on",
            Relation::Blocks => "blocks",
            Relation::FollowsUp => "follows up",
        }
    }

    /// Reads the relation a text states right before a reference (`... resolves `).
    /// Only the end of `text` is read, so calling this for every reference of a long line costs
    /// time in proportion to the references, not to the line.
    pub fn before(text: &str) -> Option<Relation> {
        let t = text.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '[' | '(' | ':' | '`'));
        // `supersedes the abandoned EP-006`: the words describing the plan are not the relation.
        let t = strip_describing_words(t)
            .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '[' | '(' | ':' | '`' | ','));
        // The longest phrase is 13 characters; 32 leave room for its word boundary.
        let tail_start = t.char_indices().rev().nth(31).map_or(0, |(i, _)| i);
        let t = t.get(tail_start..).unwrap_or(t).to_lowercase();
        const TABLE: &[(&str, Relation)] = &[
            ("superseded by", Relation::SupersededBy),
            ("replaced by", Relation::SupersededBy),
            ("resolved by", Relation::Resolves),
            ("fixed by", Relation::Resolves),
            ("depends on", Relation::DependsOn),
            ("depending on", Relation::DependsOn),
            ("blocked by", Relation::DependsOn),
            ("blocked on", Relation::DependsOn),
            ("requires", Relation::DependsOn),
            ("follow-up to", Relation::FollowsUp),
            ("follow-up of", Relation::FollowsUp),
            ("follow up to", Relation::FollowsUp),
            ("follows up", Relation::FollowsUp),
            ("follows up on", Relation::FollowsUp),
            ("follows", Relation::FollowsUp),
            ("resolves", Relation::Resolves),
            ("resolve", Relation::Resolves),
            ("fixes", Relation::Resolves),
            ("closes", Relation::Resolves),
            ("addresses", Relation::Resolves),
            ("supersedes", Relation::Supersedes),
            ("replaces", Relation::Supersedes),
            ("blocks", Relation::Blocks),
        ];
        TABLE
            .iter()
            .find(|(phrase, _)| {
                t.ends_with(phrase)
                    && t[..t.len() - phrase.len()].chars().next_back().is_none_or(|c| !c.is_alphanumeric())
            })
            .map(|&(_, r)| r)
    }

    /// The relation a front matter key states (`depends-on: [EP-002]`).
    pub fn from_key(key: &str) -> Option<Relation> {
        match key.to_ascii_lowercase().replace('_', "-").as_str() {
            "depends-on" | "dependencies" | "requires" | "blocked-by" => Some(Relation::DependsOn),
            "supersedes" | "replaces" => Some(Relation::Supersedes),
            "superseded-by" | "replaced-by" => Some(Relation::SupersededBy),
            "resolves" | "fixes" | "debt" => Some(Relation::Resolves),
            "blocks" => Some(Relation::Blocks),
            "follows" | "follow-up-to" => Some(Relation::FollowsUp),
            _ => None,
        }
    }
}

/// `text` without trailing words that describe the plan named next rather than relate to it
/// (`the`, `abandoned`, `earlier`, `old`...), so `replaces the abandoned EP-006` reads as
/// `replaces`.
fn strip_describing_words(text: &str) -> &str {
    const WORDS: &[&str] = &[
        "the",
        "an",
        "a",
        "abandoned",
        "dropped",
        "cancelled",
        "canceled",
        "rejected",
        "earlier",
        "old",
        "original",
        "previous",
    ];
    let mut t = text;
    // At most a few words: bounded work whatever the text.
    for _ in 0..4 {
        let trimmed = t.trim_end();
        let start = trimmed
            .char_indices()
            .rfind(|(_, c)| !c.is_alphanumeric() && *c != '-')
            .map_or(0, |(i, c)| i + c.len_utf8());
        // `start` is just past the separator character found: a boundary.
        let word = trimmed.get(start..).unwrap_or_default();
        if word.is_empty() || !WORDS.iter().any(|w| word.eq_ignore_ascii_case(w)) {
            break;
        }
        t = trimmed.get(..start).unwrap_or_default();
    }
    t
}

/// One reference in a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// What it points at.
    pub target: RefTarget,
    /// The relation the text states, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<Relation>,
    /// Where it is written (line, column, length of the reference text).
    pub span: Span,
}

/// References found in a repository file that is not a harness page (source code, other
/// Markdown), with the text of each referencing line.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FileMentions {
    /// Path relative to the root.
    pub path: String,
    /// The references, in file order.
    pub refs: Vec<Reference>,
    /// The trimmed text of each reference's line (same order as `refs`), for backlink panels.
    pub lines: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_relations_before_references() {
        assert_eq!(Relation::before("This plan resolves "), Some(Relation::Resolves));
        assert_eq!(Relation::before("Supersedes **"), Some(Relation::Supersedes));
        assert_eq!(Relation::before("it was superseded by ["), Some(Relation::SupersededBy));
        assert_eq!(Relation::before("Depends on: "), Some(Relation::DependsOn));
        assert_eq!(Relation::before("which supersedes the abandoned "), Some(Relation::Supersedes));
        assert_eq!(Relation::before("the abandoned "), None);
        assert_eq!(Relation::before("This plan supersedes\u{a0}the abandoned "), Some(Relation::Supersedes));
        assert_eq!(Relation::before("文档取代了 abandoned "), None);
        assert_eq!(Relation::before("see "), None);
        assert_eq!(Relation::before("unblocks "), None, "word boundary");
        assert_eq!(Relation::from_key("depends_on"), Some(Relation::DependsOn));
        let long = format!("{} — and this resolves **", "Ünïcödé ".repeat(10_000));
        assert_eq!(Relation::before(&long), Some(Relation::Resolves));
        assert_eq!(Relation::before("İİİ resolves "), Some(Relation::Resolves), "lower-casing changes lengths");
    }
}
