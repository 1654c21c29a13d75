"""Qualification conditions the rules forbid, as data: each pattern with its reason and citation.

A lot's qualification requirements (资格要求) are free text. Some conditions may never be set
there (RULES.md B-5), and a lot that sets one is refused when it is saved:

- size conditions — registered capital, total assets, revenue, employees, profit, tax paid —
  and the years since founding (《政府采购货物和服务招标投标管理办法》（财政部令第87号）第十七条;
  《政府采购促进中小企业发展管理办法》（财库〔2020〕46号）第五条);
- the supplier's form of ownership (《中华人民共和国政府采购法实施条例》第二十条第七项;
  财库〔2019〕38号, whose text is not in ../shared/law, so no item of it is cited);
- where the supplier is registered or has a branch, and performance or awards in a given
  region (实施条例第二十条第四项、第七项; 财库〔2019〕38号).

A pattern matches a condition, not a word: a size term with an amount or a threshold
("注册资本不低于1000万元"), never the term alone ("不限注册资本", "依法缴纳税收"). A clause
that says the condition is not required ("不限所有制形式") is skipped. Tests give examples both
ways (tests/procurement/test_qualification_rules.py); add a pattern with its examples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

O87_17 = "《政府采购货物和服务招标投标管理办法》（财政部令第87号）第十七条"
D46_5 = "《政府采购促进中小企业发展管理办法》（财库〔2020〕46号）第五条"
IR_20_4 = "《中华人民共和国政府采购法实施条例》第二十条第四项"
IR_20_7 = "《中华人民共和国政府采购法实施条例》第二十条第七项"
D38 = "《关于促进政府采购公平竞争优化营商环境的通知》（财库〔2019〕38号）"

SIZE_SOURCES = f"{O87_17}；{D46_5}"
OWNERSHIP_SOURCES = f"{IR_20_7}；{D38}"
LOCALITY_SOURCES = f"{IR_20_7}；{D38}"

# An amount or a count, with what may stand around it: "不低于人民币1,000万元（含）以上".
_NUMBER = r"(?:[0-9０-９][0-9０-９,，.．]*|[零一二两三四五六七八九十百千万亿]+)"
_SIZE_UNIT = r"(?:万元|亿元|元|万|亿|人|名)"
_MORE = r"(?:（含）|\(含\))?(?:以上|及以上|或以上|以上（含）)?"
_COMPARE = (
    r"(?:不低于|不少于|不小于|不得低于|不得少于|不应低于|应不低于|须达到|应达到|达到|达|超过|"
    r"大于|高于|≥|>=|＞|>)"
)
_GAP = r"[^，,。；;、\n]{0,6}?"
# After the term: a comparison and a number ("不少于100"), or a number with its unit
# ("1000万元", "：100人"); a number of years is no size ("营业收入（近三年）").
_THRESHOLD = (
    rf"(?:{_COMPARE}\s*(?:人民币)?\s*{_NUMBER}\s*{_SIZE_UNIT}?"
    rf"|(?:在|为|：|:)?\s*(?:人民币)?\s*{_NUMBER}\s*{_SIZE_UNIT}){_MORE}"
)


def _size(terms: str) -> re.Pattern[str]:
    """A size term followed by its threshold, or an amount followed by the term."""
    return re.compile(
        rf"(?:{terms}){_GAP}{_THRESHOLD}"
        rf"|{_NUMBER}\s*{_SIZE_UNIT}{_MORE}[^，,。；;、\n]{{0,4}}?(?:{terms})"
    )


@dataclass(frozen=True)
class ForbiddenCondition:
    """A kind of qualification condition the rules forbid."""

    key: str
    pattern: re.Pattern[str]
    reason: StrOrPromise  # lazy: translated when the message is made
    sources: str  # the Chinese citation, as messages quote it


SIZE_REASON = _("a size condition may not be a qualification requirement")

FORBIDDEN_CONDITIONS: tuple[ForbiddenCondition, ...] = (
    ForbiddenCondition(
        "registered_capital",
        _size(r"注册资本|注册资金|实缴资本|认缴资本|注册资本金|实收资本"),
        SIZE_REASON,
        SIZE_SOURCES,
    ),
    ForbiddenCondition(
        "total_assets", _size(r"资产总额|总资产|净资产|资产规模"), SIZE_REASON, SIZE_SOURCES
    ),
    ForbiddenCondition(
        "revenue",
        _size(r"营业收入|营业总收入|主营业务收入|营业额|销售收入|销售额|年收入|年产值|年营业额"),
        SIZE_REASON,
        SIZE_SOURCES,
    ),
    ForbiddenCondition(
        "employees",
        # The enterprise's headcount, not the staff a contract needs ("技术人员不少于5名").
        _size(
            r"(?<!技术)(?<!专业)(?<!项目)(?<!服务)(?<!驻场)(?<!售后)(?<!维修)(?<!管理)"
            r"(?:从业人员|员工|职工|在职人员|在册人员|企业人数|公司人数|参保人数|社保缴纳人数)"
        ),
        SIZE_REASON,
        SIZE_SOURCES,
    ),
    ForbiddenCondition(
        "profit",
        re.compile(
            _size(r"净利润|利润总额|利润|盈利").pattern
            + rf"|连续\s*{_NUMBER}\s*(?:个会计)?年(?:度)?(?:盈利|赢利|利润为正)"
        ),
        SIZE_REASON,
        SIZE_SOURCES,
    ),
    ForbiddenCondition(
        "tax_paid",
        _size(r"纳税额|纳税总额|纳税金额|年纳税|缴纳税款|缴税额|上缴税金|税收贡献"),
        SIZE_REASON,
        SIZE_SOURCES,
    ),
    ForbiddenCondition(
        "years_founded",
        re.compile(
            rf"(?:成立|注册|经营)(?:时间|年限|日期)?{_GAP}"
            rf"(?:{_COMPARE}|满)\s*{_NUMBER}\s*(?:个)?(?:年|周年){_MORE}"
        ),
        _("the years since founding may not be a qualification requirement"),
        D46_5,
    ),
    ForbiddenCondition(
        "ownership",
        re.compile(
            r"(?:所有制(?:形式|性质)?|企业性质)[^，,。；;\n]{0,4}?(?:须|必须|应|应当|限|为|是)"
            r"|(?:须|必须|应|应当|仅限|只限|限于|限定|仅接受|只接受|要求)(?:为|是|系)?"
            r"[^，,。；;\n]{0,6}?"
            r"(?:国有|国营|央企|中央企业|民营|私营|外资|外商投资|外商独资|内资|集体所有制|集体企业)"
            r"|(?:国有|国营|央企|中央企业|民营|私营|外资|外商投资|内资|集体)(?:企业|控股|独资|单位)?"
            r"(?:优先|除外)"
        ),
        _("the supplier's form of ownership may not be restricted"),
        OWNERSHIP_SOURCES,
    ),
    ForbiddenCondition(
        "locality",
        re.compile(
            r"(?:本地|本市|本省|本区|本县|当地|省内|市内|区内|县内)(?:注册|登记|企业|供应商|纳税|缴纳社保)"
            r"|在[^，,。；;\n]{0,8}?(?:本地|本市|本省|当地|市|省|区|县)(?:内|境内|范围内)?"
            r"(?:注册|登记|设立|设有|成立)"
            r"|注册地(?:址)?(?:须|必须|应|应当|在|为|位于)"
            r"|(?:设立|设有|成立|具有|拥有)[^，,。；;\n]{0,6}?(?:分支机构|分公司|办事处|常设机构)"
            r"|(?:本地|本市|本省|当地|市内|省内)[^，,。；;\n]{0,6}?"
            r"(?:服务网点|售后网点|服务机构|办事处|分支机构|分公司)"
        ),
        _("where the supplier is registered or has a branch may not be a qualification"),
        LOCALITY_SOURCES,
    ),
    ForbiddenCondition(
        "regional_record",
        re.compile(
            r"(?:本地|本市|本省|本区域|当地|省内|市内|区内"
            r"|[^，,。；;\n]{1,6}?(?:省|市)(?:内|范围内|辖区内|行政区域内))"
            r"[^，,。；;\n]{0,6}?(?:业绩|奖项|获奖|荣誉)"
        ),
        _("performance or awards in a given region may not be a condition"),
        f"{IR_20_4}；{D38}",
    ),
)

# A clause that says the condition is not asked for: "不限所有制", "注册资本不作要求".
_NOT_REQUIRED = re.compile(r"不限|不论|不分|无论|不作要求|不做要求|不要求|无要求|不得|不设")
# Clauses end at punctuation, but not at the comma of "1,000万元".
_CLAUSES = re.compile(r"(?:[^。；;！!？?\n，,]|(?<=[0-9０-９])[，,](?=[0-9０-９]))+")


@dataclass(frozen=True)
class ForbiddenPhrase:
    """A condition found in the text: the words as written and the rule they break."""

    phrase: str
    condition: ForbiddenCondition


def forbidden_conditions(text: str) -> list[ForbiddenPhrase]:
    """Each forbidden condition of `text`, in order, once per clause and kind."""
    found: list[ForbiddenPhrase] = []
    for clause in _CLAUSES.finditer(text or ""):
        words = clause.group()
        if _NOT_REQUIRED.search(words):
            continue
        for condition in FORBIDDEN_CONDITIONS:
            match = condition.pattern.search(words)
            if match:
                found.append(ForbiddenPhrase(_phrase(words, match), condition))
    return found


def _phrase(clause: str, match: re.Match[str]) -> str:
    """The words to quote: the clause, trimmed of numbering, or the match in a long clause."""
    text = re.sub(
        r"^\s*(?:[0-9０-９]+[.、．)）]|[（(][0-9０-９一二三四五六七八九十]+[)）])?\s*", "", clause
    )
    text = text.strip()
    return text if len(text) <= 40 else match.group().strip()
