//! The relation graph page: plans and debt items as an SVG drawn at build time, and the same
//! relations as a table.
//!
//! Layout is deterministic and needs no JavaScript: four columns (active plans, completed plans,
//! abandoned and other plans, debt items), each sorted by number; edges are curves from the node
//! that refers to the node referred to. Only nodes with a plan/debt relation are drawn, and at
//! most `MAX_NODES` of them so the page stays usable; the table lists every relation.

use crate::link::{Graph, NodeId, SiteIndex};
use crate::model::{Harness, StatusKind};
use crate::render::backlinks::{RefLink, node_link};
use crate::render::escape;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// Most nodes drawn.
pub const MAX_NODES: usize = 400;

const COL_WIDTH: u32 = 250;
const NODE_WIDTH: u32 = 150;
const NODE_HEIGHT: u32 = 26;
const ROW: u32 = 36;
const TOP: u32 = 56;

/// One relation, for the table.
#[derive(Serialize, Debug)]
pub struct EdgeRow {
    /// Who refers.
    pub from: RefLink,
    /// The relation, or `mentions`.
    pub relation: &'static str,
    /// What is referred to.
    pub to: RefLink,
    /// The file it is written in.
    pub at: String,
}

/// The graph page's data.
#[derive(Serialize, Debug)]
pub struct GraphPage {
    /// The SVG (trusted markup built here).
    pub svg: String,
    /// Nodes drawn.
    pub shown: usize,
    /// Nodes with a relation.
    pub total: usize,
    /// The relations between the nodes drawn.
    pub edges: Vec<EdgeRow>,
    /// Relations between plans and debt items in all.
    pub total_edges: usize,
}

fn column(h: &Harness, node: NodeId) -> usize {
    match node {
        NodeId::Plan(i) => match h.plans[i].state() {
            StatusKind::Active => 0,
            StatusKind::Completed => 1,
            _ => 2,
        },
        _ => 3,
    }
}

/// Builds the page data.
pub fn graph_page(h: &Harness, idx: &SiteIndex, graph: &Graph) -> GraphPage {
    let relevant = |n: NodeId| matches!(n, NodeId::Plan(_) | NodeId::Debt(_));
    // One edge per (from, to) pair, keeping a stated relation over a plain mention.
    let mut pairs: BTreeMap<(NodeId, NodeId), (&'static str, String)> = BTreeMap::new();
    for e in graph.edges.iter().filter(|e| relevant(e.from) && relevant(e.to)) {
        let label = e.relation.map_or("mentions", |r| r.label());
        // The file, not the line: a listing that moved with every edit above a reference would
        // be re-rendered by watch mode on every keystroke.
        let at = e.path.clone();
        pairs
            .entry((e.from, e.to))
            .and_modify(|v| {
                if v.0 == "mentions" {
                    *v = (label, at.clone())
                }
            })
            .or_insert((label, at));
    }
    let nodes: BTreeSet<NodeId> = pairs.keys().flat_map(|&(a, b)| [a, b]).collect();
    let total = nodes.len();
    let mut columns: [Vec<NodeId>; 4] = Default::default();
    for &n in &nodes {
        columns[column(h, n)].push(n);
    }
    // Keep the first nodes of each column in proportion when there are too many.
    if total > MAX_NODES {
        for c in columns.iter_mut() {
            let keep = (c.len() * MAX_NODES).div_ceil(total);
            c.truncate(keep);
        }
    }
    let root = crate::link::root_prefix(crate::link::GRAPH);
    let mut pos: BTreeMap<NodeId, (u32, u32)> = BTreeMap::new();
    for (ci, c) in columns.iter().enumerate() {
        for (ri, &n) in c.iter().enumerate() {
            pos.insert(n, (20 + ci as u32 * COL_WIDTH, TOP + ri as u32 * ROW));
        }
    }
    let shown = pos.len();
    let rows = columns.iter().map(Vec::len).max().unwrap_or(0) as u32;
    let width = 20 + 3 * COL_WIDTH + NODE_WIDTH + 20;
    let height = TOP + rows.max(1) * ROW + 10;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="graph" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-labelledby="graph-svg-title"><title id="graph-svg-title">Relations between {shown} plans and debt items (the table below lists them)</title>"#
    );
    svg.push_str(r#"<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" class="arrow"/></marker></defs>"#);
    for (i, title) in ["Active plans", "Completed plans", "Abandoned and other plans", "Debt items"].iter().enumerate()
    {
        let _ = write!(svg, r#"<text class="col-title" x="{}" y="28">{title}</text>"#, 20 + i as u32 * COL_WIDTH);
    }
    for (&(a, b), (label, _)) in &pairs {
        let (Some(&(ax, ay)), Some(&(bx, by))) = (pos.get(&a), pos.get(&b)) else { continue };
        let (ay, by) = (ay + NODE_HEIGHT / 2, by + NODE_HEIGHT / 2);
        let path = if ax == bx {
            // Same column: a loop out to the right.
            let x = ax + NODE_WIDTH;
            let bulge = x + 30 + (ay.abs_diff(by) / 8).min(60);
            format!("M {x} {ay} C {bulge} {ay}, {bulge} {by}, {x} {by}")
        } else {
            let (x1, x2) = if ax < bx { (ax + NODE_WIDTH, bx) } else { (ax, bx + NODE_WIDTH) };
            let mid = (x1 + x2) / 2;
            format!("M {x1} {ay} C {mid} {ay}, {mid} {by}, {x2} {by}")
        };
        let class = if *label == "mentions" { "edge" } else { "edge typed" };
        let _ = write!(
            svg,
            r#"<path class="{class}" d="{path}" marker-end="url(#arrow)"><title>{}</title></path>"#,
            escape(label)
        );
    }
    for (&n, &(x, y)) in &pos {
        let Some(link) = node_link(h, idx, n) else { continue };
        let label: String = link.label.chars().take(18).collect();
        let _ = write!(
            svg,
            r#"<a href="{root}{}" class="node state-{}"><title>{} {}</title><rect x="{x}" y="{y}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="6"/><text x="{}" y="{}">{}</text></a>"#,
            escape(&link.url),
            link.state,
            escape(&link.label),
            escape(&link.title),
            x + 10,
            y + 17,
            escape(&label)
        );
    }
    svg.push_str("</svg>");
    // The table lists the relations of the nodes drawn: at 10,000 plans every relation would be a
    // page of tens of megabytes, and each plan page lists its own relations anyway.
    let edges = pairs
        .iter()
        .filter(|((a, b), _)| pos.contains_key(a) && pos.contains_key(b))
        .filter_map(|(&(a, b), (label, at))| {
            Some(EdgeRow { from: node_link(h, idx, a)?, relation: label, to: node_link(h, idx, b)?, at: at.clone() })
        })
        .collect();
    GraphPage { svg, shown, total, edges, total_edges: pairs.len() }
}
