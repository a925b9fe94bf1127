"""Shared widgets used by pages of several audiences."""
