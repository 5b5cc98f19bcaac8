//! The Model Context Protocol server behind `netvault mcp` (rmcp, stdio only, no network
//! listener): the tools, resources and prompts a model sees, their descriptions and JSON
//! schemas (generated from the parameter types below), and their annotations. Each call runs
//! [`calls`] — the CLI's own code — on a blocking thread, one call at a time. tokio lives here
//! and in `commands/mcp.rs` only; the rest of netvault stays synchronous.

mod calls;

use std::borrow::Cow;
use std::sync::{Arc, Mutex, PoisonError};

use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{
    CallToolResult, ContentBlock, GetPromptRequestParams, GetPromptResponse, GetPromptResult, Implementation,
    ListPromptsResult, ListResourcesResult, PaginatedRequestParams, Prompt, PromptArgument, PromptMessage,
    ProtocolVersion, ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult, Resource, ResourceContents,
    Role, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData as McpError, RoleServer, ServerHandler, ServiceExt, tool, tool_handler, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;

pub use calls::Settings;
use calls::{Answer, PromptKind, WriteOptions};

use crate::index::search::Sort;

/// The protocol revisions this server speaks: every one with the `initialize` handshake over
/// stdio, up to 2025-11-25. rmcp's default list also holds 2026-07-28, which drops the
/// handshake for per-request metadata; netvault does not claim it until it is tested.
const PROTOCOL_VERSIONS: &[ProtocolVersion] = &[
    ProtocolVersion::V_2024_11_05,
    ProtocolVersion::V_2025_03_26,
    ProtocolVersion::V_2025_06_18,
    ProtocolVersion::V_2025_11_25,
];

/// How many resources `resources/list` answers at a time.
const RESOURCES_PER_PAGE: usize = 500;

/// The tools that write; `--read-only` offers none of them.
pub const WRITING_TOOLS: &[&str] = &["log", "todo", "snooze", "done"];

/// Serve the vault on stdin/stdout until the client closes the stream.
pub async fn serve(settings: Settings) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let server = Server::new(settings);
    let running = server.serve(rmcp::transport::stdio()).await?;
    running.waiting().await?;
    Ok(())
}

