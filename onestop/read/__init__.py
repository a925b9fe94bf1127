"""The read side: queries and bilingual shapes for pages and the JSON API, by concept.

Why a package of its own: `services/` holds the use cases that change state (they
take a session and the acting user, check permission, write rows and the audit
event, and flush — the caller commits). Everything here only reads and shapes:
pages and API routes call it with any session; nothing here writes.
"""
