# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, fields, sequence_ordered)
from trytond.model.exceptions import ValidationError
from trytond.modules.concertes_members.common import (
    CodeListMixin, FieldChecksMixin, PersonnelCostRulesMixin, UniqueCodeMixin,
    empty_or, rec_name_domain)

FUNDING_MODELS = [
    ('actual_costs', "Actual Costs"),
    ('lump_sum', "Lump Sum"),
    ('unit_costs', "Unit Costs"),
    ]


class Programme(
        UniqueCodeMixin, PersonnelCostRulesMixin, DeactivableMixin, ModelSQL,
        ModelView):
    "EU Funding Programme"
    __name__ = 'concertes.eu.programme'
    _code_unique_message = 'concertes_eu_projects.msg_programme_code_unique'

    code = fields.Char(
        "Code", required=True,
        help="A short unique code such as HORIZON-RIA.")
    name = fields.Char(
        "Programme", required=True, translate=True,
        help="The funding programme such as Horizon Europe or Erasmus+.")
    action = fields.Char(
        "Action", translate=True,
        help="The type of action within the programme such as "
        "Research and Innovation Action or Cooperation Partnership.")
    funding_model = fields.Selection(
        FUNDING_MODELS, "Funding Model", required=True,
        help="How the EU pays: actual costs declared, lump sums per work "
        "package or unit costs.")
    funding_rate = fields.Numeric(
        "Funding Rate", digits=(16, 4), required=True,
        domain=[('funding_rate', '>=', 0), ('funding_rate', '<=', 1)],
        help="The share of eligible costs the EU reimburses.")
    indirect_rate = fields.Numeric(
        "Indirect-Cost Rate", digits=(16, 4), required=True,
        domain=[('indirect_rate', '>=', 0), ('indirect_rate', '<=', 1)],
        help="The flat rate of indirect costs over the eligible direct "
        "costs.")
    overall_threshold = fields.Numeric(
        "Overall Threshold", digits=(16, 1),
        help="The minimum total evaluation score to be fundable.")
    overall_maximum = fields.Function(
        fields.Numeric("Overall Maximum", digits=(16, 1)),
        'get_overall_maximum')
    criteria = fields.One2Many(
        'concertes.eu.programme.criterion', 'programme',
        "Evaluation Criteria")
    reporting_delay = fields.Integer(
        "Reporting Delay", required=True,
        domain=[('reporting_delay', '>=', 0)],
        help="The number of days after the end of a reporting period "
        "within which the report is due.")
    deliverable_types = fields.Many2Many(
        'concertes.eu.programme-deliverable.type', 'programme', 'type',
        "Deliverable Types")
    dissemination_levels = fields.Many2Many(
        'concertes.eu.programme-dissemination.level', 'programme', 'level',
        "Dissemination Levels")
    description = fields.Text("Description")

    mutual_insurance_rate = fields.Numeric(
        "Mutual Insurance Rate", digits=(16, 4),
        domain=empty_or('mutual_insurance_rate', ('>=', 0), ('<=', 1)),
        help="The share of the maximum grant withheld from the "
        "pre-financing for the mutual insurance mechanism and released "
        "with the balance (empty when the programme has none).")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('name', 'ASC'), ('action', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_funding_model(cls):
        return 'actual_costs'

    @classmethod
    def default_reporting_delay(cls):
        return 60

    def get_rec_name(self, name):
        if self.action:
            return '%s – %s' % (self.name, self.action)
        return self.name

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, ['code', 'name', 'action'])

    def get_overall_maximum(self, name):
        if self.criteria:
            return sum(c.maximum for c in self.criteria)


class Criterion(FieldChecksMixin, sequence_ordered(), ModelSQL, ModelView):
    "EU Programme Evaluation Criterion"
    __name__ = 'concertes.eu.programme.criterion'
    _field_checks = {
        'check_threshold_within_maximum': {'threshold', 'maximum'},
        }

    programme = fields.Many2One(
        'concertes.eu.programme', "Programme", required=True,
        ondelete='CASCADE')
    name = fields.Char("Criterion", required=True, translate=True)
    maximum = fields.Numeric(
        "Maximum", digits=(16, 1), required=True,
        domain=[('maximum', '>', 0)],
        help="The highest score of the criterion.")
    threshold = fields.Numeric(
        "Threshold", digits=(16, 1),
        domain=empty_or('threshold', ('>=', 0)),
        help="The minimum score of the criterion to be fundable.")

    @classmethod
    def check_threshold_within_maximum(cls, criteria):
        "The threshold of a criterion does not exceed its maximum"
        for criterion in criteria:
            if (criterion.threshold is not None
                    and criterion.threshold > criterion.maximum):
                raise ValidationError(gettext(
                        'concertes_eu_projects'
                        '.msg_criterion_threshold_above_maximum',
                        criterion=criterion.name))


class CodeEntryMixin(CodeListMixin, DeactivableMixin):
    "An entry of an EU code list: its code and its translated name"
    __slots__ = ()

    name = fields.Char("Name", required=True, translate=True)


class DeliverableType(CodeEntryMixin, ModelSQL, ModelView):
    "EU Deliverable Type"
    __name__ = 'concertes.eu.deliverable.type'

    code = fields.Char("Code", required=True, help="R, DEM, DEC, DATA…")


class DisseminationLevel(CodeEntryMixin, ModelSQL, ModelView):
    "EU Dissemination Level"
    __name__ = 'concertes.eu.dissemination.level'

    code = fields.Char("Code", required=True, help="PU, SEN, CO, CI…")


class ProgrammeDeliverableType(ModelSQL):
    "EU Programme - Deliverable Type"
    __name__ = 'concertes.eu.programme-deliverable.type'

    programme = fields.Many2One(
        'concertes.eu.programme', "Programme", required=True,
        ondelete='CASCADE')
    type = fields.Many2One(
        'concertes.eu.deliverable.type', "Type", required=True,
        ondelete='CASCADE')


class ProgrammeDisseminationLevel(ModelSQL):
    "EU Programme - Dissemination Level"
    __name__ = 'concertes.eu.programme-dissemination.level'

    programme = fields.Many2One(
        'concertes.eu.programme', "Programme", required=True,
        ondelete='CASCADE')
    level = fields.Many2One(
        'concertes.eu.dissemination.level', "Level", required=True,
        ondelete='CASCADE')