#[derive(Clone)]
pub struct Server {
    settings: Arc<Settings>,
    /// One call at a time: each syncs the index and may write a file.
    lock: Arc<Mutex<()>>,
    tool_router: ToolRouter<Self>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct SearchParams {
    /// The query, in netvault's query language (see the tool's description), e.g. `acme`,
    /// `org:"Pied Piper"`, `tag:alumni last:<-90d`.
    pub query: String,
    /// At most this many contacts (default 20, at most 1000).
    pub limit: Option<usize>,
    /// Order: `score` (relevance, the default), `name`, `last` (most recent contact first) or
    /// `due` (earliest due first).
    pub sort: Option<SortParam>,
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SortParam {
    Score,
    Name,
    Last,
    Due,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct NameParams {
    /// The contact: a file name (without .md), a name or an alias (case and accents ignored), a
    /// path inside the vault, or the start of each word of one (`j doe`).
    pub name: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct FollowupsParams {
    /// How far ahead upcoming follow-ups are included: a span such as 7d, 2w, 1m (default 7d).
    pub within: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct WhoKnowsParams {
    /// What to find someone for, in the search query language: an organization (`acme`,
    /// `org:"Pied Piper"`), a topic (`digital preservation`), a place.
    pub query: String,
    /// Consider at most this many matching people (default 25, at most 1000).
    pub limit: Option<usize>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct LogParams {
    /// The contact, as for `show`.
    pub name: String,
    /// What happened, on one line, in the user's words; hashtags such as #info, #gave, #asked
    /// count in reports.
    pub message: String,
    /// When it happened (YYYY-MM-DD), today or earlier; default today. A future date is refused:
    /// use `todo` with `due` for a plan.
    pub date: Option<String>,
    /// Also set the next follow-up: a date (YYYY-MM-DD) or a span from the conversation's date
    /// (3d, 2w, 1m).
    pub follow_up: Option<String>,
    /// Return the diff without writing anything.
    #[serde(default)]
    pub dry_run: bool,
    /// The `content_hash` from your last `show` of this contact: the write is refused if the file
    /// changed since.
    pub expected_hash: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct TodoParams {
    /// The contact, as for `show`.
    pub name: String,
    /// The task, on one line.
    pub text: String,
    /// When it is due: a date (YYYY-MM-DD) or a span from today (3d, 2w, 1m); default no date.
    pub due: Option<String>,
    /// Return the diff without writing anything.
    #[serde(default)]
    pub dry_run: bool,
    /// The `content_hash` from your last `show` of this contact: the write is refused if the file
    /// changed since.
    pub expected_hash: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct SnoozeParams {
    /// The contact, as for `show`.
    pub name: String,
    /// The day reminders come back: a date (YYYY-MM-DD) after today, or a span from today (2w, 1m).
    pub until: String,
    /// Return the diff without writing anything.
    #[serde(default)]
    pub dry_run: bool,
    /// The `content_hash` from your last `show` of this contact: the write is refused if the file
    /// changed since.
    pub expected_hash: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct DoneParams {
    /// The contact, as for `show`.
    pub name: String,
    /// A word or phrase of one open task's text: tick that task. Without it: remove a `follow_up`
    /// of today or earlier and tick the open tasks due by today.
    pub task: Option<String>,
    /// Return the diff without writing anything.
    #[serde(default)]
    pub dry_run: bool,
    /// The `content_hash` from your last `show` of this contact: the write is refused if the file
    /// changed since.
    pub expected_hash: Option<String>,
}

/// A model's `limit`, within 1..=1000: the index allocates room for as many hits as asked.
fn limited(limit: Option<usize>, default: usize) -> usize {
    limit.unwrap_or(default).clamp(1, 1000)
}

fn options(dry_run: bool, expected_hash: Option<String>) -> WriteOptions {
    WriteOptions { dry_run, expected_hash }
}

#[tool_router]
impl Server {
    pub fn new(settings: Settings) -> Self {
        let mut tool_router = Self::tool_router();
        if settings.read_only {
            for name in WRITING_TOOLS {
                tool_router.remove_route(name);
            }
        }
        Self {
            settings: Arc::new(settings),
            lock: Arc::new(Mutex::new(())),
            tool_router,
        }
    }

    /// Run `f` on a blocking thread, one call at a time; a netvault error becomes a tool error
    /// with the CLI's message, a panic one that says so.
    async fn call(
        &self,
        f: impl FnOnce(&Settings) -> crate::error::Result<Answer> + Send + 'static,
    ) -> Result<CallToolResult, McpError> {
        let settings = Arc::clone(&self.settings);
        let lock = Arc::clone(&self.lock);
        let joined = tokio::task::spawn_blocking(move || {
            let _one_at_a_time = lock.lock().unwrap_or_else(PoisonError::into_inner);
            f(&settings)
        })
        .await;
        Ok(match joined {
            Ok(Ok(answer)) => {
                let mut result = CallToolResult::success(vec![ContentBlock::text(answer.text)]);
                result.structured_content = Some(answer.json);
                result
            }
            Ok(Err(err)) => CallToolResult::error(vec![ContentBlock::text(format!("error: {}", err.chain()))]),
            Err(panic) => CallToolResult::error(vec![ContentBlock::text(format!(
                "error: netvault failed inside ({panic}); nothing was written unless the answer said so"
            ))]),
        })
    }

    /// Search the user's contacts (their own Markdown files). Returns the matching people with
    /// organization, title, last contact, due date and a snippet of the matching text.
    ///
    /// Query language: `jane acme` (both words, anywhere; name and organization rank highest);
    /// `"data librarian"` (a phrase); `archives -museum` or `NOT museum` (exclude);
    /// `austin OR dallas` (either); `field:value` with fields name, org, title, tag, circle,
    /// email, location, `met_at`, intro, status, path, or any key of the user's own;
    /// dates: `last:<2025-06-01`, `due:..+7d`, `met:2024-01-01..2024-12-31`, `follow_up:<=today`,
    /// `birthday:..+30d` with < <= > >= = or A..B, values being dates, `today`, or spans from
    /// today (-30d, +2w). A malformed query is an error that points at the column.
    #[tool(annotations(
        title = "Search contacts",
        read_only_hint = true,
        destructive_hint = false,
        idempotent_hint = true,
        open_world_hint = false
    ))]
    async fn search(&self, Parameters(p): Parameters<SearchParams>) -> Result<CallToolResult, McpError> {
        let sort = match p.sort.unwrap_or(SortParam::Score) {
            SortParam::Score => Sort::Score,
            SortParam::Name => Sort::Name,
            SortParam::Last => Sort::Last,
            SortParam::Due => Sort::Due,
        };
        self.call(move |s| calls::search(s, &p.query, limited(p.limit, 20), sort))
            .await
    }

    /// One contact's card: profile fields, last contact, cadence, when they are due and why,
    /// what to do next, notes, the conversation log (newest first) and open tasks. The result's
    /// `content_hash` identifies the file as read now: pass it as `expected_hash` to a write so
    /// that it is refused if the user changed the file meanwhile. An unknown or ambiguous name is
    /// an error listing the nearest names.
    #[tool(annotations(
        title = "Show a contact",
        read_only_hint = true,
        destructive_hint = false,
        idempotent_hint = true,
        open_world_hint = false
    ))]
    async fn show(&self, Parameters(p): Parameters<NameParams>) -> Result<CallToolResult, McpError> {
        self.call(move |s| calls::show(s, &p.name)).await
    }

    /// Today's follow-up report: who to get back to (overdue, due today, upcoming within the
    /// window), each with the reasons (a `follow_up` date the user set, a task due, the
    /// keep-in-touch rhythm, a birthday) and `next`: what to say or do.
    #[tool(annotations(
        title = "Follow-ups due",
        read_only_hint = true,
        destructive_hint = false,
        idempotent_hint = true,
        open_world_hint = false
    ))]
    async fn followups(&self, Parameters(p): Parameters<FollowupsParams>) -> Result<CallToolResult, McpError> {
        self.call(move |s| calls::followups(s, p.within.as_deref())).await
    }

