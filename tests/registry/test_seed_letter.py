"""The seed letter, read and parsed, then every addressee and lead phrase resolved against the sample
registry."""

import pytest

from dondoc.parsing import parse_text
from dondoc.reading import read_document
from dondoc.registry.models import Organization
from dondoc.registry.resolution import AddresseeResolver
from dondoc.registry.sample import load_sample_registry

SEED = "src/dondoc/samples/1317-CV-TU.md"
DISTRICT_BOARDS = {f"{d}.BTV" for d in ("CJU", "DGL", "DMI", "DRL", "DSO", "GNG", "KNO", "TDU")}


@pytest.fixture
def parsed(db):
    load_sample_registry()
    return parse_text(read_document(SEED).text)


def codes(ids: tuple[int, ...]) -> set[str]:
    return set(Organization.objects.filter(id__in=ids).values_list("code", flat=True))


def test_every_addressee_of_the_seed_letter_resolves(parsed):
    resolver = AddresseeResolver(on=parsed.issued_on)
    context = resolver.issuer_context(parsed.issuer.value)
    assert codes((context,)) == {"DNO.TU"}
    found = {field.value: resolver.resolve(field.value, context=context) for field in parsed.addressees}
    assert all(resolution.resolved for resolution in found.values())
    assert codes(found["Đảng đoàn HĐND tỉnh"].organization_ids) == {"DNO.DDHDND"}
    assert codes(found["Ban cán sự đảng UBND tỉnh"].organization_ids) == {"DNO.BCSUBND"}
    assert codes(found["Ủy ban Mặt trận Tổ quốc"].organization_ids) == {"DNO.MTTQ"}
    assert codes(found["Ban thường vụ các huyện ủy, thành ủy"].organization_ids) == DISTRICT_BOARDS
    assert codes(found["Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh"].organization_ids) == {"DNO.DUK"}
    departments = codes(found["Các sở, ban, ngành"].organization_ids)
    assert len(departments) == 19 and {"DNO.SNV", "DNO.SKHDT", "DNO.STC"} <= departments
    assert {"DNO.HND", "DNO.LDLD", "DNO.TD"} <= codes(
        found["Các tổ chức chính trị - xã hội tỉnh và tương đương"].organization_ids
    )


def test_every_lead_and_report_to_phrase_resolves_but_the_vague_one(parsed):
    resolver = AddresseeResolver(on=parsed.issued_on)
    context = resolver.issuer_context(parsed.issuer.value)
    by_label = {task.label: task for task in parsed.tasks}
    lead_9 = resolver.resolve(by_label["9"].lead[0].value, context=context)
    assert codes(lead_9.organization_ids) == DISTRICT_BOARDS
    task_11 = by_label["11"]
    assert codes(resolver.resolve(task_11.lead[0].value, context=context).organization_ids) == {"DNO.BTCTU"}
    coordinating = [resolver.resolve(field.value, context=context) for field in task_11.coordinating]
    assert codes(coordinating[0].organization_ids) == {"DNO.BCSUBND"}
    assert coordinating[1].unresolved == ("Các cơ quan, đơn vị liên quan",)  # a person chooses
    report_to = {
        codes(resolver.resolve(f.value, context=context).organization_ids).pop() for f in task_11.report_to
    }
    assert report_to == {"DNO.TTTU", "DNO.BTVTU"}
