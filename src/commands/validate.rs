//! `netvault validate`: every diagnostic in the vault (or in the given files), rendered like
//! rustc and ruff (`path:line:col`, the source line, a caret, `help:`), or as JSON.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use crate::cli::{ValidateArgs, ValidateFormat};

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::error::Outcome;
use crate::error::{Error, Result};
use crate::output::{Printer, emit, json, plural};
use crate::span::Source;
use crate::validate::{check, tally};
use crate::vault::relative;
use crate::vault::{self, Vault};

use super::Context;

#[derive(Serialize)]
struct Report<'a> {
    files: usize,
    errors: usize,
    warnings: usize,
    diagnostics: &'a [Diagnostic],
}

pub fn run(ctx: &Context, args: &ValidateArgs) -> Result<Outcome> {
    if let Some(code) = &args.explain {
        return explain(code);
    }
    let found = ctx.vault()?;
    let root = found.root.clone();
    let mut vault = Vault::read_showing(
        &root,
        found.config.clone(),
        ctx.progress && args.format == ValidateFormat::Human,
    )?;
    let mut diagnostics;
    let files;
    if args.paths.is_empty() {
        diagnostics = check(&vault.files, &vault.problems, &vault.config, ctx.today);
        files = vault.files.len();
    } else {
        let wanted = explicit_paths(ctx, &root, &args.paths, &mut vault)?;
        diagnostics = check(&vault.files, &vault.problems, &vault.config, ctx.today);
        diagnostics.retain(|d| wanted.contains(&d.path));
        files = wanted.len();
    }
    let (errors, warnings) = tally(&diagnostics);
    let failed = errors > 0 || (args.strict && warnings > 0);
    let text = match args.format {
        ValidateFormat::Json => json(&Report {
            files,
            errors,
            warnings,
            diagnostics: &diagnostics,
        }),
        ValidateFormat::Human => {
            // Each file was read once, by the walk; its diagnostics are drawn from that text.
            let sources: HashMap<&str, &Source> = vault.files.iter().map(|p| (p.path.as_str(), &p.source)).collect();
            render_human(&sources, &diagnostics, (files, errors, warnings), ctx.printer)
        }
    };
    emit(&text).map_err(|e| Error::io("stdout", e))?;
    Ok(if failed { Outcome::Problems } else { Outcome::Success })
}

/// Resolve the PATH arguments to vault-relative paths, parsing any the walk left out (an
/// explicitly named file is checked even if the config excludes it).
fn explicit_paths(
    ctx: &Context,
    root: &Path,
    paths: &[std::path::PathBuf],
    vault: &mut Vault,
) -> Result<BTreeSet<String>> {
    let mut wanted = BTreeSet::new();
    let canonical_root = root.canonicalize().map_err(|e| Error::io(root, e))?;
    for path in paths {
        let abs = if path.is_absolute() {
            path.clone()
        } else {
            ctx.cwd.join(path)
        };
        let abs = abs.canonicalize().map_err(|e| Error::io(path, e))?;
        let rel = relative(&canonical_root, &abs)
            .ok_or_else(|| Error::Usage(format!("{} is not inside the vault {}", path.display(), root.display())))?;
        if !vault.files.iter().any(|p| p.path == rel) {
            let entry = vault::FileEntry {
                rel: rel.clone(),
                abs,
                size: 0,
                mtime_ns: 0,
            };
            vault.files.push(vault::read_one(&entry, &vault.config));
        }
        wanted.insert(rel);
    }
    Ok(wanted)
}

