//! The words enums are stored and sent as (in the database, in URLs, in
//! forms and JSON): strum derives them, `words!` names the two ways the
//! code asks for them.

/// Gives each enum, whose words strum derives (`IntoStaticStr` and
/// `EnumString`), `as_str` and `parse` as functions of its own, so that
/// callers on both sides of the app need no trait in scope.
macro_rules! words {
    ($($kind:ty),+ $(,)?) => {$(
        impl $kind {
            /// The word this value is stored and sent as.
            pub fn as_str(self) -> &'static str {
                self.into()
            }

            /// The value `text` names; `None` for a word it does not know.
            pub fn parse(text: &str) -> Option<Self> {
                text.parse().ok()
            }
        }
    )+};
}
