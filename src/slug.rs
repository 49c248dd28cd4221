//! Anchors from headings and names: lower-case ASCII letters, digits and `-`.
//!
//! Parse uses it for debt-item and quality-domain anchors, render for heading ids; both must agree
//! or links between pages break, so there is exactly one implementation.

/// `LLM System` → `llm-system`; `What didn't` → `what-didn-t`; non-ASCII letters are kept.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
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
        assert_eq!(slugify("  PTY/Exec  "), "pty-exec");
        assert_eq!(slugify("Résumé Ω"), "résumé-ω");
        assert_eq!(slugify("!!!"), "section");
        let mut taken = Default::default();
        assert_eq!(unique("a".into(), &mut taken), "a");
        assert_eq!(unique("a".into(), &mut taken), "a-2");
    }
}
