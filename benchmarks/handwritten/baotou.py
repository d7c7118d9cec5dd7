"""The whole baotou pack (包府办发〔2023〕43号, 53 rules), written by hand: the honest scalar baseline.

Same decisions and same computed figures as the engine, for ANY case (missing
facts included, with the same three-valued logic and the same missing-fact
lists), returned as plain tuples (see ``project`` for the engine-side
projection it is checked against). Static texts (titles, summaries, quotes)
are constants per rule and are not rebuilt per case: an outcome refers to its
rule's constant citation. This is what a careful developer writes without an
engine: every fact read once, explicit None checks, Kleene and/or via two tiny
helpers. benchmarks/scalar.py checks it equal to the engine on generated cases
before it times anything, so a change to rules/baotou.yaml shows up there.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

from policyrules.dates import months_between

from .common import FUND_RULES, A, O, _amount_sig, _m, amt, b, concerns, eq, ge, isin, project, subjects  # noqa: F401
from .common import fund as national_fund

FROM, UNTIL = date(2023, 4, 30), date(2024, 12, 31)
FUND_FROM = date(2015, 10, 1)  # national_fund's validity
QUOTA = Decimal("0.015")
D0, D1, D2, D3, D5, D15 = Decimal(0), Decimal(1), Decimal(2), Decimal(3), Decimal(5), Decimal(15)
HALF = Decimal("0.5")
CENTRAL = frozenset(["昆都仑区", "昆区", "青山区", "东河区", "九原区"])
OUTER = frozenset(
    ["土默特右旗", "土右旗", "固阳县", "达尔罕茂明安联合旗", "达茂旗", "白云鄂博矿区", "白云矿区", "石拐区"]
)
NAMED = CENTRAL | OUTER
COUNTY_PREFECTURE = frozenset(["county", "prefecture"])
COUNTY_TOWNSHIP = frozenset(["county", "township"])
AGENCY_INSTITUTION = frozenset(["party_government_agency", "public_institution"])
GRAD = frozenset(["junior_college", "bachelor", "postgraduate"])
STARTUP_KINDS = frozenset(["small_micro_enterprise", "individual_business"])
WORKING = frozenset(["employed", "self_employed", "flexible"])
STUDENT = frozenset(["secondary_vocational", "junior_college"])
INTMENT = frozenset(["intellectual", "mental"])


# one prebuilt missing-set per fact read
M_STAFF, M_DIS, M_KIND, M_EST, M_SCHOOL = (
    _m("unit.staff"),
    _m("unit.disabled_employees"),
    _m("unit.kind"),
    _m("unit.establishment_size"),
    _m("unit.is_school"),
)
M_FED, M_ADMIN, M_VAC = (
    _m("unit.is_disabled_persons_federation"),
    _m("unit.admin_level"),
    _m("unit.has_vacant_establishment"),
)
M_AK, M_CERT, M_PLACE = (
    _m("application.kind"),
    _m("person.disability.certified"),
    _m("person.public_welfare_post.placements"),
)
M_EXP, M_OCF, M_HARD, M_RECV = (
    _m("person.public_welfare_post.subsidy_expired"),
    _m("person.public_welfare_post.other_channels_failed"),
    _m("person.special_hardship"),
    _m("person.public_welfare_post.receives_subsidy"),
)
M_GRADE, M_LIC, M_YTR = (
    _m("person.disability.grade"),
    _m("person.business.licensed_on"),
    _m("person.years_to_retirement"),
)
M_HOLDS, M_PARTN, M_DIST, M_SPACING = (
    _m("person.holds_preferential_tobacco_licence"),
    _m("application.tobacco.partnership_or_hired"),
    _m("place.district"),
    _m("application.tobacco.normal_spacing"),
)
M_WAGE, M_FISC, M_CONC = (
    _m("place.monthly_minimum_wage"),
    _m("unit.fiscally_funded"),
    _m("unit.is_concentrated_employment_unit"),
)
M_GLEVEL, M_GYEAR, M_CMONTHS, M_SOCINS, M_PWP = (
    _m("person.graduation.level"),
    _m("person.graduation.year"),
    _m("hire.contract_months"),
    _m("hire.social_insurance"),
    _m("hire.public_welfare_post"),
)
M_DISP, M_REC, M_MEMP, M_FUND = (
    _m("unit.is_labour_dispatch_agency"),
    _m("hire.recommended_by_unit"),
    _m("hire.months_employed"),
    _m("unit.guarantee_fund_paid"),
)
M_MARKET, M_OUTLETS, M_FIRST, M_BKIND = (
    _m("unit.runs_public_market"),
    _m("unit.new_outlets"),
    _m("person.business.first_business"),
    _m("person.business.kind"),
)
M_CAT, M_HH, M_EMPL, M_INC, M_LOWSTD = (
    _m("person.disability.category"),
    _m("person.lowbao.household_receives"),
    _m("person.employment"),
    _m("person.lowbao.household_income_per_capita"),
    _m("place.lowbao_standard"),
)
M_AUX, M_RURAL, M_DAYS, M_HOURS = (
    _m("unit.is_auxiliary_employment_institution"),
    _m("person.rural"),
    _m("application.training.days"),
    _m("application.training.class_hours"),
)
M_HOSP, M_MASS, M_BMI, M_BI = (
    _m("unit.is_hospital"),
    _m("unit.blind_medical_masseurs"),
    _m("unit.is_blind_medical_massage_institution"),
    _m("unit.is_blind_massage_institution"),
)
M_BMP, M_SIPAID, M_BMY = (
    _m("person.blind_massage_practitioner"),
    _m("person.social_insurance_paid_last_year"),
    _m("person.blind_massage_subsidy_years"),
)
M_RENTS, M_RENT, M_SLEVEL, M_TTY, M_SAME = (
    _m("person.business.rents_premises"),
    _m("person.business.monthly_rent"),
    _m("person.student_level"),
    _m("person.trainings_this_year"),
    _m("application.training.same_project_level_this_year"),
)


M_DUTIES, M_POVERTY, M_MIGRANT = (
    _m("person.can_perform_duties"),
    _m("person.poverty_alleviated"),
    _m("person.returning_migrant_worker"),
)
M_HARDSHIP, M_DESIGNATION, M_HUKOU = (
    _m("person.hardship_household"),
    _m("unit.meets_medical_insurance_designation_conditions"),
    _m("person.hukou_in_jurisdiction"),
)
M_OPERATING, M_SEEKS, M_AGE, M_ZERO = (
    _m("person.business.operating"),
    _m("person.seeks_work"),
    _m("person.age"),
    _m("person.household_zero_employment"),
)
M_START, M_INJ = _m("hire.start_date"), _m("place.in_jurisdiction")


def evaluate(f: dict, as_of: date):
    """f: flat facts ({"unit.staff": 200, ...}); returns the projection ``project`` gives for the engine's Result."""
    if as_of < FROM or as_of > UNTIL:
        return (False,)
    g = f.get
    staff, dis, kind = g("unit.staff"), g("unit.disabled_employees"), g("unit.kind")
    ak, cert = g("application.kind"), g("person.disability.certified")

    # derived facts (a missing input makes the derived fact unknown, carrying the input's path)
    req = M_STAFF if staff is None else staff * QUOTA
    if dis is None:
        below = M_DIS | req if req.__class__ is frozenset else M_DIS
        excess = below
    elif req.__class__ is frozenset:
        below = excess = req
    else:
        below = dis < req
        excess = max(0, math.floor(dis - req))
    grade = g("person.disability.grade")
    severe = M_GRADE if grade is None else grade <= 2
    lic = g("person.business.licensed_on")
    applied = g("application.date") or as_of  # the application's date, as_of standing in (a neutral default)
    months = M_LIC if lic is None else months_between(lic, applied)

    fund_conds, fund_obls, fund_ents, fund_derived = national_fund(g, QUOTA)
    owed = fund_conds[0][1]
    conds = dict(fund_conds)
    c = conds
    # conditions, in pack order
    est = g("unit.establishment_size")
    c["quota.public_sector.duty"] = A(
        O(
            A(eq(kind, "party_government_agency", M_KIND), ge(est, 50, M_EST)),
            A(
                eq(kind, "public_institution", M_KIND),
                ge(est, 67, M_EST),
                (M_SCHOOL if g("unit.is_school") is None else not g("unit.is_school")),
            ),
        ),
        below,
    )
    admin = g("unit.admin_level")
    c["quota.pooling.area"] = A(isin(kind, AGENCY_INSTITUTION, M_KIND), isin(admin, COUNTY_TOWNSHIP, M_ADMIN))
    c["quota.federation_staff.duty"] = A(
        b(g("unit.is_disabled_persons_federation"), M_FED), isin(admin, COUNTY_PREFECTURE, M_ADMIN)
    )
    c["quota.targeted_recruitment.duty"] = A(below, b(g("unit.has_vacant_establishment"), M_VAC))
    a_pwp = eq(ak, "public_welfare_post", M_AK)
    cert_ = b(cert, M_CERT)
    pl = g("person.public_welfare_post.placements")
    c["recruitment.priority"] = A(
        eq(ak, "public_sector_recruitment", M_AK), cert_, b(g("person.can_perform_duties"), M_DUTIES)
    )
    c["public_welfare_post.subsidy"] = A(a_pwp, cert_, eq(pl, 0, M_PLACE))
    c["public_welfare_post.replacement"] = A(
        a_pwp,
        cert_,
        ge(pl, 1, M_PLACE),
        b(g("person.public_welfare_post.subsidy_expired"), M_EXP),
        b(g("person.public_welfare_post.other_channels_failed"), M_OCF),
        O(severe, b(g("person.special_hardship"), M_HARD)),
    )
    c["public_welfare_post.no_flexible_subsidy"] = A(
        b(g("person.public_welfare_post.receives_subsidy"), M_RECV),
        eq(ak, "flexible_employment_insurance_subsidy", M_AK),
    )
    soe = eq(kind, "state_owned_enterprise", M_KIND)
    c["quota.soe_report"] = soe
    c["quota.soe_guarantee_fund"] = A(soe, owed)
    c["job_fairs.soe"] = A(eq(kind, "local_government", M_KIND), isin(admin, COUNTY_PREFECTURE, M_ADMIN))
    a_tob = eq(ak, "tobacco_retail_licence", M_AK)
    holds = b(g("person.holds_preferential_tobacco_licence"), M_HOLDS)
    partn = b(g("application.tobacco.partnership_or_hired"), M_PARTN)
    dist = g("place.district")
    c["tobacco.preferential_licence"] = A(a_tob, cert_)
    c["tobacco.one_licence_only"] = A(a_tob, holds)
    c["tobacco.no_partnership_or_hired"] = A(a_tob, partn)
    c["tobacco.spacing.one_licence_only"] = A(a_tob, holds)
    c["tobacco.spacing.no_partnership_or_hired"] = A(a_tob, partn)
    c["tobacco.spacing.central_districts"] = A(a_tob, cert_, isin(dist, CENTRAL, M_DIST))
    c["tobacco.spacing.outer_districts"] = A(a_tob, cert_, isin(dist, OUTER, M_DIST))
    c["tobacco.spacing.elsewhere"] = A(
        a_tob, cert_, b(g("place.in_jurisdiction"), M_INJ), M_DIST if dist is None else dist not in NAMED
    )
    c["reward.excess_quota"] = excess if excess.__class__ is frozenset else excess >= 1
    c["reward.excess_quota.not_fiscal"] = A(
        O(b(g("unit.fiscally_funded"), M_FISC), b(g("unit.is_concentrated_employment_unit"), M_CONC)),
        c["reward.excess_quota"],
    )
    gy = g("person.graduation.year")
    cm = g("hire.contract_months")
    start = g("hire.start_date")
    c["subsidy.graduate_hire"] = A(
        cert_,
        isin(g("person.graduation.level"), GRAD, M_GLEVEL),
        M_GYEAR | M_START
        if gy is None and start is None
        else M_GYEAR
        if gy is None
        else M_START
        if start is None
        else gy == start.year,
        ge(cm, 12, M_CMONTHS),
        b(g("hire.social_insurance"), M_SOCINS),
    )
    c["subsidy.graduate_hire.not_public_welfare"] = b(g("hire.public_welfare_post"), M_PWP)
    c["reward.dispatch_placement"] = A(
        b(g("unit.is_labour_dispatch_agency"), M_DISP),
        b(g("hire.recommended_by_unit"), M_REC),
        cert_,
        ge(g("hire.months_employed"), 12, M_MEMP),
    )
    c["quota.private_report"] = eq(kind, "private_enterprise", M_KIND)
    fund = g("unit.guarantee_fund_paid")
    c["credit.fund_refusal"] = A(owed, M_FUND if fund is None else not fund)
    outlets = g("unit.new_outlets")
    c["outlets.reserved_share"] = A(b(g("unit.runs_public_market"), M_MARKET), ge(outlets, 1, M_OUTLETS))
    c["outlets.fee_reduction"] = A(eq(ak, "market_stall", M_AK), cert_)
    c["lottery.priority"] = A(eq(ak, "lottery_outlet", M_AK), cert_)
    bkind = g("person.business.kind")
    c["startup.subsidy"] = A(
        eq(ak, "startup_subsidy", M_AK),
        cert_,
        b(g("person.business.first_business"), M_FIRST),
        isin(bkind, STARTUP_KINDS, M_BKIND),
    )
    c["startup.guarantee_loan.interest"] = A(eq(ak, "startup_guarantee_loan", M_AK), cert_)
    c["lowbao.labour_coefficient"] = O(isin(g("person.disability.category"), INTMENT, M_CAT), severe)
    inc, std = g("person.lowbao.household_income_per_capita"), g("place.lowbao_standard")
    c["lowbao.phase_out"] = A(
        cert_,
        b(g("person.lowbao.household_receives"), M_HH),
        isin(g("person.employment"), WORKING, M_EMPL),
        (
            M_INC | M_LOWSTD
            if inc is None and std is None
            else M_INC
            if inc is None
            else M_LOWSTD
            if std is None
            else inc > std
        ),
    )
    c["procurement.auxiliary_priority"] = b(g("unit.is_auxiliary_employment_institution"), M_AUX)
    rural = b(g("person.rural"), M_RURAL)
    c["startup.guarantee_loan.rural"] = A(
        eq(ak, "startup_guarantee_loan", M_AK),
        rural,
        eq(g("person.employment"), "self_employed", M_EMPL),
        O(cert_, b(g("person.poverty_alleviated"), M_POVERTY), b(g("person.returning_migrant_worker"), M_MIGRANT)),
    )
    hardship = b(g("person.hardship_household"), M_HARDSHIP)
    days5 = ge(g("application.training.days"), 5, M_DAYS)
    c["training.rural_practical"] = A(eq(ak, "rural_practical_training", M_AK), rural, cert_, hardship, days5)
    c["blind_massage.hospital_employment"] = A(
        b(g("unit.is_hospital"), M_HOSP), isin(admin, COUNTY_PREFECTURE, M_ADMIN)
    )
    c["blind_massage.medical_insurance_designation"] = A(
        b(g("unit.is_blind_medical_massage_institution"), M_BMI),
        b(g("unit.meets_medical_insurance_designation_conditions"), M_DESIGNATION),
    )
    c["blind_massage.institution_support"] = b(g("unit.is_blind_massage_institution"), M_BI)
    hukou = b(g("person.hukou_in_jurisdiction"), M_HUKOU)
    c["blind_massage.social_insurance_subsidy"] = A(
        b(g("person.blind_massage_practitioner"), M_BMP),
        cert_,
        eq(g("person.disability.category"), "visual", M_CAT),
        hukou,
    )
    in_business = (
        months if months.__class__ is frozenset else months >= 12,
        months if months.__class__ is frozenset else months < 36,
    )
    renting = (
        eq(ak, "rent_subsidy", M_AK),
        cert_,
        hukou,
        b(g("person.business.operating"), M_OPERATING),
        b(g("person.business.rents_premises"), M_RENTS),
        b(g("place.in_jurisdiction"), M_INJ),
    )
    c["startup.rent_subsidy"] = A(*renting, M_BKIND if bkind is None else bkind != "blind_massage_shop", *in_business)
    c["startup.rent_subsidy.blind_massage_shop"] = A(*renting, eq(bkind, "blind_massage_shop", M_BKIND), *in_business)
    c["education.student_aid"] = A(cert_, isin(g("person.student_level"), STUDENT, M_SLEVEL))
    seeks = b(g("person.seeks_work"), M_SEEKS)
    c["training.vocational"] = A(eq(ak, "vocational_training", M_AK), cert_, hardship, seeks, days5)
    c["training.vocational.no_repeat"] = A(
        eq(ak, "vocational_training", M_AK), b(g("application.training.same_project_level_this_year"), M_SAME)
    )

    age, ytr = g("person.age"), g("person.years_to_retirement")
    c["employment.four_services"] = A(
        cert_,
        eq(g("person.employment"), "unemployed", M_EMPL),
        ge(age, 16, M_AGE),
        M_YTR if ytr is None else not (ytr <= 0),
    )
    c["employment.zero_employment_household"] = A(b(g("person.household_zero_employment"), M_ZERO), seeks)

    # every rule is decided at its event: a rule whose document is not in force on the event's date is not granted
    if start is not None and not FROM <= start <= UNTIL:
        del c["subsidy.graduate_hire"]
    if not FROM <= applied <= UNTIL:
        for rid in APPLICATION_RULES:
            del c[rid]
    if applied < FUND_FROM:
        for rid in FUND_RULES:
            del c[rid]
        fund_ents, fund_obls = [], []
    subj = subjects(f)
    und = [(rid, v) for rid, v in c.items() if v.__class__ is frozenset and v and CONCERNS[rid] <= subj]
    ents, obls, sancs, excls = fund_ents, fund_obls, [], []

    def duration_pwp():
        ytr = g("person.years_to_retirement")
        if ytr is None:
            return (None, None, None, ("person.years_to_retirement",))
        return (Decimal(ytr if ytr < 5 else 3), None, None, ())

    # outcomes of the rules that fired, in pack order
    if c.get("quota.public_sector.duty") is True:
        obls.append(("quota.public_sector.duty", amt(value=D1, total=D1), "met" if dis >= 1 else "due"))
    if c.get("quota.pooling.area") is True:
        ents.append(["quota.pooling.area", None, None, None, (), "quota.pooling"])
    if c.get("quota.federation_staff.duty") is True:
        if staff is None:
            a = amt(missing=("unit.staff",))
            st = "unknown"
        else:
            v = Decimal(math.ceil(staff * Decimal("0.15")))
            a = amt(value=v, total=v)
            st = "unknown" if dis is None else ("met" if dis >= staff * Decimal("0.15") else "unmet")
        obls.append(("quota.federation_staff.duty", a, st))
    if c.get("quota.targeted_recruitment.duty") is True:
        obls.append(("quota.targeted_recruitment.duty", amt(), "unknown"))
    if c.get("recruitment.priority") is True:
        ents.append(["recruitment.priority", None, None, None, (), "recruitment.priority"])
    if c.get("public_welfare_post.subsidy") is True:
        ents.append(
            [
                "public_welfare_post.subsidy",
                amt(),
                duration_pwp(),
                None,
                (),
                "public_welfare_post.subsidy",
                ("employment.flexible_insurance_subsidy",),
            ]
        )
    if c.get("public_welfare_post.replacement") is True:
        if pl >= 2:
            excls.append(
                [
                    "public_welfare_post.replacement",
                    "public_welfare_post.replacement",
                    ["public_welfare_post.replacement"],
                    "limit_reached",
                ]
            )
        else:
            ents.append(
                [
                    "public_welfare_post.replacement",
                    amt(),
                    duration_pwp(),
                    (2, Decimal(pl)),
                    (),
                    "public_welfare_post.replacement",
                    ("employment.flexible_insurance_subsidy",),
                ]
            )
    if c.get("public_welfare_post.no_flexible_subsidy") is True:
        excls.append(["public_welfare_post.no_flexible_subsidy", "employment.flexible_insurance_subsidy", [], "rule"])
    if c.get("quota.soe_report") is True:
        obls.append(("quota.soe_report", None, "unknown"))
    if c.get("quota.soe_guarantee_fund") is True:
        obls.append(("quota.soe_guarantee_fund", amt(), "unknown" if fund is None else ("met" if fund else "unmet")))
    if c.get("job_fairs.soe") is True:
        obls.append(("job_fairs.soe", amt(mn=D1, mx=D2), "unknown"))
    if c.get("tobacco.preferential_licence") is True:
        ents.append(["tobacco.preferential_licence", None, None, None, (), "tobacco.preferential_licence"])
    for rid, topic in (
        ("tobacco.one_licence_only", "tobacco.preferential_licence"),
        ("tobacco.no_partnership_or_hired", "tobacco.preferential_licence"),
        ("tobacco.spacing.one_licence_only", "tobacco.retail_spacing"),
        ("tobacco.spacing.no_partnership_or_hired", "tobacco.retail_spacing"),
    ):
        if c.get(rid) is True:
            excls.append([rid, topic, [], "rule"])
    if c.get("tobacco.spacing.central_districts") is True:
        ents.append(
            [
                "tobacco.spacing.central_districts",
                amt(value=Decimal(30), total=Decimal(30)),
                None,
                None,
                (),
                "tobacco.retail_spacing",
            ]
        )
    if c.get("tobacco.spacing.outer_districts") is True:
        ents.append(
            [
                "tobacco.spacing.outer_districts",
                amt(value=Decimal(25), total=Decimal(25)),
                None,
                None,
                (),
                "tobacco.retail_spacing",
            ]
        )
    if c.get("tobacco.spacing.elsewhere") is True:
        sp = g("application.tobacco.normal_spacing")
        a = (
            amt(missing=("application.tobacco.normal_spacing",))
            if sp is None
            else amt(value=Decimal(sp) / D2, total=Decimal(sp) / D2)
        )
        ents.append(["tobacco.spacing.elsewhere", a, None, None, (), "tobacco.retail_spacing"])
    if c.get("reward.excess_quota") is True:
        wage = g("place.monthly_minimum_wage")
        cnt = Decimal(excess)
        if wage is None:
            a = amt(count=cnt, missing=("place.monthly_minimum_wage",))
        else:
            v = Decimal(5 * wage)
            a = amt(value=v, count=cnt, total=v * cnt)
        ents.append(["reward.excess_quota", a, None, None, (), "reward.excess_quota"])
    if c.get("reward.excess_quota.not_fiscal") is True:
        excls.append(["reward.excess_quota.not_fiscal", "reward.excess_quota", [], "rule"])
    if c.get("subsidy.graduate_hire") is True:
        wage = g("place.monthly_minimum_wage")
        a = (
            amt(missing=("place.monthly_minimum_wage",))
            if wage is None
            else amt(value=Decimal(5 * wage), total=Decimal(5 * wage))
        )
        ents.append(["subsidy.graduate_hire", a, (D3, None, None, ()), None, (), "subsidy.graduate_hire"])
    if c.get("subsidy.graduate_hire.not_public_welfare") is True:
        excls.append(["subsidy.graduate_hire.not_public_welfare", "subsidy.graduate_hire", [], "rule"])
    if c.get("reward.dispatch_placement") is True:
        v = Decimal(500)
        ents.append(["reward.dispatch_placement", amt(value=v, total=v), None, None, (v,), "reward.dispatch_placement"])
    if c.get("quota.private_report") is True:
        obls.append(("quota.private_report", None, "unknown"))
    if c.get("credit.fund_refusal") is True:
        sancs.append(("credit.fund_refusal",))
    if c.get("outlets.reserved_share") is True:
        v = Decimal(math.ceil(outlets * Decimal("0.1")))
        obls.append(("outlets.reserved_share", amt(value=v, total=v), "unknown"))
    if c.get("outlets.fee_reduction") is True:
        ents.append(["outlets.fee_reduction", amt(), None, None, (), "outlets.fee_reduction"])
    if c.get("lottery.priority") is True:
        ents.append(["lottery.priority", None, None, None, (), "lottery.priority"])
    if c.get("startup.subsidy") is True:
        ents.append(["startup.subsidy", amt(), None, None, (), "startup.subsidy"])
    if c.get("startup.guarantee_loan.interest") is True:
        ents.append(["startup.guarantee_loan.interest", amt(), None, None, (), "startup.guarantee_loan"])
    if c.get("lowbao.labour_coefficient") is True:
        ents.append(["lowbao.labour_coefficient", amt(value=D0, total=D0), None, None, (), "lowbao.labour_coefficient"])
    if c.get("lowbao.phase_out") is True:
        ents.append(["lowbao.phase_out", amt(), None, None, (), "lowbao.phase_out"])
    if c.get("procurement.auxiliary_priority") is True:
        ents.append(["procurement.auxiliary_priority", None, None, None, (), "procurement.auxiliary_priority"])
    if c.get("startup.guarantee_loan.rural") is True:
        ents.append(
            ["startup.guarantee_loan.rural", amt(cap=Decimal(200000)), None, None, (), "startup.guarantee_loan"]
        )
    if c.get("training.rural_practical") is True:
        v = Decimal(1500)
        ents.append(
            [
                "training.rural_practical",
                amt(value=v, total=v),
                None,
                None,
                (v * HALF, v * HALF),
                "training.rural_practical",
            ]
        )
    if c.get("blind_massage.hospital_employment") is True:
        ms = g("unit.blind_medical_masseurs")
        obls.append(
            (
                "blind_massage.hospital_employment",
                amt(value=D2, total=D2),
                "unknown" if ms is None else ("met" if ms >= 2 else "unmet"),
            )
        )
    if c.get("blind_massage.medical_insurance_designation") is True:
        ents.append(
            [
                "blind_massage.medical_insurance_designation",
                None,
                None,
                None,
                (),
                "blind_massage.medical_insurance_designation",
            ]
        )
    if c.get("blind_massage.institution_support") is True:
        ents.append(["blind_massage.institution_support", amt(), None, None, (), "blind_massage.institution_support"])
    if c.get("blind_massage.social_insurance_subsidy") is True:
        used = g("person.blind_massage_subsidy_years")
        if used is not None and used >= 15:
            excls.append(
                [
                    "blind_massage.social_insurance_subsidy",
                    "blind_massage.social_insurance_subsidy",
                    ["blind_massage.social_insurance_subsidy"],
                    "duration_exhausted",
                ]
            )
        else:
            used = None if used is None else Decimal(used)
            base = g("person.social_insurance_paid_last_year")
            if base is None:
                a = amt(missing=("person.social_insurance_paid_last_year",))
                fa = (None,)
            else:
                v = HALF * base
                a = (v, None, None, None, None, v, None, None, ())
                fa = (v,)
            ents.append(
                [
                    "blind_massage.social_insurance_subsidy",
                    a,
                    (D15, None, None, ("person.blind_massage_subsidy_years",))
                    if used is None
                    else (D15, used, D15 - used, ()),
                    None,
                    fa,
                    "blind_massage.social_insurance_subsidy",
                ]
            )
    for rid, duration in (
        ("startup.rent_subsidy", (D3, None, None, ())),
        ("startup.rent_subsidy.blind_massage_shop", None),
    ):
        if c.get(rid) is True:
            rent = g("person.business.monthly_rent")
            cap = Decimal(1000)
            if rent is None:
                a = amt(cap=cap, missing=("person.business.monthly_rent",))
                fa = (None, None)
            else:
                v = min(Decimal(rent), cap)
                a = amt(value=v, cap=cap, total=v)
                fa = (v * HALF, v * HALF)
            ents.append([rid, a, duration, None, fa, "startup.rent_subsidy"])
    if c.get("education.student_aid") is True:
        ents.append(["education.student_aid", amt(), None, None, (), "education.student_aid"])
    if c.get("training.vocational") is True:
        used = g("person.trainings_this_year")
        if used is not None and used >= 3:
            excls.append(["training.vocational", "training.vocational", ["training.vocational"], "limit_reached"])
        else:
            v = Decimal(1500)
            ents.append(
                [
                    "training.vocational",
                    amt(value=v, total=v),
                    None,
                    (3, None if used is None else Decimal(used)),
                    (v * HALF, v * HALF),
                    "training.vocational",
                ]
            )
    if c.get("training.vocational.no_repeat") is True:
        excls.append(["training.vocational.no_repeat", "training.vocational", [], "rule"])
    if c.get("employment.four_services") is True:
        ents.append(["employment.four_services", amt(value=D1, total=D1), None, None, (), "employment.service_minimum"])
    if c.get("employment.zero_employment_household") is True:
        ents.append(
            [
                "employment.zero_employment_household",
                amt(value=D1, total=D1),
                None,
                None,
                (),
                "public_welfare_post.zero_employment_household",
            ]
        )

    # mutual exclusion (public-welfare-post subsidies exclude the flexible insurance subsidy, which baotou never pays),
    # then exclusions withhold entitlements of their topic
    topics = {e[5] for e in ents}
    for e in list(ents):
        if len(e) > 6:
            for t in e[6]:
                if t in topics:
                    excls.append([e[0], t, [], "mutually_exclusive"])
    kept = []
    for e in ents:
        blockers = [x for x in excls if x[1] == e[5] and x[0] != e[0]]
        if not blockers:
            kept.append(e)
        for x in blockers:
            x[2] = x[2] + [e[0]]
    # an entitlement an undecided exclusion may withhold is itself undecided
    pending = {}
    for rid, topic in EXCLUSION_TOPICS:
        v = c.get(rid)
        if v.__class__ is frozenset:
            pending.setdefault(topic, set()).update(v)
    if pending:
        still = []
        for e in kept:
            miss = pending.get(e[5])
            if miss is None:
                still.append(e)
            else:
                und.append((e[0], frozenset(miss)))
        kept = still
    derived = fund_derived + (
        None if req.__class__ is frozenset else req,
        None if below.__class__ is frozenset else below,
        None if excess.__class__ is frozenset else excess,
        None if severe.__class__ is frozenset else severe,
        None if months.__class__ is frozenset else months,
    )
    return (
        True,
        tuple((e[0], e[1], e[2], e[3], e[4]) for e in kept),
        tuple(obls),
        tuple(sancs),
        tuple((x[0], x[1], tuple(x[2]), x[3]) for x in excls),
        tuple(und),
        derived,
    )


