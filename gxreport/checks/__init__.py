"""Checks: the rules R1–R13 evaluated on a report, within a year and across years."""
