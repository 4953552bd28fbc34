"""A helper module of the faulty program: its error is reported at its own line, not the caller's."""


def bucket_name(title: str) -> str:
    slug = title.lower().replace(" ", "-")
    if slug != title:
        raise ValueError(f"{title!r} is not a valid bucket name; use {slug!r}")
    return slug
