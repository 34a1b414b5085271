//! The admins' members page: who is on the team, their roles, invitations.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::page_data::page_data;
use crate::{
    accounts::{
        api::{load_members, ChangeRole, DeactivateMember, InviteMember, RevokeInvite},
        Invite, Member, Role,
    },
    layout::{
        parts::{field_error, general_error, Time},
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
        move || {
            (
                invite.version().get(),
                revoke.version().get(),
                role.version().get(),
                deactivate.version().get(),
            )
        },
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

    view! {
        <Title text="Members" />
        <Transition fallback=|| view! { <p class="muted">"Loading members…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => view! {
                        <div class="page-head">
                            <h1>"Members"</h1>
                            <div class="page-actions">
                                <a class="button secondary" href="/members/audit">"Audit log"</a>
                            </div>
                        </div>
                        <p class="lede">"Who is on the team and what they may do."</p>
                        <p class="form-error" role="alert">{change_error}</p>
                        <MemberTable members=overview.members role deactivate />
                        <InviteForm action=invite />
                        <OpenInvites invites=overview.invites revoke />
                    }
                    .into_any(),
                    Err(error) => view! { <LoadError error what="the members" /> }.into_any(),
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
    let rows = members
        .into_iter()
        .map(|member| {
            let role_cell = if member.active {
                role_form(&member, role).into_any()
            } else {
                view! { <span>{member.role.to_string()}</span> }.into_any()
            };
            let status_cell = if member.active {
                deactivate_form(&member, deactivate).into_any()
            } else {
                view! { <span class="muted">"deactivated " <Time at=member.deactivated_at /></span> }
                    .into_any()
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
                <tr><th scope="col">"Name"</th><th scope="col">"Role"</th><th scope="col">"Joined"</th><th scope="col">"Status"</th></tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

fn role_form(member: &Member, action: ServerAction<ChangeRole>) -> impl IntoView {
    let id = member.id.to_string();
    let select_id = format!("role-{}", member.id);
    let label = format!("Role of {}", member.name);
    let current = member.role;
    view! {
        <ActionForm action attr:class="inline-form">
            <input type="hidden" name="member_id" value=id />
            <label for=select_id.clone() class="visually-hidden">{label}</label>
            <select id=select_id name="role">
                {Role::ALL
                    .into_iter()
                    .map(|option| view! {
                        <option value=option.as_str() selected=option == current>{option.as_str()}</option>
                    })
                    .collect_view()}
            </select>
            <button type="submit" class="secondary">"Change"</button>
        </ActionForm>
    }
}

fn deactivate_form(member: &Member, action: ServerAction<DeactivateMember>) -> impl IntoView {
    let id = member.id.to_string();
    let warning = format!(
        "{} will be signed out everywhere and their tokens stop working. \
         Their past work stays attributed.",
        member.name
    );
    let button = format!("Deactivate {}", member.name);
    view! {
        <details class="confirm">
            <summary>"Deactivate…"</summary>
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
    view! {
        <section class="panel" aria-labelledby="invite-heading">
            <h2 id="invite-heading">"Invite a member"</h2>
            <p class="hint">"The invitation link lets them choose a password. It works once, for 7 days."</p>
            <ActionForm action attr:class="inline-form" attr:novalidate=true>
                <Field id="invite-member-name" name="name" label=|| "Name" maxlength=64
                    error=Signal::derive(name_error) />
                <div class="field">
                    <label for="invite-member-role">"Role"</label>
                    <select id="invite-member-role" name="role">
                        {Role::ALL.into_iter().map(|role| view! {
                            <option value=role.as_str() selected=role == Role::Editor>{role.as_str()}</option>
                        }).collect_view()}
                    </select>
                    <p class="field-error" aria-live="polite">{role_error}</p>
                </div>
                <button type="submit" disabled=move || action.pending().get()>"Create invitation"</button>
            </ActionForm>
            <p class="form-error" role="alert">{other_error}</p>
            {move || sent().map(|sent| view! {
                <div class="secret" role="status">
                    <p>
                        "Send this link to " {sent.invite.name.clone().unwrap_or_default()}
                        ". It is shown only now."
                    </p>
                    <input class="secret-value invite-link" readonly aria-label="Invitation link" value=sent.url.clone() />
                </div>
            })}
        </section>
    }
}

#[component]
fn OpenInvites(invites: Vec<Invite>, revoke: ServerAction<RevokeInvite>) -> impl IntoView {
    if invites.is_empty() {
        return ().into_any();
    }
    let now = chrono::Utc::now();
    let rows = invites
        .into_iter()
        .map(|invite| {
            let name = invite.name.clone().unwrap_or_default();
            let expired = invite.is_expired(now);
            view! {
                <tr>
                    <th scope="row">{name.clone()}</th>
                    <td>{invite.role.to_string()}</td>
                    <td>{invite.created_by.clone().unwrap_or_default()}</td>
                    <td>
                        {if expired { "expired " } else { "" }}
                        <Time at=Some(invite.expires_at) />
                    </td>
                    <td>
                        <ActionForm action=revoke>
                            <input type="hidden" name="id" value=invite.id.to_string() />
                            <button type="submit" class="secondary" aria-label=format!("Withdraw the invitation of {name}")>"Withdraw"</button>
                        </ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="open-invites-heading">
            <h2 id="open-invites-heading">"Open invitations"</h2>
            <table class="data-table">
                <thead>
                    <tr><th scope="col">"Name"</th><th scope="col">"Role"</th><th scope="col">"Invited by"</th><th scope="col">"Expires"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
    .into_any()
}
