//! Who a command acts for or about: a person named by sign-in name, e-mail
//! or id, looked up in the store.

use marketdesk_core::domain::Role;
use marketdesk_core::store::Store;
use uuid::Uuid;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// A person named on the command line by user id, username or e-mail.
pub(crate) async fn person_id(store: &Store, who: &str) -> Result<Uuid> {
    Ok(match Uuid::parse_str(who) {
        Ok(id) => id,
        Err(_) => store.user_for_login(who).await?.ok_or_else(|| format!("no one signs in as “{who}”"))?.0.id,
    })
}

/// The finance person (or admin) a payout command acts as; anyone else is refused.
pub(crate) async fn finance_person(store: &Store, login: &str) -> Result<Uuid> {
    let (user, _) = store.user_for_login(login).await?.ok_or_else(|| format!("no user “{login}”"))?;
    if !matches!(user.role, Role::Finance | Role::Admin) {
        return Err(format!("{} is {}, not finance: payouts are finance's to run", user.username, user.role).into());
    }
    Ok(user.id)
}
