"""Users' roles and what each may see: a body's own assignments, or everything within a jurisdiction."""
