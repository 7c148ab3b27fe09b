"""Loket Classic pages (Django admin): users and rights, a free component named Pensify Inleg, funds."""

from __future__ import annotations

from typing import Any

from django.test import Client

from inleg.sandbox.core.models import EmployerLink, LoketUser, PayrollAdministration, PayrollComponent
from inleg.sandbox.seed import USER_PASSWORD


def staff(seeded: Any) -> Client:
    client = Client()
    assert client.login(username="beheerder", password=USER_PASSWORD)
    return client


def test_add_user_at_employer_level_with_rights(seeded: Any) -> None:
    client = staff(seeded)
    user = LoketUser.objects.create(username="nieuw", kind="normal", level="employer")
    page = client.get(f"/admin/core/loketuser/{user.pk}/change/")
    assert page.status_code == 200
    assert "Beheer vaste gegevens salarisadministratie" in page.content.decode()
    link_employer = PayrollAdministration.objects.first().employer
    EmployerLink.objects.create(user=user, employer=link_employer, rights=["raadplegen_hrm"])
    assert user.rights_for(link_employer) == {"raadplegen_hrm"}


def test_free_component_must_come_from_the_free_list_and_key_is_then_read_only(seeded: Any) -> None:
    client = staff(seeded)
    admin = PayrollAdministration.objects.get(employer__employer_number=20002)
    form = {"administration": admin.pk, "key": 10, "description": "Pensify Inleg", "category": 7,
            "deduction_or_payment": 2, "sign": 1, "in_257": 1, "in_265": 1, "paid_gross": "on", "withheld_net": "on",
            "to_excasso": "on"}  # fmt: skip
    refused = client.post("/admin/core/payrollcomponent/add/", form)
    assert refused.status_code == 200
    assert "geen vrij component" in refused.content.decode()
    too_long = client.post(
        "/admin/core/payrollcomponent/add/", {**form, "key": 752, "description": "Pensify Inleg 2024"}
    )
    assert too_long.status_code == 200
    assert not PayrollComponent.objects.filter(administration=admin, key=752).exists()
    created = client.post("/admin/core/payrollcomponent/add/", {**form, "key": 752})
    assert created.status_code == 302
    component = PayrollComponent.objects.get(administration=admin, key=752)
    assert (component.description, component.paid_gross, component.withheld_net) == ("Pensify Inleg", True, True)
    change = client.get(f"/admin/core/payrollcomponent/{component.pk}/change/").content.decode()
    assert 'name="key"' not in change
    assert 'name="description"' in change
