"""Outputs beyond the .docx: PDF through LibreOffice, and a self-contained web page."""
