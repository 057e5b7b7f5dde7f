//! The mails' words, as minijinja templates (text and HTML), rendered with
//! auto-escaping for HTML.

use minijinja::{Environment, context};

/// A rendered mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Template name, kept in the outbox row.
    pub template: &'static str,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// HTML body.
    pub html: String,
}

/// What a mail is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Template<'a> {
    /// A new person is invited; `code` is their one-time sign-in code.
    Invitation { display_name: &'a str, username: &'a str, role: &'a str, code: &'a str },
    /// An admin reset a password; `code` is the temporary one.
    PasswordReset { display_name: &'a str, username: &'a str, code: &'a str },
    /// A vendor is asked to set up payouts on Stripe's onboarding page `url`,
    /// which works until `expires`.
    ConnectOnboarding { name: &'a str, url: &'a str, expires: &'a str },
    /// An order, or the part of it one vendor sells (`part`: that vendor's
    /// name), was cancelled; `refund` is the amount going back, when paid.
    OrderCancelled {
        name: &'a str,
        number: &'a str,
        part: Option<&'a str>,
        reason: &'a str,
        lines: &'a [String],
        refund: Option<&'a str>,
    },
    /// A customer who ordered by phone or e-mail is sent the page to pay
    /// `total` on, which works until `expires`.
    PaymentLink { name: &'a str, number: &'a str, lines: &'a [String], total: &'a str, url: &'a str, expires: &'a str },
    /// One notification a person chose to receive by mail, as it happened.
    Notification { name: &'a str, title: &'a str, body: &'a str },
    /// A person's notifications of the past day in one mail: (title, text) each, oldest first.
    NotificationDigest { name: &'a str, items: &'a [(String, String)] },
}

const INVITATION_TEXT: &str = "Hello {{ name }},

you have been invited to Marketdesk as {{ role }}.

Sign in with
  username: {{ username }}
  one-time code: {{ code }}

You will choose your own password right after. The code works once.
";
const INVITATION_HTML: &str = "<p>Hello {{ name }},</p>
<p>you have been invited to Marketdesk as <strong>{{ role }}</strong>.</p>
<p>Sign in with username <strong>{{ username }}</strong> and the one-time code</p>
<p style=\"font: 600 20px monospace; letter-spacing: 2px\">{{ code }}</p>
<p>You will choose your own password right after. The code works once.</p>";
const RESET_TEXT: &str = "Hello {{ name }},

an administrator reset your Marketdesk password.

Sign in with
  username: {{ username }}
  temporary password: {{ code }}

You will choose a new password right after.
";
const RESET_HTML: &str = "<p>Hello {{ name }},</p>
<p>an administrator reset your Marketdesk password.</p>
<p>Sign in with username <strong>{{ username }}</strong> and the temporary password</p>
<p style=\"font: 600 20px monospace; letter-spacing: 2px\">{{ code }}</p>
<p>You will choose a new password right after.</p>";

const CONNECT_TEXT: &str = "Hello {{ name }},

to receive your payouts from the marketplace, set up your payout account with
our payment provider Stripe:

  {{ url }}

The link works once, until {{ expires }}. If it has expired, ask the
marketplace team for a new one.
";
const CONNECT_HTML: &str = "<p>Hello {{ name }},</p>
<p>to receive your payouts from the marketplace, set up your payout account with our payment provider Stripe:</p>
<p><a href=\"{{ url }}\" style=\"font-weight: 600\">Set up payouts with Stripe</a></p>
<p>The link works once, until {{ expires }}. If it has expired, ask the marketplace team for a new one.</p>";

const CANCELLED_TEXT: &str = "Hello {{ name }},

{% if part %}the items of {{ part }} in order {{ number }} were cancelled{% else %}order {{ number }} was cancelled{% endif %}: {{ reason }}.

{% for line in lines %}  {{ line }}
{% endfor %}
{% if refund %}{{ refund }} goes back to the card it was paid with.
{% endif %}";
const CANCELLED_HTML: &str = "<p>Hello {{ name }},</p>
<p>{% if part %}the items of <strong>{{ part }}</strong> in order <strong>{{ number }}</strong> were cancelled{% else %}order <strong>{{ number }}</strong> was cancelled{% endif %}: {{ reason }}.</p>
<ul>{% for line in lines %}<li>{{ line }}</li>{% endfor %}</ul>
{% if refund %}<p><strong>{{ refund }}</strong> goes back to the card it was paid with.</p>{% endif %}";

const PAYMENT_LINK_TEXT: &str = "Hello {{ name }},

thank you for your order {{ number }}:

{% for line in lines %}  {{ line }}
{% endfor %}
Total: {{ total }}

Pay securely with our payment provider Stripe:

  {{ url }}

The link works until {{ expires }}. Your order is held for you until then.
";
const PAYMENT_LINK_HTML: &str = "<p>Hello {{ name }},</p>
<p>thank you for your order <strong>{{ number }}</strong>:</p>
<ul>{% for line in lines %}<li>{{ line }}</li>{% endfor %}</ul>
<p>Total: <strong>{{ total }}</strong></p>
<p><a href=\"{{ url }}\" style=\"font-weight: 600\">Pay securely with Stripe</a></p>
<p>The link works until {{ expires }}. Your order is held for you until then.</p>";

const NOTIFICATION_TEXT: &str = "Hello {{ name }},

{{ title }}
{% if body %}
{{ body }}
{% endif %}
Open Marketdesk to see more. You choose what reaches you by mail under
Notifications in the app.
";
const NOTIFICATION_HTML: &str = "<p>Hello {{ name }},</p>
<p><strong>{{ title }}</strong></p>
{% if body %}<p>{{ body }}</p>{% endif %}
<p style=\"color: #666\">Open Marketdesk to see more. You choose what reaches you by mail under Notifications in the app.</p>";

const DIGEST_TEXT: &str = "Hello {{ name }},

what happened since your last summary:
{% for item in items %}
- {{ item[0] }}{% if item[1] %}
  {{ item[1] }}{% endif %}
{% endfor %}
You choose what reaches you by mail, and when, under Notifications in the app.
";
const DIGEST_HTML: &str = "<p>Hello {{ name }},</p>
<p>what happened since your last summary:</p>
<ul>{% for item in items %}<li><strong>{{ item[0] }}</strong>{% if item[1] %}<br>{{ item[1] }}{% endif %}</li>{% endfor %}</ul>
<p style=\"color: #666\">You choose what reaches you by mail, and when, under Notifications in the app.</p>";

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") { minijinja::AutoEscape::Html } else { minijinja::AutoEscape::None }
    });
    for (name, source) in [
        ("invitation.txt", INVITATION_TEXT),
        ("invitation.html", INVITATION_HTML),
        ("password_reset.txt", RESET_TEXT),
        ("password_reset.html", RESET_HTML),
        ("connect_onboarding.txt", CONNECT_TEXT),
        ("connect_onboarding.html", CONNECT_HTML),
        ("order_cancelled.txt", CANCELLED_TEXT),
        ("order_cancelled.html", CANCELLED_HTML),
        ("payment_link.txt", PAYMENT_LINK_TEXT),
        ("payment_link.html", PAYMENT_LINK_HTML),
        ("notification.txt", NOTIFICATION_TEXT),
        ("notification.html", NOTIFICATION_HTML),
        ("notification_digest.txt", DIGEST_TEXT),
        ("notification_digest.html", DIGEST_HTML),
    ] {
        // The sources are constants of this file; a broken one fails every test.
        if let Err(e) = env.add_template(name, source) {
            tracing::error!("mail template {name}: {e}");
        }
    }
    env
}

