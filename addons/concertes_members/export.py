# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"CSV files that spreadsheets open without running what people typed"
import csv
import io

# A spreadsheet reads a cell that starts with one of these as a formula
FORMULA_STARTS = ('=', '+', '-', '@', '\t', '\r')


def neutralise_cell(value):
    """The value with a leading apostrophe when a spreadsheet would read it
    as a formula (a registrant named "=HYPERLINK(...)")"""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_file(rows):
    """The rows as a CSV file for spreadsheets (bytes): semicolons, a BOM
    for accented names, every cell neutralised"""
    output = io.StringIO()
    writer = csv.writer(output, delimiter=';', lineterminator='\r\n')
    writer.writerows([neutralise_cell(c) for c in row] for row in rows)
    return ('\ufeff' + output.getvalue()).encode('utf-8')
