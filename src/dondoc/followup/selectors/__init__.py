"""Reads of the follow-up that its pages share, one module per part, each starting from what a scope sees."""
