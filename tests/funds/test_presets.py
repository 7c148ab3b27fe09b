"""The fund presets (``src/inleg/funds/presets/*.json``): shape, sources and hand-checked figures.

Deliberately independent of the case parser: the presets are checked as plain JSON data, against the
fund shape of ``docs/fund-cases.md`` and against figures typed over by hand from ``fund-figures.md``.
"""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from typing import Any

import pytest

from inleg.funds import presets

# Presets that must exist: the fund-years whose figures fund-figures.md gives (see each file's notes).
EXPECTED = {
    "abp-op-laag-2024",
    "abp-op-hoog-2024",
    "pfzw-op-2024",
    "pfzw-ap-2024",
    "pfzw-ap-2025",
    "pfzw-op-2026",
    "pfzw-wia-excedent-2026",
    "pmt-2026",
    "pme-2024",
    "pme-2025",
    "pme-2026",
    "pma-2024",
    "pma-2025",
}

# Source ids of fund-figures.md section 0 with their addresses, typed over by hand.
SOURCE_URLS: dict[str, tuple[str, ...]] = {
    "S14": (
        "https://centraalaanspreekpuntpensioenen.belastingdienst.nl/publicaties/"
        "overzicht-aow-inbouwbedragen-en-aow-franchises/",
    ),
    "S15": ("https://gerritsenpensioen.nl/pensioencijfers/",),
    "S16": ("https://www.fundamentvoor.nl/node/57359",),
    "S17": ("https://www.seh.nl/kennisbank/toekomstvoorzieningen-en-sociale-zekerheid-2026",),
    "S18": ("https://pmepensioen.nl/rekencijfers-en-voorbeelden",),
    "S19": ("https://pmepensioen.nl/en/news/definitive-calculation-figures-for-2025",),
    "S20": ("https://www.pmt.nl/werkgever/pensioenadministratie/premie-berekenen",),
    "S21": ("https://www.pmt.nl/werkgever/pensioenadministratie/feiten-cijfers/",),
    "S22": ("https://pggm-prod65.adobecqms.net/werkgevers/premie-en-factuur/premiepercentages-en-franchises.html",),
    "S23": ("https://www.kinderopvang-werkt.nl/werkgevers/nieuwsoverzicht/pensioenpremies-2024",),
    "S24": ("https://pfzw.nl/werkgevers/premie-en-factuur/premie-berekenen/hoe-bereken-ik.html",),
    "S25": ("https://www.pfzw.nl/werkgevers/premie-en-factuur/premie-berekenen.html",),
    "S26": ("https://www.pfzw.nl/werkgevers/premie-en-factuur/premiepercentages-en-franchises/franchises.html",),
    "S27": ("https://www.abp.nl/werkgevers/nieuws/2023/juli/premieprognose2024",),
    "S28": ("https://www.abp.nl/werkgevers/nieuws/2024/juli/premieprognose2025",),
    "S29": ("https://www.abp.nl/pensioen-bij-abp/pensioen-1-2-3/laag-2-militairen",),
    "S30": (
        "https://www.abp.nl/pensioen-bij-abp/pensioenreglement/premie-en-pensioenberekeningen"
        "?qa=question-step-727bcafb17",
    ),
    "S31": ("https://www.vgs.nl/nieuws/indexatie-pensioenen-en-wijziging-pensioenpremie-2/",),
    "S32": (
        "https://www.pma-pensioenen.nl/nieuws/nieuwsberichten/premie-en-franchise-2024/",
        "https://pma-pensioenen.nl/nieuws/nieuwsberichten/feiten-en-cijfers-2025",
    ),
    "S33": ("https://www.pma-pensioenen.nl/werkgevers/wat-doe-ik-bij/diensten/",),
    "S37": ("https://www.loon.nl/loon/8-13",),
    "S42": ("https://www.pensioenloodswezen.nl/wat_te_doen_bij/minder-werken/",),
    "S46": ("https://www.pfzw.nl/particulieren/pensioen-bij-ons/ik-bouw-pensioen-op/instapregeling.html",),
}

