"""Every write about credit evaluation: `verb_noun(*, ..., acting_user)`.

- nodes: the evaluations created by themselves at the two nodes (K-7), their clocks and the
  platform's own evaluation from the record;
- evaluations: a rater gives its evaluation; a task not given in time lapses (the clock's due
  action) and is recorded against the rater;
- grades: each party's rolling score and grade, and the history of its moves;
- appeals: the rated party appeals, the bureau upholds or amends.
"""

from __future__ import annotations

from .appeals import decide_appeal, file_appeal
from .evaluations import ItemValue, lapse_task, refresh_platform_evaluations, submit_evaluation
from .grades import recompute_grade
from .nodes import TASK_CLOCK, open_node, version_in_force

__all__ = [
    "TASK_CLOCK",
    "ItemValue",
    "decide_appeal",
    "file_appeal",
    "lapse_task",
    "open_node",
    "recompute_grade",
    "refresh_platform_evaluations",
    "submit_evaluation",
    "version_in_force",
]
