"""The pension provider's bank statements (camt.053) read into the platform: files, statements, credits.

The reading itself is framework-free (``inleg.platform.domain.bank``); this app stores what a file held, matches
each credit to an employment of the company, and hands the credits to book to the ledger (``services``).
``simulate`` is a test tool without Django: the statement a bank would send for a pain.001 excasso.
"""
