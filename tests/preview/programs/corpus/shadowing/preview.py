"""The program's own `preview` module."""


def label(name: str) -> str:
    return f"shadow-{name}"
