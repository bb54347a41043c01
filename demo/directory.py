# This file is part of the ConcertES ERP.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The directory part of the demo world: social-economy enterprises.

Nothing here comes from the 2024 report, which does not list the
enterprises: 36 invented enterprises (« démo » data, ``demo_data`` set),
in Wallonia and Brussels, public in the directory, with enterprise numbers
generated to pass the check (not real ones) and plausible accreditations of
the seeded types.  The COMES advises on IES, EI and IDESS, the CCES on the
Brussels social enterprises and ESI.  The validity of four years given to
EI, IDESS and ES-BXL is a placeholder.  Files decided in 2024 were examined
at the COMES meeting before their decision; some EI and IDESS end in the
first half of 2025 (renewals for the last COMES meetings of 2024) and a few
applications wait for an opinion.
"""
import datetime as dt

from dateutil.relativedelta import relativedelta

from demo.common import REPORT_YEAR
from proteus import Model

WALLONIA = [
    ("Ressourcerie du Val de Sambre", 'Rue de la Station 12', '5000',
        "Namur", ['sector']),
    ("Les Ateliers de la Meuse", 'Quai de Rome 40', '4000', "Liège",
        ['insertion']),
    ("Coopérative Terre et Pain", 'Rue de Marcinelle 8', '6000',
        "Charleroi", ['enterprises']),
    ("Jardins du Borinage", 'Rue des Canonniers 3', '7000', "Mons",
        ['insertion']),
    ("Proxi-Services Tournaisis", 'Rue Royale 77', '7500', "Tournai",
        ['sector']),
    ("Formation Bois Ardenne", 'Avenue de Longwy 150', '6700', "Arlon",
        ['insertion']),
    ("Brabant Repair Coop", 'Place Bosch 5', '1300', "Wavre",
        ['enterprises', 'sector']),
    ("Textiles Solidaires Vesdre", 'Rue du Collège 20', '4800',
        "Verviers", ['sector']),
    ("Cuisine de Quartier Dinant", 'Rue Grande 101', '5500', "Dinant",
        ['insertion']),
    ("Écoconstruction du Centre", 'Rue Kéramis 2', '7100',
        "La Louvière", ['insertion']),
    ("Mobilité Douce Hesbaye", 'Rue des Augustins 14', '4500', "Huy",
        ['sector']),
    ("Incubateur Coopératif du Brabant", 'Rue de la Source 4', '1340',
        "Ottignies-Louvain-la-Neuve", ['activity_insertion']),
    ("Titres-Services Condroz", 'Rue de Namur 33', '5000', "Namur",
        ['insertion']),
    ("Recyclerie des Trois Frontières", 'Rue Saint-Léonard 250', '4000',
        "Liège", ['sector']),
    ("Atelier Protégé du Pays Noir", 'Rue de la Providence 60', '6000',
        "Charleroi", ['insertion']),
    ("Épicerie Coopérative Montoise", 'Rue de Nimy 45', '7000', "Mons",
        ['enterprises']),
    ("Maraîchage Picard", 'Chaussée de Lille 300', '7500', "Tournai",
        ['sector']),
    ("Énergie Citoyenne Gaume", 'Rue des Martyrs 9', '6700', "Arlon",
        ['enterprises']),
    ("Transport Adapté Brabant", 'Chaussée de Bruxelles 120', '1300',
        "Wavre", ['insertion']),
    ("Blanchisserie Sociale Verviers", 'Rue de Hodimont 88', '4800',
        "Verviers", ['insertion']),
    ("Vélo Mosan", 'Rue Adolphe Sax 7', '5500', "Dinant", ['sector']),
    ("Bâtir Ensemble Centre", 'Rue Hamoir 25', '7100', "La Louvière",
        ['insertion']),
    ("Récup' Hutoise", 'Quai Dautrebande 6', '4500', "Huy", ['sector']),
    ("Coopérative d'Activités Wallonne", "Place de l'Université 1", '1340',
        "Ottignies-Louvain-la-Neuve", ['activity_insertion']),
    ]
BRUSSELS = [
    ("Bruxelles Recyclerie", 'Rue Haute 180', '1000', "Bruxelles",
        ['sector']),
    ("Cuisine Solidaire Schaerbeek", 'Chaussée de Haecht 250', '1030',
        "Schaerbeek", ['insertion']),
    ("Vélo Saint-Gilles Coop", 'Rue de la Victoire 12', '1060',
        "Saint-Gilles", ['enterprises']),
    ("Formation Horeca Anderlecht", 'Rue Wayez 90', '1070', "Anderlecht",
        ['insertion']),
    ("Molenbeek Rénove", 'Chaussée de Gand 150', '1080',
        "Molenbeek-Saint-Jean", ['insertion']),
    ("Potager Urbain Forest", 'Avenue Van Volxem 200', '1190', "Forest",
        ['sector']),
    ("Coop Numérique Bruxelles", 'Boulevard Anspach 60', '1000',
        "Bruxelles", ['enterprises']),
    ("Nettoyage Éthique Schaerbeek", 'Rue Royale Sainte-Marie 30', '1030',
        "Schaerbeek", ['insertion']),
    ("Crèche Coopérative Saint-Gilles", 'Rue de Moscou 5', '1060',
        "Saint-Gilles", ['enterprises']),
    ("Atelier Couture Anderlecht", 'Rue de Birmingham 40', '1070',
        "Anderlecht", ['insertion']),
    ("Logistique Verte Molenbeek", "Quai de l'Industrie 75", '1080',
        "Molenbeek-Saint-Jean", ['sector']),
    ("Réemploi Forest", 'Rue du Charroi 33', '1190', "Forest",
        ['sector']),
    ]
VALIDITY = relativedelta(years=4, days=-1)


def enterprise_number(seed):
    "A generated enterprise number 0xxx.xxx.xxx that passes the check"
    base = 7200000 + seed
    number = '%08d%02d' % (base, 97 - base % 97)
    return '%s.%s.%s' % (number[:4], number[4:7], number[7:])


def _enterprise(config, seed, name, street, postal_code, city, region,
        sectors):
    Party = Model.get('party.party')
    parties = Party.find([('name', '=', name)], limit=1)
    if parties:
        return parties[0]
    party = Party(name=name, organisation_kind='enterprise',
        regions=[region], sector_families=sectors, directory_public=True,
        website='https://%s.example.org' % ''.join(
            c for c in name.lower() if c.isalnum())[:30],
        enterprise_status='active')
    party.identifiers.new(type='be_businessid', code=enterprise_number(seed))
    if party.addresses:
        address = party.addresses[0]
    else:
        address = party.addresses.new()
    address.street_unstructured = street
    address.postal_code = postal_code
    address.city = city
    party.save()
    # demo_data is read-only in the forms
    Party.write([party.id], {'demo_data': True}, config.context)
    return party


def _accreditation(party, type_, decision=None, meeting=None,
        application=None, valid_to=None):
    "The accreditation of party of type_, granted on decision if any"
    Accreditation = Model.get('concertes.accreditation')
    accreditations = Accreditation.find([
            ('party', '=', party.id), ('type', '=', type_.id)], limit=1)
    if accreditations:
        return accreditations[0]
    accreditation = Accreditation(party=party, type=type_,
        application_date=application or (
            decision - dt.timedelta(days=90) if decision else None),
        decision_date=decision, meeting=meeting, valid_to=valid_to,
        decision_reference='AM-%s-%s' % (type_.code, party.id)
        if decision else None)
    if decision:
        accreditation.valid_from = decision
    accreditation.save()
    if decision:
        accreditation.click('grant')
    return accreditation


def build(config):
    "The directory part of the demo world"
    Body = Model.get('concertes.body')
    Meeting = Model.get('concertes.meeting')
    Type = Model.get('concertes.accreditation.type')
    types = {t.code: t for t in Type.find([])}
    comes, = Body.find([('code', '=', 'COMES')])
    cces, = Body.find([('code', '=', 'CCES')])
    for codes, body in [(['IES', 'EI', 'IDESS'], comes),
            (['ES-BXL', 'ESI'], cces)]:
        for code in codes:
            if types[code].advisory_body != body:
                types[code].advisory_body = body
                types[code].save()
    comes_meetings = Meeting.find([
            ('body', '=', comes.id),
            ('start', '>=', dt.datetime(REPORT_YEAR, 1, 1)),
            ('start', '<', dt.datetime(REPORT_YEAR + 1, 1, 1)),
            ], order=[('start', 'ASC')])

    def examined(month):
        "(decision date, meeting) of a file examined in month"
        meeting = [m for m in comes_meetings if m.start.month <= month][-1]
        return meeting.start.date() + dt.timedelta(days=21), meeting

    for i, row in enumerate(WALLONIA):
        party = _enterprise(config, i + 1, *row[:4], 'wallonia', row[4])
        if i >= len(WALLONIA) - 3:
            # waiting for the opinion of the COMES
            _accreditation(party, types['IES'],
                application=dt.date(REPORT_YEAR, 9 + i % 3, 10))
            continue
        if i % 6 == 1:
            decision, meeting = examined(2 + i % 9)
        else:
            decision, meeting = dt.date(2017 + i % 7, 1 + i % 12, 15), None
        _accreditation(party, types['IES'], decision, meeting)
        if i % 3 == 0:
            # EI granted in 2021: the first ones end in the first half of
            # 2025, to renew at the last COMES meetings of 2024
            start = dt.date(2021, 1 + i % 6, 1)
            _accreditation(party, types['EI'], start,
                valid_to=start + VALIDITY)
        if i % 4 == 1:
            _accreditation(party, types['CISP'], dt.date(2018, 1, 1))
        if i % 5 == 2:
            start = dt.date(2021 + i % 3, 3, 1)
            _accreditation(party, types['IDESS'], start,
                valid_to=start + VALIDITY)
        if i % 8 == 5:
            _accreditation(party, types['ETA'], dt.date(2012, 6, 1))
    for i, row in enumerate(BRUSSELS):
        party = _enterprise(
            config, 100 + i, *row[:4], 'brussels', row[4])
        if i >= len(BRUSSELS) - 2:
            _accreditation(party, types['ES-BXL'],
                application=dt.date(REPORT_YEAR, 10, 1 + i))
            continue
        start = dt.date(2019 + i % 5, 1 + i % 12, 1)
        _accreditation(party, types['ES-BXL'], start,
            valid_to=start + VALIDITY)
        if i % 3 == 1:
            _accreditation(party, types['ESI'], dt.date(2020, 9, 1))
