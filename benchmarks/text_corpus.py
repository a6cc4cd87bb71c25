"""A seeded, labeled corpus of messy support texts for the free-text (``detect``) benchmark.

Each document is rendered from one of many hand-written templates (ticket bodies, chat
transcripts, agent notes, emails with signatures, JSON payloads, logs, CSV rows, snippets in
Portuguese, German, French, Japanese, Chinese, Arabic...) whose placeholders are filled with
seeded Faker values from several locales and with hand-built values in messy formats (phones,
cards, IBANs, emails with unusual TLDs, street addresses in many countries).

A :class:`Doc` records what was planted:

- ``pii``: ``(entity_type, value)`` pairs, each occurring verbatim in the text. A person's name
  is recorded as its name parts (``"Maria"``, ``"Silva"``), so a half-masked name still counts
  as leaking the other half; a street address and its city are recorded separately.
- ``words``: ordinary words of the template text itself (never part of a PII value), each
  occurring as a whole ``\\w+`` token of the text.
- ``keep``: ``(kind, value)`` pairs of non-PII values (order and ticket numbers, UUIDs, dates,
  amounts, product and company names...) that a good masker leaves alone.

Documents are generated independently from ``(seed, index)``, so ``build_corpus(100)`` is the
first 100 documents of ``build_corpus(20000)``. No PII value occurs (case-insensitively) in the
document's non-PII text, so "the value is still in the output" means it leaked.
"""

from __future__ import annotations

import random
import re
import sqlite3
import string
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from faker import Faker

ENTITY_TYPES = (
    "PERSON",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "IP_ADDRESS",
    "LOCATION",
    "URL",
    "US_SSN",
)


@dataclass
class Doc:
    id: int
    text: str
    pii: list[tuple[str, str]]
    words: list[str]
    keep: list[tuple[str, str]] = field(default_factory=list)
    templates: tuple[str, ...] = ()


# --------------------------------------------------------------------------------------------
# Templates. {{key}} or {{key|lower}} / {{key|upper}}; keys are listed in _Renderer.value().
# Persons: p1, p2, a1 (an agent) with .name .first .last .email .phone .url; ja1/zh1/ar1 with
# .native (a name in Japanese / Chinese / Arabic script). A trailing digit on any other key gives
# a second, distinct value (addr / addr2).
# --------------------------------------------------------------------------------------------

