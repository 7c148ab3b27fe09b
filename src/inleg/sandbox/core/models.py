"""The sandbox's data: what Loket.nl holds for a provider, its employers, users and payroll."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from inleg.sandbox.core.chains import Overlap, check_update
from inleg.sandbox.core.rights import Right

MAX_FUNDS = 35
ADMINISTRATION = _("salarisverwerkende administratie")


class Counter(models.Model):
    """Monotonic int64 counters (Loket's lastModifiedVersionNumber, ETags)."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.BigIntegerField(default=0)


def next_versions(count: int = 1) -> int:
    """Reserve ``count`` version numbers; returns the first. Runs inside the caller's transaction."""
    with transaction.atomic():
        Counter.objects.get_or_create(name="version")
        Counter.objects.filter(name="version").update(value=F("value") + count)
        last = Counter.objects.get(name="version").value
    return last - count + 1


class Versioned(models.Model):
    version = models.BigIntegerField(default=0, editable=False, db_index=True)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.version = next_versions()
        super().save(*args, **kwargs)

    @property
    def etag(self) -> str:
        return f'"{self.version}"'


class Provider(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("naam"), max_length=70)

    class Meta:
        verbose_name = _("administratiekantoor")
        verbose_name_plural = _("administratiekantoren")

    def __str__(self) -> str:
        return self.name


class Employer(Versioned):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="employers", verbose_name=_("administratiekantoor")
    )
    employer_number = models.PositiveIntegerField(_("werkgeversnummer"), unique=True)
    company_name = models.CharField(_("bedrijfsnaam"), max_length=70)
    chamber_of_commerce_number = models.CharField(_("KvK-nummer"), max_length=35, blank=True)
    street = models.CharField(_("straat"), max_length=24, default="Dorpsstraat")
    house_number = models.PositiveIntegerField(_("huisnummer"), default=1)
    postal_code = models.CharField(_("postcode"), max_length=9, default="1000 AA")
    city = models.CharField(_("plaats"), max_length=24, default="Amsterdam")
    iban = models.CharField(
        _("IBAN werkgever"), max_length=34, help_text=_("rekening waarvan het excasso betaald wordt")
    )
    bic = models.CharField(_("BIC werkgever"), max_length=11, blank=True)
    pension_provider_name = models.CharField(_("naam pensioenuitvoerder"), max_length=70, default="Pensify")
    pension_provider_iban = models.CharField(_("IBAN pensioenuitvoerder"), max_length=34, blank=True)

    class Meta:
        verbose_name = _("werkgever")
        verbose_name_plural = _("werkgevers")
        ordering = ("employer_number",)

    def __str__(self) -> str:
        return f"{self.employer_number} {self.company_name}"


