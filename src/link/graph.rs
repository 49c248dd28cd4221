//! The reference graph: every reference resolved to what it names, in both directions.
//!
//! In: the `Harness` (references as written) and the `SiteIndex`. Out: a `Graph` of edges from
//! the thing that refers (a plan, a debt item, a quality domain, a doc, a repository file) to the
//! thing referred to, and diagnostics for references that do not resolve: unknown `EP-NNN` /
//! `TD-NNN` and plan names (errors), links to harness files that do not exist (errors), paths
//! and names of plans that have moved or been renumbered (warnings, resolved by file name, slug,
//! then number: `SiteIndex::plan_named`), references from live text to abandoned plans
//! (warnings).

use super::{Found, SiteIndex};
use crate::diag::{Code, Diagnostic};
use crate::model::{DebtStatusKind, Harness, PlanNumber, RefTarget, Reference, Relation, Span, StatusKind};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};

/// A thing that refers or is referred to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeId {
    /// A plan, by index into `Harness::plans`.
    Plan(usize),
    /// A debt item, by index into the tracker's items.
    Debt(usize),
    /// A quality domain, by index.
    Quality(usize),
    /// A doc, by index into `Harness::docs`.
    Doc(usize),
    /// The tracker as a whole (a link to it without an item).
    Tracker,
    /// The quality score as a whole.
    QualityDoc,
    /// A repository file, by index into `Harness::mentions`.
    File(usize),
}

/// One resolved reference.
#[derive(Clone, Debug)]
pub struct Edge {
    /// Who refers.
    pub from: NodeId,
    /// What is referred to.
    pub to: NodeId,
    /// The relation the text states.
    pub relation: Option<Relation>,
    /// The file the reference is written in.
    pub path: String,
    /// Where in that file.
    pub span: Span,
}

/// All edges, with indexes in both directions (edge indices, in edge order).
#[derive(Clone, Debug, Default)]
pub struct Graph {
    /// Every edge, ordered by source node then position.
    pub edges: Vec<Edge>,
    /// Edges into each node.
    pub incoming: BTreeMap<NodeId, Vec<usize>>,
    /// Edges out of each node.
    pub outgoing: BTreeMap<NodeId, Vec<usize>>,
}

impl Graph {
    /// Edges into `node`.
    pub fn refs_to(&self, node: NodeId) -> impl Iterator<Item = &Edge> {
        self.incoming.get(&node).into_iter().flatten().map(|&i| &self.edges[i])
    }

    /// Edges out of `node`.
    pub fn refs_from(&self, node: NodeId) -> impl Iterator<Item = &Edge> {
        self.outgoing.get(&node).into_iter().flatten().map(|&i| &self.edges[i])
    }
}

