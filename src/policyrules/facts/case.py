"""The fact vocabulary: one typed case model shared by every pack.

A case describes one situation to decide: a disabled person, the employer or
unit, the place, the employment relation between them and the application
being decided. Every field is optional; a missing fact is never guessed, it
is reported with the outcomes that need it.

Every field documents its Chinese term (``zh``) and, for numbers, its unit;
``policyrules.vocabulary`` reads these to type-check pack expressions, and
docs/vocabulary.md is generated from them.
"""

from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, Field, model_validator

from policyrules.errors import Invalid
from policyrules.types import STRICT, Count, Grade, IsoDate, NonNegative, Share, Text


def fact(zh: str, description: str, unit: str | None = None) -> Any:
    extra: dict[str, str] = {"zh": zh}
    if unit is not None:
        extra["unit"] = unit
    return Field(default=None, description=description, json_schema_extra=extra)


DisabilityCategory = Literal["visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple"]
EducationLevel = Literal["secondary_vocational", "junior_college", "bachelor", "postgraduate"]
AdminLevel = Literal["township", "county", "prefecture", "province", "national"]


class Disability(BaseModel):
    model_config = STRICT
    category: Optional[DisabilityCategory] = fact(
        "残疾类别",
        "视力 visual, 听力 hearing, 言语 speech, 肢体 physical, 智力 intellectual, 精神 mental, 多重 multiple",
    )
    grade: Optional[Grade] = fact("残疾等级", "一级 (most severe) to 四级; 一级 and 二级 are 重度 (severe)")
    certified: Optional[bool] = fact("持残疾人证", "holds a disability certificate (残疾人证)")


class Graduation(BaseModel):
    model_config = STRICT
    level: Optional[EducationLevel] = fact(
        "学历层次", "中专 secondary_vocational, 专科 junior_college, 本科 bachelor, 研究生 postgraduate"
    )
    year: Optional[Count] = fact(
        "毕业年份", "calendar year of graduation (when only the date is given, the date's year)", "year"
    )
    full_time: Optional[bool] = fact("全日制", "graduated from full-time study")
    date: Optional[IsoDate] = fact("毕业日期", "date of graduation (year alone gives only the calendar year)")

    @model_validator(mode="after")
    def _year_of_date(self) -> Graduation:
        if self.year is not None and self.date is not None and self.year != self.date.year:
            raise Invalid("case.graduation_year", year=self.year, date=self.date.isoformat())
        return self


class Lowbao(BaseModel):
    model_config = STRICT
    household_receives: Optional[bool] = fact(
        "低保家庭", "the household currently receives minimum living allowance (最低生活保障)"
    )
    household_income_per_capita: Optional[NonNegative] = fact(
        "家庭人均收入", "monthly household income per head after the person found work", "CNY/month"
    )
    no_longer_qualifies: Optional[bool] = fact("不再符合低保条件", "the household no longer meets the 低保 conditions")
    ceases_reason: Optional[Literal["employment", "living_improvement", "other"]] = fact(
        "不再符合低保条件的原因",
        "why the household no longer qualifies: 因就业 employment, 家庭经济、生活状况改善 living_improvement, other",
    )
    left_after_employment: Optional[bool] = fact(
        "因就业退出低保", "the household left 低保 (after any phase-out period) because the person found work"
    )


class Business(BaseModel):
    model_config = STRICT
    kind: Optional[Literal["individual_business", "small_micro_enterprise", "blind_massage_shop", "other"]] = fact(
        "创业实体类型", "个体工商户 individual business, 小微企业 small/micro enterprise, 盲人按摩店 blind massage shop"
    )
    licensed_on: Optional[IsoDate] = fact(
        "取得营业执照之日", "date the business licence (or other legal registration) was obtained"
    )
    first_business: Optional[bool] = fact("首次创业", "the person's first business (首次开办)")
    operating: Optional[bool] = fact("正常运营", "the business is actually running (正常运营), not dormant")
    rents_premises: Optional[bool] = fact(
        "租用经营场地",
        "the business rents its premises (whether they lie in the jurisdiction is place.in_jurisdiction)",
    )
    monthly_rent: Optional[NonNegative] = fact("实际月租金", "actual rent paid for the premises", "CNY/month")
    pension_medical_due_min_base: Optional[NonNegative] = fact(
        "按个体经济组织从业人员最低缴费标准应缴基本养老、基本医疗保险",
        "basic pension plus basic medical insurance contributions due for the year, at the local minimum contribution "
        "standard for workers of individual economic organisations",
        "CNY/year",
    )


