"""How sure a reading is: one table of named levels, used by the readers, the profile update and the policy.

A reading at or above APPLY is stored in the profile. Below it, it is a *proposal*: the consultant confirms
it with choices when it could change the recommendation, and drops it when it could not (a wrong reading costs
the recommendation; a question costs one turn).
"""

from __future__ import annotations

CHOSEN = 1.0  # picked from the offered choices (a quick reply)
CONFIRMED = 0.95  # the user confirmed a proposal ("yes, that's right")
STATED = 0.9  # said outright: a figure with its unit and its subject ("50k queries a day"), "it must cite"
ANSWER = 0.85  # answers the question that was asked ("weekly" to "how often does it change?")
CUE = 0.75  # a clear cue in passing ("the catalog changes daily" in an opening)
INFERRED = 0.6  # read from the use case, not said ("a bot over our help center" -> know more)
WEAK = 0.5  # a bare figure next to other things, a cue answering a different question

APPLY = CUE  # stored from here up; below, proposed and confirmed (or dropped)
HEDGED_CAP = INFERRED  # a fact said inside a hedge ("not sure, maybe weekly") is never more than inferred


def level_name(confidence: float) -> str:
    """The name of the level a confidence sits at (for logs and the eval report)."""
    for name, value in (("chosen", CHOSEN), ("confirmed", CONFIRMED), ("stated", STATED), ("answer", ANSWER),
                        ("cue", CUE), ("inferred", INFERRED)):
        if confidence >= value:
            return name
    return "weak"
