//! A problem found in the user's notes: code, severity, position, message and hint.
//!
//! Problems in notes are data, not errors: parsing collects them and carries on. Each code
//! documents what it checks and why (`netvault validate --explain CODE` prints that text).

use std::ops::Range;

use serde::Serialize;

use crate::span::Source;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

macro_rules! codes {
    ($( $variant:ident = $name:literal, $severity:ident, $doc:literal; )*) => {
        /// Every diagnostic code netvault emits.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( $variant, )* }

        impl Code {
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The code as printed and as accepted by `--explain`.
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $name, )* }
            }

            pub fn severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$severity, )* }
            }

            /// What the rule checks, why it matters, and an example.
            pub fn explanation(self) -> &'static str {
                match self { $( Code::$variant => $doc, )* }
            }

            pub fn from_name(name: &str) -> Option<Code> {
                Code::ALL.iter().copied().find(|c| c.as_str() == name)
            }
        }
    };
}

codes! {
    YamlSyntax = "yaml-syntax", Error,
"What it checks: the front matter is well-formed YAML, with no key given twice.

Why it matters: netvault cannot read any field of a contact whose front matter does not parse,
so the contact drops out of search and reminders until it is fixed.

Example:
    ---
    name: Jane Doe
    name: Jane D.        <- a key given twice
    links:
    \tlinkedin: ...      <- a tab used for indentation
    ---";
    FrontMatterUnterminated = "front-matter-unterminated", Error,
"What it checks: a file that opens front matter with `---` on its first line closes it with a
line that is `---` or `...`.

Why it matters: without the closing line the whole file would be read as YAML and none of it
as notes.

Example:
    ---
    name: Jane Doe
    # Jane Doe            <- the closing `---` is missing above this line";
    NotAMapping = "not-a-mapping", Error,
"What it checks: the front matter is a YAML mapping (`key: value` lines).

Why it matters: a list or a bare value has no field names, so netvault cannot tell the name
from the organization.

Example:
    ---
    - Jane Doe           <- a list, not `name: Jane Doe`
    ---";
    BadType = "bad-type", Error,
"What it checks: each known field has the kind of value it needs: a string for `name`,
`organization`, `title`..., a list or a single string for `emails`, `tags`, `circles`....

Why it matters: netvault would otherwise have to guess which of several values you meant.

Example:
    name: [Ann, Anne]    <- put the second form in `aliases: [Anne]`";
    BadDate = "bad-date", Error,
"What it checks: dates (`met`, `follow_up`, `last_contact`, `birthday`) are ISO `YYYY-MM-DD`
(a datetime is accepted and its date used; `birthday` also takes `MM-DD`).

Why it matters: `12/01/2026` means December 1st to some and January 12th to others; a wrong
date means a missed follow-up.

Example:
    follow_up: 12/01/2026    <- write 2026-12-01";
    BadSpan = "bad-span", Error,
"What it checks: `cadence` is a span: `Nd`, `Nw`, `Nm` (calendar months), `Ny`, or one of
`weekly`, `biweekly`, `monthly`, `quarterly`, `yearly`.

Why it matters: the cadence decides when you are reminded to get back in touch.

Example:
    cadence: every other week    <- write 2w (or biweekly)";
    BadStatus = "bad-status", Error,
"What it checks: `status` is `active`, `dormant` or `archived`.

Why it matters: archived contacts get no reminders; any other word would silently be treated
as one of these.

Example:
    status: yes          <- write active";
    EmptyName = "empty-name", Error,
"What it checks: `name`, when given, is not empty.

Why it matters: a contact without a name cannot be found by name or shown in reports. Leave
the key out to use the file name.

Example:
    name: \"\"             <- remove the line, or write the person's name";
    ConflictMarker = "conflict-marker", Error,
"What it checks: no line starts with git's merge conflict markers `<<<<<<<`, `=======` (inside
a conflict) or `>>>>>>>`.

Why it matters: an unresolved merge keeps both versions of your notes side by side; the front
matter stops being valid YAML and log entries are doubled.

Example:
    <<<<<<< HEAD
    organization: Old Co
    =======
    organization: New Co
    >>>>>>> origin/main      <- keep one side and delete the marker lines";
    NotUtf8 = "not-utf8", Error,
"What it checks: the file is UTF-8 text without NUL bytes.

Why it matters: netvault never guesses an encoding, because writing back in the wrong one would
mangle names like José; a NUL byte usually means a binary file got a `.md` name.

Example: a file saved as Latin-1 or Windows-1252 by an old editor. Re-save it as UTF-8.";
    Unreadable = "unreadable", Error,
"What it checks: every file and folder in the vault can be read (permissions, symlink loops),
and no contact file is larger than 16 MiB (a contact is a few kilobytes; a bigger file is not read).

Why it matters: an unreadable contact is missing from search and reminders.

Example: a symlink that points to one of its own parent folders.";
    MissingField = "missing-field", Error,
