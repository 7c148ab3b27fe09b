from django.urls import path

from inleg.sandbox.api import collective
from inleg.sandbox.api import views as v
from inleg.sandbox.api.routing import route

E = "providers/employers"
EMPLOYMENT_FUNDS = route(v.employment_funds, v.create_employment_fund)
BENEFIT_ITEM = route(v.benefit_detail, v.update_benefit, v.delete_benefit)
urlpatterns = [
    path("providers", v.providers),
    path("user", v.current_user),
    path(f"{E}", v.employers),
    path(f"{E}/lastmodifiedversionnumbers", v.employer_versions),
    path(f"{E}/<str:employer_id>", v.employer_detail),
    path(f"{E}/<str:employer_id>/authorizations", v.authorizations),
    path(f"{E}/<str:employer_id>/employees", v.employees),
    path(f"{E}/<str:employer_id>/employees/employments", v.employments),
    path(f"{E}/<str:employer_id>/employees/employments/lastmodifiedversionnumbers", v.employment_versions),
    path(
        f"{E}/<str:employer_id>/employees/employments/benefitsanddeductions",
        route(collective.create_benefits, collective.end_benefits),
    ),
    path(f"{E}/<str:employer_id>/payrolladministrations", v.administrations),
    path(f"{E}/employees/<str:employee_id>", v.employee_detail),
    path(f"{E}/employees/<str:employee_id>/employments", v.employee_employments),
    path(f"{E}/employees/employments/<str:employment_id>", v.employment_detail),
    path(f"{E}/employees/employments/<str:employment_id>/benefitsanddeductions", route(v.benefits, v.create_benefit)),
    # Loket spells the item segment benefitsAndDeductions; both spellings are routed.
    path(f"{E}/employees/employments/benefitsAndDeductions/<str:benefit_id>", BENEFIT_ITEM),
    path(f"{E}/employees/employments/benefitsanddeductions/<str:benefit_id>", BENEFIT_ITEM),
    path(f"{E}/employees/employments/<str:employment_id>/employmentfunds", EMPLOYMENT_FUNDS),
    path(f"{E}/employees/employments/employmentfunds/<str:employment_fund_id>", v.update_employment_fund),
    path(f"{E}/employees/employments/<str:employment_id>/payrollperiodresults/year/<str:year>", v.employment_results),
    path(f"{E}/payrolladministrations/<str:administration_id>/payrollcomponents/year/<str:year>", v.components),
    path(f"{E}/payrolladministrations/<str:administration_id>/payrollperiods", v.periods),
    path(
        f"{E}/payrolladministrations/<str:administration_id>/payrollperiods/<str:period_id>/payrollresults",
        v.period_results,
    ),
    path(f"{E}/payrolladministrations/<str:administration_id>/payrollruns", v.runs),
    path(f"{E}/payrolladministrations/payrollruns/<str:run_id>", v.run_detail),
    path(f"{E}/<str:employer_id>/actualwages", v.actual_wages),
    path(f"{E}/<str:employer_id>/actualworkinghours", v.actual_working_hours),
    path(f"{E}/<str:employer_id>/employees/employments/actualbenefitsanddeductions", v.actual_benefits),
]