    /// Who can introduce the user to an organization or a topic: the people who match, why
    /// (the field and words), ranked by warmth (how recently and often they were in touch),
    /// with the chain of people that leads to each. "Knows directly" means in touch within
    /// the past year.
    #[tool(
        name = "who_knows",
        annotations(
            title = "Who knows",
            read_only_hint = true,
            destructive_hint = false,
            idempotent_hint = true,
            open_world_hint = false
        )
    )]
    async fn who_knows(&self, Parameters(p): Parameters<WhoKnowsParams>) -> Result<CallToolResult, McpError> {
        self.call(move |s| calls::who_knows(s, &p.query, limited(p.limit, 25)))
            .await
    }

    /// Record a conversation that happened: adds one line `- DATE: MESSAGE` under the
    /// contact's `## Log`, moves `last_contact` forward, optionally sets `follow_up`, and makes
    /// a dormant contact active. Only those lines of the file change. Returns the unified diff.
    /// Use `dry_run` to show the user the change first. A date after today is refused.
    #[tool(annotations(
        title = "Log a conversation",
        read_only_hint = false,
        destructive_hint = true,
        idempotent_hint = false,
        open_world_hint = false
    ))]
    async fn log(&self, Parameters(p): Parameters<LogParams>) -> Result<CallToolResult, McpError> {
        self.call(move |s| {
            calls::log(
                s,
                &p.name,
                &p.message,
                p.date.as_deref(),
                p.follow_up.as_deref(),
                &options(p.dry_run, p.expected_hash),
            )
        })
        .await
    }

    /// Add an open task `- [ ] TEXT 📅 DATE` (or undated) as the last line under the contact's
    /// `## Tasks`; a dated task puts them in the follow-up report that day. Only that line is
    /// added. Returns the unified diff; `dry_run` writes nothing.
    #[tool(annotations(
        title = "Add a task",
        read_only_hint = false,
        destructive_hint = false,
        idempotent_hint = false,
        open_world_hint = false
    ))]
    async fn todo(&self, Parameters(p): Parameters<TodoParams>) -> Result<CallToolResult, McpError> {
        self.call(move |s| {
            calls::todo(
                s,
                &p.name,
                &p.text,
                p.due.as_deref(),
                &options(p.dry_run, p.expected_hash),
            )
        })
        .await
    }

    /// Quiet a contact until a day: sets `snooze_until` (replacing an earlier one); the report
    /// leaves them out until then. `follow_up` and task dates are never moved. Returns the
    /// unified diff; `dry_run` writes nothing.
    #[tool(annotations(
        title = "Snooze a contact",
        read_only_hint = false,
        destructive_hint = true,
        idempotent_hint = true,
        open_world_hint = false
    ))]
    async fn snooze(&self, Parameters(p): Parameters<SnoozeParams>) -> Result<CallToolResult, McpError> {
        self.call(move |s| calls::snooze(s, &p.name, &p.until, &options(p.dry_run, p.expected_hash)))
            .await
    }

    /// Mark done what is due now: removes a `follow_up` of today or earlier and ticks the open
    /// tasks due by today (`- [x] … ✅ DATE`); with `task`, ticks that one task. When nothing
    /// explicit is due nothing changes and the answer says what is (only the rhythm: log the
    /// conversation or snooze instead). Returns the unified diff; `dry_run` writes nothing.
    #[tool(annotations(
        title = "Mark done",
        read_only_hint = false,
        destructive_hint = true,
        idempotent_hint = true,
        open_world_hint = false
    ))]
    async fn done(&self, Parameters(p): Parameters<DoneParams>) -> Result<CallToolResult, McpError> {
        self.call(move |s| calls::done(s, &p.name, p.task.as_deref(), &options(p.dry_run, p.expected_hash)))
            .await
    }
}