FUND_FIELDS = {
    "name",
    "kind",
    "external_code",
    "entry",
    "exit",
    "recalc_unit",
    "cumulative",
    "franchise_kind",
    "franchise_age_test",
    "franchise_table",
    "percentage_kind",
    "percentage_age_test",
    "percentage_table",
    "premium",
    "total",
}
SIDES = ("premium", "total")
THRESHOLDS = ("min_base", "max_base", "franchise")
UNITS = {"year", "period", "sv_day", "calendar_day", "hour"}
RECALC_UNITS = {"period", "sv_days", "calendar_days", "pension_days", "hours"}
TABLE_KINDS = {"fixed", "age", "birth_year"}
AGE_TESTS = {"jan1", "dec31", "period_start", "period_end"}
MOMENTS = {"birthday", "month_start", "next_month_start"}

MONEY = re.compile(r"^\d+\.\d{2}$")
PERCENT = re.compile(r"^\d+\.\d{4}$")
NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*-(\d{4})$")
SOURCE_PART = re.compile(r"^(S\d+) (https://\S+) \((.+)\)$", re.DOTALL)
SOURCE_SPLIT = re.compile(r"; (?=S\d+ https://)")  # several sources: "S23 https://... (...); S25 https://... (...)"


def _files() -> dict[str, dict[str, Any]]:
    """Every preset file, by file name without ``.json``, read straight from the package folder."""
    folder = resources.files("inleg.funds") / "presets"
    found: dict[str, dict[str, Any]] = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            found[entry.name.removesuffix(".json")] = json.loads(entry.read_text(encoding="utf-8"))
    return found


FILES = _files()
NAMES = sorted(FILES)


def _get(data: dict[str, Any], path: str) -> Any:
    value: Any = data
    for key in path.split("."):
        value = value[key]
    return value


def _figures(fund: dict[str, Any]) -> dict[str, Any]:
    """The source-bearing settings of a fund: path -> value (percentages, threshold amounts and flags)."""
    figures: dict[str, Any] = {}
    for side in SIDES:
        figures[f"{side}.percentage"] = fund[side]["percentage"]
        for threshold in THRESHOLDS:
            for key in ("amount", "unit", "part_time"):
                figures[f"{side}.{threshold}.{key}"] = fund[side][threshold][key]
    return figures


def _needs_source(fund: dict[str, Any]) -> set[str]:
    """Every non-zero figure, and the part-time flag of every threshold that is used."""
    needed: set[str] = set()
    for side in SIDES:
        if Decimal(fund[side]["percentage"]) != 0:
            needed.add(f"{side}.percentage")
        for threshold in THRESHOLDS:
            if Decimal(fund[side][threshold]["amount"]) != 0:
                needed.add(f"{side}.{threshold}.amount")
                needed.add(f"{side}.{threshold}.part_time")
    return needed


# --- loading -----------------------------------------------------------------------------------


def test_there_are_presets() -> None:
    assert set(NAMES) >= EXPECTED, f"missing presets: {sorted(EXPECTED - set(NAMES))}"


def test_every_preset_loads_through_the_loader() -> None:
    infos = presets.available()
    assert sorted(info.name for info in infos) == NAMES, "a file's name field differs from its file name"
    for info in infos:
        data = presets.load(info.name)
        assert data["name"] == info.name
        assert data["title"] == info.title
        assert data["year"] == info.year


def test_an_unknown_preset_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        presets.load("no-such-fund-1999")


@pytest.mark.parametrize("file_name", NAMES)
def test_file_name_is_the_preset_name(file_name: str) -> None:
    data = FILES[file_name]
    assert data["name"] == file_name
    match = NAME.match(data["name"])
    assert match, f"{file_name}: a name is lower-case fund-scheme-year"
    assert int(match.group(1)) == data["year"]
    assert str(data["year"]) in data["title"]


# --- shape -------------------------------------------------------------------------------------


@pytest.mark.parametrize("file_name", NAMES)
def test_file_shape(file_name: str) -> None:
    data = FILES[file_name]
    assert set(data) == {"name", "title", "year", "fund", "sources", "notes"}
    assert isinstance(data["year"], int)
    assert data["title"].strip()
    assert isinstance(data["notes"], str)
    assert len(data["notes"]) > 40, "notes say what is inferred, how the split was derived, what is left out"


