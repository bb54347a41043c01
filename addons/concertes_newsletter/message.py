# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""Issues of the newsletter (Tryton's marketing.email.message): composed
from a template with blocks of our data, sent to several lists now or at a
planned time, through the queue in batches at a configured rate"""
import datetime as dt
import smtplib
import time
from collections import defaultdict
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from genshi.template import MarkupTemplate
from genshi.template import TemplateError as GenshiTemplateError
from genshi.template.eval import UndefinedError
from sql import Literal
from sql.aggregate import Count

import trytond.config as config
from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.modules.concertes_members.common import FieldChecksMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.report import html_to_text
from trytond.sendmail import get_smtp_server, send_message_transactional
from trytond.tools import grouped_slice
from trytond.tools.email_ import format_address, set_from_header
from trytond.transaction import Transaction, without_check_access
from trytond.url import host

from .subscription import public_url

# Replaced by each recipient's own unsubscribe URL
UNSUBSCRIBE_MARK = 'urn:concertes:unsubscribe'
GENSHI = 'http://genshi.edgewall.org/'


class Template(FieldChecksMixin, ModelSQL, ModelView):
    "ConcertES Newsletter Template"
    __name__ = 'concertes.newsletter.template'
    _field_checks = {'check_body_renders': {'body'}}

    name = fields.Char("Name", required=True, translate=True)
    subject = fields.Char(
        "Subject", required=True, translate=True,
        help="The subject of the issues composed from the template.")
    body = fields.Text(
        "Body", required=True, translate=True,
        help="The HTML of the issue as a Genshi template: "
        "${figures['member_federations']}, "
        "<li py:for=\"event in events\">${event['name']}</li>, "
        "opinions, today.")

    @classmethod
    def check_body_renders(cls, templates):
        "The body of a template renders with the blocks of an issue"
        Message = Pool().get('marketing.email.message')
        blocks = Message.sample_blocks()
        for template in templates:
            Message.render_body(template.body, blocks, template.name)


class MessageList(ModelSQL):
    "ConcertES Newsletter Issue - List"
    __name__ = 'concertes.newsletter.message-list'
    message = fields.Many2One(
        'marketing.email.message', "Issue", required=True,
        ondelete='CASCADE')
    list_ = fields.Many2One(
        'marketing.email.list', "List", required=True, ondelete='CASCADE')


class Message(metaclass=PoolMeta):
    __name__ = 'marketing.email.message'

    _draft = {'readonly': Eval('state') != 'draft'}
    lists = fields.Many2Many(
        'concertes.newsletter.message-list', 'message', 'list_', "Lists",
        states=_draft, help="The lists the issue is sent to; an address "
        "on several of them gets it once.")
    template = fields.Many2One(
        'concertes.newsletter.template', "Template", states=_draft,
        help="The template the subject and the body come from.")
    planned_date = fields.DateTime(
        "Planned Date", states={
            'readonly': Eval('state') != 'draft',
            },
        help="When the scheduler sends the issue (button Plan).")
    preview = fields.Function(
        fields.Text("Preview"), 'get_preview')
    deliveries = fields.One2Many(
        'concertes.newsletter.delivery', 'message', "Deliveries",
        readonly=True)
    queued = fields.Function(fields.Integer("Queued"), 'get_counts')
    delivered = fields.Function(fields.Integer("Sent"), 'get_counts')
    failed = fields.Function(fields.Integer("Failed"), 'get_counts')
    del _draft

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.list_.required = False
        cls.list_.states = {'invisible': True}
        cls.state.selection.append(('planned', "Planned"))
        cls._transitions |= {
            ('draft', 'planned'),
            ('planned', 'draft'),
            ('planned', 'sending'),
            }
        cls._buttons['send_test']['invisible'] = True
        cls._buttons['draft']['invisible'] = ~Eval('state').in_(
            ['sending', 'planned'])
        cls._buttons.update({
                'compose': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'send_to_me': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'plan': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                })

    # Composing ---------------------------------------------------------------

    @classmethod
    def newsletter_blocks(cls):
        """The data the templates may use; modules add theirs

        events and opinions are empty without the modules that own them."""
        Party = Pool().get('party.party')
        return {
            'today': dt.date.today(),
            'events': [],
            'opinions': [],
            'figures': {
                'member_federations': Party.search([
                        ('member', '=', True),
                        ('organisation_kind', '=', 'member_federation'),
                        ], count=True),
                },
            }

    @classmethod
    def sample_blocks(cls):
        "Blocks to check a template: every name, values that render"
        return cls.newsletter_blocks()

    @classmethod
    def render_body(cls, body, blocks, name=''):
        "The HTML of a template body, or a UserError that says what is wrong"
        try:
            template = MarkupTemplate(
                '<div xmlns:py="%s">%s</div>' % (GENSHI, body),
                lookup='strict')
            return template.generate(**blocks).render(
                'xhtml', encoding=None)
        except UndefinedError as exception:
            raise UserError(gettext(
                    'concertes_newsletter.msg_template_missing_field',
                    template=name, error=str(exception),
                    fields=', '.join(sorted(blocks)))) from exception
        except (GenshiTemplateError, KeyError, AttributeError,
                TypeError) as exception:
            raise UserError(gettext(
                    'concertes_newsletter.msg_template_invalid',
                    template=name, error=str(exception))) from exception

    @classmethod
    def check_content(cls, messages, field_names=None):
        # Not marketing_email's check: the body is a fragment of HTML with
        # several elements, rendered inside a <div> by render_body
        if field_names and 'content' not in field_names:
            return
        blocks = None
        for message in messages:
            if message.content:
                blocks = blocks or cls.sample_blocks()
                cls.render_body(message.content, blocks, message.rec_name)

    @fields.depends('template', 'title', 'content')
    def on_change_template(self):
        if self.template:
            self.title = self.template.subject
            self.content = self.template.body

    @classmethod
    @ModelView.button
    def compose(cls, messages):
        "Take the subject and the body of the template"
        for message in messages:
            if not message.template:
                raise UserError(gettext(
                        'concertes_newsletter.msg_message_no_template',
                        message=message.rec_name))
            message.title = message.template.subject
            message.content = message.template.body
        cls.save(messages)

    def render(self, language='fr', blocks=None):
        """(html, text) of the issue in the language, with UNSUBSCRIBE_MARK
        where each recipient's unsubscribe URL goes"""
        with Transaction().set_context(language=language):
            if blocks is None:
                blocks = self.newsletter_blocks()
            body = self.render_body(self.content or '', blocks, self.rec_name)
            footer = gettext('concertes_newsletter.msg_issue_footer')
            unsubscribe = gettext('concertes_newsletter.msg_issue_unsubscribe')
        html = (
            '<html><head><meta charset="utf-8"/><title>%(title)s</title>'
            '</head><body>%(body)s<hr/><p style="font-size:small">'
            '%(footer)s <a href="%(url)s">%(unsubscribe)s</a></p>'
            '</body></html>') % {
            'title': self.title, 'body': body, 'footer': footer,
            'url': UNSUBSCRIBE_MARK, 'unsubscribe': unsubscribe,
            }
        text = html_to_text(html) or ''
        if UNSUBSCRIBE_MARK not in text:
            text += '\n\n%s: %s\n' % (unsubscribe, UNSUBSCRIBE_MARK)
        return html, text

    def get_preview(self, name):
        if not self.content:
            return None
        try:
            html, _ = self.render()
        except UserError as exception:
            return str(exception)
        return html.replace(UNSUBSCRIBE_MARK, public_url('newsletter'))

    def email_message(self, html, text, address, name, url, mailto):
        "The e-mail of the issue for one recipient"
        from_cfg = (config.get('marketing', 'email_from')
            or config.get('email', 'from'))
        msg = EmailMessage()
        set_from_header(msg, from_cfg, self.from_ or from_cfg)
        msg['To'] = format_address(address, name or '')
        msg['Subject'] = self.title
        msg['Date'] = formatdate()
        msg['Message-ID'] = make_msgid(domain=host())
        msg['List-Unsubscribe'] = '<%s>, <mailto:%s?subject=unsubscribe>' % (
            url, mailto)
        msg['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click'
        msg.set_content(text.replace(UNSUBSCRIBE_MARK, url))
        msg.add_alternative(html.replace(UNSUBSCRIBE_MARK, url),
            subtype='html')
        return msg

    @classmethod
    @ModelView.button
    def send_to_me(cls, messages):
        "Send the issue to the e-mail address of the user"
        pool = Pool()
        User = pool.get('res.user')
        user = User(Transaction().user)
        if not user.email:
            raise UserError(gettext(
                    'concertes_newsletter.msg_user_no_email',
                    user=user.rec_name))
        mailto = unsubscribe_mailto()
        for message in messages:
            html, text = message.render(user.language.code[:2]
                if user.language else 'fr')
            msg = message.email_message(html, text, user.email, user.name,
                public_url('newsletter'), mailto)
            send_message_transactional(msg)

    # Sending -----------------------------------------------------------------

    @classmethod
    def check_sendable(cls, messages):
        for message in messages:
            if not message.lists:
                raise UserError(gettext(
                        'concertes_newsletter.msg_message_no_list',
                        message=message.rec_name))
            if not message.content:
                raise UserError(gettext(
                        'concertes_newsletter.msg_message_no_content',
                        message=message.rec_name))
            message.render()
            if not message.recipients():
                raise UserError(gettext(
                        'concertes_newsletter.msg_message_no_recipient',
                        message=message.rec_name,
                        lists=', '.join(l.rec_name for l in message.lists)))

    def recipients(self):
        """The active subscriptions of the lists, one per address (the
        first list wins), without the suppressed addresses"""
        pool = Pool()
        Email = pool.get('marketing.email')
        Suppression = pool.get('concertes.newsletter.suppression')
        result = {}
        for list_ in self.lists:
            subscriptions = Email.search([
                    ('list_', '=', list_.id),
                    ('active', '=', True),
                    ], order=[('id', 'ASC')])
            suppressed = Suppression.suppressed(
                {s.email for s in subscriptions}, list_)
            for subscription in subscriptions:
                if subscription.email not in suppressed:
                    result.setdefault(subscription.email, subscription)
        return list(result.values())

    @classmethod
    @ModelView.button
    @Workflow.transition('planned')
    def plan(cls, messages):
        for message in messages:
            if not message.planned_date:
                raise UserError(gettext(
                        'concertes_newsletter.msg_message_no_planned_date',
                        message=message.rec_name))
        cls.check_sendable(messages)

    @classmethod
    @ModelView.button
    @Workflow.transition('sending')
    def send(cls, messages):
        cls.check_sendable(messages)
        super().send(messages)
        cls.dispatch(messages)

    @classmethod
    def dispatch(cls, messages):
        """Record a delivery per recipient and queue them in batches,
        spaced to keep to the configured rate"""
        pool = Pool()
        Delivery = pool.get('concertes.newsletter.delivery')
        Configuration = pool.get('concertes.newsletter.configuration')
        configuration = Configuration(1)
        size = max(configuration.batch_size or 1, 1)
        rate = configuration.rate or 0
        for message in messages:
            with without_check_access():
                deliveries = Delivery.create([{
                            'message': message.id,
                            'subscription': s.id,
                            'address': s.email,
                            } for s in message.recipients()])
            for i, batch in enumerate(grouped_slice(deliveries, size)):
                delay = dt.timedelta(seconds=i * size / rate) if rate else None
                with Transaction().set_context(queue_scheduled_at=delay):
                    Delivery.__queue__.send_batch(list(batch))

    @classmethod
    def process(cls, messages=None, emails=None, smtpd_datamanager=None):
        # The cron of marketing_email: send what is due, close what is done
        if emails:
            return super().process(
                messages, emails, smtpd_datamanager=smtpd_datamanager)
        cls.send_planned()
        cls.close_sent()

    @classmethod
    def send_planned(cls):
        "Send the planned issues whose date has come (the scheduler)"
        messages = cls.search([
                ('state', '=', 'planned'),
                ('planned_date', '<=', dt.datetime.now()),
                ])
        if messages:
            cls.send(messages)

    @classmethod
    def close_sent(cls, messages=None):
        "Mark sent the issues sending with nothing queued left"
        if messages is None:
            messages = cls.search([('state', '=', 'sending')])
        done = [m for m in cls.browse(messages) if not m.queued]
        if done:
            cls.sent(done)

    @classmethod
    def get_counts(cls, messages, names):
        pool = Pool()
        Delivery = pool.get('concertes.newsletter.delivery')
        table = Delivery.__table__()
        cursor = Transaction().connection.cursor()
        result = {n: defaultdict(int) for n in names}
        for message in messages:
            for name in names:
                result[name][message.id] = 0
        column = {'queued': 'queued', 'delivered': 'sent',
            'failed': 'failed'}
        states = {v: k for k, v in column.items()}
        for sub_ids in grouped_slice([m.id for m in messages]):
            cursor.execute(*table.select(
                    table.message, table.state, Count(Literal(1)),
                    where=table.message.in_(list(sub_ids)),
                    group_by=[table.message, table.state]))
            for message_id, state, count in cursor:
                name = states.get(state)
                if name in result:
                    result[name][message_id] = count
        return result


def unsubscribe_mailto():
    pool = Pool()
    Configuration = pool.get('concertes.newsletter.configuration')
    address = Configuration(1).unsubscribe_mailto
    if not address:
        address = parseaddr(config.get('marketing', 'email_from')
            or config.get('email', 'from') or '')[1]
    return address


class Delivery(ModelSQL, ModelView):
    "ConcertES Newsletter Delivery"
    __name__ = 'concertes.newsletter.delivery'

    message = fields.Many2One(
        'marketing.email.message', "Issue", required=True,
        ondelete='CASCADE', readonly=True)
    subscription = fields.Many2One(
        'marketing.email', "Subscription", ondelete='SET NULL',
        readonly=True)
    address = fields.Char("Address", readonly=True)
    state = fields.Selection([
            ('queued', "Queued"),
            ('sent', "Sent"),
            ('failed', "Failed"),
            ], "State", required=True, readonly=True, sort=False)
    error = fields.Text("Reason", readonly=True,
        help="Why the mail server refused the message.")
    sent_date = fields.DateTime("Sent", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('id', 'ASC')]
        t = cls.__table__()
        cls._sql_indexes.add(Index(
                t, (t.message, Index.Range()),
                (t.state, Index.Equality(cardinality='low'))))

    @classmethod
    def default_state(cls):
        return 'queued'

    @classmethod
    def send_batch(cls, deliveries):
        """Send the queued deliveries over one SMTP connection at the
        configured rate; each is marked sent or failed with the reason"""
        pool = Pool()
        Configuration = pool.get('concertes.newsletter.configuration')
        Suppression = pool.get('concertes.newsletter.suppression')
        Message = pool.get('marketing.email.message')
        deliveries = [d for d in deliveries if d.state == 'queued']
        if not deliveries:
            return
        rate = Configuration(1).rate or 0
        mailto = unsubscribe_mailto()
        rendered = {}
        server = None
        now = dt.datetime.now
        start = time.monotonic()
        by_list = defaultdict(list)
        for delivery in deliveries:
            if delivery.subscription:
                by_list[delivery.subscription.list_].append(delivery.address)
        suppressed = set()
        for list_, addresses in by_list.items():
            suppressed |= {(list_.id, a) for a in Suppression.suppressed(
                    addresses, list_)}
        try:
            for i, delivery in enumerate(deliveries):
                subscription = delivery.subscription
                if (subscription is None or not subscription.active
                        or (subscription.list_.id, delivery.address)
                        in suppressed):
                    delivery.state = 'failed'
                    delivery.error = gettext(
                        'concertes_newsletter.msg_delivery_unsubscribed')
                    continue
                message = delivery.message
                language = subscription.language or (
                    subscription.list_.language.code[:2]
                    if subscription.list_.language else 'fr')
                key = (message.id, language)
                if key not in rendered:
                    rendered[key] = message.render(language)
                html, text = rendered[key]
                msg = message.email_message(html, text, delivery.address,
                    subscription.name, subscription.unsubscribe_url, mailto)
                if rate:
                    wait = start + i / rate - time.monotonic()
                    if wait > 0:
                        time.sleep(wait)
                try:
                    if server is None:
                        server = get_smtp_server(strict=True)
                    refused = server.send_message(msg)
                except smtplib.SMTPServerDisconnected as exception:
                    server = None
                    delivery.state = 'failed'
                    delivery.error = str(exception)
                except (smtplib.SMTPException, OSError) as exception:
                    delivery.state = 'failed'
                    delivery.error = str(exception)
                else:
                    if refused:
                        delivery.state = 'failed'
                        delivery.error = str(refused)
                    else:
                        delivery.state = 'sent'
                        delivery.sent_date = now()
        finally:
            if server is not None:
                try:
                    server.quit()
                except smtplib.SMTPException:
                    pass
            cls.save(deliveries)
        Message.close_sent(list({d.message for d in deliveries}))
