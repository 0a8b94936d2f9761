//! The resource directory (P4: "keep it up to date"): every entry, searchable by category,
//! language and region, with those due for review highlighted; supervisors and admins edit,
//! import (CSV) and export (CSV, HSDS).

use crate::console::store_error;
use crate::page::{self, Page};
use crate::session::SignedIn;
use axum::Form;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;
use tact_server::AppState;
use tact_store::{DEFAULT_REVIEW_DAYS, Resource};

/// The search form.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Search {
    #[serde(default)]
    q: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    region: String,
}

fn matches(r: &Resource, search: &Search) -> bool {
    let has = |list: &[String], wanted: &str| {
        wanted.trim().is_empty()
            || list.is_empty()
            || list.iter().any(|x| x.eq_ignore_ascii_case(wanted.trim()))
    };
    let q = search.q.trim().to_lowercase();
    (q.is_empty()
        || r.name.to_lowercase().contains(&q)
        || r.notes.to_lowercase().contains(&q)
        || r.contact.to_lowercase().contains(&q))
        && (search.category.trim().is_empty()
            || r.categories
                .iter()
                .any(|c| c.eq_ignore_ascii_case(search.category.trim())))
        && has(&r.languages, &search.language)
        && has(&r.regions, &search.region)
}

fn due_for_review(r: &Resource, now: jiff::Timestamp) -> bool {
    match r.last_verified {
        None => true,
        Some(at) => at
            .checked_add(jiff::SignedDuration::from_hours(r.review_days * 24))
            .is_ok_and(|next| next <= now),
    }
}

/// `GET /directory`.
pub(crate) async fn list(
    State(state): State<AppState>,
    user: SignedIn,
    Query(search): Query<Search>,
) -> Response {
    let l = user.locale;
    let all = match state.store.resources().await {
        Ok(all) => all,
        Err(e) => return store_error(&user, e),
    };
    let now = jiff::Timestamp::now();
    let mut categories: Vec<&String> = all.iter().flat_map(|r| &r.categories).collect();
    categories.sort();
    categories.dedup();
    let shown: Vec<&Resource> = all.iter().filter(|r| matches(r, &search)).collect();
    let due = all.iter().filter(|r| due_for_review(r, now)).count();
    Page::for_user(&user, l.t("directory.title"), "directory")
        .script("directory.js")
        .body(html! {
            main id="main" {
                h1 { (l.t("directory.title")) }
                @if due > 0 {
                    p class="notice" { (l.t("directory.due_notice")) " " strong { (due) } }
                }
                form method="get" action="/directory" class="search" role="search" {
                    label { (l.t("directory.q")) input type="search" name="q" value=(search.q); }
                    label { (l.t("directory.category"))
                        select name="category" {
                            option value="" { (l.t("directory.any")) }
                            @for c in &categories { option value=(c) selected[*c == &search.category] { (c) } }
                        }
                    }
                    label { (l.t("directory.language")) input name="language" size="4" value=(search.language); }
                    label { (l.t("directory.region")) input name="region" size="6" value=(search.region); }
                    button type="submit" { (l.t("directory.search")) }
                }
                p { (shown.len()) " / " (all.len()) }
                // Focusable, so a table wider than a phone can be scrolled from the keyboard.
                div class="scroll" role="group" tabindex="0" aria-label=(l.t("directory.title")) { table class="directory" {
                    thead { tr {
                        th scope="col" { (l.t("directory.name")) }
                        th scope="col" { (l.t("directory.categories")) }
                        th scope="col" { (l.t("directory.languages")) }
                        th scope="col" { (l.t("directory.regions")) }
                        th scope="col" { (l.t("directory.contact")) }
                        th scope="col" { (l.t("directory.verified")) }
                    } }
                    tbody { @for r in &shown {
                        @let late = due_for_review(r, now);
                        tr class=[late.then_some("due")] {
                            th scope="row" {
                                @if user.sees_all() { a href={"/directory/" (r.id)} { (r.name) } } @else { (r.name) }
                            }
                            td { (r.categories.join(", ")) }
                            td { (if r.languages.is_empty() { "*".to_string() } else { r.languages.join(", ") }) }
                            td { (if r.regions.is_empty() { "*".to_string() } else { r.regions.join(", ") }) }
                            td { (r.contact) }
                            td {
                                (r.last_verified.map(|t| t.strftime("%Y-%m-%d").to_string()).unwrap_or_else(|| "–".into()))
                                @if late { " " strong class="due-label" { (l.t("directory.due")) } }
                            }
                        }
                    } }
                } }
                p class="buttons" {
                    a href="/directory/export.csv" download="directory.csv" { (l.t("directory.export_csv")) }
                    " · "
                    a href="/directory/export.hsds.json" download="directory.hsds.json" { (l.t("directory.export_hsds")) }
                    @if user.sees_all() { " · " a href="/directory/new" { (l.t("directory.new")) } }
                }
                @if user.sees_all() {
                    details {
                        summary { (l.t("directory.import")) }
                        form method="post" action="/directory/import" class="stack" {
                            input type="hidden" name="csrf" value=(user.session.csrf);
                            label for="import-file" { (l.t("directory.import_file")) }
                            input id="import-file" type="file" accept=".csv,text/csv";
                            label for="import-csv" { (l.t("directory.import_csv")) }
                            textarea id="import-csv" name="csv" rows="6" required {}
                            button type="submit" { (l.t("directory.import_submit")) }
                        }
                    }
                }
            }
        })
        .into_response()
}

