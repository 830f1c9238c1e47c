// One scope entry's shape, written once: `src/scope.rs` declares the type the commands read,
// `build.rs` the same shape for the JSON schema of capability files (schemars).
//
// Included by `build.rs` and by `src/scope.rs`: keep it a plain macro, no `use`.

/// Declares `ApiScope` with `$meta` attributes.
macro_rules! api_scope_entry {
    ($(#[$meta:meta])*) => {
        /// One entry of the `lanyard` scope: an API by its configured name, e.g.
        /// `{ "api": "vendor" }`.
        $(#[$meta])*
        pub struct ApiScope {
            /// The API's name, as in the configuration (`customer`, `vendor`).
            pub api: String,
        }
    };
}
