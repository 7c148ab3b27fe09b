"""The app's forms (Dutch source texts, English in the catalogue); errors name the field and the value given."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inleg.platform.accounts.forms import PasswordPair
from inleg.platform.accounts.models import User
from inleg.platform.app.models import EmployeeInvitation
from inleg.platform.domain.contributions.preview import euro
from inleg.platform.domain.money import Cents

# The app's bound on the own net amount per period: the domain allows far more (the database's bound is a
# hundred million), but more than this a month is a typing mistake far more often than an intention.
MAX_NET_CENTS = 1_000_00


def _not_an_amount(raw: str, field: str) -> str:
    return _("%(field)s: '%(raw)s' is geen bedrag in euro's (zoals 25,00).") % {"field": field, "raw": raw}


def parse_euro(raw: str, field: str) -> Decimal:
    """``1.234,56`` / ``1234,56`` / ``1234.56`` as a Decimal; a clear error otherwise."""
    text = raw.strip().replace("€", "").replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise forms.ValidationError(_not_an_amount(raw, field)) from None
    if not value.is_finite():
        raise forms.ValidationError(_not_an_amount(raw, field))
    if value < 0:
        raise forms.ValidationError(
            _("%(field)s: '%(raw)s' is negatief; vul 0 of meer in.") % {"field": field, "raw": raw}
        )
    if value != value.quantize(Decimal("0.01")):
        raise forms.ValidationError(
            _("%(field)s: '%(raw)s' heeft meer dan twee cijfers achter de komma.") % {"field": field, "raw": raw}
        )
    return value


class DateInput(forms.DateInput):
    input_type = "date"


class OnboardingForm(PasswordPair):
    date_of_birth = forms.DateField(
        label=gettext_lazy("Uw geboortedatum"),
        widget=DateInput(format="%Y-%m-%d", attrs={"autocomplete": "bday"}),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={"invalid": gettext_lazy("Uw geboortedatum: vul een datum in, zoals 31-12-1990.")},
    )
    field_order = ("date_of_birth", "password", "password2")

    def __init__(self, *args: Any, invitation: EmployeeInvitation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.fields["password"].widget.attrs["autocomplete"] = "new-password"
        self.fields["password2"].widget.attrs["autocomplete"] = "new-password"

    def password_owner(self, data: dict[str, Any]) -> User | None:
        return User(email=self.invitation.email, name=self.invitation.employee.full_name)


class TermsForm(forms.Form):
    accept = forms.BooleanField(
        label=gettext_lazy("Ik heb de voorwaarden gelezen en ga ermee akkoord"),
        error_messages={"required": gettext_lazy("Voorwaarden: vink aan dat u ze gelezen hebt en ermee akkoord gaat.")},
    )


class NetAmountForm(forms.Form):
    amount = forms.CharField(
        label=gettext_lazy("Eigen inleg per maand (netto, in euro's)"),
        help_text=gettext_lazy("Bijvoorbeeld 25,00. Uw werkgever legt daarnaast zelf in; dat verandert hier niet."),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def clean_amount(self) -> Cents:
        raw = self.cleaned_data["amount"]
        value = parse_euro(raw, _("Eigen inleg"))
        cents = Cents.parse(value, "amount")
        if cents.value > MAX_NET_CENTS:
            raise forms.ValidationError(
                _("Eigen inleg: '%(raw)s' is meer dan het maximum van %(maximum)s per maand.")
                % {"raw": raw, "maximum": euro(Cents(MAX_NET_CENTS))}
            )
        return cents


class EstimateForm(forms.Form):
    income = forms.CharField(
        label=gettext_lazy("Uw bruto jaarinkomen van vorig jaar (in euro's)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    factor_a = forms.CharField(
        label=gettext_lazy("Uw factor A van vorig jaar (van uw pensioenoverzicht; 0 als u geen pensioen opbouwt)"),
        max_length=20,
        required=False,
        initial="0",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def clean_income(self) -> Decimal:
        return parse_euro(self.cleaned_data["income"], _("Jaarinkomen"))

    def clean_factor_a(self) -> Decimal:
        raw = self.cleaned_data.get("factor_a") or "0"
        return parse_euro(raw, _("Factor A"))
