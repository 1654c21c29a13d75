"""The expert database: the bureau's import from CSV or Excel, the expert's own unavailability.

An imported expert gets a user (is_expert) whose username is the mobile number and whose password
is random and unknown: the expert sets one through "forgot password" (accounts' reset by e-mail),
as a member created without a password does (accounts.services.create_member).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Organisation, User
from accounts.uscc import normalise_uscc, validate_uscc
from audit.services import record_event
from common.errors import DomainError, PermissionDenied
from procurement.models import CatalogueCategory

from ..models import Expert, ExpertTitle, Unavailability

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

# The file's columns: key -> header as the bureau's template names it.
COLUMNS = {
    "name": "姓名",
    "id_number": "身份证号",
    "phone": "手机号",
    "email": "电子邮箱",
    "title": "职称",
    "employer": "工作单位",
    "employer_uscc": "工作单位统一社会信用代码",
    "region_code": "地区代码",
    "region_name": "地区名称",
    "specialties": "专业品目代码",
}
TITLES = {
    "高级": ExpertTitle.SENIOR,
    "正高级": ExpertTitle.SENIOR,
    "副高级": ExpertTitle.SENIOR,
    "中级": ExpertTitle.INTERMEDIATE,
}
# GB/T 2260: the provinces, autonomous regions, municipalities and SARs (first two digits).
PROVINCES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82",
}  # fmt: skip
# GB 11643-1999: the check character of a citizen identity number.
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"
MAX_AGE = 70  # D198 Art 6: under 70 (RULES.md D-7)
MAX_ROWS = 5000
PHONE = re.compile(r"1\d{10}")
SPLIT = re.compile(r"[；;，,、\s]+")


def id_check_character(first17: str) -> str:
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def id_problems(number: str, *, today: dt.date) -> list[str]:
    """What is wrong with an identity card number (empty: valid)."""
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return [_("The identity card number must have 18 characters: 17 digits and a digit or X.")]
    if id_check_character(number[:17]) != number[17]:
        return [_("The identity card number's check character is wrong (GB 11643).")]
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return [_("The identity card number holds no valid date of birth.")]
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if born > today:
        return [_("The identity card number holds no valid date of birth.")]
    if age >= MAX_AGE:
        return [
            _("Aged %(age)s: an expert is under 70 (《政府采购评审专家管理办法》第六条).")
            % {"age": age}
        ]
    return []


@dataclass
class RowProblem:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str
    reason: str


@dataclass
class ImportReport:
    created: list[Expert] = field(default_factory=list)
    rejected: list[RowProblem] = field(default_factory=list)

    @property
    def rejected_rows(self) -> int:
        return len({p.row for p in self.rejected})


def read_rows(upload: UploadedFile) -> list[tuple[int, dict[str, str]]]:
    """(row number, {header: text}) of each non-empty row of a CSV or XLSX file."""
    content = b"".join(upload.chunks())
    name = (upload.name or "").lower()
    rows: list[list[Any]]
    if content[:2] == b"PK" or name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
            raise DomainError(_("The file is not an Excel (.xlsx) workbook.")) from error
        sheet = workbook.worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        workbook.close()
    else:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise DomainError(_("The CSV file is neither UTF-8 nor GB18030 text."))
        rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise DomainError(_("The file is empty."))
    header = [_cell(h) for h in rows[0]]
    missing = [h for h in COLUMNS.values() if h not in header]
    if missing:
        raise DomainError(
            _("The file lacks the columns: %(columns)s.") % {"columns": "、".join(missing)}
        )
    if len(rows) - 1 > MAX_ROWS:
        raise DomainError(_("At most %(n)s experts per file.") % {"n": MAX_ROWS})
    found = []
    for number, row in enumerate(rows[1:], start=2):
        values = {h: _cell(row[i]) if i < len(row) else "" for i, h in enumerate(header)}
        if any(values.values()):
            found.append((number, values))
    return found


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed into Excel: 410100.0
    return str(value).strip()


def _check_row(
    values: dict[str, str],
    *,
    today: dt.date,
    categories: dict[str, CatalogueCategory],
    seen_ids: dict[str, int],
    seen_phones: dict[str, int],
) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """(column, reason) for each problem of the row, and its parsed values."""
    c = COLUMNS
    problems: list[tuple[str, str]] = []
    parsed: dict[str, Any] = {}
    name = values[c["name"]]
    if not name:
        problems.append((c["name"], _("The name is missing.")))
    parsed["name"] = name
    id_number = values[c["id_number"]].upper()
    if not id_number:
        problems.append((c["id_number"], _("The identity card number is missing.")))
    else:
        for reason in id_problems(id_number, today=today):
            problems.append((c["id_number"], reason))
        if id_number in seen_ids:
            problems.append(
                (
                    c["id_number"],
                    _("Same identity card number as row %(row)s.") % {"row": seen_ids[id_number]},
                )
            )
        elif Expert.objects.filter(id_number=id_number).exists():
            problems.append(
                (c["id_number"], _("An expert with this identity card number is in the database."))
            )
    parsed["id_number"] = id_number
    phone = values[c["phone"]].replace(" ", "").replace("-", "")
    if not PHONE.fullmatch(phone):
        problems.append(
            (c["phone"], _("The mobile number must have 11 digits, starting with 1 (SMS notices)."))
        )
    elif phone in seen_phones:
        problems.append(
            (c["phone"], _("Same mobile number as row %(row)s.") % {"row": seen_phones[phone]})
        )
    elif User.objects.filter(username=phone).exists() or User.objects.filter(phone=phone).exists():
        problems.append((c["phone"], _("A user with this mobile number exists already.")))
    parsed["phone"] = phone
    email = values[c["email"]]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append((c["email"], _("The e-mail address is not valid.")))
    parsed["email"] = email
    title = TITLES.get(values[c["title"]])
    if title is None:
        problems.append(
            (c["title"], _("The title must be 高级 (senior) or 中级 (intermediate) (D198 Art 6)."))
        )
    parsed["title"] = title
    employer_name = values[c["employer"]]
    if not employer_name:
        problems.append(
            (c["employer"], _("The employer is missing (it is checked for conflicts)."))
        )
    parsed["employer_name"] = employer_name
    uscc = normalise_uscc(values[c["employer_uscc"]]) if values[c["employer_uscc"]] else ""
    if uscc:
        try:
            validate_uscc(uscc)
        except ValidationError:
            problems.append(
                (c["employer_uscc"], _("The employer's unified social credit code is not valid."))
            )
    parsed["employer_uscc"] = uscc
    region = values[c["region_code"]]
    if not re.fullmatch(r"\d{6}", region) or region[:2] not in PROVINCES:
        problems.append(
            (
                c["region_code"],
                _("The region code must be a six-digit administrative division code."),
            )
        )
    parsed["region_code"] = region
    parsed["region_name"] = values[c["region_name"]]
    codes = [code.upper() for code in SPLIT.split(values[c["specialties"]]) if code]
    if not codes:
        problems.append((c["specialties"], _("No catalogue code of a specialty is given.")))
    unknown = [code for code in codes if code not in categories]
    if unknown:
        problems.append(
            (
                c["specialties"],
                _("Unknown catalogue codes: %(codes)s.") % {"codes": "、".join(unknown)},
            )
        )
    parsed["specialties"] = [categories[code] for code in codes if code in categories]
    return problems, parsed


def import_experts(*, upload: UploadedFile, acting_user: User) -> ImportReport:
    """Create an expert (and its user) for each valid row; report every problem of the others.

    A row is taken whole or not at all; the valid rows are saved even when others are refused.
    """
    if not acting_user.has_perm("experts.import_experts"):
        raise PermissionDenied(_("Only the finance bureau imports experts."))
    rows = read_rows(upload)
    report = ImportReport()
    today = timezone.localdate()
    categories = {c.code: c for c in CatalogueCategory.objects.all()}
    seen_ids: dict[str, int] = {}
    seen_phones: dict[str, int] = {}
    for number, values in rows:
        problems, parsed = _check_row(
            values,
            today=today,
            categories=categories,
            seen_ids=seen_ids,
            seen_phones=seen_phones,
        )
        if parsed["id_number"]:
            seen_ids.setdefault(parsed["id_number"], number)
        if parsed["phone"]:
            seen_phones.setdefault(parsed["phone"], number)
        if problems:
            report.rejected += [RowProblem(number, column, reason) for column, reason in problems]
            continue
        report.created.append(_create_expert(parsed, acting_user=acting_user, row=number))
    return report


def _create_expert(parsed: dict[str, Any], *, acting_user: User, row: int) -> Expert:
    employer = (
        Organisation.objects.filter(uscc=parsed["employer_uscc"]).first()
        if parsed["employer_uscc"]
        else None
    )
    with transaction.atomic():
        user = User(
            username=parsed["phone"],
            full_name=parsed["name"],
            phone=parsed["phone"],
            email=parsed["email"],
            is_expert=True,
            employer=employer,
        )
        # A random password nobody knows: the expert sets its own by "forgot password".
        user.set_password(secrets.token_urlsafe(32))
        user._history_user = acting_user
        user._change_reason = gettext_noop("imported as an expert")
        user.save()
        expert = Expert(
            user=user,
            id_number=parsed["id_number"],
            title=parsed["title"],
            employer_name="" if employer else parsed["employer_name"],
            region_code=parsed["region_code"],
            region_name=parsed["region_name"],
        )
        expert._history_user = acting_user
        expert._change_reason = gettext_noop("imported")
        expert.save()
        expert.specialties.set(parsed["specialties"])
        record_event(
            action="experts.expert.imported",
            actor=acting_user,
            subject=expert,
            data={
                "row": row,
                "user": user.pk,
                "specialties": [c.code for c in parsed["specialties"]],
                "employer": employer.pk if employer else parsed["employer_name"],
            },
        )
    return expert


# The expert's own unavailability --------------------------------------------------------------


def _own_expert(acting_user: User) -> Expert:
    expert = Expert.objects.filter(user_id=acting_user.pk).first()
    if expert is None:
        raise PermissionDenied(_("Only an expert in the database records its unavailability."))
    return expert


def add_unavailability(
    *, start: dt.date, end: dt.date, reason: str, acting_user: User
) -> Unavailability:
    """The expert cannot evaluate from `start` to `end` (both included): it is not drawn then."""
    expert = _own_expert(acting_user)
    if end < start:
        raise DomainError(_("The last day is on or after the first."))
    if end < timezone.localdate():
        raise DomainError(_("The period has passed already."))
    with transaction.atomic():
        period = Unavailability.objects.create(expert=expert, start=start, end=end, reason=reason)
        record_event(
            action="experts.unavailability.added",
            actor=acting_user,
            subject=expert,
            data={"start": start, "end": end, "reason": reason},
        )
    return period


def remove_unavailability(*, period: Unavailability, acting_user: User) -> None:
    expert = _own_expert(acting_user)
    if period.expert_id != expert.pk:
        raise PermissionDenied(_("This period is not yours."))
    with transaction.atomic():
        record_event(
            action="experts.unavailability.removed",
            actor=acting_user,
            subject=expert,
            data={"start": period.start, "end": period.end},
        )
        period.delete()
