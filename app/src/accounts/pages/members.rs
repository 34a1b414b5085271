//! The admins' members page: who is on the team, their roles, invitations.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::layout::Erase;
use crate::page_data::{after_actions, page_data};
use crate::{
    accounts::{
        api::{load_members, ChangeRole, DeactivateMember, InviteMember, RevokeInvite},
        Invite, Member, Role,
    },
    i18n::td_string,
    lang::{self, fill},
    layout::{
        parts::{field_error, general_error, DataTable, Time},
        Field,
    },
    pages::LoadError,
};

#[component]
pub fn MembersPage() -> impl IntoView {
    let invite = ServerAction::<InviteMember>::new();
    let revoke = ServerAction::<RevokeInvite>::new();
    let role = ServerAction::<ChangeRole>::new();
    let deactivate = ServerAction::<DeactivateMember>::new();
    let overview = page_data(
        after_actions([
            invite.version(),
            revoke.version(),
            role.version(),
            deactivate.version(),
        ]),
        |_| load_members(),
    );
    // The latest failure of a row action (they all return nothing on success).
    let change_error = move || {
        [
            role.value().get(),
            deactivate.value().get(),
            revoke.value().get(),
        ]
        .into_iter()
        .flatten()
        .find_map(Result::err)
        .map(|error| error.to_string())
    };
    let locale = lang::current();

    view! {
        <Title text=td_string!(locale, accounts.members_title) />
        <Transition fallback=move || view! { <p class="muted">{tr!(accounts.members_loading)}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => view! {
                        <div class="page-head">
                            <h1>{tr!(accounts.members_title)}</h1>
                            <div class="page-actions">
                                <a class="button secondary" href="/members/audit">{tr!(accounts.audit_log)}</a>
                            </div>
                        </div>
                        <p class="lede">{tr!(accounts.members_lede)}</p>
                        <p class="form-error" role="alert">{change_error}</p>
                        <MemberTable members=overview.members role deactivate />
                        <InviteForm action=invite />
                        <OpenInvites invites=overview.invites revoke />
                    }
                    .erase(),
                    Err(error) => view! { <LoadError error what=td_string!(locale, accounts.what_members) /> }.erase(),
                }
            })}
        </Transition>
    }
}