class PublicWelfarePost(BaseModel):
    model_config = STRICT
    placed_on: Optional[IsoDate] = fact(
        "本次公益性岗位安置日期", "date the current (or decided) public-welfare-post placement started"
    )
    placements: Optional[Count] = fact(
        "累计安置次数", "public-welfare-post placements so far, not counting the one being decided", "session"
    )
    receives_subsidy: Optional[bool] = fact("享受公益性岗位补贴", "currently receives a public-welfare-post subsidy")
    subsidy_expired: Optional[bool] = fact("补贴期满", "the subsidy period of the last placement has ended")
    other_channels_failed: Optional[bool] = fact(
        "难以通过其他渠道实现就业", "still cannot find work through other channels"
    )


class Person(BaseModel):
    model_config = STRICT
    disability: Optional[Disability] = fact("残疾情况", "the person's disability; absent if the person is not disabled")
    parent_disabled: Optional[bool] = fact("父母为残疾人", "a parent of the person is disabled (残疾人子女)")
    age: Optional[Count] = fact("年龄", "age in whole years", "year")
    years_to_retirement: Optional[NonNegative] = fact(
        "距离退休年龄", "years left until statutory retirement age", "year"
    )
    rural: Optional[bool] = fact("农村（牧区）户籍或居住", "lives in a rural or pastoral area (农村牧区)")
    hukou_place: Optional[Text] = fact("户籍所在地", "registered residence (county or district)")
    employment: Optional[Literal["unemployed", "employed", "self_employed", "flexible"]] = fact(
        "就业状态", "未就业 unemployed, 就业 employed by a unit, 自主创业 self-employed, 灵活就业 flexible employment"
    )
    lowbao: Optional[Lowbao] = fact("低保", "minimum living allowance status of the household")
    graduation: Optional[Graduation] = fact("毕业情况", "the person's highest completed education")
    student_level: Optional[EducationLevel] = fact("在读学历层次", "level of study the person is enrolled in now")
    at_vocational_college: Optional[bool] = fact(
        "在中高等职业院校就读",
        "enrolled at a secondary or higher vocational school (中高等职业院校), not a general university",
    )
    trainings_this_year: Optional[Count] = fact(
        "本年度已参加培训次数", "vocational training sessions already subsidised this year", "session"
    )
    business: Optional[Business] = fact("自主创业实体", "the person's own business")
    social_insurance_paid_last_year: Optional[NonNegative] = fact(
        "上一年度实际缴纳社会保险金额", "social insurance contributions the person actually paid last year", "CNY/year"
    )
    blind_massage_practitioner: Optional[bool] = fact("盲人按摩从业人员", "works as a blind massage practitioner")
    blind_massage_subsidy_years: Optional[Count] = fact(
        "已享受盲人按摩社保补贴年限", "years of blind-massage social insurance subsidy already received", "year"
    )
    medical_massage_qualification: Optional[bool] = fact(
        "全国医疗按摩资格", "holds the national blind medical massage qualification"
    )
    special_hardship: Optional[bool] = fact(
        "特殊困难人员", "recognised locally as a person in special hardship (besides severe disability)"
    )
    public_welfare_post: Optional[PublicWelfarePost] = fact("公益性岗位", "the person's public-welfare-post history")
    holds_preferential_tobacco_licence: Optional[bool] = fact(
        "已持优待烟草零售许可证", "already holds a tobacco retail licence granted under preferential conditions"
    )
    seeks_work: Optional[bool] = fact("有就业意愿", "wishes to work")
    household_has_disabled: Optional[bool] = fact(
        "残疾人家庭", "the person's household has a certified disabled member (the person may be that member)"
    )
    returning_migrant_worker: Optional[bool] = fact(
        "返乡创业农民工", "a migrant worker who returned home to start a business"
    )
    hukou_in_jurisdiction: Optional[bool] = fact(
        "本地户籍", "the person's registered residence (户籍) is within the jurisdiction of the pack's document"
    )
    disabled_relative: Optional[bool] = fact(
        "残疾人亲属", "a relative of a disabled person (the person need not be disabled)"
    )
    household_elderly_supports_disabled: Optional[bool] = fact(
        "依老养残家庭成员", "member of a household where elderly parents support a disabled member"
    )
    household_multiple_disabled: Optional[bool] = fact(
        "一户多残家庭成员", "member of a household with more than one disabled member"
    )
    household_zero_employment: Optional[bool] = fact(
        "“零就业”残疾人家庭", "member of a disabled household in which nobody is employed"
    )
    in_auxiliary_employment: Optional[bool] = fact(
        "辅助性就业援助对象",
        "assisted (援助对象) by an auxiliary-employment institution, e.g. a sunshine base (阳光基地)",
    )
    supported_by_rural_disability_org: Optional[bool] = fact(
        "扶残涉农经济组织扶持对象", "supported by a rural economic organisation that helps disabled people"
    )
    hardship_household: Optional[bool] = fact(
        "困难家庭", "member of a household in hardship: 生活困难农户, 低保 or 低收入 (low-income) household"
    )
    recognised_employment_difficulty: Optional[bool] = fact(
        "就业困难人员", "recognised as a person with employment difficulties under the local criteria"
    )
    poverty_alleviated: Optional[bool] = fact("脱贫人口", "registered as a person lifted out of poverty")
    weak_labour: Optional[bool] = fact("半劳动力、弱劳动力", "has only partial or weak capacity to work")
    needs_employment_service: Optional[bool] = fact("有就业服务需求", "asks for or needs employment services")
    free_training_value_this_year: Optional[NonNegative] = fact(
        "本年度已享受免费技能培训金额", "value of free skills training already received this calendar year", "CNY"
    )
    can_perform_duties: Optional[bool] = fact(
        "残疾不影响履行工作职责", "the person's disability does not affect performing the duties of the post"
    )
    disability_support_leader: Optional[bool] = fact(
        "助残致富带头人", "recognised as a leader who helps disabled people prosper (助残致富带头人)"
    )


