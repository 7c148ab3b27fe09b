"""The pension provider's bank: IBANs, and reading its camt.053 statements into credits, reversals and ignored lines."""