#[component]
fn MemberTable(
    members: Vec<Member>,
    role: ServerAction<ChangeRole>,
    deactivate: ServerAction<DeactivateMember>,
) -> impl IntoView {
    let locale = lang::current();
    let rows = members
        .into_iter()
        .map(|member| {
            let role_cell = if member.active {
                role_form(&member, role).erase()
            } else {
                view! { <span>{member.role.label()}</span> }.erase()
            };
            let status_cell = if member.active {
                deactivate_form(&member, deactivate).erase()
            } else {
                view! { <span class="muted">{format!("{} ", td_string!(locale, accounts.deactivated))} <Time at=member.deactivated_at /></span> }
                    .erase()
            };
            view! {
                <tr class:inactive=!member.active>
                    <th scope="row">{member.name.clone()}</th>
                    <td>{role_cell}</td>
                    <td><Time at=Some(member.created_at) /></td>
                    <td>{status_cell}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data-table members">
            <thead>
                <tr>
                    <th scope="col">{tr!(accounts.col_name)}</th>
                    <th scope="col">{tr!(accounts.col_role)}</th>
                    <th scope="col">{tr!(accounts.col_joined)}</th>
                    <th scope="col">{tr!(accounts.col_status)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

fn role_form(member: &Member, action: ServerAction<ChangeRole>) -> impl IntoView {
    let id = member.id.to_string();
    let select_id = format!("role-{}", member.id);
    let label = fill(
        td_string!(lang::current(), accounts.role_of),
        &[("name", &member.name)],
    );
    let current = member.role;
    view! {
        <ActionForm action attr:class="inline-form">
            {view! {
                <input type="hidden" name="member_id" value=id />
                <label for=select_id.clone() class="visually-hidden">{label}</label>
                <select id=select_id name="role">
                    {Role::ALL
                        .into_iter()
                        .map(|option| view! {
                            <option value=option.as_str() selected=option == current>{option.label()}</option>
                        })
                        .collect_view()}
                </select>
                <button type="submit" class="secondary">{tr!(accounts.change)}</button>
            }
            .sync_hydrated()}
        </ActionForm>
    }
}

fn deactivate_form(member: &Member, action: ServerAction<DeactivateMember>) -> impl IntoView {
    let id = member.id.to_string();
    let locale = lang::current();
    let warning = fill(
        td_string!(locale, accounts.deactivate_warning),
        &[("name", &member.name)],
    );
    let button = fill(
        td_string!(locale, accounts.deactivate_named),
        &[("name", &member.name)],
    );
    view! {
        <details class="confirm">
            <summary>{tr!(accounts.deactivate_open)}</summary>
            <p>{warning}</p>
            <ActionForm action>
                <input type="hidden" name="member_id" value=id />
                <button type="submit" class="danger">{button}</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn InviteForm(action: ServerAction<InviteMember>) -> impl IntoView {
    let result = action.value();
    let name_error = field_error(result, "name");
    let role_error = field_error(result, "role");
    let other_error = general_error(result, &["name", "role"]);
    let sent = move || result.get().and_then(Result::ok);
    let locale = lang::current();
    view! {
        <section class="panel" aria-labelledby="invite-heading">
            <h2 id="invite-heading">{tr!(accounts.invite_heading)}</h2>
            <p class="hint">{tr!(accounts.invite_hint)}</p>
            <ActionForm action attr:class="inline-form" attr:novalidate=true>
                {view! {
                    <Field id="invite-member-name" name="name" label=move || td_string!(locale, accounts.name) maxlength=64
                        error=Signal::derive(name_error) />
                    <div class="field">
                        <label for="invite-member-role">{tr!(accounts.col_role)}</label>
                        <select id="invite-member-role" name="role">
                            {Role::ALL.into_iter().map(|role| view! {
                                <option value=role.as_str() selected=role == Role::Editor>{role.label()}</option>
                            }).collect_view()}
                        </select>
                        <p class="field-error" aria-live="polite">{role_error}</p>
                    </div>
                    <button type="submit" disabled=move || action.pending().get()>{tr!(accounts.create_invitation)}</button>
                }
                .sync_hydrated()}
            </ActionForm>
            <p class="form-error" role="alert">{other_error}</p>
            {move || sent().map(|sent| view! {
                <div class="secret" role="status">
                    <p>
                        {fill(
                            td_string!(locale, accounts.send_link),
                            &[("name", &sent.invite.name.clone().unwrap_or_default())],
                        )}
                    </p>
                    <input class="secret-value invite-link" readonly aria-label=td_string!(locale, accounts.invitation_link) value=sent.url.clone() />
                </div>
            })}
        </section>
    }
}

#[component]
fn OpenInvites(invites: Vec<Invite>, revoke: ServerAction<RevokeInvite>) -> impl IntoView {
    if invites.is_empty() {
        return ().erase();
    }
    let now = chrono::Utc::now();
    let locale = lang::current();
    let rows = invites
        .into_iter()
        .map(|invite| {
            let name = invite.name.clone().unwrap_or_default();
            let expired = invite.is_expired(now);
            view! {
                <tr>
                    <th scope="row">{name.clone()}</th>
                    <td>{invite.role.label()}</td>
                    <td>{invite.created_by.clone().unwrap_or_default()}</td>
                    <td>
                        {if expired { format!("{} ", td_string!(locale, accounts.expired)) } else { String::new() }}
                        <Time at=Some(invite.expires_at) />
                    </td>
                    <td>
                        <ActionForm action=revoke>
                            <input type="hidden" name="id" value=invite.id.to_string() />
                            <button type="submit" class="secondary" aria-label=fill(td_string!(locale, accounts.withdraw_named), &[("name", &name)])>{tr!(accounts.withdraw)}</button>
                        </ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="open-invites-heading">
            <h2 id="open-invites-heading">{tr!(accounts.open_invites_heading)}</h2>
            <DataTable
                columns=vec![tr!(accounts.col_name), tr!(accounts.col_role), tr!(accounts.col_invited_by), tr!(accounts.col_expires)]
                rows
            />
        </section>
    }
    .erase()
}