"What it checks: fields the vault's `.netvault/config.toml` lists under `required` are present.

Why it matters: a vault that promises every contact has, say, an email can be exported safely.

Example:
    required = [\"emails\"]   <- in config.toml; every contact then needs `emails:`";
    BadEmail = "bad-email", Warning,
"What it checks: each email address has one `@` with text on both sides, a dot in the domain
and no spaces.

Why it matters: exports and duplicate detection rely on addresses being addresses.

Example:
    emails: [not-an-email]    <- write jane@example.org";
    UnknownFieldTypo = "unknown-field-typo", Warning,
"What it checks: a key that is not a known field but is within one letter of one (keys of up to
five letters) or two (longer keys), case ignored (`emial`, `folow_up`), or a field with a suffix
such as `met_date`. Keys another tool owns, written in capitals or with `.` or `[]` (`PHOTO`,
`N.GN`, `EMAIL[HOME]`), are never flagged.

Why it matters: a misspelt `follow_up` is kept as your own field, so the reminder you meant to
set never fires.

Example:
    folow_up: 2026-12-01     <- did you mean follow_up?";
    DuplicateField = "duplicate-field", Warning,
"What it checks: a single-valued field (`organization`, `title`, `met`, ...) is given by one key
only. Keys match case-insensitively and aliases count (`org`, `ORG` and `company` are all
`organization`); list fields (`email` and `emails`) are read together instead.

Why it matters: netvault reads the first key and ignores the second, so an edit to the second
changes nothing.

Example:
    organization: Acme
    ORG: Acme Corp       <- ignored: `organization` above wins";
    NoFrontMatter = "no-front-matter", Warning,
"What it checks: a Markdown file in the vault's contact folders starts with `---` front matter.

Why it matters: without it the file is not a contact and appears in no report. Move notes that
are not people out of the included folders, or exclude them in config.toml.

Example: a file that starts with `# Jane Doe` instead of `---`.";
    BrokenLink = "broken-link", Warning,
"What it checks: `introduced_by` names exactly one contact in the vault (by path, file name, name
or alias; case, accents and typographic quotes ignored), and no `[[wikilink]]` in the notes
names several (a wikilink to nobody is a lead, not a mistake).

Why it matters: introduction paths (`who-knows`, `report intros`) stop at a broken or ambiguous
link.

Example:
    introduced_by: \"[[Jon Smith]]\"   <- the file is `John Smith.md`
    [[Sam Lee]]                      <- `a/Sam Lee.md` and `b/Sam Lee.md`: write [[a/Sam Lee]]";
    DuplicateContact = "duplicate-contact", Warning,
"What it checks: no two files share an email address or a LinkedIn profile URL.

Why it matters: two files for one person split their history, and each gets its own reminders.

Example: `Jane Doe.md` and `Jane D.md` both list jane@example.org. Merge them into one file.";
    FutureLogEntry = "future-log-entry", Warning,
"What it checks: log entries are not dated after today.

Why it matters: a future entry would count as contact that has not happened yet; netvault
ignores it for `last contact` until the day comes. Planned meetings belong in `## Tasks` or
`follow_up`.

Example:
    - 2099-01-01: booked lunch   <- probably meant 2026-01-01";
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One finding, positioned in a file of the vault.
///
/// `line` and `column` are what JSON prints (SPEC §4.1); `range` is the same place as bytes of
/// the [`Source`] the file was parsed from, which the human renderer draws from (and a language
/// server would map to UTF-16). A finding about the whole file, or one made without the file's
/// text (a walk problem, an unreadable file), has no range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Relative to the vault root, with `/` separators.
    pub path: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    pub hint: String,
    /// The bytes of the file's text this is about (what is underlined), when known.
    #[serde(skip)]
    pub range: Option<Range<usize>>,
}

impl Diagnostic {
    /// A finding at `line` and `column` with no range: about the whole file, or made where the
    /// file's text is not at hand.
    pub fn new(code: Code, line: usize, column: usize, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self {
            path: String::new(),
            line: line.max(1),
            column: column.max(1),
            severity: code.severity(),
            code,
            message: message.into(),
            hint: hint.into(),
            range: None,
        }
    }

    /// A finding about `chars` characters (at least one) of `source` from 1-based `line` and
    /// `column`, as parsers report positions; the range stops at the line's end.
    pub fn spanning(
        code: Code,
        source: &Source,
        (line, column): (usize, usize),
        chars: usize,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        let mut d = Self::new(code, line, column, message, hint);
        d.range = Some(source.range(d.line, d.column, chars.max(1)));
        d
    }

    /// A finding about the bytes `range` of `source`; line and column are those of its start.
    pub fn at(
        code: Code,
        source: &Source,
        range: Range<usize>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        let (line, column) = source.line_col(range.start);
        let mut d = Self::new(code, line, column, message, hint);
        d.range = Some(range);
        d
    }
}
