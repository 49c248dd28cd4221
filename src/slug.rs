//! Anchors from headings and names, computed the way GitHub computes heading anchors (lower
//! case; letters, digits, `-` and `_` kept; spaces become `-`; everything else dropped), because
//! the Markdown planbook reads was written, and cross-linked, for GitHub.
//!
//! Parse uses it for quality-domain anchors, rewrite for heading ids, templates for section ids;
//! they must agree or links between pages break, so there is exactly one implementation.

/// `LLM System` → `llm-system`; `What didn't` → `what-didnt`; `PTY/Exec` → `ptyexec`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.extend(c.to_lowercase());
        } else if c == ' ' {
            out.push('-');
        }
    }
    if out.is_empty() { "section".to_string() } else { out }
}

/// Names already used (anchors of a page, URL segments), with the next suffix to try for each
/// repeated slug, so making thousands of equal headings unique takes linear time.
#[derive(Debug, Default)]
pub struct Taken {
    names: std::collections::HashSet<String>,
    next: std::collections::HashMap<String, u64>,
}

impl Taken {
    /// Records `name` as used; whether it was free.
    pub fn insert(&mut self, name: String) -> bool {
        self.names.insert(name)
    }
}

/// Makes `slug` unique among `taken` by appending `-2`, `-3`..., and records it.
pub fn unique(slug: String, taken: &mut Taken) -> String {
    if taken.names.insert(slug.clone()) {
        return slug;
    }
    // Suffixes below `next` were taken when last tried, and names are never released.
    let mut n = taken.next.get(&slug).copied().unwrap_or(2);
    loop {
        let candidate = format!("{slug}-{n}");
        n += 1;
        if taken.names.insert(candidate.clone()) {
            taken.next.insert(slug, n);
            return candidate;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("LLM System"), "llm-system");
        assert_eq!(slugify("  PTY/Exec  "), "ptyexec");
        assert_eq!(slugify("What didn't"), "what-didnt");
        assert_eq!(slugify("Steps & more"), "steps--more");
        assert_eq!(slugify("Résumé Ω"), "résumé-ω");
        assert_eq!(slugify("!!!"), "section");
        let mut taken = Default::default();
        assert_eq!(unique("a".into(), &mut taken), "a");
        assert_eq!(unique("a".into(), &mut taken), "a-2");
        taken.insert("b-2".into());
        assert_eq!(unique("b".into(), &mut taken), "b");
        assert_eq!(unique("b".into(), &mut taken), "b-3");
    }

    #[test]
    fn thousands_of_equal_names_take_linear_time() {
        let mut taken = Taken::default();
        let start = std::time::Instant::now();
        for _ in 0..20_000 {
            unique("notes".into(), &mut taken);
        }
        assert_eq!(unique("notes".into(), &mut taken), "notes-20001");
        assert!(start.elapsed() < std::time::Duration::from_secs(10), "{:?}", start.elapsed());
    }
}
