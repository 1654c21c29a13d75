"""Object permissions for stored files: the bureau views them in the admin; nobody edits them.

Downloads are decided by documents.access (uploader, apps' checkers, the bureau), not here.
"""

from __future__ import annotations

from accounts.rules import grant_bureau_permissions

# View only: a stored file is evidence, its bytes and SHA-256 never change (StoredFileAdmin
# also refuses add/change/delete to superusers).
grant_bureau_permissions("documents", ["storedfile"], view_only=True)