/// What the server says about itself to the client, and to the model.
const INSTRUCTIONS: &str = "netvault: the user's professional network, kept as Markdown files they own \
(one per person). Read with search, show, followups and who_knows. The writing tools (log, todo, snooze, \
done) change only the lines they are about and return the diff; use dry_run to show the user a change \
before making it, and pass the content_hash from show as expected_hash so a write is refused if the \
user edited the file meanwhile. Never log something that did not happen.";

fn blocking_error(e: &tokio::task::JoinError) -> McpError {
    McpError::internal_error(format!("netvault failed inside: {e}"), None)
}

impl Server {
    /// Run a resource or prompt read on a blocking thread, one at a time.
    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Settings) -> crate::error::Result<T> + Send + 'static,
    ) -> Result<crate::error::Result<T>, McpError> {
        let settings = Arc::clone(&self.settings);
        let lock = Arc::clone(&self.lock);
        tokio::task::spawn_blocking(move || {
            let _one_at_a_time = lock.lock().unwrap_or_else(PoisonError::into_inner);
            f(&settings)
        })
        .await
        .map_err(|e| blocking_error(&e))
    }
}

fn prompt_kind(name: &str) -> Option<PromptKind> {
    match name {
        "prepare" => Some(PromptKind::Prepare),
        "follow_up_message" => Some(PromptKind::FollowUp),
        _ => None,
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(
            ServerCapabilities::builder()
                .enable_tools()
                .enable_resources()
                .enable_prompts()
                .build(),
        )
        .with_server_info(Implementation::new("netvault", env!("CARGO_PKG_VERSION")))
        .with_protocol_version(ProtocolVersion::V_2025_11_25)
        .with_instructions(INSTRUCTIONS)
    }

    fn supported_protocol_versions(&self) -> Cow<'static, [ProtocolVersion]> {
        Cow::Borrowed(PROTOCOL_VERSIONS)
    }

    async fn list_resources(
        &self,
        request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, McpError> {
        let from = match request.and_then(|r| r.cursor) {
            None => 0,
            Some(cursor) => cursor
                .parse::<usize>()
                .map_err(|_| McpError::invalid_params(format!("{cursor:?} is no cursor this server gave"), None))?,
        };
        let contacts = self
            .read(calls::contact_resources)
            .await?
            .map_err(|e| McpError::internal_error(e.chain(), None))?;
        let report = Resource::new(calls::REPORT_URI, "followups")
            .with_title("Today's follow-up report")
            .with_description("Whom to follow up with today and this week, why, and what to say (Markdown)")
            .with_mime_type("text/markdown");
        let total = contacts.len() + 1;
        let files = contacts.into_iter().map(|c| {
            let title = c.name.clone().unwrap_or_else(|| c.id.clone());
            let description = match (&c.name, &c.organization) {
                (Some(_), Some(org)) => format!("Contact file {} ({org})", c.path),
                (Some(_), None) => format!("Contact file {}", c.path),
                (None, _) => format!("Contact file {} (its front matter has errors)", c.path),
            };
            Resource::new(c.uri, c.id)
                .with_title(title)
                .with_description(description)
                .with_mime_type("text/markdown")
                .with_size(c.size)
        });
        // A page at a time: a vault of 100,000 contacts is not one message.
        let next = from.saturating_add(RESOURCES_PER_PAGE);
        let mut page = ListResourcesResult::with_all_items(
            std::iter::once(report)
                .chain(files)
                .skip(from)
                .take(RESOURCES_PER_PAGE)
                .collect(),
        );
        page.next_cursor = (next < total).then(|| next.to_string());
        Ok(page)
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, McpError> {
        let uri = request.uri;
        let not_found = |uri: &str| {
            McpError::resource_not_found(
                format!("no resource {uri}: resources/list gives the contact files and the report"),
                None,
            )
        };
        let contents = if uri == calls::REPORT_URI {
            let text = self
                .read(calls::report_markdown)
                .await?
                .map_err(|e| McpError::internal_error(e.chain(), None))?;
            ResourceContents::TextResourceContents {
                uri: uri.clone(),
                mime_type: Some("text/markdown".into()),
                text,
                meta: None,
            }
        } else {
            let asked = uri.clone();
            let found = self
                .read(move |s| calls::read_contact(s, &asked))
                .await?
                .map_err(|e| McpError::internal_error(e.chain(), None))?;
            let Some((text, hash)) = found else {
                return Err(not_found(&uri));
            };
            let mut meta = rmcp::model::MetaObject::new();
            meta.insert("content_hash".into(), serde_json::Value::String(hash));
            ResourceContents::TextResourceContents {
                uri: uri.clone(),
                mime_type: Some("text/markdown".into()),
                text,
                meta: Some(meta),
            }
        };
        Ok(ReadResourceResult::new(vec![contents]).into())
    }

    async fn list_prompts(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListPromptsResult, McpError> {
        let name_arg = || {
            vec![
                PromptArgument::new("name")
                    .with_description("The contact: a name, alias or file name")
                    .with_required(true),
            ]
        };
        Ok(ListPromptsResult::with_all_items(vec![
            Prompt::new(
                "prepare",
                Some(
                    "Prepare for a conversation with NAME: their card, your last conversations, open tasks, what they can help with and what you could offer",
                ),
                Some(name_arg()),
            ),
            Prompt::new(
                "follow_up_message",
                Some("Draft a follow-up message to NAME: gentle and specific, for someone who finds reaching out hard"),
                Some(name_arg()),
            ),
        ]))
    }

    async fn get_prompt(
        &self,
        request: GetPromptRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<GetPromptResponse, McpError> {
        let Some(kind) = prompt_kind(&request.name) else {
            return Err(McpError::invalid_params(
                format!(
                    "no prompt {:?}: the prompts are prepare and follow_up_message",
                    request.name
                ),
                None,
            ));
        };
        let name = request
            .arguments
            .as_ref()
            .and_then(|a| a.get("name"))
            .and_then(serde_json::Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| McpError::invalid_params("the prompt needs the argument `name`: a contact", None))?;
        let (description, text) = self
            .read(move |s| calls::prompt(s, kind, &name))
            .await?
            .map_err(|e| McpError::invalid_params(e.chain(), None))?;
        let mut result = GetPromptResult::new(vec![PromptMessage::new_text(Role::User, text)]);
        result.description = Some(description);
        Ok(result.into())
    }
}
