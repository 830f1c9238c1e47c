//! [`AppIdentity`]: who the app built on the engine is, and so where its state lives.
//!
//! Two apps built on this crate must never share a token cache, its lock file or its key in the
//! OS secret store. The identity names all three: a display name (shown on the loopback pages
//! the browser lands on), the keyring service the cache key is filed under, and the cache
//! directory and file name. Every default is derived from the app's reverse-DNS id, so two apps
//! with different ids are kept apart without further setting.

use std::path::{Path, PathBuf};

use crate::error::Error;

/// The extension of the engine's sealed cache files (`<stem>.lanyard`).
pub const CACHE_FILE_EXTENSION: &str = "lanyard";

/// Who the app is: its id, its name as shown to the user, and where its token cache and cache
/// key live.
///
/// Defaults derived from the app id `com.contoso.notes`:
///
/// | what | default | setter |
/// |---|---|---|
/// | keyring service | `com.contoso.notes.token-cache` | [`AppIdentity::keyring_service`] |
/// | cache directory | `<data_local_dir>/com.contoso.notes` (e.g. `~/.local/share/com.contoso.notes`) | [`AppIdentity::cache_dir`] |
/// | cache file stem | `tokens`: files `tokens.lanyard`, `tokens.lanyard.lock` | [`AppIdentity::cache_file_stem`] |
///
/// A `cache_dir` set in the [`Config`](crate::Config) overrides the identity's directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppIdentity {
    app_id: String,
    display_name: String,
    keyring_service: String,
    cache_dir: Option<PathBuf>,
    cache_file_stem: String,
}

impl AppIdentity {
    /// An identity for the app `app_id`, a reverse-DNS name such as `com.contoso.notes`
    /// (ASCII letters, digits, `-` and `_` in dot-separated labels), shown to the user as
    /// `display_name` (e.g. `Contoso Notes`).
    ///
    /// Fails with [`Error::Config`] (field `identity.app_id` or `identity.display_name`) when
    /// the id is empty, holds a path separator, `..` or another character outside that set, or
    /// when the name is empty or holds control characters.
    ///
    /// ```
    /// use lanyard::AppIdentity;
    ///
    /// let identity = AppIdentity::new("com.contoso.notes", "Contoso Notes")?;
    /// assert_eq!(identity.keyring_service_name(), "com.contoso.notes.token-cache");
    /// assert_eq!(identity.cache_file_name(), "tokens.lanyard");
    ///
    /// // Ids are checked: they name directories and keyring entries.
    /// assert!(AppIdentity::new("../notes", "Notes").is_err());
    /// # Ok::<(), lanyard::Error>(())
    /// ```
    pub fn new(
        app_id: impl Into<String>,
        display_name: impl Into<String>,
    ) -> Result<AppIdentity, Error> {
        let app_id = app_id.into();
        let display_name = display_name.into();
        check_file_label("identity.app_id", &app_id)?;
        check_display_name(&display_name)?;
        Ok(AppIdentity {
            keyring_service: format!("{app_id}.token-cache"),
            cache_dir: dirs::data_local_dir().map(|d| d.join(&app_id)),
            cache_file_stem: "tokens".to_owned(),
            app_id,
            display_name,
        })
    }

    /// Files the cache key under `service` in the OS secret store instead of
    /// `<app_id>.token-cache`. Checked by [`AppIdentity::validate`].
    #[must_use]
    pub fn keyring_service(mut self, service: impl Into<String>) -> Self {
        self.keyring_service = service.into();
        self
    }

    /// Keeps the cache in `dir` instead of `<data_local_dir>/<app_id>`. A `cache_dir` in the
    /// [`Config`](crate::Config) still overrides it.
    #[must_use]
    pub fn cache_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cache_dir = Some(dir.into());
        self
    }

    /// Names the cache files `<stem>.lanyard` and `<stem>.lanyard.lock` instead of
    /// `tokens.lanyard` and `tokens.lanyard.lock`. Checked by [`AppIdentity::validate`].
    #[must_use]
    pub fn cache_file_stem(mut self, stem: impl Into<String>) -> Self {
        self.cache_file_stem = stem.into();
        self
    }

    /// The app's reverse-DNS id.
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// The app's name as shown to the user (on the pages the browser lands on after sign-in).
    pub fn display_name(&self) -> &str {
        &self.display_name
    }

    /// The OS secret store service the cache key is filed under.
    pub fn keyring_service_name(&self) -> &str {
        &self.keyring_service
    }

    /// The identity's cache directory; `None` when the system has no user data directory and
    /// none was set.
    pub fn cache_dir_path(&self) -> Option<&Path> {
        self.cache_dir.as_deref()
    }

    /// The cache file's name: `<stem>.lanyard`.
    pub fn cache_file_name(&self) -> String {
        format!("{}.{CACHE_FILE_EXTENSION}", self.cache_file_stem)
    }

    /// The lock file's name: `<stem>.lanyard.lock`.
    pub fn lock_file_name(&self) -> String {
        format!("{}.lock", self.cache_file_name())
    }

    /// The cache file's name when its key lives in a fallback key store tagged `tag` (see
    /// [`KeyStore::file_tag`](crate::cache::KeyStore::file_tag)): `<stem>.<tag>.lanyard`.
    pub fn fallback_cache_file_name(&self, tag: &str) -> String {
        format!("{}.{tag}.{CACHE_FILE_EXTENSION}", self.cache_file_stem)
    }

    /// Checks the values the setters took (done by [`Engine::builder`](crate::Engine::builder)
    /// and [`Deps::production`](crate::Deps::production)).
    pub fn validate(&self) -> Result<(), Error> {
        check_file_label("identity.app_id", &self.app_id)?;
        check_display_name(&self.display_name)?;
        check_file_label("identity.cache_file_stem", &self.cache_file_stem)?;
        if self.keyring_service.trim().is_empty()
            || self.keyring_service.chars().any(char::is_control)
        {
            return Err(Error::config(
                "identity.keyring_service",
                "must be a non-empty name without control characters",
            ));
        }
        Ok(())
    }
}

/// A name that becomes part of a path: dot-separated labels of ASCII letters, digits, `-` and
/// `_`, so no separator, no `..`, nothing a file system or keyring treats specially.
fn check_file_label(field: &str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::config(field, "must not be empty"));
    }
    if value.contains(['/', '\\']) {
        return Err(Error::config(field, "must not contain a path separator"));
    }
    if value.contains("..") {
        return Err(Error::config(field, "must not contain `..`"));
    }
    let label_ok = |label: &str| {
        !label.is_empty()
            && label
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    if !value.split('.').all(label_ok) {
        return Err(Error::config(
            field,
            format!(
                "{value:?} must be dot-separated labels of ASCII letters, digits, `-` and `_`, \
                 such as com.contoso.notes"
            ),
        ));
    }
    Ok(())
}

fn check_display_name(name: &str) -> Result<(), Error> {
    if name.trim().is_empty() || name.chars().any(char::is_control) {
        return Err(Error::config(
            "identity.display_name",
            "must be a non-empty name without control characters",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
