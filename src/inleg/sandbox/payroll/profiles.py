"""Werknemerprofielen (seed 004) and the dated links of an employment to its funds.

A profile on the wage model names funds, each with the seed's indication "met terugwerkende kracht".
Applying it to an employment makes one dated link (``EmploymentFund``) per fund:

- the link starts on the hire date; but with the indication set, a fund with an entry moment and a hire date
  before the active payroll year, it starts on the first day of that year (seed: "Als deze indicatie is
  gevuld, zal bij de opvoer van een nieuwe werknemer, waarbij de indienstdatum voor het actieve
  verloningsjaar ligt, de ingangsdatum op 01-01 van dat jaar worden gesteld");
- it ends with the employment (its end date), or open;
- the fund's own entry and exit moments (ages) are not written into the link: the engine applies them within
  it, so participation starts and stops on the right day even when the age is reached years later.

Re-applying changes nothing that is there; removing a fund ends the links the profile made from a chosen day
(history is never deleted). The sandbox README says where the seed leaves room and what was chosen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils.translation import gettext as _

from inleg.sandbox.core.chains import Dated, Overlap, day_before, overlaps, place
from inleg.sandbox.core.models import (
    EmployeeProfile,
    EmployeeProfileFund,
    Employment,
    EmploymentFund,
    EmploymentProfile,
    Fund,
    FundVersion,
    PayrollAdministration,
    PayrollPeriod,
    PayrollRun,
    RunStatus,
    touch_employment,
)
from inleg.sandbox.payroll.calendar import period_bounds, period_count


class LinkError(Exception):
    """A link that cannot be made or ended; ``field`` is the form field the message belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def day(value: date) -> str:
    return f"{value:%d-%m-%Y}"


def active_year(admin: PayrollAdministration) -> int:
    """The active payroll year: the year of the first period not yet approved.

    That is the period after the latest approved one (a new year once the last period of a year is approved),
    or a later year in which a run is already finished; with no run at all, the first year with periods
    opened, or else the year the administration starts. Failed and removed runs do not count.
    """
    runs = PayrollRun.objects.filter(administration=admin)
    years: list[int] = []
    approved = (
        runs.filter(status=RunStatus.APPROVED)
        .select_related("period")
        .order_by("-period__year", "-period__period_number")
        .first()
    )
    if approved is not None:
        last = approved.period.period_number == period_count(admin.period_type)
        years.append(approved.period.year + 1 if last else approved.period.year)
    done = runs.filter(status=RunStatus.DONE).aggregate(year=Max("period__year"))["year"]
    if done is not None:
        years.append(int(done))
    if years:
        return max(years)
    # No run yet: the first year with payroll periods opened (the year the payroll is about to start in); a
    # wage model without periods starts with its own first year.
    opened = PayrollPeriod.objects.filter(administration=admin).aggregate(year=Min("year"))["year"]
    return int(opened) if opened is not None else admin.start_date.year


def year_start(admin: PayrollAdministration, year: int) -> date:
    """The first day of a payroll year: 1 January for months, the Monday of period 1 for four-week periods."""
    return period_bounds(admin.period_type, year, 1)[0]


def has_entry_moment(fund: Fund) -> bool:
    """Whether the fund sets an entry moment (ingangsmoment) in its settings or in any of its versions."""
    settings = [fund.settings, *FundVersion.objects.filter(fund=fund).values_list("settings", flat=True)]
    return any(isinstance(s, dict) and s.get("entry") for s in settings)


def profile_start(employment: Employment, retroactive: bool, entry_moment: bool, first_day: date) -> date:
    """The start of a link a profile makes (seed 004, "Ingangsmoment / Eindmoment").

    With the indication and an entry moment, a hire date before the active year gives that year's first day;
    in every other case the hire date. The start is never before the hire date.
    """
    if retroactive and entry_moment and employment.start_date < first_day:
        return first_day
    return employment.start_date


@dataclass
class Applied:
    """What applying a profile did, each entry a Dutch sentence for the page."""

    created: list[EmploymentFund] = field(default_factory=list)
    ended: list[EmploymentFund] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.ended)


def _lock(employment: Employment) -> None:
    """Every write to an employment's links takes the employment's row lock first (as the API does)."""
    Employment.objects.select_for_update().filter(pk=employment.pk).first()


