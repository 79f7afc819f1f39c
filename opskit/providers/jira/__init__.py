"""Jira and Jira Service Management as a sync target."""
