"""The platform's rules without a framework: which Loket rights are missing, which wage component to use, what
a sync changes, money in cents (``money``), and the contributions: schemes, periods, the plan of what Loket
should hold, the diff, the write journal (``contributions``). Nothing here imports Django or an HTTP library
(checked by import-linter)."""
