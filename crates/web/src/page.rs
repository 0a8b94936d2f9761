//! The page every screen shares: language and direction, a skip link, the navigation for the
//! signed-in worker's role, the language switcher and sign-out. One stylesheet and, where a page
//! needs it, one small script, both served by tact itself: nothing is fetched from elsewhere.

use crate::locale::Locale;
use crate::session::SignedIn;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};

/// A page being built.
pub struct Page {
    locale: Locale,
    title: String,
    user: Option<(String, bool, String)>,
    current: &'static str,
    script: Option<&'static str>,
    body: Markup,
}

impl Page {
    /// A page titled `title`, in `locale`.
    pub fn new(locale: Locale, title: &str) -> Page {
        Page {
            locale,
            title: title.to_string(),
            user: None,
            current: "",
            script: None,
            body: html! {},
        }
    }

    /// A page for the signed-in `user`, with `current` (`console`, `dashboard`, `directory`,
    /// `training`) marked in the navigation.
    pub fn for_user(user: &SignedIn, title: &str, current: &'static str) -> Page {
        let mut page = Page::new(user.locale, title);
        page.user = Some((
            user.session.name.clone(),
            user.sees_all(),
            user.session.csrf.clone(),
        ));
        page.current = current;
        page
    }

    /// Adds the page's script (`/assets/<name>`).
    pub fn script(mut self, name: &'static str) -> Page {
        self.script = Some(name);
        self
    }

    /// Sets the page's main content.
    pub fn body(mut self, body: Markup) -> Page {
        self.body = body;
        self
    }

    fn render(&self) -> Markup {
        let l = self.locale;
        html! {
            (DOCTYPE)
            html lang=(l.code()) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (self.title) " · tact" }
                    link rel="stylesheet" href="/assets/tact.css";
                    @if let Some(script) = self.script {
                        script src={"/assets/" (script)} defer {}
                    }
                }
                body {
                    a class="skip" href="#main" { (l.t("nav.skip")) }
                    header class="top" {
                        span class="brand" { "tact" }
                        @if let Some((name, sees_all, csrf)) = &self.user {
                            nav aria-label=(l.t("nav.label")) {
                                ul {
                                    @for (key, href, shown) in [
                                        ("console", "/console", true),
                                        ("dashboard", "/dashboard", *sees_all),
                                        ("directory", "/directory", true),
                                        ("training", "/training", true),
                                    ] {
                                        @if shown {
                                            li {
                                                a href=(href) aria-current=[(self.current == key).then_some("page")] {
                                                    (l.t(&format!("nav.{key}")))
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                            span class="who" { (name) }
                            form method="post" action="/sign-out" class="inline" {
                                input type="hidden" name="csrf" value=(csrf);
                                button type="submit" class="link" { (l.t("nav.sign_out")) }
                            }
                        }
                        nav class="langs" aria-label=(l.t("nav.language")) {
                            @for other in Locale::ALL {
                                @if other != l {
                                    a href={"/language/" (other.code())} lang=(other.code()) hreflang=(other.code()) { (other.name()) }
                                }
                            }
                        }
                    }
                    (self.body)
                }
            }
        }
    }
}

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        let mut response = Html(self.render().into_string()).into_response();
        let headers = response.headers_mut();
        // Pages are the worker's own: never cached by a shared machine's browser or a proxy.
        headers.insert("cache-control", "no-store".parse().expect("static"));
        headers.insert(
            "content-security-policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'"
                .parse()
                .expect("static"),
        );
        headers.insert("x-content-type-options", "nosniff".parse().expect("static"));
        headers.insert("referrer-policy", "same-origin".parse().expect("static"));
        response
    }
}

/// An error page with `status`, saying what `key` says; it leaks nothing about records.
pub fn error(locale: Locale, status: StatusCode, key: &str) -> Response {
    let page = Page::new(locale, locale.t(key)).body(html! {
        main id="main" class="narrow" {
            h1 { (locale.t(key)) }
            p { a href="/" { (locale.t("error.home")) } }
        }
    });
    (status, page).into_response()
}
