"""Object permissions for credit: the bureau uses the catalogue, the parameters and the grades
in its admin (the catalogue and parameters editable, as versions; evaluations, appeals and
grades read only: they change through the services). A party's access to an evaluation is
credit.selectors (the rater, the rated party once given, the bureau)."""

from __future__ import annotations

from accounts.rules import grant_bureau_permissions

grant_bureau_permissions(
    "credit", ["catalogueversion", "indicator", "creditparameters"], view_only=False
)
grant_bureau_permissions(
    "credit", ["creditevaluation", "itemscore", "appeal", "partygrade", "gradechange"]
)
