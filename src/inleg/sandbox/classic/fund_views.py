"""Loket Classic's tab Fondsen (seed 004, "Loonmodelniveau: Fondsen"), per wage model and employer.

A list of at most 35 funds; a form per fund with every setting of the seed; the age and birth-year tables
on their own screen; ABP funds chosen from a list of schemes. Every save builds the fund's JSON, lets the
engine's parser judge it, and stores it as a version from its "geldig vanaf" date in one transaction.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inleg.funds import presets
from inleg.funds.errors import FundError
from inleg.sandbox.classic.fund_form import (
    LABELS,
    NEW_FUND,
    ORIGINS,
    TABLE_COLUMNS,
    TOTAL_NAMES,
    BaseFormSet,
    FundForm,
    base_from,
    check,
    initial_from,
    message,
    money_out,
    number_in,
    sides_differ,
    where,
    whole_in,
)
from inleg.sandbox.core.models import (
    MAX_FUNDS,
    Fund,
    FundVersion,
    LoketUser,
    PayrollAdministration,
    PayrollComponent,
    PayrollRun,
    RunStatus,
    fund_components,
)

# Loket's own sentence (seed 004), then what to do.
TOO_MANY = gettext_lazy(
    "Er kunnen maximaal 35 fondsen worden gedefinieerd. Dit loonmodel heeft er al 35; verwijder eerst een fonds "
    "dat niet meer wordt gebruikt."
)
ABP_PREFIX = "abp-"
HOURS_CATEGORY = 1  # Uren: no amounts, so not a base component (the seed: only components holding amounts)


def _user(request: HttpRequest) -> LoketUser | None:
    return request.user if isinstance(request.user, LoketUser) else None


def component_choices(admin: PayrollAdministration) -> list[tuple[str, str]]:
    choices = [
        (str(c.key), f"{c.key} {c.description}")
        for c in admin.components.exclude(category=HOURS_CATEGORY)
        if c.key not in TOTAL_NAMES
    ]
    choices += [(str(key), f"{key} {name}") for key, name in sorted(TOTAL_NAMES.items())]
    return sorted(choices, key=lambda pair: int(pair[0]))


def contribution(admin: PayrollAdministration, base: list[dict[str, Any]]) -> list[str]:
    """How each base row counts (funds.md section 4): its own sign, or opposite within 257 / 265."""
    components = {c.key: c for c in admin.components.all()}
    present = [t for t in (257, 265) if any(row.get("component") == t for row in base)]
    notes = []
    for row in base:
        key, origin = row.get("component"), row.get("origin")
        c = components.get(key) if isinstance(key, int) else None
        if origin == "excluded":
            notes.append(_("telt niet mee (uitgezonderd)"))
        elif key in (257, 265):
            notes.append(_("het totaal"))
        elif isinstance(key, int) and 543 <= key <= 547:
            notes.append(_("jaargrondslag uit vaste gegevens, naar de periode omgerekend"))
        elif c is None:
            notes.append("")
        else:
            coefficient = sum(c.in_257 if t == 257 else c.in_265 for t in present)
            if present and any((c.in_257 if t == 257 else c.in_265) for t in present):
                sign = "+" if -coefficient > 0 else "−"
                both = (" " + _("en") + " ").join(str(t) for t in present)
                notes.append(_("tegengesteld: %(s)s bedrag (deel van %(t)s)") % {"s": sign, "t": both})
            else:
                notes.append(_("eigen besturing: %(s)s bedrag") % {"s": "+" if c.sign > 0 else "−"})
    return notes


def payroll_year(admin: PayrollAdministration) -> int | None:
    """The latest year this wage model has run a payroll for: earlier years are not recalculated."""
    year = PayrollRun.objects.filter(administration=admin).aggregate(y=Max("period__year"))["y"]
    return int(year) if year is not None else None


def _free_numbers(admin: PayrollAdministration) -> list[int]:
    used = set(admin.funds.values_list("number", flat=True))
    return [n for n in range(1, MAX_FUNDS + 1) if n not in used]


@staff_member_required
def funds(request: HttpRequest, admin_id: str) -> HttpResponse:
    admin = get_object_or_404(PayrollAdministration.objects.select_related("employer"), pk=admin_id)
    rows = []
    for fund in admin.funds.prefetch_related("versions"):
        versions = list(fund.versions.all())
        rows.append({"fund": fund, "premium": money_out((fund.settings.get("premium") or {}).get("percentage")),
                     "total": money_out((fund.settings.get("total") or {}).get("percentage")),
                     "kind": fund.settings.get("kind"), "versions": versions})  # fmt: skip
    full = len(rows) >= MAX_FUNDS
    # The latest run's herrekening: what it could not recalculate (a previous year) is said here too.
    latest = PayrollRun.objects.filter(administration=admin, status__in=(RunStatus.DONE, RunStatus.APPROVED)).first()
    context = {"admin": admin, "rows": rows, "full": full, "too_many": TOO_MANY, "max": MAX_FUNDS,
               "not_recalculated": latest.not_recalculated if latest else []}  # fmt: skip
    return render(request, "sandbox/classic/funds.html", context)


class Save:
    """One save of the Fondsen screen: the form's JSON judged by the engine, then stored as a version."""

    def __init__(self, admin: PayrollAdministration, form: FundForm, formset: Any) -> None:
        self.admin, self.form, self.formset = admin, form, formset

    def refuse(self, error: FundError, base_forms: list[int]) -> None:
        spot = where(error)
        if spot.field == "base" and spot.row is not None and spot.row < len(base_forms):
            row = self.formset.forms[base_forms[spot.row]]
            column = spot.column or "component"
            name = _("Component") if column == "component" else _("Herkomst")
            label = _("Grondslag opbouw regel %(n)s, %(c)s") % {"n": base_forms[spot.row] + 1, "c": name}
            typed = row.data.get(row.add_prefix(column), "")
            if column == "origin":
                typed = dict(ORIGINS).get(typed, typed)
            row.add_error(column, message(label, error, typed))
        elif spot.field in self.form.fields:
            typed = self.form.data.get(spot.field, "")
            choices = getattr(self.form.fields[spot.field].widget, "choices", None)
            shown = dict(choices).get(typed, typed) if choices and typed else typed  # a choice by its Dutch name
            self.form.add_error(spot.field, message(LABELS[spot.field], error, shown))
        else:
            self.form.add_error(None, message(error.field, error, error.value))


