//! Pages of signing in, the account and the members.
