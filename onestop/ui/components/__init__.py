"""Widgets shared by more than one audience: form fields, uploads, the owner-dossier frame, admin table+dialog."""