class DisabledEmployee(BaseModel):
    """One disabled employee of the unit, as the employment security fund counts them (a list item)."""

    model_config = STRICT
    name: Optional[Text] = fact("姓名或工号", "a name or staff number, to tell the records apart in reports")
    certificate: Literal["disability", "disabled_soldier"] = Field(
        description="《中华人民共和国残疾人证》 disability, 《中华人民共和国残疾军人证》 disabled_soldier",
        json_schema_extra={"zh": "证件类型"},
    )
    grade: Literal[1, 2, 3, 4, 5, 6, 7, 8, 9, 10] = Field(
        description="grade printed on the certificate: 1–4 for a 残疾人证, 1–10 for a 残疾军人证",
        json_schema_extra={"zh": "残疾等级"},
    )
    on_establishment: Optional[bool] = fact("在编人员", "recruited as 在编 (establishment) staff")
    working_age: Optional[bool] = fact("就业年龄段内", "of working age (16 to the statutory retirement age)")
    contract_months: Optional[Count] = fact(
        "劳动合同（服务协议）期限", "length of the labour contract or service agreement", "month"
    )
    monthly_wage: Optional[NonNegative] = fact("实际支付的月工资", "monthly wage actually paid", "CNY/month")
    social_insurance_full: Optional[bool] = fact("足额缴纳社会保险费", "the unit pays the social insurance in full")

    @model_validator(mode="after")
    def _grade_fits_certificate(self) -> DisabledEmployee:
        if self.certificate == "disability" and self.grade > 4:
            raise Invalid("case.certificate_grade", grade=self.grade)
        return self


class SeasonalWork(BaseModel):
    """Seasonal workers of the unit last year, one batch of them (a list item), as the fund converts them."""

    model_config = STRICT
    name: Optional[Text] = fact("岗位或批次", "a post or a batch of hires, to tell the records apart in reports")
    workers: Count = Field(
        description="seasonal workers in this batch", json_schema_extra={"zh": "季节性用工人数", "unit": "person"}
    )
    months: Literal[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] = Field(
        description="months each of them worked for the unit last year (1 to 12)",
        json_schema_extra={"zh": "用工月数", "unit": "month"},
    )


class YearWage(BaseModel):
    """The unit's average annual wage of one calendar year (a list item)."""

    model_config = STRICT
    year: Count = Field(description="the calendar year the wages were paid in", json_schema_extra={"zh": "年度"})
    average_annual_wage: NonNegative = Field(
        description="that year's total wages divided by staff (财税〔2015〕72号 第八条)",
        json_schema_extra={"zh": "在职职工年平均工资", "unit": "CNY/person/year"},
    )


