from django.db import models


class LinkType(models.TextChoices):
    """How a link ties its predecessor to its successor (values as in the engine)."""

    FINISH_TO_START = "FS", "Finish to start"
    START_TO_START = "SS", "Start to start"
    FINISH_TO_FINISH = "FF", "Finish to finish"
    START_TO_FINISH = "SF", "Start to finish"


class ConstraintType(models.TextChoices):
    """Date constraints, with Microsoft Project's names and meaning (values as in the engine)."""

    AS_SOON_AS_POSSIBLE = "ASAP", "As soon as possible"
    AS_LATE_AS_POSSIBLE = "ALAP", "As late as possible"
    START_NO_EARLIER_THAN = "SNET", "Start no earlier than"
    START_NO_LATER_THAN = "SNLT", "Start no later than"
    FINISH_NO_EARLIER_THAN = "FNET", "Finish no earlier than"
    FINISH_NO_LATER_THAN = "FNLT", "Finish no later than"
    MUST_START_ON = "MSO", "Must start on"
    MUST_FINISH_ON = "MFO", "Must finish on"


DATED_CONSTRAINTS = frozenset(
    {
        ConstraintType.START_NO_EARLIER_THAN,
        ConstraintType.START_NO_LATER_THAN,
        ConstraintType.FINISH_NO_EARLIER_THAN,
        ConstraintType.FINISH_NO_LATER_THAN,
        ConstraintType.MUST_START_ON,
        ConstraintType.MUST_FINISH_ON,
    }
)
