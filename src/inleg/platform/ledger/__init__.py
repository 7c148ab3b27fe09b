"""The ledger of a company: accounts, entries and postings in integer cents; booking and balances (ADR 7)."""
