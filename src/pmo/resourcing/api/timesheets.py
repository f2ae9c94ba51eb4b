"""API: timesheets."""


def register(router) -> None:
    pass
