"""Fake credentials and live destinations, in the shapes the real services issue them.

Production holds the keys to the outside world (docs/rules.md: ``secret``, ``{url: sandbox}``):
Stripe and OpenAI keys, Slack bot tokens and webhook URLs, GitHub and GitLab tokens, AWS access
keys, SendGrid SMTP passwords, OAuth refresh tokens, JWTs, private keys, database URLs with a
password, and the callback URLs of customers' own systems. The demo's are made here, from the
seed, at run time: the repository holds no key string (a secret scanner would rightly flag one),
and none of them was ever issued by anybody — they only look like it, which is what detection
and the ``secret`` operator need.

Every draw goes through :class:`Credentials`' own generator, so adding them leaves the rows the
demo drew before unchanged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import string
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sanitizer.demo.generate.model import Company, Row, Ticket, ascii_fold, ts
from sanitizer.demo.generate.vocabulary import END, START

ALNUM = string.ascii_letters + string.digits
UPPER = string.ascii_uppercase + string.digits
BASE32 = string.ascii_uppercase + "234567"
HEX = "0123456789abcdef"
URLSAFE = ALNUM + "-_"
B64 = ALNUM + "+/"
# the prefixes services put on their keys, split so no line here reads as a key
STRIPE, SLACK_BOT, SLACK_REFRESH = "sk_" + "live_", "xo" + "xb-", "xo" + "xe-1-"
GITHUB, GITHUB_REFRESH, GITLAB = "gh" + "p_", "gh" + "r_", "gl" + "pat-"
AWS, SENDGRID, OPENAI = "AK" + "IA", "S" + "G.", "sk-" + "proj-"


class Credentials:
    """One seeded source of every fake credential the demo holds."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"credentials-{seed}")

    def chars(self, alphabet: str, n: int) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def digits(self, n: int) -> str:
        return str(self.rng.randint(1, 9)) + self.chars(string.digits, n - 1)

    # -- keys and tokens, one per service -----------------------------------------------------

    def stripe_key(self) -> str:
        return STRIPE + self.chars(ALNUM, 24)

    def stripe_webhook_secret(self) -> str:
        return "wh" + "sec_" + self.chars(ALNUM, 32)

    def slack_bot_token(self) -> str:
        return f"{SLACK_BOT}{self.digits(11)}-{self.digits(13)}-{self.chars(ALNUM, 24)}"

    def slack_refresh_token(self) -> str:
        return f"{SLACK_REFRESH}{self.chars(ALNUM, 146)}"

    def github_token(self) -> str:
        return GITHUB + self.chars(ALNUM, 36)

    def github_refresh_token(self) -> str:
        return GITHUB_REFRESH + self.chars(ALNUM, 76)

    def gitlab_token(self) -> str:
        return GITLAB + self.chars(URLSAFE, 20)

    def aws_key_id(self) -> str:
        return AWS + self.chars(BASE32, 16)

    def aws_secret(self) -> str:
        return self.chars(B64, 40)

    def sendgrid_key(self) -> str:
        return f"{SENDGRID}{self.chars(URLSAFE, 22)}.{self.chars(URLSAFE, 43)}"

    def twilio_key(self) -> str:
        return "SK" + self.chars(HEX, 32)

    def openai_key(self) -> str:
        marker = base64.b64encode(b"OpenAI").decode()  # every OpenAI key carries it
        return f"{OPENAI}{self.chars(URLSAFE, 58)}{marker}{self.chars(URLSAFE, 58)}"

    def google_refresh_token(self) -> str:
        return "1//0" + self.chars(URLSAFE, 99)

    def google_client_secret(self) -> str:
        return "GOC" + "SPX-" + self.chars(URLSAFE, 28)

    def jwt(self, subject: str, issuer: str) -> str:
        """An HS256 token signed with a key drawn here (so it verifies against nothing)."""

        def part(data: bytes) -> str:
            return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

        issued = int(self.moment().timestamp())
        header = part(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        body = {"sub": subject, "iss": issuer, "iat": issued, "exp": issued + 3600}
        payload = part(json.dumps(body).encode())
        key = self.rng.randbytes(32)
        signature = hmac.new(key, f"{header}.{payload}".encode(), hashlib.sha256).digest()
        return f"{header}.{payload}.{part(signature)}"

    def private_key(self) -> str:
        """An Ed25519 private key (PKCS#8 PEM) from 32 drawn bytes: valid, and nobody's."""
        key = Ed25519PrivateKey.from_private_bytes(self.rng.randbytes(32))
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return pem.decode()

    # -- destinations -------------------------------------------------------------------------

    def slack_webhook(self) -> str:
        path = f"T{self.chars(UPPER, 8)}/B{self.chars(UPPER, 10)}/{self.chars(ALNUM, 24)}"
        return f"https://hooks.slack.com/services/{path}"

    def discord_webhook(self) -> str:
        return f"https://discord.com/api/webhooks/{self.digits(18)}/{self.chars(URLSAFE, 68)}"

    def callback_url(self, domain: str) -> str:
        """A customer's own endpoint, authenticated by a token in its query string."""
        path = self.rng.choice(("webhooks/relaydesk", "hooks/support", "api/v1/relaydesk/events"))
        return f"https://api.{domain}/{path}?token={self.chars(HEX, 32)}"

    def database_url(self, host: str, user: str, database: str) -> str:
        return f"postgresql://{user}:{self.chars(ALNUM, 20)}@{host}:5432/{database}"

    def sentry_dsn(self) -> str:
        return f"https://{self.chars(HEX, 32)}@o{self.digits(6)}.ingest.sentry.io/{self.digits(7)}"

    def moment(self) -> datetime:
        return START + timedelta(seconds=self.rng.randrange(int((END - START).total_seconds())))


# -- the integrations table --------------------------------------------------------------------

SERVICES = (
    "stripe",
    "slack",
    "github",
    "gitlab",
    "aws",
    "smtp",
    "twilio",
    "openai",
    "discord",
    "google",
    "crm_sync",
    "sentry",
    "custom_webhook",
)
Integration = dict[str, Any]


def integration(creds: Credentials, service: str, company: Company) -> Integration:
    """One company's connection to one service: its key, URLs, token and JSON config."""
    domain = company.mail_domain
    row: Integration = {"api_key": None, "webhook_url": None, "callback_url": None}
    row |= {"oauth_refresh_token": None, "config": {"enabled": creds.rng.random() < 0.9}}
    config = row["config"]
    if service == "stripe":
        row["api_key"] = creds.stripe_key()
        row["callback_url"] = f"https://{domain}/billing/stripe/webhook"
        config |= {"signing_secret": creds.stripe_webhook_secret(), "mode": "live"}
    elif service == "slack":
        row["api_key"] = creds.slack_bot_token()
        row["webhook_url"] = creds.slack_webhook()
        row["oauth_refresh_token"] = creds.slack_refresh_token()
        config["channel"] = creds.rng.choice(("#support-alerts", "#escalations", "#vip"))
    elif service == "github":
        row["api_key"] = creds.github_token()
        row["oauth_refresh_token"] = creds.github_refresh_token()
        row["callback_url"] = f"https://app.{domain}/oauth/github/callback"
        config |= {"app_id": int(creds.digits(6)), "private_key": creds.private_key()}
    elif service == "gitlab":
        row["api_key"] = creds.gitlab_token()
        row["webhook_url"] = creds.callback_url(domain)
        config["base_url"] = f"https://gitlab.{domain}"
    elif service == "aws":
        row["api_key"] = creds.aws_key_id()
        config["aws"] = {
            "access_key_id": row["api_key"],
            "secret_access_key": creds.aws_secret(),
            "region": creds.rng.choice(("us-east-1", "eu-west-1", "eu-central-1")),
        }
    elif service == "smtp":
        row["api_key"] = creds.sendgrid_key()
        config["smtp"] = {
            "host": "smtp.sendgrid.net",
            "port": creds.rng.choice((587, 465, 2525)),
            "username": "apikey",
            "password": row["api_key"],
            "from": f"support@{domain}",
        }
    elif service == "twilio":
        row["api_key"] = creds.twilio_key()
        row["callback_url"] = creds.callback_url(domain)
        config |= {"account_sid": "AC" + creds.chars(HEX, 32), "auth_token": creds.chars(HEX, 32)}
    elif service == "openai":
        row["api_key"] = creds.openai_key()
    elif service == "discord":
        row["webhook_url"] = creds.discord_webhook()
    elif service == "google":
        row["oauth_refresh_token"] = creds.google_refresh_token()
        row["callback_url"] = f"https://{domain}/auth/google/callback"
        client = f"{creds.digits(12)}-{creds.chars(HEX + 'ghijklmnopqrstuv', 32)}"
        config |= {
            "client_id": f"{client}.apps.googleusercontent.com",
            "client_secret": creds.google_client_secret(),
        }
    elif service == "crm_sync":
        row["webhook_url"] = creds.callback_url(domain)
        user = f"{ascii_fold(domain.split('.')[0])[:12]}_sync"
        config["dsn"] = creds.database_url(f"db.{domain}", user, "crm")
    elif service == "sentry":
        config["dsn"] = creds.sentry_dsn()
    else:  # a customer's own webhook, signed with a shared secret
        row["webhook_url"] = creds.callback_url(domain)
        config |= {
            "secret": creds.chars(HEX, 40),
            "headers": {"Authorization": "Bearer " + creds.jwt(f"company-{company.id}", domain)},
        }
    return row


def integration_rows(creds: Credentials, companies: list[Company], count: int) -> list[Row]:
    """``count`` integrations of random companies, with the mess production has (a key pasted
    with its newline, a cleared token, a config that is NULL)."""
    rows: list[Row] = []
    for iid in range(1, count + 1):
        company = creds.rng.choice(companies)
        service = creds.rng.choice(SERVICES)
        row = integration(creds, service, company)
        roll = creds.rng.random()
        if roll < 0.04 and row["api_key"]:
            row["api_key"] += "\n"  # pasted from a terminal
        elif roll < 0.07 and row["oauth_refresh_token"]:
            row["oauth_refresh_token"] = ""  # revoked: cleared, not NULL
        config = None if creds.rng.random() < 0.05 else json.dumps(row["config"])
        rows.append(
            (
                iid,
                company.id,
                service,
                row["api_key"],
                row["webhook_url"],
                row["callback_url"],
                row["oauth_refresh_token"],
                config,
                ts(creds.moment()),
            )
        )
    return rows


# -- secrets where they should not be: messages and JSON payloads ------------------------------

PASTES = (
    "Here is our Stripe key so you can check the charges: {stripe}",
    "Our Slack webhook {slack_webhook} stopped receiving alerts yesterday.",
    "The callback {callback} returns 401 since the update. Token is in the URL.",
    "We rotated the bot token to {slack_token}, can you update it on your side?",
    "Ich habe den GitHub-Token {github} eingetragen, aber der Sync läuft nicht.",
    "Tried with AWS key {aws} / {aws_secret} and still get AccessDenied.",
    "Please use this DSN for the CRM sync: {dsn}",
    "SMTP settings: host smtp.sendgrid.net, user apikey, password {sendgrid}",
    "Header we send is `Authorization: Bearer {jwt}` — is that right?",
    "OpenAI key for the summarizer: {openai}",
)


def paste_values(creds: Credentials, company: Company) -> dict[str, str]:
    """Credentials as a customer pastes them into a ticket."""
    user = f"{ascii_fold(company.mail_domain.split('.')[0])[:12]}_sync"
    return {
        "stripe": creds.stripe_key(),
        "slack_webhook": creds.slack_webhook(),
        "callback": creds.callback_url(company.mail_domain),
        "slack_token": creds.slack_bot_token(),
        "github": creds.github_token(),
        "aws": creds.aws_key_id(),
        "aws_secret": creds.aws_secret(),
        "dsn": creds.database_url(f"db.{company.mail_domain}", user, "crm"),
        "sendgrid": creds.sendgrid_key(),
        "jwt": creds.jwt(f"company-{company.id}", company.mail_domain),
        "openai": creds.openai_key(),
    }


def pasted_message_rows(
    creds: Credentials, tickets: list[Ticket], companies: dict[int, Company], first_id: int, n: int
) -> list[Row]:
    """``n`` customer messages with a credential or a live URL pasted in, after the others."""
    rows: list[Row] = []
    for mid in range(first_id, first_id + n):
        ticket = creds.rng.choice(tickets)
        company = companies.get(ticket.person.company_id or 0) or creds.rng.choice(
            list(companies.values())
        )
        text = creds.rng.choice(PASTES).format(**paste_values(creds, company))
        sent = ticket.created + timedelta(minutes=creds.rng.randint(1, 60 * 48))
        rows.append(
            (mid, ticket.id, None, "customer", f"Hi {ticket.person.first}, " + text, ts(sent))
        )
    return rows


def failed_delivery_rows(
    creds: Credentials, companies: list[Company], first_id: int, n: int
) -> list[Row]:
    """Dead letters of webhook deliveries and token refreshes that failed, secrets and all."""
    rows: list[Row] = []
    for did in range(first_id, first_id + n):
        company = creds.rng.choice(companies)
        if creds.rng.random() < 0.6:
            topic = "integration.webhook.failed"
            payload: dict[str, Any] = {
                "integration_id": creds.rng.randint(1, 240),
                "url": creds.rng.choice(
                    (creds.slack_webhook(), creds.callback_url(company.mail_domain))
                ),
                "headers": {"Authorization": "Bearer " + creds.jwt("relaydesk", "relaydesk.io")},
                "status": creds.rng.choice((401, 410, 500)),
            }
            error = f"HTTP {payload['status']} from webhook after 5 attempts"
        else:
            topic = "integration.oauth.refresh_failed"
            payload = {
                "integration_id": creds.rng.randint(1, 240),
                "refresh_token": creds.rng.choice(
                    (creds.google_refresh_token(), creds.github_refresh_token())
                ),
                "client_secret": creds.google_client_secret(),
            }
            error = "invalid_grant: token has been expired or revoked"
        rows.append((did, topic, json.dumps(payload), error, ts(creds.moment())))
    return rows


# -- the platform's own configuration, as an object in the bucket -----------------------------


def platform_config(creds: Credentials) -> dict[str, Any]:
    """RelayDesk's production settings file, as someone once uploaded it to the bucket."""
    return {
        "environment": "production",
        "database_url": creds.database_url("prod-db.relaydesk.internal", "relaydesk", "app"),
        "redis_url": f"rediss://:{creds.chars(ALNUM, 32)}@cache.relaydesk.internal:6380/0",
        "stripe": {
            "secret_key": creds.stripe_key(),
            "webhook_secret": creds.stripe_webhook_secret(),
        },
        "slack": {"alerts_webhook": creds.slack_webhook(), "bot_token": creds.slack_bot_token()},
        "smtp": {
            "host": "smtp.sendgrid.net",
            "port": 587,
            "username": "apikey",
            "password": creds.sendgrid_key(),
        },
        "sentry_dsn": creds.sentry_dsn(),
        "openai_api_key": creds.openai_key(),
        "github_app": {"app_id": int(creds.digits(6)), "private_key": creds.private_key()},
        "session_signing_key": creds.chars(HEX, 64),
        "public_status_page": "https://status.relaydesk.io",
    }
