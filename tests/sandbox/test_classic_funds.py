"""Loket Classic's tab Fondsen (seed 004): each group of settings saved and read back, every refusal naming the
field in the seed's words and the value as typed, nothing half-saved, the 36th fund refused, the fund's
components taken over, ABP from its list of schemes, versions from a date, the tables screen."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

import pytest
from django.test import Client

from inleg.sandbox.core.models import Fund, FundVersion, PayrollAdministration, PayrollComponent
from inleg.sandbox.seed import USER_PASSWORD, fund_settings


def staff() -> Client:
    client = Client()
    assert client.login(username="beheerder", password=USER_PASSWORD)
    return client


def admin_of(number: int) -> PayrollAdministration:
    return PayrollAdministration.objects.get(employer__employer_number=number)


def form(**changes: str) -> dict[str, str]:
    """A fund as a payroll administrator types it: Dutch decimal commas, Ja/Nee as the selects send them."""
    data = {
        "number": "4", "name": "Pensioen Classic", "kind": "none", "external_code": "PF-01",
        "entry_age": "21", "entry_moment": "month_start", "entry_extra_months": "2",
        "exit_age": "68", "exit_moment": "birthday", "exit_extra_months": "0",
        "min_premium": "100,00", "min_total": "200,00", "min_unit": "period", "min_part_time": "false",
        "max_premium": "137800,00", "max_total": "137800,00", "max_unit": "year", "max_part_time": "true",
        "franchise_kind": "fixed", "franchise_age_test": "jan1", "franchise_premium": "17545,00",
        "franchise_total": "17545,00", "franchise_unit": "year", "franchise_part_time": "true",
        "percentage_kind": "fixed", "percentage_age_test": "dec31", "premium_percentage": "7,5",
        "total_percentage": "22,0000", "recalc_unit": "sv_days", "cumulative": "true",
        "base-TOTAL_FORMS": "3", "base-INITIAL_FORMS": "0", "base-MIN_NUM_FORMS": "0", "base-MAX_NUM_FORMS": "1000",
        "base-0-component": "265", "base-0-origin": "calculated",
        "base-1-component": "601", "base-1-origin": "calculated",
        "base-2-component": "545", "base-2-origin": "fixed",
        "valid_from": "2024-01-01",
    }  # fmt: skip
    data.update(changes)
    return data


def add_url(admin: PayrollAdministration) -> str:
    return f"/classic/{admin.pk}/fondsen/toevoegen/"


def test_each_group_of_settings_is_saved_as_the_engines_json_and_read_back(seeded: Any) -> None:
    admin = admin_of(20001)
    client = staff()
    answer = client.post(add_url(admin), form())
    assert answer.status_code == 302, answer.content.decode()[:3000]
    fund = Fund.objects.get(administration=admin, number=4)
    threshold = {"unit": "year", "part_time": True}
    # Worked out by hand from the form above (docs/fund-cases.md): decimal commas become points, Ja/Nee booleans.
    assert fund.name == "Pensioen Classic"
    assert fund.settings == {
        "kind": "none", "external_code": "PF-01",
        "entry": {"age": 21, "moment": "month_start", "extra_months": 2},
        "exit": {"age": 68, "moment": "birthday", "extra_months": 0},
        "recalc_unit": "sv_days", "cumulative": True,
        "franchise_kind": "fixed", "franchise_age_test": "jan1", "franchise_table": [],
        "percentage_kind": "fixed", "percentage_age_test": "dec31", "percentage_table": [],
        "premium": {"percentage": "7.5",
                    "min_base": {"amount": "100.00", "unit": "period", "part_time": False},
                    "max_base": {"amount": "137800.00", **threshold},
                    "franchise": {"amount": "17545.00", **threshold}},
        "total": {"percentage": "22.0000",
                  "min_base": {"amount": "200.00", "unit": "period", "part_time": False},
                  "max_base": {"amount": "137800.00", **threshold},
                  "franchise": {"amount": "17545.00", **threshold}},
        "base": [{"component": 265, "origin": "calculated"}, {"component": 601, "origin": "calculated"},
                 {"component": 545, "origin": "fixed"}],
    }  # fmt: skip
    page = html.unescape(client.get(f"/classic/{admin.pk}/fondsen/4/").content.decode())
    for shown in ('value="PF-01"', 'value="17545,00"', 'value="100,00"', 'value="200,00"', 'value="7,5"',
                  'value="22,0000"', 'value="21"', 'value="68"', '<option value="sv_days" selected>',
                  '<option value="dec31" selected>', '<option value="period" selected>'):  # fmt: skip
        assert shown in page, shown
    # Grondslag opbouw: 601 (premium of fund 1, part of 265 with -1) counts with the opposite sign beside 265.
    assert "tegengesteld: + bedrag (deel van 265)" in page
    assert "Herkomst" in page
    assert "JAAR GRSL3" in page
    # Saving the form unchanged gives the same JSON (the way back is the way there).
    before = dict(fund.settings)
    again = client.post(f"/classic/{admin.pk}/fondsen/4/", {**form(), "base-INITIAL_FORMS": "3"})
    assert again.status_code == 302
    fund.refresh_from_db()
    assert fund.settings == before


REFUSALS = [
    ("premium_percentage", "7,12345", "Premie percentage: “7,12345” heeft te veel decimalen"),
    ("total_percentage", "22.000,00", "Afdrachtpercentage: “22.000,00” is geen geldig bedrag of getal"),
    ("max_unit", "decade", "Max. grondslag tijdseenheid: “decade” is geen van de keuzes"),
    ("franchise_premium", "-5", "Franchise premie: “-5” mag niet negatief zijn"),
    ("min_total", "12,345", "Min. grondslag afdracht: “12,345” heeft te veel decimalen"),
    ("entry_age", "twintig", "Ingangsmoment leeftijd: “twintig” is geen geheel getal"),
    ("exit_moment", "", "Eindmoment datum is leeg; kies een waarde uit de lijst"),
    ("recalc_unit", "weeks", "Herreken eenheid: “weeks” is geen van de keuzes"),
    ("kind", "bouw", "Soort fonds: “bouw” is geen van de keuzes"),
    ("franchise_kind", "salary", "Soort franchise: “salary” is geen van de keuzes"),
    ("percentage_age_test", "easter", "Leeftijdstoets percentage: “easter” is geen van de keuzes"),
    ("cumulative", "misschien", "Cumulatief berekenen: “misschien” kies Ja of Nee"),
    ("max_part_time", "wel", "Max. grondslag PT-herrek.: “wel” kies Ja of Nee"),
    ("premium_percentage", "", "Premie percentage is leeg; vul het in"),
    ("number", "36", "Fondsnummer: “36” is geen fondsnummer: een fonds heeft een nummer van 1 t/m 35"),
    ("base-0-origin", "fixed", "Grondslag opbouw regel 1, Herkomst: “Bedragen uit vaste gegevens” kan niet"),
    ("base-1-component", "265", "Grondslag opbouw regel 2, Component: “265” staat al in de grondslag opbouw"),
]


@pytest.mark.parametrize(("field", "value", "expected"), REFUSALS, ids=[r[0] + "=" + r[1] for r in REFUSALS])
def test_every_refusal_names_the_field_and_the_value_and_nothing_is_saved(
    seeded: Any, field: str, value: str, expected: str
) -> None:
    admin = admin_of(20001)
    components = PayrollComponent.objects.count()
    answer = staff().post(add_url(admin), form(**{field: value}))
    assert answer.status_code == 200
    page = html.unescape(answer.content.decode())
    assert expected in page
    assert not Fund.objects.filter(administration=admin, number=4).exists()
    assert PayrollComponent.objects.count() == components
    assert not FundVersion.objects.exists()
    assert 'value="Pensioen Classic"' in page  # the form keeps what was typed


def test_a_fund_number_in_use_is_refused_and_the_free_ones_offered(seeded: Any) -> None:
    admin = admin_of(20001)
    answer = staff().post(add_url(admin), form(number="2"))
    page = html.unescape(answer.content.decode())
    assert "Fondsnummer: “2” is al in gebruik door fonds 2 WIA-excedent; kies een vrij nummer (4, 5, 6" in page
    assert Fund.objects.get(administration=admin, number=2).name == "WIA-excedent"


def test_the_36th_fund_is_refused_with_lokets_words(seeded: Any) -> None:
    admin = admin_of(20001)
    for number in range(4, 36):
        Fund.objects.create(administration=admin, number=number, name=f"Fonds {number}", settings=fund_settings("flat"))
    client = staff()
    listing = html.unescape(client.get(f"/classic/{admin.pk}/fondsen/").content.decode())
    assert "Er kunnen maximaal 35 fondsen worden gedefinieerd." in listing
    assert "/fondsen/toevoegen/" not in listing
    answer = client.post(add_url(admin), form(number="36"))
    assert "Er kunnen maximaal 35 fondsen worden gedefinieerd." in html.unescape(answer.content.decode())
    assert admin.funds.count() == 35


def test_creating_a_fund_takes_over_its_standard_components(seeded: Any) -> None:
    admin = admin_of(20002)
    assert not admin.components.filter(key__in=(607, 707)).exists()
    client = staff()
    answer = client.post(add_url(admin), form(number="7", **{"base-1-component": ""}))
    assert answer.status_code == 302
    premium = admin.components.get(key=607)
    remittance = admin.components.get(key=707)
    assert (premium.description, premium.category, premium.sign, premium.in_257, premium.in_265) == (
        "Prem. fonds 7", 40, -1, 0, -1)  # fmt: skip
    assert (remittance.description, remittance.category, remittance.in_257, remittance.in_265) == (
        "Afdr. fonds 7", 40, 0, 0)  # fmt: skip
    page = client.get(f"/classic/{admin.pk}/fondsen/7/").content.decode()
    assert "Gekoppelde componenten" in page
    assert "Prem. fonds 7" in page
    assert "Afdr. fonds 7" in page
    # The seed's funds carry the same two components the payroll run books on.
    assert set(admin.components.filter(key__in=(601, 701, 602, 702)).values_list("key", flat=True)) == {
        601, 701, 602, 702}  # fmt: skip


def test_an_abp_scheme_is_chosen_from_the_list_with_its_sources(seeded: Any) -> None:
    admin = admin_of(20002)
    client = staff()
    listing = html.unescape(client.get(f"/classic/{admin.pk}/fondsen/abp/").content.decode())
    assert "abp-op-laag-2024" in listing
    assert "abp-op-hoog-2024" in listing
    assert "pfzw" not in listing  # only ABP's schemes here
    assert "https://www.abp.nl/pensioen-bij-abp/pensioen-1-2-3/laag-2-militairen" in listing  # a source, shown
    chosen = html.unescape(client.get(add_url(admin) + "?preset=abp-op-laag-2024").content.decode())
    # The preset's figures (abp-op-laag-2024.json: 8.1000 / 27.0000, franchise 15850.00) prefill the form.
    assert 'value="8,1000"' in chosen
    assert 'value="27,0000"' in chosen
    assert 'value="15850,00"' in chosen
    data = form(number="5", preset="abp-op-laag-2024", name="ABP OP/NP laag", premium_percentage="8,1000",
                total_percentage="27,0000", franchise_premium="15850,00", franchise_total="15850,00",
                min_premium="0,00", min_total="0,00")  # fmt: skip
    assert client.post(add_url(admin), data).status_code == 302
    fund = Fund.objects.get(administration=admin, number=5)
    assert fund.settings["premium"]["percentage"] == "8.1000"
    assert fund.settings["total"]["franchise"]["amount"] == "15850.00"
    assert fund.versions.get().preset == "abp-op-laag-2024"
    assert "abp-op-laag-2024" in client.get(f"/classic/{admin.pk}/fondsen/5/").content.decode()


def test_a_change_from_a_date_in_the_year_is_a_new_version(seeded: Any) -> None:
    from inleg.sandbox.payroll.run import run_period

    admin = admin_of(20001)
    client = staff()
    assert client.post(add_url(admin), form()).status_code == 302
    edit = f"/classic/{admin.pk}/fondsen/4/"
    changed = form(premium_percentage="8,0000", valid_from="2024-07-01", **{"base-INITIAL_FORMS": "3"})
    assert client.post(edit, changed).status_code == 302
    fund = Fund.objects.get(administration=admin, number=4)
    versions = list(fund.versions.order_by("valid_from"))
    assert [(v.valid_from, v.settings["premium"]["percentage"]) for v in versions] == [
        (date(2024, 1, 1), "7.5"), (date(2024, 7, 1), "8.0000")]  # fmt: skip
    assert fund.settings["premium"]["percentage"] == "8.0000"  # the latest version is what the run reads today
    page = client.get(edit).content.decode()
    assert "01-01-2024" in page
    assert "01-07-2024" in page
    # The same date again corrects that version instead of adding one.
    assert client.post(edit, {**changed, "premium_percentage": "8,2500"}).status_code == 302
    assert fund.versions.count() == 2
    # Once 2025 has been run, a date in 2024 is a previous year: refused, nothing stored.
    run_period(admin, 2025, 1)
    late = client.post(edit, {**changed, "valid_from": "2024-09-01"})
    assert "Geldig vanaf: “01-09-2024” ligt in 2024, een jaar vóór het verloningsjaar 2025" in html.unescape(
        late.content.decode()
    )
    assert fund.versions.count() == 2


def test_the_tables_screen_saves_rows_and_refuses_overlap_by_row(seeded: Any) -> None:
    admin = admin_of(20001)
    client = staff()
    assert client.post(add_url(admin), form(franchise_kind="age")).status_code == 302
    url = f"/classic/{admin.pk}/fondsen/4/tabellen/"
    assert "Leeftijd- of geboortejaar afhankelijke franchise" in client.get(url).content.decode()
    management = {f"{k}-{m}": v for k in ("franchise", "percentage")
                  for m, v in (("TOTAL_FORMS", "3"), ("INITIAL_FORMS", "0"), ("MIN_NUM_FORMS", "0"),
                               ("MAX_NUM_FORMS", "1000"))}  # fmt: skip
    rows = {"franchise-0-low": "21", "franchise-0-high": "34", "franchise-0-premium": "15000,00",
            "franchise-0-total": "15000,00", "franchise-1-low": "30", "franchise-1-high": "67",
            "franchise-1-premium": "17545,00", "franchise-1-total": "17545,00", "valid_from": "2024-01-01"}  # fmt: skip
    refused = html.unescape(client.post(url, {**management, **rows}).content.decode())
    assert "Franchise regel 2, Van: “30” overlapt een andere rij" in refused
    assert Fund.objects.get(administration=admin, number=4).settings["franchise_table"] == []
    fixed = {**rows, "franchise-1-low": "35"}
    assert client.post(url, {**management, **fixed}).status_code == 302
    assert Fund.objects.get(administration=admin, number=4).settings["franchise_table"] == [
        {"from": 21, "to": 34, "premium": "15000.00", "total": "15000.00"},
        {"from": 35, "to": 67, "premium": "17545.00", "total": "17545.00"},
    ]