TEMPLATES: dict[str, str] = {
    # ---- ticket bodies
    "ticket_refund": """Subject: Refund for order {{order}}

Hi,

I was charged {{amount}} twice on {{date}} for {{product}}. The card used was {{card}}.
Please refund the duplicate charge asap. You can reach me on {{p1.phone}}.

Thanks,
{{p1.name}}""",
    "ticket_login_lower": """hello, my name is {{p1.name|lower}} and i cant log in to my account \
since {{date}}. the email on the account is {{p1.email}}. tried resetting pw 3 times, nothing \
arrives {{emoji}} pls help""",
    "ticket_bug": """Customer {{p1.name}} ({{p1.email}}) reports that the {{product}} export \
fails with error E{{n}}. Ticket {{ticket}}.
Steps: open Reports > Export > CSV.
Happens on {{version}}. Logged from IP {{ip}}.""",
    "ticket_address_change": """Address change request

Old address: {{addr}}
New address: {{addr2}}
Effective: {{date}}
Requested by {{p1.first}} {{p1.last}}, phone {{phone}}""",
    "ticket_bank_details": """Dear support team,

We would like to update the bank details for our payouts. Please use IBAN {{iban}} from now \
on (account holder: {{p1.name}}). The old account should no longer be used.

Kind regards
{{p1.first}}""",
    "ticket_fraud_caps": """URGENT!!! someone used my credit card {{card}} to buy {{n}} licences \
of {{product}}. I did NOT authorise this. my ssn is {{ssn}} if you need to verify. call me \
{{phone}}""",
    "ticket_shipping": """Shipping issue - order {{order}}
The parcel (tracking {{tracking}}) was delivered to {{street}} instead of {{street2}}, {{city}}.
Recipient: {{p1.name}}. Can you re-ship? {{emoji}}""",
    "ticket_on_behalf": """Hi there, I'm writing on behalf of {{p1.name}} who is my mother, she \
cannot use email. Please send all invoices to me instead: {{p2.email}}. My number is \
{{p2.phone}}.
Best, {{p2.first}}""",
    "ticket_webhook": """Bug report: webhook deliveries to {{url}} are timing out since {{date}} \
{{time}}. Our server IP is {{ip}}. Request id {{uuid}}. Account owner {{p1.email}}.""",
    "ticket_cancel": """Cancellation request.
Name: {{p1.name}}
Email: {{p1.email}}
Reason: too expensive {{emoji}}
Plan: {{plan}}
Please confirm by email, do not call.""",
    "ticket_invoice_address": """My address on the invoice is wrong. It should be:

{{p1.name}}
{{addr_ml}}

and the invoice should also mention {{company}}. thx""",
    "ticket_typos": """i recieved an email from {{email}} that looks like phising, they new my \
adress ({{street}}) and my phone {{phone}}!!! is this you guys?? {{emoji}}""",
    # ---- chat transcripts
    "chat_payment": """[{{time}}] {{a1.first}} (agent): Hi {{p1.first}}! Thanks for reaching out \
to {{product}} support. How can I help?
[{{time}}] {{p1.first|lower}}: hey, my payment keeps failing
[{{time}}] {{a1.first}} (agent): Sorry to hear that {{emoji}} Could you confirm the email on the \
account?
[{{time}}] {{p1.first|lower}}: its {{p1.email}}, card is {{card}}
[{{time}}] {{a1.first}} (agent): Please don't share full card numbers in chat! I flagged this \
message for deletion.""",
    "chat_moved": """Visitor: hello??
Visitor: anyone there
Agent {{a1.name}}: Hi, I'm {{a1.first}}, sorry for the wait. What's up?
Visitor: i moved to {{addr}} and the delivery still goes to my old place
Agent {{a1.name}}: No problem, what's your full name?
Visitor: {{p1.name}}
Agent {{a1.name}}: Thanks {{p1.first}}, updated ✅""",
    "chat_whatsapp_pt": """{{date}}, {{time}} - {{p1.name}}: boa tarde, meu pedido {{order}} não \
chegou
{{date}}, {{time}} - {{a1.name}}: Olá {{p1.first}}! Pode me passar seu telefone com DDD?
{{date}}, {{time}} - {{p1.name}}: {{phone_br}}
{{date}}, {{time}} - {{a1.name}}: Obrigado! O endereço de entrega é {{street_br}}, {{city}}?
{{date}}, {{time}} - {{p1.name}}: isso mesmo 👍""",
    "chat_slack": """@{{a1.first|lower}} can you check why {{p1.email}} got charged twice? stripe \
says card {{card}} …
> looking. their IP {{ip}} shows two sessions at the same time
ok ping me when done 🙏""",
    "chat_assistant": """User: What's the status of ticket {{ticket}}?
Assistant: I can see ticket {{ticket}} was opened on {{date}} by {{p1.name}}. It is waiting on \
the billing team.
User: can you send the update to {{p1.email}} and cc {{p2.email}}
Assistant: Done. Anything else?""",
    "chat_voice": """Transcript (auto, may contain errors):
caller: yeah hi this is {{p1.name|lower}} calling about my account um the number is {{phone}}
agent: thank you mister {{p1.last|lower}}, and can you verify the address on file?
caller: {{street|lower}} in {{city}}
agent: great and for this change I need your social security number
caller: {{ssn}}
agent: perfect, you're all set""",
    "chat_rating": """Support chat ended. Rating: 2/5 ⭐⭐
Comment from {{p1.first}}: agent {{a1.first}} was nice but I still cant access the dashboard \
at {{url}}
Browser: Chrome 122 on macOS, IP {{ip}}""",
    "chat_sms": """SMS from {{phone}}: hey its {{p1.first|lower}} again, can u check order \
{{order}}?? thx""",
    # ---- agent notes
    "note_verified": """Spoke w/ {{p1.name}} re: {{order}}. Verified identity via DOB and last \
digits of card. Customer moving to {{city}} next month, new address to follow. Follow up \
{{date}}.""",
    "note_no_phone": """NOTE: do not contact {{p1.first}} {{p1.last}} by phone ({{phone}}), asked \
for email only ({{p1.email}}). escalated to tier 2, see {{ticket}}""",
    "note_chargeback": """Chargeback opened for {{amount}} by cardholder {{p1.name|upper}}, card \
{{card}}. Bank reference {{uuid}}. Evidence due {{date}}.""",
    "note_refund_iban": """refund processed -> IBAN {{iban}} ({{p1.name}}), amount {{amount}}, \
ref {{invoice}}. {{a1.first}} please double check tomorrow""",
    "note_admin": """Internal: {{p1.first}} {{p1.last}} is the admin for {{company}}. Their \
colleague {{p2.name}} ({{p2.email}}) should also get access. Both on the {{plan}} plan.""",
    "note_kyc": """KYC check failed for {{p1.name}}: SSN {{ssn}} does not match the name on file.
Address given: {{addr}}.
Flagged by {{a1.name}}.""",
    "note_sentence_start": """{{p1.first}} says the app crashes when uploading photos. \
{{p2.first}} confirmed the same on Android 14. Both on {{version}}. Assigned to {{a1.first}}.""",
    "note_ssn_redact": """Reminder: {{p1.name}}'s SSN ({{ssn}}) was typed into the notes field by \
mistake on {{date}}. Please redact. {{a1.first}}""",
    # ---- emails
    "email_order_shipped": """Dear Mr. {{p1.last}},

thank you for your order {{order}} of {{product}}. Your items will be shipped to:
{{addr_ml}}

If anything is wrong, just reply to this email or call us.""",
    "email_followup": """Hi {{p1.first}},

Just following up on our call. As discussed I attached the contract for {{company}}. Could you \
sign it and send it back by {{weekday}}?

Cheers,""",
    "email_billing_updated": """Thanks, {{p1.first}}!

I've updated your billing email to {{p1.email}}. The next invoice ({{invoice}}) will go there.
""",
    "email_quoted_reply": """Hello {{p1.first}}, the refund was sent on {{date2}} and should \
arrive within 5 business days.

On {{date}}, {{p1.name}} <{{p1.email}}> wrote:
> Hi, I never got my refund for {{order}}.
> My IBAN is {{iban}}
> thanks""",
    "email_fr": """Bonjour {{p1.first}},

Votre commande {{order}} sera livrée au {{street_fr}}, {{city}} le {{date}}. Pour toute \
question, appelez le {{phone_fr}}.

Cordialement,
{{a1.name}}""",
    "email_de": """Sehr geehrte Frau {{p1.last}},

vielen Dank für Ihre Nachricht. Wir haben Ihre neue Anschrift ({{street_de}}, {{city}}) \
gespeichert. Ihre IBAN {{iban}} wird ab dem nächsten Monat belastet.

Mit freundlichen Grüßen
{{a1.name}}""",
    "email_es": """Hola {{p1.first}}, te confirmamos que tu tarjeta {{card}} fue registrada \
correctamente. Si no reconoces este cambio, escríbenos o llama al {{phone}}.""",
    "email_new_contact": """Hello,

Please find below the details of the new contact for our account:
Name: {{p1.name}}
Title: Head of Operations
Email: {{p1.email}}
Mobile: {{p1.phone}}
Office: {{addr}}

Best regards,""",
    "email_ooo": """Automatic reply: I am out of the office until {{date}} with limited access to \
email. For urgent matters please contact {{p2.name}} at {{p2.email}} or {{p2.phone}}.

{{p1.name}}""",
    "email_new_signin": """We noticed a new sign-in to your account ({{p1.email}}) from {{city}}, \
IP address {{ip}}, on {{date}} at {{time}}. If this wasn't you, reset your password at {{url}}.""",
    "email_headers": """From: {{p1.name}} <{{p1.email}}>
To: {{role_email}}
Subject: Re: [{{ticket}}] still broken

still broken. see screenshot.
{{p1.first|upper}}""",
    "email_renewal": """Dear {{p1.first}} {{p1.last}}, your subscription to {{product}} renews on \
{{date}} for {{amount}}. Manage it at {{url}}.""",
    "email_appointment": """Thanks {{p1.first}}! Your appointment is confirmed for {{date}} at \
{{time}} at our {{city}} office ({{street}}). Reply to reschedule.""",
    # ---- JSON-ish payloads, logs, forms
    "json_event": """{"event": "customer.updated", "id": "{{uuid}}", "data": {"name": \
"{{p1.name}}", "email": "{{p1.email}}", "phone": "{{p1.phone}}", "address": {"line1": \
"{{street}}", "city": "{{city}}"}}, "created": "{{date}}"}""",
    "json_tool_call": """tool_call: lookup_customer({"query": "{{p1.email}}"})
result: {"found": true, "customer": {"id": {{n}}, "full_name": "{{p1.name}}", "ip": "{{ip}}"}}
assistant: I found {{p1.first}}'s account. The order {{order}} is in transit.""",
    "json_log_error": """{"level":"error","msg":"payment declined","card":"{{card}}",\
"amount":"{{amount}}","customer":"{{p1.email}}","trace_id":"{{uuid}}"}""",
    "json_form": """form_submission:
  first_name: {{p1.first}}
  last_name: {{p1.last}}
  email: {{p1.email}}
  phone: "{{phone}}"
  message: "hi, i want to upgrade to {{plan}} but the page at {{url}} crashes"
  ip: {{ip}}""",
    "json_memory": """{"role": "user", "content": "my name is {{p1.first}} and I live at \
{{street}} in {{city}}, please remember it"}
{"role": "assistant", "content": "Got it, {{p1.first}}! I will use {{street}} for deliveries."}""",
    "json_payout": """webhook payload: {"payout": {"iban": "{{iban}}", "holder": "{{p1.name}}", \
"amount": "{{amount}}", "reference": "{{invoice}}"}, "client_ip": "{{ipv6}}"}""",
    "log_failed_logins": """{{date}} {{time}} WARN auth: 5 failed logins for {{p1.email}} from \
{{ip}} (user-agent: Mozilla/5.0). Account locked. request_id={{uuid}}""",
    "csv_rows": """name,email,phone,city
{{p1.name}},{{p1.email}},{{p1.phone}},{{city}}
{{p2.name}},{{p2.email}},{{p2.phone}},{{city2}}""",
    # ---- other languages and scripts
    "ja_phone": """{{ja1.native}}様

いつもご利用いただきありがとうございます。ご注文番号 {{order}} の件でご連絡いたしました。
お電話番号 {{phone_jp}} にお掛けしましたが、つながりませんでした。
メールアドレス: {{p1.email}}""",
    "zh_shipping": """您好 {{zh1.native}}，
您的订单 {{order}} 已发货，收货地址：{{city}} {{street}}。
如有问题请致电 {{phone_cn}} 或发送邮件至 {{p1.email}}。""",
    "ar_callback": """مرحبا {{ar1.native}}،
شكرا لتواصلك معنا. رقم الطلب {{order}}. سنتصل بك على الرقم {{phone_intl}}.
Email: {{p1.email}}""",
    "pt_card": """Olá, meu nome é {{p1.name}}, moro na {{street_br}} em {{city}}. Meu cartão \
{{card}} foi cobrado duas vezes 😡 telefone {{phone_br}}""",
    "mixed_ja_en": """Customer wrote in Japanese: 「注文がまだ届きません」 (translation: my order \
has not arrived yet). Customer name {{p1.name}}, tel {{phone_jp}}. Order {{order}}.""",
    "it_invoice": """Buongiorno, sono {{p1.name}}. Vi scrivo per la fattura {{invoice}}: \
l'indirizzo corretto è {{addr}}. Grazie mille!""",
    # ---- misc
    "call_summary": """Call summary, {{date}}
Participants: {{p1.name}} ({{company}}), {{a1.name}} (us)
Actions:
- {{a1.first}} to send updated quote ({{amount}})
- {{p1.first}} to confirm delivery address: {{addr}}
- next call {{weekday}}""",
    "fraud_alert": """Possible fraud: {{n}} orders in 10 min from IP {{ip}} using cards {{card}} \
and {{card2}}. Shipping to {{addr}}. Name on orders: {{p1.name}}.""",
    "nps_comment": """NPS comment (score {{score}}): the new {{product}} dashboard is great but \
{{a1.first}} on your team was the real MVP!! 🎉🎉""",
    "profile_links": """Please update my profile: linkedin {{p1.url}} and my website {{url}}. \
Also my new number is {{p1.phone}}.""",
    "lowercase_all": """hi its {{p1.name|lower}} from {{city|lower}}. my card {{card}} was \
declined at checkout, order {{order}}. email {{p1.email}}""",
    "delivery_instructions": """Delivery instructions: leave at back door, {{addr}}. Contact \
{{p1.first}} on {{p1.phone}} if no one answers. Gate code is {{n}}#""",
    "firewall_request": """Firewall allowlist request from {{p1.name}}: please add {{ip}} and \
{{ipv6}} for the {{company}} VPN. Ticket {{ticket}}.""",
    "handover_note": """Handover for tomorrow:
* {{ticket}}: waiting on {{p1.first}} ({{p1.email}}) to send logs
* {{ticket2}}: {{p2.name}} wants a call back on {{p2.phone}}, not urgent
* refund for {{order}} approved by {{a1.first}}""",
}

