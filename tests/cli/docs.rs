//! The docs stay true to the code: ARCHITECTURE.md's code map names every module (and no module
//! that is gone), every item and file it names exists, the stage order it states holds for every
//! import, and the README's rules table lists every diagnostic code with its summary.

use std::path::Path;

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).expect("doc exists")
}

/// Top-level modules: `src/x.rs` and `src/x/` (without lib.rs and main.rs).
fn modules() -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out: Vec<String> = std::fs::read_dir(src)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            let name = p.file_stem()?.to_str()?.to_string();
            (p.is_dir() || p.extension().is_some_and(|e| e == "rs")).then_some(name)
        })
        .filter(|n| n != "lib" && n != "main")
        .collect();
    out.sort();
    out
}

#[test]
fn architecture_code_map_matches_src() {
    let arch = read("ARCHITECTURE.md");
    let headings: Vec<String> =
        arch.lines().filter_map(|l| l.strip_prefix("### `")?.strip_suffix('`').map(str::to_string)).collect();
    for m in modules() {
        assert!(headings.contains(&m), "ARCHITECTURE.md's code map lacks module `{m}`");
    }
    for h in &headings {
        assert!(modules().contains(h), "ARCHITECTURE.md names module `{h}`, which no longer exists");
    }
}

#[test]
fn readme_lists_every_rule() {
    let readme = read("README.md");
    for &code in planbook::diag::Code::ALL {
        let row = format!("| {} | {} |", code.id(), code.summary());
        assert!(readme.contains(&row), "README's rules table lacks or misstates:\n{row}");
    }
}

/// The stages in order, earliest first; a module may use modules of its own layer or earlier
/// ones, never later ones. `lib.rs` (the pipeline) and `main.rs` sit on top.
const LAYERS: &[&[&str]] = &[
    &["model", "slug", "panics", "paths", "escape", "href", "marks", "yaml"],
    &["diag"],
    &["config", "cli"],
    &["discover"],
    &["highlight", "parse"],
    &["rules", "link", "history"],
    &["analysis", "summary"],
    &["search", "render"],
    &["rewrite"],
    &["write"],
    &["site", "linkcheck", "init"],
    &["session", "serve"],
    &["watch"],
];

/// `render/`'s own files in order: no cycles inside the template layer either.
const RENDER: &[&str] =
    &["pager", "summary", "backlinks", "timeline", "charts", "graph", "archive", "feed", "context", "theme"];

/// The `crate::x` (or, with `prefix`, `crate::render::x` and `super::x`) names a file's code
/// mentions, comments left out; `use crate::{a, b::c}` groups included.
fn mentioned(text: &str, prefixes: &[&str]) -> std::collections::BTreeSet<String> {
    let code: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).map(|l| format!("{l}\n")).collect();
    let mut out = std::collections::BTreeSet::new();
    for prefix in prefixes {
        let mut rest = code.as_str();
        while let Some(at) = rest.find(prefix) {
            rest = &rest[at + prefix.len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // Names at the top level of the braces.
                let (mut depth, mut name, mut first) = (0, String::new(), true);
                for c in group.chars() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            if !name.is_empty() {
                                out.insert(std::mem::take(&mut name));
                            }
                            first = true;
                            continue;
                        }
                        _ => {}
                    }
                    if depth == 0 && first {
                        if c.is_ascii_lowercase() || c == '_' {
                            name.push(c);
                        } else if !name.is_empty() || !c.is_whitespace() {
                            if !name.is_empty() {
                                out.insert(std::mem::take(&mut name));
                            }
                            first = false;
                        }
                    }
                }
                if !name.is_empty() {
                    out.insert(name);
                }
            } else {
                let name: String = rest.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        }
    }
    out
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
    out
}