def store(
    admin: PayrollAdministration,
    fund: Fund | None,
    number: int,
    settings: dict[str, Any],
    valid_from: date,
    user: LoketUser | None,
    preset: str = "",
) -> Fund:
    """Store a judged fund as the version from ``valid_from``; the latest version becomes ``Fund.settings``."""
    name = settings.pop("name")
    settings.pop("number", None)
    if fund is None:
        fund = Fund.objects.create(administration=admin, number=number, name=name, settings=settings)
        for component in fund_components(admin, number):
            PayrollComponent.objects.get_or_create(
                administration=admin, key=component.key,
                defaults={f.name: getattr(component, f.name) for f in PayrollComponent._meta.concrete_fields
                          if f.name not in ("id", "administration", "key")},
            )  # fmt: skip
    version, _created = FundVersion.objects.update_or_create(
        fund=fund, valid_from=valid_from, defaults={"name": name, "settings": settings, "saved_by": user}
    )
    if preset:
        version.preset = preset
        version.save(update_fields=["preset"])
    latest = fund.versions.order_by("-valid_from").first()
    assert latest is not None  # the version above
    fund.name, fund.settings = latest.name, latest.settings
    fund.save(update_fields=["name", "settings"])
    return fund


def _save_version(request: HttpRequest, fund: Fund, fund_json: dict[str, Any], valid_from: date, saved: str) -> None:
    """Store a checked version of an existing fund from ``valid_from`` and say so (``saved``: %(f)s, %(d)s)."""
    with transaction.atomic():
        store(fund.administration, fund, fund.number, fund_json, valid_from, _user(request))
    messages.success(request, saved % {"f": fund, "d": f"{valid_from:%d-%m-%Y}"})


def _year_problem(admin: PayrollAdministration, valid_from: date) -> str:
    year = payroll_year(admin)
    if year is not None and valid_from.year < year:
        return _(
            "Geldig vanaf: “%(d)s” ligt in %(y)s, een jaar vóór het verloningsjaar %(v)s. Loket past een fonds niet "
            "met terugwerkende kracht toe op een voorgaand jaar; kies een datum in %(v)s of later."
        ) % {"d": f"{valid_from:%d-%m-%Y}", "y": valid_from.year, "v": year}
    return ""


def _preset(name: str) -> dict[str, Any] | None:
    try:
        return presets.load(name)
    except KeyError:
        return None