/// `GET /directory/{id}` and `GET /directory/new`: the edit form.
pub(crate) async fn edit(
    State(state): State<AppState>,
    user: SignedIn,
    id: Option<Path<i64>>,
) -> Response {
    let l = user.locale;
    if !user.sees_all() {
        return page::error(l, StatusCode::FORBIDDEN, "error.forbidden");
    }
    let resource = match id {
        Some(Path(id)) => match state.store.resources().await {
            Ok(all) => match all.into_iter().find(|r| r.id == id) {
                Some(r) => r,
                None => return page::error(l, StatusCode::NOT_FOUND, "error.not_found"),
            },
            Err(e) => return store_error(&user, e),
        },
        None => Resource {
            id: 0,
            name: String::new(),
            categories: Vec::new(),
            languages: Vec::new(),
            regions: Vec::new(),
            contact: String::new(),
            opening_hours: None,
            notes: String::new(),
            last_verified: None,
            review_days: DEFAULT_REVIEW_DAYS,
        },
    };
    let field = |name: &'static str, label: &str, value: String, required: bool| {
        html! {
            label for={"r-" (name)} { (label) }
            input id={"r-" (name)} name=(name) value=(value) required[required];
        }
    };
    Page::for_user(&user, l.t("directory.edit"), "directory")
        .body(html! {
            main id="main" class="narrow" {
                p { a href="/directory" { "← " (l.t("directory.title")) } }
                h1 { (if resource.id == 0 { l.t("directory.new") } else { l.t("directory.edit") }) }
                form method="post" action="/directory/save" class="stack" {
                    input type="hidden" name="csrf" value=(user.session.csrf);
                    input type="hidden" name="id" value=(resource.id);
                    (field("name", l.t("directory.name"), resource.name.clone(), true))
                    (field("categories", l.t("directory.categories_hint"), resource.categories.join(", "), true))
                    (field("languages", l.t("directory.languages_hint"), resource.languages.join(", "), false))
                    (field("regions", l.t("directory.regions_hint"), resource.regions.join(", "), false))
                    (field("contact", l.t("directory.contact"), resource.contact.clone(), true))
                    (field("opening_hours", l.t("directory.hours"), resource.opening_hours.clone().unwrap_or_default(), false))
                    label for="r-notes" { (l.t("directory.notes")) }
                    textarea id="r-notes" name="notes" rows="3" { (resource.notes) }
                    (field("review_days", l.t("directory.review_days"), resource.review_days.to_string(), true))
                    label class="check" {
                        input type="checkbox" name="verified" value="yes";
                        " " (l.t("directory.verified_now"))
                    }
                    button type="submit" { (l.t("directory.save")) }
                }
            }
        })
        .into_response()
}

