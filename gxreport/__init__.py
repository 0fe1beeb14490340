"""gxreport: official government reports (GB/T 9704 layout) from workbooks."""

__version__ = "0.1.0"
