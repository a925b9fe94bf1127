"""OneStop: one-stop public-administration system (Reflex app, domain rules, services)."""
