"""The whole jinan pack (济政办发〔2023〕6号, 40 rules), written by hand: a scalar baseline.

Same decisions and figures as the engine for any case, missing facts included,
returned as the tuples ``common.project`` makes of a Result. Straightforward
code: every fact read once, Kleene and/or through two small helpers.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

from .common import A, O, _m, amt, b, concerns, eq, ge, isin, known, project, subjects, withhold  # noqa: F401
from .common import fund as national_fund

FROM, UNTIL = date(2023, 5, 23), date(2024, 12, 31)
QUOTA = Decimal("0.015")
D1 = Decimal(1)
GRAD = frozenset(["junior_college", "bachelor", "postgraduate"])
COUNTY_TOWNSHIP = frozenset(["county", "township"])
CEASES = frozenset(["employment", "living_improvement"])
PUBLIC = frozenset(["party_government_agency", "public_institution", "state_owned_enterprise"])
AID = (
    ("education.aid.secondary_vocational", "secondary_vocational", Decimal(1200)),
    ("education.aid.junior_college", "junior_college", Decimal(3000)),
    ("education.aid.bachelor", "bachelor", Decimal(3500)),
    ("education.aid.postgraduate", "postgraduate", Decimal(4000)),
)

M = {
    p: _m(p)
    for p in (
        "unit.staff",
        "unit.disabled_employees",
        "unit.kind",
        "unit.establishment_size",
        "unit.is_school",
        "unit.admin_level",
        "unit.area_establishment_total",
        "unit.area_disabled_placed",
        "unit.builds_postal_kiosks",
        "unit.new_outlets",
        "application.kind",
        "person.disability.certified",
        "application.tobacco.first_application",
        "unit.meets_vat_refund_conditions",
        "place.monthly_minimum_wage",
        "person.business.kind",
        "person.business.pension_medical_due_min_base",
        "person.disabled_relative",
        "person.household_elderly_supports_disabled",
        "person.household_multiple_disabled",
        "person.household_zero_employment",
        "person.lowbao.household_receives",
        "person.lowbao.no_longer_qualifies",
        "person.lowbao.ceases_reason",
        "unit.is_rural_employment_base",
        "unit.households_driven",
        "person.rural",
        "person.graduation.level",
        "person.employment",
        "person.seeks_work",
        "person.public_welfare_post.other_channels_failed",
        "unit.is_small_micro",
        "person.graduation.year",
        "unit.is_blind_massage_institution",
        "unit.blind_masseurs",
        "unit.is_medical_institution",
        "unit.is_hospital",
        "unit.blind_medical_masseurs",
        "unit.blind_massage_standardisation_eligible",
        "unit.blind_massage_standardisation_supported",
        "unit.blind_massage_assessment_passed",
        "unit.blind_massage_standardisation_year",
        "unit.blind_employees",
        "person.student_level",
        "person.parent_disabled",
        "unit.meets_excess_quota_reward_conditions",
        "unit.guarantee_fund_paid",
        "unit.new_outlets_reserved",
        "person.household_has_disabled",
        "unit.is_auxiliary_employment_institution",
        "unit.is_blind_medical_massage_institution",
        "unit.meets_medical_insurance_designation_conditions",
        "person.at_vocational_college",
        "hire.start_date",
    )
}
EXCLUSION_TOPICS = (
    ("award.exclusion.unit", "award.commendation"),
    ("award.exclusion.head", "award.commendation"),
)


def _not(v):
    return v if v.__class__ is frozenset else not v


def _count(v, path):
    """A count figure: (Decimal or None, missing paths)."""
    return (None, (path,)) if v is None else (Decimal(v), ())


def evaluate(f: dict, as_of: date):
    if as_of < FROM or as_of > UNTIL:
        return (False,)
    g = f.get
    staff, dis, kind = g("unit.staff"), g("unit.disabled_employees"), g("unit.kind")
    ak, cert = g("application.kind"), g("person.disability.certified")

    req = M["unit.staff"] if staff is None else staff * QUOTA
    if dis is None:
        below = M["unit.disabled_employees"] | req if req.__class__ is frozenset else M["unit.disabled_employees"]
        excess = below
    elif req.__class__ is frozenset:
        below = excess = req
    else:
        below = dis < req
        excess = max(0, math.floor(dis - req))

    fund_conds, fund_obls, fund_ents, fund_derived = national_fund(g, QUOTA)
    owed = fund_conds[0][1]
    c = dict(fund_conds)
    est = g("unit.establishment_size")
    school = g("unit.is_school")
    c["quota.public_sector.duty"] = A(
        O(
            A(eq(kind, "party_government_agency", M["unit.kind"]), ge(est, 50, M["unit.establishment_size"])),
            A(
                eq(kind, "public_institution", M["unit.kind"]),
                ge(est, 67, M["unit.establishment_size"]),
                M["unit.is_school"] if school is None else not school,
            ),
        ),
        below,
    )
    cert_ = b(cert, M["person.disability.certified"])
    c["recruitment.accommodation"] = A(eq(ak, "public_sector_recruitment", M["application.kind"]), cert_)
    admin = g("unit.admin_level")
    c["quota.pooling.area"] = A(
        eq(kind, "local_government", M["unit.kind"]), isin(admin, COUNTY_TOWNSHIP, M["unit.admin_level"])
    )
    outlets = g("unit.new_outlets")
    c["outlets.postal_kiosk_reserve"] = A(
        b(g("unit.builds_postal_kiosks"), M["unit.builds_postal_kiosks"]), ge(outlets, 1, M["unit.new_outlets"])
    )
    c["outlets.postal_kiosk_fees"] = A(eq(ak, "postal_kiosk", M["application.kind"]), cert_)
    c["lottery.priority"] = A(eq(ak, "lottery_outlet", M["application.kind"]), cert_)
    a_tob = eq(ak, "tobacco_retail_licence", M["application.kind"])
    c["tobacco.priority"] = A(a_tob, cert_)
    c["tobacco.first_application_spacing"] = A(
        a_tob,
        cert_,
        b(g("application.tobacco.first_application"), M["application.tobacco.first_application"]),
    )
    c["tax.vat_refund"] = A(
        eq(kind, "private_enterprise", M["unit.kind"]),
        b(g("unit.meets_vat_refund_conditions"), M["unit.meets_vat_refund_conditions"]),
        ge(dis, 1, M["unit.disabled_employees"]),
    )
    bkind = g("person.business.kind")
    a_start = eq(ak, "startup_subsidy", M["application.kind"])
    individual = eq(bkind, "individual_business", M["person.business.kind"])
    c["startup.individual_business_grant"] = A(a_start, cert_, individual)
    c["startup.individual_business_insurance"] = A(cert_, individual)
    a_pwp = eq(ak, "public_welfare_post", M["application.kind"])
    c["public_welfare_post.priority"] = A(
        a_pwp,
        O(
            cert_,
            b(g("person.disabled_relative"), M["person.disabled_relative"]),
            b(g("person.household_elderly_supports_disabled"), M["person.household_elderly_supports_disabled"]),
            b(g("person.household_multiple_disabled"), M["person.household_multiple_disabled"]),
        ),
    )
    c["public_welfare_post.zero_employment_household"] = b(
        g("person.household_zero_employment"), M["person.household_zero_employment"]
    )
    c["auxiliary_employment.institution_support"] = b(
        g("unit.is_auxiliary_employment_institution"), M["unit.is_auxiliary_employment_institution"]
    )
    c["lowbao.phase_out"] = A(
        O(cert_, b(g("person.household_has_disabled"), M["person.household_has_disabled"])),
        b(g("person.lowbao.household_receives"), M["person.lowbao.household_receives"]),
        b(g("person.lowbao.no_longer_qualifies"), M["person.lowbao.no_longer_qualifies"]),
        isin(g("person.lowbao.ceases_reason"), CEASES, M["person.lowbao.ceases_reason"]),
    )
    rural_base = b(g("unit.is_rural_employment_base"), M["unit.is_rural_employment_base"])
    households = g("unit.households_driven")
    c["rural_base.placement_support"] = A(rural_base, ge(dis, 1, M["unit.disabled_employees"]))
    c["rural_base.household_support"] = A(rural_base, ge(households, 1, M["unit.households_driven"]))
    c["training.rural_practical"] = A(
        eq(ak, "rural_practical_training", M["application.kind"]), b(g("person.rural"), M["person.rural"]), cert_
    )
    grad = isin(g("person.graduation.level"), GRAD, M["person.graduation.level"])
    employment = g("person.employment")
    c["graduate.free_services"] = A(
        cert_,
        grad,
        eq(employment, "unemployed", M["person.employment"]),
        b(g("person.seeks_work"), M["person.seeks_work"]),
    )
    c["graduate.priority_recommendation"] = A(cert_, grad)
    c["graduate.public_welfare_post"] = A(
        a_pwp,
        cert_,
        grad,
        b(
            g("person.public_welfare_post.other_channels_failed"),
            M["person.public_welfare_post.other_channels_failed"],
        ),
    )
    gy, start = g("person.graduation.year"), g("hire.start_date")
    c["subsidy.graduate_hire"] = A(
        b(g("unit.is_small_micro"), M["unit.is_small_micro"]),
        cert_,
        grad,
        M["person.graduation.year"] | M["hire.start_date"]
        if gy is None and start is None
        else M["person.graduation.year"]
        if gy is None
        else M["hire.start_date"]
        if start is None
        else gy == start.year,
    )
    c["startup.graduate_subsidy"] = A(
        a_start, cert_, grad, eq(bkind, "small_micro_enterprise", M["person.business.kind"])
    )
    bmi = b(g("unit.is_blind_massage_institution"), M["unit.is_blind_massage_institution"])
    masseurs = g("unit.blind_masseurs")
    c["blind_massage.institution_support"] = A(bmi, ge(masseurs, 1, M["unit.blind_masseurs"]))
    medical = g("unit.blind_medical_masseurs")
    c["blind_massage.medical_institution_support"] = A(
        O(
            b(g("unit.is_medical_institution"), M["unit.is_medical_institution"]),
            b(g("unit.is_hospital"), M["unit.is_hospital"]),
        ),
        ge(medical, 1, M["unit.blind_medical_masseurs"]),
    )
    c["blind_massage.medical_insurance_designation"] = A(
        b(g("unit.is_blind_medical_massage_institution"), M["unit.is_blind_medical_massage_institution"]),
        b(
            g("unit.meets_medical_insurance_designation_conditions"),
            M["unit.meets_medical_insurance_designation_conditions"],
        ),
    )
    supported = g("unit.blind_massage_standardisation_supported")
    c["blind_massage.standardisation_grant"] = A(
        bmi,
        b(g("unit.blind_massage_standardisation_eligible"), M["unit.blind_massage_standardisation_eligible"]),
        M["unit.blind_massage_standardisation_supported"] if supported is None else not supported,
    )
    sy = g("unit.blind_massage_standardisation_year")
    blind = g("unit.blind_employees")
    c["blind_massage.standardisation_annual"] = A(
        bmi,
        b(g("unit.blind_massage_assessment_passed"), M["unit.blind_massage_assessment_passed"]),
        M["unit.blind_massage_standardisation_year"] if sy is None else as_of.year > sy,
        ge(blind, 1, M["unit.blind_employees"]),
    )
    c["training.district_base"] = A(
        eq(kind, "local_government", M["unit.kind"]), eq(admin, "county", M["unit.admin_level"])
    )
    a_aid = eq(ak, "student_aid", M["application.kind"])
    level = g("person.student_level")
    vocational = b(g("person.at_vocational_college"), M["person.at_vocational_college"])
    eligible = O(cert_, b(g("person.parent_disabled"), M["person.parent_disabled"]))
    for rid, lv, _ in AID:
        c[rid] = A(a_aid, eq(level, lv, M["person.student_level"]), vocational, eligible)
    c["reward.excess_quota"] = A(
        b(g("unit.meets_excess_quota_reward_conditions"), M["unit.meets_excess_quota_reward_conditions"]),
        excess if excess.__class__ is frozenset else excess >= 1,
    )
    fund = g("unit.guarantee_fund_paid")
    award = A(
        isin(kind, PUBLIC, M["unit.kind"]),
        owed,
        M["unit.guarantee_fund_paid"] if fund is None else not fund,
    )
    c["award.exclusion.unit"] = award
    c["award.exclusion.head"] = award

    if start is not None and not FROM <= start <= UNTIL:  # decided at the hire: not in force on its date
        del c["subsidy.graduate_hire"]
    subj = subjects(f)
    und = [(rid, v) for rid, v in c.items() if v.__class__ is frozenset and v and CONCERNS[rid] <= subj]
    ents, obls, excls = fund_ents, fund_obls, []

    if c["quota.public_sector.duty"] is True:
        obls.append(("quota.public_sector.duty", amt(value=D1, total=D1), "met" if dis >= 1 else "due"))
    if c["recruitment.accommodation"] is True:
        ents.append(["recruitment.accommodation", amt(), None, None, (), "recruitment.accommodation"])
    if c["quota.pooling.area"] is True:
        total = g("unit.area_establishment_total")
        placed = g("unit.area_disabled_placed")
        if total is None:
            a = amt(missing=("unit.area_establishment_total",))
            status = "unknown"
        else:
            v = Decimal(math.ceil(total * QUOTA))
            a = amt(value=v, total=v)
            status = "unknown" if placed is None else ("met" if placed >= total * QUOTA else "unmet")
        obls.append(("quota.pooling.area", a, status))
    if c["outlets.postal_kiosk_reserve"] is True:
        v = Decimal(math.ceil(outlets * Decimal("0.1")))
        reserved = g("unit.new_outlets_reserved")
        status = "unknown" if reserved is None else ("met" if reserved >= outlets * Decimal("0.1") else "unmet")
        obls.append(("outlets.postal_kiosk_reserve", amt(value=v, total=v), status))
    if c["outlets.postal_kiosk_fees"] is True:
        ents.append(["outlets.postal_kiosk_fees", amt(), None, None, (), "outlets.fee_reduction"])
    if c["lottery.priority"] is True:
        ents.append(["lottery.priority", None, None, None, (), "lottery.priority"])
    if c["tobacco.priority"] is True:
        ents.append(["tobacco.priority", None, None, None, (), "tobacco.priority"])
    if c["tobacco.first_application_spacing"] is True:
        ents.append(["tobacco.first_application_spacing", None, None, None, (), "tobacco.retail_spacing"])
    if c["tax.vat_refund"] is True:
        wage = g("place.monthly_minimum_wage")
        if wage is None:
            a = amt(count=Decimal(dis), missing=("place.monthly_minimum_wage",))
        else:
            a = amt(cap=Decimal(4 * wage), count=Decimal(dis))
        ents.append(["tax.vat_refund", a, None, None, (), "tax.vat_refund"])
    if c["startup.individual_business_grant"] is True:
        v = Decimal(5000)
        ents.append(["startup.individual_business_grant", amt(value=v, total=v), None, None, (), "startup.subsidy"])
    if c["startup.individual_business_insurance"] is True:
        base = g("person.business.pension_medical_due_min_base")
        if base is None:
            a = amt(missing=("person.business.pension_medical_due_min_base",))
        else:
            v = Decimal("0.6") * Decimal(base)
            a = amt(value=v, total=v)
        ents.append(["startup.individual_business_insurance", a, None, None, (), "startup.social_insurance_subsidy"])
    if c["public_welfare_post.priority"] is True:
        ents.append(["public_welfare_post.priority", None, None, None, (), "public_welfare_post.priority"])
    if c["public_welfare_post.zero_employment_household"] is True:
        ents.append(
            [
                "public_welfare_post.zero_employment_household",
                amt(value=D1, total=D1),
                None,
                None,
                (),
                "public_welfare_post.zero_employment_household",
            ]
        )
    if c["auxiliary_employment.institution_support"] is True:
        ents.append(
            [
                "auxiliary_employment.institution_support",
                amt(),
                None,
                None,
                (),
                "auxiliary_employment.institution_support",
            ]
        )
    if c["lowbao.phase_out"] is True:
        ents.append(["lowbao.phase_out", amt(mn=Decimal(6), mx=Decimal(12)), None, None, (), "lowbao.phase_out"])
    if c["rural_base.placement_support"] is True:
        v, n = Decimal(8000), Decimal(dis)
        ents.append(
            ["rural_base.placement_support", amt(value=v, count=n, total=v * n), None, None, (), "rural_base.support"]
        )
    if c["rural_base.household_support"] is True:
        v, n = Decimal(2000), Decimal(households)
        ents.append(
            ["rural_base.household_support", amt(value=v, count=n, total=v * n), None, None, (), "rural_base.support"]
        )
    if c["training.rural_practical"] is True:
        v = Decimal("0.5")
        ents.append(["training.rural_practical", amt(value=v, total=v), None, None, (), "training.rural_practical"])
    if c["graduate.free_services"] is True:
        ents.append(["graduate.free_services", None, None, None, (), "graduate.free_services"])
    if c["graduate.priority_recommendation"] is True:
        ents.append(["graduate.priority_recommendation", None, None, None, (), "graduate.priority_recommendation"])
    if c["graduate.public_welfare_post"] is True:
        ents.append(["graduate.public_welfare_post", None, None, None, (), "public_welfare_post.graduate_placement"])
    if c.get("subsidy.graduate_hire") is True:
        v = Decimal(2000)
        ents.append(["subsidy.graduate_hire", amt(value=v, total=v), None, None, (), "subsidy.graduate_hire"])
    if c["startup.graduate_subsidy"] is True:
        ents.append(["startup.graduate_subsidy", amt(cap=Decimal(30000)), None, None, (), "startup.subsidy"])
    if c["blind_massage.institution_support"] is True:
        v, n = Decimal(10000), Decimal(masseurs)
        ents.append(
            [
                "blind_massage.institution_support",
                amt(value=v, count=n, total=v * n),
                None,
                None,
                (),
                "blind_massage.institution_support",
            ]
        )
    if c["blind_massage.medical_institution_support"] is True:
        v, n = Decimal(15000), Decimal(medical)
        ents.append(
            [
                "blind_massage.medical_institution_support",
                amt(value=v, count=n, total=v * n),
                None,
                None,
                (),
                "blind_massage.institution_support",
            ]
        )
    if c["blind_massage.medical_insurance_designation"] is True:
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
    if c["blind_massage.standardisation_grant"] is True:
        ents.append(
            [
                "blind_massage.standardisation_grant",
                amt(mn=Decimal(20000), mx=Decimal(40000)),
                None,
                None,
                (),
                "blind_massage.standardisation",
            ]
        )
    if c["blind_massage.standardisation_annual"] is True:
        v, n = Decimal(3000), Decimal(blind)
        ents.append(
            [
                "blind_massage.standardisation_annual",
                amt(value=v, count=n, total=v * n),
                None,
                None,
                (),
                "blind_massage.standardisation",
            ]
        )
    if c["training.district_base"] is True:
        obls.append(("training.district_base", amt(value=D1, total=D1), "unknown"))
    for rid, _, v in AID:
        if c[rid] is True:
            ents.append([rid, amt(value=v, total=v), None, None, (), "education.student_aid"])
    if c["reward.excess_quota"] is True:
        v, n = Decimal(8000), Decimal(excess)
        ents.append(["reward.excess_quota", amt(value=v, count=n, total=v * n), None, None, (), "reward.excess_quota"])
    for rid, topic in EXCLUSION_TOPICS:
        if c[rid] is True:
            excls.append([rid, topic, [], "rule"])

    kept = withhold(ents, excls, und, c, EXCLUSION_TOPICS)
    return (
        True,
        tuple((e[0], e[1], e[2], e[3], e[4]) for e in kept),
        tuple(obls),
        (),
        tuple((x[0], x[1], tuple(x[2]), x[3]) for x in excls),
        tuple(und),
        fund_derived + (known(req), known(below), known(excess)),
    )


# the subjects each rule concerns (its party; the application when it reads application.kind)
CONCERNS = concerns(
    (
        ("unit",),
        (
            "quota.public_sector.duty",
            "quota.pooling.area",
            "outlets.postal_kiosk_reserve",
            "tax.vat_refund",
            "auxiliary_employment.institution_support",
            "rural_base.placement_support",
            "rural_base.household_support",
            "blind_massage.institution_support",
            "blind_massage.medical_institution_support",
            "blind_massage.medical_insurance_designation",
            "blind_massage.standardisation_grant",
            "blind_massage.standardisation_annual",
            "training.district_base",
            "reward.excess_quota",
            "award.exclusion.unit",
            "award.exclusion.head",
        ),
    ),
    (("unit", "hire"), ("subsidy.graduate_hire",)),
    (
        ("application", "person"),
        (
            "recruitment.accommodation",
            "outlets.postal_kiosk_fees",
            "lottery.priority",
            "tobacco.priority",
            "tobacco.first_application_spacing",
            "startup.individual_business_grant",
            "public_welfare_post.priority",
            "training.rural_practical",
            "graduate.public_welfare_post",
            "startup.graduate_subsidy",
            "education.aid.secondary_vocational",
            "education.aid.junior_college",
            "education.aid.bachelor",
            "education.aid.postgraduate",
        ),
    ),
    (
        ("person",),
        (
            "startup.individual_business_insurance",
            "public_welfare_post.zero_employment_household",
            "lowbao.phase_out",
            "graduate.free_services",
            "graduate.priority_recommendation",
        ),
    ),
)
