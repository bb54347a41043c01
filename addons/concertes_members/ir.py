# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from sql import Literal
from sql.operators import Or

from trytond.cache import Cache
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

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
