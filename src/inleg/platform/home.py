"""The home page: what comes next for this company, from the state of its Loket.nl connection."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from inleg.platform.accounts.models import Role, User
from inleg.platform.employees.models import Employee, SyncRun
from inleg.platform.integrations.models import LoketConnection, State
from inleg.platform.integrations.status import Status, status_of


@dataclass(frozen=True)
class NextStep:
    text: str
    link: str
    action: str
    level: str = ""


def next_step(user: User) -> tuple[NextStep, Status, SyncRun | None, int]:
    connection = LoketConnection.objects.filter(company_id=user.company_id).first()
    status = status_of(connection)
    loket = reverse("integrations:loket")
    run = SyncRun.objects.filter(company_id=user.company_id).first()
    people = Employee.objects.filter(company_id=user.company_id).count()
    if connection is None or connection.state == State.DISCONNECTED:
        step = NextStep(
            _("Koppel Loket.nl om uw werknemers automatisch in te laden en actueel te houden."),
            reverse("integrations:list"),
            _("Bedrijf > Integraties"),
        )
    elif not status.usable:
        step = NextStep(status.text, loket, _("Naar de koppeling"), status.level)
    elif connection.component_key is None or connection.net_component_key is None:
        step = NextStep(
            _(
                "De koppeling is actief. Volgende stap: kies de looncomponenten waarop de inleg in Loket.nl komt; "
                "tot dan wordt er geen inleg geschreven."
            ),
            loket + "#components",
            _("Kies de looncomponenten"),
            "warning",
        )
    elif run is not None and run.is_open:
        step = NextStep(
            _("De werknemers worden ingeladen."), reverse("employees:run", args=[run.pk]), _("Bekijk de voortgang")
        )
    elif run is not None and run.status == SyncRun.Status.FAILED:
        step = NextStep(
            _("De laatste synchronisatie is mislukt. Bekijk wat er misging en synchroniseer opnieuw."),
            reverse("employees:run", args=[run.pk]),
            _("Bekijk de synchronisatie"),
            "error",
        )
    else:
        step = NextStep(
            _("De koppeling is actief en de looncomponenten zijn gekozen. Uw werknemers blijven vanzelf actueel."),
            reverse("employees:list"),
            _("Werknemers"),
            "success",
        )
    return step, status, run, people


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return redirect("accounts:login")
    if user.role == Role.EMPLOYEE:
        return redirect("app:home")  # employees have the app, not the employer's pages
    step, status, run, people = next_step(user)
    context = {"step": step, "status": status, "run": run, "people": people, "employees_url": reverse("employees:list")}
    return render(request, "platform/home.html", context)