/// Resolves every reference of the harness.
pub fn resolve(h: &Harness, idx: &SiteIndex) -> (Graph, Vec<Diagnostic>) {
    // Files by path (a plan first when a doc has the same path) and debt anchors, so each
    // reference is resolved by lookup: a file of thousands of links stays linear.
    let mut files: HashMap<&str, NodeId> = HashMap::new();
    for (i, p) in h.plans.iter().enumerate() {
        files.entry(p.path.as_str()).or_insert(NodeId::Plan(i));
    }
    for (i, d) in h.docs.iter().enumerate() {
        files.entry(d.path.as_str()).or_insert(NodeId::Doc(i));
    }
    let mut debt_anchors = HashMap::new();
    for (i, item) in h.debt.iter().flat_map(|t| t.items.iter().enumerate()) {
        debt_anchors.entry(item.anchor.to_ascii_lowercase()).or_insert(i);
    }
    let mut domain_anchors = HashMap::new();
    for (i, d) in h.quality.iter().flat_map(|q| q.domains.iter().enumerate()) {
        domain_anchors.entry(d.anchor.as_str()).or_insert(i);
    }
    let r = Resolver { h, idx, files, debt_anchors, domain_anchors };
    // Every node that refers, in graph order; resolved in parallel, joined in that order.
    let mut nodes: Vec<(NodeId, &str, &[Reference])> = Vec::new();
    nodes.extend(h.plans.iter().enumerate().map(|(i, p)| (NodeId::Plan(i), p.path.as_str(), p.refs.as_slice())));
    if let Some(d) = &h.debt {
        nodes.extend(
            d.items.iter().enumerate().map(|(i, item)| (NodeId::Debt(i), d.path.as_str(), item.refs.as_slice())),
        );
    }
    if let Some(q) = &h.quality {
        nodes.extend(
            q.domains.iter().enumerate().map(|(i, dm)| (NodeId::Quality(i), q.path.as_str(), dm.refs.as_slice())),
        );
    }
    nodes.extend(h.docs.iter().enumerate().map(|(i, d)| (NodeId::Doc(i), d.path.as_str(), d.refs.as_slice())));
    nodes.extend(h.mentions.iter().enumerate().map(|(i, m)| (NodeId::File(i), m.path.as_str(), m.refs.as_slice())));
    let found: Vec<Resolved> = nodes
        .par_iter()
        .with_min_len(64)
        .map(|&(from, path, refs)| {
            let mut out = Resolved::default();
            r.all(&mut out, from, path, refs);
            out
        })
        .collect();
    let mut graph = Graph::default();
    let mut diags = Vec::new();
    for f in found {
        graph.edges.extend(f.edges);
        diags.extend(f.diags);
    }
    for (i, e) in graph.edges.iter().enumerate() {
        graph.incoming.entry(e.to).or_default().push(i);
        graph.outgoing.entry(e.from).or_default().push(i);
    }
    for (path, other) in &idx.case_collisions {
        let url = idx.by_source.get(path).map_or("", String::as_str);
        diags.push(
            Diagnostic::new(
                Code::CaseCollision,
                path,
                None,
                format!("its page path differs only in letter case from that of `{other}`: published at `{url}` instead"),
            )
            .help("rename one of the two files: on a case-insensitive disk (macOS, Windows) their pages would be one folder"),
        );
    }
    (graph, diags)
}

struct Resolver<'a> {
    h: &'a Harness,
    idx: &'a SiteIndex,
    files: HashMap<&'a str, NodeId>,
    /// Debt item index by lower-cased anchor (the first item of an anchor).
    debt_anchors: HashMap<String, usize>,
    /// Quality domain index by anchor.
    domain_anchors: HashMap<&'a str, usize>,
}

/// What resolving one node's references found.
#[derive(Default)]
struct Resolved {
    edges: Vec<Edge>,
    diags: Vec<Diagnostic>,
}

