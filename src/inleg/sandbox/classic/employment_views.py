"""Loket Classic's tab Dienstverbanden: the employments of a wage model and, per employment, its funds.

The page Fondsen of a dienstverband shows every dated link to a fund, applies a werknemerprofiel, links one
fund by hand (from a date, with an optional end, deviation or fixed contribution) and ends a link from a day.
The rules are in ``payroll/profiles.py``; each refusal names the field and the value, and nothing is stored.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inleg.sandbox.classic.fund_form import number_in
from inleg.sandbox.classic.profile_views import DutchDateField
from inleg.sandbox.core.models import (
    EmployeeProfile,
    Employment,
    EmploymentFund,
    EmploymentProfile,
    PayrollAdministration,
)
from inleg.sandbox.payroll.profiles import (
    LinkError,
    Terms,
    active_year,
    apply_profile,
    day,
    end_link,
    link_by_hand,
    year_start,
)

PERCENT_MAX, MONEY_MAX = Decimal("100"), Decimal("99999999.99")


class ApplyForm(forms.Form):
    profile = forms.ChoiceField(
        label=gettext_lazy("Werknemerprofiel"),
        help_text=gettext_lazy(
            "Koppelt de fondsen van het profiel aan dit dienstverband (van de datum in dienst, of 01-01 van het "
            "actieve verloningsjaar bij een fonds met terugwerkende kracht en een ingangsmoment, tot de datum uit "
            "dienst). Opnieuw toepassen maakt geen dubbele koppelingen."
        ),
    )
    end_date = DutchDateField(
        label=gettext_lazy("Einddatum voor fondsen buiten het profiel"),
        required=False,
        help_text=gettext_lazy(
            "Alleen nodig als een eerder profiel fondsen gaf die dit profiel niet heeft: hun koppeling eindigt op "
            "deze dag (de laatste dag van deelname)."
        ),
    )

    def __init__(self, admin: PayrollAdministration, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["profile"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *((str(p.pk), p.name) for p in admin.profiles.all())]


def _amount(label: str, raw: str, places: int, most: Decimal) -> Decimal | None:
    """A typed percentage or amount (decimal comma or point), at most ``places`` decimals, 0..most."""
    text = number_in(raw or "", "")
    if not text:
        return None
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        raise ValidationError(_("%(f)s: “%(v)s” is geen getal; schrijf bijvoorbeeld 7,5.") % {"f": label, "v": raw})
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("%(f)s: “%(v)s” is geen getal.") % {"f": label, "v": raw}) from None
    if -value.as_tuple().exponent > places:  # type: ignore[operator]
        raise ValidationError(
            _("%(f)s: “%(v)s” heeft te veel decimalen (ten hoogste %(p)s).") % {"f": label, "v": raw, "p": places}
        )
    if value > most:
        raise ValidationError(_("%(f)s: “%(v)s” is groter dan %(m)s.") % {"f": label, "v": raw, "m": most})
    return value


class LinkForm(forms.Form):
    fund = forms.ChoiceField(label=gettext_lazy("Fonds"))
    start_date = DutchDateField(label=gettext_lazy("Begindatum"))
    end_date = DutchDateField(
        label=gettext_lazy("Einddatum"), required=False, help_text=gettext_lazy("Leeg: loopt door (open).")
    )
    deviation_premium = forms.CharField(label=gettext_lazy("Afwijkend % premie"), required=False, max_length=20)
    deviation_total = forms.CharField(label=gettext_lazy("Afwijkend % afdracht"), required=False, max_length=20)
    fixed_premium = forms.CharField(label=gettext_lazy("Vaste premie"), required=False, max_length=20)
    fixed_total = forms.CharField(label=gettext_lazy("Vaste afdracht"), required=False, max_length=20)

    def __init__(self, admin: PayrollAdministration, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["fund"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *((str(f.pk), str(f)) for f in admin.funds.all())]

    def _typed(self, name: str, places: int, most: Decimal) -> Decimal | None:
        return _amount(str(self.fields[name].label), self.cleaned_data.get(name) or "", places, most)

    def clean_deviation_premium(self) -> Decimal | None:
        return self._typed("deviation_premium", 4, PERCENT_MAX)

    def clean_deviation_total(self) -> Decimal | None:
        return self._typed("deviation_total", 4, PERCENT_MAX)

    def clean_fixed_premium(self) -> Decimal | None:
        return self._typed("fixed_premium", 2, MONEY_MAX)

    def clean_fixed_total(self) -> Decimal | None:
        return self._typed("fixed_total", 2, MONEY_MAX)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        pairs = {"deviation": ("deviation_premium", "deviation_total"), "fixed": ("fixed_premium", "fixed_total")}
        given = {kind: [data.get(n) is not None for n in names] for kind, names in pairs.items()}
        if any(given["deviation"]) and any(given["fixed"]):
            raise ValidationError(
                _("Een koppeling heeft een afwijking of een vaste bijdrage, niet beide; maak de andere velden leeg.")
            )
        for kind, names in pairs.items():
            if any(given[kind]) and not all(given[kind]):
                missing = names[given[kind].index(False)]
                self.add_error(missing, _("%(f)s is leeg; vul het in (premie en afdracht gaan samen).") % {
                    "f": self.fields[missing].label})  # fmt: skip
        return data

    def terms(self) -> Terms:
        d = self.cleaned_data
        return Terms(d.get("deviation_premium"), d.get("deviation_total"), d.get("fixed_premium"), d.get("fixed_total"))


class EndForm(forms.Form):
    link = forms.UUIDField(widget=forms.HiddenInput)
    end_date = DutchDateField(label=gettext_lazy("Beëindigen per"))


@staff_member_required
def employments(request: HttpRequest, admin_id: str) -> HttpResponse:
    admin = get_object_or_404(PayrollAdministration.objects.select_related("employer"), pk=admin_id)
    rows = (
        Employment.objects.filter(administration=admin)
        .select_related("employee", "profile_choice__profile")
        .order_by("employee__employee_number", "start_date")
    )
    return render(request, "sandbox/classic/employments.html", {"admin": admin, "rows": rows})


def _profile_of(employment: Employment) -> EmployeeProfile | None:
    choice = EmploymentProfile.objects.filter(employment=employment).select_related("profile").first()
    return choice.profile if choice else None


@staff_member_required
def employment_funds(request: HttpRequest, admin_id: str, employment_id: str) -> HttpResponse:
    admin = get_object_or_404(PayrollAdministration.objects.select_related("employer"), pk=admin_id)
    employment = get_object_or_404(
        Employment.objects.select_related("employee", "administration"), pk=employment_id, administration=admin
    )
    action = request.POST.get("action") if request.method == "POST" else None
    current = _profile_of(employment)
    apply_form = ApplyForm(admin, request.POST if action == "profile" else None,
                           initial={"profile": str(current.pk) if current else ""})  # fmt: skip
    link_form = LinkForm(admin, request.POST if action == "link" else None)
    end_form = EndForm(request.POST if action == "end" else None)
    if action == "profile" and apply_form.is_valid():
        profile = get_object_or_404(EmployeeProfile, pk=apply_form.cleaned_data["profile"], administration=admin)
        try:
            done = apply_profile(employment, profile, apply_form.cleaned_data["end_date"])
        except LinkError as error:
            apply_form.add_error(error.field if error.field in apply_form.fields else None, error.message)
        else:
            for link in done.created:
                messages.success(request, _("Fonds %(f)s gekoppeld: %(s)s.") % {"f": link.fund, "s": _span(link)})
            for link in done.ended:
                messages.success(request, _("Fonds %(f)s beëindigd: %(s)s.") % {"f": link.fund, "s": _span(link)})
            for note in [*done.kept, *done.skipped]:
                messages.info(request, note)
            if not (done.created or done.ended or done.kept or done.skipped):
                messages.info(request, _("Profiel %(p)s heeft geen fondsen; er is niets gekoppeld.") % {"p": profile})
            return redirect("classic-employment-funds", admin_id=admin.pk, employment_id=employment.pk)
    elif action == "link" and link_form.is_valid():
        fund = get_object_or_404(admin.funds, pk=link_form.cleaned_data["fund"])
        data = link_form.cleaned_data
        try:
            link, closed = link_by_hand(employment, fund, data["start_date"], data["end_date"], link_form.terms())
        except LinkError as error:
            link_form.add_error(error.field, error.message)
        else:
            if closed is not None:
                messages.success(request, _("De vorige koppeling aan fonds %(f)s eindigt op %(d)s.") % {
                    "f": fund, "d": day(closed.end_date) if closed.end_date else ""})  # fmt: skip
            messages.success(request, _("Fonds %(f)s gekoppeld: %(s)s.") % {"f": fund, "s": _span(link)})
            return redirect("classic-employment-funds", admin_id=admin.pk, employment_id=employment.pk)
    elif action == "end" and end_form.is_valid():
        link = get_object_or_404(EmploymentFund, pk=end_form.cleaned_data["link"], employment=employment)
        try:
            changed = end_link(link, end_form.cleaned_data["end_date"])
        except LinkError as error:
            end_form.add_error("end_date", error.message)
        else:
            if changed:
                messages.success(request, _("Fonds %(f)s beëindigd: %(s)s.") % {"f": link.fund, "s": _span(link)})
            else:
                messages.info(request, _("Fonds %(f)s was al beëindigd: %(s)s.") % {"f": link.fund, "s": _span(link)})
            return redirect("classic-employment-funds", admin_id=admin.pk, employment_id=employment.pk)
    year = active_year(admin)
    first_day = year_start(admin, year)
    links = list(EmploymentFund.objects.filter(employment=employment).select_related("fund", "profile"))
    failed_end = str(end_form["link"].value()) if action == "end" and end_form.errors else ""
    context = {"admin": admin, "employment": employment, "profile": current, "apply_form": apply_form,
               "link_form": link_form, "end_form": end_form, "failed_end": failed_end, "links": links,
               "year": year, "first_day": first_day,
               "before_year": [link for link in links if link.start_date < first_day]}  # fmt: skip
    return render(request, "sandbox/classic/employment_funds.html", context)


def _span(link: EmploymentFund) -> str:
    end = day(link.end_date) if link.end_date else _("open")
    return f"{day(link.start_date)} t/m {end}"
