"""Directives: a parsed document reviewed into a draft, then published as one assignment per body and task."""
