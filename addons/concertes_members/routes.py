# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
import json
import logging

from trytond import backend
from trytond.protocols.wrappers import HTTPStatus, Response, with_pool
from trytond.transaction import Transaction
from trytond.wsgi import app

logger = logging.getLogger(__name__)
UNAVAILABLE = {'status': 'unavailable', 'database': 'unreachable'}


def json_response(data, status=HTTPStatus.OK):
    return Response(
        json.dumps(data), status,
        headers={'Cache-Control': 'no-store'},
        content_type='application/json')


@app.route('/<database_name>/health', methods={'GET'})
def health(request, database_name):
    "200 with the state of the queue and the scheduler, 503 if unreachable"
    try:
        return _health(request, database_name)
    except backend.DatabaseOperationalError:
        logger.warning("health: %s unreachable", database_name, exc_info=True)
        return json_response(UNAVAILABLE, HTTPStatus.SERVICE_UNAVAILABLE)


@with_pool
def _health(request, pool):
    try:
        with Transaction().start(pool.database_name, 0, readonly=True):
            status = pool.get('concertes.health').status()
    except backend.DatabaseOperationalError:
        logger.warning(
            "health: %s unreachable", pool.database_name, exc_info=True)
        return json_response(UNAVAILABLE, HTTPStatus.SERVICE_UNAVAILABLE)
    return json_response(status)
