"""Object permissions for stored files: the bureau views them in the admin; nobody edits them."""

from __future__ import annotations

import rules

from accounts.rules import is_bureau_supervisor

# The app's admin section ("documents") and its list; no add/change/delete rule exists, so the
# admin offers none (a stored file is evidence: its bytes and SHA-256 never change).
rules.add_perm("documents", is_bureau_supervisor)
rules.add_perm("documents.view_storedfile", is_bureau_supervisor)