AT_MOST: tuple[tuple[str, str, int], ...] = (
    # disabled_employees is a count as the quota counts (财税〔2015〕72号 第七条): an employee of a severe
    # grade counts as 2, so a unit of 1 whose one employee is of grade 1 has a count of 2. Head counts
    # are compared with head counts: a list (unit.disabled_staff) by its persons, a count by twice the staff.
    ("unit.disabled_employees", "unit.staff", 2),
    ("unit.blind_medical_masseurs", "unit.staff", 1),
    ("unit.dispatched_disabled_severe", "unit.dispatched_disabled", 1),
)
"""Invariants between unit facts: the first never exceeds the second times the third (checked by ``Unit``).

Cases generated for tests (``policyrules.testing``) keep within the second alone, a subset that is always valid.
"""


ZERO_WHEN: tuple[tuple[str, str, str], ...] = (
    # no_dispatch says the unit has no disabled workers in labour dispatch: a count above 0 contradicts it
    ("unit.dispatched_disabled", "unit.dispatch_counted_by", "no_dispatch"),
)
"""A count that is 0 whenever a choice fact has the given value (checked by ``Unit``; generated cases keep it)."""

# The same, by the Unit field names (read on every case validated)
_AT_MOST_FIELDS = tuple((small.split(".")[1], large.split(".")[1], times) for small, large, times in AT_MOST)
_ZERO_WHEN_FIELDS = tuple((count.split(".")[1], choice.split(".")[1], value) for count, choice, value in ZERO_WHEN)


UnitKind = Literal[
    "party_government_agency",
    "public_institution",
    "state_owned_enterprise",
    "private_enterprise",
    "individual_business",
    "social_organisation",
    "local_government",
    "other",
]


