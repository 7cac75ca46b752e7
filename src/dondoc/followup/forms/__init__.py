"""The follow-up pages' forms, one module per part (validation and widgets only)."""