@pytest.mark.parametrize("file_name", NAMES)
def test_fund_shape(file_name: str) -> None:
    fund = FILES[file_name]["fund"]
    assert set(fund) == FUND_FIELDS, "every field of the fund shape except number and base"
    assert fund["name"].strip()
    assert isinstance(fund["external_code"], str)
    assert fund["kind"] in {"none", "hours_incl_overtime"}
    assert fund["recalc_unit"] in RECALC_UNITS
    assert isinstance(fund["cumulative"], bool)
    for moment in (fund["entry"], fund["exit"]):
        if moment is not None:
            assert set(moment) == {"age", "moment", "extra_months"}
            assert moment["moment"] in MOMENTS
    for kind in ("franchise", "percentage"):
        assert fund[f"{kind}_kind"] in TABLE_KINDS
        assert fund[f"{kind}_age_test"] in AGE_TESTS
        assert isinstance(fund[f"{kind}_table"], list)
    for side in SIDES:
        assert set(fund[side]) == {"percentage", *THRESHOLDS}
        assert PERCENT.match(fund[side]["percentage"]), f"{side}.percentage has 4 decimals"
        for threshold in THRESHOLDS:
            value = fund[side][threshold]
            assert set(value) == {"amount", "unit", "part_time"}
            assert MONEY.match(value["amount"]), f"{side}.{threshold}.amount has 2 decimals"
            assert value["unit"] in UNITS
            assert isinstance(value["part_time"], bool)


@pytest.mark.parametrize("file_name", NAMES)
def test_premium_is_part_of_total(file_name: str) -> None:
    fund = FILES[file_name]["fund"]
    premium, total = Decimal(fund["premium"]["percentage"]), Decimal(fund["total"]["percentage"])
    assert 0 < total <= 100
    assert 0 <= premium <= total, "the employee part cannot exceed the afdrachtpercentage"


@pytest.mark.parametrize("file_name", NAMES)
def test_sides_share_their_thresholds(file_name: str) -> None:
    """Every preset here charges employee and total over the same base: same thresholds on both sides."""
    fund = FILES[file_name]["fund"]
    for threshold in THRESHOLDS:
        assert fund["premium"][threshold] == fund["total"][threshold], threshold


# --- sources -----------------------------------------------------------------------------------


@pytest.mark.parametrize("file_name", NAMES)
def test_every_figure_has_a_source(file_name: str) -> None:
    data = FILES[file_name]
    missing = _needs_source(data["fund"]) - set(data["sources"])
    assert not missing, f"{file_name}: no source for {sorted(missing)}"


@pytest.mark.parametrize("file_name", NAMES)
def test_sources_name_real_fields(file_name: str) -> None:
    data = FILES[file_name]
    figures = _figures(data["fund"])
    unknown = set(data["sources"]) - set(figures)
    assert not unknown, f"{file_name}: sources for fields the fund does not have: {sorted(unknown)}"


@pytest.mark.parametrize("file_name", NAMES)
def test_sources_cite_fund_figures_ids_with_their_address(file_name: str) -> None:
    for field, text in FILES[file_name]["sources"].items():
        for part in SOURCE_SPLIT.split(text):
            match = SOURCE_PART.match(part)
            assert match, f"{file_name} {field}: expected 'Sxx https://... (what it says)', got {part!r}"
            source_id, url = match.group(1), match.group(2)
            assert source_id in SOURCE_URLS, f"{file_name} {field}: unknown source id {source_id}"
            assert url in SOURCE_URLS[source_id], f"{file_name} {field}: {url} is not the address of {source_id}"


# --- figures typed over from fund-figures.md ---------------------------------------------------