class Unit(BaseModel):
    model_config = STRICT
    kind: Optional[UnitKind] = fact(
        "单位性质",
        "党政机关 party/government agency, 事业单位 public institution, 国有企业 SOE, 民营企业 private enterprise, "
        "个体工商户 individual business, 社会组织 social organisation, "
        "区县、街道（镇）人民政府 local_government (a district, county, sub-district or town as the area that pools the quota)",
    )
    admin_level: Optional[AdminLevel] = fact(
        "行政级别", "乡镇级 township, 县级(旗县级) county, 地市级 prefecture, 省级 province, 国家级 national"
    )
    is_school: Optional[bool] = fact("中小学、幼儿园", "a primary or secondary school or a kindergarten")
    is_disabled_persons_federation: Optional[bool] = fact("残联机关", "the organ of a disabled persons' federation")
    is_hospital: Optional[bool] = fact("医院", "a hospital")
    is_medical_institution: Optional[bool] = fact("医疗机构", "a medical institution")
    is_blind_massage_institution: Optional[bool] = fact("盲人按摩机构", "a blind (health-care) massage institution")
    is_blind_medical_massage_institution: Optional[bool] = fact(
        "盲人医疗按摩机构", "a blind medical massage institution (盲人医疗按摩所)"
    )
    is_auxiliary_employment_institution: Optional[bool] = fact(
        "残疾人辅助性就业机构", "an auxiliary-employment institution"
    )
    is_labour_dispatch_agency: Optional[bool] = fact("劳务派遣机构", "a labour-dispatch agency")
    is_rural_employment_base: Optional[bool] = fact(
        "农村就业基地", "a rural employment or poverty-relief base for disabled people"
    )
    is_small_micro: Optional[bool] = fact("小微企业", "a small or micro enterprise")
    is_concentrated_employment_unit: Optional[bool] = fact(
        "集中安排残疾人就业机构", "a unit concentrating disabled employment (福利企业 etc.)"
    )
    fiscally_funded: Optional[bool] = fact("财政拨款的单位", "funded by fiscal appropriation")
    establishment_size: Optional[Count] = fact("编制数", "approved establishment posts (编制)", "person")
    staff: Optional[Count] = fact("在职职工总数", "total staff on the payroll", "person")
    disabled_employees: Optional[Count] = fact(
        "安排残疾人就业人数", "disabled people employed, as counted for the quota", "person"
    )
    blind_medical_masseurs: Optional[Count] = fact(
        "具有医疗按摩资格的盲人", "blind employees holding the national medical massage qualification", "person"
    )
    has_vacant_establishment: Optional[bool] = fact("有空编", "has vacant establishment posts")
    guarantee_fund_paid: Optional[bool] = fact(
        "足额缴纳残疾人就业保障金", "paid the employment guarantee fund in full and on time"
    )
    new_outlets: Optional[Count] = fact(
        "新增便民服务网点数", "new kiosks, stalls or outlets the unit is setting up", "outlet"
    )
    runs_public_market: Optional[bool] = fact(
        "政府和街道兴办贸易市场", "a government or sub-district body setting up a market or outlets"
    )
    builds_postal_kiosks: Optional[bool] = fact(
        "新增建设邮政报刊零售亭", "the unit is building new postal newspaper kiosks (new_outlets counts them)"
    )
    area_establishment_total: Optional[Count] = fact(
        "辖区机关和事业单位编制总数",
        "local_government: total 编制 of the agencies and public institutions of the area",
        "person",
    )
    area_disabled_placed: Optional[Count] = fact(
        "辖区机关和事业单位安置残疾人就业人数",
        "local_government: disabled people employed by the area's agencies and institutions",
        "person",
    )
    meets_vat_refund_conditions: Optional[bool] = fact(
        "符合增值税即征即退条件",
        "meets the conditions of the VAT refund-on-collection scheme for employers of disabled people",
    )
    households_driven: Optional[Count] = fact(
        "辐射带动残疾人家庭户数", "disabled households a base drives or supports (辐射带动)", "household"
    )
    blind_masseurs: Optional[Count] = fact(
        "符合条件的盲人按摩人员", "eligible blind massage workers the institution employs", "person"
    )
    blind_employees: Optional[Count] = fact("安置盲人数量", "blind people the unit employs", "person")
    blind_massage_standardisation_eligible: Optional[bool] = fact(
        "符合参与盲人按摩机构标准化建设条件", "meets the conditions to take part in blind massage standardisation"
    )
    blind_massage_standardisation_supported: Optional[bool] = fact(
        "已获盲人按摩机构标准化一次性改造扶持", "has already received the one-off standardisation renovation support"
    )
    blind_massage_standardisation_year: Optional[Count] = fact(
        "获得标准化一次性改造扶持的年份", "calendar year the one-off standardisation support was received", "year"
    )
    blind_massage_assessment_passed: Optional[bool] = fact(
        "盲人按摩机构标准化考核合格", "passed this year's standardisation assessment"
    )
    meets_excess_quota_reward_conditions: Optional[bool] = fact(
        "符合超比例安排残疾人就业奖励条件", "meets the (separately set) conditions for the excess-quota reward"
    )
    meets_land_use_tax_conditions: Optional[bool] = fact(
        "符合城镇土地使用税减免条件",
        "meets the conditions of the urban land-use tax relief for employers of disabled people",
    )
    meets_support_conditions: Optional[bool] = fact(
        "符合扶持条件（标准）", "meets the conditions or standards for support set by the competent department"
    )
    is_beautiful_workshop: Optional[bool] = fact("残疾妇女“美丽工坊”", "a 美丽工坊 workshop employing disabled women")
    privately_founded: Optional[bool] = fact("社会力量创办", "founded by non-government (social) actors")
    holds_medical_practice_licence: Optional[bool] = fact(
        "取得医疗机构执业许可证", "holds a medical institution practice licence (医疗机构执业许可证)"
    )
    meets_medical_insurance_designation_conditions: Optional[bool] = fact(
        "符合医保定点条件", "meets the conditions for designation by basic medical insurance"
    )
    is_hr_service_agency: Optional[bool] = fact("经营性人力资源服务机构", "a commercial human-resources service agency")
    serves_disabled_jobseekers: Optional[bool] = fact(
        "为残疾人提供就业服务", "provides employment services to disabled people"
    )
    labour_intensive: Optional[bool] = fact("劳动密集型企业", "a labour-intensive enterprise")
    years_noncompliant_unpaid: Optional[Count] = fact(
        "连续未按比例安排且未缴纳保障金年数",
        "consecutive years (up to now) in which the unit neither met the quota nor paid the guarantee fund",
        "year",
    )
    dispatched_disabled: Optional[Count] = fact(
        "劳务派遣残疾人数",
        "disabled workers dispatched between this unit and the other party (labour-dispatch agency or user unit); "
        "not included in staff or disabled_employees",
        "person",
    )
    dispatch_counted_by: Optional[Literal["this_unit", "other_party", "no_dispatch"]] = fact(
        "劳务派遣残疾人计入方",
        "which party the signed dispatch agreement says counts the dispatched disabled workers: this_unit, other_party; "
        "no_dispatch when the unit has no disabled workers in labour dispatch",
    )
    dispatched_disabled_severe: Optional[Count] = fact(
        "劳务派遣残疾人中重度人数",
        "of dispatched_disabled, those holding a 残疾人证 of grade 1–2 or a 残疾军人证 of grade 1–3 "
        "(each counts as 2 for the party the agreement names: 财税〔2015〕72号 第七条)",
        "person",
    )
    new_outlets_kind: Optional[Literal["convenience_outlet", "market_stall"]] = fact(
        "新增网点类型",
        "what the new outlets are: convenience_outlet (便民服务网点: lottery stations, postal kiosks and the like) "
        "or market_stall (经营性摊位 in markets and pedestrian streets)",
    )
    new_outlets_reserved: Optional[Count] = fact(
        "新增网点预留给残疾人数",
        "of the new outlets (new_outlets), how many are reserved for disabled people",
        "outlet",
    )
    operates_market: Optional[bool] = fact(
        "经营农贸市场、早市、夜市、商业步行街",
        "runs a farmers' market, morning or night market or commercial pedestrian street",
    )
    blind_masseurs_certified: Optional[bool] = fact(
        "盲人医疗按摩人员取得从业资格证书",
        "the unit's blind medical masseurs hold the practice qualification certificate",
    )

    average_annual_wage: Optional[NonNegative] = fact(
        "上年在职职工年平均工资",
        "last year's average annual wage of the unit's staff: total wages divided by staff (财税〔2015〕72号 第八条)",
        "CNY/person/year",
    )
    seasonal_staff_average: Optional[NonNegative] = fact(
        "季节性用工折算的年平均用工人数",
        "last year's seasonal workers not counted in staff, converted to a yearly average as 财税〔2015〕72号 第八条 "
        "requires (months worked summed over the workers, ÷ 12: 12 workers for 3 months = 3). The reader computes it "
        "from unit.seasonal_staff; when a case gives staff and no seasonal workers, staff is read as already holding "
        "them and this is 0",
        "person",
    )
    seasonal_staff: Optional[list[SeasonalWork]] = Field(
        default=None,
        description="last year's seasonal workers, batch by batch (workers and months each); the reader sums "
        "them into seasonal_staff_average (months ÷ 12)",
        json_schema_extra={"zh": "季节性用工名册"},
    )
    average_annual_wages: Optional[list[YearWage]] = Field(
        default=None,
        description="the unit's average annual wage year by year; `policyrules compliance` computes the fund "
        "levied in a year, and what one more hire changes, with the previous year's (上年) wage from this list",
        json_schema_extra={"zh": "历年在职职工年平均工资"},
    )
    disabled_staff: Optional[list[DisabledEmployee]] = Field(
        default=None,
        description="the unit's disabled employees one by one; the reader counts them into disabled_employees "
        "(财税〔2015〕72号 第七条: counting conditions, grades 1–2 / 残疾军人 1–3 count as 2)",
        json_schema_extra={"zh": "残疾职工名册"},
    )

    @model_validator(mode="after")
    def _counts_fit_in_staff(self) -> Unit:
        # A head count that exceeds the payroll is a data error, not a case to decide.
        for small, large, times in _AT_MOST_FIELDS:
            a, b = getattr(self, small), getattr(self, large)
            if a is not None and b is not None and a > b * times:
                key = "case.exceeds_twice" if times == 2 else "case.exceeds"
                raise Invalid(key, small=small, a=a, large=large, b=b)
        for count, choice, value in _ZERO_WHEN_FIELDS:
            k, c = getattr(self, count), getattr(self, choice)
            if c == value and k is not None and k > 0:
                raise Invalid("case.zero_when", count=count, k=k, choice=choice, value=value)
        return self

    @model_validator(mode="after")
    def _one_wage_a_year(self) -> Unit:
        years = [w.year for w in self.average_annual_wages or ()]
        twice = sorted({y for y in years if years.count(y) > 1})
        if twice:
            raise Invalid("case.wage_twice", years=", ".join(map(str, twice)))
        return self


