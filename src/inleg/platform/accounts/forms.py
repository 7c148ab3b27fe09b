"""Forms of registration, login, invitations and rights. Errors name the field and the value given."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from inleg.platform.accounts.models import Invitation, Right, User


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
    company_name = forms.CharField(label=_("Bedrijfsnaam"), max_length=120)
    chamber_of_commerce_number = forms.RegexField(
        label=_("KvK-nummer"),
        regex=r"^\d{8}$",
        required=False,
        error_messages={"invalid": _("KvK-nummer: een KvK-nummer heeft 8 cijfers.")},
    )
    name = forms.CharField(label=_("Uw naam"), max_length=120)
    email = forms.EmailField(label=_("E-mailadres"))
    field_order = ("company_name", "chamber_of_commerce_number", "name", "email", "password", "password2")

    def clean_chamber_of_commerce_number(self) -> str:
        value: str = self.cleaned_data.get("chamber_of_commerce_number", "")
        return value

    def clean_email(self) -> str:
        return _email_free(self.cleaned_data["email"])

    def password_owner(self, data: dict[str, Any]) -> User | None:
        return User(email=data.get("email") or self.data.get("email", ""), name=data.get("name", ""))


class LoginForm(forms.Form):
    email = forms.EmailField(label=_("E-mailadres"))
    password = forms.CharField(label=_("Wachtwoord"), widget=forms.PasswordInput, strip=False)


class RightsField(forms.MultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Right.choices, widget=forms.CheckboxSelectMultiple, required=False, **kwargs)


class InviteForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=120)
    email = forms.EmailField(label=_("E-mailadres"))
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
