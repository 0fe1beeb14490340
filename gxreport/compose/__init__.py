"""Composing the document: the report laid out as blocks (title, headings, tables, signature)."""