class Place(BaseModel):
    model_config = STRICT
    district: Optional[Text] = fact(
        "区县（旗）", "district, county or banner where the case is decided, as the text names it"
    )
    in_jurisdiction: Optional[bool] = fact(
        "本行政区域内",
        "the place lies within the area the pack's document governs (本市行政区域内 for a city's plan), "
        "whether or not the text names its district",
    )
    monthly_minimum_wage: Optional[NonNegative] = fact("当地月最低工资标准", "local monthly minimum wage", "CNY/month")
    lowbao_standard: Optional[NonNegative] = fact(
        "当地低保标准", "local minimum living allowance standard per head", "CNY/month"
    )
    area_kind: Optional[Literal["urban_district", "county"]] = fact(
        "区县类型", "市辖区 urban_district; 县 or 县级市 county"
    )
    many_disabled_people: Optional[bool] = fact(
        "残疾人较多", "the area has many disabled residents (as the local authority judges)"
    )
    auxiliary_employment_institutions: Optional[Count] = fact(
        "残疾人辅助性就业机构数", "auxiliary-employment institutions in the area", "institution"
    )
    average_social_wage: Optional[NonNegative] = fact(
        "当地社会平均工资", "local average annual social wage (the fund's wage cap is twice it)", "CNY/person/year"
    )
    employment_quota_ratio: Optional[Share] = fact(
        "省级规定的安排残疾人就业比例",
        "the share of staff the province requires to be disabled employees (at least 0.015); "
        "a pack whose text states the ratio uses its own",
    )


