//! [`Api`]: one web API the app calls, its scopes and (RFC 8707) resource.

use serde::Deserialize;
use url::Url;

/// One web API the app calls: a `[[apis]]` entry of the configuration file, or
/// [`Api::new`] for [`ConfigBuilder::api`](crate::config::ConfigBuilder::api).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Api {
    /// A short name, unique in the configuration (`customer`, `vendor`).
    pub name: String,
    /// Base URL the API paths are joined to.
    pub base_url: Url,
    /// Scopes the API's access token must carry.
    pub scopes: Vec<String>,
    /// RFC 8707 resource indicator. Set it for every API or for none: providers that take
    /// `resource` (RFC 8707) or scope-only providers (the Microsoft identity platform).
    #[serde(default)]
    pub resource: Option<String>,
    /// Scopes not asked for at sign-in that the API may demand later (`403 insufficient_scope`
    /// naming one of them): the user is then asked to consent to it (incremental consent).
    #[serde(default)]
    pub optional_scopes: Vec<String>,
    /// Why the base URL given to [`Api::new`] is not a URL; reported when the configuration is
    /// built or checked.
    #[serde(skip)]
    pub(crate) base_url_error: Option<String>,
}

impl Api {
    /// An API named `name` at `base_url` (a `&str`, `String` or [`Url`]), with no scope yet.
    ///
    /// A base URL that does not parse is reported by
    /// [`ConfigBuilder::build`](crate::config::ConfigBuilder::build) as `apis[i].base_url`.
    ///
    /// ```
    /// use lanyard::Api;
    ///
    /// // A scope-only provider (Microsoft Entra ID): resource-qualified scopes.
    /// let vendor = Api::new("vendor", "https://vendor.example.com/v1")
    ///     .scopes(["api://vendor/vendor.read"])
    ///     .optional_scopes(["api://vendor/vendor.reports"]);
    /// // An RFC 8707 provider: plain scopes and a resource indicator.
    /// let customer = Api::new("customer", "https://customer.example.com")
    ///     .scopes(["customer.read"])
    ///     .resource("api://customer");
    /// assert_eq!(customer.resource.as_deref(), Some("api://customer"));
    /// assert_eq!(vendor.optional_scope("vendor.reports"), Some("api://vendor/vendor.reports"));
    /// ```
    pub fn new(name: impl Into<String>, base_url: impl AsRef<str>) -> Api {
        let (base_url, base_url_error) = match Url::parse(base_url.as_ref()) {
            Ok(url) => (url, None),
            Err(e) => (
                Url::parse("about:invalid").expect("static URL"),
                Some(format!("not a valid URL: {e}")),
            ),
        };
        Api {
            name: name.into(),
            base_url,
            scopes: Vec::new(),
            resource: None,
            optional_scopes: Vec::new(),
            base_url_error,
        }
    }

    /// The scopes the API's access token must carry (replacing any set before).
    #[must_use]
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// The API's RFC 8707 resource indicator (set one for every API or for none).
    #[must_use]
    pub fn resource(mut self, resource: impl Into<String>) -> Self {
        self.resource = Some(resource.into());
        self
    }

    /// Scopes consented incrementally, when the API asks for one (replacing any set before).
    #[must_use]
    pub fn optional_scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.optional_scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// The optional scope an API's `insufficient_scope` challenge names: equal to it, or (for
    /// resource-qualified scopes) ending in `/<scope>`.
    pub fn optional_scope(&self, named: &str) -> Option<&str> {
        self.optional_scopes
            .iter()
            .find(|s| {
                s.as_str() == named
                    || s.strip_suffix(named)
                        .is_some_and(|prefix| prefix.ends_with('/'))
            })
            .map(String::as_str)
    }
}
