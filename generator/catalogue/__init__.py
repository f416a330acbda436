"""The catalogue: the data and its rules.

Typed, frozen models (papers refer to each other by id), loading YAML safely with the
line of every field, field checks and whole-catalogue validation (problems collected,
never raised one by one), the canonical YAML form, the JSON Schema, ids, hand-written
pages, the problem report, and the memo that keeps per-paper results between builds.

Imports: nothing else of ``generator`` (import-linter keeps it so, ``make lint``).
"""
