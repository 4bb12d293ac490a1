"""Administration pages of an organisation: units, people, accounts, imports, acting
supervisors, calendars, reminder rules, the review policy and the audit trail."""
