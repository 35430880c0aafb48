"""A known-good Placement for SDK developers to test against.

``placement-testcloud serve`` runs the API on a temporary SQLite database
seeded from a named scenario (YAML files in ``scenarios/``), with a
control route (``/_testcloud``) that restores or switches the scenario
and injects faults, and optionally the microversion ceiling of a past
OpenStack release. ``placement-testcloud load`` seeds any Placement,
ours or upstream's, with the same scenario over its public API. None of
this is reachable from the production application (placement.app).
"""
