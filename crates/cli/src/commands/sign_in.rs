//! `sign-in`: checking a person's sign-in against the central server, remembering or forgetting it.

use super::Result;
use std::process::ExitCode;

pub(super) async fn sign_in_cmd(server: &str, user: &str, remember: bool, forget: bool) -> Result<ExitCode> {
    use marketdesk_core::identity::{self, Backoff};
    if forget {
        identity::forget_password(server, user)?;
        println!("Forgot the password of {user}.");
        return Ok(ExitCode::SUCCESS);
    }
    let mut typed = String::new();
    std::io::stdin().read_line(&mut typed)?;
    let typed = typed.trim_end_matches(['\n', '\r']).to_owned();
    let password = if typed.is_empty() {
        identity::remembered_password(server, user)?.ok_or("no password given and none remembered for this sign-in")?
    } else {
        typed
    };
    let session = identity::sign_in_online(server, user, &password, None, &mut Backoff::default()).await?;
    if remember {
        identity::remember_password(server, user, &password)?;
    }
    let me = &session.me;
    println!("Signed in as {} ({}, {}).", me.display_name, me.role.as_str(), me.email);
    if me.must_change_password {
        println!("You must choose a new password before working in Marketdesk.");
    }
    session.store.close().await;
    Ok(ExitCode::SUCCESS)
}
