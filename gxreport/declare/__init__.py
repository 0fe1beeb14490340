"""Declarations: the kinds, their formats, tables, rules and the page, read from data and validated."""
