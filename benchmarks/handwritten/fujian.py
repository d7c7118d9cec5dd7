"""The whole fujian pack (福建省促進殘疾人就業三年行動方案（2025—2027年）, 33 rules with its parent's), by hand.

Same decisions and figures as the engine for any case, missing facts included,
returned as the tuples ``common.project`` makes of a Result.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .common import FUND_RULES, A, O, _m, amt, b, concerns, eq, ge, isin, known, project, subjects, withhold  # noqa: F401
from .common import fund as national_fund

FROM, UNTIL = date(2025, 6, 25), date(2027, 12, 31)
QUOTA = Decimal("0.015")
D1 = Decimal(1)
PROV_PREF = frozenset(["province", "prefecture"])
COUNTY_TOWNSHIP = frozenset(["county", "township"])
WORKING = frozenset(["employed", "self_employed", "flexible"])

_PATHS = (
    "unit.staff",
    "place.employment_quota_ratio",
    "unit.disabled_employees",
    "unit.area_disabled_placed",
    "unit.area_establishment_total",
    "unit.admin_level",
    "unit.kind",
    "unit.establishment_size",
    "unit.is_school",
    "unit.guarantee_fund_paid",
    "application.kind",
    "person.disability.certified",
    "person.can_perform_duties",
    "unit.is_concentrated_employment_unit",
    "unit.is_auxiliary_employment_institution",
    "unit.meets_vat_refund_conditions",
    "unit.meets_land_use_tax_conditions",
    "person.employment",
    "person.poverty_alleviated",
    "person.weak_labour",
    "person.seeks_work",
    "unit.privately_founded",
    "place.area_kind",
    "place.many_disabled_people",
    "place.auxiliary_employment_institutions",
    "unit.is_blind_medical_massage_institution",
    "unit.holds_medical_practice_licence",
    "unit.meets_medical_insurance_designation_conditions",
    "unit.is_blind_massage_institution",
    "person.recognised_employment_difficulty",
    "unit.is_hr_service_agency",
    "unit.is_labour_dispatch_agency",
    "unit.serves_disabled_jobseekers",
    "person.needs_employment_service",
    "unit.labour_intensive",
    "unit.years_noncompliant_unpaid",
    "person.lowbao.household_receives",
    "person.lowbao.household_income_per_capita",
    "place.lowbao_standard",
    "person.lowbao.left_after_employment",
)
M = {p: _m(p) for p in _PATHS}
EXCLUSION_TOPICS = ()

# entitlements with no figure given (按规定给予…): (rule, topic)
NO_FIGURE = {
    "tax.wage_super_deduction.fujian": "tax.wage_super_deduction",
    "tax.vat_refund.fujian": "tax.vat_refund",
    "tax.land_use_tax.fujian": "tax.land_use_tax",
    "quota.guarantee_fund_reduction.fujian": "quota.guarantee_fund_reduction",
    "employment.flexible_insurance_subsidy.fujian": "employment.flexible_insurance_subsidy",
    "lottery.deposit_reduction.fujian": "lottery.deposit_reduction",
    "tobacco.retail_spacing.fujian": "tobacco.retail_spacing",
    "auxiliary_employment.institution_support.fujian_private": "auxiliary_employment.institution_support",
    "blind_massage.institution_support.fujian_clinic": "blind_massage.institution_support",
    "auxiliary_employment.institution_support.fujian_blind_massage": "auxiliary_employment.institution_support",
    "reward.employment_service_provider.fujian": "reward.employment_service_provider",
    "training.in_post.fujian": "training.in_post",
    "training.vocational.fujian_subsidy": "training.vocational",
}
# entitlements with no amount at all: (rule, topic)
NO_AMOUNT = {
    "recruitment.accommodation.fujian": "recruitment.accommodation",
    "procurement.soe_priority.fujian": "procurement.soe_priority",
    "tobacco.home_service.fujian": "tobacco.home_service",
    "railway.shop_priority.fujian": "railway.shop_priority",
    "employment.fallback_guarantee.fujian": "employment.fallback_guarantee",
    "blind_massage.medical_insurance_designation.fujian": "blind_massage.medical_insurance_designation",
    "employment.assistance.fujian": "employment.assistance",
    "lowbao.reentry.fujian": "lowbao.reentry",
}


def _lt(a, am, b_, bm):
    """a < b with both possibly missing: the union of what is missing."""
    if a is None:
        return am | bm if b_ is None else am
    if b_ is None:
        return bm
    return a < b_


def evaluate(f: dict, as_of: date):
    if as_of < FROM or as_of > UNTIL:
        return (False,)
    g = f.get
    staff, dis, kind = g("unit.staff"), g("unit.disabled_employees"), g("unit.kind")
    ak, cert = g("application.kind"), g("person.disability.certified")

    req = M["unit.staff"] if staff is None else staff * QUOTA
    if dis is None:
        below = M["unit.disabled_employees"] | req if req.__class__ is frozenset else M["unit.disabled_employees"]
    elif req.__class__ is frozenset:
        below = req
    else:
        below = dis < req
    placed, total = g("unit.area_disabled_placed"), g("unit.area_establishment_total")
    area_below = _lt(
        placed,
        M["unit.area_disabled_placed"],
        None if total is None else total * QUOTA,
        M["unit.area_establishment_total"],
    )

    ratio = g("place.employment_quota_ratio")
    fund_conds, fund_obls, fund_ents, fund_derived = national_fund(
        g, M["place.employment_quota_ratio"] if ratio is None else ratio
    )
    owed = fund_conds[0][1]
    c = dict(fund_conds)
    admin = g("unit.admin_level")
    est, school = g("unit.establishment_size"), g("unit.is_school")
    public = O(
        A(eq(kind, "party_government_agency", M["unit.kind"]), ge(est, 50, M["unit.establishment_size"])),
        A(
            eq(kind, "public_institution", M["unit.kind"]),
            ge(est, 67, M["unit.establishment_size"]),
            M["unit.is_school"] if school is None else not school,
        ),
    )
    prov = isin(admin, PROV_PREF, M["unit.admin_level"])
    has_disabled = ge(dis, 1, M["unit.disabled_employees"])
    c["quota.public_sector.fujian_min_one"] = A(prov, public, below)
    c["quota.guarantee_fund.fujian_still_below"] = A(prov, public, has_disabled, below)
    local = eq(kind, "local_government", M["unit.kind"])
    c["quota.pooling.fujian"] = A(local, isin(admin, COUNTY_TOWNSHIP, M["unit.admin_level"]), area_below)
    cert_ = b(cert, M["person.disability.certified"])
    a_rec = eq(ak, "public_sector_recruitment", M["application.kind"])
    c["recruitment.non_discrimination.fujian"] = A(
        a_rec, cert_, b(g("person.can_perform_duties"), M["person.can_perform_duties"])
    )
    c["recruitment.accommodation.fujian"] = A(a_rec, cert_)
    c["quota.soe_job_fair.fujian"] = A(eq(kind, "state_owned_enterprise", M["unit.kind"]), below)
    c["job_fairs.local.fujian"] = A(local, isin(admin, COUNTY_PREFECTURE, M["unit.admin_level"]))
    conc = b(g("unit.is_concentrated_employment_unit"), M["unit.is_concentrated_employment_unit"])
    aux = b(g("unit.is_auxiliary_employment_institution"), M["unit.is_auxiliary_employment_institution"])
    c["procurement.soe_priority.fujian"] = O(conc, aux)
    c["tax.wage_super_deduction.fujian"] = A(isin(kind, ENTERPRISES, M["unit.kind"]), has_disabled)
    c["tax.vat_refund.fujian"] = b(g("unit.meets_vat_refund_conditions"), M["unit.meets_vat_refund_conditions"])
    c["tax.land_use_tax.fujian"] = b(g("unit.meets_land_use_tax_conditions"), M["unit.meets_land_use_tax_conditions"])
    c["quota.guarantee_fund_reduction.fujian"] = owed
    employment = g("person.employment")
    c["employment.flexible_insurance_subsidy.fujian"] = A(
        eq(ak, "flexible_employment_insurance_subsidy", M["application.kind"]),
        cert_,
        eq(employment, "flexible", M["person.employment"]),
    )
    c["lottery.deposit_reduction.fujian"] = A(eq(ak, "lottery_outlet", M["application.kind"]), cert_)
    tob = A(eq(ak, "tobacco_retail_licence", M["application.kind"]), cert_)
    c["tobacco.retail_spacing.fujian"] = tob
    c["tobacco.home_service.fujian"] = tob
    c["railway.shop_priority.fujian"] = A(eq(ak, "railway_station_shop", M["application.kind"]), cert_)
    c["employment.fallback_guarantee.fujian"] = A(
        cert_,
        b(g("person.poverty_alleviated"), M["person.poverty_alleviated"]),
        b(g("person.weak_labour"), M["person.weak_labour"]),
        b(g("person.seeks_work"), M["person.seeks_work"]),
    )
    c["auxiliary_employment.institution_support.fujian_private"] = A(
        aux, b(g("unit.privately_founded"), M["unit.privately_founded"])
    )
    area_kind = g("place.area_kind")
    c["auxiliary_employment.area_minimum.fujian"] = A(
        local,
        O(
            eq(area_kind, "urban_district", M["place.area_kind"]),
            A(
                eq(area_kind, "county", M["place.area_kind"]),
                b(g("place.many_disabled_people"), M["place.many_disabled_people"]),
            ),
        ),
    )
    bmmi = b(g("unit.is_blind_medical_massage_institution"), M["unit.is_blind_medical_massage_institution"])
    c["blind_massage.institution_support.fujian_clinic"] = A(
        bmmi, b(g("unit.holds_medical_practice_licence"), M["unit.holds_medical_practice_licence"])
    )
    c["blind_massage.medical_insurance_designation.fujian"] = A(
        bmmi,
        b(
            g("unit.meets_medical_insurance_designation_conditions"),
            M["unit.meets_medical_insurance_designation_conditions"],
        ),
    )
    c["auxiliary_employment.institution_support.fujian_blind_massage"] = A(
        b(g("unit.is_blind_massage_institution"), M["unit.is_blind_massage_institution"]), conc
    )
    c["employment.assistance.fujian"] = A(
        cert_, b(g("person.recognised_employment_difficulty"), M["person.recognised_employment_difficulty"])
    )
    c["reward.employment_service_provider.fujian"] = A(
        O(
            b(g("unit.is_hr_service_agency"), M["unit.is_hr_service_agency"]),
            b(g("unit.is_labour_dispatch_agency"), M["unit.is_labour_dispatch_agency"]),
        ),
        b(g("unit.serves_disabled_jobseekers"), M["unit.serves_disabled_jobseekers"]),
    )
    c["employment.service_minimum.fujian"] = A(
        cert_, b(g("person.needs_employment_service"), M["person.needs_employment_service"])
    )
    c["enforcement.employer_training.fujian"] = A(
        b(g("unit.labour_intensive"), M["unit.labour_intensive"]),
        ge(g("unit.years_noncompliant_unpaid"), 3, M["unit.years_noncompliant_unpaid"]),
    )
    c["training.in_post.fujian"] = A(conc, has_disabled)
    c["training.vocational.fujian_subsidy"] = A(eq(ak, "vocational_training", M["application.kind"]), cert_)
    income, standard = g("person.lowbao.household_income_per_capita"), g("place.lowbao_standard")
    income_m, standard_m = M["person.lowbao.household_income_per_capita"], M["place.lowbao_standard"]
    c["lowbao.phase_out.fujian"] = A(
        b(g("person.lowbao.household_receives"), M["person.lowbao.household_receives"]),
        isin(employment, WORKING, M["person.employment"]),
        _lt(standard, standard_m, income, income_m),  # income > standard
    )
    c["lowbao.reentry.fujian"] = A(
        eq(ak, "lowbao_readmission", M["application.kind"]),
        b(g("person.lowbao.left_after_employment"), M["person.lowbao.left_after_employment"]),
        eq(employment, "unemployed", M["person.employment"]),
        _not_lt(standard, standard_m, income, income_m),  # income <= standard
    )

    subj = subjects(f)
    und = [(rid, v) for rid, v in c.items() if v.__class__ is frozenset and v and CONCERNS[rid] <= subj]
    ents, obls, sancs, excls = fund_ents, fund_obls, [], []
    fund = g("unit.guarantee_fund_paid")
    fund_status = "unknown" if fund is None else ("met" if fund else "unmet")
    for rid, v in c.items():
        if v is not True or rid in FUND_RULES:
            continue
        if rid == "quota.public_sector.fujian_min_one":
            obls.append((rid, amt(value=D1, total=D1), "met" if dis >= 1 else "due"))
        elif rid in ("quota.guarantee_fund.fujian_still_below", "quota.pooling.fujian"):
            obls.append((rid, amt(), fund_status))
        elif rid == "recruitment.non_discrimination.fujian":
            obls.append((rid, None, "unknown"))
        elif rid in ("quota.soe_job_fair.fujian", "job_fairs.local.fujian"):
            obls.append((rid, amt(value=D1, total=D1), "unknown"))
        elif rid == "auxiliary_employment.area_minimum.fujian":
            n = g("place.auxiliary_employment_institutions")
            obls.append((rid, amt(value=D1, total=D1), "unknown" if n is None else ("met" if n >= 1 else "unmet")))
        elif rid == "enforcement.employer_training.fujian":
            ents.append([rid, amt(value=D1, total=D1), None, None, (), "enforcement.employer_training"])
        elif rid == "employment.service_minimum.fujian":
            ents.append([rid, amt(value=D1, total=D1), None, None, (), "employment.service_minimum"])
        elif rid == "lowbao.phase_out.fujian":
            ents.append([rid, amt(mn=Decimal(6), mx=Decimal(12)), None, None, (), "lowbao.phase_out"])
        elif rid in NO_FIGURE:
            ents.append([rid, amt(), None, None, (), NO_FIGURE[rid]])
        else:
            ents.append([rid, None, None, None, (), NO_AMOUNT[rid]])

    kept = withhold(ents, excls, und, c, EXCLUSION_TOPICS)
    return (
        True,
        tuple((e[0], e[1], e[2], e[3], e[4]) for e in kept),
        tuple(obls),
        tuple(sancs),
        (),
        tuple(und),
        fund_derived + (known(req), known(below), known(area_below)),
    )


def _not_lt(a, am, b_, bm):
    """``b <= a`` as ``not (a < b)``: ``income <= standard`` is ``not (standard < income)``."""
    v = _lt(a, am, b_, bm)
    return v if v.__class__ is frozenset else not v


ENTERPRISES = frozenset(["state_owned_enterprise", "private_enterprise", "individual_business"])
COUNTY_PREFECTURE = frozenset(["county", "prefecture"])

# the subjects each rule concerns (its party; the application when it reads application.kind)
CONCERNS = concerns(
    (
        ("unit",),
        (
            "quota.public_sector.fujian_min_one",
            "quota.guarantee_fund.fujian_still_below",
            "quota.pooling.fujian",
            "quota.soe_job_fair.fujian",
            "job_fairs.local.fujian",
            "procurement.soe_priority.fujian",
            "tax.wage_super_deduction.fujian",
            "tax.vat_refund.fujian",
            "tax.land_use_tax.fujian",
            "quota.guarantee_fund_reduction.fujian",
            "auxiliary_employment.institution_support.fujian_private",
            "auxiliary_employment.area_minimum.fujian",
            "blind_massage.institution_support.fujian_clinic",
            "blind_massage.medical_insurance_designation.fujian",
            "auxiliary_employment.institution_support.fujian_blind_massage",
            "reward.employment_service_provider.fujian",
            "enforcement.employer_training.fujian",
            "training.in_post.fujian",
        ),
    ),
    (("application", "unit"), ("recruitment.non_discrimination.fujian",)),
    (
        ("application", "person"),
        (
            "recruitment.accommodation.fujian",
            "employment.flexible_insurance_subsidy.fujian",
            "lottery.deposit_reduction.fujian",
            "tobacco.retail_spacing.fujian",
            "tobacco.home_service.fujian",
            "railway.shop_priority.fujian",
            "training.vocational.fujian_subsidy",
            "lowbao.reentry.fujian",
        ),
    ),
    (
        ("person",),
        (
            "employment.fallback_guarantee.fujian",
            "employment.assistance.fujian",
            "employment.service_minimum.fujian",
            "lowbao.phase_out.fujian",
        ),
    ),
)
