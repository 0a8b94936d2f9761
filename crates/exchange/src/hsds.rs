//! The resource directory as Open Referral HSDS 3.0 (Human Services Data Specification) JSON.
//!
//! [`export`] writes a JSON array of HSDS `service` objects, each with its `organization`,
//! `phones`, `schedules`, `service_areas`, `languages` and `attributes` nested, the shape of the
//! HSDS API's "full service". [`import`] reads such an array, a single service object, or an HSDS
//! API page (`{"contents": [...]}`), and returns [`ImportedResource`]s.
//!
//! # Mapping
//!
//! | tact [`Resource`] | HSDS |
//! |---|---|
//! | `name` | `service.name`, and `organization.name` (tact keeps no separate provider, so each entry is its own organization) |
//! | `categories` | `service.attributes[]` whose `taxonomy_term.taxonomy` is [`CATEGORY_TAXONOMY`]; the category is the term's `code` |
//! | `languages` | `service.languages[]`: `code` (ISO 639-1 as tact stores it) and the English `name` when known |
//! | `regions` | `service.service_areas[].name` |
//! | `contact` | `service.phones[].number`, `service.email` and `service.url`, picked out of the free text; the text itself in an extension attribute (below) |
//! | `opening_hours` | one `service.schedules[]` entry with the free text in `description` (tact keeps no structured hours) |
//! | `notes` | `service.description` (notes say what the service does and how to use it; HSDS `alert` is for short-term notices, so it is not used on export) |
//! | `last_verified` | `service.assured_date` (`YYYY-MM-DD`, UTC) |
//! | `review_days` | extension attribute (below) |
//! | `id` | not exported as such: `service.id` is a UUID derived from it (see [`service_id`]) |
//!
//! HSDS has no field for a review interval, no free-text contact and no time of day for
//! `assured_date`, so tact writes them as `attributes` whose `taxonomy_term.taxonomy` is
//! [`EXTENSION_TAXONOMY`], the term's `code` naming the field (`review_days`, `contact`,
//! `last_verified`) and the attribute's `value` holding it. Other HSDS consumers may ignore them.
//! On import:
//!
//! * `review_days` is restored from its attribute, or is 180;
//! * the contact text is restored from its attribute when every phone number, email and URL of
//!   the service still appears in it; otherwise (someone edited the structured fields) the
//!   contact is rebuilt from them: phones (with extensions), email, URL, named contacts;
//! * the exact `last_verified` time is restored when its attribute falls on `assured_date`;
//!   otherwise `assured_date` is read as midnight UTC.
//!
//! So an export read back by [`import`] gives the same resources, apart from the id.
//!
//! Import is lenient with what HSDS leaves optional: missing or `null` fields are empty, numbers
//! are accepted where text is expected, service-level phones and schedules fall back to those of
//! the service's locations, and languages of its locations are added. HSDS `alert` text is added
//! to the notes. Taxonomy terms of other taxonomies cannot be mapped to tact's categories, so they
//! are returned in [`ImportedResource::taxonomy_terms`] for someone to map; a service with none
//! of tact's categories comes back with empty `categories`, which the store refuses until one is
//! set. A service without a name, or a field of the wrong shape, refuses the whole document with
//! an error naming the service's index and the field.

use serde::Serialize;
use serde_json::{Map, Value};
use tact_store::Resource;

use crate::{parse_date, utc_date, utc_midnight, uuid_v8};

/// The `taxonomy_term.taxonomy` of the terms carrying tact's disclosure categories.
pub const CATEGORY_TAXONOMY: &str = "tact:category";

/// The `taxonomy_term.taxonomy` of the terms carrying tact fields HSDS has no place for.
pub const EXTENSION_TAXONOMY: &str = "tact:extension";

/// The review interval of an imported service that does not carry one: the store's own default.
pub use tact_store::DEFAULT_REVIEW_DAYS;

/// Extension term codes.
const REVIEW_DAYS: &str = "review_days";
const CONTACT: &str = "contact";
const LAST_VERIFIED: &str = "last_verified";

/// A service read from HSDS.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedResource {
    /// The service's HSDS `id`, to match it on a later import.
    pub hsds_id: Option<String>,
    /// The service's HSDS `status` (`active`, `inactive`, `defunct`, `temporarily closed`), so
    /// that the caller can leave out services that no longer run.
    pub status: Option<String>,
    /// Names of taxonomy terms from other taxonomies than tact's, for mapping to categories.
    pub taxonomy_terms: Vec<String>,
    /// The entry, with id 0.
    pub resource: Resource,
}

/// Why an HSDS document was refused.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The text is not JSON (the message gives line and column).
    #[error("not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The JSON is not a list of services, an API page or one service.
    #[error(
        "expected a list of HSDS services, a page with `contents`, or one service object; found {found}"
    )]
    Shape {
        /// What was found instead.
        found: &'static str,
    },
    /// One or more services are unusable; nothing was imported.
    #[error("{}", crate::ErrorList::new(.0, "problem", "the HSDS document"))]
    InvalidServices(Vec<ServiceError>),
}

