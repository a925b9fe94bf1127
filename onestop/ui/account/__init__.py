"""Screens every audience shares: sign-in."""