@staff_member_required
def add_fund(request: HttpRequest, admin_id: str) -> HttpResponse:
    admin = get_object_or_404(PayrollAdministration.objects.select_related("employer"), pk=admin_id)
    preset_name = request.POST.get("preset") or request.GET.get("preset") or ""
    preset = _preset(preset_name) if preset_name.startswith(ABP_PREFIX) else None
    start = {**NEW_FUND, **(preset["fund"] if preset else {})}
    initial = {**initial_from(start, preset["fund"]["name"] if preset else ""), "number": ""}
    post = request.POST if request.method == "POST" else None
    form = FundForm(post, initial=initial, with_number=True)
    choices = component_choices(admin)
    formset = BaseFormSet(post, prefix="base", form_kwargs={"components": choices})
    full = admin.funds.count() >= MAX_FUNDS
    if post is not None and full:
        form.is_valid()
        form.add_error(None, str(TOO_MANY))
    elif post is not None and form.is_valid() and formset.is_valid():
        base, base_forms = base_from(formset)
        raw_number = whole_in(form.cleaned_data["number"])
        fund_json = form.fund_json(raw_number, base, {k: start[k] for k in ("franchise_table", "percentage_table")})
        error = check(fund_json)
        valid_from = form.cleaned_data["valid_from"]
        if error is not None:
            Save(admin, form, formset).refuse(error, base_forms)
        elif problem := _year_problem(admin, valid_from):
            form.add_error("valid_from", problem)
        else:
            try:
                with transaction.atomic():
                    locked = PayrollAdministration.objects.select_for_update().get(pk=admin.pk)
                    if locked.funds.count() >= MAX_FUNDS:
                        raise _Full
                    fund = store(
                        admin, None, raw_number, fund_json, valid_from, _user(request), preset_name if preset else ""
                    )
            except _Full:
                form.add_error(None, str(TOO_MANY))
            except IntegrityError:
                other = admin.funds.filter(number=raw_number).first()
                form.add_error("number", _(
                    "Fondsnummer: “%(n)s” is al in gebruik door fonds %(o)s; kies een vrij nummer (%(free)s).") % {
                    "n": raw_number, "o": other, "free": ", ".join(map(str, _free_numbers(admin)[:8]))})  # fmt: skip
            else:
                keys = f"{600 + fund.number} en {700 + fund.number}"
                messages.success(request, _("Fonds %(f)s is aangemaakt met de gekoppelde componenten %(k)s.") % {
                    "f": fund, "k": keys})  # fmt: skip
                return redirect("classic-fund", admin_id=admin.pk, number=fund.number)
    context = {"admin": admin, "form": form, "formset": formset, "full": full, "too_many": TOO_MANY,
               "free": _free_numbers(admin), "preset": preset, "preset_name": preset_name,
               "sources": sorted((preset or {}).get("sources", {}).items())}  # fmt: skip
    return render(request, "sandbox/classic/fund_form.html", context)


class _Full(Exception):
    """A 35th fund stored by someone else while this form was open."""


@staff_member_required
def abp(request: HttpRequest, admin_id: str) -> HttpResponse:
    """Fondsen -> Fonds ABP: the ABP schemes to choose from, each with the sources of its figures."""
    admin = get_object_or_404(PayrollAdministration.objects.select_related("employer"), pk=admin_id)
    schemes = [presets.load(info.name) for info in presets.available() if info.name.startswith(ABP_PREFIX)]
    rows = [{"preset": p, "sources": sorted(p.get("sources", {}).items())} for p in schemes]
    return render(request, "sandbox/classic/fund_abp.html", {"admin": admin, "rows": rows})


@staff_member_required
def edit_fund(request: HttpRequest, admin_id: str, number: int) -> HttpResponse:
    admin = get_object_or_404(PayrollAdministration.objects.select_related("employer"), pk=admin_id)
    fund = get_object_or_404(Fund, administration=admin, number=number)
    post = request.POST if request.method == "POST" else None
    form = FundForm(post, initial=initial_from(fund.settings, fund.name))
    choices = component_choices(admin)
    base_initial = [{"component": str(r.get("component")), "origin": r.get("origin")}
                    for r in fund.settings.get("base", [])]  # fmt: skip
    formset = BaseFormSet(post, prefix="base", initial=base_initial, form_kwargs={"components": choices})
    if post is not None and form.is_valid() and formset.is_valid():
        base, base_forms = base_from(formset)
        tables = {k: fund.settings.get(k, []) for k in ("franchise_table", "percentage_table")}
        fund_json = form.fund_json(fund.number, base, tables)
        error = check(fund_json)
        valid_from = form.cleaned_data["valid_from"]
        if error is not None:
            Save(admin, form, formset).refuse(error, base_forms)
        elif problem := _year_problem(admin, valid_from):
            form.add_error("valid_from", problem)
        else:
            _save_version(request, fund, fund_json, valid_from, _("Fonds %(f)s is opgeslagen, geldig vanaf %(d)s."))
            return redirect("classic-fund", admin_id=admin.pk, number=fund.number)
    linked = admin.components.filter(key__in=(600 + fund.number, 700 + fund.number))
    versions = list(fund.versions.select_related("saved_by"))
    notes = contribution(admin, fund.settings.get("base", []))
    context = {"admin": admin, "fund": fund, "form": form, "formset": formset, "linked": linked,
               "versions": versions, "notes": notes, "differ": sides_differ(fund.settings),
               "year": payroll_year(admin)}  # fmt: skip
    return render(request, "sandbox/classic/fund_form.html", context)


