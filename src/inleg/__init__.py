"""inleg: pension contributions through the payroll, coupled to Loket.nl."""