class LoketUser(AbstractUser):
    class Kind(models.TextChoices):
        NORMAL = "normal", _("normale gebruiker")
        WEBSERVICE = "webservice", _("webservicegebruiker")

    class Level(models.TextChoices):
        EMPLOYER = "employer", _("werkgeverniveau")
        PROVIDER = "provider", _("AK-niveau (alle werkgevers van het administratiekantoor)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("soort gebruiker"), max_length=12, choices=Kind.choices, default=Kind.NORMAL)
    level = models.CharField(_("niveau"), max_length=10, choices=Level.choices, default=Level.EMPLOYER)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    initials = models.CharField(_("voorletters"), max_length=6, blank=True)
    prefix = models.CharField(_("tussenvoegsel"), max_length=10, blank=True)
    role = models.CharField(_("rol"), max_length=50, default="Salarisadministrateur")
    provider_rights = models.JSONField(
        _("rechten op AK-niveau"), default=list, blank=True, help_text=_("gelden voor alle werkgevers van het kantoor")
    )

    class Meta:
        verbose_name = _("Loket-gebruiker")
        verbose_name_plural = _("Loket-gebruikers")

    def clean(self) -> None:
        super().clean()
        if self.level == self.Level.PROVIDER and self.provider_id is None:
            raise ValidationError({"provider": _("Een gebruiker op AK-niveau hoort bij een administratiekantoor.")})
        unknown = [r for r in self.provider_rights if r not in Right.values]
        if unknown:
            raise ValidationError({"provider_rights": _("Onbekend recht: %(r)s") % {"r": ", ".join(unknown)}})

    def employers(self) -> models.QuerySet[Employer]:
        """The employers this user reaches."""
        if not self.is_active:
            return Employer.objects.none()
        if self.level == self.Level.PROVIDER:
            # clean() requires a provider at this level; a user saved without one reaches no employer.
            if self.provider_id is None:
                return Employer.objects.none()
            return Employer.objects.filter(provider_id=self.provider_id)
        return Employer.objects.filter(user_links__user=self)

    def rights_for(self, employer: Employer) -> set[str]:
        """The rights this user holds for an employer (empty when it cannot reach it)."""
        if not self.is_active or self.kind == self.Kind.WEBSERVICE:
            return set()
        link = EmployerLink.objects.filter(user=self, employer=employer).first()
        if self.level == self.Level.PROVIDER:
            if employer.provider_id != self.provider_id:
                return set()
            # Rights per employer: a link for this employer overrides the rights at AK-niveau.
            return set(link.rights) if link else set(self.provider_rights)
        return set(link.rights) if link else set()


class EmployerLink(models.Model):
    """A user linked to an employer with the rights held there.

    For a user at werkgeverniveau the links are the employers it reaches; for a user at AK-niveau (who
    reaches every employer of the office) a link sets other rights for that one employer.
    """

    user = models.ForeignKey(
        LoketUser, on_delete=models.CASCADE, related_name="employer_links", verbose_name=_("gebruiker")
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="user_links", verbose_name=_("werkgever")
    )
    rights = models.JSONField(_("rechten"), default=list, blank=True)

    class Meta:
        verbose_name = _("toegang tot werkgever")
        verbose_name_plural = _("toegang tot werkgevers")
        constraints = [models.UniqueConstraint(fields=["user", "employer"], name="unique_employer_link")]  # noqa: RUF012

    def clean(self) -> None:
        unknown = [r for r in self.rights if r not in Right.values]
        if unknown:
            raise ValidationError({"rights": _("Onbekend recht: %(r)s") % {"r": ", ".join(unknown)}})

    def __str__(self) -> str:
        return f"{self.user} → {self.employer}"


class ClientProfile(models.Model):
    """What Loket registers for a client (koppeling): what it does and the activities it may call."""

    application = models.OneToOneField("oauth2_provider.Application", on_delete=models.CASCADE, related_name="profile")
    description = models.TextField(_("omschrijving"), blank=True)
    allowed_activities = models.JSONField(_("toegestane activiteiten"), default=list, blank=True)

    class Meta:
        verbose_name = _("koppeling")
        verbose_name_plural = _("koppelingen")

    def __str__(self) -> str:
        return str(self.application)


class RedeemedCode(models.Model):
    """An authorization code already exchanged for tokens, by checksum (the code itself is not kept).

    RFC 6749 4.1.2: a code used twice is refused and the tokens issued from it are revoked; the token
    family (django-oauth-toolkit's refresh-token lineage) names them all, however often they were refreshed.
    """

    application = models.ForeignKey("oauth2_provider.Application", on_delete=models.CASCADE, related_name="+")
    code_checksum = models.CharField(max_length=64)
    token_family = models.UUIDField(null=True)
    redeemed = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["application", "code_checksum"], name="unique_redeemed_code")
        ]


