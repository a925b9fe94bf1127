"""Officer screens: inbox, dossier workbench, counter intake."""
