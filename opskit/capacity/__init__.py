"""Capacity: whether the people exist to keep the promises (queueing models of ticket demand)."""
