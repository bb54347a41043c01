# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The state of the product for monitoring (GET /<database>/health)

Counts and dates only: no task's data, no name, no e-mail."""
import datetime as dt

from sql import Null
from sql.aggregate import Count, Max, Min
from sql.conditionals import Coalesce

from trytond.model import Model
from trytond.pool import Pool
from trytond.transaction import Transaction

from .common import sql_tables


def _utc(value):
    "A naive timestamp of trytond (UTC) in ISO 8601"
    if value is None:
        return None
    return value.replace(microsecond=0).isoformat() + 'Z'


class Health(Model):
    "Health of the Database, Task Queue and Scheduler"
    __name__ = 'concertes.health'

    @classmethod
    def status(cls):
        "The database is reachable: what the queue and the scheduler do"
        now = dt.datetime.now()
        return {
            'status': 'ok',
            'database': 'reachable',
            'time': _utc(now),
            **cls._queue_status(now),
            'crons': cls._cron_status(),
            }

    @classmethod
    def _queue_status(cls, now):
        queue, = sql_tables('ir.queue')
        cursor = Transaction().connection.cursor()

        due = Coalesce(queue.scheduled_at, queue.enqueued_at)
        cursor.execute(*queue.select(
                Count(queue.id), Min(due),
                where=(queue.dequeued_at == Null) & (due <= now)))
        waiting, oldest = cursor.fetchone()
        if isinstance(oldest, str):
            oldest = dt.datetime.fromisoformat(oldest)
        cursor.execute(*queue.select(
                Count(queue.id),
                where=(queue.dequeued_at == Null) & (due > now)))
        scheduled, = cursor.fetchone()
        return {
            'tasks_waiting': waiting,
            'oldest_waiting_seconds': (
                round((now - oldest).total_seconds(), 1)
                if oldest else None),
            'tasks_scheduled': scheduled,
            'tasks_failed': cls._failed_tasks(),
            }

    @classmethod
    def _failed_tasks(cls):
        "The tasks kept as failed"
        Queue = Pool().get('ir.queue')
        if hasattr(Queue, 'failed_count'):
            return Queue.failed_count()
        # Without it, the failures trytond reports and nobody solved yet
        error, = sql_tables('ir.error')
        cursor = Transaction().connection.cursor()
        cursor.execute(*error.select(
                Count(error.id),
                where=error.origin.like('ir.queue,%')
                & error.state.in_(['open', 'processing'])))
        count, = cursor.fetchone()
        return count

    @classmethod
    def _cron_status(cls):
        "The last run and next call of each scheduled job by method"
        cron, log = sql_tables('ir.cron', 'ir.cron.log')
        cursor = Transaction().connection.cursor()
        cursor.execute(*cron.join(
                log, 'LEFT', condition=log.cron == cron.id).select(
                cron.method, cron.active, cron.next_call, Max(log.ended),
                group_by=[cron.id, cron.method, cron.active, cron.next_call]))
        crons = {}
        for method, active, next_call, last_run in cursor:
            if isinstance(next_call, str):
                next_call = dt.datetime.fromisoformat(next_call)
            if isinstance(last_run, str):
                last_run = dt.datetime.fromisoformat(last_run)
            status = crons.setdefault(method, {
                    'active': False, 'last_run': None, 'next_call': None})
            status['active'] |= bool(active)
            if last_run and (
                    not status['last_run'] or last_run > status['last_run']):
                status['last_run'] = last_run
            if active and next_call and (
                    not status['next_call']
                    or next_call < status['next_call']):
                status['next_call'] = next_call
        return {
            method: {k: _utc(v) if k != 'active' else v
                for k, v in status.items()}
            for method, status in sorted(crons.items())}