fn explain(code: &str) -> Result<Outcome> {
    let Some(code) = Code::from_name(code) else {
        let known = Code::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ");
        return Err(Error::Usage(format!("unknown code {code:?}; the codes are: {known}")));
    };
    let severity = match code.severity() {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    emit(&format!("{} ({severity})\n\n{}\n", code.as_str(), code.explanation())).map_err(|e| Error::io("stdout", e))?;
    Ok(Outcome::Success)
}

/// The diagnostics, each drawn from the text its file was parsed from (`sources`, by path; a
/// file without one, such as an unreadable folder, shows an empty line), then the summary.
fn render_human(
    sources: &HashMap<&str, &Source>,
    diagnostics: &[Diagnostic],
    (files, errors, warnings): (usize, usize, usize),
    printer: Printer,
) -> String {
    let renderer = if printer.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    let nothing = Source::default();
    for d in diagnostics {
        let source = sources.get(d.path.as_str()).copied().unwrap_or(&nothing);
        out.push_str(&render_one(&renderer, d, source));
        out.push('\n');
    }
    if !printer.quiet || errors + warnings > 0 {
        let summary = format!(
            "checked {}: {}, {}",
            plural(files, "file"),
            plural(errors, "error"),
            plural(warnings, "warning")
        );
        let style = if errors > 0 {
            crate::output::RED
        } else if warnings > 0 {
            crate::output::YELLOW
        } else {
            crate::output::GREEN
        };
        out.push_str(&printer.paint(style, &summary));
        out.push('\n');
    }
    out
}

/// One diagnostic as rustc and ruff show it, its line taken from `source`, the text the
/// diagnostic was made from (its range points into it).
fn render_one(renderer: &Renderer, d: &Diagnostic, source: &Source) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let on_line = source.lines().line_range(source.text(), d.line);
    let line = &source.text()[on_line.clone()];
    let span = match &d.range {
        // The range's bytes on its first line.
        Some(range) if on_line.contains(&range.start) || range.start == on_line.end => {
            range.start - on_line.start..range.end.min(on_line.end) - on_line.start
        }
        // No range: one character at the column.
        _ => {
            let start = line.char_indices().nth(d.column - 1).map_or(line.len(), |(i, _)| i);
            let end = line[start..].chars().next().map_or(start, |c| start + c.len_utf8());
            start..end
        }
    };
    // An empty span (the end of a line) underlines the character before it.
    let span = if span.is_empty() && !line.is_empty() {
        line[..span.start].char_indices().last().map_or(0, |(i, _)| i)..span.start
    } else {
        span
    };
    let report = &[
        level.primary_title(&d.message).id(d.code.as_str()).element(
            Snippet::source(line)
                .line_start(d.line)
                .path(&d.path)
                .annotation(AnnotationKind::Primary.span(span)),
        ),
        Group::with_title(Level::HELP.secondary_title(&d.hint)),
    ];
    let mut text = renderer.render(report);
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::contact::parse_file;

    fn plain(d: &Diagnostic, source: &Source) -> String {
        render_one(&Renderer::plain(), d, source)
    }

    /// The renderer draws from the text the diagnostic was made from: the file saved again
    /// since (two lines added above the bad date) is not what it shows.
    #[test]
    fn renders_the_version_that_was_parsed() {
        let parsed = parse_file(
            "Ann.md",
            "---\nname: Ann 😀\nmet: 2026-13-01\n---\n".as_bytes(),
            &BTreeMap::new(),
        );
        let saved_since = parse_file(
            "Ann.md",
            "---\nname: Ann 😀\nemails: [ann@example.org]\ntitle: CTO\nmet: 2026-13-01\n---\n".as_bytes(),
            &BTreeMap::new(),
        );
        let [d] = parsed.diagnostics.as_slice() else {
            panic!("{:?}", parsed.diagnostics)
        };
        assert_eq!(d.range, Some(24..34));
        let shown = plain(d, &parsed.source);
        assert!(
            shown.contains(" --> Ann.md:3:6\n  |\n3 | met: 2026-13-01\n  |      ^^^^^^^^^^\n"),
            "{shown}"
        );
        assert_ne!(saved_since.source, parsed.source);
        assert_eq!(saved_since.diagnostics[0].line, 5);
    }

    #[test]
    fn an_empty_range_at_a_line_end_underlines_its_last_character() {
        let source = Source::new("---\nname: José\n");
        let mut d = Diagnostic::spanning(Code::YamlSyntax, &source, (2, 11), 1, "m", "h");
        d.path = "a.md".into();
        assert_eq!(d.range, Some(15..15));
        let shown = plain(&d, &source);
        assert!(shown.contains("2 | name: José\n  |          ^\n"), "{shown}");
    }

    #[test]
    fn a_diagnostic_without_a_range_or_a_source_still_renders() {
        let mut d = Diagnostic::new(Code::Unreadable, 1, 1, "cannot read this file", "check it");
        d.path = "gone.md".into();
        let shown = plain(&d, &Source::default());
        assert!(shown.contains(" --> gone.md:1:1"), "{shown}");
        let shown = plain(&d, &Source::new("name: x\n"));
        assert!(shown.contains("1 | name: x\n  | ^\n"), "{shown}");
    }
}
