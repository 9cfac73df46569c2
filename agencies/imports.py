"""CSV import of agencies and contacts: all or nothing, every problem shown before anything is written.

A file is read and checked in full first (`check_file`), giving a plan: the rows it would create,
every row error (row, column, reason) and the likely duplicates. Only a plan with no errors can be
carried out (`carry_out`), in one transaction, re-checked against the directory as it is then.
Rows are validated by the same forms the pages use, so an import cannot store what a person
typing could not.
"""

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field

import magic
from django.db import transaction

from agencies import permissions
from agencies.csv_format import (
    AGENCY_COLUMNS,
    AGENCY_EXPORT_ONLY_COLUMNS,
    AGENCY_REQUIRED_COLUMNS,
    CONTACT_COLUMNS,
    CONTACT_REQUIRED_COLUMNS,
    LIST_SEPARATOR,
)
from agencies.forms import AgencyForm, ContactForm
from agencies.models import Agency, AgencyKind, Contact, LocalAuthority, Region, User
from agencies.services import create_agency, create_contact
from audit.models import Verb
from audit.services import record
from core.exports import unescape_cell

AGENCIES = "agencies"
CONTACTS = "contacts"

_TEXT_TYPES = ("text/", "application/csv")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}


class ImportRefused(Exception):
    """The file as a whole cannot be imported; the message says why and what to do."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class LikelyDuplicate:
    row: int
    message: str


@dataclass
class ImportPlan:
    what: str
    digest: str
    rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    duplicates: list[LikelyDuplicate] = field(default_factory=list)

    @property
    def can_be_imported(self) -> bool:
        return not self.errors and bool(self.rows)


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def decode(content: bytes) -> str:
    """The file's text, or a refusal saying what is wrong with the file itself."""
    if not content.strip():
        raise ImportRefused("The selected file is empty")
    kind = magic.from_buffer(content[:8192], mime=True)
    if not kind.startswith(_TEXT_TYPES):
        raise ImportRefused(
            "The selected file must be a CSV file. In Excel, save it as CSV UTF-8 (comma delimited)"
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            "The selected file must be saved as UTF-8. In Excel, choose CSV UTF-8 "
            "(comma delimited) when you save it"
        ) from None


def _heading(text: str) -> str:
    return re.sub(r"[\s-]+", "_", text.strip().lower())


def _read(text: str, *, allowed: list[str], required: list[str]) -> list[dict[str, str]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        headings = next(reader, None)
        if not headings or not any(cell.strip() for cell in headings):
            raise ImportRefused("The selected file is empty")
        columns = [_heading(cell) for cell in headings]
        repeated = sorted({column for column in columns if columns.count(column) > 1})
        if repeated:
            raise ImportRefused(f"The file has the column {', '.join(repeated)} more than once")
        unknown = [column for column in columns if column not in allowed]
        missing = [column for column in required if column not in columns]
        if missing or unknown:
            problems = []
            if missing:
                problems.append(f"it is missing the column {', '.join(missing)}")
            if unknown:
                problems.append(f"Partnerhub does not recognise the column {', '.join(unknown)}")
            raise ImportRefused(
                "The column headings are wrong: "
                + "; ".join(problems)
                + ". Use the headings from the template: "
                + ", ".join(column for column in allowed)
            )
        rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(columns):
                raise ImportRefused(
                    f"Row {len(rows) + 2} has more cells than there are column headings"
                )
            cells += [""] * (len(columns) - len(cells))
            rows.append(
                {
                    column: unescape_cell(cell.strip())
                    for column, cell in zip(columns, cells, strict=True)
                }
            )
    except csv.Error as problem:
        raise ImportRefused(
            f"The file could not be read as CSV near line {reader.line_num}: {problem}"
        ) from None
    if not rows:
        raise ImportRefused("The file has column headings but no rows")
    return rows


def _similar(name: str) -> str:
    """A name reduced to what tells agencies apart, to spot near-duplicates."""
    name = name.lower().replace("&", " and ").replace("'", "").replace("\u2019", "")
    words = re.findall(r"[a-z0-9]+", name)
    return " ".join(word for word in words if word not in {"the", "ltd", "limited", "and"})


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(LIST_SEPARATOR) if item.strip()]