EXCLUSION_TOPICS = (
    ("public_welfare_post.no_flexible_subsidy", "employment.flexible_insurance_subsidy"),
    ("tobacco.one_licence_only", "tobacco.preferential_licence"),
    ("tobacco.no_partnership_or_hired", "tobacco.preferential_licence"),
    ("tobacco.spacing.one_licence_only", "tobacco.retail_spacing"),
    ("tobacco.spacing.no_partnership_or_hired", "tobacco.retail_spacing"),
    ("reward.excess_quota.not_fiscal", "reward.excess_quota"),
    ("subsidy.graduate_hire.not_public_welfare", "subsidy.graduate_hire"),
    ("training.vocational.no_repeat", "training.vocational"),
)

# the subjects each rule concerns (its party; the application when it reads application.kind; the hire)
CONCERNS = concerns(
    (
        ("unit",),
        (
            "quota.public_sector.duty",
            "quota.pooling.area",
            "quota.federation_staff.duty",
            "quota.targeted_recruitment.duty",
            "quota.soe_report",
            "quota.soe_guarantee_fund",
            "job_fairs.soe",
            "reward.excess_quota",
            "reward.excess_quota.not_fiscal",
            "quota.private_report",
            "credit.fund_refusal",
            "outlets.reserved_share",
            "procurement.auxiliary_priority",
            "blind_massage.hospital_employment",
            "blind_massage.medical_insurance_designation",
            "blind_massage.institution_support",
        ),
    ),
    (
        ("application", "person"),
        (
            "recruitment.priority",
            "public_welfare_post.subsidy",
            "public_welfare_post.replacement",
            "public_welfare_post.no_flexible_subsidy",
            "tobacco.preferential_licence",
            "tobacco.one_licence_only",
            "tobacco.no_partnership_or_hired",
            "tobacco.spacing.one_licence_only",
            "tobacco.spacing.no_partnership_or_hired",
            "tobacco.spacing.central_districts",
            "tobacco.spacing.outer_districts",
            "tobacco.spacing.elsewhere",
            "outlets.fee_reduction",
            "lottery.priority",
            "startup.subsidy",
            "startup.guarantee_loan.interest",
            "startup.guarantee_loan.rural",
            "training.rural_practical",
            "startup.rent_subsidy",
            "startup.rent_subsidy.blind_massage_shop",
            "training.vocational",
            "training.vocational.no_repeat",
        ),
    ),
    (
        ("hire", "unit"),
        ("subsidy.graduate_hire", "subsidy.graduate_hire.not_public_welfare", "reward.dispatch_placement"),
    ),
    (
        ("person",),
        (
            "lowbao.labour_coefficient",
            "lowbao.phase_out",
            "blind_massage.social_insurance_subsidy",
            "education.student_aid",
            "employment.four_services",
            "employment.zero_employment_household",
        ),
    ),
)

# baotou's rules decided at the application (every one but the graduate hire, decided at the hire)
APPLICATION_RULES = tuple(rid for rid in CONCERNS if rid not in FUND_RULES and rid != "subsidy.graduate_hire")
