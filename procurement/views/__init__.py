"""Thin views: access helper → form → service → message → redirect."""
