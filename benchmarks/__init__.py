"""Benchmarks: `uv run python -m benchmarks [NAME …]` runs them and rewrites BENCHMARKS.md.

Each module here exposes `run() -> str`, returning one Markdown section (starting with a
`## ` heading). The runner keeps the sections of modules it did not run.
"""
