from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction, check_access
import datetime as dt
import traceback
from .test_access import _RolesTestCase, create_users


class DebugTestCase(_RolesTestCase):
    @with_transaction()
    def test_dbg(self):
        pool = Pool()
        User = pool.get('res.user')
        Event = pool.get('concertes.event')
        Company = pool.get('company.company')
        company = create_company()
        users = create_users()
        User.write(list(users.values()), {
                'companies': [('add', [company.id])],
                'company': company.id})
        print(Transaction().context)
        with set_company(company):
            print(Transaction().context)
            with Transaction().set_user(users['fin'].id), check_access():
                print(User.get_companies())
                try:
                    Company.read([company.id], ['rec_name'])
                except Exception:
                    traceback.print_exc()
        with Transaction().set_user(users['evt'].id), check_access():
            try:
                Event.create([{'name': "Journée", 'kind': 'conference',
                    'start': dt.datetime(2030, 5, 1, 9),
                    'end': dt.datetime(2030, 5, 1, 17)}])
            except Exception:
                traceback.print_exc()
