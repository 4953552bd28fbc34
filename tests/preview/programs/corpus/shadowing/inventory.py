"""The program's own module named like the tool's package: it must be the one the program imports."""

BUCKETS = ["raw", "curated"]
