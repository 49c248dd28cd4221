//! Which headings of a tracker are debt items, whatever their level.
//!
//! A heading is an item when it names a `TD-` ID, or when it is struck through or its own text
//! has an item field (`Status`, `Priority`, `Severity`, `Impact`, `Resolved`) and it holds no
//! tracker table; unless a heading below it is such an item (then it is a section, `## Open`
//! above `### Slow CI`). A heading without those marks is an item too when it sits at the items'
//! level, beside items under the same section or under a Resolved section (`## Resolved` /
//! `### Old parser` with only prose). Headings below an item belong to it (`#### Notes`).
//! Headings about the tracker itself (`How to add an item`, `Priority levels`, `Legend`) are
//! never items. One pass over the parts, each looking only at its ancestors (at most six).

use super::{ITEM_MARKERS, about_tracker, item_field, key_value_rows, list_has_items, names_resolved, shape};
use crate::parse::fields::normalize_key;
use crate::parse::markdown::{Node, Part, lines_of, table};
use comrak::nodes::NodeValue;

/// What a heading is to the tracker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Role {
    /// A section: its tables and lists are read for items.
    Group,
    /// A debt item.
    Item,
    /// Part of the item at this index (a heading below it).
    Within(usize),
}

/// The role of every part of an outline.
pub(super) struct Roles {
    /// By part index.
    pub role: Vec<Role>,
    /// Whether a heading above the part names a resolved group.
    pub resolved_under: Vec<bool>,
    resolved_title: Vec<bool>,
    parent: Vec<Option<usize>>,
    within: Vec<Vec<usize>>,
}

impl Roles {
    /// Whether the part's own heading, or one above it, names a resolved group.
    pub fn resolved(&self, i: usize) -> bool {
        self.resolved_title.get(i).copied().unwrap_or(false) || self.resolved_under.get(i).copied().unwrap_or(false)
    }

    /// The parts that belong to item `i`, in document order.
    pub fn within(&self, i: usize) -> &[usize] {
        self.within.get(i).map_or(&[], Vec::as_slice)
    }

    /// The nearest section above part `i`.
    pub fn group(&self, i: usize) -> Option<usize> {
        let mut above = self.parent.get(i).copied().flatten();
        while let Some(j) = above {
            if self.role.get(j) == Some(&Role::Group) {
                return Some(j);
            }
            above = self.parent.get(j).copied().flatten();
        }
        None
    }
}

/// What a heading's own text says.
struct Marks {
    td: bool,
    struck: bool,
    /// An item field (`Status`, `Priority`...) in its own blocks.
    fields: bool,
    /// A tracker table (with IDs, or a Status / Priority column).
    holds_table: bool,
    /// A checkbox list or a list of `TD-` items.
    holds_list: bool,
    /// A heading about the tracker, not an item (`How to add an item`).
    about_tracker: bool,
    has_text: bool,
}

impl Marks {
    fn of(p: &Part<'_>, lines: &[&str]) -> Marks {
        let mut m = Marks {
            td: crate::model::ids::parse_prefixed(p.title.trim(), "TD").is_some(),
            struck: p
                .heading
                .children()
                .next()
                .is_some_and(|c| matches!(c.data.borrow().value, NodeValue::Strikethrough)),
            fields: false,
            holds_table: false,
            holds_list: false,
            about_tracker: about_tracker(&p.title),
            has_text: !p.blocks.is_empty(),
        };
        for &b in &p.blocks {
            let (is_table, is_list, is_text) = {
                let v = &b.data.borrow().value;
                (
                    matches!(v, NodeValue::Table(_)),
                    matches!(v, NodeValue::List(_)),
                    matches!(v, NodeValue::Paragraph | NodeValue::BlockQuote),
                )
            };
            if is_table {
                let t = table(b);
                m.fields |= t.as_ref().and_then(key_value_rows).is_some();
                m.holds_table |= t.as_ref().is_some_and(|t| shape(t).is_some() && key_value_rows(t).is_none());
            } else if is_list || is_text {
                m.holds_list |= is_list && list_has_items(b);
                m.fields |= has_marker(b, lines);
            }
        }
        m
    }
}

/// Whether a line of `block` is an item field that marks an item (`- Status: open`).
fn has_marker(block: Node<'_>, lines: &[&str]) -> bool {
    let (a, b) = lines_of(block);
    (a..=b).any(|n| {
        n.checked_sub(1)
            .and_then(|n| lines.get(n as usize))
            .and_then(|l| item_field(l))
            .is_some_and(|f| ITEM_MARKERS.contains(&normalize_key(&f.key).as_str()))
    })
}

/// The role of each part (`parts` in document order, as `Outline` gives them).
pub(super) fn roles(parts: &[Part<'_>], lines: &[&str]) -> Roles {
    let n = parts.len();
    // A part's parent comes before it, so one forward pass sees every ancestor first.
    let parent: Vec<Option<usize>> = parts.iter().map(|p| p.parent.filter(|&q| q < n)).collect();
    let level = |i: usize| usize::from(parts[i].level).min(6);
    let resolved_title: Vec<bool> = parts.iter().map(|p| names_resolved(&p.title)).collect();
    let mut resolved_under = vec![false; n];
    for i in 0..n {
        if let Some(p) = parent[i] {
            resolved_under[i] = resolved_title[p] || resolved_under[p];
        }
    }
    let marks: Vec<Marks> = parts.iter().map(|p| Marks::of(p, lines)).collect();
    let strong: Vec<bool> =
        marks.iter().map(|m| m.td || (!m.about_tracker && !m.holds_table && (m.fields || m.struck))).collect();
    // Sections holding an item below them. Marking stops at a part already marked: its
    // ancestors were marked with it, so this is linear.
    let mut holds_item = vec![false; n];
    for i in (0..n).filter(|&i| strong[i]) {
        let mut above = parent[i];
        while let Some(p) = above {
            if holds_item[p] {
                break;
            }
            holds_item[p] = true;
            above = parent[p];
        }
    }
    let item: Vec<bool> = (0..n).map(|i| strong[i] && (marks[i].td || !holds_item[i])).collect();
    let mut item_levels = [false; 7];
    let mut child_levels = vec![[false; 7]; n];
    for i in (0..n).filter(|&i| item[i]) {
        item_levels[level(i)] = true;
        if let Some(p) = parent[i] {
            child_levels[p][level(i)] = true;
        }
    }
    let mut role = vec![Role::Group; n];
    let mut within: Vec<Vec<usize>> = vec![Vec::new(); n];
    for i in 0..n {
        let m = &marks[i];
        let owner = parent[i].and_then(|p| match role[p] {
            Role::Item => Some(p),
            Role::Within(o) => Some(o),
            Role::Group => None,
        });
        let beside_items =
            parent[i].is_some_and(|p| child_levels[p][level(i)]) || (resolved_under[i] && item_levels[level(i)]);
        role[i] = if item[i] {
            Role::Item
        } else if let Some(o) = owner.filter(|_| !m.holds_table) {
            within[o].push(i);
            Role::Within(o)
        } else if beside_items
            && owner.is_none()
            && !holds_item[i]
            && !m.holds_table
            && !m.holds_list
            && !m.about_tracker
            && m.has_text
        {
            Role::Item
        } else {
            Role::Group
        };
    }
    Roles { role, resolved_under, resolved_title, parent, within }
}
