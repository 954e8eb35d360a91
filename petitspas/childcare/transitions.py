"""The referral's state machine, as one explicit table.

new → under review → accepted (the enrolment is created) / waiting list / refused; an
accepted referral, or one still on the waiting list, is ended later with its reason. Any
move that is not a row of ``TRANSITIONS`` is refused with a French message.
"""

from petitspas.childcare.models import State

# (from, to) → what the coordinator's button says.
TRANSITIONS: dict[tuple[str, str], str] = {
    (State.NEW, State.UNDER_REVIEW): "Commencer l'étude",
    (State.UNDER_REVIEW, State.ACCEPTED): "Accepter",
    (State.UNDER_REVIEW, State.WAITING_LIST): "Mettre sur liste d'attente",
    (State.UNDER_REVIEW, State.REFUSED): "Refuser",
    (State.WAITING_LIST, State.ACCEPTED): "Accepter",
    (State.WAITING_LIST, State.REFUSED): "Refuser",
    (State.WAITING_LIST, State.ENDED): "Terminer",
    (State.ACCEPTED, State.ENDED): "Terminer",
}

# The states a prescriber is told about by e-mail: the decisions and the end.
DECISIONS = frozenset({State.ACCEPTED, State.WAITING_LIST, State.REFUSED, State.ENDED})


def allowed_targets(state: str) -> list[str]:
    """The states a referral in ``state`` may move to, in the table's order."""
    return [to for (source, to) in TRANSITIONS if source == state]


def is_allowed(source: str, target: str) -> bool:
    return (source, target) in TRANSITIONS


def illegal_message(source: str, target: str) -> str:
    return (
        f"Une orientation « {State(source).label.lower()} » ne peut pas passer à l'état "
        f"« {State(target).label.lower()} »."
        + (
            f" Depuis cet état : {', '.join(State(t).label.lower() for t in allowed)}."
            if (allowed := allowed_targets(source))
            else " Cet état est définitif."
        )
    )
