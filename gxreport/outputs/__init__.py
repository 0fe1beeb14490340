"""Writing outputs: .docx, PDF and the web page, all or nothing."""