class _Lookup:
    """Reference data by code or name, loaded once for the whole file."""

    def __init__(self, items, *, codes=True):
        self.by_key = {}
        for item in items:
            self.by_key[item.name.lower()] = item
            if codes:
                self.by_key[item.code.lower()] = item

    def find(self, values: list[str]) -> tuple[list, list[str]]:
        found, unknown = [], []
        for value in values:
            item = self.by_key.get(value.lower())
            (found if item else unknown).append(item or value)
        return found, unknown


def _kind_from(value: str) -> str | None:
    wanted = value.strip().lower()
    for kind in AgencyKind:
        if wanted in {kind.value, kind.label.lower()}:
            return kind.value
    return None


def _form_errors(
    form, row_number: int, column_of: dict[str, str], already: list[RowError]
) -> list[RowError]:
    """The form's errors as row errors, leaving out columns this row already has an error for."""
    reported = {error.column for error in already}
    errors = []
    for name, messages in form.errors.items():
        column = column_of.get(name, name)
        if column in reported:
            continue
        errors.extend(RowError(row_number, column, message) for message in messages)
    return errors


def check_agencies(text: str) -> ImportPlan:
    rows = _read(
        text,
        allowed=AGENCY_COLUMNS + AGENCY_EXPORT_ONLY_COLUMNS,
        required=AGENCY_REQUIRED_COLUMNS,
    )
    plan = ImportPlan(what=AGENCIES, digest=digest_of(text))
    existing = {name.lower(): pk for pk, name in Agency.objects.values_list("pk", "name")}
    existing_similar = {
        _similar(name): name for name in Agency.objects.values_list("name", flat=True)
    }
    local_authorities = _Lookup(LocalAuthority.objects.all())
    regions = _Lookup(Region.objects.all())
    in_file: dict[str, int] = {}
    similar_in_file: dict[str, tuple[int, str]] = {}
    kinds = ", ".join(kind.label for kind in AgencyKind)

    for number, row in enumerate(rows, start=2):
        errors = []
        kind = _kind_from(row.get("kind", ""))
        if kind is None:
            errors.append(
                RowError(number, "kind", f"Enter a kind of agency from the list: {kinds}")
                if row.get("kind")
                else RowError(number, "kind", "Enter the kind of agency")
            )
        found_las, unknown_las = local_authorities.find(_split(row.get("local_authorities", "")))
        if unknown_las:
            errors.append(
                RowError(
                    number,
                    "local_authorities",
                    f"No local authority with the name or ONS code {', '.join(unknown_las)}",
                )
            )
        found_regions, unknown_regions = regions.find(_split(row.get("regions", "")))
        if unknown_regions:
            errors.append(
                RowError(
                    number,
                    "regions",
                    f"No region with the name or ONS code {', '.join(unknown_regions)}",
                )
            )
        parent_name = row.get("parent", "")
        parent_key = parent_name.lower()
        if parent_name and parent_key not in existing and parent_key not in in_file:
            errors.append(
                RowError(
                    number,
                    "parent",
                    f"No agency called {parent_name} is in the directory or on an earlier row",
                )
            )
        data = {column: row.get(column, "") for column in AGENCY_COLUMNS}
        data.update(
            kind=kind or "",
            parent="",
            local_authorities=[la.pk for la in found_las],
            regions=[region.pk for region in found_regions],
        )
        form = AgencyForm(data=data)
        form_valid = form.is_valid()
        errors += _form_errors(form, number, {}, errors)

        name = form.cleaned_data.get("name") or row.get("name", "")
        key = name.lower()
        if key and key in in_file:
            errors.append(
                RowError(number, "name", f"Row {in_file[key]} already has an agency with this name")
            )
        elif key and key not in existing:
            similar = _similar(name)
            if similar in existing_similar:
                plan.duplicates.append(
                    LikelyDuplicate(
                        number,
                        f"{name} looks like {existing_similar[similar]}, already in the directory",
                    )
                )
            elif similar in similar_in_file:
                earlier_row, earlier_name = similar_in_file[similar]
                plan.duplicates.append(
                    LikelyDuplicate(
                        number, f"{name} looks like {earlier_name} on row {earlier_row}"
                    )
                )
            similar_in_file.setdefault(similar, (number, name))
        if key:
            in_file.setdefault(key, number)

        plan.errors += errors
        if form_valid and not errors:
            values = {name: form.cleaned_data[name] for name in AgencyForm.Meta.fields}
            values["parent"] = parent_name
            plan.rows.append(values)
    return plan


