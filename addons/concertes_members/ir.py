# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The read-only role writes nothing; the task queue never loses work, and
sequences hold under concurrency.

trytond's worker marks a task dequeued in its own autocommit transaction,
then runs it: a task that raises, or whose worker dies, stays dequeued and
unfinished forever.  Here each task:

- takes its row first, in its own transaction (a row lock on PostgreSQL, the
  write lock on SQLite), and is skipped when another run finished it;
- sends its e-mails before it commits, so that an unreachable SMTP server
  fails the task (and keeps it) instead of dropping the message;
- on an error, is rolled back and scheduled again with a back-off, and after
  its last attempt is kept as failed with its error, for an administrator to
  run again;
- left dequeued by a worker that died is queued again by the next pull.
"""
import datetime as dt
import random
import re
import traceback

from sql import Literal, Null
from sql.aggregate import Count
from sql.conditionals import Coalesce
from sql.functions import CurrentTimestamp
from sql.operators import Or

from trytond import backend, config
from trytond.cache import Cache
from trytond.exceptions import UserError, UserWarning
from trytond.i18n import gettext
from trytond.model import ModelView, dualmethod, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.sendmail import SMTPDataManager, get_smtp_server, send_message
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction, TransactionError, inactive_records

from .common import forget_cached
from .gdpr import ERASED, clean_freed_pages

# What a read-only user still writes: their own session and the state of
# their screens (column widths, tree state, saved searches), never data
READ_ONLY_OWN_STATE = {
    'ir.session', 'ir.session.wizard', 'ir.ui.view_tree_width',
    'ir.ui.view_tree_optional', 'ir.ui.view_tree_state', 'ir.ui.view_search',
    'res.user.warning', 'res.user.application', 'res.user.device',
    'res.user.login.attempt',
    }


class ModelAccess(metaclass=PoolMeta):
    __name__ = 'ir.model.access'

    _read_only_cache = Cache(
        'ir_model_access.concertes_read_only', context=False)

    @classmethod
    def get_access(cls, models):
        access = super().get_access(models)
        if cls._read_only_user():
            for model, maccess in access.items():
                if model not in READ_ONLY_OWN_STATE:
                    access[model] = dict(maccess,
                        write=False, create=False, delete=False)
        return access

    @classmethod
    def _read_only_user(cls):
        """Whether the user is in the read-only role and in no group that
        grants any write: then no model is writable, even those that Tryton
        leaves open to everyone (parties, contact mechanisms...)"""
        pool = Pool()
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        if not Transaction().user:
            return False
        groups = User.get_groups()
        result = cls._read_only_cache.get(groups)
        if result is not None:
            return result
        read_only = ModelData.get_id(
            'concertes_members', 'group_concertes_readonly')
        result = False
        if read_only in groups:
            table = cls.__table__()
            cursor = Transaction().connection.cursor()
            cursor.execute(*table.select(table.id,
                    where=table.group.in_(list(groups))
                    & (table.active == Literal(True))
                    & Or([
                            table.perm_write, table.perm_create,
                            table.perm_delete]),
                    limit=1))
            result = not cursor.fetchone()
        cls._read_only_cache.set(groups, result)
        return result

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        cls._read_only_cache.clear()


def _config_number(key, default, cast=int):
    try:
        return cast(config.get('queue', key, default=default))
    except (TypeError, ValueError):
        return default


def max_attempts():
    "The runs of a task before it is kept as failed"
    return max(_config_number('retries', 8), 1)


def retry_delay(attempts):
    """Seconds before the next run of a task that failed `attempts` times:
    doubled at each failure from TRYTOND_QUEUE__RETRY_DELAY, at most 6 hours
    """
    base = _config_number('retry_delay', 30.0, float)
    return min(base * 2 ** max(attempts - 1, 0), 6 * 60 * 60)


def stale_after():
    """Seconds after which a dequeued task not finished, nor held by a
    running transaction, is taken as left by a dead worker"""
    return _config_number('stale_after', 60.0, float)


class Queue(ModelView, metaclass=PoolMeta):
    __name__ = 'ir.queue'

    attempts = fields.Integer(
        "Attempts", readonly=True,
        help="How many runs of the task failed.")
    error = fields.Text(
        "Error", readonly=True,
        help="The error of the last failed run.")
    failed_at = fields.Timestamp(
        "Failed at", readonly=True,
        help="When the task failed for the last time: it is kept and no "
        "longer run until it is run again.")
    task = fields.Function(fields.Char(
            "Task", help="The model and method the task calls."),
        'get_task')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('id', 'DESC')]
        cls._buttons.update({
                'run_again': {
                    'invisible': ~Eval('failed_at'),
                    'depends': ['failed_at'],
                    },
                })

    @classmethod
    def default_attempts(cls):
        return 0

    def get_task(self, name):
        data = self.data or {}
        if 'model' in data:
            return '%s.%s' % (data['model'], data.get('method'))
        return self.name

    @classmethod
    def failed_count(cls):
        "The number of tasks kept as failed (for monitoring and dashboards)"
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(
                Count(table.id),
                where=(table.failed_at != Null) & (table.finished_at == Null)))
        return cursor.fetchone()[0]

    @classmethod
    @ModelView.button
    def run_again(cls, tasks):
        "Queue failed tasks again, with all their attempts"
        table = cls.__table__()
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        for sub_ids in grouped_slice([t.id for t in tasks]):
            cursor.execute(*table.update(
                    [table.failed_at, table.dequeued_at, table.scheduled_at,
                        table.attempts],
                    [Null, Null, Null, 0],
                    where=reduce_ids(table.id, sub_ids)
                    & (table.failed_at != Null)
                    & (table.finished_at == Null)))
        database = transaction.database
        if database.has_channel():
            database.notify(transaction.connection, cls.__name__, '')

    @classmethod
    def erase_personal_data(cls, terms):
        """Replace the terms (e-mail addresses and names of a person erased)
        in the errors the tasks keep: the task stays, to be run again, and
        its data holds only ids"""
        terms = sorted({t.strip() for t in terms if t and t.strip()},
            key=len, reverse=True)
        if not terms:
            return
        # whole words only: a short name stays in the words that contain it
        pattern = re.compile(r'(?<!\w)(?:%s)(?!\w)' % '|'.join(
                re.escape(t) for t in terms), re.IGNORECASE)
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(
                table.id, table.error, where=table.error != Null))
        erased_ids = []
        for task_id, error in cursor.fetchall():
            erased = pattern.sub(ERASED, error)
            if erased != error:
                cursor.execute(*table.update(
                        [table.error], [erased], where=table.id == task_id))
                erased_ids.append(task_id)
        forget_cached(cls, erased_ids)
        clean_freed_pages(cls)

    @classmethod
    def pull(cls, database, connection, name=None):
        cls._requeue_stale(database, connection)
        if database.has_select_for():
            return super().pull(database, connection, name=name)
        return cls._pull_sqlite(connection, name=name)

    @classmethod
    def _pull_sqlite(cls, connection, name=None):
        """Claim the next task where rows cannot be locked (SQLite): trytond's
        pull fails there after it has marked the task dequeued, which is then
        never run"""
        table = cls.__table__()
        cursor = connection.cursor()
        now = dt.datetime.now()
        waiting = table.dequeued_at == Null
        if name:
            waiting &= table.name == name
        cursor.execute(*table.select(
                table.id,
                where=waiting & ((table.scheduled_at == Null)
                    | (table.scheduled_at <= now)),
                order_by=[table.scheduled_at.nulls_first,
                    table.expected_at.nulls_first, table.id],
                limit=1))
        row = cursor.fetchone()
        task_id = None
        if row:
            cursor.execute(*table.update(
                    [table.dequeued_at], [now],
                    where=(table.id == row[0]) & (table.dequeued_at == Null)))
            if cursor.rowcount:
                task_id = row[0]
        cursor.execute(*table.select(
                table.scheduled_at,
                where=waiting & (table.scheduled_at > now),
                order_by=[table.scheduled_at], limit=1))
        row = cursor.fetchone()
        seconds = None
        if row and isinstance(row[0], dt.datetime):
            seconds = max((row[0] - now).total_seconds(), 0)
        return task_id, seconds

    @classmethod
    def _requeue_stale(cls, database, connection):
        """Queue again the tasks dequeued by a worker that died in them: the
        transaction of a running task holds its row (see run)"""
        table = cls.__table__()
        cursor = connection.cursor()
        threshold = dt.datetime.now() - dt.timedelta(seconds=stale_after())
        stale = ((table.dequeued_at != Null) & (table.dequeued_at < threshold)
            & (table.finished_at == Null) & (table.failed_at == Null))
        cursor.execute(*table.select(table.id, where=stale, limit=1))
        if not cursor.fetchone():
            return
        selected = table.select(table.id, where=stale)
        if database.has_select_for():
            For = database.get_select_for_skip_locked()
            selected.for_ = For('UPDATE')
        cursor.execute(*table.update(
                [table.dequeued_at], [Null], where=table.id.in_(selected)))

    def run(self):
        transaction = Transaction()
        table = self.__table__()
        cursor = transaction.connection.cursor()
        # Take the row: held until this transaction ends, so that a second
        # run of the same task waits and then finds it finished
        cursor.execute(*table.update(
                [table.dequeued_at],
                [Coalesce(table.dequeued_at, CurrentTimestamp())],
                where=(table.id == self.id) & (table.finished_at == Null)
                & (table.failed_at == Null)))
        if not cursor.rowcount:
            return
        try:
            super().run()
            self._send_emails()
        except (backend.DatabaseOperationalError, TransactionError):
            raise
        except Exception as exception:
            transaction.rollback()
            self._failed(exception)

    @staticmethod
    def _send_emails():
        """Send the e-mails of the task now, strictly: an SMTP server that
        cannot be reached fails the task before anything is committed"""
        transaction = Transaction()
        for manager in list(transaction._datamanagers):
            if not isinstance(manager, SMTPDataManager):
                continue
            if manager.queue:
                server = get_smtp_server(manager.uri, strict=True)
                try:
                    for from_addr, to_addrs, msg in manager.queue:
                        server = send_message(
                            msg, from_addr, to_addrs, server=server,
                            strict=True) or server
                finally:
                    try:
                        server.quit()
                    except Exception:
                        pass
            manager.queue = []
            transaction._datamanagers.remove(manager)

    def _failed(self, exception):
        "Schedule the task again, or keep it as failed after its last attempt"
        table = self.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(
                table.attempts, where=table.id == self.id))
        row = cursor.fetchone()
        attempts = ((row[0] if row else 0) or 0) + 1
        error = ''.join(traceback.format_exception(exception))[-4000:]
        now = dt.datetime.now()
        if attempts >= max_attempts():
            columns = [table.attempts, table.error, table.failed_at]
            values = [attempts, error, now]
        else:
            delay = retry_delay(attempts) * random.uniform(0.8, 1.2)
            columns = [table.attempts, table.error, table.dequeued_at,
                table.scheduled_at]
            values = [attempts, error, Null,
                now + dt.timedelta(seconds=delay)]
        cursor.execute(*table.update(
                columns, values, where=table.id == self.id))
        forget_cached(self.__class__, [self.id])


class Sequence(metaclass=PoolMeta):
    __name__ = 'ir.sequence'

    def _get_many(self, n=1):
        """Without SQL sequences (SQLite), read the next number in the
        transaction that writes it: trytond reads it first, possibly outside
        the transaction (SQLite begins at the first write), so that two
        transactions at once got the same number"""
        transaction = Transaction()
        if (self.type != 'incremental' or self._strict
                or transaction.database.has_sequence()):
            yield from super()._get_many(n=n)
            return
        table = self.__table__()
        cursor = transaction.connection.cursor()
        step = n * self.number_increment
        cursor.execute(*table.update(
                [table.number_next_internal],
                [table.number_next_internal + step],
                where=table.id == self.id))
        cursor.execute(*table.select(
                table.number_next_internal, where=table.id == self.id))
        end, = cursor.fetchone()
        transaction.counter += 1
        self._local_cache.pop(self.id, None)
        for number in range(end - step, end, self.number_increment):
            yield f'{number:0>{self.padding}d}'


class DashboardFigures(metaclass=PoolMeta):
    __name__ = 'concertes.dashboard.figures'

    failed_tasks = fields.Function(fields.Integer(
            "Failed Tasks",
            help="Background tasks (e-mails, follow-ups) that failed after "
            "their last attempt: see Administration > Scheduler > Failed "
            "Tasks."),
        'get_failed_tasks')

    @classmethod
    def get_failed_tasks(cls, records, name):
        count = Pool().get('ir.queue').failed_count()
        return {r.id: count for r in records}


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # each module lists the methods it schedules, as (method, label), in
        # the _jobs of its own extension of ir.cron
        for klass in reversed(cls.__mro__):
            cls.method.selection.extend(vars(klass).get('_jobs', []))

    @dualmethod
    @ModelView.button
    def run_once(cls, crons):
        # trytond lists only the user errors of a job (ir.error) and logs the
        # others: every failure reaches the administrators' list, with its
        # traceback, and the scheduler goes on with the other jobs
        try:
            super().run_once(crons)
        except (UserError, UserWarning, TransactionError,
                backend.DatabaseOperationalError):
            raise
        except Exception as exception:
            raise UserError(gettext('concertes_members.msg_cron_failed',
                    cron=', '.join(c.method for c in crons),
                    error=str(exception) or type(exception).__name__),
                traceback.format_exc()) from exception

    @classmethod
    def schedule_all(cls):
        """Make every scheduled job active with its next call set (run after
        the modules are activated or updated: tools/setup_db.py)"""
        with inactive_records():
            crons = cls.search([])
        to_save = []
        for cron in crons:
            if not cron.active or not cron.next_call:
                cron.active = True
                if not cron.next_call:
                    cron.next_call = cron.compute_next_call()
                to_save.append(cron)
        cls.save(to_save)
        return to_save