FIGURES = [
    # ABP 2024 (section 4.3): 27.0% total, 70/30 employer/employee, franchise 15,850 / 17,550
    ("abp-op-laag-2024", "total.percentage", "27.0000"),
    ("abp-op-laag-2024", "premium.percentage", "8.1000"),
    ("abp-op-laag-2024", "total.franchise.amount", "15850.00"),
    ("abp-op-hoog-2024", "premium.franchise.amount", "17550.00"),
    ("abp-op-hoog-2024", "total.max_base.amount", "137800.00"),
    # PFZW
    ("pfzw-op-2024", "total.percentage", "25.8000"),
    ("pfzw-op-2024", "premium.percentage", "12.9000"),
    ("pfzw-op-2024", "total.franchise.amount", "15816.00"),
    ("pfzw-op-2024", "total.max_base.amount", "137800.00"),
    ("pfzw-op-2024", "total.franchise.part_time", True),
    ("pfzw-ap-2024", "total.percentage", "0.5000"),
    ("pfzw-ap-2024", "total.franchise.amount", "26819.00"),
    ("pfzw-ap-2024", "total.franchise.part_time", False),
    ("pfzw-ap-2024", "total.max_base.amount", "0.00"),
    ("pfzw-ap-2025", "total.percentage", "0.5000"),
    ("pfzw-ap-2025", "premium.franchise.amount", "28405.00"),
    ("pfzw-ap-2025", "premium.franchise.part_time", False),
    ("pfzw-op-2026", "total.percentage", "25.9000"),
    ("pfzw-op-2026", "total.franchise.amount", "17283.00"),
    ("pfzw-op-2026", "premium.franchise.amount", "17283.00"),
    ("pfzw-op-2026", "total.max_base.amount", "137800.00"),
    ("pfzw-op-2026", "total.max_base.part_time", True),
    ("pfzw-wia-excedent-2026", "total.percentage", "3.4000"),
    ("pfzw-wia-excedent-2026", "total.franchise.amount", "79409.00"),
    ("pfzw-wia-excedent-2026", "total.max_base.amount", "0.00"),
    # PMT 2026: 27.98% = employer 17.70 + employee 10.28, franchise 19,172, grensbedrag 99,321
    ("pmt-2026", "total.percentage", "27.9800"),
    ("pmt-2026", "premium.percentage", "10.2800"),
    ("pmt-2026", "total.franchise.amount", "19172.00"),
    ("pmt-2026", "total.max_base.amount", "99321.00"),
    # PME: franchise and salarisgrens per year, 27.98% with employee at most 10.89%
    ("pme-2024", "total.franchise.amount", "17545.00"),
    ("pme-2024", "total.max_base.amount", "89382.00"),
    ("pme-2025", "total.franchise.amount", "18475.00"),
    ("pme-2025", "total.max_base.amount", "95236.00"),
    ("pme-2026", "total.franchise.amount", "19172.00"),
    ("pme-2026", "premium.franchise.amount", "19172.00"),
    ("pme-2026", "total.max_base.amount", "100731.00"),
    ("pme-2026", "total.percentage", "27.9800"),
    ("pme-2026", "premium.percentage", "10.8900"),
    # PMA: employer 18.96 + employee 9.48, franchise 17,545 / 18,475, max 137,800
    ("pma-2024", "premium.percentage", "9.4800"),
    ("pma-2024", "total.percentage", "28.4400"),
    ("pma-2024", "total.franchise.amount", "17545.00"),
    ("pma-2024", "total.max_base.amount", "137800.00"),
    ("pma-2025", "total.franchise.amount", "18475.00"),
]


@pytest.mark.parametrize(("name", "path", "expected"), FIGURES, ids=[f"{n}:{p}" for n, p, _ in FIGURES])
def test_figure_matches_fund_figures(name: str, path: str, expected: Any) -> None:
    assert _get(presets.load(name)["fund"], path) == expected


EMPLOYER_PARTS = [
    ("abp-op-laag-2024", "18.9000"),  # 70% of 27.0
    ("pmt-2026", "17.7000"),
    ("pme-2026", "17.0900"),
    ("pma-2024", "18.9600"),
    ("pma-2025", "18.9600"),
]


@pytest.mark.parametrize(("name", "employer"), EMPLOYER_PARTS)
def test_employer_part(name: str, employer: str) -> None:
    fund = presets.load(name)["fund"]
    assert Decimal(fund["total"]["percentage"]) - Decimal(fund["premium"]["percentage"]) == Decimal(employer)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_pfzw_2026_maximum_annual_premium() -> None:
    """S22: maximum annual premium 2026 is 31,214 = (137,800 - 17,283) x 25.9%."""
    total = presets.load("pfzw-op-2026")["fund"]["total"]
    top = Decimal(total["max_base"]["amount"]) - Decimal(total["franchise"]["amount"])
    assert _cents(top * Decimal(total["percentage"]) / 100).quantize(Decimal("1")) == Decimal("31214")


@pytest.mark.parametrize(("salary", "expected"), [("95000", "332.98"), ("150000", "607.98")])
def test_pfzw_ap_2025_worked_examples(salary: str, expected: str) -> None:
    """S24 (fund-figures.md 6.1): full-time AP premium 2025, no maximum."""
    total = presets.load("pfzw-ap-2025")["fund"]["total"]
    base = max(Decimal(salary) - Decimal(total["franchise"]["amount"]), Decimal(0))
    assert _cents(base * Decimal(total["percentage"]) / 100) == Decimal(expected)
