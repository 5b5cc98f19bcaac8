//! `netvault validate`: every diagnostic in the vault (or in the given files), rendered like
//! rustc and ruff (`path:line:col`, the source line, a caret, `help:`), or as JSON.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use crate::cli::{ValidateArgs, ValidateFormat};

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::output::{Printer, emit, json, plural};
use crate::span::LineIndex;
use crate::validate::{check, tally};
use crate::vault::{self, Vault};
use crate::{Outcome, vault::relative};

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
        ValidateFormat::Human => render_human(&root, &diagnostics, files, errors, warnings, ctx.printer),
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

fn render_human(
    root: &Path,
    diagnostics: &[Diagnostic],
    files: usize,
    errors: usize,
    warnings: usize,
    printer: Printer,
) -> String {
    let renderer = if printer.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    // Each file is read and its line starts found once: a file with thousands of diagnostics
    // must not be scanned from the top for each of them.
    let mut sources: BTreeMap<&str, (String, LineIndex)> = BTreeMap::new();
    for d in diagnostics {
        let (source, lines) = sources.entry(d.path.as_str()).or_insert_with(|| {
            // A file too big to read as a contact is not read to show its line either.
            let text = crate::vault::read_limited(&root.join(&d.path))
                .ok()
                .flatten()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            let (bom, _) = crate::frontmatter::strip_bom(&text);
            let text = if bom {
                text['\u{feff}'.len_utf8()..].to_string()
            } else {
                text
            };
            let lines = LineIndex::new(&text);
            (text, lines)
        });
        out.push_str(&render_one(&renderer, d, lines.line_text(source, d.line)));
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

fn render_one(renderer: &Renderer, d: &Diagnostic, line: &str) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    // Character column → byte range on the line, underlining `length` characters.
    let start = line.char_indices().nth(d.column - 1).map_or(line.len(), |(i, _)| i);
    let end = line[start..]
        .char_indices()
        .nth(d.length)
        .map_or(line.len(), |(i, _)| start + i);
    let span = if start == end && !line.is_empty() {
        start.saturating_sub(1)..start
    } else {
        start..end
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