def _end(link: EmploymentFund, last_day: date, who: str) -> bool:
    """End a link on ``last_day`` (its last day); a link already ended by then stays as it is."""
    if link.start_date > last_day:
        raise LinkError(
            "end_date",
            _(
                "Einddatum: “%(d)s” ligt vóór de begindatum %(s)s van fonds %(f)s bij %(w)s; een koppeling wordt "
                "niet gewist. Kies een einddatum op of na %(s)s."
            )
            % {"d": day(last_day), "s": day(link.start_date), "f": link.fund, "w": who},
        )
    if link.end_date is not None and link.end_date <= last_day:
        return False
    link.end_date = last_day
    link.save(update_fields=["end_date", "version"])
    return True


def _who(employment: Employment) -> str:
    return _("werknemer %(n)s") % {"n": employment.employee.employee_number}


def apply_profile(employment: Employment, profile: EmployeeProfile, end_from: date | None = None) -> Applied:
    """Give an employment the profile and make the links of its funds (idempotent).

    Links an earlier profile made for funds this profile does not have end on ``end_from`` (their last day),
    which is then required. Open links the profile made end with the employment once it has an end date.
    Nothing is stored when any part is refused.
    """
    if profile.administration_id != employment.administration_id:
        raise LinkError(
            "profile",
            _("Werknemerprofiel: “%(p)s” hoort bij een andere salarisverwerkende administratie.") % {"p": profile},
        )
    admin = employment.administration
    first_day = year_start(admin, active_year(admin))
    who = _who(employment)
    done = Applied()
    with transaction.atomic():
        _lock(employment)
        rows = list(EmployeeProfileFund.objects.filter(profile=profile).select_related("fund"))
        wanted = {row.fund_id for row in rows}
        links = list(EmploymentFund.objects.filter(employment=employment).select_related("fund", "profile"))
        leaving = [
            link
            for link in links
            if link.profile_id is not None
            and link.fund_id not in wanted
            and (link.end_date is None or (end_from is not None and link.end_date > end_from))
        ]
        if leaving and end_from is None:
            names = ", ".join(sorted({str(link.fund) for link in leaving}))
            raise LinkError(
                "end_date",
                _(
                    "Einddatum is leeg, maar fonds %(f)s hoort niet bij profiel %(p)s en loopt nog via een eerder "
                    "profiel. Vul de laatste dag van deelname in."
                )
                % {"f": names, "p": profile},
            )
        for link in leaving:
            assert end_from is not None  # refused above
            if _end(link, end_from, who):
                done.ended.append(link)
        if employment.end_date is not None:  # beëindigd: the profile's links end with the employment
            last_day = employment.end_date
            for link in links:
                ours = link.profile_id is not None and link.fund_id in wanted and link.start_date <= last_day
                if ours and _end(link, last_day, who):
                    done.ended.append(link)
        for row in rows:
            fund = row.fund
            start = profile_start(employment, row.retroactive, has_entry_moment(fund), first_day)
            end = employment.end_date
            if end is not None and start > end:
                done.skipped.append(
                    _(
                        "Fonds %(f)s: niet gekoppeld, %(w)s is op %(e)s uit dienst gegaan, vóór het actieve "
                        "verloningsjaar (vanaf %(y)s); Loket past een fonds niet toe op een voorgaand jaar."
                    )
                    % {"f": fund, "w": who, "e": day(end), "y": day(first_day)}
                )
                continue
            chain = [link for link in links if link.fund_id == fund.pk]
            covering = [link for link in chain if overlaps(link.start_date, link.end_date, start, end)]
            if covering:
                spans = ", ".join(_span(link) for link in covering)
                done.kept.append(_("Fonds %(f)s: al gekoppeld (%(s)s).") % {"f": fund, "s": spans})
                continue
            link = EmploymentFund(employment=employment, fund=fund, start_date=start, end_date=end, profile=profile)
            link.save()
            links.append(link)
            done.created.append(link)
        EmploymentProfile.objects.update_or_create(employment=employment, defaults={"profile": profile})
        if done.changed:
            touch_employment(employment.pk)
    return done