class TableRowForm(forms.Form):
    low = forms.CharField(label=TABLE_COLUMNS["from"], required=False, max_length=6)
    high = forms.CharField(label=TABLE_COLUMNS["to"], required=False, max_length=6)
    premium = forms.CharField(label=TABLE_COLUMNS["premium"], required=False, max_length=20)
    total = forms.CharField(label=TABLE_COLUMNS["total"], required=False, max_length=20)


TableFormSet = forms.formset_factory(TableRowForm, extra=3)


class ValidFromForm(forms.Form):
    valid_from = forms.DateField(label=LABELS["valid_from"], input_formats=["%d-%m-%Y", "%Y-%m-%d"],
                                 widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip


def _table_rows(formset: Any) -> tuple[list[dict[str, Any]], list[int]]:
    rows, at = [], []
    for index, row in enumerate(formset.forms):
        data = row.cleaned_data if hasattr(row, "cleaned_data") else {}
        if not any((data.get(k) or "").strip() for k in ("low", "high", "premium", "total")):
            continue
        rows.append({"from": whole_in(data.get("low") or ""), "to": whole_in(data.get("high") or ""),
                     "premium": number_in(data.get("premium") or "", ""),
                     "total": number_in(data.get("total") or "", "")})  # fmt: skip
        at.append(index)
    return rows, at


@staff_member_required
def tables(request: HttpRequest, admin_id: str, number: int) -> HttpResponse:
    """Leeftijd- of geboortejaar afhankelijke franchise en/of percentages: the tables of one fund."""
    admin = get_object_or_404(PayrollAdministration.objects.select_related("employer"), pk=admin_id)
    fund = get_object_or_404(Fund, administration=admin, number=number)
    post = request.POST if request.method == "POST" else None
    sets = {}
    for kind in ("franchise", "percentage"):
        initial = [{"low": r["from"], "high": r["to"], "premium": money_out(r["premium"]),
                    "total": money_out(r["total"])} for r in fund.settings.get(f"{kind}_table", [])]  # fmt: skip
        sets[kind] = TableFormSet(post, prefix=kind, initial=initial)
    dated = ValidFromForm(post)
    if post is not None and dated.is_valid() and all(s.is_valid() for s in sets.values()):
        typed = {kind: _table_rows(s) for kind, s in sets.items()}
        fund_json = {**fund.settings, "number": fund.number, "name": fund.name,
                     "franchise_table": typed["franchise"][0], "percentage_table": typed["percentage"][0]}  # fmt: skip
        error = check(fund_json)
        valid_from = dated.cleaned_data["valid_from"]
        if error is not None:
            spot = where(error)
            kind = spot.field.removesuffix("_table")
            if kind in sets and spot.row is not None:
                index = typed[kind][1][spot.row]
                row = sets[kind].forms[index]
                column = {"from": "low", "to": "high"}.get(spot.column or "", spot.column or "low")
                label = _("%(t)s regel %(n)s, %(c)s") % {"t": kind.capitalize(), "n": index + 1,
                                                          "c": TABLE_COLUMNS.get(spot.column or "from")}  # fmt: skip
                row.add_error(column, message(label, error, row.data.get(row.add_prefix(column), "")))
            else:
                dated.add_error(None, message(error.field, error, error.value))
        elif problem := _year_problem(admin, valid_from):
            dated.add_error("valid_from", problem)
        else:
            saved = _("De tabellen van fonds %(f)s zijn opgeslagen, geldig vanaf %(d)s.")
            _save_version(request, fund, fund_json, valid_from, saved)
            return redirect("classic-fund-tables", admin_id=admin.pk, number=fund.number)
    context = {"admin": admin, "fund": fund, "sets": sets, "dated": dated,
               "kinds": {"franchise": fund.settings.get("franchise_kind"),
                         "percentage": fund.settings.get("percentage_kind")}}  # fmt: skip
    return render(request, "sandbox/classic/fund_tables.html", context)
