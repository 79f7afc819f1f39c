"""The service review: what the SLA engine's clocks add up to over a period.

`period` parses the period (a calendar month or an ISO week, UTC boundaries), `figures`
counts a period's tickets and clocks per customer and for the desk, `document` shapes the
figures and their trend as JSON (version 1) and Markdown.
"""
