from datetime import date

import pytest

from dondoc.registry.models import Appointment, Function, Person, Post, PostKind
from dondoc.registry.services import RegistryError, appoint, end_appointment, revise_functions

OLD, NEW = date(2020, 1, 1), date(2023, 7, 1)


def test_revising_functions_keeps_history(small_registry):
    body = small_registry.bodies["SNV"]
    revise_functions(
        organization=body,
        on=OLD,
        source="QĐ 1",
        items=[
            ("function", "Tham mưu về tổ chức bộ máy"),
            ("duty", "Quản lý biên chế công chức"),
            ("duty", "Thi đua"),
        ],
    )
    revision = revise_functions(
        organization=body,
        on=NEW,
        source="QĐ 2",
        items=[
            ("duty", "Quản lý biên chế  công chức"),
            ("function", "Tham mưu về tổ chức bộ máy"),
            ("duty", "Tôn giáo"),
        ],
    )
    assert (revision.kept, revision.ended, revision.added) == (2, 1, 1)
    before = Function.objects.as_of(date(2023, 6, 30)).filter(organization=body)
    after = Function.objects.as_of(NEW).filter(organization=body).order_by("position")
    assert {f.text for f in before} == {"Tham mưu về tổ chức bộ máy", "Quản lý biên chế công chức", "Thi đua"}
    assert [f.text for f in after] == ["Quản lý biên chế công chức", "Tham mưu về tổ chức bộ máy", "Tôn giáo"]
    assert Function.objects.filter(organization=body).count() == 4  # nothing deleted


def test_revising_functions_of_an_ended_body_is_refused(small_registry):
    with pytest.raises(RegistryError):
        revise_functions(
            organization=small_registry.bodies["SNGV"], on=NEW, source="x", items=[("duty", "a")]
        )


def test_a_head_post_has_one_holder_at_a_time(small_registry):
    post = Post.objects.create(
        organization=small_registry.bodies["SNV"], title="Giám đốc", kind=PostKind.HEAD
    )
    first, second = (
        Person.objects.create(full_name="Nguyễn Văn A"),
        Person.objects.create(full_name="Trần Thị B"),
    )
    appointment = appoint(person=first, post=post, on=OLD, decision="QĐ 10")
    with pytest.raises(RegistryError, match="Nguyễn Văn A"):
        appoint(person=second, post=post, on=NEW, decision="QĐ 11")
    end_appointment(appointment=appointment, on=NEW)
    appoint(person=second, post=post, on=NEW, decision="QĐ 11")
    holders = {date(2022, 1, 1): "Nguyễn Văn A", NEW: "Trần Thị B"}
    for day, name in holders.items():
        assert Appointment.objects.as_of(day).get(post=post).person.full_name == name


def test_an_appointment_cannot_end_before_it_began(small_registry):
    post = Post.objects.create(
        organization=small_registry.bodies["SNV"], title="Phó Giám đốc", kind=PostKind.DEPUTY
    )
    appointment = appoint(person=Person.objects.create(full_name="Lê C"), post=post, on=NEW, decision="QĐ 12")
    with pytest.raises(RegistryError):
        end_appointment(appointment=appointment, on=OLD)
