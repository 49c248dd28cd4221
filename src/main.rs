//! The `planbook` binary: parse argv, call the library, print, choose the exit code.

use clap::Parser;
use planbook::cli::{Cli, Command};
use planbook::config::ConfigError;
use planbook::diag::{ColorChoice, Format, RenderOptions};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// planbook could not run (I/O failure of ROOT, bad config, usage).
const EXIT_FATAL: u8 = 2;

fn main() -> ExitCode {
    no_transparent_huge_pages();
    planbook::panics::install_hook();
    let cli = Cli::parse();
    // A panic outside the parsers (which turn theirs into E026) was printed by the hook as one
    // line; exit as "could not run".
    let Ok(result) = std::panic::catch_unwind(|| run(&cli)) else { return ExitCode::from(EXIT_FATAL) };
    match result {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let color = use_color(cli.color, std::io::stderr().is_terminal());
            eprint!("{}", render_fatal(&e, color));
            ExitCode::from(EXIT_FATAL)
        }
    }
}

fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Check(args) => {
            let project = planbook::Project::open(&args.root)?;
            let checked = planbook::check(&project)?;
            if let Some(note) = checked.history_note.as_ref().filter(|_| !cli.quiet) {
                eprintln!("note: {note}");
            }
            if cli.verbose {
                let t = &checked.timings;
                eprintln!(
                    "harness `{}`: {} files; discover {:.1?}, parse {:.1?}, history {:.1?} (beside them), rules {:.1?}",
                    project.layout.harness_rel, t.files, t.discover, t.parse, t.history, t.rules
                );
            }
            let opts = RenderOptions {
                color: use_color(cli.color, std::io::stdout().is_terminal()),
                quiet: cli.quiet,
                path_prefix: project.shown_root.clone(),
            };
            let recognised =
                args.summary.then(|| planbook::summary::summarise(&checked.harness, &checked.graph, &checked.report));
            let out = match (args.format, recognised) {
                (Format::Human, None) => checked.report.render_human(&opts),
                (Format::Human, Some(s)) => {
                    checked.report.render_human(&opts) + &s.render_human(&project.layout.harness_rel)
                }
                (Format::Json, s) => checked.report.render_json_with(&opts, s.map(|s| serde_json::json!(s))),
            };
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(out.as_bytes())?;
            stdout.flush()?;
            Ok(if checked.report.failed(args.strict) { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Command::Init(args) => {
            let written = planbook::init::init(&args.root, args.github_pages, args.force)?;
            let mut stderr = std::io::stderr().lock();
            for f in &written.files {
                writeln!(stderr, "wrote {}", args.root.join(f).display())?;
            }
            if args.github_pages {
                writeln!(
                    stderr,
                    "next: commit them, then in the repository's Settings → Pages choose \"GitHub Actions\" as the source"
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Build(args) if args.watch => {
            let open = || planbook::Project::open_with_output(&args.root, args.out.as_deref());
            let shown_root = open()?.shown_root;
            let color = use_color(cli.color, std::io::stderr().is_terminal());
            let opts = planbook::watch::WatchOptions {
                base_url: args.base_url.clone(),
                serve: !args.no_serve,
                bind: args.bind,
                allow_hosts: args.allow_hosts.clone(),
                port: args.port,
                open: args.open,
                render: RenderOptions { color, quiet: cli.quiet, path_prefix: shown_root },
                quiet: cli.quiet,
                force: args.force,
            };
            planbook::watch::run(&open, &opts)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Build(args) => {
            let project = planbook::Project::open_with_output(&args.root, args.out.as_deref())?;
            let opts = planbook::BuildOptions {
                base_url: args.base_url.clone(),
                strict: args.strict,
                check_links: args.check_links,
                force: args.force,
            };
            let built = match planbook::build(&project, &opts) {
                Ok(built) => built,
                // The site could not be built (broken theme, unwritable output): exit 1, and
                // the previous site is still in place.
                Err(e) if !is_broken_pipe(&e) => {
                    eprint!("{}", render_fatal(&e, use_color(cli.color, std::io::stderr().is_terminal())));
                    return Ok(ExitCode::from(1));
                }
                Err(e) => return Err(e),
            };
            let report = &built.checked.report;
            let color = use_color(cli.color, std::io::stderr().is_terminal());
            let render = RenderOptions { color, quiet: cli.quiet, path_prefix: project.shown_root.clone() };
            let mut stderr = std::io::stderr().lock();
            if let Some(note) = built.checked.history_note.as_ref().filter(|_| !cli.quiet) {
                writeln!(stderr, "note: {note}")?;
            }
            stderr.write_all(report.render_human(&render).as_bytes())?;
            if cli.verbose {
                let c = &built.checked;
                let recognised = planbook::summary::summarise(&c.harness, &c.graph, &c.report);
                stderr.write_all(recognised.render_human(&project.layout.harness_rel).as_bytes())?;
                let t = &built.checked.timings;
                writeln!(
                    stderr,
                    "discover {:.1?}, parse {:.1?}, history {:.1?} (beside them), link {:.1?}, rules {:.1?}, search index {:.1?} ({} files), render+write {:.1?} (commit {:.1?})",
                    t.discover,
                    t.parse,
                    t.history,
                    t.link,
                    t.rules,
                    built.search,
                    built.search_files,
                    built.render,
                    built.write
                )?;
            }
            for b in &built.broken_links {
                writeln!(stderr, "broken link: {b}")?;
            }
            if !built.broken_links.is_empty() {
                writeln!(
                    stderr,
                    "{} broken link{}",
                    built.broken_links.len(),
                    if built.broken_links.len() == 1 { "" } else { "s" }
                )?;
            }
            if !built.written {
                let why =
                    if built.broken_links.is_empty() { "the harness has errors or warnings" } else { "broken links" };
                writeln!(stderr, "error: nothing written: --strict and {why}")?;
                return Ok(ExitCode::from(1));
            }
            if !cli.quiet {
                writeln!(stderr, "built {} pages into `{}`", built.pages, project.output.display())?;
            }
            let code = if built.broken_links.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) };
            // The model of a large harness is millions of small allocations; the process is about
            // to exit, so let the OS reclaim them instead of freeing them one by one.
            std::mem::forget(built);
            Ok(code)
        }
    }
}

fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

/// `error: ...` with one line per cause; a config error gets a rustc-style excerpt.
fn render_fatal(e: &anyhow::Error, color: bool) -> String {
    use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet, renderer::DecorStyle};
    let renderer = if color { Renderer::styled() } else { Renderer::plain() }.decor_style(DecorStyle::Ascii);
    if let Some(c) = e.downcast_ref::<ConfigError>() {
        let title = Level::ERROR.primary_title(c.message.as_str());
        let group = match (&c.source_line, c.line) {
            (Some(src), Some(line)) => {
                // The column counts characters (serde_yaml's); the span needs byte offsets on
                // character boundaries of this line.
                let start = match c.column {
                    Some(col) => src.char_indices().nth((col as usize).saturating_sub(1)).map_or(src.len(), |(i, _)| i),
                    None => 0,
                };
                let rest = src.get(start..).unwrap_or_default();
                let first = rest.chars().next().map_or(0, char::len_utf8);
                let end = start + rest.find(':').filter(|&i| i > 0).unwrap_or(first);
                title.element(
                    Snippet::source(src.as_str())
                        .line_start(line as usize)
                        .path(c.path.as_str())
                        .annotation(AnnotationKind::Primary.span(start..end)),
                )
            }
            _ => title.element(annotate_snippets::Origin::path(c.path.as_str())),
        };
        return format!("{}\n", renderer.render(&[group]));
    }
    let label = if color { "\x1b[1;31merror\x1b[0m" } else { "error" };
    let mut out = format!("{label}: {e}\n");
    for cause in e.chain().skip(1) {
        out.push_str(&format!("  caused by: {cause}\n"));
    }
    out
}

/// Parsing allocates many small strings; with glibc's allocator malloc/free took ~20% of `check`
/// on a 10,000-plan tree, and mimalloc cut total CPU time by about a fifth (measured 2026-11-25).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc asks for transparent huge pages; a build touches each 2 MiB page once and the kernel
/// zeroes it whole, which was 14% of a 10,000-plan build's CPU time. Without them the same
/// build used 0.6 s less system time and 55 MB less memory (486 MB vs 541 MB; measured
/// 2026-11-25, interleaved runs).
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE only sets a flag on this process's memory map.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
