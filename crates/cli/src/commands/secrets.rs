//! `secret`: integration keys in this computer's keychain.

use super::Result;
use crate::SecretAction;
use marketdesk_core::secrets;
use std::process::ExitCode;

pub(super) fn integration(id: &str) -> Result<&'static secrets::Integration> {
    secrets::integration(id).ok_or_else(|| {
        let known: Vec<&str> = secrets::INTEGRATIONS.iter().map(|i| i.id).collect();
        format!("no integration called “{id}”; known: {}", known.join(", ")).into()
    })
}

pub(super) fn secret_cmd(action: SecretAction) -> Result<ExitCode> {
    match action {
        SecretAction::Set { integration: id } => {
            let i = integration(&id)?;
            let mut key = String::new();
            std::io::stdin().read_line(&mut key)?;
            if key.trim().is_empty() {
                return Err(format!("no key on standard input for {}", i.name).into());
            }
            let key = i.check_key(&key)?;
            secrets::set(i.account, &key)?;
            println!("{} key filed in the keychain.", i.name);
        }
        SecretAction::Delete { integration: id } => {
            let i = integration(&id)?;
            secrets::delete(i.account)?;
            println!("{} key removed from the keychain.", i.name);
        }
        SecretAction::List => {
            for i in secrets::INTEGRATIONS {
                let state = match secrets::get(i.account)? {
                    Some(_) => "configured",
                    None => "not configured",
                };
                println!("{:<20} {state}", i.name);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