class PayrollAdministration(Versioned):
    class PeriodType(models.TextChoices):
        MONTH = "month", _("maand")
        FOUR_WEEKS = "four_weeks", _("4 weken")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="administrations", verbose_name=_("werkgever")
    )
    name = models.CharField(_("naam"), max_length=70)
    description = models.CharField(_("omschrijving"), max_length=50, blank=True)
    client_number = models.PositiveIntegerField(_("klantnummer"))
    wage_model = models.CharField(_("loonmodel"), max_length=50, default="Loonmodel maand")
    period_type = models.CharField(_("verloningsperiode"), max_length=10, choices=PeriodType.choices)
    start_date = models.DateField(_("startdatum"), default=date(2020, 1, 1))
    payroll_taxes_number = models.CharField(_("loonheffingennummer"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("salarisverwerkende administratie")
        verbose_name_plural = _("salarisverwerkende administraties")

    def __str__(self) -> str:
        return f"{self.name} ({self.employer.company_name})"


# Categories of payroll components (key, value); the B&D ones are those of the official description.
CATEGORIES: dict[int, str] = {
    1: "Uren",
    2: "Loon",
    7: "Bruto vergoeding volgens tabel",
    9: "Netto vergoeding",
    11: "Fiscale bijtelling",
    12: "Bruto inhouding",
    13: "Netto inhouding",
    17: "Afdrachtvermindering",
    30: "Bedrag per eenheid",
    40: "Fondsen",
    50: "Totalen",
}
BENEFIT_CATEGORIES = frozenset({7, 9, 11, 12, 13, 17, 30})
NET_CATEGORIES = frozenset({9, 13})  # net components: their amount is paid or withheld net, not gross
DEDUCTION_OR_PAYMENT: dict[int, str] = {1: "Inhouding", 2: "Betaling"}
# Result columns (where a component lands on the payslip).
COLUMNS: dict[int, str] = {1: "Bruto loon", 2: "Netto", 3: "Werkgeverslasten", 4: "Totalen", 5: "Excasso"}
# Free components (vrije componenten) a user may take per category, as in Loket Classic.
FREE_COMPONENT_KEYS: dict[int, range] = {
    7: range(751, 771),
    9: range(901, 911),
    12: range(821, 831),
    13: range(831, 851),
}


class PayrollComponent(models.Model):
    administration = models.ForeignKey(
        PayrollAdministration, on_delete=models.CASCADE, related_name="components", verbose_name=ADMINISTRATION
    )
    key = models.PositiveIntegerField(_("nummer"))
    description = models.CharField(_("naam"), max_length=14)
    category = models.PositiveIntegerField(_("categorie"), choices=sorted(CATEGORIES.items()))
    deduction_or_payment = models.PositiveIntegerField(
        _("inhouding of betaling"), choices=sorted(DEDUCTION_OR_PAYMENT.items()), null=True, blank=True
    )
    can_be_supplemented = models.BooleanField(_("aanvulbaar"), default=False)
    is_free = models.BooleanField(_("vrij component"), default=False, editable=False)
    paid_gross = models.BooleanField(_("bruto betalen"), default=False)
    withheld_net = models.BooleanField(_("netto inhouden"), default=False)
    to_excasso = models.BooleanField(
        _("via excasso naar pensioenuitvoerder"),
        default=False,
        help_text=_("netto ingehouden bedrag wordt overgemaakt"),
    )
    sign = models.SmallIntegerField(_("teken in grondslag"), default=1, choices=[(1, "+"), (-1, "-")])
    in_257 = models.SmallIntegerField(_("telt in 257 BRUTO"), default=0, choices=[(-1, "-1"), (0, "0"), (1, "+1")])
    in_265 = models.SmallIntegerField(_("telt in 265 SV-loon"), default=0, choices=[(-1, "-1"), (0, "0"), (1, "+1")])

    class Meta:
        verbose_name = _("looncomponent")
        verbose_name_plural = _("looncomponenten")
        ordering = ("key",)
        constraints = [models.UniqueConstraint(fields=["administration", "key"], name="unique_component_key")]  # noqa: RUF012

    def __str__(self) -> str:
        return f"{self.key} {self.description}"

    def clean(self) -> None:
        # The excasso pays out money the run withheld: a gross component must be withheld net to be paid on.
        if self.to_excasso and not self.withheld_net and self.category not in NET_CATEGORIES:
            raise ValidationError(
                {
                    "to_excasso": _(
                        "Component %(key)s is een brutocomponent dat niet netto wordt ingehouden; via excasso "
                        "zou geld worden overgemaakt dat nooit is ingehouden. Vink ook 'netto inhouden' aan."
                    )
                    % {"key": self.key}
                }
            )


class Fund(models.Model):
    """A fund on the wage model (loonmodelniveau), with every setting of funds.md as case JSON."""

    administration = models.ForeignKey(
        PayrollAdministration, on_delete=models.CASCADE, related_name="funds", verbose_name=ADMINISTRATION
    )
    number = models.PositiveSmallIntegerField(
        _("fondsnummer"), validators=[MinValueValidator(1), MaxValueValidator(MAX_FUNDS)]
    )
    name = models.CharField(_("naam"), max_length=60)
    settings = models.JSONField(_("instellingen"), help_text=_("alle instellingen van het fonds (funds.md)"))

    class Meta:
        verbose_name = _("fonds")
        verbose_name_plural = _("fondsen")
        ordering = ("number",)
        constraints = [models.UniqueConstraint(fields=["administration", "number"], name="unique_fund_number")]  # noqa: RUF012

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def case_fund(self) -> dict[str, Any]:
        return {**self.settings, "number": self.number, "name": self.name}

    def clean(self) -> None:
        from inleg.sandbox.payroll.validation import check_fund

        if self.administration_id is not None:
            others = Fund.objects.filter(administration_id=self.administration_id).exclude(pk=self.pk).count()
            if others >= MAX_FUNDS:
                raise ValidationError(
                    _("Een loonmodel heeft ten hoogste %(max)d fondsen; fonds %(n)s zou het %(c)de zijn.")
                    % {"max": MAX_FUNDS, "n": self.number, "c": others + 1}
                )
        if self.number is not None and isinstance(self.settings, dict):
            check_fund(self.case_fund())


# Components a fund brings with it (Loket's "Gekoppelde componenten"): its premium, withheld from the wage
# (600 + n), and its remittance, employee and employer part together, booked as employer costs (700 + n).
# The payroll run writes its fund lines on these numbers.
FUND_PREMIUM_BASE, FUND_REMITTANCE_BASE = 600, 700


def fund_components(admin: PayrollAdministration, number: int) -> list[PayrollComponent]:
    """The standard components of fund ``number`` (not saved): premium 600 + n and remittance 700 + n."""
    return [
        PayrollComponent(administration=admin, key=FUND_PREMIUM_BASE + number, description=f"Prem. fonds {number}",
                         category=40, deduction_or_payment=1, sign=-1, in_265=-1),
        PayrollComponent(administration=admin, key=FUND_REMITTANCE_BASE + number, description=f"Afdr. fonds {number}",
                         category=40),
    ]  # fmt: skip


class FundVersion(models.Model):
    """The settings of a fund from a date (geldig vanaf): a change inside the year is a new version.

    ``Fund.settings`` holds the settings of the latest version; the payroll run reads the versions themselves,
    each period with the version valid on its last day (see the sandbox README).
    """

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="versions", verbose_name=_("fonds"))
    valid_from = models.DateField(_("geldig vanaf"))
    name = models.CharField(_("naam"), max_length=60)
    settings = models.JSONField(_("instellingen"))
    preset = models.CharField(_("regeling"), max_length=60, blank=True, help_text=_("de regeling (preset) gekozen"))
    saved = models.DateTimeField(_("opgeslagen"), auto_now=True)
    saved_by = models.ForeignKey(
        "LoketUser", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("door")
    )

    class Meta:
        verbose_name = _("versie van een fonds")
        verbose_name_plural = _("versies van fondsen")
        ordering = ("fund", "valid_from")
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["fund", "valid_from"], name="unique_fund_version_date")
        ]

    def __str__(self) -> str:
        return f"{self.fund} vanaf {self.valid_from:%d-%m-%Y}"


