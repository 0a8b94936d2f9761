//! The records the store keeps, as callers see them.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Defines a string-valued enum stored as text, with its parser.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// The stored name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the stored name.
            pub fn parse(text: &str) -> crate::Result<$name> {
                match text {
                    $($text => Ok($name::$variant),)+
                    other => Err(crate::Error::Invalid {
                        field: stringify!($name),
                        reason: format!("{other:?} is not one of: {}", [$($text),+].join(", ")),
                    }),
                }
            }
        }
    };
}

text_enum! {
    /// What a worker may do.
    Role {
        /// Sees and changes only their own conversations.
        Worker = "worker",
        /// Sees every conversation, incident and the audit log.
        Supervisor = "supervisor",
        /// Everything a supervisor can, and manages workers and the directory.
        Admin = "admin",
    }
}

text_enum! {
    /// Who wrote a message.
    Author {
        /// The client.
        Client = "client",
        /// The worker.
        Worker = "worker",
    }
}

text_enum! {
    /// What kind of incident.
    IncidentKind {
        /// A client crossed a professional boundary.
        BoundaryCrossing = "boundary_crossing",
        /// Abuse aimed at the worker.
        Abuse = "abuse",
        /// Self-harm or a threat to life.
        UrgentDisclosure = "urgent_disclosure",
        /// A conflict of interest.
        ConflictOfInterest = "conflict_of_interest",
    }
}

text_enum! {
    /// Where an incident stands.
    IncidentStatus {
        /// Not yet handled.
        Open = "open",
        /// Someone is on it.
        InProgress = "in_progress",
        /// Done.
        Resolved = "resolved",
    }
}

text_enum! {
    /// A promise made in a reply, or a follow-up the worker scheduled.
    CommitmentKind {
        /// Extracted from a worker's reply.
        Promise = "promise",
        /// Scheduled after an incident or a disclosure (P5).
        FollowUp = "follow_up",
    }
}

text_enum! {
    /// Where a commitment stands. `Late` is also reported for open commitments past their due
    /// time, without being stored.
    CommitmentStatus {
        /// Not yet due, or due and not yet closed.
        Open = "open",
        /// Done in time.
        Kept = "kept",
        /// Done, but after the due time.
        Late = "late",
        /// Not done.
        Broken = "broken",
    }
}

/// Who is asking: every read and change is checked against it and written to the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer {
    /// The worker's id.
    pub worker: i64,
    /// Their role.
    pub role: Role,
}

impl Viewer {
    /// Whether the viewer sees every conversation.
    pub fn sees_all(&self) -> bool {
        matches!(self.role, Role::Supervisor | Role::Admin)
    }
}

/// A worker.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Worker {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// IANA time zone.
    pub time_zone: String,
    /// Working hours as written (`mon-fri 09:00-17:00`).
    pub working_hours: Option<String>,
}

/// A message to store: already redacted by the caller.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMessage {
    /// Who wrote it.
    pub author: Author,
    /// The text with personal data replaced.
    pub redacted_text: String,
    /// The original, encrypted under the organisation's key, when it keeps originals.
    pub original_ciphertext: Option<String>,
    /// When the ciphertext must be erased.
    pub erase_original_after: Option<Timestamp>,
    /// The analysis or coaching report as JSON (built from redacted text).
    pub analysis: Option<serde_json::Value>,
    /// When it was sent.
    pub sent_at: Timestamp,
}

/// A stored message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    /// Id.
    pub id: i64,
    /// Its conversation.
    pub conversation: i64,
    /// Who wrote it.
    pub author: Author,
    /// The redacted text.
    pub redacted_text: String,
    /// Whether an encrypted original is still kept.
    pub has_original: bool,
    /// The analysis, as stored.
    pub analysis: Option<serde_json::Value>,
    /// When it was sent.
    pub sent_at: Timestamp,
}

/// An incident.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Incident {
    /// Id.
    pub id: i64,
    /// Its conversation.
    pub conversation: i64,
    /// The message that raised it.
    pub message: Option<i64>,
    /// What kind.
    pub kind: IncidentKind,
    /// `low` … `urgent`.
    pub severity: String,
    /// Where it stands.
    pub status: IncidentStatus,
    /// The findings behind it.
    pub summary: String,
    /// Notes of whoever handles it.
    pub notes: String,
    /// Who handled it last.
    pub handled_by: Option<i64>,
    /// When it was raised.
    pub created_at: Timestamp,
}

/// A promise or follow-up to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCommitment {
    /// Promise or follow-up.
    pub kind: CommitmentKind,
    /// The message that made it.
    pub message: Option<i64>,
    /// What was promised (redacted).
    pub what: String,
    /// When it is due.
    pub due_at: Timestamp,
    /// Whether the time frame could be read another way.
    pub ambiguous: bool,
}

