"""The registry of the political system: bodies, groups, functions, posts, staffing, reorganisations."""
