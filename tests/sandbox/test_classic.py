"""Loket Classic pages (Django admin): users and rights, a free component named Pensify Inleg, funds."""

from __future__ import annotations

from typing import Any

import pytest
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


def test_funds_on_the_wage_model_are_checked_by_the_engine_and_capped_at_35(seeded: Any) -> None:
    from django.core.exceptions import ValidationError

    from inleg.sandbox.core.models import Fund
    from inleg.sandbox.seed import fund_settings

    admin = PayrollAdministration.objects.get(employer__employer_number=20001)
    bad = Fund(administration=admin, number=4, name="Fout", settings={**fund_settings("flat"), "recalc_unit": "decade"})
    with pytest.raises(ValidationError, match="decade"):
        bad.full_clean()
    for number in range(4, 36):
        Fund.objects.create(administration=admin, number=number, name=f"Fonds {number}", settings=fund_settings("flat"))
    extra = Fund(administration=admin, number=35, name="Te veel", settings=fund_settings("flat"))
    with pytest.raises(ValidationError, match="35"):
        extra.clean()
    out_of_range = Fund(administration=admin, number=36, name="Nummer 36", settings=fund_settings("flat"))
    with pytest.raises(ValidationError, match="35"):
        out_of_range.clean_fields()


def test_access_tokens_are_not_stored_in_plain_text(seeded: Any) -> None:
    from oauth2_provider.models import AccessToken

    from conftest import make_token

    raw = make_token("koppeling")
    stored = AccessToken.objects.get()
    assert raw not in (stored.token, stored.token_checksum)
    assert stored.token == ""


def test_tab_componenten_add_a_free_component_the_seeds_way(seeded: Any) -> None:
    client = staff(seeded)
    admin = PayrollAdministration.objects.get(employer__employer_number=20002)  # the employer without Pensify Inleg
    listing = client.get(f"/classic/{admin.pk}/componenten/").content.decode()
    assert "Toevoegen" in listing
    assert "Pensify Inleg" not in listing
    step_one = client.get(f"/classic/{admin.pk}/componenten/toevoegen/", {"category": 7}).content.decode()
    assert '<option value="751">751</option>' in step_one  # the free components of category 7
    too_long = client.post(f"/classic/{admin.pk}/componenten/toevoegen/",
                           {"category": 7, "key": 751, "description": "Pensify Inleg!!"})  # fmt: skip
    assert too_long.status_code == 200
    assert not PayrollComponent.objects.filter(administration=admin, key=751).exists()
    not_free = client.post(f"/classic/{admin.pk}/componenten/toevoegen/",
                           {"category": 7, "key": 10, "description": "Pensify Inleg"})  # fmt: skip
    assert not_free.status_code == 200
    saved = client.post(f"/classic/{admin.pk}/componenten/toevoegen/",
                        {"category": 7, "key": 751, "description": "Pensify Inleg"})  # fmt: skip
    assert saved.status_code == 302
    component = PayrollComponent.objects.get(administration=admin, key=751)
    assert (component.category, component.in_257, component.paid_gross) == (7, 1, False)
    edit = client.get(saved["Location"]).content.decode()
    assert 'value="751" disabled' in edit  # the number cannot be changed any more
    client.post(saved["Location"], {"description": "Pensify Inleg", "paid_gross": "on", "withheld_net": "on",
                                    "to_excasso": "on", "key": 999, "category": 13})  # fmt: skip
    component.refresh_from_db()
    assert (component.key, component.category) == (751, 7)
    assert (component.paid_gross, component.withheld_net, component.to_excasso) == (True, True, True)
    net = client.post(f"/classic/{admin.pk}/componenten/toevoegen/",
                      {"category": 13, "key": 832, "description": "Netto pensioen"})  # fmt: skip
    assert net.status_code == 302
    net_component = PayrollComponent.objects.get(administration=admin, key=832)
    assert (net_component.category, net_component.deduction_or_payment, net_component.to_excasso) == (13, 1, True)


def test_classic_pages_need_a_staff_user(seeded: Any) -> None:
    admin = PayrollAdministration.objects.first()
    assert Client().get(f"/classic/{admin.pk}/componenten/").status_code == 302
    client = Client()
    assert client.login(username="koppeling", password=USER_PASSWORD)
    assert client.get(f"/classic/{admin.pk}/componenten/").status_code == 302


def test_tab_verloning_runs_and_approves_a_period(seeded: Any) -> None:
    from inleg.sandbox.core.models import PayrollRun, RunStatus, SepaFile

    client = staff(seeded)
    admin = PayrollAdministration.objects.get(employer__employer_number=20001)
    page = f"/classic/{admin.pk}/verloning/"
    assert client.post(page, {"action": "run", "year": 2024, "period": 14}).status_code == 200  # refused by the form
    assert not PayrollRun.objects.exists()
    assert client.post(page, {"action": "run", "year": 2024, "period": 5}).status_code == 302
    run = PayrollRun.objects.get()
    assert run.status == RunStatus.DONE
    assert "Goedkeuren" in client.get(page).content.decode()
    assert client.post(page, {"action": "approve", "run": run.pk}).status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED
    assert SepaFile.objects.filter(run=run).exists()
    again = client.post(page, {"action": "run", "year": 2024, "period": 5}).content.decode()
    assert "is al goedgekeurd" in again


def test_an_overlapping_fixed_value_is_refused_on_the_page_too(seeded: Any) -> None:
    from datetime import date
    from decimal import Decimal

    from django.core.exceptions import ValidationError

    from inleg.sandbox.core.models import BenefitDeduction, Employment

    employment = Employment.objects.filter(benefits__isnull=False).first()
    existing = employment.benefits.first()
    clash = BenefitDeduction(employment=employment, component=existing.component, start_date=existing.start_date,
                             end_date=date(2099, 1, 1), value=Decimal("1.00"))  # fmt: skip
    with pytest.raises(ValidationError, match="overlapt"):
        clash.full_clean()
    existing.full_clean()  # a record does not clash with itself


def test_tab_verloning_names_a_missing_pension_provider_iban(seeded: Any) -> None:
    from inleg.sandbox.core.models import Employer, PayrollRun, RunStatus, SepaFile

    client = staff(seeded)
    Employer.objects.filter(employer_number=20001).update(pension_provider_iban="")
    admin = PayrollAdministration.objects.get(employer__employer_number=20001)
    page = f"/classic/{admin.pk}/verloning/"
    assert client.post(page, {"action": "run", "year": 2024, "period": 5}).status_code == 302
    run = PayrollRun.objects.get()
    answer = client.post(page, {"action": "approve", "run": run.pk})
    assert answer.status_code == 200
    text = answer.content.decode()
    assert "werkgever 20001" in text
    assert "IBAN van de pensioenuitvoerder" in text
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert not SepaFile.objects.exists()


def test_excasso_on_a_gross_component_not_withheld_net_is_refused_on_the_page(seeded: Any) -> None:
    client = staff(seeded)
    admin = PayrollAdministration.objects.get(employer__employer_number=20001)
    page = f"/classic/{admin.pk}/componenten/751/"
    answer = client.post(page, {"description": "Pensify Inleg", "paid_gross": "on", "to_excasso": "on"})
    assert answer.status_code == 200
    assert "nooit is ingehouden" in answer.content.decode()
    component = PayrollComponent.objects.get(administration=admin, key=751)
    assert (component.withheld_net, component.to_excasso) == (True, True)  # unchanged
