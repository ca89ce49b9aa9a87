"""Writes that touch several models, each a function named for what it does."""
