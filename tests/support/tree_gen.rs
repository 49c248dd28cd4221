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

/// The generated tree in memory, drawn in one fixed order so that the same arguments give the same
/// bytes whether it is written plainly ([`write_tree`]) or as the end of a history
/// ([`write_history`]).
struct Tree {
    plans: Vec<GenPlan>,
    tracker: String,
    quality: String,
    /// Paths relative to the root, and text.
    sources: Vec<(String, String)>,
}

struct GenPlan {
    n: usize,
    /// `active` or `completed` (abandoned plans are in `completed/` too).
    folder: &'static str,
    name: String,
    text: String,
}

impl GenPlan {
    fn path(&self, folder: &str) -> String {
        format!("{HARNESS}/exec-plans/{folder}/{}", self.name)
    }
}

const HARNESS: &str = "docs/harness";
const AGENTS: &str = "# Agents\n\nPlans live in `docs/harness/exec-plans/`. Start with EP-001.\n";
const TRACKER: &str = "docs/harness/TECH_DEBT_TRACKER.md";
const QUALITY: &str = "docs/harness/QUALITY_SCORE.md";

fn generate(plans: usize, sources: usize) -> Tree {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut gen_plans = Vec::with_capacity(plans);
    for n in 1..=plans {
        let (folder, text) = plan(&mut rng, n, plans);
        let name = format!("{n:03}-{}-{}.md", rng.pick(WORDS), rng.pick(WORDS));
        gen_plans.push(GenPlan { n, folder, name, text });
    }
    let mut tracker = String::from(
        "# Tech Debt Tracker\n\n| ID | Area | Description | Priority | Status | Notes |\n|---|---|---|---|---|---|\n",
    );
    for i in 1..=(plans / 20).max(5) {
        let status = ["open", "in-progress", "resolved", "open"][i % 4];
        let _ = writeln!(
            tracker,
            "| TD-{i:03} | {} | {} | P{} | {status} | See EP-{:03}. |",
            rng.pick(WORDS),
            sentence(&mut rng, 8),
            i % 4,
            1 + rng.below(plans.max(1))
        );
    }
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
    let sources = (0..sources)
        .map(|i| {
            let mut code = String::new();
            for line in 0..40 {
                if line % 13 == 0 {
                    let _ = writeln!(code, "// See EP-{:03} for why this exists.", 1 + (i * 7 + line) % plans.max(1));
                } else {
                    let _ = writeln!(code, "fn f{line}() -> u32 {{ {line} }}");
                }
            }
            (format!("src/m{:02}/f{i}.rs", i % 50), code)
        })
        .collect();
    Tree { plans: gen_plans, tracker, quality, sources }
}

/// Writes `plans` plans (a third active, the rest completed, some abandoned), a debt tracker,
/// a quality score, AGENTS.md and `sources` source files into `root`.
pub fn write_tree(root: &Path, plans: usize, sources: usize) {
    write_files(root, &generate(plans, sources));
}

