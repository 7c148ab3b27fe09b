"""The employer platform (werkgeversplatform): employers, their payroll administrator, the Loket.nl connection
and the employees that flow in from it. A Django project with its own database; it meets Loket.nl (or the
sandbox) over HTTP only, through :mod:`inleg.loket`."""