class Shift(models.Model):
    """A shift (dienst) of the wage model: its full-time hours per week are what a part-time factor divides by."""

    administration = models.ForeignKey(
        PayrollAdministration, on_delete=models.CASCADE, related_name="shifts", verbose_name=ADMINISTRATION
    )
    number = models.PositiveSmallIntegerField(_("dienstnummer"))
    full_time_hours_per_week = models.DecimalField(
        _("voltijduren per week"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("99"))],
    )
    bonus_percentage = models.DecimalField(
        _("toeslagpercentage"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("99"))],
    )

    class Meta:
        verbose_name = _("dienst")
        verbose_name_plural = _("diensten")
        ordering = ("number",)
        constraints = [models.UniqueConstraint(fields=["administration", "number"], name="unique_shift_number")]  # noqa: RUF012

    def __str__(self) -> str:
        return f"{self.number} ({self.full_time_hours_per_week} uur)"


class Employee(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="employees", verbose_name=_("werkgever")
    )
    employee_number = models.PositiveIntegerField(_("personeelsnummer"))
    first_name = models.CharField(_("voornaam"), max_length=28, blank=True)
    initials = models.CharField(_("voorletters"), max_length=6)
    prefix = models.CharField(_("tussenvoegsel"), max_length=10, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=25)
    date_of_birth = models.DateField(_("geboortedatum"))
    gender = models.PositiveSmallIntegerField(_("geslacht"), choices=[(1, _("Man")), (2, _("Vrouw"))], default=1)
    bsn = models.CharField(_("BSN"), max_length=9)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("werknemer")
        verbose_name_plural = _("werknemers")
        ordering = ("employee_number",)
        constraints = [models.UniqueConstraint(fields=["employer", "employee_number"], name="unique_employee_number")]  # noqa: RUF012

    def __str__(self) -> str:
        return f"{self.employee_number} {self.formatted_name}"

    @property
    def formatted_name(self) -> str:
        return " ".join(part for part in (self.initials, self.prefix, self.last_name) if part)