fn write_files(root: &Path, tree: &Tree) {
    let harness = root.join(HARNESS);
    for dir in ["exec-plans/active", "exec-plans/completed"] {
        std::fs::create_dir_all(harness.join(dir)).expect("create harness folders");
    }
    for p in &tree.plans {
        std::fs::write(root.join(p.path(p.folder)), &p.text).expect("write plan");
    }
    std::fs::write(root.join(TRACKER), &tree.tracker).expect("write tracker");
    std::fs::write(root.join(QUALITY), &tree.quality).expect("write quality");
    std::fs::write(root.join("AGENTS.md"), AGENTS).expect("write AGENTS.md");
    for (rel, code) in &tree.sources {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("in a folder")).expect("create src");
        std::fs::write(path, code).expect("write source");
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
    // A code block of its own per plan: a benchmark must not be served by the highlight cache.
    let _ = write!(
        s,
        "```rust\nfn main() {{\n    let cache = Cache::new({});\n    cache.warm(\"{}\");\n}}\n```\n\n## Steps\n\n",
        1024 + n,
        WORDS[n % WORDS.len()]
    );
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

// ---------------------------------------------------------------------------------------------
// History: the same tree as the last commit of a generated git history.

/// Writes the tree of [`write_tree`] into `root` and makes `root` a git repository (branch `main`)
/// whose `commits` commits, built with `git fast-import`, end in exactly that tree: the work tree
/// and the index are clean. Same arguments, same commit ids (fixed names, dates and messages).
///
/// What a history reader meets: each plan is added in `exec-plans/active/` with every step `[ ]`
/// and its first decision; decisions are appended later, a quarter of them first with a typo
/// that a later commit fixes; step markers go `[ ]` → `[~]` → `[x]` in separate commits; a plan
/// that ends completed or abandoned gets its status, completion date and retrospective in one
/// commit and is moved to `completed/` unchanged (a rename) in a later one; source files are
/// added with TODO comments and later get their `See EP-…` lines. Several plans are in progress
/// at once, so a commit may touch several files, but never two events of one file (except the
/// last commit, which takes whatever is left). If the tree has fewer events than `commits`,
/// AGENTS.md gets draft notes that are reverted.
pub fn write_history(root: &Path, plans: usize, sources: usize, commits: usize) {
    assert!(commits > 0, "a history has at least one commit");
    let tree = generate(plans, sources);
    write_files(root, &tree);
    git(root, &["init", "-q", "-b", "main"]);
    // Most of fast-import's time goes to deltas of the big `active/` and `completed/` trees, one
    // per commit; zlib level 1 and no mmap/munmap per large buffer (glibc) take a quarter off.
    let mut child = std::process::Command::new("git")
        .args(["-c", "core.compression=1", "fast-import", "--quiet", "--done"])
        .env(
            "GLIBC_TUNABLES",
            std::env::var("GLIBC_TUNABLES").unwrap_or_else(|_| {
                "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456".into()
            }),
        )
        .current_dir(root)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("run git fast-import");
    {
        let stdin = child.stdin.take().expect("fast-import stdin");
        let mut out = std::io::BufWriter::with_capacity(1 << 20, stdin);
        History::new(&tree, commits).write(&mut out).expect("write to git fast-import");
        std::io::Write::flush(&mut out).expect("write to git fast-import");
    }
    let status = child.wait().expect("wait for git fast-import");
    assert!(status.success(), "git fast-import failed: {status}");
    // The files are already there: only the index needs HEAD's tree (and their stat data).
    git(root, &["reset", "-q"]);
}

fn git(root: &Path, args: &[&str]) {
    let status = std::process::Command::new("git").args(args).current_dir(root).status().expect("run git");
    assert!(status.success(), "git {args:?} failed: {status}");
}

const AUTHORS: &[(&str, &str)] = &[
    ("Robin Vale", "robin@example.invalid"),
    ("Casey Moor", "casey@example.invalid"),
    ("Jordan Reyes", "jordan@example.invalid"),
    ("Plan Agent", "agent@example.invalid"),
];
/// 2025-01-01T00:00:00Z; one commit every 30 minutes, a few minutes late or not.
const EPOCH: u64 = 1_735_689_600;
/// Plans start this many time units apart; each one's events spread over `OVERLAP` starts, so
/// about `OVERLAP` plans are in progress at once.
const SPACING: u64 = 1000;
const OVERLAP: u64 = 40;
const OPEN_RETRO: &str = "### What went well\n\n-\n\n### What didn't\n\n-\n\n### What to change\n\n-\n\n";

/// A plan's final text, cut where its history changes it.
struct PlanParts<'a> {
    header_final: &'a str,
    /// The header while the plan is in progress: status `active`, no completion date.
    header_open: String,
    /// Whole lines; the marker is byte 3 (`- [x] Step …`).
    steps: Vec<&'a str>,
    decisions: Vec<&'a str>,
    retro_final: &'a str,
}