class Hire(BaseModel):
    """The employment relation between the person and the unit, when a case has both."""

    model_config = STRICT
    start_date: Optional[IsoDate] = fact(
        "入职（安置）日期", "the day the person started in this job: the date of the hire (安置、吸纳、招录)"
    )
    contract_months: Optional[Count] = fact(
        "劳动合同期限", "length of the signed fixed-term labour contract (absent for an open-ended one)", "month"
    )
    contract_end: Optional[IsoDate] = fact("劳动合同终止日期", "the last day of a fixed-term labour contract")
    open_ended: Optional[bool] = fact(
        "无固定期限劳动合同", "the labour contract is open-ended (longer than any stated contract length)"
    )
    social_insurance: Optional[bool] = fact("办理社会保险", "the employer registered the person for social insurance")
    public_welfare_post: Optional[bool] = fact("公益性岗位", "the job is a public-welfare post")
    months_employed: Optional[Count] = fact(
        "已稳定就业月数", "months the person has been in stable employment in this job", "month"
    )
    recommended_by_unit: Optional[bool] = fact(
        "由本单位推荐", "the unit (e.g. a labour-dispatch agency) recommended the person for the job"
    )


class Training(BaseModel):
    model_config = STRICT
    date: Optional[IsoDate] = fact("培训开始日期", "the day the training session starts")
    days: Optional[Count] = fact("培训天数", "length of the training", "day")
    class_hours: Optional[Count] = fact("培训课时", "length of the training", "hour")
    cost: Optional[NonNegative] = fact("培训费用", "cost of the training applied for", "CNY")
    same_project_level_this_year: Optional[bool] = fact(
        "同一培训项目同一等级一年内已享受", "the same project at the same level was already subsidised within a year"
    )


class Tobacco(BaseModel):
    model_config = STRICT
    first_application: Optional[bool] = fact("首次申请", "the applicant's first tobacco retail licence application")
    normal_spacing: Optional[NonNegative] = fact(
        "正常办证间距", "spacing normally required between retail points here", "m"
    )
    guardian_assists: Optional[bool] = fact("监护人辅助经营", "a guardian will help run the shop")
    partnership_or_hired: Optional[bool] = fact(
        "合伙经营、雇佣经营", "the shop would be run as a partnership or by hired staff"
    )


ApplicationKind = Literal[
    "tobacco_retail_licence",
    "public_welfare_post",
    "flexible_employment_insurance_subsidy",
    "vocational_training",
    "rural_practical_training",
    "rent_subsidy",
    "startup_subsidy",
    "startup_guarantee_loan",
    "lottery_outlet",
    "market_stall",
    "public_sector_recruitment",
    "blind_massage_social_insurance_subsidy",
    "student_aid",
    "postal_kiosk",
    "labour_cooperation",
    "rural_industrial_assistance",
    "railway_station_shop",
    "lowbao_readmission",
    "high_quality_farmer_training",
    "bank_credit",
]


class Application(BaseModel):
    model_config = STRICT
    kind: Optional[ApplicationKind] = fact("申请事项", "what is being applied for or decided")
    date: Optional[IsoDate] = fact(
        "申请日期",
        "the day the application is made; when absent, the date the case is decided as of (stated in the result)",
    )
    training: Optional[Training] = fact("培训", "the training session applied for")
    tobacco: Optional[Tobacco] = fact("烟草专卖零售许可证", "the tobacco retail licence applied for")


