"""Waiting for another process (a worker, a server) to have done something, in the tests that start one."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import pytest

T = TypeVar("T")


def eventually(check: Callable[[], T], *, within: float, what: str) -> T:
    """`check()`'s first true value, polled until the deadline (a generous one: the machine may be busy)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.1)
    pytest.fail(f"not within {within} s: {what}")
