"""Rule capacity-short's names, apart from its check so validate imports no queueing model
until a repository commits a demand snapshot."""

from __future__ import annotations

RULE = "capacity-short"
SUMMARY = "with a demand snapshot committed, each tier's attainment goals are staffed every hour"
SNAPSHOT = "capacity-snapshot.json"  # at the repository's root
