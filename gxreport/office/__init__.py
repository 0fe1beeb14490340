"""The office's batch work: many files at once, roll-ups and audits of published reports."""
