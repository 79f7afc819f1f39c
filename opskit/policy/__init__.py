"""Policy documents: loading with positions, schemas, the typed model and its checks.

This package knows YAML and the policy model; it imports nothing about targets.
"""
