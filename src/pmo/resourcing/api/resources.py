"""API: resources."""


def register(router) -> None:
    pass