/// A promise or follow-up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Commitment {
    /// Id.
    pub id: i64,
    /// Its conversation.
    pub conversation: i64,
    /// Promise or follow-up.
    pub kind: CommitmentKind,
    /// What was promised, in the worker's words (redacted).
    pub what: String,
    /// When it is due.
    pub due_at: Timestamp,
    /// Whether the time frame could be read another way.
    pub ambiguous: bool,
    /// Where it stands; open commitments past their due time read as late.
    pub status: CommitmentStatus,
}

/// An entry of the resource directory (P4), with the review cycle that keeps it trustworthy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    /// Id (0 for a new entry).
    #[serde(default)]
    pub id: i64,
    /// Name.
    pub name: String,
    /// Disclosure categories it helps with.
    pub categories: Vec<String>,
    /// Languages it serves; empty = any.
    #[serde(default)]
    pub languages: Vec<String>,
    /// Regions it serves; empty = everywhere.
    #[serde(default)]
    pub regions: Vec<String>,
    /// How to reach it.
    pub contact: String,
    /// When it is open.
    #[serde(default)]
    pub opening_hours: Option<String>,
    /// Notes for workers.
    #[serde(default)]
    pub notes: String,
    /// When someone last checked the entry is right.
    #[serde(default)]
    pub last_verified: Option<Timestamp>,
    /// How often it must be checked, in days.
    #[serde(default = "default_review_days")]
    pub review_days: i64,
}

/// How often a directory entry must be checked when nobody says otherwise: every half year.
pub const DEFAULT_REVIEW_DAYS: i64 = 180;

fn default_review_days() -> i64 {
    DEFAULT_REVIEW_DAYS
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    /// When.
    pub at: Timestamp,
    /// Who.
    pub actor: Option<i64>,
    /// `read`, `create`, `update`.
    pub action: String,
    /// `conversation:12`.
    pub target: String,
    /// What changed.
    pub detail: String,
}

/// A conversation handed up to a supervisor or over to a colleague (P6, P12, P22).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Escalation {
    /// Id.
    pub id: i64,
    /// Its conversation.
    pub conversation: i64,
    /// The incident behind it, if any.
    pub incident: Option<i64>,
    /// Who escalated.
    pub from_worker: i64,
    /// To whom; `None` for whoever supervises.
    pub to_worker: Option<i64>,
    /// Why, in the worker's words (no client's personal data: it is not redacted).
    pub reason: String,
    /// When.
    pub created_at: Timestamp,
}

text_enum! {
    /// Whether a referral was only suggested by tact or really offered to the client.
    ReferralStatus {
        /// A client's message called for this service; the worker has not offered it yet.
        Suggested = "suggested",
        /// The worker offered it (named it in a reply, or recorded it).
        Offered = "offered",
    }
}

/// A directory entry suggested for, or offered to, a client (P4).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Referral {
    /// Id.
    pub id: i64,
    /// Its conversation.
    pub conversation: i64,
    /// The directory entry.
    pub resource: i64,
    /// The need it answers (`disclosure.domestic_violence`).
    pub category: String,
    /// Suggested only, or offered.
    pub status: ReferralStatus,
    /// The client's message that called for it, when tact suggested it.
    pub message: Option<i64>,
    /// When tact suggested it.
    pub suggested_at: Option<Timestamp>,
    /// When it was offered; `None` while only suggested.
    pub offered_at: Option<Timestamp>,
}

text_enum! {
    /// Why a worker is away. Only these two: the reason behind an absence (sickness, family) is
    /// not the organisation's tool's business.
    AbsenceKind {
        /// A public or personal holiday.
        Holiday = "holiday",
        /// Any other absence.
        Absence = "absence",
    }
}

text_enum! {
    /// What a wellbeing prompt suggests (the names of `tact_wellbeing::exposure::PromptKind`).
    PromptKind {
        /// Step away for a few minutes (P14).
        Break = "break",
        /// Talk a hard conversation through with a supervisor (P6).
        Debrief = "debrief",
        /// Tell the supervisor that the worker's load stays high (P16, P22).
        SupervisorNotice = "supervisor_notice",
    }
}

text_enum! {
    /// Why a worker is told about a client's message.
    NotificationReason {
        /// It came outside their hours and waited for their next shift.
        Deferred = "deferred",
        /// It was urgent, its own worker was off duty, and this worker was on call.
        OnCall = "on_call",
        /// It was urgent, nobody was on call, and this colleague was on duty.
        Colleague = "colleague",
    }
}