class Employment(Versioned):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="employments", verbose_name=_("werknemer")
    )
    administration = models.ForeignKey(
        PayrollAdministration, on_delete=models.PROTECT, related_name="employments", verbose_name=ADMINISTRATION
    )
    payroll_id = models.PositiveIntegerField(_("loonnummer"))
    start_date = models.DateField(_("datum in dienst"))
    end_date = models.DateField(_("datum uit dienst"), null=True, blank=True)
    # Salary and part-time factor are not here: they live in the dated chains Wage and WorkingHours, as in Loket.

    class Meta:
        verbose_name = _("dienstverband")
        verbose_name_plural = _("dienstverbanden")

    def __str__(self) -> str:
        return f"{self.employee} ({self.start_date:%d-%m-%Y})"

    def clean(self) -> None:
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("De datum uit dienst ligt vóór de datum in dienst.")})


# Loket's bounds for period data: signed amounts, 0 stops a contribution from a date.
BENEFIT_VALUE_MIN, BENEFIT_VALUE_MAX = Decimal("-100000000.00"), Decimal("100000000.00")


class BenefitDeduction(Versioned):
    """A fixed value of a payroll component on an employment (Toeslagen), a broken chain per component."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    employment = models.ForeignKey(Employment, on_delete=models.CASCADE, related_name="benefits")
    component = models.ForeignKey(PayrollComponent, on_delete=models.PROTECT, verbose_name=_("looncomponent"))
    start_date = models.DateField(_("begindatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    value = models.DecimalField(
        _("waarde"),
        max_digits=11,
        decimal_places=2,
        validators=[MinValueValidator(BENEFIT_VALUE_MIN), MaxValueValidator(BENEFIT_VALUE_MAX)],
    )

    class Meta:
        verbose_name = _("vaste waarde")
        verbose_name_plural = _("vaste waarden")
        ordering = ("component__key", "start_date")

    def clean(self) -> None:
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("De einddatum ligt vóór de begindatum.")})
        if self.employment_id and self.component_id and self.start_date:
            others = BenefitDeduction.objects.filter(employment_id=self.employment_id, component_id=self.component_id)
            _check_chain(list(others.exclude(pk=self.pk)), self.start_date, self.end_date)


class EmploymentFund(Versioned):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    employment = models.ForeignKey(Employment, on_delete=models.CASCADE, related_name="funds")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="employment_funds", verbose_name=_("fonds"))
    start_date = models.DateField(_("begindatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    deviation_premium = models.DecimalField(
        _("afwijkend % premie"), max_digits=7, decimal_places=4, null=True, blank=True
    )
    deviation_total = models.DecimalField(
        _("afwijkend % afdracht"), max_digits=7, decimal_places=4, null=True, blank=True
    )
    fixed_premium = models.DecimalField(_("vaste premie"), max_digits=10, decimal_places=2, null=True, blank=True)
    fixed_total = models.DecimalField(_("vaste afdracht"), max_digits=10, decimal_places=2, null=True, blank=True)
    # The werknemerprofiel that made this link (null: linked by hand or through the API); removing the fund
    # from that profile ends only the links the profile made.
    profile = models.ForeignKey(
        "EmployeeProfile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="links",
        verbose_name=_("via werknemerprofiel"),
    )

    class Meta:
        verbose_name = _("fonds bij dienstverband")
        verbose_name_plural = _("fondsen bij dienstverband")
        ordering = ("fund__number", "start_date")

    def clean(self) -> None:
        has_dev = self.deviation_premium is not None or self.deviation_total is not None
        has_fixed = self.fixed_premium is not None or self.fixed_total is not None
        if has_dev and has_fixed:
            raise ValidationError(
                _("Een fonds bij een dienstverband heeft een afwijking of een vaste bijdrage, niet beide.")
            )
        if (self.deviation_premium is None) != (self.deviation_total is None):
            raise ValidationError(_("Een afwijking geeft beide percentages (premie en afdracht)."))
        if (self.fixed_premium is None) != (self.fixed_total is None):
            raise ValidationError(_("Een vaste bijdrage geeft beide bedragen (premie en afdracht)."))
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("De einddatum ligt vóór de begindatum.")})
        if self.employment_id and self.fund_id and self.start_date:
            others = EmploymentFund.objects.filter(employment_id=self.employment_id, fund_id=self.fund_id)
            _check_chain(list(others.exclude(pk=self.pk)), self.start_date, self.end_date)


class EmployeeProfile(models.Model):
    """A werknemerprofiel on the wage model: the funds an employee with this profile takes part in.

    Seed 004: "Met behulp van werknemerprofielen ... kunnen de regelingen automatisch geactiveerd dan wel
    beëindigd worden." Applying a profile to an employment makes the dated links (``payroll/profiles.py``).
    """

    administration = models.ForeignKey(
        PayrollAdministration, on_delete=models.CASCADE, related_name="profiles", verbose_name=ADMINISTRATION
    )
    name = models.CharField(
        _("naam"),
        max_length=50,
        help_text=_("De naam waaronder u het profiel bij een dienstverband kiest, bijv. ‘Kantoor’."),
    )

    class Meta:
        verbose_name = _("werknemerprofiel")
        verbose_name_plural = _("werknemerprofielen")
        ordering = ("name",)
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["administration", "name"], name="unique_profile_name")
        ]

    def __str__(self) -> str:
        return self.name


class EmployeeProfileFund(models.Model):
    """One fund of a werknemerprofiel, with the seed's indication 'met terugwerkende kracht'."""

    profile = models.ForeignKey(
        EmployeeProfile, on_delete=models.CASCADE, related_name="rows", verbose_name=_("werknemerprofiel")
    )
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="profile_rows", verbose_name=_("fonds"))
    retroactive = models.BooleanField(_("met terugwerkende kracht"), default=False)

    class Meta:
        verbose_name = _("fonds van een werknemerprofiel")
        verbose_name_plural = _("fondsen van werknemerprofielen")
        ordering = ("fund__number",)
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["profile", "fund"], name="unique_profile_fund")
        ]


