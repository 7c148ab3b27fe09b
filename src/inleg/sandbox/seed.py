"""Realistic Dutch test data for the sandbox: valid BSNs (elfproef) and IBANs (mod 97), users and a client."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from oauth2_provider.models import Application

from inleg.sandbox.bulk import Table
from inleg.sandbox.core.models import (
    BenefitDeduction,
    ClientProfile,
    Employee,
    Employer,
    EmployerLink,
    Employment,
    EmploymentFund,
    Fund,
    LoketUser,
    PayrollAdministration,
    PayrollComponent,
    Provider,
    Shift,
    Wage,
    WorkingHours,
    fund_components,
    next_versions,
)
from inleg.sandbox.core.rights import ALL_ACTIVITIES, Right

PROVIDER_NAME = "Administratiekantoor De Linde B.V."
CLIENT_ID = "pensify-inleg"
CLIENT_SECRET = "pensify-sandbox-geheim"
REDIRECT_URIS = "http://localhost:8000/integrations/loket/callback http://127.0.0.1:8000/integrations/loket/callback"
USER_PASSWORD = "loket-sandbox-2024"
PENSIFY_KEY = 751
NET_DEDUCTION_KEY = 831
BANKS = ("INGB", "ABNA", "RABO", "SNSB", "TRIO", "BUNQ", "ASNB")
FIRST = ("Jan", "Sanne", "Pieter", "Emma", "Daan", "Lotte", "Bram", "Fleur", "Thijs", "Noor", "Ruben", "Iris",
         "Lucas", "Anouk", "Milan", "Eva", "Sem", "Julia", "Finn", "Sophie", "Mohamed", "Fatima", "Yusuf", "Aylin")  # fmt: skip  # noqa: E501 L
LAST = (("", "Jansen"), ("de", "Vries"), ("van den", "Berg"), ("", "Bakker"), ("van", "Dijk"), ("", "Visser"),
        ("", "Smit"), ("", "Meijer"), ("de", "Boer"), ("", "Mulder"), ("de", "Groot"), ("", "Bos"), ("", "Vos"),
        ("", "Peters"), ("", "Hendriks"), ("van", "Leeuwen"), ("", "Dekker"), ("", "Brouwer"), ("de", "Wit"),
        ("", "Yilmaz"), ("", "El Amrani"), ("", "Kaya"), ("van der", "Linden"), ("", "Koster"))  # fmt: skip
COMPANIES = ("Bakkerij", "Installatiebedrijf", "Zorggroep", "Transport", "Advies", "Bouwbedrijf", "Kinderopvang",
             "Hoveniers", "Drukkerij", "Techniek")  # fmt: skip
# Full-time hours per week of each employer's shift 1 (a 40-hour week, or 38 as many cao's have), in turn.
FULL_TIME_HOURS = (Decimal(40), Decimal(38))
# Hours per week as a share of full time: full time, four days, three days, half, 39.47 % and more than full time.
HOURS_SHARES = (Decimal("1"), Decimal("0.8"), Decimal("0.6"), Decimal("0.5"), Decimal("0.3947"), Decimal("1.1667"))
# Yearly raises of the wage (cao-verhogingen) on 1 January; the chains run up to this year.
RAISES = (Decimal("0.0150"), Decimal("0.0200"), Decimal("0.0250"), Decimal("0.0300"), Decimal("0.0375"))
LAST_RAISE_YEAR = 2026
CITIES = ("Utrecht", "Amersfoort", "Zwolle", "Tilburg", "Groningen", "Leiden", "Delft", "Arnhem", "Breda", "Almere")


def bsn(rng: random.Random) -> str:
    """A BSN that passes the elfproef (9*d1 + 8*d2 + ... + 2*d8 - d9 divisible by 11)."""
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
        check = sum((9 - i) * d for i, d in enumerate(digits)) % 11
        if check < 10:
            return "".join(map(str, digits)) + str(check)


def is_bsn(value: str) -> bool:
    if len(value) != 9 or not value.isdigit():
        return False
    digits = [int(c) for c in value]
    return (sum((9 - i) * d for i, d in enumerate(digits[:8])) - digits[8]) % 11 == 0


def iban(rng: random.Random, bank: str | None = None) -> str:
    """A Dutch IBAN whose check digits satisfy ISO 13616 (mod 97 = 1)."""
    bban = (bank or rng.choice(BANKS)) + "".join(str(rng.randint(0, 9)) for _ in range(10))
    numeric = "".join(str(int(c, 36)) for c in bban + "NL00")
    return f"NL{98 - int(numeric) % 97:02d}{bban}"


def is_iban(value: str) -> bool:
    text = value.replace(" ", "").upper()
    if len(text) < 15 or not text.isalnum():
        return False
    numeric = "".join(str(int(c, 36)) for c in text[4:] + text[:4])
    return int(numeric) % 97 == 1


def threshold(amount: str, unit: str = "year", part_time: bool = False) -> dict[str, Any]:
    return {"amount": amount, "unit": unit, "part_time": part_time}


def fund_settings(kind: str) -> dict[str, Any]:
    """Three funds with different settings of funds.md: pension with franchise, an excedent, a flat rate."""
    base = [{"component": 10, "origin": "calculated"}, {"component": PENSIFY_KEY, "origin": "excluded"}]
    common = {
        "kind": "none", "external_code": "", "entry": None, "exit": None, "recalc_unit": "period",
        "cumulative": False, "franchise_kind": "fixed", "franchise_age_test": "jan1", "franchise_table": [],
        "percentage_kind": "fixed", "percentage_age_test": "jan1", "percentage_table": [], "base": base,
    }  # fmt: skip
    if kind == "pension":
        return {
            **common,
            "entry": {"age": 21, "moment": "month_start", "extra_months": 0},
            "premium": {"percentage": "7.5000", "max_base": threshold("137800.00", part_time=True),
                        "franchise": threshold("17545.00", part_time=True)},
            "total": {"percentage": "22.0000", "max_base": threshold("137800.00", part_time=True),
                      "franchise": threshold("17545.00", part_time=True)},
        }  # fmt: skip
    if kind == "excedent":
        return {
            **common,
            "recalc_unit": "sv_days",
            "premium": {"percentage": "0.2500", "franchise": threshold("66956.00", part_time=True)},
            "total": {"percentage": "0.5000", "franchise": threshold("66956.00", part_time=True)},
        }
    return {**common, "premium": {"percentage": "0.0000"}, "total": {"percentage": "1.1000"}}


FUNDS = ((1, "Pensioenfonds", "pension"), (2, "WIA-excedent", "excedent"), (3, "Sociaal fonds", "flat"))


def components_for(admin: PayrollAdministration, with_pensify: bool) -> list[PayrollComponent]:
    rows = [
        PayrollComponent(administration=admin, key=1, description="Uren gewerkt", category=1),
        PayrollComponent(administration=admin, key=10, description="Salaris", category=2, deduction_or_payment=2,
                         in_257=1, in_265=1),
        PayrollComponent(administration=admin, key=257, description="BRUTO", category=50),
        PayrollComponent(administration=admin, key=265, description="V/H SOC.PLLOON", category=50),
        PayrollComponent(administration=admin, key=711, description="Reiskosten", category=9, deduction_or_payment=2),
        PayrollComponent(administration=admin, key=820, description="Inh. personeel", category=12,
                         deduction_or_payment=1, sign=-1, in_257=-1, in_265=-1),
        PayrollComponent(administration=admin, key=NET_DEDUCTION_KEY, description="Netto inleg", category=13,
                         deduction_or_payment=1, to_excasso=True, is_free=True),
    ]  # fmt: skip
    for number, _name, _kind in FUNDS:
        rows.extend(fund_components(admin, number))
    if with_pensify:
        rows.append(
            PayrollComponent(administration=admin, key=PENSIFY_KEY, description="Pensify Inleg", category=7,
                             deduction_or_payment=2, paid_gross=True, withheld_net=True, to_excasso=True,
                             is_free=True, in_257=1, in_265=1)
        )  # fmt: skip
    return rows


@contextmanager
def _progress(enabled: bool, total: int) -> Iterator[Any]:
    if not enabled:

        class _Quiet:
            def advance(self, *_: Any, **__: Any) -> None:
                pass

        yield _Quiet()
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("[bold]werknemers"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns) as bar:
        task = bar.add_task("seed", total=total)

        class _Bar:
            def advance(self, count: int) -> None:
                bar.advance(task, count)

        yield _Bar()


def seed(
    employers: int = 2, employees: int = 20, rng_seed: int = 2024, progress: bool = False, inleg_values: bool = True
) -> dict[str, Any]:
    """Make a provider with ``employers`` employers and ``employees`` employees spread over them.

    ``inleg_values``: whether some employees already hold values on Pensify Inleg and Netto inleg (made by the
    payroll administrator, as a real payroll may); without them a platform starts on empty components (the demo).

    Idempotent: a database that holds the seed's provider already is left as it is.
    """
    if employers < 2:
        raise ValueError(f"--employers: {employers} is too few; the seed needs 2 (one with Pensify Inleg, one without)")
    if employees < 0:
        raise ValueError(f"--employees: {employees} must be 0 or more")
    if Provider.objects.filter(name=PROVIDER_NAME).exists():
        return {"created": False}
    rng = random.Random(rng_seed)
    with transaction.atomic():
        provider = Provider.objects.create(name=PROVIDER_NAME)
        made: list[Employer] = []
        admins: list[PayrollAdministration] = []
        for index in range(employers):
            employer = Employer(
                provider=provider, employer_number=20000 + index + 1,
                company_name=f"{COMPANIES[index % len(COMPANIES)]} {LAST[index % len(LAST)][1]} B.V.",
                chamber_of_commerce_number=str(30000000 + index), city=CITIES[index % len(CITIES)],
                iban=iban(rng), pension_provider_name="Pensify Pensioen", pension_provider_iban=iban(rng, "INGB"),
            )  # fmt: skip
            employer.save()
            made.append(employer)
            admin = PayrollAdministration(
                employer=employer, name=f"{employer.company_name[:58]} maand", client_number=100 + index + 1,
                period_type="month", wage_model="Loonmodel maand", payroll_taxes_number=f"{800000000 + index}L01",
            )  # fmt: skip
            admin.save()
            admins.append(admin)
            PayrollComponent.objects.bulk_create(components_for(admin, with_pensify=index % 2 == 0))
            Shift.objects.create(
                administration=admin, number=1, full_time_hours_per_week=FULL_TIME_HOURS[index % len(FULL_TIME_HOURS)]
            )
            for number, name, kind in FUNDS:
                Fund.objects.create(administration=admin, number=number, name=name, settings=fund_settings(kind))
        _users(provider, made)
        _client()
        _people(rng, made, admins, employees, progress, chain_seed=rng_seed, inleg_values=inleg_values)
    return {"created": True, "employers": [e.pk for e in made]}


def _users(provider: Provider, employers: list[Employer]) -> None:
    five = list(Right.values)
    hashed = LoketUser()
    hashed.set_password(USER_PASSWORD)  # Argon2 once; the test users share the password
    specs = [
        ("koppeling", LoketUser.Kind.NORMAL, LoketUser.Level.EMPLOYER, five),
        ("beperkt", LoketUser.Kind.NORMAL, LoketUser.Level.EMPLOYER, [r for r in five if r != Right.MANAGE_REWARDS]),
        ("kantoor", LoketUser.Kind.NORMAL, LoketUser.Level.PROVIDER, five),
        ("webservice", LoketUser.Kind.WEBSERVICE, LoketUser.Level.EMPLOYER, five),
    ]
    for username, kind, level, rights in specs:
        user = LoketUser(username=username, kind=kind, level=level, provider=provider, first_name=username.title(),
                         last_name="Gebruiker", initials=username[0].upper() + ".", email=f"{username}@example.nl")  # fmt: skip  # noqa: E501 L
        if level == LoketUser.Level.PROVIDER:
            user.provider_rights = rights
        user.password = hashed.password
        user.save()
        if level == LoketUser.Level.EMPLOYER:
            EmployerLink.objects.create(user=user, employer=employers[0], rights=rights)
    admin = LoketUser(username="beheerder", is_staff=True, is_superuser=True, provider=provider, last_name="Beheer")
    admin.password = hashed.password
    admin.save()


def _client() -> None:
    app = Application.objects.create(
        name="Pensify", client_id=CLIENT_ID, client_secret=CLIENT_SECRET, redirect_uris=REDIRECT_URIS,
        client_type=Application.CLIENT_CONFIDENTIAL, authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        algorithm="",
    )  # fmt: skip
    ClientProfile.objects.create(
        application=app,
        description="Pensify leest werknemers en dienstverbanden, schrijft de pensioeninleg als vaste waarde "
        "en leest de verloningsresultaten.",
        allowed_activities=list(ALL_ACTIVITIES),
    )


def _people(
    rng: random.Random,
    employers: list[Employer],
    admins: list[PayrollAdministration],
    total: int,
    progress: bool,
    chain_seed: int = 0,
    inleg_values: bool = True,
) -> None:
    components = {
        (c.administration_id, c.key): c
        for c in PayrollComponent.objects.filter(key__in=(PENSIFY_KEY, NET_DEDUCTION_KEY))
    }
    funds = {(f.administration_id, f.number): f for f in Fund.objects.all()}
    shifts = {s.administration_id: s for s in Shift.objects.filter(number=1)}
    # Wage and hours chains draw from their own stream, so the people, dates and values of the main stream
    # stay what they were before the chains existed.
    chain_rng = random.Random(f"{chain_seed}:lonen")
    batch = 2000
    # Rows straight into the tables (bulk.Table), in the order bulk_create wrote the instances before.
    people, jobs, benefits = Table(Employee), Table(Employment), Table(BenefitDeduction)
    links, wages, hours = Table(EmploymentFund), Table(Wage), Table(WorkingHours)
    with _progress(progress, total) as bar:
        for offset in range(0, total, batch):
            count = min(batch, total - offset)
            versions = next_versions(count * 4)
            for i in range(offset, offset + count):
                index = i % len(employers)
                employer, admin = employers[index], admins[index]
                first = rng.choice(FIRST)
                prefix, last = rng.choice(LAST)
                born = date(1960, 1, 1) + timedelta(days=rng.randint(0, 365 * 44))
                person = uuid.uuid4()
                people.add(id=person, employer_id=employer.pk, employee_number=i // len(employers) + 1,
                           first_name=first, initials=first[0] + ".", prefix=prefix, last_name=last,
                           date_of_birth=born, gender=rng.choice((1, 2)), bsn=bsn(rng), iban=iban(rng),
                           email=f"{first.lower()}.{last.lower().replace(' ', '')}{i}@example.nl")  # fmt: skip
                start = max(born + timedelta(days=365 * 18), date(2015, 1, 1)) + timedelta(days=rng.randint(0, 2500))
                start = start.replace(day=1)
                # about one in ten ended; each employer's last employee always, so every employer has one
                ended = rng.random() < 0.1 or i >= total - len(employers)
                end = start + timedelta(days=rng.randint(200, 1500)) if ended else None
                share = rng.choice(HOURS_SHARES)
                fulltime = Decimal(rng.randrange(250000, 750000, 500)) / 100
                job = uuid.uuid4()
                jobs.add(id=job, employee_id=person, administration_id=admin.pk, payroll_id=i // len(employers) + 1,
                         start_date=start, end_date=end, version=versions + (i - offset))  # fmt: skip
                for first_day, last_day, wage in _wage_chain(chain_rng, start, end, fulltime):
                    wages.add(id=uuid.uuid4(), employment_id=job, start_date=first_day, end_date=last_day,
                              gross_wage=wage)  # fmt: skip
                shift = shifts[admin.pk]
                for first_day, last_day, per_week in _hours_chain(chain_rng, start, end, shift, share):
                    hours.add(id=uuid.uuid4(), employment_id=job, shift_id=shift.pk, start_date=first_day,
                              end_date=last_day, deviating_hours_per_week=per_week)  # fmt: skip
                pensify = components.get((admin.pk, PENSIFY_KEY))
                from_date = max(start, date(2024, 1, 1))
                # an employment that ended before 2024 gets no fixed values (the API would refuse them too);
                # the draws are made all the same, so the rest of the data stays as it was
                ended_before = (end is not None and end < from_date) or not inleg_values
                if pensify is not None and rng.random() < 0.8:
                    value = Decimal(rng.choice((25, 50, 75, 100)))
                    if not ended_before:
                        benefits.add(id=uuid.uuid4(), employment_id=job, component_id=pensify.pk,
                                     start_date=from_date, value=value, version=versions + count + (i - offset))  # fmt: skip  # noqa: E501 L
                net = components[(admin.pk, NET_DEDUCTION_KEY)]
                if rng.random() < 0.3:
                    value = Decimal(rng.choice((10, 20, 50)))
                    if not ended_before:
                        benefits.add(id=uuid.uuid4(), employment_id=job, component_id=net.pk, start_date=from_date,
                                     value=value, version=versions + 2 * count + (i - offset))  # fmt: skip
                for number in (1, 2, 3):
                    links.add(id=uuid.uuid4(), employment_id=job, fund_id=funds[(admin.pk, number)].pk,
                              start_date=start, version=versions + 3 * count + (i - offset))  # fmt: skip
            for table in (people, jobs, benefits, links, wages, hours):
                table.write()
            bar.advance(count)


def _wage_chain(rng: random.Random, start: date, end: date | None, fulltime: Decimal) -> list[list[Any]]:
    """A full-time monthly wage from the start, raised every 1 January after it (a linked chain: no gaps);
    each record as [start, end, wage]."""
    records: list[list[Any]] = [[start, None, fulltime]]
    for year in range(start.year + 1, LAST_RAISE_YEAR + 1):
        raise_day = date(year, 1, 1)
        if end is not None and raise_day > end:
            break
        records[-1][1] = raise_day - timedelta(days=1)
        wage = (records[-1][2] * (1 + rng.choice(RAISES))).quantize(Decimal("0.01"))
        records.append([raise_day, None, wage])
    records[-1][1] = end
    return records


def _hours_chain(rng: random.Random, start: date, end: date | None, shift: Shift, share: Decimal) -> list[list[Any]]:
    """Hours per week from the start; about one in eight changes them once, on the first of a later month.
    Each record as [start, end, deviating hours per week (None: the shift's full time)]."""
    full = shift.full_time_hours_per_week

    def hours(part: Decimal) -> Decimal | None:
        return None if part == 1 else (full * part).quantize(Decimal("0.01"))

    records: list[list[Any]] = [[start, None, hours(share)]]
    if rng.random() < 0.125:
        months = rng.randint(3, 48)
        change = date(start.year + (start.month - 1 + months) // 12, (start.month - 1 + months) % 12 + 1, 1)
        other = rng.choice([s for s in HOURS_SHARES if s != share])
        if end is None or change <= end:
            records[-1][1] = change - timedelta(days=1)
            records.append([change, None, hours(other)])
    records[-1][1] = end
    return records
