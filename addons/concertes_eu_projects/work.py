# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import fields
from trytond.model.exceptions import ValidationError
from trytond.modules.concertes_members.common import (
    FieldChecksMixin, empty_or, getter_values)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval

from .months import month_end, month_start

# Shown and required on the work packages of an EU project only
_wp_states = {
    'invisible': ~Eval('eu_project'),
    'required': Bool(Eval('eu_project')),
    }


class Work(FieldChecksMixin, metaclass=PoolMeta):
    __name__ = 'project.work'
    _field_checks = {
        'check_work_package_months': {
            'eu_project', 'first_month', 'last_month', 'wp_number'},
        'check_work_package_number': {
            'eu_project', 'first_month', 'last_month', 'wp_number'},
        }

    eu_project = fields.Many2One(
        'concertes.eu.project', "EU Project", ondelete='CASCADE',
        states={
            'readonly': Bool(Eval('eu_project')) & (Eval('id', -1) >= 0),
            },
        help="The EU project of which this is a work package.")
    wp_number = fields.Integer(
        "WP Number",
        domain=empty_or('wp_number', ('>', 0)),
        states=_wp_states)
    wp_lead = fields.Many2One(
        'concertes.eu.partner', "Lead Partner",
        domain=[('project', '=', Eval('eu_project', -1))],
        states={'invisible': ~Eval('eu_project')},
        help="The partner that leads the work package.")
    first_month = fields.Integer(
        "First Month",
        states=_wp_states,
        help="The project month in which the work package starts.")
    last_month = fields.Integer(
        "Last Month",
        states=_wp_states,
        help="The project month in which the work package ends.")
    wp_code = fields.Function(
        fields.Char("WP"), 'get_wp_code')
    wp_start_date = fields.Function(
        fields.Date("WP Start"), 'get_wp_dates')
    wp_end_date = fields.Function(
        fields.Date("WP End"), 'get_wp_dates')

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Project = pool.get('concertes.eu.project')
        values = super().preprocess_values(mode, values)
        if mode == 'create' and values.get('eu_project'):
            project = Project(values['eu_project'])
            if not values.get('parent') and project.work:
                values['parent'] = project.work.id
            values.setdefault('company', project.company.id)
        return values

    def get_wp_code(self, name):
        if self.eu_project and self.wp_number:
            return 'WP%s' % self.wp_number

    @classmethod
    def get_wp_dates(cls, works, names):
        def values(work):
            start = work.eu_project.start_date if work.eu_project else None
            return {
                'wp_start_date': month_start(start, work.first_month),
                'wp_end_date': month_end(start, work.last_month),
                }
        return getter_values(works, names, values)

    def get_rec_name(self, name):
        if self.eu_project and self.wp_number:
            return 'WP%s %s' % (self.wp_number, self.name)
        return super().get_rec_name(name)

    @classmethod
    def check_work_package_months(cls, works):
        for work in works:
            if not work.eu_project:
                continue
            duration = work.eu_project.duration
            first, last = work.first_month, work.last_month
            if ((first is not None and first < 1)
                    or (first is not None and last is not None
                        and last < first)
                    or (duration and last is not None and last > duration)
                    or (duration and first is not None
                        and first > duration)):
                raise ValidationError(gettext(
                        'concertes_eu_projects'
                        '.msg_work_package_outside_months',
                        work_package=work.rec_name,
                        first=first, last=last,
                        duration=duration or '?'))

    @classmethod
    def check_work_package_number(cls, works):
        for work in works:
            if not work.eu_project or not work.wp_number:
                continue
            others = cls.search([
                    ('eu_project', '=', work.eu_project.id),
                    ('wp_number', '=', work.wp_number),
                    ('id', '!=', work.id),
                    ], limit=1)
            if others:
                raise ValidationError(gettext(
                        'concertes_eu_projects'
                        '.msg_work_package_number_unique',
                        number=work.wp_number,
                        project=work.eu_project.rec_name))
