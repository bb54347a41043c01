# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"The set-ups shared by the tests of concertes_events"
import datetime as dt
import io
from contextlib import contextmanager

from trytond.pool import Pool
from trytond.transaction import Transaction, check_access


def decode_qr(png):
    "The format and the text of the only code in the PNG image"
    import zxingcpp
    from PIL import Image
    code, = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return code.format.name, code.text


START = dt.datetime(2024, 11, 13, 9, 0)
END = dt.datetime(2024, 11, 13, 17, 0)


def create_event(capacity=None, sessions=(), tickets=(), waiting_list=True,
        state='open', **values):
    "Create an event with sessions [(name, start, end, capacity)]"
    pool = Pool()
    Event = pool.get('concertes.event')
    event, = Event.create([dict({
                    'name': "InspirES",
                    'kind': 'networking',
                    'start': START,
                    'end': END,
                    'capacity': capacity,
                    'waiting_list': waiting_list,
                    'sessions': [('create', [{
                                    'name': name, 'start': start,
                                    'end': end, 'capacity': cap,
                                    } for name, start, end, cap in sessions])],
                    'tickets': [('create', [{
                                    'name': name, 'category': category,
                                    'capacity': cap,
                                    } for name, category, cap in tickets])],
                    }, **values)])
    if state == 'open':
        Event.open([event])
    return event


def registration_values(event, number, **values):
    return dict({
            'event': event.id,
            'first_name': "Prénom %s" % number,
            'last_name': "Nom %s" % number,
            'email': 'personne%s@example.org' % number,
            }, **values)


def run_queue():
    "Run the follow-ups the operations scheduled, as the worker does"
    Queue = Pool().get('ir.queue')
    tasks = Transaction().tasks
    while tasks:
        Queue(tasks.pop(0)).run()


def register(event, number, **values):
    Registration = Pool().get('concertes.event.registration')
    registration, = Registration.create(
        [registration_values(event, number, **values)])
    Registration.register([registration])
    run_queue()
    return registration


def events_team():
    "A user of the events team only"
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    user, = User.create([{
                'login': 'events_team', 'name': "Events Team",
                'groups': [('add', [ModelData.get_id(
                                'concertes_members',
                                'group_concertes_events')])],
                }])
    return user


def as_users(test):
    """Run test(self, acting) twice: the world is made by root, the
    operations done inside acting() by root, then by the events team"""
    def wrapper(self):
        team = events_team()
        for user in [None, team]:
            @contextmanager
            def acting():
                if user is None:
                    yield
                else:
                    with Transaction().set_user(user.id), check_access():
                        yield
            with self.subTest(user=user and user.login):
                test(self, acting)
    wrapper.__name__ = test.__name__
    wrapper.__doc__ = test.__doc__
    return wrapper


def seats_of(registration):
    "The buckets the registration holds a seat in"
    Seat = Pool().get('concertes.event.seat')
    return sorted(s.bucket.split(':')[0] + ':' + s.bucket.split(':')[1]
        for s in Seat.search([('registration', '=', registration.id)])
        if not s.bucket.startswith('email:'))


def registered_event(count, **values):
    "Create an event and register people 1 to count: (event, registrations)"
    event = create_event(**values)
    return event, [register(event, number) for number in range(1, count + 1)]
