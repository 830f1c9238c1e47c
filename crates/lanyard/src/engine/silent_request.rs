//! [`SilentRequest`]: what a silent acquisition must satisfy, and which cached token does.

use super::scopes::ScopeSet;
use crate::cache::AccessRecord;
use crate::config::Api;

/// What a silent acquisition must satisfy besides the API's configured scopes.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct SilentRequest<'a> {
    /// Scopes the token must also carry (consented incrementally).
    pub extra_scopes: &'a [String],
    /// A token the API refused with `invalid_token`: a cached token equal to it is not used, so
    /// the refresh is forced — unless another caller has already replaced it.
    pub refused: Option<&'a str>,
}

impl SilentRequest<'_> {
    /// The scopes a token for `api` must carry.
    pub fn wanted(&self, api: &Api) -> ScopeSet {
        ScopeSet::of(api).union(self.extra_scopes)
    }

    /// Whether `record` may answer this request, expiry aside: it covers the scopes and is not
    /// the refused token.
    pub fn accepts(&self, api: &Api, record: &AccessRecord) -> bool {
        self.wanted(api).is_covered_by(&record.scopes)
            && self.refused != Some(record.secret.secret().as_str())
    }
}