impl<'a> PlanParts<'a> {
    fn new(text: &'a str) -> PlanParts<'a> {
        let (header_final, rest) = text.split_once("## Steps\n\n").expect("generated plan has steps");
        let (steps, rest) = rest.split_once("\n## Decision Log\n\n").expect("generated plan has decisions");
        let (decisions, retro_final) = rest.split_once("\n## Retrospective\n\n").expect("generated plan has a retro");
        let header_open = header_final
            .split_inclusive('\n')
            .filter(|l| !l.starts_with("**Completed**: "))
            .map(|l| if l.starts_with("**Status**: ") { "**Status**: active\n" } else { l })
            .collect();
        PlanParts {
            header_final,
            header_open,
            steps: steps.split_inclusive('\n').collect(),
            decisions: decisions.split_inclusive('\n').collect(),
            retro_final,
        }
    }

    fn render(&self, st: &PlanState) -> String {
        let mut s = String::with_capacity(4096);
        s.push_str(if st.finished { self.header_final } else { &self.header_open });
        s.push_str("## Steps\n\n");
        for (line, mark) in self.steps.iter().zip(&st.marks) {
            s.push_str(&line[..3]);
            s.push([' ', '~', 'x'][*mark as usize]);
            s.push_str(&line[4..]);
        }
        s.push_str("\n## Decision Log\n\n");
        for (j, line) in self.decisions[..st.decisions].iter().enumerate() {
            if st.typos[j] {
                s.push_str(&typo(line, j));
            } else {
                s.push_str(line);
            }
        }
        s.push_str("\n## Retrospective\n\n");
        s.push_str(if st.finished { self.retro_final } else { OPEN_RETRO });
        s
    }
}

/// `line` with two letters of one of its longer words swapped (or one doubled).
fn typo(line: &str, salt: usize) -> String {
    let start = line.find(": ").map_or(0, |i| i + 2);
    let mut spots = Vec::new();
    let mut off = start;
    for word in line[start..].split(' ') {
        if word.trim_end_matches(['.', '\n']).len() >= 5 {
            spots.push(off);
        }
        off += word.len() + 1;
    }
    let Some(&at) = spots.get(salt % spots.len().max(1)) else {
        return line.replacen(": ", ": teh ", 1);
    };
    let mut b = line.as_bytes().to_vec();
    if b[at + 1] != b[at + 2] {
        b.swap(at + 1, at + 2);
    } else {
        b.insert(at + 1, b[at + 1]);
    }
    String::from_utf8(b).expect("ASCII words")
}

struct PlanState {
    /// Per step: 0 `[ ]`, 1 `[~]`, 2 `[x]`.
    marks: Vec<u8>,
    /// How many decisions are written.
    decisions: usize,
    typos: Vec<bool>,
    finished: bool,
    moved: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Key {
    Scaffold,
    Plan(usize),
    Source(usize),
}

#[derive(Clone, Copy, PartialEq)]
enum Atom {
    /// Append decision j, with a typo or not.
    Decision(usize, bool),
    Fix(usize),
    /// Advance step i's marker.
    Mark(usize),
    Finish,
    Move,
}

enum Change {
    Scaffold,
    /// AGENTS.md with draft note k, or back to its final text (0).
    Churn(usize),
    PlanAdd,
    Plan(Vec<Atom>),
    SourceAdd,
    SourceLinks,
}

struct Event {
    time: u64,
    key: Key,
    change: Change,
}

struct History<'a> {
    tree: &'a Tree,
    parts: Vec<PlanParts<'a>>,
    events: Vec<Event>,
    commits: usize,
}

impl<'a> History<'a> {
    fn new(tree: &'a Tree, commits: usize) -> History<'a> {
        let mut rng = Rng(0xD1B5_4A32_D192_ED03);
        let parts: Vec<PlanParts> = tree.plans.iter().map(|p| PlanParts::new(&p.text)).collect();
        let mut events = vec![Event { time: 0, key: Key::Scaffold, change: Change::Scaffold }];
        for (i, (p, parts)) in tree.plans.iter().zip(&parts).enumerate() {
            let start = (i as u64 + 1) * SPACING;
            events.push(Event { time: start, key: Key::Plan(i), change: Change::PlanAdd });
            let sessions = plan_sessions(&mut rng, parts, p.folder != "active");
            let gap = (OVERLAP * SPACING / (sessions.len() as u64 + 1)).max(2);
            let mut t = start;
            for atoms in sessions {
                t += 1 + gap / 2 + rng.below(gap as usize) as u64;
                events.push(Event { time: t, key: Key::Plan(i), change: Change::Plan(atoms) });
            }
        }
        let horizon = (tree.plans.len() as u64 + 1) * SPACING;
        let n_sources = tree.sources.len() as u64;
        for i in 0..tree.sources.len() {
            let add = 1 + i as u64 * horizon / n_sources;
            events.push(Event { time: add, key: Key::Source(i), change: Change::SourceAdd });
            let links = add + 1 + rng.below((OVERLAP * SPACING) as usize) as u64;
            events.push(Event { time: links, key: Key::Source(i), change: Change::SourceLinks });
        }
        if events.len() < commits {
            // Pairs (note, revert), one triple if the count is odd, so that every commit has a change.
            let missing = commits - events.len();
            let total = missing.max(2) as u64;
            let end = horizon + OVERLAP * SPACING;
            let mut groups = vec![2; missing.max(2) / 2];
            if missing > 2 && missing % 2 == 1 {
                groups[0] = 3;
            }
            let (mut k, mut note) = (0, 0);
            for size in groups {
                for step in 0..size {
                    note += 1;
                    let change = Change::Churn(if step + 1 == size { 0 } else { note });
                    events.push(Event { time: k * end / total, key: Key::Scaffold, change });
                    k += 1;
                }
            }
        }
        // Stable: events of one key keep their order (their times never decrease).
        events.sort_by_key(|e| e.time);
        History { tree, parts, events, commits }
    }

    /// Splits the events into exactly `commits` commits of about equal size, deferring an event
    /// whose file the commit already changes (and the later events of that file) to the next.
    fn batches(&self) -> Vec<Vec<usize>> {
        let (n, total) = (self.commits, self.events.len());
        let mut batches = Vec::with_capacity(n);
        let mut pending: std::collections::VecDeque<usize> = Default::default();
        let mut next = 0;
        for c in 0..n {
            if c + 1 == n {
                batches.push(pending.drain(..).chain(next..total).collect());
                break;
            }
            let quota = (c + 1) * total / n - c * total / n;
            let mut batch = Vec::with_capacity(quota);
            let mut touched = std::collections::HashSet::new();
            let mut blocked = std::collections::HashSet::new();
            let mut deferred = std::collections::VecDeque::new();
            for i in std::mem::take(&mut pending) {
                let key = self.events[i].key;
                if batch.len() < quota && !blocked.contains(&key) && touched.insert(key) {
                    batch.push(i);
                } else {
                    blocked.insert(key);
                    deferred.push_back(i);
                }
            }
            while batch.len() < quota && next < total {
                let key = self.events[next].key;
                if !blocked.contains(&key) && touched.insert(key) {
                    batch.push(next);
                } else {
                    blocked.insert(key);
                    deferred.push_back(next);
                }
                next += 1;
            }
            pending = deferred;
            batches.push(batch);
        }
        batches
    }

    fn write(&self, w: &mut impl std::io::Write) -> std::io::Result<()> {
        let tree = self.tree;
        let mut plans: Vec<Option<PlanState>> = tree.plans.iter().map(|_| None).collect();
        let mut sources = vec![0u8; tree.sources.len()];
        let mut scaffold: Option<usize> = None;
        let mut committed: std::collections::HashMap<Key, Vec<(String, String)>> = Default::default();
        for (c, batch) in self.batches().into_iter().enumerate() {
            let mut subjects = Vec::with_capacity(batch.len());
            let mut touched: Vec<Key> = Vec::new();
            for &i in &batch {
                let e = &self.events[i];
                if !touched.contains(&e.key) {
                    touched.push(e.key);
                }
                subjects.push(match (&e.change, e.key) {
                    (Change::Scaffold, _) => {
                        scaffold = Some(0);
                        "Add harness scaffolding".to_string()
                    }
                    (Change::Churn(k), _) => {
                        scaffold = Some(*k);
                        if *k == 0 { "AGENTS.md: drop draft note" } else { "AGENTS.md: draft note" }.to_string()
                    }
                    (Change::PlanAdd, Key::Plan(p)) => {
                        let parts = &self.parts[p];
                        plans[p] = Some(PlanState {
                            marks: vec![0; parts.steps.len()],
                            decisions: 1,
                            typos: vec![false; parts.decisions.len()],
                            finished: false,
                            moved: false,
                        });
                        format!("EP-{:03}: add plan", tree.plans[p].n)
                    }
                    (Change::Plan(atoms), Key::Plan(p)) => {
                        let st = plans[p].as_mut().expect("plan added before it changes");
                        let n = tree.plans[p].n;
                        let mut what = Vec::new();
                        for atom in atoms {
                            what.push(match *atom {
                                Atom::Decision(j, typo) => {
                                    st.decisions = j + 1;
                                    st.typos[j] = typo;
                                    format!("decision {}", j + 1)
                                }
                                Atom::Fix(j) => {
                                    st.typos[j] = false;
                                    format!("fix typo in decision {}", j + 1)
                                }
                                Atom::Mark(s) => {
                                    st.marks[s] += 1;
                                    format!("step {} {}", s + 1, ["", "started", "done"][st.marks[s] as usize])
                                }
                                Atom::Finish => {
                                    st.finished = true;
                                    let status = tree.plans[p].text.split("**Status**: ").nth(1).unwrap_or("");
                                    format!("mark {}", status.lines().next().unwrap_or(""))
                                }
                                Atom::Move => {
                                    st.moved = true;
                                    "move to completed/".to_string()
                                }
                            });
                        }
                        format!("EP-{n:03}: {}", what.join(", "))
                    }
                    (Change::SourceAdd, Key::Source(s)) => {
                        sources[s] = 1;
                        format!("{}: add", tree.sources[s].0)
                    }
                    (Change::SourceLinks, Key::Source(s)) => {
                        sources[s] = 2;
                        format!("{}: link plans", tree.sources[s].0)
                    }
                    _ => unreachable!("event and key disagree"),
                });
            }
            let mut message = subjects[0].clone();
            if subjects.len() > 1 {
                message.push_str("\n\n");
                for s in &subjects[1..] {
                    message.push_str(s);
                    message.push('\n');
                }
            }
            message.push('\n');
            let (name, email) = AUTHORS[(c * 7 + c / 11) % AUTHORS.len()];
            let when = EPOCH + c as u64 * 1800 + (c as u64 * 2_654_435_761) % 600;
            writeln!(w, "commit refs/heads/main")?;
            writeln!(w, "author {name} <{email}> {when} +0000")?;
            writeln!(w, "committer {name} <{email}> {when} +0000")?;
            writeln!(w, "data {}\n{message}", message.len())?;
            for key in touched {
                let now = self.files(key, &plans, &sources, scaffold);
                let before = committed.remove(&key).unwrap_or_default();
                for (path, _) in &before {
                    if !now.iter().any(|(p, _)| p == path) {
                        writeln!(w, "D {path}")?;
                    }
                }
                for (path, text) in &now {
                    if before.iter().find(|(p, _)| p == path).map(|(_, t)| t) != Some(text) {
                        writeln!(w, "M 100644 inline {path}\ndata {}", text.len())?;
                        w.write_all(text.as_bytes())?;
                        writeln!(w)?;
                    }
                }
                committed.insert(key, now);
            }
        }
        writeln!(w, "done")?;
        // The last commit is the tree `write_tree` writes.
        for (i, p) in tree.plans.iter().enumerate() {
            assert_eq!(committed.get(&Key::Plan(i)), Some(&vec![(p.path(p.folder), p.text.clone())]), "EP-{:03}", p.n);
        }
        for (i, (path, code)) in tree.sources.iter().enumerate() {
            assert_eq!(committed.get(&Key::Source(i)), Some(&vec![(path.clone(), code.clone())]));
        }
        assert_eq!(scaffold, Some(0), "AGENTS.md ends as written");
        Ok(())
    }

    /// The files `key` stands for, as they are now.
    fn files(
        &self,
        key: Key,
        plans: &[Option<PlanState>],
        sources: &[u8],
        scaffold: Option<usize>,
    ) -> Vec<(String, String)> {
        match key {
            Key::Scaffold => match scaffold {
                None => Vec::new(),
                Some(note) => {
                    let mut agents = AGENTS.to_string();
                    if note > 0 {
                        let _ = write!(agents, "\nDraft note {note}: plans should link their debt items.\n");
                    }
                    vec![
                        ("AGENTS.md".to_string(), agents),
                        (TRACKER.to_string(), self.tree.tracker.clone()),
                        (QUALITY.to_string(), self.tree.quality.clone()),
                    ]
                }
            },
            Key::Plan(i) => match &plans[i] {
                None => Vec::new(),
                Some(st) => {
                    let p = &self.tree.plans[i];
                    vec![(p.path(if st.moved { "completed" } else { "active" }), self.parts[i].render(st))]
                }
            },
            Key::Source(i) => {
                let (path, code) = &self.tree.sources[i];
                match sources[i] {
                    0 => Vec::new(),
                    1 => {
                        let draft = code
                            .split_inclusive('\n')
                            .map(|l| if l.starts_with("// See EP-") { "// TODO: say why this exists.\n" } else { l })
                            .collect();
                        vec![(path.clone(), draft)]
                    }
                    _ => vec![(path.clone(), code.clone())],
                }
            }
        }
    }
}

/// A plan's changes after it is added, grouped into sessions of one to three: decisions and step
/// markers interleaved, typo fixes a little after their decision, then (for a plan that ends in
/// `completed/`) its completion and, alone, its move.
fn plan_sessions(rng: &mut Rng, parts: &PlanParts, ends_completed: bool) -> Vec<Vec<Atom>> {
    let decisions: Vec<Atom> = (1..parts.decisions.len()).map(|j| Atom::Decision(j, rng.below(4) == 0)).collect();
    let marks: Vec<Atom> = parts
        .steps
        .iter()
        .enumerate()
        .flat_map(|(i, l)| {
            let times = match l.as_bytes()[3] {
                b'x' => 2,
                b'~' => 1,
                _ => 0,
            };
            std::iter::repeat_n(Atom::Mark(i), times)
        })
        .collect();
    let (mut a, mut b) = (0, 0);
    let mut atoms = Vec::with_capacity(decisions.len() + marks.len() + 4);
    let mut fixes: Vec<(usize, usize)> = Vec::new();
    while a < decisions.len() || b < marks.len() {
        let left = decisions.len() - a + marks.len() - b;
        let atom = if b == marks.len() || (a < decisions.len() && rng.below(left) < decisions.len() - a) {
            a += 1;
            decisions[a - 1]
        } else {
            b += 1;
            marks[b - 1]
        };
        atoms.push(atom);
        if let Atom::Decision(j, true) = atom {
            fixes.push((atoms.len() + rng.below(3), j));
        }
        fixes.retain(|&(due, j)| {
            let now = due <= atoms.len();
            if now {
                atoms.push(Atom::Fix(j));
            }
            !now
        });
    }
    atoms.extend(fixes.iter().map(|&(_, j)| Atom::Fix(j)));
    let mut sessions = Vec::new();
    let mut current: Vec<Atom> = Vec::new();
    let mut size = 1 + rng.below(3);
    for atom in atoms {
        let clash = match atom {
            Atom::Fix(j) => current.iter().any(|a| matches!(a, Atom::Decision(k, _) if *k == j)),
            Atom::Mark(i) => current.contains(&Atom::Mark(i)),
            _ => false,
        };
        if !current.is_empty() && (current.len() >= size || clash) {
            sessions.push(std::mem::take(&mut current));
            size = 1 + rng.below(3);
        }
        current.push(atom);
    }
    if !current.is_empty() {
        sessions.push(current);
    }
    if ends_completed {
        sessions.push(vec![Atom::Finish]);
        sessions.push(vec![Atom::Move]);
    }
    sessions
}
