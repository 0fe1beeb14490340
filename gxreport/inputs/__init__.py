"""Reading inputs (workbooks, JSON, published reports, last year's report) and writing the workbook a clerk fills."""