/// A problem with one service of an HSDS document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("service at index {index}{}: {field}: {problem}", .hsds_id.as_ref().map(|id| format!(" (id {id:?})")).unwrap_or_default())]
pub struct ServiceError {
    /// Its position in the list, from 0 (0 for a single service object).
    pub index: usize,
    /// Its HSDS `id`, when it has one.
    pub hsds_id: Option<String>,
    /// The field, as a path inside the service (`name`, `attributes[2].value`).
    pub field: String,
    /// What is wrong.
    pub problem: String,
}

// ------------------------------------------------------------------------------------ export

/// The HSDS `service.id` tact gives an entry: a version-8 UUID from `namespace` (the
/// organisation publishing the directory, so two installations' services never share ids) and
/// the entry's id, or its name while it has no id yet (0). Stable across exports, so a consumer
/// can update rather than duplicate, and a later [`import`] can match it.
pub fn service_id(resource: &Resource, namespace: &str) -> String {
    if resource.id == 0 {
        uuid_v8(&["tact/hsds/service-by-name", namespace, &resource.name])
    } else {
        uuid_v8(&["tact/hsds/service", namespace, &resource.id.to_string()])
    }
}

/// Writes the directory as a JSON array of HSDS 3.0 `service` objects (see the
/// [module documentation](self) for the mapping). Every id in it is a UUID derived from
/// `namespace` and the entry, so exporting again gives the same ids.
pub fn export(resources: &[Resource], namespace: &str) -> Value {
    let services: Vec<Service> = resources
        .iter()
        .map(|resource| export_service(resource, namespace))
        .collect();
    serde_json::to_value(services).unwrap_or(Value::Null)
}

#[derive(Serialize)]
struct Service {
    id: String,
    organization_id: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    assured_date: Option<String>,
    organization: Organization,
    phones: Vec<Phone>,
    schedules: Vec<Schedule>,
    service_areas: Vec<ServiceArea>,
    languages: Vec<Language>,
    attributes: Vec<Attribute>,
}

#[derive(Serialize)]
struct Organization {
    id: String,
    name: String,
    description: String,
}

#[derive(Serialize)]
struct Phone {
    id: String,
    service_id: String,
    number: String,
}

#[derive(Serialize)]
struct Schedule {
    id: String,
    service_id: String,
    description: String,
}

#[derive(Serialize)]
struct ServiceArea {
    id: String,
    service_id: String,
    name: String,
}

#[derive(Serialize)]
struct Language {
    id: String,
    service_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'static str>,
    code: String,
}

#[derive(Serialize)]
struct Attribute {
    id: String,
    link_id: String,
    link_entity: &'static str,
    taxonomy_term_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<String>,
    label: String,
    taxonomy_term: TaxonomyTerm,
}

#[derive(Serialize)]
struct TaxonomyTerm {
    id: String,
    code: String,
    name: String,
    description: String,
    taxonomy: &'static str,
}

fn export_service(resource: &Resource, namespace: &str) -> Service {
    let sid = service_id(resource, namespace);
    let child = |kind: &str, key: &str| uuid_v8(&["tact/hsds", &sid, kind, key]);
    let organization_id = child("organization", "");
    let found = ContactParts::find(&resource.contact);

    let mut attributes: Vec<Attribute> = resource
        .categories
        .iter()
        .map(|category| {
            let term_id = uuid_v8(&["tact/hsds/term", CATEGORY_TAXONOMY, category]);
            Attribute {
                id: child("attribute", &term_id),
                link_id: sid.clone(),
                link_entity: "service",
                taxonomy_term_id: term_id.clone(),
                value: None,
                label: category_label(category),
                taxonomy_term: TaxonomyTerm {
                    id: term_id,
                    code: category.clone(),
                    name: category_label(category),
                    description: "A tact disclosure category: the service helps with it.".into(),
                    taxonomy: CATEGORY_TAXONOMY,
                },
            }
        })
        .collect();
    let mut extension = |code: &str, label: &str, description: &str, value: String| {
        let term_id = uuid_v8(&["tact/hsds/term", EXTENSION_TAXONOMY, code]);
        attributes.push(Attribute {
            id: child("attribute", &term_id),
            link_id: sid.clone(),
            link_entity: "service",
            taxonomy_term_id: term_id.clone(),
            value: Some(value),
            label: label.into(),
            taxonomy_term: TaxonomyTerm {
                id: term_id,
                code: code.into(),
                name: label.into(),
                description: description.into(),
                taxonomy: EXTENSION_TAXONOMY,
            },
        });
    };
    extension(
        REVIEW_DAYS,
        "Review interval (days)",
        "tact: how many days may pass before the entry must be checked again.",
        resource.review_days.to_string(),
    );
    if !resource.contact.is_empty() {
        extension(
            CONTACT,
            "How to reach it",
            "tact: the contact details exactly as workers see them.",
            resource.contact.clone(),
        );
    }
    if let Some(at) = resource.last_verified {
        extension(
            LAST_VERIFIED,
            "Last verified",
            "tact: when the entry was last checked, to the second (assured_date keeps the day).",
            at.to_string(),
        );
    }

    Service {
        organization_id: organization_id.clone(),
        name: resource.name.clone(),
        description: Some(resource.notes.clone()).filter(|n| !n.is_empty()),
        url: found.urls.first().cloned(),
        email: found.emails.first().cloned(),
        status: "active",
        assured_date: resource.last_verified.map(|at| utc_date(at).to_string()),
        organization: Organization {
            id: organization_id,
            name: resource.name.clone(),
            description: String::new(),
        },
        phones: found
            .phones
            .iter()
            .map(|number| Phone {
                id: child("phone", number),
                service_id: sid.clone(),
                number: number.clone(),
            })
            .collect(),
        schedules: resource
            .opening_hours
            .iter()
            .map(|hours| Schedule {
                id: child("schedule", hours),
                service_id: sid.clone(),
                description: hours.clone(),
            })
            .collect(),
        service_areas: resource
            .regions
            .iter()
            .map(|region| ServiceArea {
                id: child("service_area", region),
                service_id: sid.clone(),
                name: region.clone(),
            })
            .collect(),
        languages: resource
            .languages
            .iter()
            .map(|code| Language {
                id: child("language", code),
                service_id: sid.clone(),
                name: language_name(code),
                code: code.clone(),
            })
            .collect(),
        attributes,
        id: sid,
    }
}