def remove_profile_fund(row: EmployeeProfileFund, last_day: date) -> list[EmploymentFund]:
    """Take a fund out of a profile: the links the profile made for it end on ``last_day`` (never deleted)."""
    ended: list[EmploymentFund] = []
    with transaction.atomic():
        links = EmploymentFund.objects.select_related("employment__employee", "fund").filter(
            profile_id=row.profile_id, fund_id=row.fund_id
        )
        touched = set()
        for link in links.filter(Q(end_date__isnull=True) | Q(end_date__gt=last_day)).order_by("start_date"):
            if _end(link, last_day, _who(link.employment)):
                ended.append(link)
                touched.add(link.employment_id)
        row.delete()
        for employment_id in touched:
            touch_employment(employment_id)
    return ended


def end_link(link: EmploymentFund, last_day: date) -> bool:
    """End one link on its last day (Beëindigen); True when it changed."""
    with transaction.atomic():
        _lock(link.employment)
        changed = _end(link, last_day, _who(link.employment))
        if changed:
            touch_employment(link.employment_id)
    return changed


def _span(link: Dated) -> str:
    return f"{day(link.start_date)} t/m {day(link.end_date)}" if link.end_date else f"{day(link.start_date)} t/m open"


@dataclass
class Terms:
    """A link's own terms: a deviation (two percentages) or a fixed contribution (two amounts), or neither."""

    deviation_premium: Decimal | None = None
    deviation_total: Decimal | None = None
    fixed_premium: Decimal | None = None
    fixed_total: Decimal | None = None

    def as_fields(self) -> dict[str, Any]:
        return {
            "deviation_premium": self.deviation_premium,
            "deviation_total": self.deviation_total,
            "fixed_premium": self.fixed_premium,
            "fixed_total": self.fixed_total,
        }


def link_by_hand(
    employment: Employment, fund: Fund, start: date, end: date | None, terms: Terms | None = None
) -> tuple[EmploymentFund, EmploymentFund | None]:
    """Link one fund from a date (Loket's broken chain): an open earlier link of the fund is closed the day
    before, an overlap with any other is refused. Returns the new link and the one it closed, if any."""
    terms = terms or Terms()
    if fund.administration_id != employment.administration_id:
        raise LinkError("fund", _("Fonds: “%(f)s” hoort bij een ander loonmodel.") % {"f": fund})
    if end is not None and end < start:
        raise LinkError(
            "end_date",
            _("Einddatum: “%(e)s” ligt vóór de begindatum %(s)s.") % {"e": day(end), "s": day(start)},
        )
    if start < employment.start_date:
        raise LinkError(
            "start_date",
            _("Begindatum: “%(s)s” ligt vóór de datum in dienst %(h)s; kies %(h)s of later.")
            % {"s": day(start), "h": day(employment.start_date)},
        )
    if employment.end_date is not None and start > employment.end_date:
        raise LinkError(
            "start_date",
            _("Begindatum: “%(s)s” ligt na de datum uit dienst %(e)s.")
            % {"s": day(start), "e": day(employment.end_date)},
        )
    if employment.end_date is not None and end is not None and end > employment.end_date:
        raise LinkError(
            "end_date",
            _("Einddatum: “%(e)s” ligt na de datum uit dienst %(u)s; laat de einddatum leeg of kies %(u)s of eerder.")
            % {"e": day(end), "u": day(employment.end_date)},
        )
    with transaction.atomic():
        _lock(employment)
        chain = list(EmploymentFund.objects.filter(employment=employment, fund=fund))
        try:
            to_close = place(chain, start, end)
        except Overlap as overlap:
            other = overlap.other
            raise LinkError(
                "start_date",
                _(
                    "Begindatum: “%(s)s” overlapt de koppeling aan fonds %(f)s van %(o)s; een fonds heeft per dag "
                    "één koppeling. Beëindig die eerst of kies een andere periode."
                )
                % {"s": day(start), "f": fund, "o": _span(other)},
            ) from None
        if to_close is not None:
            to_close.end_date = day_before(start)
            to_close.save(update_fields=["end_date", "version"])
        link = EmploymentFund(employment=employment, fund=fund, start_date=start, end_date=end, **terms.as_fields())
        link.save()
        touch_employment(employment.pk)
    return link, to_close
