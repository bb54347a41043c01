# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class RegistrationError(UserError):
    "A registration operation that cannot be done"
    pass


class DuplicateError(ValidationError):
    "The address already holds an active registration for the event"
    pass


class SessionError(ValidationError):
    "The sessions picked cannot go together or with the event"
    pass