/// `domestic_violence` → `Domestic violence`.
fn category_label(code: &str) -> String {
    let spaced = code.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

/// Phone numbers, email addresses and web addresses found in free contact text.
#[derive(Debug, Default, PartialEq)]
struct ContactParts {
    phones: Vec<String>,
    emails: Vec<String>,
    urls: Vec<String>,
}

impl ContactParts {
    /// Picks them out of `text`: URLs start with `http://` or `https://`, emails have an `@` and
    /// a dot after it, phone numbers are runs of digits, spaces and `+-().` with at least three
    /// digits, outside URLs and emails.
    fn find(text: &str) -> ContactParts {
        let mut parts = ContactParts::default();
        let mut rest = String::with_capacity(text.len());
        for word in text.split_whitespace() {
            let token = word.trim_matches(|c: char| matches!(c, ',' | ';' | '<' | '>' | '(' | ')'));
            let token = token.trim_end_matches('.');
            let lower = token.to_ascii_lowercase();
            if lower.starts_with("http://") || lower.starts_with("https://") {
                push_unique(&mut parts.urls, token);
                rest.push_str(" | ");
            } else if let Some(email) = as_email(token) {
                push_unique(&mut parts.emails, email);
                rest.push_str(" | ");
            } else {
                rest.push(' ');
                rest.push_str(word);
            }
        }
        let is_phone_char =
            |c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '(' | ')' | '.' | ' ');
        let mut run = String::new();
        let mut flush = |run: &mut String| {
            let candidate = tidy_phone(run);
            if candidate.chars().filter(char::is_ascii_digit).count() >= 3 {
                push_unique(&mut parts.phones, candidate);
            }
            run.clear();
        };
        for c in rest.chars() {
            if is_phone_char(c) {
                run.push(c);
            } else {
                flush(&mut run);
            }
        }
        flush(&mut run);
        parts
    }
}

fn as_email(token: &str) -> Option<&str> {
    let token = token
        .strip_prefix("mailto:")
        .or_else(|| token.strip_prefix("MAILTO:"))
        .unwrap_or(token);
    let (local, domain) = token.split_once('@')?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@');
    ok.then_some(token)
}

