//! The table of diagnostic codes: a stable code, a default severity and a one-line summary each.
//!
//! Codes are a user contract (they appear in `rules:` in planbook.yaml, in CI logs and in editor
//! integrations): never renumber one, only add. Errors are `E…`, warnings `W…`; the letter is the
//! default severity, which `rules:` may change.

use super::Severity;
use serde::{Serialize, Serializer};

macro_rules! codes {
    ($( $variant:ident = $id:literal, $sev:ident, $summary:literal; )*) => {
        /// Every diagnostic planbook can report.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( #[doc = $summary] $variant, )*
        }

        impl Code {
            /// All codes, in table order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable code, e.g. `E003`.
            pub fn id(self) -> &'static str {
                match self { $(Code::$variant => $id,)* }
            }

            /// Severity unless planbook.yaml overrides it.
            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }

            /// What the rule checks, in one line (the README's rules table).
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)* }
            }
        }
    };
}

codes! {
    // Rule 1: mandatory sections.
    MissingSection = "E001", Error, "a plan lacks one of the mandatory sections: Goal, Context, Steps, Decision Log, Retrospective";
    // Rule 2: step markers.
    InvalidStepMarker = "E002", Error, "a step marker is not one of `[ ]`, `[~]`, `[x]`, `[!]`";
    // Rule 5: completed plans.
    CompletedWithOpenSteps = "E003", Error, "a completed plan still has steps that are not `[x]`";
    // Rule 2: one step in progress.
    SeveralInProgress = "E004", Error, "an active plan has more than one step marked `[~]`";
    NothingInProgress = "W005", Warning, "an active plan has open steps but none marked `[~]`";
    // Rule 3.
    BlockedWithoutReason = "E006", Error, "a blocked `[!]` step does not say why";
    // Rule 4: decision log.
    UndatedDecision = "W007", Warning, "a decision-log entry does not start with a date";
    DecisionsOutOfOrder = "W008", Warning, "decision-log entries are not in chronological order";
    // Rule 5.
    RetrospectiveMissing = "E009", Error, "a completed plan has no filled-in retrospective";
    // Rule 7.
    StatusFolderMismatch = "E010", Error, "the status disagrees with the folder the plan is in";
    CompletedDateMissing = "E011", Error, "a completed plan has no Completed date";
    CompletedBeforeCreated = "E012", Error, "the Completed date is before the Created date";
    // Rule 6: file names and numbers.
    FileNameStyle = "W013", Warning, "a plan file is not named `NNN-short-description.md`";
    DuplicateNumber = "E014", Error, "two plans have the same number";
    NumberMismatch = "E015", Error, "the `EP-NNN` in the title or front matter disagrees with the file name";
    // Rule 8.
    AbandonedWithoutReason = "E016", Error, "an abandoned plan does not say why (decision log or retrospective), or a superseded one what replaced it";
    // Reading files.
    UnparsableDate = "E017", Error, "a date cannot be read (use YYYY-MM-DD)";
    UnreadableFile = "E018", Error, "a file or folder cannot be read, or a file is not valid UTF-8";
    InvalidFrontMatter = "E019", Error, "the YAML front matter does not parse";
    UnknownStatus = "W020", Warning, "the status is not one planbook knows (active, completed, abandoned...)";
    MissingTitle = "W021", Warning, "a plan has no H1 title";
    NoSteps = "W022", Warning, "a plan has no steps (task-list items or `### Step N` headings)";
    EmptyFile = "W023", Warning, "a plan file is empty";
    DuplicateDebtItem = "W024", Warning, "a debt item ID appears twice in the same table";
    AbandonedInActive = "W025", Warning, "an abandoned or superseded plan is still in an active folder";
    InternalError = "E026", Error, "planbook failed on a file (a bug; the rest of the harness is still read)";
    // References between plans, debt items, docs and code.
    UnresolvedPlan = "E027", Error, "an `EP-NNN` reference, or a plan file name in front matter, names no plan";
    UnresolvedDebt = "E028", Error, "a `TD-NNN` reference names no debt item";
    StalePath = "W029", Warning, "a path or file name of a plan that has moved or been renumbered (resolved by its name, else its number)";
    MissingFile = "E030", Error, "a link to a harness file that does not exist";
    AbandonedReference = "W031", Warning, "a live plan, doc, debt item or source file refers to an abandoned or superseded plan";
    // Limits: what planbook will not read, so that hostile input cannot stall or crash a build.
    FileTooLarge = "E032", Error, "a harness file is larger than `max_file_size` and was not read";
    TooDeep = "E033", Error, "a file nests deeper, or its front matter is larger or deeper, than planbook reads";
    MalformedId = "E034", Error, "an `EP-`/`TD-` number is too long to name a plan or debt item";
    CaseCollision = "W035", Warning, "two pages' paths differ only in letter case (they collide on case-insensitive disks)";
    FinishedInActive = "W036", Warning, "a plan whose title says it is done, with every step `[x]`, is still in an active folder";
    // History.
    StalePlan = "W037", Warning, "an active plan no commit has touched for `stale_after_days` (default 30) before the repository's newest commit";
}

impl Code {
    /// Looks a code up by its id (`E003`), case-insensitively.
    pub fn from_id(id: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.id().eq_ignore_ascii_case(id))
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn ids_are_unique_and_match_their_default_severity() {
        let mut seen = BTreeSet::new();
        for &code in Code::ALL {
            assert!(seen.insert(code.id()), "duplicate id {}", code.id());
            let letter = match code.default_severity() {
                Severity::Error => 'E',
                Severity::Warning => 'W',
            };
            assert!(code.id().starts_with(letter), "{} has the wrong letter", code.id());
            assert_eq!(Code::from_id(&code.id().to_lowercase()), Some(code));
        }
    }
}
