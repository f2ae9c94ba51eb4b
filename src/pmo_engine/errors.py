"""Errors raised by the engine.

The engine cannot import ``pmo.core.errors.DomainError`` (it imports no Django), so it has its own
root, :class:`EngineError`; the Django side turns any ``EngineError`` into a ``DomainError`` with
the same message in its adapters. Every message names what is wrong (the field, the activity, the
link) so that a person can act on it.
"""


class EngineError(Exception):
    """Input the engine refuses; ``message`` says what and why, ``field`` names the field if one is at fault."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(EngineError, ValueError):
    """A value breaks a rule of its data class (raised from ``__post_init__``); ``field`` names it."""


class ScheduleError(EngineError):
    """The network as a whole cannot be scheduled: an unknown key, a duplicate, an unsupported link."""


class CycleError(ScheduleError):
    """The links form a cycle; ``activity_keys`` lists the activities on it, in link order.

    The first key is not repeated at the end: ``("A", "B", "C")`` means A → B → C → A.
    """

    def __init__(self, activity_keys: tuple[str, ...]):
        self.activity_keys = tuple(activity_keys)
        chain = " → ".join((*self.activity_keys, self.activity_keys[0])) if self.activity_keys else ""
        super().__init__(f"The links form a cycle: {chain}. Remove or reverse one of these links.")