class Case(BaseModel):
    """One situation to decide; every part is optional."""

    model_config = STRICT
    person: Optional[Person] = fact("残疾人", "the disabled person (or the child of one) concerned")
    unit: Optional[Unit] = fact("用人单位", "the employer or unit concerned")
    place: Optional[Place] = fact("地点", "where the case is decided")
    hire: Optional[Hire] = fact("就业关系", "the employment relation between person and unit")
    application: Optional[Application] = fact("申请", "the application being decided")

    @model_validator(mode="after")
    def _count_listed_staff(self) -> Case:
        # Lists are read into the numbers rules compare: seasonal workers into their yearly average,
        # disabled employees into their count.
        unit = self.unit
        if unit is not None:
            from .employees import seasonal_average

            average = seasonal_average(unit)
            if average != unit.seasonal_staff_average:
                unit = unit.model_copy(update={"seasonal_staff_average": average})
                self = self.model_copy(update={"unit": unit})
        if unit is None or unit.disabled_staff is None:
            return self
        from .employees import count_list

        counted, verdicts = count_list(unit.disabled_staff, self.place.monthly_minimum_wage if self.place else None)
        persons = sum(1 for v in verdicts if v.weight > 0)  # who count are staff (第八条); each is one person
        if unit.staff is not None and persons > unit.staff:
            raise Invalid("case.listed_over_staff", persons=persons, staff=unit.staff)
        if counted is None:
            return self
        if unit.disabled_employees is not None:
            if unit.disabled_employees != counted:
                raise Invalid("case.count_disagrees", given=unit.disabled_employees, counted=counted)
            return self
        return self.model_copy(update={"unit": unit.model_copy(update={"disabled_employees": counted})})


EventName = Literal["application", "hire", "graduation", "licence", "placement", "training"]

EVENTS: dict[str, str] = {
    "application": "application.date",
    "hire": "hire.start_date",
    "graduation": "person.graduation.date",
    "licence": "person.business.licensed_on",
    "placement": "person.public_welfare_post.placed_on",
    "training": "application.training.date",
}
"""The events a rule may be decided at, each with the fact holding its date.

A rule names its event (``event: hire``); the event's date decides which plan
applies, and a duration may start at an event (``duration: {start: hire}``).
A rule that names none is decided at the application.
"""


def flatten(model: BaseModel | None) -> dict[str, Any]:
    """Case → ``{"person.age": 30, ...}`` holding only the facts that are given (a mapping read by key: in
    no set order)."""
    out: dict[str, Any] = {}
    if model is not None:
        _into(model, _TOP, out)
    return out


class _Paths(dict):  # type: ignore[type-arg]
    """The fields of the models under one prefix -> their paths, each made once: a case's paths are not
    joined again per case (the names are the case models' fields, a few hundred)."""

    __slots__ = ("prefix", "under")

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix
        self.under: dict[str, _Paths] = {}  # a field holding a model -> the paths of its fields

    def __missing__(self, name: str) -> str:
        path = self[name] = self.prefix + name
        return path

    def child(self, name: str) -> _Paths:
        found = self.under.get(name)
        if found is None:
            found = self.under[name] = _Paths(self[name] + ".")
        return found


_TOP = _Paths("")


def _into(model: BaseModel, paths: _Paths, out: dict[str, Any]) -> None:
    values = model.__dict__
    # A given fact is among the fields set (by validation or ``model_copy(update=...)``): no field of a case
    # model has a default but None (a test holds it). A case gives a few of a model's dozens of fields.
    for name in model.__pydantic_fields_set__:
        value = values[name]
        if value is None:
            continue
        nested = _NESTED.get(value.__class__)
        if nested is None:
            nested = _nested(value.__class__)
        # a list is left out: the case reader reads it into facts (unit.disabled_staff → disabled_employees)
        if nested is _VALUE:
            out[paths[name]] = value
        elif nested is _MODEL:
            _into(value, paths.child(name), out)


_VALUE, _MODEL, _LIST = "value", "model", "list"
# A value's class -> what it is to ``flatten``: looked up, as ``isinstance`` against a model (an ABC) is slow.
_NESTED: dict[type, str] = {}


def _nested(cls: type) -> str:
    found = _NESTED[cls] = _MODEL if issubclass(cls, BaseModel) else _LIST if issubclass(cls, list) else _VALUE
    return found
