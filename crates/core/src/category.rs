//! The closed vocabulary of what tact reports: disclosure categories, emotions, boundary crossings,
//! abuse, the modifiers that change meaning, and personal-data cues.
//!
//! Resource files name categories as strings (`"disclosure.self_harm"`); this module is the one
//! place that lists them, so a typo in a file is an error at load time, not a silent miss.

use serde::{Deserialize, Serialize};

/// Defines a fieldless enum with its stable string names (used in files, JSON and the API).
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable name used in resource files and JSON.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the stable name.
            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

named_enum! {
    /// Sensitive things a client may disclose about themselves or someone close (P2, P4).
    Disclosure {
        /// Self-harm and suicidal ideation.
        SelfHarm = "self_harm",
        /// Someone's life or safety is threatened.
        ThreatToLife = "threat_to_life",
        /// Violence or abuse at home.
        DomesticViolence = "domestic_violence",
        /// Addiction: alcohol, drugs, gambling.
        SubstanceAbuse = "substance_abuse",
        /// Mental health conditions and care.
        MentalHealth = "mental_health",
        /// Physical health and medical details.
        PhysicalHealth = "physical_health",
        /// Debt, arrears, eviction.
        MoneyTrouble = "money_trouble",
        /// Relationships and sexual life.
        RelationshipsSexual = "relationships_sexual",
        /// Arrests, courts, criminal records.
        LegalCriminal = "legal_criminal",
        /// Residence status and papers.
        Immigration = "immigration",
        /// A death of someone close.
        Bereavement = "bereavement",
    }
}

named_enum! {
    /// Emotions the client expresses (P2, P9, P27).
    Emotion {
        /// Anger.
        Anger = "anger",
        /// Frustration.
        Frustration = "frustration",
        /// Distress and sadness.
        Distress = "distress",
        /// Fear and anxiety.
        Fear = "fear",
        /// Shame and embarrassment.
        Shame = "shame",
        /// Confusion.
        Confusion = "confusion",
        /// Hurry and pressure.
        Hurry = "hurry",
        /// Gratitude and relief.
        Gratitude = "gratitude",
    }
}

named_enum! {
    /// Ways a client crosses a professional boundary toward the worker (P3, P5, P18, P19).
    Crossing {
        /// Asks for the worker's own contact details.
        PersonalContact = "personal_contact",
        /// Asks to meet outside work.
        MeetOutside = "meet_outside",
        /// Romantic advances.
        Romantic = "romantic",
        /// Sexual advances.
        Sexual = "sexual",
        /// Asks the worker for money or a loan.
        MoneyRequest = "money_request",
        /// Gifts offered or asked for.
        Gift = "gift",
        /// Personal favours outside the role.
        Favour = "favour",
        /// Counselling beyond the worker's role.
        Counselling = "counselling",
        /// Emotional manipulation and guilt-tripping.
        Manipulation = "manipulation",
        /// Contact outside the worker's hours (computed from context, not from words).
        AfterHours = "after_hours",
        /// A stream of intimate detail unrelated to the service (computed).
        Oversharing = "oversharing",
    }
}

named_enum! {
    /// Abuse toward staff (P6, P9).
    Abuse {
        /// Insults.
        Insult = "insult",
        /// Swearing.
        Profanity = "profanity",
        /// Threats of violence or harm.
        Threat = "threat",
        /// Harassment.
        Harassment = "harassment",
        /// Discriminatory slurs.
        Slur = "slur",
        /// Complaints used as leverage: reported, but not abuse.
        ComplaintLeverage = "complaint_leverage",
    }
}

named_enum! {
    /// Words that change the meaning of what is near them.
    Modifier {
        /// Negators.
        Negation = "negation",
        /// Reported or general speech.
        Reported = "reported",
        /// Hypotheticals.
        Hypothetical = "hypothetical",
        /// Questions about policy.
        Question = "question",
        /// Intensifiers.
        Intensifier = "intensifier",
        /// Diminishers.
        Diminisher = "diminisher",
        /// First-person words.
        FirstPerson = "first_person",
        /// Second-person words.
        SecondPerson = "second_person",
        /// Words for the organisation.
        Organisation = "organisation",
        /// People close to the speaker.
        ClosePerson = "close_person",
        /// Sarcasm markers ("yeah right", "thanks for nothing"): praise or thanks in their clause is
        /// read as frustration.
        Sarcasm = "sarcasm",
        /// Words inside quotation marks: someone else's words (computed from punctuation, never
        /// listed in a file).
        Quote = "quote",
    }
}

named_enum! {
    /// Words that announce personal data, or announce that a number is not personal data.
    PiiCue {
        /// A person's name follows.
        Name = "name",
        /// A postal address follows.
        Address = "address",
        /// A date of birth follows.
        BirthDate = "birth_date",
        /// A password, PIN or code follows.
        Secret = "secret",
        /// A phone number follows.
        Phone = "phone",
        /// A number that is not personal data follows (order, invoice, parcel).
        NotPii = "not_pii",
        /// A named identifier follows ("BSN", "PESEL"); the entry's `kind` says which.
        Id = "id",
    }
}

