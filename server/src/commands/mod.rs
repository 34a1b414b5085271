//! One file per subcommand.

mod db;
mod export;
mod feeds;
mod issues;
mod migrate;
mod poll;
mod serve;
mod user;

use crate::{
    config::{Command, GlobalArgs},
    error::Error,
};

pub async fn run(global: GlobalArgs, command: Command) -> Result<(), Error> {
    match command {
        Command::Serve(args) => serve::serve(&global, &args).await,
        Command::Migrate => migrate::migrate(&global).await,
        Command::Poll { once, ingest } => poll::poll(&global, &ingest, once).await,
        Command::Db(command) => db::db(&global, command).await,
        Command::Feeds(command) => feeds::feeds(&global, command).await,
        Command::Issues(command) => issues::issues(&global, command).await,
        Command::User(command) => user::user(&global, command).await,
        Command::Token(command) => user::token(&global, command).await,
        Command::Export(args) => export::export(&global, &args).await,
    }
}
