"""The templates the demo's free text is filled from: messages, subjects, invoice lines, errors.

Placeholders such as {name}, {email} and {phone} are filled with a contact's own values, so PII
turns up inside prose, as it does in production.
"""

CUSTOMER_LINES = (
    "Hi, this is {name}. Please call me back on {phone}.",
    "My email is {email} and I never got the password reset link.",
    "I moved to {address}. Please update my billing details.",
    "My colleague {other_name} ({other_email}) needs access to our workspace too.",
    "The bot told me my refund was processed but nothing arrived 😡",
    "Thanks {agent}, that worked! 🙏👍",
    "Why was my card ending {card4} charged twice???",
    "{local}",
    "Здравствуйте, не могу войти в аккаунт. {name}",
    "مرحبا، لم أستلم الفاتورة. {email}",
)
AGENT_LINES = (
    "Hi {first}, thanks for reaching out. I've escalated ticket #{ticket} to billing.",
    "Dear {name}, the refund to the card ending in {card4} has been issued.",
    "I've updated the address on file to: {address}",
    "Could you confirm that {phone} is still the best number to reach you?",
    "I've added {other_name} <{other_email}> as a second admin.",
    "Best regards,\n{agent}\nRelayDesk Support",
)
BOT_LINES = (
    "🤖 Auto-reply: we received your request #{ticket}. Expected response time: 24h.",
    "Summary for agent: {name} <{email}> reports a login problem. Phone on file: {phone}.",
    "Detected language: {lang}. Routing to queue '{queue}'.",
    "I found 3 articles that might help, {first}: https://help.relaydesk.io/a/{ticket}",
)
LINES = {"customer": CUSTOMER_LINES, "agent": AGENT_LINES, "bot": BOT_LINES}
SUBJECTS = (
    "Can't log in",
    "Refund request",
    "Invoice {invoice} is wrong",
    "Please delete my data (GDPR)",
    "Bot gave me a wrong answer",
    "Change billing address",
    "Urgent!!! account locked",
    "RE: RE: Fwd: your agent keeps replying",
    "Question from {name}",
    "Call me back at {phone}",
    "Rechnung doppelt belastet",
    "Problème de connexion",
    "Não consigo acessar minha conta",
    "ログインできません",
    "No puedo descargar la factura",
    "",
)
LINE_ITEMS = (
    "Agent seats ({plan})",
    "Overage: {n}k tokens",
    "Premium support",
    "Onboarding",
    "Workflow add-on",
    "Credit: service outage {month}",
)
LOG_MESSAGES = (
    "widget loaded",
    "auth token expired",
    "retrying websocket",
    "payment declined",
    "agent handoff",
    "upload failed: file too large",
)
REFUND_REASONS = (
    "Duplicate charge",
    "Customer {name} cancelled within trial",
    "Goodwill credit approved by {agent}",
    "Chargeback filed by {email}",
    "",
)
ERRORS = (
    "SMTP 550 5.1.1 <{email}>: Recipient address rejected",
    "HTTP 429 Too Many Requests",
    "Timeout after 30s calling CRM for {name}",
    "ValidationError: phone '{phone}' is not a valid number",
    "JSONDecodeError: Expecting value: line 1 column 1 (char 0)",
)
