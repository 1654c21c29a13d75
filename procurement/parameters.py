"""Legal parameters: the RULES.md §18 values as defaults, overridable by the bureau in the admin.

Every number a rule of this app uses is looked up here by key. A LegalParameter row in force on
the given day (effective_from ≤ day < effective_to) overrides the default below, so the bureau
can follow a change in the law from its effective date without a release.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import LegalParameter, LegalParameterUnit

CALENDAR = LegalParameterUnit.CALENDAR_DAYS
WORKING = LegalParameterUnit.WORKING_DAYS
PERCENT = LegalParameterUnit.PERCENT
YUAN = LegalParameterUnit.YUAN
MINUTES = LegalParameterUnit.MINUTES


@dataclass(frozen=True)
class Parameter:
    key: str
    value: Decimal
    unit: str
    label: str
    source: str
    effective_from: dt.date

    @property
    def days(self) -> int:
        return int(self.value)

    @property
    def working(self) -> bool:
        return self.unit == WORKING


# The source of a parameter that is no law but the bureau's own setting.
BUREAU_SETTING = "本市财政局设定（防止误录）"


def _p(key: str, value: str, unit: str, label, source: str, since: str) -> Parameter:
    return Parameter(key, Decimal(value), unit, label, source, dt.date.fromisoformat(since))


# key, value, unit, label, source (regulation and article), effective from. RULES.md §18.
# The source is the Chinese citation (《法规名称》（文号）第X条), as messages quote it inside
# Chinese sentences and the bureau reads it in the admin; migration 0005 moved saved rows to it.
DEFAULTS: dict[str, Parameter] = {
    p.key: p
    for p in [
        _p(
            "intention_min_lead",
            "30",
            CALENDAR,
            _("Intention published before the procurement starts"),
            "《关于开展政府采购意向公开工作的通知》（财库〔2020〕10号）",
            "2020-03-02",
        ),
        _p(
            "tender_bid_period_min",
            "20",
            CALENDAR,
            _("Public tender: documents issued to bid deadline"),
            "《中华人民共和国政府采购法》第三十五条",
            "2003-01-01",
        ),
        _p(
            "consultation_response_min",
            "10",
            CALENDAR,
            _("Competitive consultation: documents issued to response deadline"),
            "《政府采购竞争性磋商采购方式管理暂行办法》（财库〔2014〕214号）第十条",
            "2014-12-31",
        ),
        _p(
            "negotiation_response_min",
            "3",
            WORKING,
            _("Competitive negotiation: documents issued to response deadline"),
            "《政府采购非招标采购方式管理办法》（财政部令第74号）第二十九条",
            "2014-02-01",
        ),
        _p(
            "inquiry_response_min",
            "3",
            WORKING,
            _("Request for quotation: documents issued to response deadline"),
            "《政府采购非招标采购方式管理办法》（财政部令第74号）第四十五条",
            "2014-02-01",
        ),
        _p(
            "consultation_docs_sale_min",
            "5",
            WORKING,
            _("Competitive consultation: documents on sale from their issue"),
            "《政府采购竞争性磋商采购方式管理暂行办法》（财库〔2014〕214号）第十条",
            "2014-12-31",
        ),
        _p(
            "tender_notice_period",
            "5",
            WORKING,
            _("Public tender: announcement period of the tender announcement"),
            "《政府采购货物和服务招标投标管理办法》（财政部令第87号）第十六条",
            "2017-10-01",
        ),
        # RULES.md B-3: 3 working days for the notices of negotiation, consultation and
        # quotation; the circular is not in ../shared/law, so no article is cited.
        _p(
            "nontender_notice_period",
            "3",
            WORKING,
            _("Negotiation, consultation and quotation: announcement period of the notice"),
            "《财政部关于做好政府采购信息公开工作的通知》（财库〔2015〕135号）",
            "2015-07-17",
        ),
        _p(
            "tender_docs_availability_min",
            "5",
            WORKING,
            _("Public tender: tender documents provided from the announcement"),
            "《中华人民共和国政府采购法实施条例》第三十一条；"
            "《政府采购货物和服务招标投标管理办法》（财政部令第87号）第十八条",
            "2017-10-01",
        ),
        _p(
            "tender_clarification_cutoff",
            "15",
            CALENDAR,
            _("Public tender: clarification or amendment before the bid deadline"),
            "《中华人民共和国政府采购法实施条例》第三十一条；"
            "《政府采购货物和服务招标投标管理办法》（财政部令第87号）第二十七条",
            "2015-03-01",
        ),
        _p(
            "consultation_clarification_cutoff",
            "5",
            CALENDAR,
            _("Competitive consultation: clarification before the response deadline"),
            "《政府采购竞争性磋商采购方式管理暂行办法》（财库〔2014〕214号）第十条",
            "2014-12-31",
        ),
        _p(
            "nontender_clarification_cutoff",
            "3",
            WORKING,
            _("Negotiation and quotation: clarification before the response deadline"),
            "《政府采购非招标采购方式管理办法》（财政部令第74号）第二十九条、第四十五条",
            "2014-02-01",
        ),
        # The expert draw and the committee (experts.services.draw; RULES.md §6.1 D-1, D-4).
        # 财库〔2016〕198号 is not in ../shared/law: RULES.md D-4 quotes its Article 14.
        _p(
            "expert_draw_lead_max",
            "2",
            WORKING,
            _("Expert draw: starts no earlier than this before the evaluation"),
            "《政府采购评审专家管理办法》（财库〔2016〕198号）第十四条",
            "2017-01-01",
        ),
        _p(
            "committee_large_budget",
            "10000000",
            YUAN,
            _("Evaluation committee of seven or more from this budget"),
            "《政府采购货物和服务招标投标管理办法》（财政部令第87号）第四十七条",
            "2017-10-01",
        ),
        # Not law: how long a drawn expert has to accept or decline before a replacement is
        # drawn (the evaluation itself bounds it).
        _p(
            "expert_answer_minutes",
            "120",
            MINUTES,
            _("Expert draw: time a drawn expert has to accept or decline"),
            "本市财政局设定（专家答复时限）",
            "2017-01-01",
        ),
        _p(
            "price_weight_goods_min",
            "30",
            PERCENT,
            _("Public tender, goods: minimum price weight"),
            "《政府采购货物和服务招标投标管理办法》（财政部令第87号）第五十五条",
            "2017-10-01",
        ),
        _p(
            "price_weight_services_min",
            "10",
            PERCENT,
            _("Public tender, services: minimum price weight"),
            "《政府采购货物和服务招标投标管理办法》（财政部令第87号）第五十五条",
            "2017-10-01",
        ),
        _p(
            "consultation_price_weight_goods_min",
            "30",
            PERCENT,
            _("Competitive consultation, goods: minimum price weight"),
            "《政府采购竞争性磋商采购方式管理暂行办法》（财库〔2014〕214号）第二十四条",
            "2014-12-31",
        ),
        _p(
            "consultation_price_weight_goods_max",
            "60",
            PERCENT,
            _("Competitive consultation, goods: maximum price weight"),
            "《政府采购竞争性磋商采购方式管理暂行办法》（财库〔2014〕214号）第二十四条",
            "2014-12-31",
        ),
        _p(
            "consultation_price_weight_services_min",
            "10",
            PERCENT,
            _("Competitive consultation, services: minimum price weight"),
            "《政府采购竞争性磋商采购方式管理暂行办法》（财库〔2014〕214号）第二十四条",
            "2014-12-31",
        ),
        _p(
            "consultation_price_weight_services_max",
            "30",
            PERCENT,
            _("Competitive consultation, services: maximum price weight"),
            "《政府采购竞争性磋商采购方式管理暂行办法》（财库〔2014〕214号）第二十四条",
            "2014-12-31",
        ),
        _p(
            "sme_reserve_full_below_goods_services",
            "2000000",
            YUAN,
            _("Goods and services at or under this budget are reserved for SMEs"),
            "《政府采购促进中小企业发展管理办法》（财库〔2020〕46号）第七条",
            "2021-01-01",
        ),
        _p(
            "sme_reserve_full_below_works",
            "4000000",
            YUAN,
            _("Works at or under this budget are reserved for SMEs"),
            "《政府采购促进中小企业发展管理办法》（财库〔2020〕46号）第七条",
            "2021-01-01",
        ),
        _p(
            "sme_reserve_share_above",
            "30",
            PERCENT,
            _("Minimum share reserved for SMEs above the threshold"),
            "《政府采购促进中小企业发展管理办法》（财库〔2020〕46号）第八条；《关于进一步加大政府采购支持中小企业力度的通知》（财库〔2022〕19号）",
            "2021-01-01",
        ),
        _p(
            "smallmicro_deduction_goods_services_min",
            "10",
            PERCENT,
            _("Small and micro price deduction, goods and services: minimum"),
            "《关于进一步加大政府采购支持中小企业力度的通知》（财库〔2022〕19号）",
            "2022-07-01",
        ),
        _p(
            "smallmicro_deduction_goods_services_max",
            "20",
            PERCENT,
            _("Small and micro price deduction, goods and services: maximum"),
            "《关于进一步加大政府采购支持中小企业力度的通知》（财库〔2022〕19号）",
            "2022-07-01",
        ),
        _p(
            "smallmicro_deduction_works_min",
            "3",
            PERCENT,
            _("Small and micro price deduction, works: minimum"),
            "《政府采购促进中小企业发展管理办法》（财库〔2020〕46号）第九条",
            "2021-01-01",
        ),
        _p(
            "smallmicro_deduction_works_max",
            "5",
            PERCENT,
            _("Small and micro price deduction, works: maximum"),
            "《政府采购促进中小企业发展管理办法》（财库〔2020〕46号）第九条",
            "2021-01-01",
        ),
        # RULES.md A-4/A-6 [L]: intentions are disclosed for projects in the centralised
        # catalogue or at or above this threshold (分散采购限额标准). 财库〔2019〕69号 puts the
        # local figure at no less than 500,000 yuan for goods and services; the province sets
        # its own (Henan: 500,000), which the bureau enters here from its effective date.
        _p(
            "decentralised_procurement_threshold",
            "500000",
            YUAN,
            _("Decentralised procurement threshold, goods and services (local figure)"),
            "《地方预算单位政府集中采购目录及标准指引（2020年版）》（财库〔2019〕69号）",
            "2020-01-01",
        ),
        # RULES.md A-5/A-6 [L]: the national floor; the city's own figure is in the provincial
        # catalogue (集中采购目录及标准), so the bureau enters it here from its effective date.
        _p(
            "public_tender_threshold_goods_services",
            "2000000",
            YUAN,
            _(
                "Public tender threshold, goods and services: another method at or above it "
                "needs the bureau's prior approval (local figure: the provincial catalogue)"
            ),
            "《国务院办公厅关于印发中央预算单位政府集中采购目录及标准（2020年版）的通知》"
            "（国办发〔2019〕55号）；《地方预算单位政府集中采购目录及标准指引（2020年版）》"
            "（财库〔2019〕69号）",
            "2020-01-01",
        ),
        # Not law: a bound the bureau sets against typing errors (a budget with three zeros too
        # many would be published, and skew every threshold rule). It is raised here, from a
        # date, when a real project needs more.
        _p(
            "budget_ceiling",
            "10000000000",
            YUAN,
            _("Highest budget accepted for an intention, a plan or a lot (against typing errors)"),
            BUREAU_SETTING,
            "2020-01-01",
        ),
        _p(
            "single_source_follow_on_max",
            "10",
            PERCENT,
            _("Single source follow-on purchase: at most this share of the original contract"),
            "《中华人民共和国政府采购法》第三十一条第三项",
            "2003-01-01",
        ),
        _p(
            "single_source_notice_min",
            "5",
            WORKING,
            _(
                "Single source (only one supplier) at or above the public tender threshold: "
                "public notice before the bureau's approval"
            ),
            "《中华人民共和国政府采购法实施条例》第三十八条；"
            "《政府采购非招标采购方式管理办法》（财政部令第74号）第三十八条",
            "2014-02-01",
        ),
        _p(
            "single_source_review_max",
            "5",
            WORKING,
            _("Single source notice: supplementary review of objections after the notice period"),
            "《政府采购非招标采购方式管理办法》（财政部令第74号）第四十条",
            "2014-02-01",
        ),
        # --- issue 11 (award): the result (O87 Arts 68–69; 国办发〔2025〕34号) -------------
        _p(
            "report_to_purchaser_max",
            "2",
            WORKING,
            _("Agency: evaluation report sent to the purchaser after the evaluation"),
            "《政府采购货物和服务招标投标管理办法》（财政部令第87号）第六十八条",
            "2017-10-01",
        ),
        _p(
            "result_decision_max",
            "5",
            WORKING,
            _("Purchaser: winner chosen after receiving the report (else rank 1 is deemed chosen)"),
            "《政府采购货物和服务招标投标管理办法》（财政部令第87号）第六十八条",
            "2017-10-01",
        ),
        _p(
            "result_notice_period",
            "1",
            WORKING,
            _("Result announcement: announcement period"),
            "《政府采购货物和服务招标投标管理办法》（财政部令第87号）第六十九条",
            "2017-10-01",
        ),
        _p(
            "domestic_product_preference",
            "20",
            PERCENT,
            _("Domestic products: price evaluation preference"),
            "《国务院办公厅关于在政府采购中实施本国产品标准及相关政策的通知》（国办发〔2025〕34号）",
            "2026-01-01",
        ),
        # The consortium or subcontract deduction (D46 Art 9 ¶2): the tender fixes one number
        # in the range (goods and services 4 %–6 % since 财库〔2022〕19号, was 2 %–3 %; works
        # 1 %–2 %). Lots carry no field for it, so the bureau's number applies to every lot; the
        # defaults are each range's lower end.
        _p(
            "consortium_deduction",
            "4",
            PERCENT,
            _(
                "Consortium or subcontract with small or micro firms (30 per cent or more): price deduction"
            ),
            "《关于进一步加大政府采购支持中小企业力度的通知》（财库〔2022〕19号）；"
            "《政府采购促进中小企业发展管理办法》（财库〔2020〕46号）第九条",
            "2022-07-01",
        ),
        _p(
            "consortium_deduction_works",
            "1",
            PERCENT,
            _(
                "Works: consortium or subcontract with small or micro firms (30 per cent or more): deduction"
            ),
            "《政府采购促进中小企业发展管理办法》（财库〔2020〕46号）第九条",
            "2021-01-01",
        ),
        # --- end issue 11 (award) ---------------------------------------------------------------
        _p(
            "decryption_window_default",
            "30",
            MINUTES,
            _("Default decryption window at the online opening"),
            "《电子招标投标办法》（国家发展和改革委员会等八部委令第20号）第三十条、第三十一条（实践中解密时限通常为30至60分钟）",
            "2013-05-01",
        ),
    ]
}


def legal_parameter(key: str, *, on: dt.date | None = None) -> Parameter:
    """The parameter in force on `on` (today by default): the bureau's row, else the default."""
    default = DEFAULTS[key]
    day = on or timezone.localdate()
    row = (
        LegalParameter.objects.filter(key=key, effective_from__lte=day)
        .exclude(effective_to__lte=day)
        .order_by("-effective_from")
        .first()
    )
    if row is None:
        return default
    return Parameter(
        key, row.value, row.unit or default.unit, row.label, row.source, row.effective_from
    )


def legal_value(key: str, *, on: dt.date | None = None) -> Decimal:
    return legal_parameter(key, on=on).value
