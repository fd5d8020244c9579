"""Organisations, their users and API tokens, and their policy settings."""
