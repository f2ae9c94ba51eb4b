"""API: training."""


def register(router) -> None:
    pass
