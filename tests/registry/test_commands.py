from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dondoc.registry.sample import load_sample_registry

SEED = "src/dondoc/samples/1317-CV-TU.md"


@pytest.fixture
def sample(db):
    load_sample_registry()


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_resolve_directive_shows_every_phrase_with_its_bodies(sample):
    output = run("resolve_directive", SEED)
    assert "Ban thường vụ các huyện ủy, thành ủy → Ban Thường vụ Thành ủy Gia Nghĩa" in output
    assert "Ủy ban Mặt trận Tổ quốc → Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Đắk Nông" in output
    assert "! Các cơ quan, đơn vị liên quan → —" in output  # the one phrase a person must settle


def test_resolve_directive_refuses_an_unreadable_file_in_one_line(sample, tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 not really")
    with pytest.raises(CommandError):
        run("resolve_directive", str(broken))


def test_check_registry_lists_the_planted_problems(sample):
    output = run("check_registry", "--on", "2023-04-17")
    assert "Sở Tài nguyên và Môi trường" in output and "51" in output
    assert "Sở Nông nghiệp và Phát triển nông thôn" in output
    assert "thanh niên" in output  # the planted gap


def test_check_registry_refuses_a_bad_date(sample):
    with pytest.raises(CommandError):
        run("check_registry", "--on", "17/4/2023")


def test_load_sample_if_empty_leaves_a_filled_registry_alone(sample):
    from dondoc.registry.models import Organization

    count = Organization.objects.count()
    output = run("load_sample_registry", "--if-empty")
    assert Organization.objects.count() == count
    assert output.strip()
