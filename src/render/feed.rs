//! The Atom feed (`feed.xml`): new decisions and completed plans, newest first, with ids that do
//! not change between builds, so a team can follow its decisions in a feed reader.
//!
//! Atom needs absolute links; with `base_url` the feed uses it, without it links are relative to
//! the feed (readers resolve them against the feed's own URL). Entry ids are tag URIs built from
//! what identifies the entry (plan stem, date, position that day), never from the build time.

use crate::link::SiteIndex;
use crate::model::{Harness, StatusKind};
use crate::render::escape;
use crate::render::summary::first_words;
use jiff::civil::Date;
use std::fmt::Write as _;

/// Entries in the feed.
pub const ENTRIES: usize = 100;

/// `2026-03-12` → `2026-03-12T00:00:00Z` (RFC 3339).
fn rfc3339(d: Date) -> String {
    format!("{d}T00:00:00Z")
}

struct Entry {
    date: Date,
    id: String,
    title: String,
    link: String,
    summary: String,
    author: String,
}

/// The feed document. `site_slug` names the site in entry ids.
pub fn atom(h: &Harness, idx: &SiteIndex, title: &str, base_url: Option<&str>) -> String {
    let site_slug = crate::slug::slugify(title);
    let base = base_url.map(|b| format!("{}/", b.trim_end_matches('/'))).unwrap_or_default();
    let mut entries: Vec<Entry> = Vec::new();
    for (i, p) in h.plans.iter().enumerate() {
        let author = p.author.clone().unwrap_or_else(|| "unknown".to_string());
        let mut per_day: std::collections::HashMap<Date, usize> = std::collections::HashMap::new();
        for (k, d) in p.decisions.iter().enumerate() {
            let Some(date) = d.when() else { continue };
            let n = per_day.entry(date).or_default();
            *n += 1;
            entries.push(Entry {
                date,
                id: format!("tag:planbook,2026:{site_slug}/{}/decision/{date}/{n}", p.stem),
                title: format!("{}: {}", p.label(), first_words(&d.text, 16)),
                link: format!("{base}{}#decision-{}", idx.plan_urls[i], k + 1),
                summary: format!("Decision in {} {}: {}", p.label(), p.title, d.text),
                author: author.clone(),
            });
        }
        if p.state() == StatusKind::Completed
            && let Some(date) = p.completed_date()
        {
            entries.push(Entry {
                date,
                id: format!("tag:planbook,2026:{site_slug}/{}/completed", p.stem),
                title: format!("Completed: {} {}", p.label(), p.title),
                link: format!("{base}{}", idx.plan_urls[i]),
                summary: format!(
                    "{} {} was completed on {date}. Goal: {}",
                    p.label(),
                    p.title,
                    p.goal.as_deref().unwrap_or("—")
                ),
                author,
            });
        }
    }
    entries.sort_by(|a, b| b.date.cmp(&a.date).then(a.id.cmp(&b.id)));
    entries.truncate(ENTRIES);
    let updated = entries.first().map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |e| rfc3339(e.date));
    let mut x =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = writeln!(x, "  <id>tag:planbook,2026:{site_slug}/feed</id>");
    let _ = writeln!(x, "  <title>{} — decisions and completed plans</title>", escape(title));
    let _ = writeln!(x, "  <updated>{updated}</updated>");
    let _ = writeln!(x, "  <author><name>{}</name></author>", escape(title));
    let base_attr = escape(&base);
    let _ = writeln!(x, "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{base_attr}feed.xml\"/>");
    let _ = writeln!(x, "  <link rel=\"alternate\" type=\"text/html\" href=\"{base_attr}index.html\"/>");
    let _ = writeln!(x, "  <generator uri=\"https://github.com/planbook/planbook\">planbook</generator>");
    for e in &entries {
        let _ = write!(
            x,
            "  <entry>\n    <id>{}</id>\n    <title>{}</title>\n    <updated>{}</updated>\n    <published>{}</published>\n    <author><name>{}</name></author>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <summary type=\"text\">{}</summary>\n  </entry>\n",
            escape(&e.id),
            escape(&e.title),
            rfc3339(e.date),
            rfc3339(e.date),
            escape(&e.author),
            escape(&e.link),
            escape(&e.summary)
        );
    }
    x.push_str("</feed>\n");
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::{Source, SourceKind};

    #[test]
    fn control_characters_in_titles_and_decisions_leave_the_feed_well_formed() {
        let text = "# EP-001: Bad \u{1} title \0 x \u{FFFF}\n\n**Status**: completed\n**Created**: 2026-01-01\n**Completed**: 2026-02-01\n\n## Goal\n\nG \u{1b}[31m.\n\n## Decision Log\n\n- 2026-01-05: chose \u{1}\u{2} \u{FFFE} <b>&</b>\n";
        let folder = "completed".to_string();
        let sources =
            [Source { path: "p/completed/001-a.md".into(), kind: SourceKind::Plan { folder }, text: text.into() }];
        let (h, _) = crate::parse::parse(&sources, ".", None);
        let idx = crate::link::index(&h);
        let xml = atom(&h, &idx, "Site \u{0}", Some("https://e.example/\"x\u{1}"));
        let mut reader = quick_xml::Reader::from_str(&xml);
        let mut texts = String::new();
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(quick_xml::events::Event::Text(t)) => texts.push_str(&t),
                Ok(_) => {}
                Err(e) => panic!("not XML: {e}\n{xml}"),
            }
        }
        let invalid = |c: char| (c < ' ' && !"\t\n\r".contains(c)) || c == '\u{FFFE}' || c == '\u{FFFF}';
        assert!(!xml.chars().any(invalid), "{xml}");
        assert!(texts.contains("Bad \u{FFFD} title \u{FFFD} x \u{FFFD}"), "{texts}");
        assert!(xml.contains("<title>EP-001: chose \u{FFFD}\u{FFFD} \u{FFFD} &amp;</title>"), "{xml}");
    }
}