/// A run of phone characters cut to a phone number: outer spaces, dashes and dots removed, and
/// cut before a parenthesis without its partner (`020 0000 0000 (24` → `020 0000 0000`).
fn tidy_phone(run: &str) -> &str {
    let trim = |s: &str| -> usize {
        // The length of `s` without trailing separators.
        s.trim_end_matches([' ', '-', '.']).len()
    };
    let run = run.trim_start_matches([' ', '-', '.', ')']);
    let mut open = Vec::new();
    let mut end = run.len();
    for (i, c) in run.char_indices() {
        match c {
            '(' => open.push(i),
            ')' if open.pop().is_none() => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    if let Some(&first_unclosed) = open.first() {
        end = end.min(first_unclosed);
    }
    let cut = &run[..end];
    &cut[..trim(cut)]
}

fn push_unique(list: &mut Vec<String>, item: &str) {
    if !item.is_empty() && !list.iter().any(|x| x == item) {
        list.push(item.to_string());
    }
}

// ------------------------------------------------------------------------------------ import

/// Reads an HSDS JSON document: a list of services, an HSDS API page (`{"contents": [...]}`) or
/// one "full service" object. See the [module documentation](self) for what is read and how
/// lenient it is.
pub fn import(json: &str) -> Result<Vec<ImportedResource>, ImportError> {
    let value: Value = serde_json::from_str(json)?;
    import_value(&value)
}

/// Like [`import`], from parsed JSON.
pub fn import_value(value: &Value) -> Result<Vec<ImportedResource>, ImportError> {
    let services: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        Value::Object(object) => match object.get("contents") {
            Some(Value::Array(items)) if !object.contains_key("name") => items.iter().collect(),
            _ => vec![value],
        },
        other => {
            return Err(ImportError::Shape {
                found: json_kind(other),
            });
        }
    };
    let mut errors = Vec::new();
    let mut imported = Vec::with_capacity(services.len());
    for (index, service) in services.into_iter().enumerate() {
        let mut reader = Reader {
            index,
            hsds_id: None,
            errors: &mut errors,
        };
        if let Some(resource) = reader.service(service) {
            imported.push(resource);
        }
    }
    if errors.is_empty() {
        Ok(imported)
    } else {
        Err(ImportError::InvalidServices(errors))
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads one service, collecting what is wrong with it.
struct Reader<'e> {
    index: usize,
    hsds_id: Option<String>,
    errors: &'e mut Vec<ServiceError>,
}

impl Reader<'_> {
    fn error(&mut self, field: impl Into<String>, problem: impl Into<String>) {
        self.errors.push(ServiceError {
            index: self.index,
            hsds_id: self.hsds_id.clone(),
            field: field.into(),
            problem: problem.into(),
        });
    }

    /// A text field: `None` when missing, `null` or blank; numbers and booleans as written.
    fn text(&mut self, object: &Map<String, Value>, key: &str, path: &str) -> Option<String> {
        match object.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::Bool(b)) => Some(b.to_string()),
            Some(other) => {
                self.error(
                    join(path, key),
                    format!("expected text, found {}", json_kind(other)),
                );
                None
            }
        }
    }

    /// Like [`Reader::text`], but text that is not blank is kept exactly, outer whitespace and
    /// all, so that free text tact wrote reads back unchanged.
    fn exact_text(&mut self, object: &Map<String, Value>, key: &str, path: &str) -> Option<String> {
        match object.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            _ => self.text(object, key, path),
        }
    }

    /// An object field: `None` when missing or `null`.
    fn object<'v>(
        &mut self,
        object: &'v Map<String, Value>,
        key: &str,
        path: &str,
    ) -> Option<&'v Map<String, Value>> {
        match object.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Object(inner)) => Some(inner),
            Some(other) => {
                self.error(
                    join(path, key),
                    format!("expected an object, found {}", json_kind(other)),
                );
                None
            }
        }
    }

    /// The objects of a list field, with their paths: empty when missing or `null`.
    fn objects<'v>(
        &mut self,
        object: &'v Map<String, Value>,
        key: &str,
        path: &str,
    ) -> Vec<(String, &'v Map<String, Value>)> {
        let field = join(path, key);
        match object.get(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => {
                let mut found = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let item_path = format!("{field}[{i}]");
                    match item {
                        Value::Object(inner) => found.push((item_path, inner)),
                        Value::Null => {}
                        other => self.error(
                            item_path,
                            format!("expected an object, found {}", json_kind(other)),
                        ),
                    }
                }
                found
            }
            Some(other) => {
                self.error(
                    field,
                    format!("expected a list, found {}", json_kind(other)),
                );
                Vec::new()
            }
        }
    }

    fn service(&mut self, value: &Value) -> Option<ImportedResource> {
        let before = self.errors.len();
        let Value::Object(s) = value else {
            self.error(
                "(service)",
                format!("expected an object, found {}", json_kind(value)),
            );
            return None;
        };
        self.hsds_id = self.text(s, "id", "");
        let hsds_id = self.hsds_id.clone();
        let status = self.text(s, "status", "");

        let organization = self.object(s, "organization", "");
        let service_name = self.text(s, "name", "");
        let organization_name = organization.and_then(|o| self.text(o, "name", "organization"));
        let name = match (service_name, organization_name) {
            (None, _) => {
                self.error("name", "the service has no name");
                String::new()
            }
            (Some(service), Some(org)) if !service.to_lowercase().contains(&org.to_lowercase()) => {
                format!("{service} ({org})")
            }
            (Some(service), _) => service,
        };

        // Locations' phones, schedules and languages, used when the service has its own.
        let mut locations: Vec<(String, &Map<String, Value>)> = Vec::new();
        for (path, sal) in self.objects(s, "service_at_locations", "") {
            locations.push((path.clone(), sal));
            if let Some(location) = self.object(sal, "location", &path) {
                locations.push((join(&path, "location"), location));
            }
        }

        // Attributes: tact's categories and extensions, and other taxonomies' terms.
        let mut categories = Vec::new();
        let mut taxonomy_terms = Vec::new();
        let mut review_days = None;
        let mut contact_text = None;
        let mut verified_at = None;
        for (path, attribute) in self.objects(s, "attributes", "") {
            let term = self.object(attribute, "taxonomy_term", &path);
            let term_path = join(&path, "taxonomy_term");
            let taxonomy = term.and_then(|t| self.text(t, "taxonomy", &term_path));
            let code = term.and_then(|t| self.text(t, "code", &term_path));
            let term_name = term.and_then(|t| self.text(t, "name", &term_path));
            match taxonomy.as_deref() {
                Some(CATEGORY_TAXONOMY) => {
                    if let Some(category) = code.or(term_name) {
                        push_unique(&mut categories, &category);
                    }
                }
                Some(EXTENSION_TAXONOMY) => {
                    let value = self.exact_text(attribute, "value", &path);
                    match (code.as_deref(), value) {
                        (Some(REVIEW_DAYS), Some(days)) => match days.trim().parse::<i64>() {
                            Ok(days) if days > 0 => review_days = Some(days),
                            _ => self.error(
                                join(&path, "value"),
                                format!("review_days {days:?} is not a positive whole number"),
                            ),
                        },
                        (Some(CONTACT), Some(text)) => contact_text = Some(text),
                        (Some(LAST_VERIFIED), Some(at)) => {
                            verified_at = at.trim().parse::<jiff::Timestamp>().ok();
                        }
                        _ => {}
                    }
                }
                _ => {
                    let label = self.text(attribute, "label", &path);
                    if let Some(term) = term_name.or(label).or(code) {
                        push_unique(&mut taxonomy_terms, &term);
                    }
                }
            }
        }

        // Languages: the service's and its locations'.
        let mut languages = Vec::new();
        let mut holders = vec![(String::new(), s)];
        holders.extend(locations.iter().map(|(p, o)| (p.clone(), *o)));
        for (holder_path, holder) in &holders {
            for (path, language) in self.objects(holder, "languages", holder_path) {
                let code = self.text(language, "code", &path);
                let name = self.text(language, "name", &path);
                if let Some(language) = code
                    .as_deref()
                    .map(normalise_language)
                    .or_else(|| name.as_deref().map(normalise_language))
                {
                    push_unique(&mut languages, &language);
                }
            }
        }

        let mut regions = Vec::new();
        for (path, area) in self.objects(s, "service_areas", "") {
            let region = self
                .text(area, "name", &path)
                .or_else(|| self.text(area, "description", &path));
            if let Some(region) = region {
                push_unique(&mut regions, &region);
            }
        }

        // Opening hours: the service's schedules, else its locations'.
        let mut hours = self.schedules(s, "");
        if hours.is_empty() {
            for (path, location) in &locations {
                hours.extend(self.schedules(location, path));
            }
        }
        let opening_hours = Some(hours.join("; ")).filter(|h| !h.is_empty());

        // Contact: the structured parts, and tact's own text if they still agree with it.
        let mut phones = self.phones(s, "");
        if phones.is_empty() {
            for (path, location) in &locations {
                phones.extend(self.phones(location, path));
            }
        }
        let email = self.text(s, "email", "");
        let url = self.text(s, "url", "");
        let contact = match contact_text {
            Some(text)
                if phones
                    .iter()
                    .map(|p| p.number.as_str())
                    .chain(email.as_deref())
                    .chain(url.as_deref())
                    .all(|part| text.contains(part)) =>
            {
                text
            }
            _ => {
                let mut parts: Vec<String> = phones.iter().map(PhoneNumber::written).collect();
                parts.extend(email);
                parts.extend(url);
                if parts.is_empty()
                    && let Some(o) = organization
                {
                    parts.extend(
                        self.phones(o, "organization")
                            .iter()
                            .map(PhoneNumber::written),
                    );
                    parts.extend(self.text(o, "email", "organization"));
                    parts.extend(self.text(o, "website", "organization"));
                }
                for (path, person) in self.objects(s, "contacts", "") {
                    let who = self.text(person, "name", &path);
                    let mut reach: Vec<String> = self
                        .phones(person, &path)
                        .iter()
                        .map(PhoneNumber::written)
                        .collect();
                    reach.extend(self.text(person, "email", &path));
                    if !reach.is_empty() {
                        let reach = reach.join(", ");
                        parts.push(match who {
                            Some(who) => format!("{who}: {reach}"),
                            None => reach,
                        });
                    }
                }
                let mut unique = Vec::new();
                for part in &parts {
                    push_unique(&mut unique, part);
                }
                unique.join("; ")
            }
        };

        let description = self.exact_text(s, "description", "");
        let alert = self.exact_text(s, "alert", "");
        let notes = match (description, alert) {
            (Some(d), Some(a)) => format!("{d}\n\nAlert: {a}"),
            (Some(d), None) => d,
            (None, Some(a)) => format!("Alert: {a}"),
            (None, None) => String::new(),
        };
        let assured = match self.text(s, "assured_date", "") {
            None => None,
            Some(text) => match parse_date(&text) {
                Some(date) => Some(date),
                None => {
                    self.error(
                        "assured_date",
                        format!("{text:?} is not a date (YYYY-MM-DD)"),
                    );
                    None
                }
            },
        };
        let last_verified = assured.map(|date| match verified_at {
            Some(at) if utc_date(at) == date => at,
            _ => utc_midnight(date),
        });

        if self.errors.len() != before {
            return None;
        }
        Some(ImportedResource {
            hsds_id,
            status,
            taxonomy_terms,
            resource: Resource {
                id: 0,
                name,
                categories,
                languages,
                regions,
                contact,
                opening_hours,
                notes,
                last_verified,
                review_days: review_days.unwrap_or(DEFAULT_REVIEW_DAYS),
            },
        })
    }

    /// Schedules as text: each one's `description`, or else its times and days.
    fn schedules(&mut self, holder: &Map<String, Value>, holder_path: &str) -> Vec<String> {
        let mut found = Vec::new();
        for (path, schedule) in self.objects(holder, "schedules", holder_path) {
            if let Some(description) = self.exact_text(schedule, "description", &path) {
                found.push(description);
                continue;
            }
            let days = self.text(schedule, "byday", &path);
            let opens = self.text(schedule, "opens_at", &path);
            let closes = self.text(schedule, "closes_at", &path);
            let times = match (opens, closes) {
                (Some(o), Some(c)) => Some(format!("{o}-{c}")),
                (Some(o), None) => Some(format!("from {o}")),
                (None, Some(c)) => Some(format!("until {c}")),
                (None, None) => None,
            };
            let text = [days, times]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            if !text.is_empty() {
                found.push(text);
            }
        }
        found
    }

    fn phones(&mut self, holder: &Map<String, Value>, holder_path: &str) -> Vec<PhoneNumber> {
        let mut found = Vec::new();
        for (path, phone) in self.objects(holder, "phones", holder_path) {
            if let Some(number) = self.text(phone, "number", &path) {
                let extension = self.text(phone, "extension", &path);
                found.push(PhoneNumber { number, extension });
            }
        }
        found
    }
}

