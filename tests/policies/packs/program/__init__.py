"""A Pulumi program directory (the package marker only keeps module names unique for mypy)."""
