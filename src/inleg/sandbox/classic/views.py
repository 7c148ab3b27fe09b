"""Loket Classic's tab Componenten: add a free component the seed's way, then set how it is paid.

Toevoegen: choose a category, then a free component from that category's list, and a name of at most
14 characters. After saving, the number and the category cannot change; the name and the payment
settings (bruto betalen, netto inhouden, via excasso) can.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inleg.sandbox.core.models import (
    CATEGORIES,
    DEDUCTION_OR_PAYMENT,
    FREE_COMPONENT_KEYS,
    LoketUser,
    PayrollAdministration,
    PayrollComponent,
)

NET_DEDUCTION = 13


def free_keys(admin: PayrollAdministration, category: int) -> list[int]:
    used = set(admin.components.values_list("key", flat=True))
    return [key for key in FREE_COMPONENT_KEYS.get(category, range(0)) if key not in used]


class AddComponentForm(forms.Form):
    category = forms.TypedChoiceField(label=gettext_lazy("Categorie"), coerce=int)
    key = forms.TypedChoiceField(label=gettext_lazy("Vrij component"), coerce=int)
    description = forms.CharField(label=gettext_lazy("Naam"), max_length=14)

    def __init__(self, admin: PayrollAdministration, category: int | None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._offer("category", [(c, f"{c} {CATEGORIES[c]}") for c in sorted(FREE_COMPONENT_KEYS)])
        keys = free_keys(admin, category) if category is not None else []
        self._offer("key", [(k, str(k)) for k in keys])

    def _offer(self, name: str, choices: list[tuple[int, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # both are declared above as TypedChoiceFields
        field.choices = choices


class EditComponentForm(forms.ModelForm[PayrollComponent]):
    class Meta:
        model = PayrollComponent
        fields = ("description", "paid_gross", "withheld_net", "to_excasso")


@staff_member_required
def administrations(request: HttpRequest) -> HttpResponse:
    rows = PayrollAdministration.objects.select_related("employer").order_by("employer__employer_number")
    return render(request, "sandbox/classic/administrations.html", {"administrations": rows})


@staff_member_required
def components(request: HttpRequest, admin_id: str) -> HttpResponse:
    admin = get_object_or_404(PayrollAdministration, pk=admin_id)
    rows = [
        {"component": c, "category": CATEGORIES[c.category],
         "kind": DEDUCTION_OR_PAYMENT.get(c.deduction_or_payment or 0, "")}
        for c in admin.components.all()
    ]  # fmt: skip
    return render(request, "sandbox/classic/components.html", {"admin": admin, "rows": rows})


@staff_member_required
def add_component(request: HttpRequest, admin_id: str) -> HttpResponse:
    admin = get_object_or_404(PayrollAdministration, pk=admin_id)
    raw = request.POST.get("category") or request.GET.get("category")
    category = int(raw) if raw and raw.isdigit() and int(raw) in FREE_COMPONENT_KEYS else None
    data = request.POST if request.method == "POST" and "key" in request.POST else None
    form = AddComponentForm(admin, category, data=data, initial={"category": category})
    if data is not None and form.is_valid():
        chosen = form.cleaned_data["category"]
        net = chosen == NET_DEDUCTION
        try:
            with transaction.atomic():
                component = PayrollComponent.objects.create(
                    administration=admin, key=form.cleaned_data["key"], description=form.cleaned_data["description"],
                    category=chosen, deduction_or_payment=1 if chosen in (12, 13) else 2, is_free=True,
                    sign=-1 if chosen == 12 else 1, in_257=1 if chosen == 7 else (-1 if chosen == 12 else 0),
                    in_265=1 if chosen == 7 else (-1 if chosen == 12 else 0), to_excasso=net,
                )  # fmt: skip
        except IntegrityError:
            form.add_error("key", _("Dit component is intussen al in gebruik; kies een ander."))
        else:
            messages.success(request, _("Component %(key)s %(name)s is toegevoegd.") % {
                "key": component.key, "name": component.description})  # fmt: skip
            return redirect("classic-component", admin_id=admin.pk, key=component.key)
    return render(request, "sandbox/classic/add_component.html", {"admin": admin, "form": form, "category": category})


@staff_member_required
def edit_component(request: HttpRequest, admin_id: str, key: int) -> HttpResponse:
    admin = get_object_or_404(PayrollAdministration, pk=admin_id)
    component = get_object_or_404(PayrollComponent, administration=admin, key=key)
    form = EditComponentForm(request.POST or None, instance=component)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Component %(key)s is opgeslagen.") % {"key": component.key})
        return redirect("classic-components", admin_id=admin.pk)
    context = {"admin": admin, "component": component, "form": form, "category": CATEGORIES[component.category]}
    return render(request, "sandbox/classic/edit_component.html", context)


class RunForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Jaar"), min_value=2000, max_value=2100)
    period = forms.IntegerField(label=gettext_lazy("Periode"), min_value=1, max_value=13)


@staff_member_required
def payroll(request: HttpRequest, admin_id: str) -> HttpResponse:
    """Tab Verloning: start a run for a period, approve a finished run (which writes the excasso)."""
    from inleg.sandbox.core.models import PayrollRun, RunStatus
    from inleg.sandbox.payroll.run import PayrollError, approve_run, run_period

    admin = get_object_or_404(PayrollAdministration, pk=admin_id)
    operator = request.user if isinstance(request.user, LoketUser) else None  # staff_member_required: a LoketUser
    form = RunForm(request.POST if request.POST.get("action") == "run" else None)
    problem = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "run" and form.is_valid():
                run = run_period(admin, form.cleaned_data["year"], form.cleaned_data["period"], operator)
                messages.success(request, _("Verloning %(p)s is gereed.") % {"p": run.period})
                return redirect("classic-payroll", admin_id=admin.pk)
            if request.POST.get("action") == "approve":
                run = get_object_or_404(PayrollRun, pk=request.POST.get("run"), administration=admin)
                approve_run(run, operator)
                messages.success(request, _("Verloning %(p)s is goedgekeurd.") % {"p": run.period})
                return redirect("classic-payroll", admin_id=admin.pk)
        except PayrollError as error:
            problem = str(error)  # shown above the form (the approve button posts no form data to attach it to)
    runs = PayrollRun.objects.filter(administration=admin).select_related("period").exclude(status=RunStatus.REMOVED)
    context = {"admin": admin, "form": form, "runs": runs, "done": RunStatus.DONE, "problem": problem}
    return render(request, "sandbox/classic/payroll.html", context)


@staff_member_required
def run_results(request: HttpRequest, admin_id: str, run_id: str) -> HttpResponse:
    """The result lines of one run, per employment: gross, fund premiums and remittances, totals, excasso."""
    from inleg.sandbox.core.models import COLUMNS, PayrollRun

    admin = get_object_or_404(PayrollAdministration, pk=admin_id)
    run = get_object_or_404(PayrollRun.objects.select_related("period"), pk=run_id, administration=admin)
    employments: dict[Any, dict[str, Any]] = {}
    for line in run.results.select_related("employment__employee").order_by(
        "employment__employee__employee_number", "component_key", "column"
    ):
        entry = employments.setdefault(line.employment_id, {"employment": line.employment, "lines": []})
        entry["lines"].append({"line": line, "column": COLUMNS.get(line.column, "")})
    context = {"admin": admin, "run": run, "employments": list(employments.values())}
    return render(request, "sandbox/classic/run.html", context)