# Signature blocks appended to some emails; counted as templates of their own.
SIGNATURES: dict[str, str] = {
    "sig_corporate": """
--
{{a1.name}}
Customer Success Manager | {{company9}}
T: {{a1.phone}}
{{a1.email}}""",
    "sig_iphone": """

Best,
{{a1.first}}

Sent from my iPhone""",
    "sig_upper": """

{{a1.name|upper}}
Senior Account Executive
{{company9}} · {{addr9}}
M {{a1.phone}} | W {{url9}}""",
    "sig_disclaimer": """

Kind regards / Mit freundlichen Grüßen

{{a1.name}}
{{street9}}
{{city9}}
Tel. {{a1.phone}}
This message may contain confidential information. If you are not the intended recipient, \
please notify the sender and delete it.""",
    "sig_short": """

thx
{{a1.first|lower}} 🙂""",
    "sig_calendar": """

{{a1.first}} {{a1.last}} (she/her)
Support Engineer, {{product9}}
Book a call: {{a1.url}}""",
}

EMAIL_TEMPLATES = {name for name in TEMPLATES if name.startswith("email_")}
# Separators when a document is a thread of two templates (a reply, a forwarded mail, a note).
THREAD_SEPARATORS = (
    "\n\n---\n\n",
    "\n\n-----Original Message-----\n",
    "\n\n[internal note]\n",
    "\n\n> ",
    "\n\n========== previous message ==========\n",
    "\n",
)

