"""API: capacity."""


def register(router) -> None:
    pass
