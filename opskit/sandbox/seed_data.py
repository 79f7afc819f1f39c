"""The demo company's data, as plain tables that are easy to edit."""

from __future__ import annotations

DOMAIN = "northwind.example"

# The example company's people (policies/people.yaml): first name, last name, time zone,
# PagerDuty role. Email is <first>@northwind.example, lower case and without accents.
PEOPLE: list[tuple[str, str, str, str]] = [
    ("Anna", "Köhler", "Europe/Berlin", "manager"),
    ("Mehmet", "Yılmaz", "Europe/Berlin", "responder"),
    ("Lukas", "Brandt", "Europe/Berlin", "responder"),
    ("Zofia", "Nowak", "Europe/Berlin", "responder"),
    ("Fatima", "Haddad", "Europe/Berlin", "manager"),
    ("Priya", "Raman", "Europe/London", "manager"),
    ("Oliver", "Bennett", "Europe/London", "responder"),
    ("Chioma", "Okafor", "Europe/London", "responder"),
    ("Marcus", "Johnson", "America/New_York", "manager"),
    ("Sofia", "Hernández", "America/New_York", "responder"),
    ("Jamal", "Price", "America/New_York", "responder"),
    ("Daniel", "Kim", "America/New_York", "responder"),
    ("Rachel", "Goldberg", "America/New_York", "responder"),
    ("Grace", "Liu", "America/New_York", "responder"),
    ("Mei", "Lin Tan", "Asia/Singapore", "responder"),
    ("Arjun", "Nair", "Asia/Singapore", "responder"),
    ("Kenji", "Watanabe", "Australia/Sydney", "responder"),
]

# The example's customers (policies/customers.yaml) as Jira Service Management already
# knows them before opskit: organisation, tier, contact emails.
CUSTOMERS: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "Brightleaf Legal LLP",
        "Premium",
        ("hannah.whitfield@brightleaf-legal.example", "samuel.osei@brightleaf-legal.example"),
    ),
    (
        "Harbor Dental Group",
        "Premium",
        ("luis.moreno@harbordental.example", "beth.callahan@harbordental.example"),
    ),
    ("Kestrel Architekten GmbH", "Premium", ("jana.vogel@kestrel-architekten.example",)),
    (
        "Pinecrest Accounting & Tax",
        "Business",
        ("denise.ward@pinecrest-cpa.example", "kevin.tran@pinecrest-cpa.example"),
    ),
    ("Bluefin Marketing Ltd", "Business", ("amara@bluefin-marketing.example",)),
    ("Alder & Sage Bakeries", "Business", ("katrin.huber@alderandsage.example",)),
    ("Café Mélange", "Standard", ("theo@cafe-melange.example",)),
    (
        "Tidewater Books",
        "Standard",
        ("colin@tidewaterbooks.example", "rosa@tidewaterbooks.example"),
    ),
]

JIRA_PRIORITIES: list[tuple[str, str, str]] = [
    ("P1", "#d04437", "Critical: customers cannot work"),
    ("P2", "#f15c75", "High: a major function is degraded"),
    ("P3", "#f79232", "Moderate: a workaround exists"),
    ("P4", "#707070", "Low: questions and cosmetic issues"),
]

SUBJECTS = [
    "Cannot log in to the portal",
    "Invoice shows the wrong amount",
    "API returns 502",
    "Export to CSV times out",
    "Password reset email not received",
    "Dashboard is slow",
    "Webhook deliveries failing",
    "SSO misconfigured after renewal",
    "Data missing in report",
    "Question about usage limits",
    "Mobile app crashes on start",
    "Need an audit log export",
]

# The Jira components of the example's services (policies/services.yaml, `jira_component`),
# made by hand in SUP before opskit runs: service name, component name.
SERVICE_COMPONENTS: list[tuple[str, str]] = [
    ("storage-api", "Storage API"),
    ("file-sync", "File sync"),
    ("backup", "Backup"),
    ("identity", "Identity"),
    ("web-portal", "Web portal"),
    ("app-support-desk", "Application support"),
    ("major-incident", "Major incident"),
]