#[test]
fn no_stage_imports_a_later_one() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let layer_of = |m: &str| LAYERS.iter().position(|l| l.contains(&m));
    let mut wrong = Vec::new();
    for m in modules() {
        let Some(mine) = layer_of(&m) else { panic!("module `{m}` is in no layer of this test") };
        let files = if src.join(&m).is_dir() { rust_files(&src.join(&m)) } else { Vec::new() };
        for file in files.iter().cloned().chain(std::iter::once(src.join(format!("{m}.rs")))).filter(|f| f.exists()) {
            let text = std::fs::read_to_string(&file).unwrap();
            for used in mentioned(&text, &["crate::"]) {
                if let Some(theirs) = layer_of(&used)
                    && theirs > mine
                {
                    wrong.push(format!("{} uses `{used}` (a later stage)", file.strip_prefix(&src).unwrap().display()));
                }
            }
        }
    }
    // Inside render/: files use only files before them (mod.rs, the root, may use all).
    for (i, m) in RENDER.iter().enumerate() {
        let text = std::fs::read_to_string(src.join(format!("render/{m}.rs"))).unwrap();
        for used in mentioned(&text, &["crate::render::", "super::"]) {
            if let Some(j) = RENDER.iter().position(|r| *r == used)
                && j > i
            {
                wrong.push(format!("render/{m}.rs uses `{used}` (later in render/)"));
            }
        }
    }
    let listed: Vec<&str> = RENDER.to_vec();
    for e in std::fs::read_dir(src.join("render")).unwrap() {
        let name = e.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned();
        assert!(name == "mod" || listed.contains(&name.as_str()), "render/{name}.rs is in no place of RENDER");
    }
    assert!(wrong.is_empty(), "imports against the layering (ARCHITECTURE.md):\n{}", wrong.join("\n"));
}

/// Whether `name` is defined (fn, struct, enum, const, static, type, trait, mod) in `text`.
fn defines(text: &str, name: &str) -> bool {
    ["fn ", "struct ", "enum ", "const ", "static ", "type ", "trait ", "mod "].iter().any(|kw| {
        text.match_indices(&format!("{kw}{name}")).any(|(at, m)| {
            let next = text[at + m.len()..].chars().next();
            next.is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
        })
    })
}

#[test]
fn every_item_and_path_the_map_names_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let arch = read("ARCHITECTURE.md");
    let src = root.join("src");
    let all_files: Vec<(std::path::PathBuf, String)> =
        rust_files(&src).into_iter().map(|p| (p.clone(), std::fs::read_to_string(&p).unwrap())).collect();
    let mut missing = Vec::new();
    let spans: Vec<&str> = arch.split('`').skip(1).step_by(2).collect();
    for span in spans {
        if span.contains(' ') || span.is_empty() {
            continue;
        }
        // A file or folder of the repository.
        if ["src/", "tests/", "themes/", "examples/", "fuzz/"].iter().any(|p| span.starts_with(p)) {
            if !root.join(span.trim_end_matches('/')).exists() {
                missing.push(format!("path `{span}`"));
            }
            continue;
        }
        // `module::item`, `module::sub::item`, `Type::method`, `planbook::item`.
        let external = ["anyhow::", "std::", "serde::", "comrak::", "tera::"].iter().any(|c| span.starts_with(c));
        if external || !span.contains("::") || !span.chars().all(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let parts: Vec<&str> = span.trim_start_matches("planbook::").split("::").collect();
        let (item, path) = parts.split_last().unwrap();
        // The files the module path leads to: src/a.rs, src/a/**, src/a/b.rs...
        let modules: Vec<&&str> =
            path.iter().take_while(|p| p.chars().next().is_some_and(|c| c.is_lowercase())).collect();
        let dir = modules.iter().fold(src.clone(), |d, m| d.join(m));
        let candidates: Vec<&(std::path::PathBuf, String)> = all_files
            .iter()
            .filter(|(p, _)| modules.is_empty() || p.starts_with(&dir) || *p == dir.with_extension("rs"))
            .collect();
        let types = &path[modules.len()..];
        let found = !candidates.is_empty()
            && types.iter().all(|t| candidates.iter().any(|(_, text)| defines(text, t)))
            && candidates.iter().any(|(_, text)| defines(text, item));
        // `lib.rs` items (`planbook::check`) and modules named as items (`parse::html`).
        let found = found
            || (modules.is_empty() && types.is_empty() && defines(&read("src/lib.rs"), item))
            || (types.is_empty() && dir.join(format!("{item}.rs")).exists());
        if !found {
            missing.push(format!("item `{span}`"));
        }
    }
    assert!(missing.is_empty(), "ARCHITECTURE.md names what does not exist:\n{}", missing.join("\n"));
}
