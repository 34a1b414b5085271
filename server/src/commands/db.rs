//! `newsdesk db start|stop|info`: the private cluster on its own, for
//! psql sessions, backups and the test suite.

use crate::{
    config::{DbCommand, GlobalArgs},
    database::{private_cluster::Layout, PrivateCluster},
    error::Error,
};

pub async fn db(global: &GlobalArgs, command: DbCommand) -> Result<(), Error> {
    if global.external_database_url().is_some() {
        return Err(Error::Database(
            "DATABASE_URL is set, so newsdesk does not run a private database; unset it to manage the private one".into(),
        ));
    }
    match command {
        DbCommand::Start => {
            let cluster = PrivateCluster::start(&global.data_dir).await?;
            println!("{}", cluster.layout().database_url());
            cluster.detach();
        }
        DbCommand::Stop => {
            if PrivateCluster::stop_detached(&global.data_dir).await? {
                println!("stopped");
            } else {
                println!("not running");
            }
        }
        DbCommand::Info => {
            let layout = Layout::new(&global.data_dir)?;
            println!("data directory: {}", layout.root.display());
            println!("cluster:        {}", layout.pgdata.display());
            println!("server log:     {}", layout.log_file.display());
            println!("DATABASE_URL:   {}", layout.database_url());
            println!("psql:           {}", layout.psql_command());
        }
    }
    Ok(())
}
