//! A deterministic generator of large harness trees, for benchmarks (`examples/gen_tree.rs`) and
//! scale tests. Plans look like real ones: header fields, ~4 KB of Markdown, steps in every state,
//! dated decision logs, retrospectives for completed plans, cross-references.

use std::fmt::Write as _;
use std::path::Path;

/// A small xorshift PRNG: same seed, same tree.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "cache",
    "storage",
    "index",
    "latency",
    "retry",
    "queue",
    "schema",
    "migration",
    "parser",
    "scheduler",
    "worker",
    "upload",
    "download",
    "mirror",
    "token",
    "session",
    "flaky",
    "test",
    "coverage",
    "benchmark",
    "memory",
    "thread",
    "lock",
    "backoff",
    "timeout",
    "manifest",
    "registry",
    "checksum",
    "compaction",
    "snapshot",
    "replica",
    "shard",
    "pipeline",
    "deploy",
    "rollback",
    "metrics",
    "tracing",
    "dashboard",
    "alert",
    "budget",
    "invariant",
    "boundary",
    "refactor",
    "module",
    "interface",
    "contract",
    "fixture",
    "regression",
    "release",
    "changelog",
];

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick(WORDS));
    }
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect::<String>() + ".",
        None => s,
    }
}

fn date(day: usize) -> String {
    // Days since 2020-01-01, spread over ~6 years, months of 28 days to stay valid.
    let year = 2020 + day / 336;
    let month = (day % 336) / 28 + 1;
    let dom = day % 28 + 1;
    format!("{year}-{month:02}-{dom:02}")
}

/// Writes `plans` plans (a third active, the rest completed, some abandoned), a debt tracker,
/// a quality score, AGENTS.md and `sources` source files into `root`.
pub fn write_tree(root: &Path, plans: usize, sources: usize) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let harness = root.join("docs/harness");
    for dir in ["exec-plans/active", "exec-plans/completed"] {
        std::fs::create_dir_all(harness.join(dir)).expect("create harness folders");
    }
    for n in 1..=plans {
        let (folder, text) = plan(&mut rng, n, plans);
        let name = format!("{n:03}-{}-{}.md", rng.pick(WORDS), rng.pick(WORDS));
        std::fs::write(harness.join("exec-plans").join(folder).join(name), text).expect("write plan");
    }
    let mut debt = String::from(
        "# Tech Debt Tracker\n\n| ID | Area | Description | Priority | Status | Notes |\n|---|---|---|---|---|---|\n",
    );
    for i in 1..=(plans / 20).max(5) {
        let status = ["open", "in-progress", "resolved", "open"][i % 4];
        let _ = writeln!(
            debt,
            "| TD-{i:03} | {} | {} | P{} | {status} | See EP-{:03}. |",
            rng.pick(WORDS),
            sentence(&mut rng, 8),
            i % 4,
            1 + rng.below(plans.max(1))
        );
    }
    std::fs::write(harness.join("TECH_DEBT_TRACKER.md"), debt).expect("write tracker");
    let mut quality = String::from("# Quality Score\n\n");
    for (i, domain) in ["Storage", "API", "Sync", "Web", "Security"].iter().enumerate() {
        let _ = write!(
            quality,
            "## {domain}\n\n**Related debt**: TD-{:03}\n\n| Dimension | Grade | Evidence |\n|---|---|---|\n| Tests | {} | {} |\n\n**Overall: {}**\n\n",
            i + 1,
            ["A", "B+", "C"][i % 3],
            sentence(&mut rng, 6),
            ["B", "A-", "C+"][i % 3]
        );
    }
    std::fs::write(harness.join("QUALITY_SCORE.md"), quality).expect("write quality");
    std::fs::write(
        root.join("AGENTS.md"),
        "# Agents\n\nPlans live in `docs/harness/exec-plans/`. Start with EP-001.\n",
    )
    .expect("write AGENTS.md");
    for i in 0..sources {
        let dir = root.join("src").join(format!("m{:02}", i % 50));
        std::fs::create_dir_all(&dir).expect("create src");
        let mut code = String::new();
        for line in 0..40 {
            if line % 13 == 0 {
                let _ = writeln!(code, "// See EP-{:03} for why this exists.", 1 + (i * 7 + line) % plans.max(1));
            } else {
                let _ = writeln!(code, "fn f{line}() -> u32 {{ {line} }}");
            }
        }
        std::fs::write(dir.join(format!("f{i}.rs")), code).expect("write source");
    }
}

fn plan(rng: &mut Rng, n: usize, total: usize) -> (&'static str, String) {
    let active = n.is_multiple_of(3);
    let abandoned = !active && n.is_multiple_of(17);
    let created = n * 2000 / total.max(1) + rng.below(20);
    let mut s = String::with_capacity(4096);
    let status = if active {
        "active"
    } else if abandoned {
        "abandoned"
    } else {
        "completed"
    };
    let _ = write!(
        s,
        "# EP-{n:03}: {} {} {}\n\n**Status**: {status}\n**Author**: {}\n**Created**: {}\n",
        rng.pick(WORDS),
        rng.pick(WORDS),
        rng.pick(WORDS),
        ["agent", "human"][n % 2],
        date(created)
    );
    if !active {
        let _ = writeln!(s, "**Completed**: {}", date(created + 5 + rng.below(60)));
    }
    let _ = write!(s, "\n## Goal\n\n{}\n\n## Context\n\n", sentence(rng, 18));
    for _ in 0..3 {
        let _ = write!(
            s,
            "{} See TD-{:03} and EP-{:03}.\n\n",
            sentence(rng, 40),
            1 + rng.below(20),
            1 + rng.below(total.max(1))
        );
    }
    s.push_str("```rust\nfn main() {\n    let cache = Cache::new(1024);\n    cache.warm();\n}\n```\n\n## Steps\n\n");
    let steps = 5 + rng.below(6);
    let current = if active { rng.below(steps) } else { steps };
    for i in 0..steps {
        let marker = if abandoned && i > steps / 2 {
            " "
        } else if i < current {
            "x"
        } else if i == current {
            "~"
        } else {
            " "
        };
        let _ = writeln!(
            s,
            "- [{marker}] Step {}: {} Outcome: {} Verify: `cargo test {}`.",
            i + 1,
            sentence(rng, 10),
            sentence(rng, 8),
            rng.pick(WORDS)
        );
    }
    s.push_str("\n## Decision Log\n\n");
    let mut day = created;
    for _ in 0..3 + rng.below(5) {
        let _ = writeln!(s, "- {}: {}", date(day), sentence(rng, 20));
        day += 1 + rng.below(4);
    }
    if abandoned {
        let _ = writeln!(s, "- {}: Abandoned: superseded by EP-{:03}.", date(day), 1 + rng.below(total.max(1)));
    }
    s.push_str("\n## Retrospective\n\n");
    for part in ["What went well", "What didn't", "What to change"] {
        let _ = write!(s, "### {part}\n\n");
        if active {
            s.push_str("-\n\n");
        } else {
            let _ = write!(s, "- {}\n- {}\n\n", sentence(rng, 14), sentence(rng, 12));
        }
    }
    (if active { "active" } else { "completed" }, s)
}
