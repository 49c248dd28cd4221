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

/// Makes `slug` unique among `taken` by appending `-2`, `-3`..., and records it.
pub fn unique(slug: String, taken: &mut std::collections::HashSet<String>) -> String {
    if taken.insert(slug.clone()) {
        return slug;
    }
    (2..).map(|n| format!("{slug}-{n}")).find(|s| taken.insert(s.clone())).expect("an unused suffix exists")
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
    }
}