/// An HSDS phone number with its extension.
struct PhoneNumber {
    number: String,
    extension: Option<String>,
}

impl PhoneNumber {
    fn written(&self) -> String {
        match &self.extension {
            Some(extension) => format!("{} ext. {extension}", self.number),
            None => self.number.clone(),
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

// --------------------------------------------------------------------------------- languages

/// ISO 639-1 code, ISO 639-2/3 codes, English name.
const LANGUAGES: &[(&str, &[&str], &str)] = &[
    ("af", &["afr"], "Afrikaans"),
    ("am", &["amh"], "Amharic"),
    ("ar", &["ara"], "Arabic"),
    ("bg", &["bul"], "Bulgarian"),
    ("bn", &["ben"], "Bengali"),
    ("cs", &["ces", "cze"], "Czech"),
    ("cy", &["cym", "wel"], "Welsh"),
    ("da", &["dan"], "Danish"),
    ("de", &["deu", "ger"], "German"),
    ("el", &["ell", "gre"], "Greek"),
    ("en", &["eng"], "English"),
    ("es", &["spa"], "Spanish"),
    ("fa", &["fas", "per"], "Persian"),
    ("fi", &["fin"], "Finnish"),
    ("fr", &["fra", "fre"], "French"),
    ("ga", &["gle"], "Irish"),
    ("he", &["heb"], "Hebrew"),
    ("hi", &["hin"], "Hindi"),
    ("hr", &["hrv"], "Croatian"),
    ("hu", &["hun"], "Hungarian"),
    ("it", &["ita"], "Italian"),
    ("ja", &["jpn"], "Japanese"),
    ("ko", &["kor"], "Korean"),
    ("ku", &["kur"], "Kurdish"),
    ("nl", &["nld", "dut"], "Dutch"),
    ("no", &["nor"], "Norwegian"),
    ("pa", &["pan"], "Punjabi"),
    ("pl", &["pol"], "Polish"),
    ("ps", &["pus"], "Pashto"),
    ("pt", &["por"], "Portuguese"),
    ("ro", &["ron", "rum"], "Romanian"),
    ("ru", &["rus"], "Russian"),
    ("sk", &["slk", "slo"], "Slovak"),
    ("so", &["som"], "Somali"),
    ("sq", &["sqi", "alb"], "Albanian"),
    ("sr", &["srp"], "Serbian"),
    ("st", &["sot"], "Southern Sotho"),
    ("sv", &["swe"], "Swedish"),
    ("sw", &["swa"], "Swahili"),
    ("th", &["tha"], "Thai"),
    ("ti", &["tir"], "Tigrinya"),
    ("tl", &["tgl"], "Tagalog"),
    ("tn", &["tsn"], "Tswana"),
    ("tr", &["tur"], "Turkish"),
    ("uk", &["ukr"], "Ukrainian"),
    ("ur", &["urd"], "Urdu"),
    ("vi", &["vie"], "Vietnamese"),
    ("xh", &["xho"], "Xhosa"),
    ("zh", &["zho", "chi"], "Chinese"),
    ("zu", &["zul"], "Zulu"),
];

/// The English name of an ISO 639-1 code, when the table knows it.
fn language_name(code: &str) -> Option<&'static str> {
    LANGUAGES
        .iter()
        .find(|(two, _, _)| two.eq_ignore_ascii_case(code))
        .map(|(_, _, name)| *name)
}

/// A language as tact stores it: the ISO 639-1 code for a code or English name the table knows
/// (`eng`, `English` → `en`), otherwise the text as given.
fn normalise_language(text: &str) -> String {
    let text = text.trim();
    LANGUAGES
        .iter()
        .find(|(two, others, name)| {
            two.eq_ignore_ascii_case(text)
                || others.iter().any(|o| o.eq_ignore_ascii_case(text))
                || name.eq_ignore_ascii_case(text)
        })
        .map(|(two, _, _)| two.to_string())
        .unwrap_or_else(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn resource() -> Resource {
        Resource {
            id: 12,
            name: "Harbour Line".into(),
            categories: vec!["domestic_violence".into(), "housing".into()],
            languages: vec!["en".into(), "xh".into()],
            regions: vec!["ZA-WC".into(), "Cape Flats".into()],
            contact: "Call 021 000 0000 or text 31000; help@harbour.example, https://harbour.example/chat"
                .into(),
            opening_hours: Some("Mon-Fri 08:00-20:00, Sat 09:00-13:00".into()),
            notes: "Ask for the duty counsellor.\nCall-backs within a day.".into(),
            last_verified: Some("2026-02-01T14:25:07Z".parse().unwrap()),
            review_days: 90,
        }
    }

    #[test]
    fn export_then_import_gives_the_same_resource() {
        let original = resource();
        let json = export(std::slice::from_ref(&original), "Example Org");
        let back = import_value(&json).unwrap();
        assert_eq!(back.len(), 1);
        assert_eq!(
            back[0].resource,
            Resource {
                id: 0,
                ..original.clone()
            }
        );
        assert_eq!(
            back[0].hsds_id.as_deref(),
            Some(service_id(&original, "Example Org").as_str())
        );
        assert_eq!(back[0].status.as_deref(), Some("active"));
        assert!(back[0].taxonomy_terms.is_empty());
    }

    #[test]
    fn minimal_resource_round_trips() {
        let original = Resource {
            id: 0,
            name: "Bare".into(),
            categories: vec![],
            languages: vec![],
            regions: vec![],
            contact: String::new(),
            opening_hours: None,
            notes: String::new(),
            last_verified: None,
            review_days: 180,
        };
        let json = export(std::slice::from_ref(&original), "ns");
        assert_eq!(import_value(&json).unwrap()[0].resource, original);
    }

    #[test]
    fn export_uses_hsds_fields() {
        let json = export(&[resource()], "Example Org");
        let s = &json[0];
        assert_eq!(s["name"], "Harbour Line");
        assert_eq!(s["status"], "active");
        assert_eq!(s["assured_date"], "2026-02-01");
        assert_eq!(s["organization"]["name"], "Harbour Line");
        assert_eq!(s["organization_id"], s["organization"]["id"]);
        assert_eq!(s["email"], "help@harbour.example");
        assert_eq!(s["url"], "https://harbour.example/chat");
        assert_eq!(
            s["description"],
            "Ask for the duty counsellor.\nCall-backs within a day."
        );
        let numbers: Vec<&str> = s["phones"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["number"].as_str().unwrap())
            .collect();
        assert_eq!(numbers, ["021 000 0000", "31000"]);
        assert_eq!(
            s["schedules"][0]["description"],
            "Mon-Fri 08:00-20:00, Sat 09:00-13:00"
        );
        assert_eq!(s["service_areas"][1]["name"], "Cape Flats");
        assert_eq!(
            s["languages"][0],
            json!({"id": s["languages"][0]["id"], "service_id": s["id"], "name": "English", "code": "en"})
        );
        let attribute = &s["attributes"][0];
        assert_eq!(attribute["link_id"], s["id"]);
        assert_eq!(attribute["link_entity"], "service");
        assert_eq!(
            attribute["taxonomy_term_id"],
            attribute["taxonomy_term"]["id"]
        );
        assert_eq!(attribute["taxonomy_term"]["code"], "domestic_violence");
        assert_eq!(attribute["taxonomy_term"]["name"], "Domestic violence");
        assert_eq!(attribute["taxonomy_term"]["taxonomy"], CATEGORY_TAXONOMY);
        let review = s["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["taxonomy_term"]["code"] == REVIEW_DAYS)
            .unwrap();
        assert_eq!(review["value"], "90");
        assert_eq!(review["taxonomy_term"]["taxonomy"], EXTENSION_TAXONOMY);
    }

    #[test]
    fn export_ids_are_stable_and_scoped() {
        let a = export(&[resource()], "Org A");
        assert_eq!(a, export(&[resource()], "Org A"));
        let b = export(&[resource()], "Org B");
        assert_ne!(a[0]["id"], b[0]["id"]);
        // Terms are shared: the same category has the same term id everywhere.
        assert_eq!(
            a[0]["attributes"][0]["taxonomy_term"]["id"],
            b[0]["attributes"][0]["taxonomy_term"]["id"]
        );
    }

    #[test]
    fn service_without_name_is_refused_with_its_index() {
        let doc = json!([
            {"id": "a", "name": "Fine", "status": "active"},
            {"id": "b", "status": "active", "name": "   "},
        ]);
        let err = import_value(&doc).unwrap_err();
        match &err {
            ImportError::InvalidServices(errors) => {
                assert_eq!(errors.len(), 1);
                assert_eq!(errors[0].index, 1);
                assert_eq!(errors[0].hsds_id.as_deref(), Some("b"));
                assert_eq!(errors[0].field, "name");
            }
            other => panic!("{other:?}"),
        }
        assert!(
            err.to_string()
                .contains("service at index 1 (id \"b\"): name: the service has no name"),
            "{err}"
        );
    }

    #[test]
    fn single_service_and_api_page_are_accepted() {
        let one = json!({"id": "x", "name": "Solo", "status": "active"});
        assert_eq!(import_value(&one).unwrap()[0].resource.name, "Solo");
        let page = json!({"total_items": 1, "page_number": 1, "contents": [one]});
        assert_eq!(
            import_value(&page).unwrap()[0].hsds_id.as_deref(),
            Some("x")
        );
        let err = import_value(&json!("services")).unwrap_err();
        assert!(matches!(err, ImportError::Shape { found: "a string" }));
    }

    #[test]
    fn missing_optional_fields_are_tolerated() {
        let got = import(r#"[{"name": "Only a name"}]"#).unwrap();
        let r = &got[0].resource;
        assert_eq!(got[0].hsds_id, None);
        assert_eq!(r.name, "Only a name");
        assert!(r.categories.is_empty() && r.languages.is_empty() && r.regions.is_empty());
        assert_eq!(r.contact, "");
        assert_eq!(r.opening_hours, None);
        assert_eq!(r.last_verified, None);
        assert_eq!(r.review_days, DEFAULT_REVIEW_DAYS);
    }

    #[test]
    fn foreign_services_are_mapped() {
        let doc = json!({
            "id": "svc-1",
            "name": "Debt Advice Drop-in",
            "description": "Free advice on rent arrears.",
            "alert": "Closed on public holidays.",
            "email": "advice@riverside.example",
            "status": "active",
            "assured_date": "2025-11-03",
            "organization": {"id": "org-1", "name": "Riverside Family Centre", "description": ""},
            "phones": [{"id": "p1", "number": "020 0000 0000", "extension": 12}],
            "contacts": [{"id": "c1", "name": "Duty desk", "phones": [{"id": "p2", "number": "020 0000 0001"}]}],
            "languages": [{"id": "l1", "code": "eng"}, {"id": "l2", "name": "Polish"}],
            "service_areas": [{"id": "a1", "description": "Borough of Riverside"}],
            "schedules": [{"id": "s1", "byday": "MO,WE", "opens_at": "10:00", "closes_at": "14:00"}],
            "attributes": [{"id": "t1", "taxonomy_term": {"id": "x", "name": "Debt Counseling", "taxonomy": "Example Taxonomy", "description": ""}}],
            "service_at_locations": [{"id": "sal", "location": {"id": "loc", "languages": [{"id": "l3", "code": "ur"}]}}],
        });
        let got = import_value(&doc).unwrap();
        let r = &got[0].resource;
        assert_eq!(r.name, "Debt Advice Drop-in (Riverside Family Centre)");
        assert_eq!(
            r.notes,
            "Free advice on rent arrears.\n\nAlert: Closed on public holidays."
        );
        assert_eq!(
            r.contact,
            "020 0000 0000 ext. 12; advice@riverside.example; Duty desk: 020 0000 0001"
        );
        assert_eq!(r.languages, ["en", "pl", "ur"]);
        assert_eq!(r.regions, ["Borough of Riverside"]);
        assert_eq!(r.opening_hours.as_deref(), Some("MO,WE 10:00-14:00"));
        assert_eq!(
            r.last_verified,
            Some("2025-11-03T00:00:00Z".parse().unwrap())
        );
        assert!(r.categories.is_empty());
        assert_eq!(got[0].taxonomy_terms, ["Debt Counseling"]);
    }

    #[test]
    fn edited_phone_numbers_win_over_the_stored_contact_text() {
        let mut json = export(&[resource()], "ns");
        json[0]["phones"][0]["number"] = json!("021 999 9999");
        let r = &import_value(&json).unwrap()[0].resource;
        assert_eq!(
            r.contact,
            "021 999 9999; 31000; help@harbour.example; https://harbour.example/chat"
        );
    }

    #[test]
    fn a_changed_assured_date_wins_over_the_stored_time() {
        let mut json = export(&[resource()], "ns");
        json[0]["assured_date"] = json!("2026-05-20");
        let r = &import_value(&json).unwrap()[0].resource;
        assert_eq!(
            r.last_verified,
            Some("2026-05-20T00:00:00Z".parse().unwrap())
        );
    }

    #[test]
    fn bad_fields_are_named() {
        let doc = json!([
            {"name": "A", "assured_date": "last spring"},
            {"name": "B", "phones": "0800"},
            {"name": "C", "attributes": [{"id": "r", "value": "-3", "taxonomy_term": {"id": "t", "code": "review_days", "name": "r", "description": "", "taxonomy": EXTENSION_TAXONOMY}}]},
            {"name": ["D"]},
        ]);
        let ImportError::InvalidServices(errors) = import_value(&doc).unwrap_err() else {
            panic!()
        };
        let got: Vec<(usize, &str)> = errors.iter().map(|e| (e.index, e.field.as_str())).collect();
        assert_eq!(
            got,
            [
                (0, "assured_date"),
                (1, "phones"),
                (2, "attributes[0].value"),
                (3, "name"),
                (3, "name")
            ]
        );
    }

    #[test]
    fn invalid_json_reports_line_and_column() {
        let err = import("[\n  {\"name\": \"A\",}\n]").unwrap_err();
        assert!(matches!(err, ImportError::Json(_)));
        assert!(err.to_string().contains("line 2"), "{err}");
    }

    #[test]
    fn contact_parts_are_found_in_free_text() {
        let parts = ContactParts::find(
            "Tel. +44 (0)20 0000 0000 (24h), text 85258. Email <team@help.example>; web: https://help.example.",
        );
        assert_eq!(parts.phones, ["+44 (0)20 0000 0000", "85258"]);
        assert_eq!(parts.emails, ["team@help.example"]);
        assert_eq!(parts.urls, ["https://help.example"]);
        let none = ContactParts::find("Ask at reception, open 24/7");
        assert!(none.phones.is_empty(), "{none:?}");
    }

    #[test]
    fn languages_normalise_to_iso_639_1() {
        assert_eq!(normalise_language("eng"), "en");
        assert_eq!(normalise_language("GER"), "de");
        assert_eq!(normalise_language("Xhosa"), "xh");
        assert_eq!(normalise_language("Klingon"), "Klingon");
        assert_eq!(language_name("zu"), Some("Zulu"));
        assert_eq!(language_name("tlh"), None);
    }
}
