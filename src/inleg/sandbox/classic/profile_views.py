"""Loket Classic's tab Werknemerprofielen (seed 004): per wage model, profiles that activate or end funds.

A profile has a name and rows "fonds + met terugwerkende kracht". Saving checks the whole form first and
stores it in one transaction; a fund taken out of a profile ends the links the profile made, on a last day
the administrator gives (history is never deleted). Applying a profile is done per employment (tab
Dienstverbanden, ``employment_views.py``); ``payroll/profiles.py`` holds the rules.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inleg.sandbox.core.models import EmployeeProfile, EmployeeProfileFund, EmploymentFund, PayrollAdministration
from inleg.sandbox.payroll.profiles import LinkError, active_year, remove_profile_fund, year_start

YES_NO = [("false", gettext_lazy("Nee")), ("true", gettext_lazy("Ja"))]
HELP_NAME = gettext_lazy(
    "De naam waaronder u het profiel bij een dienstverband kiest. Met een profiel worden de fondsen van een "
    "werknemer automatisch geactiveerd en beëindigd."
)
HELP_FUND = gettext_lazy(
    "Het fonds dat een werknemer met dit profiel krijgt. De koppeling loopt van de datum in dienst tot de datum "
    "uit dienst; de leeftijden van het ingangs- en eindmoment van het fonds bepalen daarbinnen wanneer de "
    "deelname echt begint en stopt."
)
HELP_RETROACTIVE = gettext_lazy(
    "Alleen van belang voor een fonds met een ingangsmoment. Ja: krijgt een nieuwe werknemer die vóór het "
    "actieve verloningsjaar in dienst kwam dit profiel, dan gaat het fonds in op 01-01 van dat jaar. Nee, of "
    "een fonds zonder ingangsmoment: het fonds gaat in op de datum in dienst. Een voorgaand jaar wordt nooit "
    "berekend of herrekend."
)
HELP_END = gettext_lazy(
    "Nodig als u een fonds uit het profiel haalt terwijl dienstverbanden het via dit profiel hebben: hun "
    "koppeling eindigt op deze dag (de laatste dag van deelname). Een koppeling wordt nooit gewist."
)


class DutchDateField(forms.DateField):
    """A date typed as dd-mm-jjjj (or picked); a refusal names the field and the value as typed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%d-%m-%Y", "%Y-%m-%d"])
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> date | None:
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(
                _("%(f)s: “%(v)s” is geen datum; schrijf dd-mm-jjjj, bijvoorbeeld 01-01-2025.")
                % {"f": self.label, "v": value}
            ) from None


class ProfileForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Naam"), max_length=50, help_text=HELP_NAME)
    end_date = DutchDateField(label=gettext_lazy("Einddatum bij verwijderen"), required=False, help_text=HELP_END)

    def __init__(self, admin: PayrollAdministration, profile: EmployeeProfile | None, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.admin, self.profile = admin, profile

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        if not name:
            raise ValidationError(_("Naam is leeg; vul het in."))
        others = EmployeeProfile.objects.filter(administration=self.admin, name__iexact=name)
        if self.profile is not None:
            others = others.exclude(pk=self.profile.pk)
        if others.exists():
            raise ValidationError(
                _("Naam: “%(n)s” is al de naam van een ander profiel van dit loonmodel; kies een andere naam.")
                % {"n": name}
            )
        return name


class RowForm(forms.Form):
    fund = forms.ChoiceField(label=gettext_lazy("Fonds"), required=False, help_text=HELP_FUND)
    retroactive = forms.ChoiceField(
        label=gettext_lazy("Met terugwerkende kracht"), choices=YES_NO, initial="false", help_text=HELP_RETROACTIVE
    )
    remove = forms.BooleanField(label=gettext_lazy("Verwijderen"), required=False)

    def __init__(self, *args: Any, funds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["fund"]
        assert isinstance(field, forms.ChoiceField)
        # No fund is chosen for the administrator: a wrong guess would link the wrong fund.
        field.choices = [("", "—"), *funds]


RowFormSet = forms.formset_factory(RowForm, extra=3)


def _funds(admin: PayrollAdministration) -> list[tuple[str, str]]:
    return [(str(f.pk), str(f)) for f in admin.funds.all()]


@staff_member_required
def profiles(request: HttpRequest, admin_id: str) -> HttpResponse:
    admin = get_object_or_404(PayrollAdministration.objects.select_related("employer"), pk=admin_id)
    rows = []
    for profile in admin.profiles.prefetch_related("rows__fund"):
        rows.append({"profile": profile, "rows": list(profile.rows.all()), "employments": profile.employments.count()})
    year = active_year(admin)
    context = {"admin": admin, "rows": rows, "year": year, "first_day": year_start(admin, year)}
    return render(request, "sandbox/classic/profiles.html", context)


@staff_member_required
def add_profile(request: HttpRequest, admin_id: str) -> HttpResponse:
    return _profile_form(request, admin_id, None)


@staff_member_required
def edit_profile(request: HttpRequest, admin_id: str, profile_id: int) -> HttpResponse:
    return _profile_form(request, admin_id, profile_id)


def _profile_form(request: HttpRequest, admin_id: str, profile_id: int | None) -> HttpResponse:
    admin = get_object_or_404(PayrollAdministration.objects.select_related("employer"), pk=admin_id)
    profile = get_object_or_404(EmployeeProfile, pk=profile_id, administration=admin) if profile_id else None
    post = request.POST if request.method == "POST" else None
    existing = list(profile.rows.select_related("fund")) if profile else []
    initial = [{"fund": str(r.fund_id), "retroactive": "true" if r.retroactive else "false"} for r in existing]
    form = ProfileForm(admin, profile, post, initial={"name": profile.name if profile else ""})
    formset = RowFormSet(post, prefix="rows", initial=initial, form_kwargs={"funds": _funds(admin)})
    if post is not None and form.is_valid() and formset.is_valid():
        plan = _plan(form, formset, existing)
        if plan is not None:
            try:
                saved = _save(admin, profile, form.cleaned_data["name"], plan, form.cleaned_data["end_date"])
            except LinkError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("Werknemerprofiel %(p)s is opgeslagen.") % {"p": saved.name})
                return redirect("classic-profile", admin_id=admin.pk, profile_id=saved.pk)
    links = EmploymentFund.objects.filter(profile=profile).count() if profile else 0
    context = {"admin": admin, "profile": profile, "form": form, "formset": formset, "existing": len(existing),
               "links": links, "employments": profile.employments.count() if profile else 0}  # fmt: skip
    return render(request, "sandbox/classic/profile_form.html", context)


def _plan(form: ProfileForm, formset: Any, existing: list[EmployeeProfileFund]) -> dict[str, Any] | None:
    """The rows to keep, add and remove, or None after putting every refusal on its field."""
    keep: dict[int, bool] = {}
    remove: list[EmployeeProfileFund] = []
    seen: dict[str, int] = {}
    labels = dict(formset.forms[0].fields["fund"].choices) if formset.forms else {}
    ok = True
    for index, row in enumerate(formset.forms):
        data = row.cleaned_data
        fund = data.get("fund") or ""
        old = existing[index] if index < len(existing) else None
        if old is not None and fund != str(old.fund_id):
            # an existing row keeps its fund: a different fund is a removal and a new row
            row.add_error("fund", _(
                "Fonds regel %(n)s: het fonds van een bestaande regel wijzigt niet; verwijder de regel en voeg "
                "het andere fonds toe op een lege regel.") % {"n": index + 1})  # fmt: skip
            ok = False
            continue
        if old is not None and data.get("remove"):
            remove.append(old)
            continue
        if not fund:
            continue
        if fund in seen:
            row.add_error("fund", _("Fonds regel %(n)s: “%(f)s” staat al in dit profiel (regel %(m)s).") % {
                "n": index + 1, "f": labels.get(fund, fund), "m": seen[fund] + 1})  # fmt: skip
            ok = False
            continue
        seen[fund] = index
        keep[int(fund)] = data.get("retroactive") == "true"
    if not ok:
        return None
    return {"keep": keep, "remove": remove}


def _save(
    admin: PayrollAdministration,
    profile: EmployeeProfile | None,
    name: str,
    plan: dict[str, Any],
    end_date: date | None,
) -> EmployeeProfile:
    with transaction.atomic():
        if profile is None:
            profile = EmployeeProfile.objects.create(administration=admin, name=name)
        else:
            profile.name = name
            profile.save(update_fields=["name"])
        for row in plan["remove"]:
            open_links = EmploymentFund.objects.filter(profile=profile, fund_id=row.fund_id, end_date__isnull=True)
            if end_date is None and open_links.exists():
                raise LinkError(
                    "end_date",
                    _(
                        "Einddatum bij verwijderen is leeg, maar %(n)s dienstverband(en) heeft fonds %(f)s via dit "
                        "profiel. Vul de laatste dag van deelname in."
                    )
                    % {"n": open_links.values("employment").distinct().count(), "f": row.fund},
                )
            if end_date is None:
                row.delete()
            else:
                remove_profile_fund(row, end_date)
        for fund_id, retroactive in plan["keep"].items():
            EmployeeProfileFund.objects.update_or_create(
                profile=profile, fund_id=fund_id, defaults={"retroactive": retroactive}
            )
    return profile
