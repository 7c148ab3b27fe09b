"""URLs of the employer platform. The Loket callback path is the one registered with Loket (and the sandbox)."""

from django.urls import include, path

from inleg.platform.accounts import views as accounts
from inleg.platform.app.urls import app_urls, employer_urls
from inleg.platform.bank import views as bank
from inleg.platform.contributions import views as contributions
from inleg.platform.employees import views as employees
from inleg.platform.home import home
from inleg.platform.integrations import views as integrations
from inleg.platform.ledger import views as ledger
from inleg.platform.reconciliation import views as reconciliation

account_urls = (
    [
        path("register/", accounts.register, name="register"),
        path("login/", accounts.login_view, name="login"),
        path("logout/", accounts.logout_view, name="logout"),
        path("invitation/<str:token>/", accounts.accept, name="accept"),
        path("company/users/", accounts.users, name="users"),
        path("company/users/<int:user_id>/rights/", accounts.change_rights, name="rights"),
        path("company/users/<int:user_id>/withdraw/", accounts.withdraw, name="withdraw"),
        path(
            "company/invitations/<int:invitation_id>/withdraw/",
            accounts.withdraw_invitation,
            name="withdraw_invitation",
        ),
    ],
    "accounts",
)

integration_urls = (
    [
        path("", integrations.integrations, name="list"),
        path("add/", integrations.add, name="add"),
        path("loket/", integrations.loket, name="loket"),
        path("loket/authorize/", integrations.authorize, name="authorize"),
        path("loket/recheck/", integrations.recheck, name="recheck"),
        path("loket/employer/", integrations.choose_employer, name="employer"),
        path("loket/component/", integrations.component, name="component"),
        path("loket/disconnect/", integrations.disconnect, name="disconnect"),
        path("loket/sync/", integrations.sync_now, name="sync"),
    ],
    "integrations",
)

employee_urls = (
    [
        path("", employees.employees, name="list"),
        path("syncs/", employees.runs, name="runs"),
        path("syncs/<int:run_id>/", employees.run, name="run"),
    ],
    "employees",
)

contribution_urls = (
    [
        path("", contributions.scheme, name="scheme"),
        path("preview/", contributions.preview, name="preview"),
        path("writes/<int:run_id>/", contributions.write_run, name="run"),
        path("periods/", contributions.periods, name="periods"),
        path("periods/<int:year>/<int:number>/", contributions.period, name="period"),
    ],
    "contributions",
)

ledger_urls = (
    [
        path("", ledger.accounts, name="accounts"),
        path("<int:employment_id>/", ledger.account, name="account"),
    ],
    "ledger",
)

bank_urls = (
    [
        path("", bank.files, name="files"),
        path("files/<int:file_id>/", bank.file, name="file"),
        path("credits/<int:credit_id>/", bank.credit, name="credit"),
        path("credits/<int:credit_id>/place/", bank.place, name="place"),
        path("credits/<int:credit_id>/return/", bank.send_back, name="return"),
    ],
    "bank",
)

reconciliation_urls = (
    [
        path("", reconciliation.latest, name="latest"),
        path("<str:period>/", reconciliation.period, name="period"),
        path("<str:period>/download.<str:kind>", reconciliation.download, name="download"),
        path("employments/<int:employment_id>/", reconciliation.employment, name="employment"),
    ],
    "reconciliation",
)

urlpatterns = [
    path("", home, name="home"),
    path("", include(account_urls)),
    path("company/integrations/", include(integration_urls)),
    path("integrations/loket/callback", integrations.callback, name="loket_callback"),
    path("employees/app/", include(employer_urls)),
    path("employees/", include(employee_urls)),
    path("app/", include(app_urls)),
    path("contributions/", include(contribution_urls)),
    path("pension-accounts/", include(ledger_urls)),
    path("bank/", include(bank_urls)),
    path("reconciliation/", include(reconciliation_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
]
