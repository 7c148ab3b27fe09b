"""Contributions into the payroll on the platform: the scheme history, the write journal and runs, what the
payroll paid; the framework-free rules are in ``inleg.platform.domain.contributions``."""
