"""Writes of the follow-up, one module per part (inspections …); each refusal carries a message for the
user."""