class EmploymentProfile(models.Model):
    """The werknemerprofiel an employment has (at most one): what re-applying and ending work from."""

    employment = models.OneToOneField(
        Employment, on_delete=models.CASCADE, related_name="profile_choice", verbose_name=_("dienstverband")
    )
    profile = models.ForeignKey(
        EmployeeProfile, on_delete=models.PROTECT, related_name="employments", verbose_name=_("werknemerprofiel")
    )
    applied = models.DateTimeField(_("toegepast"), auto_now=True)

    class Meta:
        verbose_name = _("werknemerprofiel van een dienstverband")
        verbose_name_plural = _("werknemerprofielen van dienstverbanden")


def touch_employment(employment_id: Any) -> None:
    """A change to an employment's fixed data raises its (and its employer's) last-modified version number."""
    number = next_versions(2)
    Employment.objects.filter(pk=employment_id).update(version=number)
    Employer.objects.filter(employees__employments__id=employment_id).update(version=number + 1)


def _span(start: date, end: date | None) -> str:
    return f"{start:%d-%m-%Y} t/m {end:%d-%m-%Y}" if end else f"{start:%d-%m-%Y} t/m (open)"


def linked_chain_problem(others: list[Any], start: date, end: date | None, adding: bool) -> str | None:
    """Why a record cannot take its place in a linked chain (no gaps, no overlaps), or None.

    A new record comes only after the last one: an open last record is closed the day before it starts
    (``LinkedRecord.save``), a closed one must end the day before. A changed record must keep the chain linked.
    """
    others = sorted(others, key=lambda r: r.start_date)
    if adding:
        if not others:
            return None
        last = others[-1]
        if start <= last.start_date:
            return str(
                _("Een nieuw record komt alleen achter het laatste (%(last)s): begin na %(day)s.")
                % {"last": _span(last.start_date, last.end_date), "day": f"{last.start_date:%d-%m-%Y}"}
            )
        if last.end_date is not None and start != last.end_date + timedelta(days=1):
            return str(
                _("Het record moet aansluiten op het laatste (%(last)s): begin op %(day)s.")
                % {
                    "last": _span(last.start_date, last.end_date),
                    "day": f"{last.end_date + timedelta(days=1):%d-%m-%Y}",
                }
            )
        return None
    spans = sorted([(r.start_date, r.end_date) for r in others] + [(start, end)])
    for (a_start, a_end), (b_start, b_end) in pairwise(spans):
        if a_end is None or b_start != a_end + timedelta(days=1):
            return str(
                _("De keten sluit niet aan: %(a)s en %(b)s (geen gaten, geen overlap).")
                % {"a": _span(a_start, a_end), "b": _span(b_start, b_end)}
            )
    return None


