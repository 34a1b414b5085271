//! `newsdesk migrate`: apply pending migrations and exit.

use crate::{config::GlobalArgs, database::Database, error::Error};

pub async fn migrate(global: &GlobalArgs) -> Result<(), Error> {
    let database = Database::open(global).await?;
    let result = crate::database::migrate(&database.pool).await;
    database.close_after(result).await?;
    tracing::info!("migrations applied");
    Ok(())
}