/// The edit form as sent.
#[derive(Deserialize)]
pub(crate) struct ResourceForm {
    csrf: String,
    id: i64,
    name: String,
    categories: String,
    #[serde(default)]
    languages: String,
    #[serde(default)]
    regions: String,
    contact: String,
    #[serde(default)]
    opening_hours: String,
    #[serde(default)]
    notes: String,
    review_days: String,
    #[serde(default)]
    verified: Option<String>,
}

fn list_of(text: &str) -> Vec<String> {
    text.split([',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `POST /directory/save`.
pub(crate) async fn save(
    State(state): State<AppState>,
    user: SignedIn,
    Form(form): Form<ResourceForm>,
) -> Response {
    if let Err(refused) = user.check_csrf(&form.csrf) {
        return refused;
    }
    let existing = match state.store.resources().await {
        Ok(all) => all.into_iter().find(|r| r.id == form.id),
        Err(e) => return store_error(&user, e),
    };
    let Ok(review_days) = form.review_days.trim().parse() else {
        return page::error(user.locale, StatusCode::BAD_REQUEST, "error.invalid");
    };
    let resource = Resource {
        id: form.id,
        name: form.name.trim().to_string(),
        categories: list_of(&form.categories),
        languages: list_of(&form.languages),
        regions: list_of(&form.regions),
        contact: form.contact.trim().to_string(),
        opening_hours: Some(form.opening_hours.trim().to_string()).filter(|h| !h.is_empty()),
        notes: form.notes,
        last_verified: if form.verified.is_some() {
            Some(jiff::Timestamp::now())
        } else {
            existing.and_then(|r| r.last_verified)
        },
        review_days,
    };
    match state
        .store
        .save_resource(user.session.viewer, &resource)
        .await
    {
        Ok(_) => Redirect::to("/directory").into_response(),
        Err(e) => store_error(&user, e),
    }
}

/// A CSV import as sent.
#[derive(Deserialize)]
pub(crate) struct ImportForm {
    csrf: String,
    csv: String,
}

/// `POST /directory/import`: all or nothing, errors name the line and column.
pub(crate) async fn import(
    State(state): State<AppState>,
    user: SignedIn,
    Form(form): Form<ImportForm>,
) -> Response {
    if let Err(refused) = user.check_csrf(&form.csrf) {
        return refused;
    }
    let l = user.locale;
    let resources = match tact_exchange::directory_csv::import(form.csv.as_bytes()) {
        Ok(r) => r,
        Err(error) => {
            return (
                StatusCode::BAD_REQUEST,
                Page::for_user(&user, l.t("directory.import"), "directory").body(html! {
                    main id="main" class="narrow" {
                        h1 { (l.t("directory.import_refused")) }
                        pre class="problem" role="alert" { (error.to_string()) }
                        p { a href="/directory" { "← " (l.t("directory.title")) } }
                    }
                }),
            )
                .into_response();
        }
    };
    match state
        .store
        .import_resources(user.session.viewer, &resources)
        .await
    {
        Ok(_) => Redirect::to("/directory").into_response(),
        Err(e) => store_error(&user, e),
    }
}

/// `GET /directory/export.csv`.
pub(crate) async fn export_csv(State(state): State<AppState>, user: SignedIn) -> Response {
    match state.store.resources().await {
        Ok(all) => match tact_exchange::directory_csv::export(&all) {
            Ok(csv) => ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv).into_response(),
            Err(_) => page::error(
                user.locale,
                StatusCode::INTERNAL_SERVER_ERROR,
                "error.invalid",
            ),
        },
        Err(e) => store_error(&user, e),
    }
}

/// `GET /directory/export.hsds.json`.
pub(crate) async fn export_hsds(State(state): State<AppState>, user: SignedIn) -> Response {
    match state.store.resources().await {
        Ok(all) => Json(tact_exchange::hsds::export(&all, &state.organisation)).into_response(),
        Err(e) => store_error(&user, e),
    }
}