# --------------------------------------------------------------------------------------------
# Value pools
# --------------------------------------------------------------------------------------------

NAME_LOCALES = {
    "en_US": 24,
    "en_GB": 8,
    "de_DE": 8,
    "fr_FR": 7,
    "pt_BR": 9,
    "es_ES": 5,
    "es_MX": 4,
    "it_IT": 5,
    "nl_NL": 3,
    "pl_PL": 3,
    "tr_TR": 3,
    "en_IN": 4,
    "ja_JP": 3,
    "zh_CN": 3,
    "en_IE": 2,
    "yo_NG": 2,
    "sv_SE": 2,
    "cs_CZ": 2,
}
IBAN_LOCALES = ("de_DE", "fr_FR", "nl_NL", "es_ES", "it_IT", "pl_PL", "pt_BR", "en_GB", "cs_CZ")
PARTICLES = {"van", "von", "der", "den", "del", "dos", "das", "the", "mac"}

CITIES = (
    "São Paulo", "Rio de Janeiro", "Belo Horizonte", "München", "Berlin", "Hamburg", "Köln",
    "Frankfurt am Main", "Zürich", "Genève", "Montréal", "Québec", "Toronto", "Vancouver",
    "Lyon", "Marseille", "Bordeaux", "Paris", "London", "Manchester", "Edinburgh", "Dublin",
    "Kraków", "Wrocław", "Praha", "Brno", "İstanbul", "Ankara", "Madrid", "Sevilla", "Málaga",
    "Barcelona", "Lisboa", "Porto", "Milano", "Torino", "Napoli", "Amsterdam", "Rotterdam",
    "Utrecht", "Göteborg", "Malmö", "Oslo", "Helsinki", "Tokyo", "Osaka", "Shanghai",
    "Shenzhen", "Bengaluru", "Mumbai", "Lagos", "Nairobi", "Cape Town", "Austin", "Seattle",
    "Portland", "Springfield", "Chicago", "Denver", "Boston", "San Francisco", "Los Angeles",
    "New York", "Miami", "Atlanta", "Minneapolis", "Ciudad de México", "Guadalajara",
    "Bogotá", "Medellín", "Buenos Aires", "Santiago", "Montevideo", "Sydney", "Melbourne",
    "Auckland", "Dubai", "Tel Aviv", "Curitiba", "Florianópolis",
)  # fmt: skip
FAMOUS_STREETS = (
    "1498 rue Bélanger",
    "221B Baker Street",
    "742 Evergreen Terrace",
    "Av. Brigadeiro Faria Lima, 2170",
    "Theodor-Heuss-Straße 34",
    "Rua Oscar Freire, 379",
    "12 Grimmauld Place",
    "31 Spooner Street",
    "Calle de Alcalá 48",
    "Via Roma 12",
)
PRODUCTS = (
    "RelayDesk Pro", "RelayDesk Lite", "Acme Sync", "Nimbus Router X2", "Orbit CRM",
    "LedgerLite", "PixelPress", "CloudNest Backup", "Quanta Analytics", "Beacon Inbox",
    "TrailMix Planner", "Sprocket API", "Helio Cam 4K", "Fable Notes", "Stackline Deploy",
    "Kettle Smart Mug", "Atlas Maps SDK", "Marble Checkout", "Tidal Sync", "Vector Vault",
)  # fmt: skip
COMPANIES = (
    "Initech", "Globex Corporation", "Umbrella Logistics", "Hooli", "Stark Industries",
    "Wayne Enterprises", "Soylent Foods", "Wonka Industries", "Cyberdyne Systems", "Aperture Labs",
    "Tyrell Corp", "Massive Dynamic", "Vandelay Industries", "Pied Piper", "Bluth Company",
)  # fmt: skip
COMPANY_LOCALES = ("en_US", "de_DE", "fr_FR", "pt_BR", "it_IT", "nl_NL")
PLANS = ("free", "starter", "pro", "team", "business", "enterprise")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
EMOJI = ("🙏", "😩", "😡", "🙂", "👍", "🔥", "💸", "😕", "🤔", "✅", "🚀", "😅", "❤️", "📦")
TLDS = (
    "com", "io", "co.uk", "museum", "tech", "dev", "ai", "app", "com.br", "de", "fr", "co.jp",
    "travel", "photography", "email", "ninja", "nl", "es", "it", "org", "net", "ca", "com.au",
)  # fmt: skip
MAIL_HOSTS = ("gmail.com", "outlook.com", "yahoo.co.uk", "proton.me", "gmx.de", "icloud.com")
ROLE_EMAILS = ("support@relaydesk.example", "help@acme.example", "billing@nimbus.example")
PROFILE_SITES = (
    "https://www.linkedin.com/in/{slug}-{hex}",
    "https://github.com/{handle}",
    "https://calendly.com/{slug}/30min",
    "https://{handle}.substack.com",
    "https://about.me/{handle}",
)
URL_PATHS = (
    "/account/{n}?ref=email",
    "/tickets/{n}",
    "/hooks/incoming/{hex}",
    "/orders/{n}/invoice.pdf",
    "/settings/billing",
    "/",
    "/reset?token={hex}",
    "/en-us/help/article/{n}",
)