class LinkedRecord(models.Model):
    """A record of a linked chain of one employment (Loket's wages and working hours), dated from..to."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    employment = models.ForeignKey(Employment, on_delete=models.CASCADE, related_name="+")
    start_date = models.DateField(_("begindatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ("start_date",)

    def _chain(self) -> models.QuerySet[Any]:
        return type(self)._default_manager.filter(employment_id=self.employment_id).exclude(pk=self.pk)

    def clean(self) -> None:
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("De einddatum ligt vóór de begindatum.")})
        if not self.employment_id or not self.start_date:
            return
        employment = self.employment
        if self.start_date < employment.start_date:
            raise ValidationError(
                {"start_date": _("De begindatum ligt vóór de datum in dienst (%(d)s).") % {"d": employment.start_date}}
            )
        if employment.end_date and self.start_date > employment.end_date:
            raise ValidationError(
                {"start_date": _("De begindatum ligt na de datum uit dienst (%(d)s).") % {"d": employment.end_date}}
            )
        problem = linked_chain_problem(list(self._chain()), self.start_date, self.end_date, self._state.adding)
        if problem:
            raise ValidationError(problem)

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic():
            if self._state.adding:  # Loket closes the open record the day before a new one starts
                self._chain().filter(end_date__isnull=True, start_date__lt=self.start_date).update(
                    end_date=self.start_date - timedelta(days=1)
                )
            super().save(*args, **kwargs)
            touch_employment(self.employment_id)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            touch_employment(self.employment_id)
        return result

    def valid_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


# Loket's bounds of grossWage (the description's minimum and maximum).
WAGE_MIN, WAGE_MAX = Decimal("0.01"), Decimal("999999.99")


class Wage(LinkedRecord):
    """The gross wage of an employment per payroll period, from a date (a linked chain).

    Only periodic wages (grossWageType 1): the sandbox has no hourly wages. A full-time wage (Loket's
    recommended default) is scaled by the part-time factor of the working hours; a part-time wage is not.
    """

    employment = models.ForeignKey(
        Employment, on_delete=models.CASCADE, related_name="wages", verbose_name=_("dienstverband")
    )
    gross_wage = models.DecimalField(
        _("brutoloon per periode"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(WAGE_MIN), MaxValueValidator(WAGE_MAX)],
    )
    is_full_time = models.BooleanField(
        _("voltijdloon"),
        default=True,
        help_text=_("het loon bij een volledige werkweek; de run past de deeltijdfactor toe"),
    )

    class Meta(LinkedRecord.Meta):
        verbose_name = _("loon")
        verbose_name_plural = _("lonen")


PART_TIME_PLACES = Decimal("0.0001")


def part_time_factor(hours_per_week: Decimal, full_time_hours_per_week: Decimal) -> Decimal:
    """Hours per week over the shift's full-time hours, to 4 decimals, half up (0.3947 = 39.47 %)."""
    return (hours_per_week / full_time_hours_per_week).quantize(PART_TIME_PLACES, rounding=ROUND_HALF_UP)


class WorkingHours(LinkedRecord):
    """The hours per week of an employment, from a date (a linked chain): the shift's full-time hours, or
    deviating hours; the part-time factor is the one divided by the other."""

    employment = models.ForeignKey(
        Employment, on_delete=models.CASCADE, related_name="working_hours", verbose_name=_("dienstverband")
    )
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="+", verbose_name=_("dienst"))
    deviating_hours_per_week = models.DecimalField(
        _("afwijkende uren per week"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("99.99"))],
        help_text=_("leeg: de voltijduren van de dienst"),
    )

    class Meta(LinkedRecord.Meta):
        verbose_name = _("arbeidsuren")
        verbose_name_plural = _("arbeidsuren")

    @property
    def hours_per_week(self) -> Decimal:
        return self.deviating_hours_per_week or self.shift.full_time_hours_per_week

    @property
    def part_time_factor(self) -> Decimal:
        return part_time_factor(self.hours_per_week, self.shift.full_time_hours_per_week)

    def clean(self) -> None:
        super().clean()
        if self.shift_id and self.employment_id and self.shift.administration_id != self.employment.administration_id:
            raise ValidationError({"shift": _("Deze dienst hoort bij een andere salarisverwerkende administratie.")})


def _check_chain(others: list[Any], start: date, end: date | None) -> None:
    """Records of a broken chain may not overlap (the API closes an open record; a form says why it cannot)."""
    try:
        check_update(others, start, end)
    except Overlap as overlap:
        other = overlap.other
        raise ValidationError(
            _("De periode overlapt het bestaande record %(s)s t/m %(e)s.")
            % {"s": other.start_date, "e": other.end_date or _("open")}
        ) from None


