//! The one error type of the server crate.

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Setting up, starting or reaching the database failed; the message
    /// says what to do about it.
    #[error("{0}")]
    Database(String),
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// An app operation refused its input or failed; the message is for
    /// the person at the terminal.
    #[error("{0}")]
    App(#[from] newsdesk_app::error::AppError),
}