def _ascii(text: str) -> str:
    """A name folded to ASCII letters for email local parts and URL slugs."""
    text = text.replace("ß", "ss").replace("ø", "o").replace("ł", "l").replace("ı", "i")
    text = text.replace("Ł", "L").replace("æ", "ae").replace("đ", "d").replace("Đ", "D")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z]", "", folded)


@cache
def _faker(locale: str) -> Faker:
    return Faker(locale)


class _Renderer:
    """Renders one document: values are cached per key, so {{p1.first}} is one person."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.cache: dict[str, tuple[str, str | None]] = {}
        self.persons: dict[str, dict[str, str]] = {}
        self.pii: list[tuple[str, str]] = []
        self.keep: list[tuple[str, str]] = []
        self.literals: list[str] = []
        self.other: list[str] = []  # non-PII text that is neither template nor a keep value

    # ---- Faker with a per-call seed: values depend on this document's rng only
    def fk(self, locale: str) -> Faker:
        faker = _faker(locale)
        faker.seed_instance(self.rng.getrandbits(48))
        return faker

    def digits(self, count: int) -> str:
        return "".join(self.rng.choice(string.digits) for _ in range(count))

    # ---- persons
    def person(self, ref: str) -> dict[str, str]:
        if ref in self.persons:
            return self.persons[ref]
        rng = self.rng
        if ref.startswith(("ja", "zh", "ar")):
            locale = {"ja": "ja_JP", "zh": "zh_CN", "ar": "ar_AA"}[ref[:2]]
            faker = self.fk(locale)
            last, first = faker.last_name(), faker.first_name()
            native = f"{last}{first}" if locale != "ar_AA" else f"{first} {last}"
            if locale == "ja_JP" and rng.random() < 0.5:
                native = f"{last} {first}"
            self.persons[ref] = {"native": native}
            return self.persons[ref]
        locale = rng.choices(list(NAME_LOCALES), weights=list(NAME_LOCALES.values()))[0]
        faker = self.fk(locale)
        if locale in ("ja_JP", "zh_CN"):
            first, last = faker.first_romanized_name(), faker.last_romanized_name()
        else:
            first, last = faker.first_name(), faker.last_name()
        fa, la = _ascii(first).lower() or "user", _ascii(last).lower() or "name"
        handle = rng.choice(
            (
                f"{fa}.{la}",
                f"{fa}{la}",
                f"{fa[0]}.{la}",
                f"{fa}_{la}",
                f"{fa}+{rng.choice(('shop', 'news', 'billing', 'test'))}",
                f"{fa}.{la}+{self.digits(2)}",
                f"{la}.{fa}",
                f"{fa}{self.digits(2)}",
            )
        )
        email = f"{handle}@{self.email_domain(personal=True)}"
        slug_handle = f"{fa}{la[:1]}{self.digits(2)}"
        url = rng.choice(PROFILE_SITES).format(
            slug=f"{fa}-{la}", hex=uuid.UUID(int=rng.getrandbits(128)).hex[:6], handle=slug_handle
        )
        self.persons[ref] = {
            "first": first,
            "last": last,
            "name": f"{first} {last}",
            "email": email,
            "phone": self.phone("any"),
            "url": url,
        }
        return self.persons[ref]

    def email_domain(self, personal: bool = False) -> str:
        rng = self.rng
        if personal and rng.random() < 0.35:
            return rng.choice(MAIL_HOSTS)
        word = re.sub(r"[^a-z]", "", self.fk("en_US").domain_word()) or "acme"
        if rng.random() < 0.3:
            word += rng.choice(("-labs", "-corp", "-logistics", "hq", "-studio"))
        sub = rng.choice(("", "", "", "mail.", "eu.", "corp.", "support."))
        return f"{sub}{word}.{rng.choice(TLDS)}"

    # ---- formatted values
    def phone(self, style: str) -> str:
        rng, d = self.rng, self.digits
        area = f"{rng.randint(201, 989)}"
        styles: dict[str, list[Callable[[], str]]] = {
            "us": [
                lambda: f"({area}) {rng.randint(200, 999)}-{d(4)}",
                lambda: f"({area}) {rng.randint(200, 999)}-{d(4)} x{rng.randint(2, 999)}",
                lambda: f"{area}.{rng.randint(200, 999)}.{d(4)}",
                lambda: f"+1-{area}-{rng.randint(200, 999)}-{d(4)}",
                lambda: f"{area}-{rng.randint(200, 999)}-{d(4)}",
                lambda: f"1 ({area}) {rng.randint(200, 999)}-{d(4)}",
                lambda: f"+1 {area} {rng.randint(200, 999)} {d(4)}",
            ],
            "br": [
                lambda: f"+55 ({rng.randint(11, 99)}) {rng.randint(2000, 5999)}-{d(4)}",
                lambda: f"+55 {rng.randint(11, 99)} 9{d(4)}-{d(4)}",
                lambda: f"({rng.randint(11, 99)}) 9{d(4)}-{d(4)}",
                lambda: f"{rng.randint(11, 99)} 9{d(4)} {d(4)}",
            ],
            "de": [
                lambda: f"+49 30 {d(6)}",
                lambda: f"+49 (0){rng.randint(30, 89)} {d(4)} {d(3)}",
                lambda: f"0{rng.randint(30, 89)} {d(6)}-{d(1)}",
                lambda: f"+49 1{rng.randint(51, 79)} {d(7)}",
            ],
            "uk": [
                lambda: f"+44 20 {d(4)} {d(4)}",
                lambda: f"07{d(3)} {d(6)}",
                lambda: f"+44 (0)1{d(3)} {d(6)}",
            ],
            "fr": [
                lambda: f"+33 {rng.randint(1, 7)} {d(2)} {d(2)} {d(2)} {d(2)}",
                lambda: f"0{rng.randint(1, 7)} {d(2)} {d(2)} {d(2)} {d(2)}",
                lambda: f"0{rng.randint(1, 7)}.{d(2)}.{d(2)}.{d(2)}.{d(2)}",
            ],
            "jp": [
                lambda: f"+81 3-{d(4)}-{d(4)}",
                lambda: f"090-{d(4)}-{d(4)}",
                lambda: f"0{rng.randint(3, 6)}-{d(4)}-{d(4)}",
            ],
            "cn": [lambda: f"+86 13{d(1)} {d(4)} {d(4)}", lambda: f"13{d(9)}"],
            "intl": [
                lambda: f"+971 4 {d(3)} {d(4)}",
                lambda: f"+91 9{d(4)} {d(5)}",
                lambda: f"+61 2 {d(4)} {d(4)}",
                lambda: f"+34 6{d(2)} {d(3)} {d(3)}",
                lambda: f"+39 3{d(2)} {d(3)} {d(4)}",
                lambda: f"+31 6 {d(8)}",
                lambda: f"+48 {d(3)} {d(3)} {d(3)}",
            ],
        }
        if style == "any":
            if rng.random() < 0.25:
                locale = rng.choice(("en_US", "en_GB", "de_DE", "fr_FR", "pt_BR", "it_IT"))
                return self.fk(locale).phone_number()
            style = rng.choices(list(styles), weights=(30, 12, 10, 10, 8, 4, 3, 10))[0]
        return rng.choice(styles[style])()

    def card(self) -> str:
        rng = self.rng
        if rng.random() < 0.1:
            number = rng.choice(("4242424242424242", "4111111111111111", "5555555555554444"))
        else:
            prefix, length = rng.choice(
                (("4", 16), ("51", 16), ("55", 16), ("2221", 16), ("34", 15), ("37", 15),
                 ("6011", 16), ("35", 16))
            )  # fmt: skip
            body = prefix + self.digits(length - len(prefix) - 1)
            number = body + _luhn_digit(body)
        if len(number) == 15:
            groups = [number[:4], number[4:10], number[10:]]
        else:
            groups = [number[i : i + 4] for i in range(0, 16, 4)]
        return rng.choice((" ", "-", "", " ", "-")).join(groups)

    def iban(self) -> str:
        value = self.fk(self.rng.choice(IBAN_LOCALES)).iban()
        if self.rng.random() < 0.55:
            value = " ".join(value[i : i + 4] for i in range(0, len(value), 4))
        return value

    def ssn(self) -> str:
        rng = self.rng
        area = rng.choice([a for a in range(1, 900) if a != 666])
        group, serial = rng.randint(1, 99), rng.randint(1, 9999)
        sep = rng.choices(("-", " ", ""), weights=(7, 2, 1))[0]
        return f"{area:03d}{sep}{group:02d}{sep}{serial:04d}"

    def street(self, style: str = "any") -> str:
        rng = self.rng
        if style == "any":
            if rng.random() < 0.08:
                return rng.choice(FAMOUS_STREETS)
            style = rng.choice(("us", "us", "uk", "fr", "de", "br", "es", "it", "nl"))
        if style == "us":
            return self.fk("en_US").street_address()
        if style == "uk":
            faker = self.fk("en_GB")
            return (
                f"{rng.randint(1, 250)}{rng.choice(('', '', '', 'A', 'B'))} {faker.street_name()}"
            )
        if style == "fr":
            faker = self.fk(rng.choice(("fr_FR", "fr_CA")))
            name = faker.street_name()
            if not name[:1].islower():
                name = "rue " + faker.last_name()
            return rng.choice((f"{rng.randint(1, 2999)} {name}", f"{rng.randint(1, 99)}, {name}"))
        if style == "de":
            faker = self.fk("de_DE")
            return f"{faker.street_name()} {rng.randint(1, 180)}{rng.choice(('', '', 'a'))}"
        if style == "br":
            faker = self.fk("pt_BR")
            kind = rng.choice(("Rua", "Av.", "Avenida", "R.", "Alameda"))
            extra = rng.choice(("", "", f" - apto {rng.randint(11, 304)}", " - fundos"))
            return f"{kind} {faker.last_name()} {faker.last_name()}, {rng.randint(1, 4000)}{extra}"
        if style == "es":
            faker = self.fk("es_ES")
            return f"Calle de {faker.last_name()} {rng.randint(1, 200)}"
        if style == "it":
            return f"Via {self.fk('it_IT').last_name()}, {rng.randint(1, 200)}"
        return f"{self.fk('nl_NL').street_name()} {rng.randint(1, 300)}"

    def city(self) -> str:
        if self.rng.random() < 0.85:
            return self.rng.choice(CITIES)
        return self.fk(self.rng.choice(("en_US", "de_DE", "fr_FR", "pt_BR", "en_GB"))).city()

    def amount(self) -> str:
        rng = self.rng
        whole, cents = rng.randint(1, 4999), rng.randint(0, 99)
        return rng.choice(
            (
                f"${whole:,}.{cents:02d}",
                f"€{whole},{cents:02d}",
                f"€ {whole}.{cents:02d}",
                f"R$ {whole:,}.{cents:02d}".replace(",", "X").replace(".", ",").replace("X", "."),
                f"USD {whole}.{cents:02d}",
                f"£{whole}.{cents:02d}",
                f"{whole} EUR",
            )
        )

    def date(self) -> str:
        rng = self.rng
        y, m, d = rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)
        month = ("January", "February", "March", "April", "May", "June", "July", "August",
                 "September", "October", "November", "December")[m - 1]  # fmt: skip
        return rng.choice(
            (
                f"{y}-{m:02d}-{d:02d}",
                f"{month} {d}, {y}",
                f"{d:02d}/{m:02d}/{y}",
                f"{m}/{d}/{y}",
                f"{d} {month[:3]} {y}",
                f"{d:02d}.{m:02d}.{y}",
            )
        )

    # ---- placeholder → (value, entity or keep-kind or None)
    def value(self, key: str) -> str:
        name, _, modifier = key.partition("|")
        if "." in name:
            ref, attr = name.split(".", 1)
            person = self.person(ref)
            value = person[attr]
            if attr in ("first", "last", "name", "native"):
                self._person_pii(value, modifier)
            elif attr == "email":
                self.pii.append(("EMAIL_ADDRESS", _apply(value, modifier)))
            elif attr == "phone":
                self.pii.append(("PHONE_NUMBER", value))
            elif attr == "url":
                self.pii.append(("URL", value))
            return _apply(value, modifier)

        base = name if name.startswith("ipv6") else name.rstrip("0123456789")
        fresh = base in ("time", "emoji", "n", "score", "weekday")
        if not fresh and name in self.cache:
            value, entity = self.cache[name]
        else:
            value, entity = self._make(base)
            if not fresh:
                self.cache[name] = (value, entity)
        value = _apply(value, modifier)
        if entity in ENTITY_TYPES:
            self.pii.append((entity, value))
        elif entity is not None:
            self.keep.append((entity, value))
        else:
            self.other.append(value)
        return value

    def _person_pii(self, value: str, modifier: str) -> None:
        value = _apply(value, modifier)
        parts = [p for p in value.split() if len(p.rstrip(".")) >= 3 and p.lower() not in PARTICLES]
        for part in parts or [value]:
            self.pii.append(("PERSON", part))

    def _make(self, base: str) -> tuple[str, str | None]:
        rng = self.rng
        if base == "email":
            handle = rng.choice(
                (
                    f"{_ascii(self.fk('en_US').user_name()).lower()}{self.digits(2)}",
                    f"{_ascii(self.fk('en_GB').first_name()).lower()}.{self.digits(3)}",
                    f"no-reply-{self.digits(4)}",
                )
            )
            return f"{handle}@{self.email_domain()}", "EMAIL_ADDRESS"
        if base.startswith("phone"):
            return self.phone(base.partition("_")[2] or "any"), "PHONE_NUMBER"
        if base == "card":
            return self.card(), "CREDIT_CARD"
        if base == "iban":
            return self.iban(), "IBAN_CODE"
        if base == "ip":
            faker = self.fk("en_US")
            return (faker.ipv4_private() if rng.random() < 0.2 else faker.ipv4_public()), (
                "IP_ADDRESS"
            )
        if base == "ipv6":
            return self.fk("en_US").ipv6(), "IP_ADDRESS"
        if base == "url":
            host = self.email_domain()
            path = rng.choice(URL_PATHS).format(n=rng.randint(100, 999999), hex=self.digits(8))
            scheme = rng.choice(("https://", "https://", "http://", "https://www.", "www."))
            return f"{scheme}{host}{path}", "URL"
        if base == "ssn":
            return self.ssn(), "US_SSN"
        if base.startswith("street"):
            return self.street(base.partition("_")[2] or "any"), "LOCATION"
        if base == "city":
            return self.city(), "LOCATION"
        if base in ("addr", "addr_ml"):
            # rendered through the street / city keys so each part is recorded on its own
            raise AssertionError("addr is expanded before rendering")
        if base == "order":
            return rng.choice(
                (
                    f"ORD-{rng.randint(2019, 2025)}-{self.digits(6)}",
                    f"#{self.digits(6)}",
                    f"PO-{self.digits(5)}",
                    f"{self.digits(3)}-{self.digits(7)}-{self.digits(7)}",
                )
            ), "order"
        if base == "ticket":
            return rng.choice(
                (
                    f"TCK-{self.digits(5)}",
                    f"INC{self.digits(7)}",
                    f"#{self.digits(5)}",
                    f"SR-{rng.randint(2019, 2025)}-{self.digits(5)}",
                )
            ), "ticket"
        if base == "invoice":
            invoice = (f"INV-{self.digits(6)}", f"{rng.randint(2019, 2025)}/{self.digits(4)}")
            return rng.choice(invoice), "invoice"
        if base == "uuid":
            return str(uuid.UUID(int=rng.getrandbits(128), version=4)), "uuid"
        if base == "tracking":
            return rng.choice(
                (f"1Z{self.digits(3)}AA1{self.digits(8)}", f"LX{self.digits(9)}DE", self.digits(12))
            ), "tracking"
        if base == "amount":
            return self.amount(), "amount"
        if base == "date":
            return self.date(), "date"
        if base == "time":
            h, m = rng.randint(0, 23), rng.randint(0, 59)
            times = (f"{h:02d}:{m:02d}", f"{h:02d}:{m:02d} UTC", f"{h % 12 + 1}:{m:02d}pm")
            return rng.choice(times), None
        if base == "version":
            semver = f"v{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}"
            return rng.choice((semver, f"build {self.digits(4)}")), "version"
        if base == "product":
            return rng.choice(PRODUCTS), "product"
        if base == "company":
            if rng.random() < 0.5:
                return rng.choice(COMPANIES), "company"
            return self.fk(rng.choice(COMPANY_LOCALES)).company(), "company"
        if base == "plan":
            return rng.choice(PLANS), None
        if base == "weekday":
            return rng.choice(WEEKDAYS), None
        if base == "emoji":
            return rng.choice(EMOJI), None
        if base == "n":
            return str(rng.randint(2, 999)), None
        if base == "score":
            return str(rng.randint(0, 10)), None
        if base == "role_email":
            return rng.choice(ROLE_EMAILS), None
        raise KeyError(f"unknown placeholder {base!r}")


def _apply(value: str, modifier: str) -> str:
    if modifier == "lower":
        return value.lower()
    if modifier == "upper":
        return value.upper()
    return value


def _luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        digit = int(ch)
        if i % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    digits = re.sub(r"\D", "", number)
    return len(digits) >= 12 and _luhn_digit(digits[:-1]) == digits[-1]


PLACEHOLDER = re.compile(r"\{\{([\w.|]+)\}\}")


def _expand(template: str) -> str:
    """``{{addr}}`` → ``{{street}}, {{city}}``; ``{{addr_ml}}`` puts a postcode line between."""

    def sub(match: re.Match[str]) -> str:
        key = match.group(1)
        name, bar, modifier = key.partition("|")
        base, suffix = name.rstrip("0123456789"), name[len(name.rstrip("0123456789")) :]
        mod = f"{bar}{modifier}"
        if base == "addr":
            return f"{{{{street{suffix}{mod}}}}}, {{{{city{suffix}{mod}}}}}"
        if base == "addr_ml":
            return f"{{{{street{suffix}{mod}}}}}\n{{{{postcode}}}} {{{{city{suffix}{mod}}}}}"
        return match.group(0)

    return PLACEHOLDER.sub(sub, template)


def _render(template: str, renderer: _Renderer) -> str:
    template = _expand(template)
    out: list[str] = []
    pos = 0
    for match in PLACEHOLDER.finditer(template):
        literal = match.string[pos : match.start()]
        out.append(literal)
        renderer.literals.append(literal)
        key = match.group(1)
        if key == "postcode":
            value = renderer.digits(5)
            renderer.other.append(value)
        else:
            value = renderer.value(key)
        out.append(value)
        pos = match.end()
    tail = template[pos:]
    out.append(tail)
    renderer.literals.append(tail)
    return "".join(out)


TEMPLATE_NAMES = sorted(TEMPLATES)
SIGNATURE_NAMES = sorted(SIGNATURES)
WORD = re.compile(r"\w+")


def _attempt(rng: random.Random) -> tuple[str, _Renderer, tuple[str, ...]] | None:
    renderer = _Renderer(rng)
    name = rng.choice(TEMPLATE_NAMES)
    names = [name]
    text = _render(TEMPLATES[name], renderer)
    if name in EMAIL_TEMPLATES and rng.random() < 0.6:
        sig = rng.choice(SIGNATURE_NAMES)
        names.append(sig)
        text += _render(SIGNATURES[sig], renderer)
    if rng.random() < 0.3:
        second = rng.choice([n for n in TEMPLATE_NAMES if n != name])
        names.append(second)
        separator = rng.choice(THREAD_SEPARATORS)
        renderer.literals.append(separator)
        text += separator + _render(TEMPLATES[second], renderer)
    if rng.random() < 0.15:
        extra = rng.choice(("\n\n", "\r\n", "  \n", "\n\n\n"))
        renderer.literals.append(extra)
        text += extra

    # Labels must be clean: no PII value may show up in the non-PII parts of the text.
    non_pii = "\n".join([*renderer.literals, *renderer.other, *(v for _, v in renderer.keep)])
    non_pii = non_pii.lower()
    pii = list(dict.fromkeys(renderer.pii))
    for _, value in pii:
        if value.lower() in non_pii or value not in text:
            return None
    return text, renderer, tuple(names)


def build_doc(index: int, seed: int = 11) -> Doc:
    """Document ``index`` of the corpus for ``seed`` (independent of the corpus size)."""
    for attempt in range(100):
        rng = random.Random(f"text-corpus:{seed}:{index}:{attempt}")
        made = _attempt(rng)
        if made is not None:
            break
    else:  # pragma: no cover - a template that can never be labeled cleanly
        raise RuntimeError(f"could not build document {index}")
    text, renderer, names = made
    pii = list(dict.fromkeys(renderer.pii))
    pii_tokens = {t.lower() for _, value in pii for t in WORD.findall(value)}
    text_tokens = set(WORD.findall(text))
    words: list[str] = []
    for literal in renderer.literals:
        for token in WORD.findall(literal):
            if (
                token.isalpha()
                and len(token) >= 2
                and token in text_tokens
                and token.lower() not in pii_tokens
                and not any(token.lower() in value.lower() for _, value in pii)
            ):
                words.append(token)
    return Doc(
        id=index + 1,
        text=text,
        pii=pii,
        words=list(dict.fromkeys(words)),
        keep=list(dict.fromkeys(renderer.keep)),
        templates=names,
    )


def build_corpus(n: int, seed: int = 11) -> list[Doc]:
    """``n`` labeled documents, reproducible for ``seed``."""
    return [build_doc(i, seed) for i in range(n)]


def write_sqlite(docs: list[Doc], path: str | Path) -> None:
    """Write ``docs(id INTEGER PRIMARY KEY, body TEXT)`` to a (new or replaced) SQLite file."""
    path = Path(path)
    path.unlink(missing_ok=True)
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT)")
        conn.executemany(
            "INSERT INTO docs (id, body) VALUES (?, ?)", [(d.id, d.text) for d in docs]
        )
    conn.close()


if __name__ == "__main__":  # a quick look: python benchmarks/text_corpus.py [N]
    import sys

    for doc in build_corpus(int(sys.argv[1]) if len(sys.argv) > 1 else 5):
        print(f"--- #{doc.id} {doc.templates}\n{doc.text}\n  pii={doc.pii}\n  words={doc.words}")