class PeriodInput(models.Model):
    """Variable data of one employment in one payroll period (payroll period data)."""

    employment = models.ForeignKey(Employment, on_delete=models.CASCADE, related_name="period_inputs")
    year = models.PositiveSmallIntegerField()
    period_number = models.PositiveSmallIntegerField()
    hours = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0"))
    overtime_hours = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0"))
    unpaid_days = models.PositiveSmallIntegerField(default=0)
    components = models.JSONField(default=dict, blank=True, help_text=_('{"component": "bedrag"}'))

    class Meta:
        verbose_name = _("periodegegevens")
        verbose_name_plural = _("periodegegevens")
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["employment", "year", "period_number"], name="unique_period_input")
        ]

    def clean(self) -> None:
        """Amounts are decimal strings with at most 2 decimals: a JSON number would pass through float."""
        from inleg.funds import FundError
        from inleg.funds.numbers import MONEY_PLACES, parse_fixed

        if not isinstance(self.components, dict):
            raise ValidationError({"components": _('Verwacht {"component": "bedrag"}.')})
        for key, value in self.components.items():
            if not str(key).isdigit():
                raise ValidationError({"components": _("%(k)s is geen componentnummer.") % {"k": key}})
            try:
                parse_fixed(f"components.{key}", value, MONEY_PLACES, negative=True)
            except FundError as error:
                raise ValidationError({"components": str(error)}) from None


class PayrollPeriod(models.Model):
    administration = models.ForeignKey(PayrollAdministration, on_delete=models.CASCADE, related_name="periods")
    year = models.PositiveSmallIntegerField()
    period_number = models.PositiveSmallIntegerField()
    start_date = models.DateField()
    end_date = models.DateField()

    class Meta:
        verbose_name = _("verloningsperiode")
        verbose_name_plural = _("verloningsperioden")
        ordering = ("year", "period_number")
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["administration", "year", "period_number"], name="unique_payroll_period")
        ]

    @property
    def loket_id(self) -> int:
        return self.year * 100 + self.period_number

    def __str__(self) -> str:
        return f"{self.year}-{self.period_number:02d}"


class RunStatus(models.IntegerChoices):
    READY = 0, "Staat klaar voor verloning"
    DONE = 1, "Verloning gereed"
    REMOVED = 5, "Verwijderd door gebruiker"
    FAILED = 7, "Fout tijdens verloning"
    APPROVED = 9, "Verloning goedgekeurd"


class PayrollRun(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    administration = models.ForeignKey(PayrollAdministration, on_delete=models.CASCADE, related_name="runs")
    period = models.ForeignKey(PayrollPeriod, on_delete=models.PROTECT, related_name="runs")
    status = models.PositiveSmallIntegerField(choices=RunStatus.choices, default=RunStatus.READY)
    sequence_number = models.PositiveIntegerField(default=1)
    request_time = models.DateTimeField(auto_now_add=True)
    processing_finished_time = models.DateTimeField(null=True, blank=True)
    approval_time = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(LoketUser, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    approved_by = models.ForeignKey(LoketUser, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    error = models.TextField(blank=True, default="")
    # The fund case this run computed (docs/fund-cases.md): the next run of the year recalculates from it
    # (herrekening), comparing the year as it was run with the year as it stands then.
    case = models.JSONField(null=True, blank=True, editable=False)
    # Changes the recalculation left alone because they reach into a previous year, each as
    # {"employee": number, "field": Dutch name, "value": date}: the Classic pages show them.
    not_recalculated = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        verbose_name = _("verloning")
        verbose_name_plural = _("verloningen")
        ordering = ("-request_time",)


class PayrollResult(models.Model):
    run = models.ForeignKey(PayrollRun, on_delete=models.CASCADE, related_name="results")
    employment = models.ForeignKey(Employment, on_delete=models.CASCADE, related_name="results")
    component_key = models.PositiveIntegerField()
    description = models.CharField(max_length=14)
    category = models.PositiveIntegerField()
    column = models.PositiveSmallIntegerField()
    costs_employer = models.BooleanField(default=False)
    value = models.DecimalField(max_digits=12, decimal_places=2)
    # A herrekening line: the earlier period of the year whose fund amount this line corrects (booked in
    # this run's period); null for the period's own lines.
    corrects = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["run", "employment"])]  # noqa: RUF012


class SepaFile(models.Model):
    run = models.OneToOneField(PayrollRun, on_delete=models.CASCADE, related_name="sepa_file")
    message_id = models.CharField(max_length=35, unique=True)
    xml = models.TextField()
    payments = models.PositiveIntegerField()
    total = models.DecimalField(max_digits=14, decimal_places=2)
    created = models.DateTimeField(auto_now_add=True)
