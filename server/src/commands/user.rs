//! `newsdesk user add|set-password|list` and `newsdesk token create`:
//! managing members from the command line, e.g. the first admin or an
//! automation token. Changes are recorded in the audit log as done by the
//! command line.

use std::io::{self, IsTerminal};

use chrono::SecondsFormat;
use newsdesk_app::{
    accounts::{
        actor::Actor, manage, names::normalise_name, passwords::check_password_rules, Member, Role,
    },
    db,
    error::AppError,
};
use sqlx::PgPool;

use super::feeds::{close, open_migrated};
use crate::{
    config::{GlobalArgs, TokenCommand, UserCommand},
    error::Error,
};

/// Where scripts and containers hand over a password.
const PASSWORD_VARIABLE: &str = "NEWSDESK_PASSWORD";

pub async fn user(global: &GlobalArgs, command: UserCommand) -> Result<(), Error> {
    match command {
        UserCommand::Add { name, role } => {
            // Bad input should fail before a database is started.
            let (display, _) = normalise_name(&name)?;
            let password = new_password(&display)?;
            let database = open_migrated(global).await?;
            let result = add(&database.pool, &name, role, &password).await;
            close(database, result).await
        }
        UserCommand::SetPassword { name } => {
            let (display, _) = normalise_name(&name)?;
            let password = new_password(&display)?;
            let database = open_migrated(global).await?;
            let result = set_password(&database.pool, &name, &password).await;
            close(database, result).await
        }
        UserCommand::List => {
            let database = open_migrated(global).await?;
            let result = list(&database.pool).await;
            close(database, result).await
        }
    }
}

pub async fn token(global: &GlobalArgs, command: TokenCommand) -> Result<(), Error> {
    match command {
        TokenCommand::Create { user, name } => {
            normalise_name(&user)?;
            let database = open_migrated(global).await?;
            let result = create_token(&database.pool, &user, &name).await;
            close(database, result).await
        }
    }
}

async fn add(pool: &PgPool, name: &str, role: Role, password: &str) -> Result<(), Error> {
    let member = manage::add_member(pool, &Actor::command_line(), name, role, password).await?;
    println!("added {} as {}", member.name, member.role);
    Ok(())
}

async fn set_password(pool: &PgPool, name: &str, password: &str) -> Result<(), Error> {
    let member = manage::find_member(pool, name).await?;
    manage::set_password(pool, &Actor::command_line(), &member, password, None).await?;
    println!("password of {} changed", member.name);
    Ok(())
}

async fn list(pool: &PgPool) -> Result<(), Error> {
    let members = db::members::list(pool).await?;
    if members.is_empty() {
        println!("no members yet; add one with `newsdesk user add NAME --role admin`");
    } else {
        print!("{}", member_table(&members));
    }
    Ok(())
}

async fn create_token(pool: &PgPool, user: &str, label: &str) -> Result<(), Error> {
    let member = manage::find_member(pool, user).await?;
    let (info, token) = manage::create_token(pool, &Actor::command_line(), &member, label).await?;
    // Only the token on standard output, so scripts can capture it.
    println!("{token}");
    tracing::info!(
        member = %member.name,
        token = %info.name,
        "API token created; it is shown only this once"
    );
    Ok(())
}

/// The new password from the environment or, in a terminal, typed twice
/// without echo; checked against the rules either way.
fn new_password(name: &str) -> Result<String, Error> {
    let password = match std::env::var_os(PASSWORD_VARIABLE) {
        Some(value) => value.into_string().map_err(|_| {
            AppError::invalid(
                "password",
                format!("{PASSWORD_VARIABLE} is not valid UTF-8."),
            )
        })?,
        None if io::stdin().is_terminal() => {
            let first = rpassword::prompt_password(format!("New password for {name}: "))?;
            check_password_rules(&first)?;
            let again = rpassword::prompt_password("The same password again: ")?;
            if first != again {
                return Err(AppError::invalid(
                    "password",
                    "The two passwords differ; nothing was changed.",
                )
                .into());
            }
            first
        }
        None => {
            return Err(AppError::invalid(
                "password",
                format!(
                    "No password given: set {PASSWORD_VARIABLE}, or run this command in a \
                     terminal to be asked for one."
                ),
            )
            .into())
        }
    };
    check_password_rules(&password)?;
    Ok(password)
}

fn member_table(members: &[Member]) -> String {
    let rows: Vec<[String; 4]> = members
        .iter()
        .map(|member| {
            [
                member.name.clone(),
                member.role.to_string(),
                if member.active { "yes" } else { "no" }.to_owned(),
                member.created_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            ]
        })
        .collect();
    let header = ["NAME", "ROLE", "ACTIVE", "CREATED"].map(str::to_owned);
    let mut widths = [0; 4];
    for row in std::iter::once(&header).chain(&rows) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut table = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, width)| {
                let pad = width - cell.chars().count();
                format!("{cell}{}", " ".repeat(pad))
            })
            .collect();
        table.push_str(line.join("  ").trim_end());
        table.push('\n');
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn the_member_table_aligns_columns() {
        let member = |name: &str, role, active| Member {
            id: 1,
            name: name.into(),
            role,
            active,
            created_at: Utc.with_ymd_and_hms(2026, 11, 26, 9, 30, 0).unwrap(),
            deactivated_at: None,
            language: None,
            time_zone: None,
        };
        let table = member_table(&[
            member("Ålice", Role::Admin, true),
            member("Bob", Role::Viewer, false),
        ]);
        assert_eq!(
            table,
            "NAME   ROLE    ACTIVE  CREATED\n\
             Ålice  admin   yes     2026-11-26T09:30:00Z\n\
             Bob    viewer  no      2026-11-26T09:30:00Z\n"
        );
    }
}