/// Renders a mail.
pub fn render(template: &Template<'_>) -> Result<Rendered, minijinja::Error> {
    let env = environment();
    let (name, subject, ctx) = match template {
        Template::Invitation { display_name, username, role, code } => (
            "invitation",
            "You are invited to Marketdesk".to_owned(),
            context! { name => display_name, username => username, role => role, code => code },
        ),
        Template::PasswordReset { display_name, username, code } => (
            "password_reset",
            "Your Marketdesk password was reset".to_owned(),
            context! { name => display_name, username => username, code => code },
        ),
        Template::ConnectOnboarding { name, url, expires } => (
            "connect_onboarding",
            "Set up your payouts".to_owned(),
            context! { name => name, url => url, expires => expires },
        ),
        Template::OrderCancelled { name, number, part, reason, lines, refund } => (
            "order_cancelled",
            match part {
                Some(_) => format!("Part of order {number} was cancelled"),
                None => format!("Order {number} was cancelled"),
            },
            context! { name => name, number => number, part => part, reason => reason, lines => lines, refund => refund },
        ),
        Template::PaymentLink { name, number, lines, total, url, expires } => (
            "payment_link",
            format!("Pay for your order {number}"),
            context! { name => name, number => number, lines => lines, total => total, url => url, expires => expires },
        ),
        Template::Notification { name, title, body } => {
            ("notification", (*title).to_owned(), context! { name => name, title => title, body => body })
        }
        Template::NotificationDigest { name, items } => (
            "notification_digest",
            match items.len() {
                1 => "1 thing happened in Marketdesk".to_owned(),
                n => format!("{n} things happened in Marketdesk"),
            },
            context! { name => name, items => items },
        ),
    };
    let text = env.get_template(&format!("{name}.txt"))?.render(&ctx)?;
    let html = env.get_template(&format!("{name}.html"))?.render(&ctx)?;
    Ok(Rendered { template: name, subject, text, html })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_escaped_and_text_is_not() {
        let r = render(&Template::Invitation {
            display_name: "Ann <b>",
            username: "ann",
            role: "finance",
            code: "ABCD-EFGH",
        })
        .unwrap();
        assert!(r.html.contains("Ann &lt;b&gt;") && !r.html.contains("Ann <b>"));
        assert!(r.text.contains("Ann <b>") && r.text.contains("one-time code: ABCD-EFGH"));
        assert_eq!(r.template, "invitation");
    }

    #[test]
    fn the_onboarding_mail_carries_the_link_escaped_in_html() {
        let url = "https://connect.stripe.com/setup/e/acct_1/x?a=1&b=2";
        let r =
            render(&Template::ConnectOnboarding { name: "Ann & Co", url, expires: "2026-11-26 14:00 UTC" }).unwrap();
        assert!(r.text.contains(url) && r.text.contains("until 2026-11-26 14:00 UTC"));
        assert!(r.html.contains("Ann &amp; Co") && r.html.contains("a=1&amp;b=2") && !r.html.contains("a=1&b=2"));
        assert_eq!(r.template, "connect_onboarding");
    }

    #[test]
    fn a_digest_lists_every_item_once_and_escapes_them_in_html() {
        let items =
            vec![("Low stock: <Mug>".to_owned(), "3 left".to_owned()), ("Payout sent".to_owned(), String::new())];
        let r = render(&Template::NotificationDigest { name: "Ann", items: &items }).unwrap();
        assert_eq!(r.subject, "2 things happened in Marketdesk");
        assert_eq!(r.text.matches("- ").count(), 2);
        assert!(r.text.contains("Low stock: <Mug>\n  3 left"));
        assert!(r.html.contains("Low stock: &lt;Mug&gt;") && !r.html.contains("<Mug>"));
    }
}
