"""Loket Classic, as far as the seed needs it, in Django's admin: users and rights, components, funds."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from inleg.sandbox.core import models
from inleg.sandbox.core.rights import ALL_ACTIVITIES, Right

admin.site.site_header = _("Loket Classic (sandbox)")


class RightsField(forms.MultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        kwargs.pop("max_length", None)
        super().__init__(choices=Right.choices, widget=forms.CheckboxSelectMultiple, required=False, **kwargs)


class EmployerLinkForm(forms.ModelForm[models.EmployerLink]):
    rights = RightsField(label=_("rechten"))

    class Meta:
        model = models.EmployerLink
        fields = ("employer", "rights")


class EmployerLinkInline(admin.TabularInline[models.EmployerLink, models.LoketUser]):
    model = models.EmployerLink
    form = EmployerLinkForm
    extra = 1


class LoketUserForm(forms.ModelForm[models.LoketUser]):
    provider_rights = RightsField(label=_("rechten op AK-niveau"))

    class Meta:
        model = models.LoketUser
        fields = "__all__"


@admin.register(models.LoketUser)
class LoketUserAdmin(UserAdmin[models.LoketUser]):
    form = LoketUserForm
    list_display = ("username", "kind", "level", "is_active", "provider")
    list_filter = ("kind", "level", "is_active")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("Loket"), {"fields": ("kind", "level", "provider", "initials", "prefix", "role", "provider_rights")}),
    )
    inlines = (EmployerLinkInline,)


class ComponentForm(forms.ModelForm[models.PayrollComponent]):
    class Meta:
        model = models.PayrollComponent
        fields = "__all__"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        category, key = data.get("category"), data.get("key")
        free = models.FREE_COMPONENT_KEYS.get(category) if category is not None else None
        if self.instance.pk is None and (free is None or key not in free):
            raise forms.ValidationError(
                _("Kies een vrij component: nummer %(key)s is geen vrij component van categorie %(c)s.")
                % {"key": key, "c": category}
            )
        return data


@admin.register(models.PayrollComponent)
class ComponentAdmin(admin.ModelAdmin[models.PayrollComponent]):
    form = ComponentForm
    list_display = ("key", "description", "category", "paid_gross", "withheld_net", "to_excasso", "administration")
    list_filter = ("administration", "category")

    def get_readonly_fields(self, request: HttpRequest, obj: models.PayrollComponent | None = None) -> tuple[str, ...]:
        # Loket Classic: once saved, the number, category and kind of a component cannot change.
        return ("administration", "key", "category", "deduction_or_payment") if obj is not None else ()


@admin.register(models.Fund)
class FundAdmin(admin.ModelAdmin[models.Fund]):
    list_display = ("number", "name", "administration")
    list_filter = ("administration",)


class EmploymentFundInline(admin.TabularInline[models.EmploymentFund, models.Employment]):
    model = models.EmploymentFund
    extra = 1


class BenefitInline(admin.TabularInline[models.BenefitDeduction, models.Employment]):
    model = models.BenefitDeduction
    extra = 0


class PeriodInputInline(admin.TabularInline[models.PeriodInput, models.Employment]):
    model = models.PeriodInput
    extra = 0


class WageInline(admin.TabularInline[models.Wage, models.Employment]):
    model = models.Wage
    extra = 0


class WorkingHoursInline(admin.TabularInline[models.WorkingHours, models.Employment]):
    model = models.WorkingHours
    extra = 0


@admin.register(models.Employment)
class EmploymentAdmin(admin.ModelAdmin[models.Employment]):
    list_display = ("employee", "administration", "start_date", "end_date")
    list_select_related = ("employee", "administration")
    inlines = (WageInline, WorkingHoursInline, EmploymentFundInline, BenefitInline, PeriodInputInline)


@admin.register(models.Shift)
class ShiftAdmin(admin.ModelAdmin[models.Shift]):
    list_display = ("number", "full_time_hours_per_week", "bonus_percentage", "administration")
    list_filter = ("administration",)


class ClientProfileForm(forms.ModelForm[models.ClientProfile]):
    allowed_activities = forms.MultipleChoiceField(
        label=_("toegestane activiteiten"),
        choices=[(a, a) for a in ALL_ACTIVITIES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = models.ClientProfile
        fields = ("application", "description", "allowed_activities")


@admin.register(models.ClientProfile)
class ClientProfileAdmin(admin.ModelAdmin[models.ClientProfile]):
    form = ClientProfileForm
    list_display = ("application", "description")


for model in (models.Provider, models.Employer, models.PayrollAdministration, models.Employee):
    admin.site.register(model)
