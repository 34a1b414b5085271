//! Server functions of the import page: authorize, call `service`, return.

use leptos::prelude::*;

use super::ImportBatch;
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::service,
    crate::{
        accounts::{identity, Role},
        state::AppState,
    },
};

/// How far upload `id` got, with a report per file done.
#[server(endpoint = "import_status")]
pub async fn import_status(id: i64) -> Result<ImportBatch, AppError> {
    identity::require(Role::Admin)?;
    service::batch(&AppState::current()?.pool, id).await
}