impl Resolver<'_> {
    fn all(&self, out: &mut Resolved, from: NodeId, path: &str, refs: &[Reference]) {
        for r in refs {
            if let Some(to) = self.target(out, path, r)
                && to != from
            {
                out.edges.push(Edge { from, to, relation: r.relation, path: path.to_string(), span: r.span });
            }
        }
        if self.is_live(from) {
            self.check_abandoned(out, path);
        }
    }

    fn target(&self, out: &mut Resolved, path: &str, r: &Reference) -> Option<NodeId> {
        match &r.target {
            RefTarget::Plan(n) => {
                let found = self.idx.plan_by_number.get(n).map(|&i| NodeId::Plan(i));
                if found.is_none() {
                    let mut d = Diagnostic::new(
                        Code::UnresolvedPlan,
                        path,
                        Some(r.span),
                        format!("unresolved reference `{n}`: there is no plan {}", n.0),
                    )
                    .label("no such plan");
                    if let Some(help) = self.closest_plan(*n) {
                        d = d.help(help);
                    }
                    out.diags.push(d);
                }
                found
            }
            RefTarget::Debt(id) => {
                let found = self.idx.debt_by_id.get(id).map(|&i| NodeId::Debt(i));
                if found.is_none() {
                    let message = match &self.h.debt {
                        Some(t) => format!("unresolved reference `{id}`: `{}` has no such item", t.path),
                        None => format!("unresolved reference `{id}`: the harness has no tech debt tracker"),
                    };
                    out.diags
                        .push(Diagnostic::new(Code::UnresolvedDebt, path, Some(r.span), message).label("no such item"));
                }
                found
            }
            RefTarget::Path(target) => self.path_target(out, path, r, target),
            RefTarget::Name(name) => self.name_target(out, path, r, name),
        }
    }

    fn path_target(&self, out: &mut Resolved, path: &str, r: &Reference, target: &str) -> Option<NodeId> {
        let (file, fragment) = match target.split_once('#') {
            Some((f, frag)) => (f, Some(frag)),
            None => (target, None),
        };
        let file = self.idx.from_harness(file);
        let file = file.as_ref();
        if let Some(&node) = self.files.get(file) {
            return Some(node);
        }
        if self.h.debt.as_ref().is_some_and(|t| t.path == file) {
            let item = fragment.and_then(|f| self.debt_anchors.get(&f.to_ascii_lowercase()).copied());
            return Some(item.map_or(NodeId::Tracker, NodeId::Debt));
        }
        if self.h.quality.as_ref().is_some_and(|q| q.path == file) {
            let domain = fragment.and_then(|f| self.domain_anchors.get(f).copied());
            return Some(domain.map_or(NodeId::QualityDoc, NodeId::Quality));
        }
        // Not a file planbook read. Inside the harness that is a broken link, unless it is the
        // old path of a plan that has moved or been renumbered.
        if !self.idx.in_harness(file) {
            return None;
        }
        if let Some((i, found)) = self.idx.moved_plan(file) {
            let plan = &self.h.plans[i];
            let (now, label) = (&plan.path, plan.label());
            let mut d = Diagnostic::new(
                Code::StalePath,
                path,
                Some(r.span),
                format!("stale path `{file}`: plan `{label}` is now at `{now}`"),
            )
            .label("moved");
            if found == Found::Number {
                let written = file.rsplit('/').next().unwrap_or(file).trim_end_matches(".md");
                d = d.help(format!(
                    "resolved by its number alone: no plan is named `{}` now, and plan `{label}` is \"{}\"",
                    crate::link::plan_slug(written),
                    plan.title
                ));
            }
            let help = match plan.number {
                Some(_) => format!("link to `{now}`, or refer to the plan as `{label}`, which survives moves"),
                None => format!("link to `{now}`"),
            };
            out.diags.push(d.help(help));
            return Some(NodeId::Plan(i));
        }
        out.diags.push(
            Diagnostic::new(Code::MissingFile, path, Some(r.span), format!("link to `{file}`, which does not exist"))
                .label("no such file"),
        );
        None
    }

    /// A plan named by its file name in front matter (`depends-on: 0032-some-plan`): resolved
    /// like a stale path (the name first, then the slug, then the number), warning when only the
    /// slug or the number still matches what is written.
    fn name_target(&self, out: &mut Resolved, path: &str, r: &Reference, name: &str) -> Option<NodeId> {
        let file = name.rsplit('/').next().unwrap_or(name);
        let stem = match file.len().checked_sub(3) {
            Some(cut) if file.to_ascii_lowercase().ends_with(".md") => file.get(..cut).unwrap_or(file),
            _ => file,
        };
        let Some((i, found)) = self.idx.plan_named(stem) else {
            out.diags.push(
                Diagnostic::new(
                    Code::UnresolvedPlan,
                    path,
                    Some(r.span),
                    format!("unresolved reference `{name}`: no plan has that file name"),
                )
                .label("no such plan")
                .help("name a plan by its file name (`0032-some-plan`) or its ID (`EP-0032`)"),
            );
            return None;
        };
        let plan = &self.h.plans[i];
        let (label, now) = (plan.label(), &plan.stem);
        let written_number = crate::parse::file_number(stem);
        let stale = match found {
            Found::Stem => None,
            Found::Slug if written_number.is_none() || written_number == plan.number => None,
            Found::Slug => Some(format!("stale name `{name}`: the plan is now `{now}` (`{label}`)")),
            Found::Number => Some(format!(
                "stale name `{name}`: no plan is named `{}` now; resolved by its number alone to `{now}`",
                crate::link::plan_slug(stem)
            )),
        };
        if let Some(message) = stale {
            out.diags.push(
                Diagnostic::new(Code::StalePath, path, Some(r.span), message)
                    .label("renamed")
                    .help(format!("write `{now}`, or refer to the plan as `{label}`")),
            );
        }
        Some(NodeId::Plan(i))
    }

    fn closest_plan(&self, n: PlanNumber) -> Option<String> {
        // The nearest numbers below and above, by range queries (not a scan per reference).
        let below = self.idx.plan_by_number.range(..=n).next_back();
        let above = self.idx.plan_by_number.range(n..).next();
        let (&m, &i) = match (below, above) {
            (Some(b), Some(a)) => {
                if n.0.abs_diff(a.0.0) < n.0.abs_diff(b.0.0) {
                    a
                } else {
                    b
                }
            }
            (b, a) => b.or(a)?,
        };
        Some(format!("closest existing plan: `{m}` ({})", self.h.plans[i].title))
    }

    /// Whether what `node` says is current: an active plan (or one of another status), an open
    /// debt item, a doc, a quality domain, a repository file. Completed and abandoned plans and
    /// resolved debt items are history.
    fn is_live(&self, node: NodeId) -> bool {
        match node {
            NodeId::Plan(i) => {
                matches!(self.h.plans[i].state(), StatusKind::Active | StatusKind::Draft | StatusKind::Other)
            }
            NodeId::Debt(i) => {
                self.h.debt.as_ref().is_some_and(|d| {
                    matches!(d.items[i].status.kind, DebtStatusKind::Open | DebtStatusKind::InProgress)
                })
            }
            NodeId::Doc(_) | NodeId::Quality(_) | NodeId::File(_) => true,
            NodeId::Tracker | NodeId::QualityDoc => false,
        }
    }

    /// Warns once for each abandoned (or superseded) plan that the edges from `first` on (one live referrer's)
    /// name, at the first reference: something current still points at work that was dropped.
    /// The replacement naming what it replaces (`supersedes EP-006`, `superseded by`) is quiet,
    /// for every reference it makes to that plan.
    fn check_abandoned(&self, out: &mut Resolved, path: &str) {
        let edges = &out.edges[..];
        let abandoned = |e: &&Edge| matches!(e.to, NodeId::Plan(t) if self.h.plans[t].state().is_stopped());
        let replaces: HashSet<NodeId> = edges
            .iter()
            .filter(abandoned)
            .filter(|e| matches!(e.relation, Some(Relation::Supersedes | Relation::SupersededBy)))
            .map(|e| e.to)
            .collect();
        let mut count: HashMap<NodeId, usize> = HashMap::new();
        for e in edges.iter().filter(abandoned) {
            *count.entry(e.to).or_default() += 1;
        }
        let mut warned: HashSet<NodeId> = HashSet::new();
        let mut found = Vec::new();
        for e in edges.iter().filter(abandoned) {
            if replaces.contains(&e.to) || !warned.insert(e.to) {
                continue;
            }
            let NodeId::Plan(t) = e.to else { continue };
            let target = &self.h.plans[t];
            let more = count.get(&e.to).map_or(0, |c| c.saturating_sub(1));
            let mut d = Diagnostic::new(
                Code::AbandonedReference,
                path,
                Some(e.span),
                format!("reference to {} plan `{}` ({})", target.state().as_str(), target.label(), target.title),
            )
            .label(target.state().as_str())
            .help("point at the plan that replaced it, or say `supersedes` if this is the replacement");
            if more > 0 {
                d = d.note(format!("{more} more reference{} to it here", if more == 1 { "" } else { "s" }));
            }
            found.push(d);
        }
        out.diags.extend(found);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::{Source, SourceKind};

    fn harness(files: &[(&str, &str)]) -> Harness {
        let sources: Vec<Source> = files
            .iter()
            .map(|(path, text)| {
                let kind = match path.split_once("exec-plans/") {
                    Some((_, rest)) if rest.contains('/') => SourceKind::Plan {
                        folder: rest.rsplit_once('/').map(|(f, _)| f.to_string()).unwrap_or_default(),
                    },
                    _ if path.ends_with("TECH_DEBT_TRACKER.md") => SourceKind::DebtTracker,
                    _ if path.starts_with("docs/") => SourceKind::HarnessDoc,
                    _ if path.ends_with(".md") => SourceKind::RootDoc,
                    _ => SourceKind::RepoText,
                };
                Source { path: path.to_string(), kind, text: (*text).into() }
            })
            .collect();
        crate::parse::parse(&sources, "docs/harness", None).0
    }

    fn check(files: &[(&str, &str)]) -> (Graph, Vec<(Code, String, u32, u32)>) {
        let h = harness(files);
        let idx = crate::link::index(&h);
        let (g, d) = resolve(&h, &idx);
        let mut d: Vec<_> = d
            .into_iter()
            .map(|d| (d.code, d.path, d.span.map_or(0, |s| s.line), d.span.map_or(0, |s| s.col)))
            .collect();
        d.sort();
        (g, d)
    }

    const P1: &str = "# EP-001: One\n\n**Status**: active\n";
    const P2: &str = "# EP-002: Two\n\n**Status**: completed\n";

    #[test]
    fn unresolved_references_are_errors_with_positions() {
        let (_, d) = check(&[
            ("docs/harness/exec-plans/active/001-one.md", "# EP-001: One\n\nSee EP-042 and TD-9.\n"),
            ("src/main.rs", "fn main() {}\n// See EP-43\n"),
        ]);
        assert_eq!(
            d,
            [
                (Code::UnresolvedPlan, "docs/harness/exec-plans/active/001-one.md".into(), 3, 5),
                (Code::UnresolvedPlan, "src/main.rs".into(), 2, 8),
                (Code::UnresolvedDebt, "docs/harness/exec-plans/active/001-one.md".into(), 3, 16),
            ]
        );
    }

    #[test]
    fn moved_plan_paths_resolve_with_a_warning_and_missing_files_are_errors() {
        let (g, d) = check(&[
            ("docs/harness/exec-plans/completed/002-two.md", P2),
            ("AGENTS.md", "Read `docs/harness/exec-plans/active/002-two.md` and [x](docs/harness/nope.md).\n"),
        ]);
        assert_eq!(d, [(Code::StalePath, "AGENTS.md".into(), 1, 6), (Code::MissingFile, "AGENTS.md".into(), 1, 54)]);
        assert_eq!(g.refs_to(NodeId::Plan(0)).count(), 1, "the stale path still counts as a backlink");
    }

    #[test]
    fn widths_and_typed_relations_and_backlinks() {
        let (g, d) = check(&[
            (
                "docs/harness/exec-plans/active/001-one.md",
                "# EP-001: One\n\nThis supersedes EP-0002 and resolves TD-004; see EP-1.\n",
            ),
            ("docs/harness/exec-plans/completed/002-two.md", P2),
            ("docs/harness/TECH_DEBT_TRACKER.md", "| ID | Description |\n|---|---|\n| TD-004 | Slow, see EP-2 |\n"),
        ]);
        assert!(d.is_empty(), "{d:?}");
        let out: Vec<_> = g.refs_from(NodeId::Plan(0)).map(|e| (e.to, e.relation)).collect();
        assert_eq!(
            out,
            [(NodeId::Plan(1), Some(Relation::Supersedes)), (NodeId::Debt(0), Some(Relation::Resolves))],
            "self-reference dropped"
        );
        let into_two: Vec<_> = g.refs_to(NodeId::Plan(1)).map(|e| e.from).collect();
        assert_eq!(into_two, [NodeId::Plan(0), NodeId::Debt(0)]);
    }

    fn diags(files: &[(&str, &str)]) -> Vec<Diagnostic> {
        let h = harness(files);
        let idx = crate::link::index(&h);
        let mut d = resolve(&h, &idx).1;
        d.sort_by(|a, b| (&a.path, a.span).cmp(&(&b.path, b.span)));
        d
    }

    const CUTOVER: &str = "docs/harness/exec-plans/completed/0035-x-cutover.md";
    const OTHER: &str = "docs/harness/exec-plans/active/0033-other.md";

    #[test]
    fn stale_paths_prefer_the_plan_with_the_same_slug_then_its_number() {
        let d = diags(&[
            (CUTOVER, "# X cutover\n\n**Status**: completed\n"),
            (OTHER, "# Other\n\n**Status**: active\n"),
            (
                "AGENTS.md",
                "See docs/harness/exec-plans/active/0033-x-cutover.md\n\n\
                 See docs/harness/exec-plans/active/0035-x-cutover.md\n\n\
                 See docs/harness/exec-plans/active/0033-gone.md\n\n\
                 See exec-plans/active/0033-other.md and docs/harness/exec-plans/active/0099-gone.md\n",
            ),
        ]);
        let got: Vec<_> = d.iter().map(|d| (d.code, d.span.map_or(0, |s| s.line), d.message.as_str())).collect();
        assert_eq!(
            got,
            [
                (
                    Code::StalePath,
                    1,
                    "stale path `docs/harness/exec-plans/active/0033-x-cutover.md`: plan `EP-0035` is now at `docs/harness/exec-plans/completed/0035-x-cutover.md`"
                ),
                (
                    Code::StalePath,
                    3,
                    "stale path `docs/harness/exec-plans/active/0035-x-cutover.md`: plan `EP-0035` is now at `docs/harness/exec-plans/completed/0035-x-cutover.md`"
                ),
                (
                    Code::StalePath,
                    5,
                    "stale path `docs/harness/exec-plans/active/0033-gone.md`: plan `EP-0033` is now at `docs/harness/exec-plans/active/0033-other.md`"
                ),
                (Code::MissingFile, 7, "link to `docs/harness/exec-plans/active/0099-gone.md`, which does not exist"),
            ],
            "a path from the harness folder (`exec-plans/...`) that exists is no finding"
        );
        assert!(d[0].help.iter().all(|h| !h.contains("number alone")), "{:?}", d[0].help);
        assert!(
            d[2].help[0].starts_with("resolved by its number alone: no plan is named `gone` now"),
            "{:?}",
            d[2].help
        );
    }

    #[test]
    fn front_matter_names_resolve_like_ids_preferring_the_slug() {
        let h = harness(&[
            (CUTOVER, "# X cutover\n\n**Status**: completed\n"),
            (OTHER, "# Other\n\n**Status**: active\n"),
            (
                "docs/harness/exec-plans/active/0040-next.md",
                "---\ndepends-on: [0035-x-cutover, x-cutover, 0033-x-cutover.md, 0033-gone, nope-plan]\n---\n# Next\n",
            ),
        ]);
        let idx = crate::link::index(&h);
        let (g, d) = resolve(&h, &idx);
        let at = |path: &str| NodeId::Plan(h.plans.iter().position(|p| p.path == path).unwrap());
        let from = at("docs/harness/exec-plans/active/0040-next.md");
        let mut to: Vec<_> = g.refs_from(from).map(|e| (e.to, e.relation)).collect();
        to.sort();
        let mut want = vec![(at(CUTOVER), Some(Relation::DependsOn)); 3];
        want.push((at(OTHER), Some(Relation::DependsOn)));
        want.sort();
        assert_eq!(to, want, "0035 by name, by slug, by slug over number; 0033 by number alone");
        let got: Vec<_> = d.iter().map(|d| (d.code, d.message.as_str())).collect();
        assert_eq!(
            got,
            [
                (
                    Code::StalePath,
                    "stale name `0033-gone`: no plan is named `gone` now; resolved by its number alone to `0033-other`"
                ),
                (Code::StalePath, "stale name `0033-x-cutover.md`: the plan is now `0035-x-cutover` (`EP-0035`)"),
                (Code::UnresolvedPlan, "unresolved reference `nope-plan`: no plan has that file name"),
            ]
        );
    }

    #[test]
    fn live_text_naming_an_abandoned_plan_warns_once_history_does_not() {
        let dropped =
            ("docs/harness/exec-plans/completed/006-dropped.md", "# EP-006: Dropped\n\n**Status**: abandoned\n");
        let d = diags(&[
            dropped,
            (
                "docs/harness/exec-plans/active/001-live.md",
                "# EP-001: Live\n\n**Status**: active\n\nUnlike EP-006, this caches at the edge. EP-006 again.\n",
            ),
            (
                "docs/harness/exec-plans/active/002-new.md",
                "# EP-002: New\n\n**Status**: active\n\nThis supersedes EP-006. EP-006 tried Redis.\n",
            ),
            (
                "docs/harness/exec-plans/completed/003-old.md",
                "# EP-003: Old\n\n**Status**: completed\n\nEP-006 was dropped.\n",
            ),
            ("scripts/warm.sh", "# see docs/harness/exec-plans/completed/006-dropped.md\n"),
            ("docs/harness/notes.md", "# Notes\n\nEP-006\n"),
            (
                "docs/harness/TECH_DEBT_TRACKER.md",
                "| ID | Description | Status |\n|---|---|---|\n| TD-001 | Slow, see EP-006 | open |\n| TD-002 | Gone with EP-006 | resolved |\n",
            ),
        ]);
        let got: Vec<_> =
            d.iter().map(|d| (d.code, d.path.as_str(), d.span.map_or(0, |s| s.line), d.notes.clone())).collect();
        assert_eq!(
            got,
            [
                (Code::AbandonedReference, "docs/harness/TECH_DEBT_TRACKER.md", 3, vec![]),
                (
                    Code::AbandonedReference,
                    "docs/harness/exec-plans/active/001-live.md",
                    5,
                    vec!["1 more reference to it here".to_string()]
                ),
                (Code::AbandonedReference, "docs/harness/notes.md", 3, vec![]),
                (Code::AbandonedReference, "scripts/warm.sh", 1, vec![]),
            ]
        );
    }

    #[test]
    fn live_dependencies_on_abandoned_plans_warn() {
        let abandoned = "# EP-002: Two\n\n**Status**: abandoned\n";
        let (_, d) = check(&[
            (
                "docs/harness/exec-plans/active/001-one.md",
                "# EP-001: One\n\n**Status**: active\n\nDepends on EP-002. Opened after EP-002 was dropped.\n",
            ),
            ("docs/harness/exec-plans/completed/002-two.md", abandoned),
        ]);
        assert_eq!(d, [(Code::AbandonedReference, "docs/harness/exec-plans/active/001-one.md".into(), 5, 12)]);
        let (_, d) = check(&[
            ("docs/harness/exec-plans/active/001-one.md", P1),
            ("docs/harness/exec-plans/completed/002-two.md", abandoned),
        ]);
        assert!(d.is_empty());
    }
}
