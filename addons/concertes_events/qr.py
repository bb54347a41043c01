# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"The QR codes of the check-in codes, on the page, in the e-mail, on badges"
import io

import segno


def qr_code(text):
    """The QR code of text, always a standard one: segno picks a Micro QR
    code for short text, which phone cameras and desk scanners do not
    read"""
    return segno.make(text or '', error='m', micro=False)


def qr_data_uri(text, scale=4):
    "The QR code of text as an SVG data URI to put in an <img>"
    return qr_code(text).svg_data_uri(scale=scale, border=1)


def qr_png(text, scale=8):
    "The QR code of text as PNG bytes"
    output = io.BytesIO()
    qr_code(text).save(output, kind='png', scale=scale, border=4)
    return output.getvalue()
