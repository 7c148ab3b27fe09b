"""The Fondsen screen's form: every setting of seed 004, named and grouped as the seed names them.

The form maps one to one onto the engine's fund JSON (``docs/fund-cases.md``). Its fields are text on
purpose: the engine's own parser (``inleg.funds.cases.fund_from_json``) is the one judge of every value,
and each refusal comes back on the field the payroll administrator typed it in, with the seed's Dutch
name and the value as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inleg.funds.cases import fund_from_json
from inleg.funds.errors import (
    ConflictingSettings,
    DuplicateEntry,
    FundError,
    MissingField,
    OutOfRange,
    OverlappingTable,
    TooManyDecimals,
    UnknownChoice,
    WrongType,
)
from inleg.funds.model import JAAR_GRSL

YES_NO = [("false", _("Nee")), ("true", _("Ja"))]
KINDS = [("none", _("n.v.t.")), ("hours_incl_overtime", _("Uren inclusief overuren"))]
MOMENTS = [
    ("", _("geen")),
    ("birthday", _("op de dag van de verjaardag")),
    ("month_start", _("op de 1e van de maand van de verjaardag")),
    ("next_month_start", _("op de 1e van de maand na de verjaardag")),
]
UNITS = [
    ("year", _("Jaar")),
    ("period", _("Verloningsperiode")),
    ("sv_day", _("SV-dag")),
    ("calendar_day", _("Kalenderdag")),
    ("hour", _("Uur")),
]
TABLE_KINDS = [
    ("fixed", _("Vast")),
    ("age", _("Afhankelijk van leeftijd")),
    ("birth_year", _("Afhankelijk van geboortejaar")),
]
AGE_TESTS = [
    ("jan1", _("1 januari")),
    ("dec31", _("31 december")),
    ("period_start", _("Begin verloningsperiode")),
    ("period_end", _("Einde verloningsperiode")),
]
RECALC_UNITS = [
    ("period", _("Verloningsperiode")),
    ("sv_days", _("SV-dagen")),
    ("calendar_days", _("Kalenderdagen")),
    ("pension_days", _("Pensioendagen")),
    ("hours", _("Uren")),
]
ORIGINS = [
    ("calculated", _("Berekende bedragen in de grondslag")),
    ("fixed", _("Bedragen uit vaste gegevens")),
    ("excluded", _("Uitgezonderd van grondslag")),
]
TOTAL_NAMES = {257: "BRUTO", 265: "V/H SOC.PLLOON", **{key: f"JAAR GRSL{key - 542}" for key in JAAR_GRSL}}

# What each threshold of the seed is called on the form; premium and remittance share unit and PT-herrek.
THRESHOLDS = {"min": ("min_base", _("Min. grondslag")), "max": ("max_base", _("Max. grondslag")),
              "franchise": ("franchise", _("Franchise"))}  # fmt: skip


@dataclass(frozen=True)
class Setting:
    name: str
    label: Any
    help: Any
    choices: list[tuple[str, Any]] | None = None


# The help texts say what seed 004 says of each setting, in our own words.
HELP_UNIT = _(
    "Waarop het bedrag slaat: per jaar, per verloningsperiode, per sv-dag, per kalenderdag of per uur. "
    "Geldt voor premie en afdracht samen."
)
HELP_PART_TIME = _(
    "Ja: het bedrag wordt voor deeltijders naar rato van de deeltijdfactor omgerekend. Nee: het is een vast bedrag."
)
SETTINGS: list[tuple[Any, list[Setting]]] = [
    (_("Fonds"), [
        Setting("name", _("Omschrijving"), _(
            "De naam van het fonds zoals die in de overzichten staat.")),
        Setting("kind", _("Soort fonds"), _(
            "Stuurt de berekening voor enkele sectoren; meestal n.v.t. Komt het fonds uit de cao, laat het dan "
            "zoals het is. Uren inclusief overuren telt bij herrekening per uur ook de overuren mee."), KINDS),
        Setting("external_code", _("Externe fondscode"), _(
            "De code waaronder een externe partij het fonds kent; gaat mee bij de gegevensuitwisseling.")),
    ]),
    (_("Ingangsmoment / Eindmoment (Aanvullende maanden)"), [
        Setting("entry_age", _("Ingangsmoment leeftijd"), _(
            "De leeftijd vanaf welke de werknemer deelneemt. Leeg: deelname vanaf de datum in dienst. Ligt die "
            "vóór het verloningsjaar, dan telt 1 januari van dat jaar; een voorgaand jaar wordt niet berekend.")),
        Setting("entry_moment", _("Ingangsmoment datum"), _(
            "Welke dag de deelname begint als de leeftijd bereikt is."), MOMENTS),
        Setting("entry_extra_months", _("Ingangsmoment aanvullende maanden"), _(
            "Zoveel kalendermaanden na die dag begint de deelname pas.")),
        Setting("exit_age", _("Eindmoment leeftijd"), _(
            "De leeftijd waarop de deelname stopt; het fonds geldt tot de dag ervoor. Leeg: geen eindleeftijd.")),
        Setting("exit_moment", _("Eindmoment datum"), _("Welke dag de leeftijd als bereikt telt."), MOMENTS),
        Setting("exit_extra_months", _("Eindmoment aanvullende maanden"), _(
            "Zoveel kalendermaanden later stopt de deelname.")),
    ]),
    (_("Min. grondslag"), [
        Setting("min_premium", _("Min. grondslag premie"), _(
            "De ondergrens van de premiegrondslag, na aftrek van de franchise. 0,00: geen minimum.")),
        Setting("min_total", _("Min. grondslag afdracht"), _(
            "Hetzelfde voor de afdracht (werknemers- en werkgeversdeel). 0,00: geen minimum.")),
        Setting("min_unit", _("Min. grondslag tijdseenheid"), HELP_UNIT, UNITS),
        Setting("min_part_time", _("Min. grondslag PT-herrek."), HELP_PART_TIME, YES_NO),
    ]),
    (_("Max. grondslag"), [
        Setting("max_premium", _("Max. grondslag premie"), _(
            "De bovengrens van de premiegrondslag, vóór aftrek van de franchise. 0,00: geen maximum.")),
        Setting("max_total", _("Max. grondslag afdracht"), _("Hetzelfde voor de afdracht. 0,00: geen maximum.")),
        Setting("max_unit", _("Max. grondslag tijdseenheid"), HELP_UNIT, UNITS),
        Setting("max_part_time", _("Max. grondslag PT-herrek."), HELP_PART_TIME, YES_NO),
    ]),
    (_("Franchise"), [
        Setting("franchise_kind", _("Soort franchise"), _(
            "Een vast bedrag, of een bedrag dat van de leeftijd of het geboortejaar afhangt; dat laatste vul je "
            "in op het scherm Leeftijd- of geboortejaar afhankelijke franchise."), TABLE_KINDS),
        Setting("franchise_age_test", _("Leeftijdstoets franchise"), _(
            "Hangt de franchise van de leeftijd af, dan is dit de dag waarop de leeftijd wordt bepaald."), AGE_TESTS),
        Setting("franchise_premium", _("Franchise premie"), _(
            "Het deel van de grondslag waarover geen premie wordt geheven. 0,00: geen franchise. Alleen bij "
            "een vaste franchise.")),
        Setting("franchise_total", _("Franchise afdracht"), _("Hetzelfde voor de afdracht. 0,00: geen franchise.")),
        Setting("franchise_unit", _("Franchise tijdseenheid"), HELP_UNIT, UNITS),
        Setting("franchise_part_time", _("Franchise PT-herrek."), HELP_PART_TIME, YES_NO),
    ]),
    (_("Percentage"), [
        Setting("percentage_kind", _("Soort percentage"), _(
            "Een vast percentage, of een percentage dat van de leeftijd of het geboortejaar afhangt; dat laatste "
            "vul je in op het scherm Leeftijd- of geboortejaar afhankelijke percentages."), TABLE_KINDS),
        Setting("percentage_age_test", _("Leeftijdstoets percentage"), _(
            "Hangt het percentage van de leeftijd af, dan is dit de dag waarop de leeftijd wordt bepaald."), AGE_TESTS),
        Setting("premium_percentage", _("Premie percentage"), _(
            "Het percentage dat op het loon van de werknemer wordt ingehouden (ten hoogste 4 decimalen).")),
        Setting("total_percentage", _("Afdrachtpercentage"), _(
            "Wat in totaal aan het fonds wordt afgedragen: werknemersdeel plus werkgeversdeel.")),
    ]),
    (_("Berekening"), [
        Setting("recalc_unit", _("Herreken eenheid"), _(
            "Hoe een jaarbedrag een periodebedrag wordt: per verloningsperiode (jaar gedeeld door 12 of 13), "
            "naar sv-dagen of kalenderdagen in de periode, naar pensioendagen (sv-dagen maal deeltijdfactor, "
            "over het jaar opgeteld en naar boven afgerond) of naar de opgegeven uren binnen de normuren."),
            RECALC_UNITS),
        Setting("cumulative", _("Cumulatief berekenen"), _(
            "Ja: de premie wordt over het jaar tot en met deze periode berekend en het verschil met eerdere "
            "perioden komt in deze periode."), YES_NO),
    ]),
]  # fmt: skip
SETTING_BY_NAME = {s.name: s for _group, settings in SETTINGS for s in settings}
LABELS: dict[str, Any] = {
    "number": _("Fondsnummer"),
    "valid_from": _("Geldig vanaf"),
    **{name: s.label for name, s in SETTING_BY_NAME.items()},
}
HELP_COMPONENT = _(
    "Een component met bedragen dat in de grondslag meetelt. Ook 257 BRUTO en 265 V/H SOC.PLLOON kunnen: "
    "een component dat daar deel van uitmaakt telt dan tegengesteld mee. JAAR GRSL1 t/m 5 (543 t/m 547) houden "
    "een jaargrondslag die bij de werknemer wordt opgegeven."
)
HELP_ORIGIN = _(
    "Berekend: het bedrag van de loonverwerking van die periode. Vaste gegevens: het bedrag bij het "
    "dienstverband. Uitgezonderd: het component blijft in de opbouw maar telt niet mee."
)


def money_out(value: Any) -> str:
    """A JSON amount or percentage as a payroll administrator reads it: a decimal comma."""
    return str(value).replace(".", ",") if value is not None else ""


def number_in(raw: str, empty: str) -> str:
    """A typed amount or percentage as the engine reads it. Only a lone decimal comma becomes a point; anything
    else goes as typed, so that the engine refuses it (17.545,00 is not 17,545 nor 17.545)."""
    text = raw.strip()
    if not text:
        return empty
    if text.count(",") == 1 and "." not in text:
        return text.replace(",", ".")
    return text


def whole_in(raw: str) -> Any:
    text = raw.strip()
    return int(text) if re.fullmatch(r"\d{1,6}", text) else text


class FundForm(forms.Form):
    """A fund's settings; ``number`` only when the fund is made."""

    def __init__(self, *args: Any, with_number: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_number:
            self.fields["number"] = forms.CharField(
                label=LABELS["number"], max_length=6, help_text=_("1 t/m 35; bepaalt ook de gekoppelde componenten.")
            )
        for setting in SETTING_BY_NAME.values():
            widget = forms.Select(choices=setting.choices) if setting.choices else forms.TextInput()
            self.fields[setting.name] = forms.CharField(
                label=setting.label, help_text=setting.help, required=False, widget=widget, max_length=60,
                strip=False,
            )  # fmt: skip
        self.fields["valid_from"] = forms.DateField(
            label=LABELS["valid_from"],
            input_formats=["%d-%m-%Y", "%Y-%m-%d"],
            widget=forms.DateInput(attrs={"type": "date"}),
            help_text=_(
                "Vanaf deze datum gelden de instellingen. Een datum in het jaar maakt een nieuwe versie; "
                "dezelfde datum als een bestaande versie vervangt die."
            ),
        )

    def groups(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(title, [self[s.name] for s in settings]) for title, settings in SETTINGS]

    def fund_json(self, number: int | str, base: list[dict[str, Any]], tables: dict[str, Any]) -> dict[str, Any]:
        """The fund in the case format, built from what was typed (cleaned_data)."""
        data = self.cleaned_data

        def moment(prefix: str) -> dict[str, Any] | None:
            age, when, extra = (data.get(f"{prefix}_{k}", "").strip() for k in ("age", "moment", "extra_months"))
            if not (age or when or extra):
                return None
            return {"age": whole_in(age) if age else None, "moment": when, "extra_months": whole_in(extra or "0")}

        def side(which: str, percentage: str) -> dict[str, Any]:
            out: dict[str, Any] = {"percentage": number_in(data.get(percentage, ""), "")}
            for short, (key, _label) in THRESHOLDS.items():
                out[key] = {
                    "amount": number_in(data.get(f"{short}_{which}", ""), "0.00"),
                    "unit": data.get(f"{short}_unit", ""),
                    "part_time": {"true": True, "false": False}.get(data.get(f"{short}_part_time", "")),
                }
            return out

        return {
            "number": number,
            "name": data.get("name", "").strip(),
            "kind": data.get("kind", ""),
            "external_code": data.get("external_code", "").strip(),
            "entry": moment("entry"),
            "exit": moment("exit"),
            "recalc_unit": data.get("recalc_unit", ""),
            "cumulative": {"true": True, "false": False}.get(data.get("cumulative", "")),
            "franchise_kind": data.get("franchise_kind", ""),
            "franchise_age_test": data.get("franchise_age_test", ""),
            "franchise_table": tables.get("franchise_table", []),
            "percentage_kind": data.get("percentage_kind", ""),
            "percentage_age_test": data.get("percentage_age_test", ""),
            "percentage_table": tables.get("percentage_table", []),
            "premium": side("premium", "premium_percentage"),
            "total": side("total", "total_percentage"),
            "base": base,
        }


def initial_from(settings: dict[str, Any], name: str) -> dict[str, Any]:
    """The form's values of a fund's stored JSON (the way back of ``FundForm.fund_json``)."""
    out: dict[str, Any] = {"name": name}
    for key in ("kind", "external_code", "recalc_unit", "franchise_kind", "franchise_age_test", "percentage_kind",
                "percentage_age_test"):  # fmt: skip
        out[key] = settings.get(key, "")
    out["cumulative"] = "true" if settings.get("cumulative") else "false"
    for prefix in ("entry", "exit"):
        moment = settings.get(prefix) or {}
        out[f"{prefix}_age"] = moment.get("age", "")
        out[f"{prefix}_moment"] = moment.get("moment", "")
        out[f"{prefix}_extra_months"] = moment.get("extra_months", "") if moment else ""
    for which in ("premium", "total"):
        side = settings.get(which) or {}
        out[f"{which}_percentage"] = money_out(side.get("percentage"))
        for short, (key, _label) in THRESHOLDS.items():
            threshold = side.get(key) or {"amount": "0.00", "unit": "year", "part_time": False}
            out[f"{short}_{which}"] = money_out(threshold.get("amount"))
            if which == "premium":  # the seed has one unit and one PT-herrek. per threshold, for both sides
                out[f"{short}_unit"] = threshold.get("unit", "year")
                out[f"{short}_part_time"] = "true" if threshold.get("part_time") else "false"
    return out


NEW_FUND: dict[str, Any] = {
    "kind": "none", "external_code": "", "entry": None, "exit": None, "recalc_unit": "period", "cumulative": False,
    "franchise_kind": "fixed", "franchise_age_test": "jan1", "franchise_table": [], "percentage_kind": "fixed",
    "percentage_age_test": "jan1", "percentage_table": [],
    "premium": {"percentage": ""}, "total": {"percentage": ""}, "base": [],
}  # fmt: skip


def sides_differ(settings: dict[str, Any]) -> list[str]:
    """Thresholds whose unit or PT-herrek. differ between premium and remittance (the seed's screen has one)."""
    differ = []
    for key, label in THRESHOLDS.values():
        default = {"unit": "year", "part_time": False}
        p = (settings.get("premium") or {}).get(key) or default
        t = (settings.get("total") or {}).get(key) or default
        if (p.get("unit"), p.get("part_time")) != (t.get("unit"), t.get("part_time")):
            differ.append(str(label))
    return differ


class BaseRowForm(forms.Form):
    component = forms.CharField(label=_("Component"), required=False, help_text=HELP_COMPONENT)
    origin = forms.CharField(label=_("Herkomst"), required=False, widget=forms.Select(choices=ORIGINS),
                             help_text=HELP_ORIGIN)  # fmt: skip

    def __init__(self, *args: Any, components: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["component"].widget = forms.Select(choices=[("", "—"), *(components or [])])


BaseFormSet = forms.formset_factory(BaseRowForm, extra=3)


def base_from(formset: Any) -> tuple[list[dict[str, Any]], list[int]]:
    """The base rows typed (blank component = no row) and, for each, the index of its form."""
    rows: list[dict[str, Any]] = []
    forms_at: list[int] = []
    for index, form in enumerate(formset.forms):
        data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
        component = (data.get("component") or "").strip()
        if not component:
            continue
        rows.append({"component": whole_in(component), "origin": data.get("origin", "")})
        forms_at.append(index)
    return rows, forms_at


# --- the engine's refusals, in the seed's words ---------------------------------------------------------

_PATHS: dict[str, str] = {
    "fund.number": "number", "fund.name": "name", "fund.kind": "kind", "fund.external_code": "external_code",
    "fund.recalc_unit": "recalc_unit", "fund.cumulative": "cumulative", "fund.franchise_kind": "franchise_kind",
    "fund.franchise_age_test": "franchise_age_test", "fund.percentage_kind": "percentage_kind",
    "fund.percentage_age_test": "percentage_age_test", "fund.premium.percentage": "premium_percentage",
    "fund.total.percentage": "total_percentage",
}  # fmt: skip
for _prefix in ("entry", "exit"):
    _PATHS[f"fund.{_prefix}"] = f"{_prefix}_age"
    for _key in ("age", "moment", "extra_months"):
        _PATHS[f"fund.{_prefix}.{_key}"] = f"{_prefix}_{_key}"
for _short, (_key, _label) in THRESHOLDS.items():
    for _which in ("premium", "total"):
        _PATHS[f"fund.{_which}.{_key}.amount"] = f"{_short}_{_which}"
        _PATHS[f"fund.{_which}.{_key}.unit"] = f"{_short}_unit"
        _PATHS[f"fund.{_which}.{_key}.part_time"] = f"{_short}_part_time"
        _PATHS[f"fund.{_which}.{_key}"] = f"{_short}_{_which}"
_BASE = re.compile(r"fund\.base\[(\d+)\]\.(component|origin)$")
_TABLE = re.compile(r"fund\.(franchise|percentage)_table(?:\[(\d+)\](?:\.(from|to|premium|total))?)?$")
TABLE_COLUMNS = {"from": _("Van"), "to": _("Tot en met"), "premium": _("Premie"), "total": _("Afdracht")}


@dataclass(frozen=True)
class Refusal:
    """Where an engine refusal belongs: a form field, a row of the base, or a row of a table."""

    field: str  # form field name, "base" or "franchise_table"/"percentage_table"
    row: int | None
    column: str | None


def where(error: FundError) -> Refusal:
    if error.field in _PATHS:
        return Refusal(_PATHS[error.field], None, None)
    base = _BASE.match(error.field)
    if base:
        return Refusal("base", int(base.group(1)), base.group(2))
    table = _TABLE.match(error.field)
    if table:
        return Refusal(f"{table.group(1)}_table", int(table.group(2)) if table.group(2) else None, table.group(3))
    return Refusal("", None, None)


def reason(error: FundError) -> str:
    """The engine's reason in plain Dutch, saying what to do."""
    if isinstance(error, MissingField):
        return str(_("is verplicht; vul het in"))
    if isinstance(error, UnknownChoice):
        return str(_("is geen van de keuzes; kies een waarde uit de lijst"))
    if isinstance(error, TooManyDecimals):
        return str(_("heeft te veel decimalen: een bedrag heeft er ten hoogste 2, een percentage 4"))
    if isinstance(error, OverlappingTable):
        return str(_("overlapt een andere rij van de tabel; laat de rijen niet overlappen"))
    if isinstance(error, DuplicateEntry):
        return str(_("staat al in de grondslag opbouw; neem elk component één keer op"))
    if isinstance(error, ConflictingSettings) and error.field.startswith("fund.base"):
        return str(_("kan niet: 257 en 265 zijn berekende totalen zonder vaste gegevens; kies Berekende bedragen"))
    if isinstance(error, OutOfRange):
        if error.field == "fund.number":
            return str(_("is geen fondsnummer: een fonds heeft een nummer van 1 t/m 35"))
        if "negative" in error.reason:
            return str(_("mag niet negatief zijn"))
        if error.field.endswith(".to"):
            return str(_("ligt vóór Van; maak Tot en met gelijk aan of groter dan Van"))
        return str(_("ligt buiten het toegestane bereik"))
    if isinstance(error, WrongType) and "whole number" in error.reason:
        return str(_("is geen geheel getal"))
    if isinstance(error, WrongType) and "true or false" in error.reason:
        return str(_("kies Ja of Nee"))
    return str(_("is geen geldig bedrag of getal; schrijf bijvoorbeeld 17545,00 of 7,5"))


def message(label: Any, error: FundError, typed: Any) -> str:
    shown = "" if typed is None else str(typed)
    if not shown.strip():
        if isinstance(error, UnknownChoice):
            return str(_("%(field)s is leeg; kies een waarde uit de lijst.") % {"field": label})
        return str(_("%(field)s is leeg; vul het in.") % {"field": label})
    return str(_("%(field)s: “%(value)s” %(reason)s.") % {"field": label, "value": shown, "reason": reason(error)})


def check(fund: dict[str, Any]) -> FundError | None:
    """The engine's verdict on a fund's JSON: None when it is accepted."""
    try:
        fund_from_json(fund)
    except FundError as error:
        return error
    return None
