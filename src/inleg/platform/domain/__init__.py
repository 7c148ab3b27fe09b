"""The platform's rules without a framework: which Loket rights are missing, which wage component to use, and
what a sync changes. Nothing here imports Django or an HTTP library (checked by import-linter)."""
