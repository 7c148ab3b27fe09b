"""Seed data (BSN elfproef, IBAN mod 97, users of the seed) and seeded fault injection."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from inleg.sandbox.api.faults import FaultInjectionMiddleware, parse_plan
from inleg.sandbox.core.models import BenefitDeduction, Employee, Employer, Employment, LoketUser, PayrollComponent
from inleg.sandbox.core.rights import Right
from inleg.sandbox.seed import bsn, iban, is_bsn, is_iban, seed


def test_known_bsn_and_iban_checks() -> None:
    assert is_bsn("111222333")  # 9*1+8*1+7*1+6*2+5*2+4*2+3*3+2*3 = 69 = 3 + 66
    assert not is_bsn("111222334")
    assert is_iban("NL91ABNA0417164300")  # the standard example IBAN
    assert not is_iban("NL92ABNA0417164300")
    rng = random.Random(1)
    assert all(is_bsn(bsn(rng)) for _ in range(200))
    assert all(is_iban(iban(rng)) for _ in range(200))


def test_seed_makes_the_users_and_employers_of_the_seed_text(seeded: Any) -> None:
    assert all(is_bsn(e.bsn) and is_iban(e.iban) for e in Employee.objects.all())
    for employer in Employer.objects.all():  # every employer has an ended employment, however small the seed
        assert Employment.objects.filter(employee__employer=employer, end_date__isnull=False).exists(), employer
    with_pensify = set(PayrollComponent.objects.filter(description="Pensify Inleg").values_list(
        "administration__employer__employer_number", flat=True))  # fmt: skip
    assert with_pensify == {20001}
    koppeling = LoketUser.objects.get(username="koppeling")
    assert koppeling.level == LoketUser.Level.EMPLOYER
    assert set(koppeling.employer_links.get().rights) == set(Right)
    assert len(LoketUser.objects.get(username="beperkt").employer_links.get().rights) == 4
    assert LoketUser.objects.get(username="kantoor").level == LoketUser.Level.PROVIDER
    assert LoketUser.objects.get(username="webservice").kind == LoketUser.Kind.WEBSERVICE
    assert seed(employers=2, employees=8)["created"] is False  # a second seed changes nothing
    with pytest.raises(ValueError, match="--employers: 1"):
        seed(employers=1, employees=1)


def test_seed_gives_no_fixed_values_to_employments_that_ended_before_2024(db: Any) -> None:
    from datetime import date

    from django.db.models import F

    seed(employers=3, employees=150, rng_seed=11)
    assert Employment.objects.filter(end_date__lt=date(2024, 1, 1)).exists()  # the case this test is about
    for employer in Employer.objects.all():
        assert Employment.objects.filter(employee__employer=employer, end_date__isnull=False).exists()
    assert not BenefitDeduction.objects.filter(start_date__gt=F("employment__end_date")).exists()
    assert BenefitDeduction.objects.exists()


def _statuses(text: str, count: int) -> list[int]:
    middleware = FaultInjectionMiddleware(lambda request: HttpResponse(status=200))
    middleware.configure(text)
    factory = RequestFactory()
    return [middleware(factory.get("/v2/user")).status_code for _ in range(count)]


def test_faults_are_seeded_and_in_the_asked_share() -> None:
    first = _statuses("429=0.2,500=0.1,503=0.1,seed=5", 2000)
    assert first == _statuses("429=0.2,500=0.1,503=0.1,seed=5", 2000)
    assert first != _statuses("429=0.2,500=0.1,503=0.1,seed=6", 2000)
    share = {code: first.count(code) / len(first) for code in (200, 429, 500, 503)}
    assert share[429] == pytest.approx(0.2, abs=0.03)
    assert share[500] == pytest.approx(0.1, abs=0.03)
    assert share[503] == pytest.approx(0.1, abs=0.03)


def test_429_carries_retry_after_and_pages_outside_v2_are_untouched() -> None:
    middleware = FaultInjectionMiddleware(lambda request: HttpResponse(status=200))
    middleware.configure("429=1,retry_after=7")
    response = middleware(RequestFactory().get("/v2/providers"))
    assert (response.status_code, response["Retry-After"]) == (429, "7")
    assert middleware(RequestFactory().get("/login/")).status_code == 200


def test_slow_answers_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    waited: list[float] = []
    monkeypatch.setattr("inleg.sandbox.api.faults.time.sleep", waited.append)
    assert _statuses("slow=1,slow_s=2.5", 3) == [200, 200, 200]
    assert waited == [2.5, 2.5, 2.5]


@pytest.mark.parametrize("text", ["429=2", "teapot=0.1", "500=abc", "429=0.6,500=0.6"])
def test_bad_fault_settings_are_refused_by_name(text: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="SANDBOX_FAULTS"):
        parse_plan(text)


class _Undo(Exception):
    """Rolls a seed back inside the test's transaction."""


@pytest.mark.django_db
def test_a_seed_without_inleg_values_leaves_both_components_empty_and_the_rest_as_it_was() -> None:
    def people() -> list[tuple[Any, ...]]:
        return list(Employee.objects.order_by("employer__employer_number", "employee_number").values_list(
            "employer__employer_number", "employee_number", "last_name", "date_of_birth", "bsn"))  # fmt: skip

    keys = {751, 831}
    seen: dict[str, Any] = {}

    def usual_seed_then_undo() -> None:
        with transaction.atomic():
            seed(employers=2, employees=40)
            seen["held"] = BenefitDeduction.objects.filter(component__key__in=keys).exists()
            seen["people"] = people()
            raise _Undo

    with pytest.raises(_Undo):
        usual_seed_then_undo()
    assert seen["held"]  # the usual seed: some employees hold values on the two components
    usual = seen["people"]
    seed(employers=2, employees=40, inleg_values=False)
    assert not BenefitDeduction.objects.filter(component__key__in=keys).exists()
    assert people() == usual  # the same people: only the fixed values on the two components are left out
