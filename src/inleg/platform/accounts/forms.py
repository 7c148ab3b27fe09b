"""Forms of registration, login, invitations and rights. Errors name the field and the value given."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from inleg.platform.accounts.models import Company, Invitation, Right, User


def column_field[F: forms.CharField](
    model: type[models.Model], name: str, label: StrOrPromise, field_class: type[F], **kwargs: Any
) -> F:
    """A form field for a model's column: the column's max_length, and a length error that names the field.

    The form is where a value that does not fit is refused: SQLite stores it anyway, PostgreSQL fails the
    request (a 500). So the limit comes from the model, never a second number that can drift from it.
    """
    column = model._meta.get_field(name)
    if not isinstance(column, models.CharField) or not column.max_length:
        raise TypeError(f"{model.__name__}.{name} is not a column with a max_length")
    too_long = _("{field}: ten hoogste %(limit_value)d tekens, u gaf er %(show_value)d.")
    errors = {"max_length": format_lazy(too_long, field=label)}
    errors.update(kwargs.pop("error_messages", {}))
    return field_class(label=label, max_length=column.max_length, error_messages=errors, **kwargs)


class LowercaseEmailField(forms.EmailField):
    """E-mail addresses are kept in lower case; the length is checked on what is stored (lowering may lengthen)."""

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).lower()


def email_field(model: type[models.Model], name: str = "email") -> LowercaseEmailField:
    label = _("E-mailadres")
    invalid = format_lazy(_("{field}: '%(value)s' is geen geldig e-mailadres."), field=label)
    return column_field(model, name, label, LowercaseEmailField, error_messages={"invalid": invalid})


class PasswordPair(forms.Form):
    password = forms.CharField(label=_("Wachtwoord"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Wachtwoord (nogmaals)"), widget=forms.PasswordInput, strip=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Wachtwoord (nogmaals): de twee wachtwoorden zijn niet gelijk."))
        if first:
            try:
                password_validation.validate_password(first, user=self.password_owner(data))
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data

    def password_owner(self, data: dict[str, Any]) -> User | None:
        """The (unsaved) user the password is for: the password may not look like their e-mail address or name."""
        return None


def _email_free(email: str) -> str:
    email = email.lower()
    if User.objects.filter(email=email).exists():
        raise forms.ValidationError(
            _("E-mailadres: '%(value)s' heeft al een account; log in of kies een ander adres."),
            params={"value": email},
        )
    return email


class RegisterForm(PasswordPair):
    company_name = column_field(Company, "name", _("Bedrijfsnaam"), forms.CharField)
    # Exactly 8 digits, the column's length: a max_length here would only add a second message for one mistake.
    chamber_of_commerce_number = forms.RegexField(
        label=_("KvK-nummer"),
        regex=r"^\d{8}$",
        required=False,
        error_messages={"invalid": _("KvK-nummer: een KvK-nummer heeft 8 cijfers.")},
    )
    name = column_field(User, "name", _("Uw naam"), forms.CharField)
    email = email_field(User)
    field_order = ("company_name", "chamber_of_commerce_number", "name", "email", "password", "password2")

    def clean_chamber_of_commerce_number(self) -> str:
        value: str = self.cleaned_data.get("chamber_of_commerce_number", "")
        return value

    def clean_email(self) -> str:
        return _email_free(self.cleaned_data["email"])

    def password_owner(self, data: dict[str, Any]) -> User | None:
        return User(email=data.get("email") or self.data.get("email", ""), name=data.get("name", ""))


class LoginForm(forms.Form):
    email = email_field(User)
    password = forms.CharField(label=_("Wachtwoord"), widget=forms.PasswordInput, strip=False)


class RightsField(forms.MultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Right.choices, widget=forms.CheckboxSelectMultiple, required=False, **kwargs)


class InviteForm(forms.Form):
    name = column_field(Invitation, "name", _("Naam"), forms.CharField)
    email = email_field(Invitation)
    rights = RightsField(label=_("Rechten"), initial=[Right.MANAGE_INTEGRATION, Right.VIEW_EMPLOYEES])

    def __init__(self, *args: Any, company: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.company = company

    def clean_email(self) -> str:
        email = _email_free(self.cleaned_data["email"])
        if Invitation.objects.open().filter(company=self.company, email=email).exists():
            raise forms.ValidationError(
                _("E-mailadres: '%(value)s' heeft al een openstaande uitnodiging."), params={"value": email}
            )
        return email


class RightsForm(forms.Form):
    rights = RightsField(label=_("Rechten"))


class AcceptForm(PasswordPair):
    def __init__(self, *args: Any, invitation: Invitation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def password_owner(self, data: dict[str, Any]) -> User | None:
        return User(email=self.invitation.email, name=self.invitation.name)
