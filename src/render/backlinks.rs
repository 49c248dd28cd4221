//! "Referenced by" panels and typed relations, from the reference graph.

use crate::link::{Graph, NodeId, SiteIndex};
use crate::model::Harness;
use serde::Serialize;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

/// A link to something that refers (or is referred to), with the relation the text states.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct RefLink {
    /// Root-relative URL.
    pub url: String,
    /// `EP-008`, `TD-004`, a domain or doc name.
    pub label: String,
    /// The title of what it is.
    pub title: String,
    /// `resolves`, `supersedes`... when the text says so.
    pub relation: Option<&'static str>,
    /// `active`, `completed`, `open`...: a CSS class.
    pub state: &'static str,
}

/// A reference from a repository file: where it is and what the line says.
#[derive(Serialize, Clone, Debug)]
pub struct CodeRef {
    /// File path relative to the root.
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// The file at that line on `repo_url`, when set.
    pub url: Option<String>,
    /// The line's text, trimmed.
    pub text: String,
}

/// Everything that refers to one plan or debt item, grouped by kind.
#[derive(Serialize, Clone, Debug, Default)]
pub struct Backlinks {
    /// Plans.
    pub plans: Vec<RefLink>,
    /// Debt items.
    pub debt: Vec<RefLink>,
    /// Quality domains.
    pub quality: Vec<RefLink>,
    /// Harness docs, AGENTS.md, PLANS.md.
    pub docs: Vec<RefLink>,
    /// Source files and other repository Markdown, by line.
    pub code: Vec<CodeRef>,
    /// How many in all.
    pub count: usize,
}

/// What a node is, as a link.
pub fn node_link(h: &Harness, idx: &SiteIndex, node: NodeId) -> Option<RefLink> {
    let link = |url: String, label: String, title: String, state: &'static str| RefLink {
        url,
        label,
        title,
        relation: None,
        state,
    };
    Some(match node {
        NodeId::Plan(i) => {
            let p = &h.plans[i];
            link(idx.plan_urls[i].clone(), p.label(), p.title.clone(), p.state().as_str())
        }
        NodeId::Debt(i) => {
            let item = &h.debt.as_ref()?.items[i];
            let label = item.id.map_or_else(|| item.anchor.clone(), |id| id.to_string());
            let state = item.status.kind.name();
            link(format!("{}#{}", crate::link::DEBT, item.anchor), label, item.title.clone(), state)
        }
        NodeId::Quality(i) => {
            let d = &h.quality.as_ref()?.domains[i];
            link(format!("{}#{}", crate::link::QUALITY, d.anchor), d.name.clone(), d.name.clone(), "other")
        }
        NodeId::Doc(i) => {
            let d = &h.docs[i];
            link(idx.doc_urls[i].clone(), d.title.clone(), d.path.clone(), "other")
        }
        NodeId::Tracker => link(crate::link::DEBT.to_string(), "Tech debt tracker".into(), String::new(), "other"),
        NodeId::QualityDoc => link(crate::link::QUALITY.to_string(), "Quality score".into(), String::new(), "other"),
        NodeId::File(_) => return None,
    })
}

/// Everything that refers to `node`.
pub fn referenced_by(h: &Harness, idx: &SiteIndex, graph: &Graph, node: NodeId, repo_url: Option<&str>) -> Backlinks {
    let mut b = Backlinks::default();
    // Entries already listed, so a node referenced thousands of times is listed in linear time.
    let mut code_seen: HashSet<(usize, u32)> = HashSet::new();
    let mut listed: HashMap<(u8, String), usize> = HashMap::new();
    for e in graph.refs_to(node) {
        if let NodeId::File(f) = e.from {
            let m = &h.mentions[f];
            if !code_seen.insert((f, e.span.line)) {
                continue;
            }
            // A file's references are sorted by position (parse sorts them).
            let k = m.refs.partition_point(|r| r.span < e.span);
            let text = m.refs.get(k).filter(|r| r.span == e.span).and_then(|_| m.lines.get(k)).cloned();
            let url = repo_url.map(|r| format!("{}/blob/HEAD/{}#L{}", r.trim_end_matches('/'), m.path, e.span.line));
            b.code.push(CodeRef { path: m.path.clone(), line: e.span.line, url, text: text.unwrap_or_default() });
            continue;
        }
        // A plan's own companion files are on its page already.
        if let (NodeId::Doc(d), NodeId::Plan(p)) = (e.from, node)
            && h.docs[d].owner.as_deref() == Some(h.plans[p].path.as_str())
        {
            continue;
        }
        let Some(mut link) = node_link(h, idx, e.from) else { continue };
        link.relation = e.relation.map(|r| r.label());
        let (list, kind) = match e.from {
            NodeId::Plan(_) => (&mut b.plans, 0),
            NodeId::Debt(_) => (&mut b.debt, 1),
            NodeId::Quality(_) => (&mut b.quality, 2),
            _ => (&mut b.docs, 3),
        };
        match listed.entry((kind, link.url.clone())) {
            // One entry per referrer; keep the relation when any mention states one.
            Entry::Occupied(i) => list[*i.get()].relation = list[*i.get()].relation.or(link.relation),
            Entry::Vacant(slot) => {
                slot.insert(list.len());
                list.push(link);
            }
        }
    }
    b.count = b.plans.len() + b.debt.len() + b.quality.len() + b.docs.len() + b.code.len();
    b
}

/// The relations `node` states about plans and debt items ("resolves TD-004"), one per target.
pub fn relations(h: &Harness, idx: &SiteIndex, graph: &Graph, node: NodeId) -> Vec<RefLink> {
    let mut out: Vec<RefLink> = Vec::new();
    let mut seen: HashSet<(String, &'static str)> = HashSet::new();
    for e in graph.refs_from(node) {
        let Some(relation) = e.relation else { continue };
        if !matches!(e.to, NodeId::Plan(_) | NodeId::Debt(_)) {
            continue;
        }
        let Some(mut link) = node_link(h, idx, e.to) else { continue };
        link.relation = Some(relation.label());
        if seen.insert((link.url.clone(), relation.label())) {
            out.push(link);
        }
    }
    out
}

/// Plans linked to a debt item in either direction, with the relation when stated.
pub fn plans_of_debt(h: &Harness, idx: &SiteIndex, graph: &Graph, item: usize) -> Vec<RefLink> {
    let node = NodeId::Debt(item);
    let mut out: Vec<RefLink> = Vec::new();
    let mut listed: HashMap<String, usize> = HashMap::new();
    let edges =
        graph.refs_from(node).map(|e| (e.to, e.relation)).chain(graph.refs_to(node).map(|e| (e.from, e.relation)));
    for (other, relation) in edges {
        if !matches!(other, NodeId::Plan(_)) {
            continue;
        }
        let Some(mut link) = node_link(h, idx, other) else { continue };
        link.relation = relation.map(|r| r.label());
        match listed.entry(link.url.clone()) {
            Entry::Occupied(i) => out[*i.get()].relation = out[*i.get()].relation.or(link.relation),
            Entry::Vacant(slot) => {
                slot.insert(out.len());
                out.push(link);
            }
        }
    }
    out.sort_by(|a, b| a.label.cmp(&b.label));
    out
}

/// At most `max` links, those with a stated relation first; and how many were left out.
pub fn capped(mut links: Vec<RefLink>, max: usize) -> (Vec<RefLink>, usize) {
    links.sort_by_key(|l| l.relation.is_none());
    let more = links.len().saturating_sub(max);
    links.truncate(max);
    links.sort_by(|a, b| a.label.cmp(&b.label));
    (links, more)
}
