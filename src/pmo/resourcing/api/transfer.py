"""API: import and export of the resource register."""


def register(router) -> None:
    pass
