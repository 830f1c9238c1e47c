//! Reads the IdP's HTML pages: which page it is, and its forms.

use scraper::{ElementRef, Html, Selector};
use url::Url;

/// A form as a browser would submit it.
#[derive(Debug, Clone)]
pub(crate) struct Form {
    /// The `action`, resolved against the page URL.
    pub action: Url,
    /// The `method`, upper-case (`GET` or `POST`).
    pub method: String,
    /// Successful controls: `(name, value)` in document order.
    pub fields: Vec<(String, String)>,
}

impl Form {
    /// Sets the value of the first field named `name`, adding it when absent.
    pub fn set(&mut self, name: &str, value: &str) {
        match self.fields.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = value.to_owned(),
            None => self.fields.push((name.to_owned(), value.to_owned())),
        }
    }
}

/// What the IdP showed.
#[derive(Debug)]
pub(crate) enum Page {
    /// A sign-in form: it has a password input.
    Login {
        form: Form,
        /// The name of the user name input (text or email), and of the password input.
        user_field: String,
        password_field: String,
        /// The error shown (`#error` or `[role=alert]`), after a failed attempt.
        error: Option<String>,
    },
    /// A consent page: buttons `#allow` and `#deny`, each in its own form.
    Consent { allow: Form, deny: Form },
    /// Anything else (an error page, say): its title and a bit of its text.
    Other { title: String, text: String },
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("a valid selector")
}

fn text_of(el: ElementRef<'_>) -> String {
    el.text()
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads `form` as a browser submitting it with `button` (which may add its own name=value).
fn read_form(form: ElementRef<'_>, base: &Url, button: Option<ElementRef<'_>>) -> Option<Form> {
    let action = form.value().attr("action").unwrap_or("");
    let action = base.join(action).ok()?;
    let method = form
        .value()
        .attr("method")
        .unwrap_or("get")
        .to_ascii_uppercase();
    let mut fields = Vec::new();
    for input in form.select(&sel("input[name], textarea[name]")) {
        let el = input.value();
        let name = el.attr("name").unwrap_or_default().to_owned();
        let kind = el.attr("type").unwrap_or("text").to_ascii_lowercase();
        match kind.as_str() {
            "submit" | "button" | "image" | "reset" | "file" => continue,
            "checkbox" | "radio" if el.attr("checked").is_none() => continue,
            _ => {}
        }
        let value = if el.name() == "textarea" {
            input.text().collect()
        } else {
            el.attr("value").unwrap_or_default().to_owned()
        };
        fields.push((name, value));
    }
    if let Some(button) = button {
        if let Some(name) = button.value().attr("name") {
            let value = button.value().attr("value").unwrap_or_default();
            fields.push((name.to_owned(), value.to_owned()));
        }
    }
    Some(Form {
        action,
        method,
        fields,
    })
}

/// The form that contains the element matching `selector`, read as submitted by that element.
fn form_with(doc: &Html, base: &Url, selector: &str) -> Option<Form> {
    let target = sel(selector);
    doc.select(&sel("form")).find_map(|form| {
        let button = form.select(&target).next()?;
        read_form(form, base, Some(button))
    })
}

/// Classifies an HTML page served at `base`.
pub(crate) fn parse(html: &str, base: &Url) -> Page {
    let doc = Html::parse_document(html);

    let password = sel("input[type=password][name]");
    let login = doc.select(&sel("form")).find_map(|form| {
        let pw = form.select(&password).next()?;
        let user = form
            .select(&sel("input[name]"))
            .find(|i| matches!(i.value().attr("type").unwrap_or("text"), "text" | "email"))?;
        let submit = form
            .select(&sel(
                "button[type=submit], input[type=submit], button:not([type])",
            ))
            .next();
        Some((
            read_form(form, base, submit)?,
            user.value().attr("name")?.to_owned(),
            pw.value().attr("name")?.to_owned(),
        ))
    });
    if let Some((form, user_field, password_field)) = login {
        let error = doc
            .select(&sel("#error, [role=alert]"))
            .next()
            .map(text_of)
            .filter(|t| !t.is_empty());
        return Page::Login {
            form,
            user_field,
            password_field,
            error,
        };
    }

    if let (Some(allow), Some(deny)) = (
        form_with(&doc, base, "#allow"),
        form_with(&doc, base, "#deny"),
    ) {
        return Page::Consent { allow, deny };
    }

    let title = doc
        .select(&sel("title"))
        .next()
        .map(text_of)
        .unwrap_or_default();
    let text = doc
        .select(&sel("body"))
        .next()
        .map(text_of)
        .unwrap_or_else(|| html.chars().take(500).collect());
    Page::Other {
        title,
        text: text.chars().take(500).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("http://127.0.0.1:9/interaction/abc").unwrap()
    }

    #[test]
    fn reads_a_login_page_with_its_error() {
        let html = r#"<html><body><p id="error" role="alert">Invalid  username
            or password.</p><form method="post" action="/interaction/abc/login">
            <input type="hidden" name="csrf" value="t">
            <input id="login" name="login" value="alice">
            <input id="password" name="password" type="password">
            <button type="submit" id="sign-in">Sign in</button></form></body></html>"#;
        match parse(html, &base()) {
            Page::Login {
                form,
                user_field,
                password_field,
                error,
            } => {
                assert_eq!(
                    form.action.as_str(),
                    "http://127.0.0.1:9/interaction/abc/login"
                );
                assert_eq!(form.method, "POST");
                assert_eq!(user_field, "login");
                assert_eq!(password_field, "password");
                assert_eq!(error.as_deref(), Some("Invalid username or password."));
                assert!(form.fields.contains(&("csrf".into(), "t".into())));
            }
            other => panic!("not a login page: {other:?}"),
        }
    }

    #[test]
    fn reads_a_consent_page() {
        let html = r#"<form method="post" action="/interaction/abc/confirm"><button id="allow" name="ok" value="1">Allow</button></form>
            <form method="post" action="/interaction/abc/abort"><button id="deny">Deny</button></form>"#;
        match parse(html, &base()) {
            Page::Consent { allow, deny } => {
                assert!(allow.action.path().ends_with("/confirm"));
                assert_eq!(allow.fields, vec![("ok".to_owned(), "1".to_owned())]);
                assert!(deny.action.path().ends_with("/abort"));
            }
            other => panic!("not a consent page: {other:?}"),
        }
    }

    #[test]
    fn anything_else_is_other() {
        let html = "<title>oops</title><h1>invalid_request</h1><p>missing   thing</p>";
        match parse(html, &base()) {
            Page::Other { title, text } => {
                assert_eq!(title, "oops");
                assert_eq!(text, "invalid_request missing thing");
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
