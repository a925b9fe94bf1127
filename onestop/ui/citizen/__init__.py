"""Citizen screens: catalog, apply, my dossiers, tracking and the owner-dossier pages."""
