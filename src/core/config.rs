//! The vault's settings, read from `.netvault/config.toml` (versioned with the vault).
//!
//! Parsing is pure (text in, [`VaultConfig`] out); finding and reading the file is the vault's
//! job. A vault without a config gets the defaults of SPEC §2 and no implicit cadence.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::cadence::Cadence;
use crate::contact::Status;

/// The outcome hashtags of SPEC §3.2, in report order, with what each means.
pub const DEFAULT_OUTCOMES: &[(&str, &str)] = &[
    ("info", "inside information"),
    ("advice", "job-search advice"),
    ("tips", "résumé or portfolio tips"),
    ("intro", "names or introductions"),
    ("interview", "interviews"),
    ("offer", "offers"),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultConfig {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    /// Folder (relative to the root) where `add` creates files.
    pub new_contacts: String,
    /// Cadence for contacts with none and no circle cadence.
    pub default_cadence: Option<Cadence>,
    /// Cadence per circle (keys lower-cased).
    pub circle_cadence: BTreeMap<String, Cadence>,
    /// Other vaults' key names → netvault's field names.
    pub fields: BTreeMap<String, String>,
    /// Fields every contact must have.
    pub required: Vec<String>,
    /// Outcome tags (tag → label), in report order.
    pub outcomes: Vec<(String, String)>,
    pub gave_tag: String,
    pub asked_tag: String,
    /// The `status` imports give new people (`[import] status`, default dormant): an export of
    /// hundreds of connections must not flood the morning report (SPEC §8).
    pub import_status: Status,
    /// The language whose stemmer search uses (`archive` finds `archives`), or `none`.
    pub language: String,
    /// `[watch] background = true`: a command that finds no watcher starts one, detached, which
    /// exits after `idle_minutes` without a change in the vault; later commands trust its index
    /// instead of checking every file (as git's fsmonitor daemon serves `git status`).
    pub background_watch: bool,
    pub watch_idle_minutes: u32,
}

/// How long a background watcher waits for a change before it exits, unless configured.
pub const DEFAULT_WATCH_IDLE_MINUTES: u32 = 60;

/// The values `language` accepts: tantivy's stemmers, and `none`.
pub const LANGUAGES: &[&str] = &[
    "arabic",
    "danish",
    "dutch",
    "english",
    "finnish",
    "french",
    "german",
    "greek",
    "hungarian",
    "italian",
    "norwegian",
    "portuguese",
    "romanian",
    "russian",
    "spanish",
    "swedish",
    "tamil",
    "turkish",
    "none",
];

impl Default for VaultConfig {
    fn default() -> Self {
        Self {
            include: vec!["**/*.md".into()],
            exclude: vec!["README.md".into(), "templates/**".into()],
            new_contacts: String::new(),
            default_cadence: None,
            circle_cadence: BTreeMap::new(),
            fields: BTreeMap::new(),
            required: Vec::new(),
            outcomes: DEFAULT_OUTCOMES
                .iter()
                .map(|(t, l)| ((*t).to_string(), (*l).to_string()))
                .collect(),
            gave_tag: "gave".into(),
            asked_tag: "asked".into(),
            import_status: Status::Dormant,
            language: "english".into(),
            background_watch: false,
            watch_idle_minutes: DEFAULT_WATCH_IDLE_MINUTES,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    include: Option<Vec<String>>,
    exclude: Option<Vec<String>>,
    new_contacts: Option<String>,
    language: Option<String>,
    required: Option<Vec<String>>,
    #[serde(default)]
    cadence: BTreeMap<String, String>,
    #[serde(default)]
    fields: BTreeMap<String, String>,
    #[serde(default)]
    tags: RawTags,
    #[serde(default)]
    import: RawImport,
    #[serde(default)]
    watch: RawWatch,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawWatch {
    /// Start a detached `netvault watch` from the first command that finds none.
    background: Option<bool>,
    /// Minutes without a change in the vault after which that watcher exits.
    idle_minutes: Option<u32>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawImport {
    /// `active`, `dormant` or `archived`: what new people from an import get.
    status: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawTags {
    /// Renames of the default outcome tags: `info = "insider"`.
    #[serde(default)]
    outcomes: BTreeMap<String, String>,
    gave: Option<String>,
    asked: Option<String>,
}

/// A config problem; the whole command stops on it (exit 2), since every answer depends on it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ConfigError {
    pub message: String,
}

impl VaultConfig {
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError {
            message: e.to_string().trim_end().to_string(),
        })?;
        let mut config = Self::default();
        if let Some(include) = raw.include {
            config.include = include;
        }
        if let Some(exclude) = raw.exclude {
            config.exclude = exclude;
        }
        if let Some(folder) = raw.new_contacts {
            config.new_contacts = folder.trim_matches('/').to_string();
        }
        if let Some(language) = raw.language {
            let language = language.to_lowercase();
            if !LANGUAGES.contains(&language.as_str()) {
                return Err(ConfigError {
                    message: format!("language = {language:?} is not one of: {}", LANGUAGES.join(", ")),
                });
            }
            config.language = language;
        }
        config.required = raw.required.unwrap_or_default();
        for (circle, span) in raw.cadence {
            let cadence = Cadence::parse(&span).ok_or_else(|| ConfigError {
                message: format!(
                    "[cadence] {circle} = {span:?} is not a span (use 90d, 2w, 3m, 1y, monthly, quarterly...)"
                ),
            })?;
            if circle == "default" {
                config.default_cadence = Some(cadence);
            } else {
                config.circle_cadence.insert(circle.to_lowercase(), cadence);
            }
        }
        config.fields = raw.fields;
        for (tag, renamed) in raw.tags.outcomes {
            let Some(slot) = config.outcomes.iter_mut().find(|(t, _)| *t == tag) else {
                return Err(ConfigError {
                    message: format!(
                        "[tags.outcomes] {tag}: not an outcome tag (known: info, advice, tips, intro, interview, offer)"
                    ),
                });
            };
            slot.0 = renamed.trim_start_matches('#').to_lowercase();
        }
        if let Some(gave) = raw.tags.gave {
            config.gave_tag = gave.trim_start_matches('#').to_lowercase();
        }
        if let Some(asked) = raw.tags.asked {
            config.asked_tag = asked.trim_start_matches('#').to_lowercase();
        }
        config.background_watch = raw.watch.background.unwrap_or(false);
        if let Some(minutes) = raw.watch.idle_minutes {
            if minutes == 0 {
                return Err(ConfigError {
                    message: "[watch] idle_minutes = 0: a background watcher would exit at once; use 1 or more".into(),
                });
            }
            config.watch_idle_minutes = minutes;
        }
        if let Some(status) = raw.import.status {
            config.import_status = match status.trim().to_ascii_lowercase().as_str() {
                "active" => Status::Active,
                "dormant" => Status::Dormant,
                "archived" => Status::Archived,
                _ => {
                    return Err(ConfigError {
                        message: format!(
                            "[import] status = {status:?} is not a status (use \"dormant\", the default, or \"active\")"
                        ),
                    });
                }
            };
        }
        Ok(config)
    }
}

/// The config `netvault init` writes: the defaults spelled out, with suggested cadences.
pub const INIT_CONFIG: &str = r#"# netvault configuration. Versioned with the vault; see `netvault --help`.

# Which Markdown files are contacts (globs relative to the vault root). Follow-ups.md is the
# report `netvault watch --report-to Follow-ups.md` keeps up to date: a note, not a contact.
include = ["**/*.md"]
exclude = ["README.md", "templates/**", "Follow-ups.md"]

# Where `netvault add` creates new contacts ("" = the vault root).
new_contacts = ""

# Fields every contact must have (validate reports `missing-field` otherwise).
required = []

# Keep in touch every ... (a contact's own `cadence:` wins; then its first circle's; then default).
[cadence]
default = "180d"
family = "30d"
friend = "60d"
school = "90d"
faculty = "quarterly"
alumni = "180d"
coworker = "90d"
neighbor = "180d"
club = "90d"
community = "180d"
religious = "180d"
online = "1y"

# The status `import linkedin` and `import vcard` give new people: "dormant" keeps hundreds of
# connections out of the rhythm reminders until you log a conversation with one (which makes
# them active); "active" puts them all in.
[import]
status = "dormant"

# With background = true, the first command that finds no `netvault watch` running starts one
# in the background; it keeps the index current, so later commands answer without checking
# every file (worth it from tens of thousands of contacts), and it stops by itself after
# idle_minutes without a change in the vault.
[watch]
background = false
idle_minutes = 60

# Map other tools' key names onto netvault's fields, e.g. lastContact = "last_contact".
[fields]
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_config_parses_with_cadences() {
        let c = VaultConfig::parse(INIT_CONFIG).unwrap();
        assert_eq!(c.default_cadence.unwrap().to_string(), "180d");
        assert_eq!(c.circle_cadence["faculty"].to_string(), "quarterly");
        assert_eq!(c.exclude, ["README.md", "templates/**", "Follow-ups.md"]);
        assert_eq!(c.import_status, Status::Dormant);
        assert!(!c.background_watch);
    }

    #[test]
    fn background_watch_is_off_unless_asked_and_idle_minutes_must_be_positive() {
        let c = VaultConfig::parse("").unwrap();
        assert!(!c.background_watch);
        assert_eq!(c.watch_idle_minutes, DEFAULT_WATCH_IDLE_MINUTES);
        let c = VaultConfig::parse("[watch]\nbackground = true\nidle_minutes = 5\n").unwrap();
        assert!(c.background_watch);
        assert_eq!(c.watch_idle_minutes, 5);
        let err = VaultConfig::parse("[watch]\nidle_minutes = 0\n").unwrap_err();
        assert!(err.message.contains("idle_minutes = 0"), "{err}");
        assert!(VaultConfig::parse("[watch]\nbackgroud = true\n").is_err());
    }

    #[test]
    fn import_status_defaults_to_dormant_and_can_be_active() {
        assert_eq!(VaultConfig::parse("").unwrap().import_status, Status::Dormant);
        let c = VaultConfig::parse("[import]\nstatus = \"Active\"\n").unwrap();
        assert_eq!(c.import_status, Status::Active);
        let err = VaultConfig::parse("[import]\nstatus = \"busy\"\n").unwrap_err();
        assert!(err.message.contains("[import] status"), "{err}");
        assert!(VaultConfig::parse("[import]\nstaus = \"active\"\n").is_err());
    }

    #[test]
    fn bad_cadence_and_unknown_keys_are_errors() {
        assert!(
            VaultConfig::parse("[cadence]\nfriend = \"often\"\n")
                .unwrap_err()
                .message
                .contains("friend")
        );
        assert!(VaultConfig::parse("inclde = []\n").is_err());
    }

    #[test]
    fn outcome_tags_can_be_renamed() {
        let c = VaultConfig::parse("[tags]\ngave = \"#helped\"\n[tags.outcomes]\ninfo = \"insider\"\n").unwrap();
        assert_eq!(c.outcomes[0].0, "insider");
        assert_eq!(c.gave_tag, "helped");
    }
}
