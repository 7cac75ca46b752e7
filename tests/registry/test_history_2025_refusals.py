"""What the 2025 reorganisation refuses to load: a history that has not taken effect yet, and a registry
without the 2023 sample it continues, each with a plain message and nothing written."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from dondoc.registry.history_2025 import HistoryError, load_2025_reorganization
from dondoc.registry.models import Organization
from dondoc.registry.sample import load_sample_registry


def test_the_history_is_refused_before_it_took_effect(db: None) -> None:
    load_sample_registry()
    with pytest.raises(HistoryError, match="not history yet"), translation.override("en"):
        load_2025_reorganization(today=date(2025, 6, 30))
    assert not Organization.objects.filter(code__startswith="LDG").exists()


def test_the_command_refuses_a_registry_without_the_sample_with_a_plain_message(db: None) -> None:
    with pytest.raises(CommandError, match="load_sample_registry"), translation.override("en"):
        call_command("load_2025_reorganization", stdout=StringIO())
