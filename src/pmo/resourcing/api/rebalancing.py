"""API: rebalancing."""


def register(router) -> None:
    pass