def _yes_or_no(value: str) -> bool | None:
    lowered = value.strip().lower()
    if lowered in _YES:
        return True
    if lowered in _NO:
        return False
    return None


def check_contacts(text: str) -> ImportPlan:
    rows = _read(text, allowed=CONTACT_COLUMNS, required=CONTACT_REQUIRED_COLUMNS)
    plan = ImportPlan(what=CONTACTS, digest=digest_of(text))
    agencies = {agency.name.lower(): agency for agency in Agency.objects.only("name")}
    known = {}
    for agency_id, full_name, email in Contact.objects.values_list(
        "agency_id", "full_name", "email"
    ):
        known[(agency_id, full_name.lower())] = f"{full_name}, already a contact there"
        if email:
            known[(agency_id, email.lower())] = f"{full_name}, already a contact there"
    column_of = {"is_single_point_of_contact": "single_point_of_contact"}

    for number, row in enumerate(rows, start=2):
        errors = []
        agency_name = row.get("agency", "")
        agency = agencies.get(agency_name.lower())
        if agency is None:
            errors.append(
                RowError(
                    number,
                    "agency",
                    f"No agency called {agency_name} is in the directory"
                    if agency_name
                    else "Enter the name of the contact's agency",
                )
            )
        single_point = _yes_or_no(row.get("single_point_of_contact", ""))
        if single_point is None:
            errors.append(RowError(number, "single_point_of_contact", "Enter yes or no"))
        data = {
            column: row.get(column, "") for column in ("full_name", "job_title", "email", "phone")
        }
        if single_point:
            data["is_single_point_of_contact"] = "on"
        form = ContactForm(data=data, agency=agency or Agency())
        form_valid = form.is_valid()
        errors += _form_errors(form, number, column_of, errors)
        plan.errors += errors
        if not (form_valid and not errors):
            continue
        values = {name: form.cleaned_data[name] for name in ContactForm.Meta.fields}
        for key in (values["full_name"].lower(), values["email"].lower()):
            if key and (agency.pk, key) in known:
                plan.duplicates.append(
                    LikelyDuplicate(
                        number,
                        f"{values['full_name']} at {agency.name} looks like "
                        f"{known[(agency.pk, key)]}",
                    )
                )
                break
        for key in (values["full_name"].lower(), values["email"].lower()):
            if key:
                known.setdefault((agency.pk, key), f"{values['full_name']} on row {number}")
        values["agency"] = agency
        plan.rows.append(values)
    return plan


def check_file(*, what: str, text: str) -> ImportPlan:
    return (check_agencies if what == AGENCIES else check_contacts)(text)


@transaction.atomic
def carry_out(*, what: str, text: str, actor: User, ip_address: str | None = None) -> ImportPlan:
    """Check the file again and write every row, or nothing if any row is now wrong."""
    permissions.require_import_directory(actor)
    plan = check_file(what=what, text=text)
    if not plan.can_be_imported:
        return plan
    if what == AGENCIES:
        created: dict[str, Agency] = {}
        for values in plan.rows:
            parent_name = values.pop("parent")
            if parent_name:
                values["parent"] = created.get(parent_name.lower()) or Agency.objects.get(
                    name__iexact=parent_name
                )
            agency = create_agency(actor=actor, values=values, ip_address=ip_address)
            created[agency.name.lower()] = agency
    else:
        for values in plan.rows:
            create_contact(
                agency=values.pop("agency"), actor=actor, values=values, ip_address=ip_address
            )
    record(
        verb=Verb.IMPORTED,
        actor=actor,
        object_type="agencies.agency" if what == AGENCIES else "agencies.contact",
        detail={"rows": len(plan.rows), "file_sha256": plan.digest},
        ip_address=ip_address,
    )
    return plan