named_enum! {
    /// Cues in a worker's draft reply that the coach reads (`coach.toml`, P8–P38).
    CoachCue {
        /// Thanking (P30 at the start, P38 at the end).
        Thanks = "thanks",
        /// A positive first line that is not thanks.
        PositiveOpening = "positive_opening",
        /// Apologising (P31).
        Apology = "apology",
        /// Naming or accepting the client's feeling (P8, P32).
        Validation = "validation",
        /// Showing the message was heard (P10).
        Acknowledgement = "acknowledgement",
        /// Openers of open questions and requests (P10).
        OpenQuestion = "open_question",
        /// Announcing a summary (P33).
        Summary = "summary",
        /// Checking the summary (P33).
        Check = "check",
        /// Taking it on personally (P34).
        Ownership = "ownership",
        /// What the worker is doing now (P35).
        PresentAction = "present_action",
        /// An honest fallback or progress updates (P36).
        Fallback = "fallback",
        /// Asking whether there is anything else (P37).
        AnythingElse = "anything_else",
        /// A promised future action (P20, P36).
        Commitment = "commitment",
        /// The corporate "we" (P28).
        CorporateWe = "corporate_we",
        /// Fillers (P29).
        Filler = "filler",
        /// Script and policy language (P29).
        Robotic = "robotic",
        /// Too casual (P29).
        Casual = "casual",
        /// Promises nobody can keep (P2, P20).
        FalsePromise = "false_promise",
        /// Judgement and blame (P2, P9).
        Blame = "blame",
        /// Polite conditionals that contain a blame phrase ("if you'd like").
        PoliteIf = "polite_if",
        /// Defensive or argumentative wording (P9).
        Defensive = "defensive",
        /// Sending the client away (P12, P34).
        BuckPassing = "buck_passing",
        /// The worker's own life and venting (P17).
        SelfDisclosure = "self_disclosure",
        /// Offering personal money or gifts (P18).
        MoneyOffer = "money_offer",
        /// Asking the client for a personal service (P19).
        FavourRequest = "favour_request",
        /// The worker's own contact details (P3, P11).
        ContactSharing = "contact_sharing",
        /// Doing the client's work for them (P15).
        Rescuing = "rescuing",
    }
}

named_enum! {
    /// How serious a finding is.
    Severity {
        /// Worth noting.
        Low = "low",
        /// Needs care.
        Moderate = "moderate",
        /// Needs action.
        High = "high",
        /// Needs action now: a life may be at risk.
        Urgent = "urgent",
    }
}

/// What a resource entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// `disclosure.*`
    Disclosure(Disclosure),
    /// `emotion.*`
    Emotion(Emotion),
    /// `crossing.*`
    Crossing(Crossing),
    /// `abuse.*`
    Abuse(Abuse),
    /// `modifier.*`
    Modifier(Modifier),
    /// `pii.cue.*`
    PiiCue(PiiCue),
    /// `coach.*`: read in a worker's draft, never in a client's message.
    Coach(CoachCue),
}

impl Category {
    /// Whether tact computes the category itself from context or punctuation, so that a resource
    /// file must not list it.
    pub fn is_computed(self) -> bool {
        matches!(
            self,
            Category::Crossing(Crossing::AfterHours | Crossing::Oversharing)
                | Category::Modifier(Modifier::Quote)
        )
    }

    /// Parses `"disclosure.self_harm"` and the like.
    pub fn parse(text: &str) -> Option<Category> {
        let (family, name) = text.split_once('.')?;
        match family {
            "disclosure" => Disclosure::parse(name).map(Category::Disclosure),
            "emotion" => Emotion::parse(name).map(Category::Emotion),
            "crossing" => Crossing::parse(name).map(Category::Crossing),
            "abuse" => Abuse::parse(name).map(Category::Abuse),
            "modifier" => Modifier::parse(name).map(Category::Modifier),
            "coach" => CoachCue::parse(name).map(Category::Coach),
            "pii" => name
                .strip_prefix("cue.")
                .and_then(PiiCue::parse)
                .map(Category::PiiCue),
            _ => None,
        }
    }

    /// The stable name, as [`Category::parse`] reads it.
    pub fn name(self) -> String {
        match self {
            Category::Disclosure(d) => format!("disclosure.{d}"),
            Category::Emotion(e) => format!("emotion.{e}"),
            Category::Crossing(c) => format!("crossing.{c}"),
            Category::Abuse(a) => format!("abuse.{a}"),
            Category::Modifier(m) => format!("modifier.{m}"),
            Category::PiiCue(p) => format!("pii.cue.{p}"),
            Category::Coach(c) => format!("coach.{c}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_round_trips() {
        let mut all: Vec<Category> = Vec::new();
        all.extend(Disclosure::ALL.iter().map(|&d| Category::Disclosure(d)));
        all.extend(Emotion::ALL.iter().map(|&d| Category::Emotion(d)));
        all.extend(Crossing::ALL.iter().map(|&d| Category::Crossing(d)));
        all.extend(Abuse::ALL.iter().map(|&d| Category::Abuse(d)));
        all.extend(Modifier::ALL.iter().map(|&d| Category::Modifier(d)));
        all.extend(PiiCue::ALL.iter().map(|&d| Category::PiiCue(d)));
        all.extend(CoachCue::ALL.iter().map(|&d| Category::Coach(d)));
        for c in all {
            assert_eq!(Category::parse(&c.name()), Some(c));
        }
        assert_eq!(Category::parse("disclosure.nope"), None);
        assert_eq!(Category::parse("pii.name"), None);
    }

    #[test]
    fn severities_order() {
        assert!(Severity::Urgent > Severity::High && Severity::High > Severity::Moderate);
    }
}
