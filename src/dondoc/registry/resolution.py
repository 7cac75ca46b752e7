"""Resolving the addressee and lead phrases of a directive to the bodies they mean on its date.

A phrase is tried, in order, against: the names and aliases of bodies (also without their place
name, so "UBND tỉnh" finds "Ủy ban nhân dân tỉnh Đắk Nông"), the phrases naming groups, the
grammar of collective names ("Ban Thường vụ các huyện ủy, thành ủy", "UBND các huyện, thành
phố"), and finally fuzzy matching. Where several bodies answer to the same words, the issuer's
place decides: a provincial letter's "Ủy ban MTTQ" is the provincial Front, a district's is its own.
Everything is compared in one canonical form: folded (no case, no diacritics), abbreviations
expanded, punctuation dropped.

A phrase counts as resolved only when the method can stand behind the answer; anything less is a
suggestion for a person. The words that make a body what it is are never traded away: the head noun
(Bộ, Sở, Phòng, Ban …), the level words (Trung ương, tỉnh, huyện, xã, Tỉnh ủy, Huyện ủy …) and the
place. Fuzzy matching repairs OCR damage within them, so "Bộ Nội vụ" never becomes "Sở Nội vụ" and
"UBND huyện Đức Trọng" never becomes "UBND huyện Đắk Song". A name without its place ("Sở Nội vụ")
means the body of the issuer's place, so it is resolved only when the issuer's place holds one.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from dondoc.registry.models import (
    Jurisdiction,
    JurisdictionKind,
    Organization,
    OrganizationAlias,
    OrganizationGroup,
    OrganizationKind,
)
from dondoc.registry.selectors import subtree
from dondoc.text import fold, nfc

# Abbreviations documents use for the heads of names, expanded so both spellings meet.
_ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "mttq": "mat tran to quoc",
    "ubmttq": "uy ban mat tran to quoc",
    "btv": "ban thuong vu",
    "bcs": "ban can su",
    "bch": "ban chap hanh",
    "tw": "trung uong",
    "ubkt": "uy ban kiem tra",
    "dtncs": "doan thanh nien cong san",
    "tncs": "thanh nien cong san",
}
# Abbreviations that are also words ("Tư pháp", "Đầu tư"), expanded only where they stand out: in capitals
# within a phrase that is not all capitals. "TU" is Tỉnh ủy; "TƯ" (or "T.Ư") is Trung ương.
_CAPITAL_ABBREVIATIONS = {"TU": "tinh uy", "TƯ": "trung uong", "CT": "chinh tri", "XH": "xa hoi"}
# Words that add nothing to a name: "Ủy ban MTTQ Việt Nam tỉnh" is "Ủy ban MTTQ tỉnh", "Đoàn TNCS Hồ Chí Minh
# tỉnh" is "Đoàn TNCS tỉnh". At the end of a name "Việt Nam" is the country ("Hội Liên hiệp Phụ nữ Việt Nam"),
# and "Hồ Chí Minh" elsewhere is a city ("UBND Thành phố Hồ Chí Minh"): both are kept there.
_FILLER = re.compile(r"\bviet nam(?= [a-z0-9])|(?<=cong san )ho chi minh\b|(?<=tien phong )ho chi minh\b")
_FILLER_WORDS = frozenset({"viet", "nam", "ho", "chi", "minh"})
_PREFIXES = ("kinh gui", "dong gui", "gui", "cac")
_TOKEN = re.compile(r"[a-z0-9]+|,")
_PRINTED_TOKEN = re.compile(r"[^\W_]+|[,&]")

# Collective nouns: a kind of territory, or its Party committee ("huyện ủy" = committee of a district).
_TERRITORY_NOUNS: dict[str, tuple[str, ...]] = {
    "tinh": (JurisdictionKind.PROVINCE, JurisdictionKind.CENTRAL_CITY),
    "thanh pho": (JurisdictionKind.CITY, JurisdictionKind.CENTRAL_CITY),
    "thanh pho truc thuoc trung uong": (JurisdictionKind.CENTRAL_CITY,),
    "huyen": (JurisdictionKind.DISTRICT,),
    "quan": (JurisdictionKind.DISTRICT,),
    "thi xa": (JurisdictionKind.TOWN,),
    "xa": (JurisdictionKind.COMMUNE,),
    "phuong": (JurisdictionKind.WARD,),
    "thi tran": (JurisdictionKind.TOWNSHIP,),
}
_COMMITTEE_NOUNS: dict[str, tuple[str, ...]] = {
    "tinh uy": (JurisdictionKind.PROVINCE,),
    "thanh uy": (JurisdictionKind.CITY, JurisdictionKind.CENTRAL_CITY),
    "huyen uy": (JurisdictionKind.DISTRICT,),
    "quan uy": (JurisdictionKind.DISTRICT,),
    "thi uy": (JurisdictionKind.TOWN,),
}
_TERRITORY_NAME = re.compile(r"^(?:tinh|thanh pho|huyen|quan|thi xa|xa|phuong|thi tran)\s+")

# The level words of a name, two-word ones first; each is followed by its place, if the name gives one.
_LEVEL_PAIRS = frozenset(
    {
        "trung uong",
        "viet nam",
        "tinh uy",
        "huyen uy",
        "thanh uy",
        "quan uy",
        "thi uy",
        "thanh pho",
        "thi xa",
        "thi tran",
    }
)
_LEVEL_WORDS = frozenset({"tinh", "huyen", "quan", "xa", "phuong"})
# The same words in other senses: "quản lý", "quân sự", "xã hội", "tinh giản", "phương án", "địa phương".
_NOT_LEVEL_AFTER = {
    "quan": frozenset(
        {"ly", "su", "doi", "chung", "he", "tri", "tam", "doan", "khu", "trong", "diem", "niem"}
    ),
    "xa": frozenset({"hoi"}),
    "tinh": frozenset({"gian", "hinh", "than", "thanh"}),
    "phuong": frozenset({"tien", "an", "phap", "thuc", "huong", "cham", "dong", "tay", "nam", "bac"}),
}
_NOT_LEVEL_BEFORE = {"phuong": frozenset({"dia", "da", "song"})}
# Level words an unknown, OCR-damaged word may stand for ("huyn" is "huyen", "ã" is "xã"): only those that no
# syllable of a place name is one letter away from ("quan" is a letter from "quang", "uong" from "krong").
_DAMAGED_LEVELS = ("tinh", "huyen", "phuong")
_DAMAGED_COMMUNE = frozenset({"x", "a"})
# A Vietnamese syllable, folded: a word of a place name that is one is read as written, not repaired.
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnptiyou])?"
)

EXACT = 1.0
BY_CONTEXT = 0.95
BY_GRAMMAR = 0.9
REPAIRED = 0.85
FUZZY_CUTOFF = 86.0
SUGGESTION_CUTOFF = 60.0
WORD_CUTOFF = 75.0
# Fuzzy matching looks only at keys sharing a word that fewer than MAX_POSTINGS keys have.
MAX_POSTINGS = 2000
MAX_CANDIDATES = 200
MAX_SUGGESTIONS = 60


class Method(StrEnum):
    """How a phrase was resolved: the reason a reviewer is shown."""

    NAME = "name"  # a body's name
    ALIAS = "alias"  # one of its aliases or abbreviations
    CONTEXT = "context"  # its name without the place, the place being the issuer's
    GROUP = "group"  # a collective name the registry holds ("các sở, ban, ngành")
    GRAMMAR = "grammar"  # a collective built by grammar ("UBND các huyện")
    REPAIRED = "repaired"  # a name with its spelling repaired (OCR damage)
    LIST = "list"  # a list, part by part


class Unresolved(StrEnum):
    """Why a phrase is left for a person."""

    NO_MATCH = "no_match"  # no body answers to it
    AMBIGUOUS = "ambiguous"  # several bodies answer to it and the issuer's place does not decide
    NOT_HERE = "not_here"  # a name without its place, and the issuer's place holds no such body
    UNKNOWN_PLACE = "unknown_place"  # it names a place the registry does not hold
    BEYOND = (
        "beyond"  # a collective name reaching past what the registry holds, or with no issuer to place it
    )
    PARTLY = "partly"  # a list of which some parts are left


def canonical(text: str) -> str:
    """ "Sở KH&ĐT tỉnh" → "so kh va dt tinh"; "UBND" → "uy ban nhan dan"; "BTC TU" → "btc tinh uy" but
    "Sở Tư pháp" → "so tu phap"."""
    words: list[str] = []
    shouting = text.isupper()
    for printed in _PRINTED_TOKEN.findall(nfc(text).replace("T.Ư", "TƯ")):
        if printed in _CAPITAL_ABBREVIATIONS and not shouting:
            words.append(_CAPITAL_ABBREVIATIONS[printed])
            continue
        words += [
            _ABBREVIATIONS.get(word, word) for word in _TOKEN.findall(fold(printed).replace("&", " va "))
        ]
    expanded = " ".join(words)
    expanded = _FILLER.sub(" ", expanded)
    return " ".join(expanded.split())


def _words(key: str) -> str:
    return " ".join(key.replace(",", " ").split())


@dataclass(frozen=True, slots=True)
class PhraseResolution:
    """What one phrase means: bodies, how sure we are, how it was found, and what is left over."""

    phrase: str
    organization_ids: tuple[int, ...]
    confidence: float
    method: str  # a Method, or "" when unresolved
    unresolved: tuple[str, ...] = ()
    suggestion_ids: tuple[int, ...] = ()
    outside_ids: tuple[
        int, ...
    ] = ()  # those of organization_ids outside the jurisdiction: never assigned unasked
    reason: str = ""  # an Unresolved, when something is left for a person
    detail: str = ""  # what the reason is about: the place the registry does not hold

    @property
    def resolved(self) -> bool:
        return bool(self.organization_ids) and not self.unresolved

    @property
    def assignable_ids(self) -> tuple[int, ...]:
        """The bodies a publication assigns without asking: those inside the jurisdiction."""
        return tuple(body_id for body_id in self.organization_ids if body_id not in self.outside_ids)


@dataclass(frozen=True, slots=True)
class AddresseeResolution:
    phrases: tuple[PhraseResolution, ...]

    @property
    def organization_ids(self) -> tuple[int, ...]:
        seen: dict[int, None] = {}
        for phrase in self.phrases:
            seen.update(dict.fromkeys(phrase.organization_ids))
        return tuple(seen)

    @property
    def unresolved(self) -> tuple[str, ...]:
        return tuple(part for phrase in self.phrases for part in phrase.unresolved)

    @property
    def confidence(self) -> float:
        return min((phrase.confidence for phrase in self.phrases), default=0.0)


@dataclass(slots=True)
class _Body:
    id: int
    key: str  # canonical name
    kind: str
    level: str
    parent_id: int | None
    jurisdiction_id: int | None
    outside: bool


@dataclass(slots=True)
class _Territory:
    id: int
    kind: str
    parent_id: int | None
    proper: str  # canonical proper name: "cu jut"
    full: str  # canonical full name: "huyen cu jut"


@dataclass(slots=True)
class _Group:
    jurisdiction_id: int | None
    members: tuple[int, ...]


@dataclass(slots=True)
class _Index:
    bodies: dict[int, _Body] = field(default_factory=dict)
    territories: dict[int, _Territory] = field(default_factory=dict)
    countries: list[int] = field(default_factory=list)
    exact: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # full names and aliases
    names: set[str] = field(default_factory=set)  # the keys of exact that are a body's own name
    placeless: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # place name dropped
    groups: dict[str, list[_Group]] = field(default_factory=lambda: defaultdict(list))
    children: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_territory: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    territory_children: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    places: set[str] = field(default_factory=set)  # proper names of the territories held
    fuzzy_keys: list[str] = field(default_factory=list)
    fuzzy_ids: list[set[int]] = field(default_factory=list)
    postings: dict[str, list[int]] = field(
        default_factory=lambda: defaultdict(list)
    )  # word → fuzzy key positions
    vocabulary: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Identity:
    """What a name may not lose in repair: its head noun, whether it is plural, its levels and their
    places."""

    head: str
    plural: bool
    levels: tuple[str, ...]
    places: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Match:
    ids: frozenset[int]
    confidence: float
    method: Method
    settled: bool  # the method stands behind it; otherwise the ids are suggestions
    reason: Unresolved | None = None


@dataclass(frozen=True, slots=True)
class _Context:
    """The issuer as far as resolution cares: its territory and those above it (nearest first, the country
    last), and whether it stands outside the jurisdiction (a ministry writing to every province)."""

    body_id: int | None
    chain: tuple[int, ...]
    outside: bool
    # An issuer inside the jurisdiction names the jurisdiction's places; one outside it, or none known, may
    # mean any of the country's namesakes ("xã Tân Thành" is in many provinces).
    trusts_places: bool


class AddresseeResolver:
    """The registry as of one date, indexed for resolving many phrases (a whole directive, or many)."""

    def __init__(self, *, on: date) -> None:
        self.on = on
        self._index = _build_index(on)

    def issuer_context(self, issuer: str, *, parent: str | None = None) -> int | None:
        """The body that issued a directive ("TỈNH ỦY ĐẮK NÔNG"), when the registry knows it for certain;
        `parent`, the line above the issuer in the header ("UBND TỈNH ĐẮK NÔNG" over "SỞ NỘI VỤ"), places
        it."""
        above = self.issuer_context(parent) if parent else None
        # the registry is asked for the issuer because the letter reached this jurisdiction: its places count
        match = self._lookup(_strip_prefix(canonical(issuer)), self._context(above, identifying=True))
        if match is not None and match.settled and len(match.ids) == 1:
            return next(iter(match.ids))
        return None

    def resolve(self, phrase: str, *, context: int | None = None) -> PhraseResolution:
        """One phrase; `context` is the issuing body's id, whose place decides among namesakes."""
        return self._resolve(phrase, self._context(context))

    def resolve_all(self, phrases: Iterable[str], *, context: int | None = None) -> AddresseeResolution:
        where = self._context(context)
        return AddresseeResolution(tuple(self._resolve(phrase, where) for phrase in phrases))

    def _context(self, context: int | None, *, identifying: bool = False) -> _Context:
        index = self._index
        body = index.bodies.get(context) if context is not None else None
        chain: list[int] = []
        territory_id = body.jurisdiction_id if body is not None else None
        # up to the first territory not in existence on the day (a province formed later around an older one)
        while territory_id is not None and territory_id not in chain and territory_id in index.territories:
            chain.append(territory_id)
            territory_id = index.territories[territory_id].parent_id
        # the country is above every territory, whether or not the registry links its provinces to it
        chain += [country for country in index.countries if country not in chain]
        outside = body is not None and body.outside
        trusts = identifying or (body is not None and not outside)
        return _Context(body.id if body is not None else None, tuple(chain), outside, trusts)

    def _resolution(self, phrase: str, match: _Match) -> PhraseResolution:
        ids = tuple(sorted(match.ids))
        outside = tuple(body_id for body_id in ids if self._index.bodies[body_id].outside)
        return PhraseResolution(phrase, ids, match.confidence, match.method, outside_ids=outside)

    def _resolve(self, phrase: str, where: _Context) -> PhraseResolution:
        printed = _strip_prefix(canonical(phrase), plural=False)
        key = _strip_prefix(printed)
        if not _words(key):
            return PhraseResolution(phrase, (), 0.0, "", unresolved=(phrase,), reason=Unresolved.NO_MATCH)
        if printed != key and (groups := self._index.groups.get(_words(printed))):
            match: _Match | None = self._group_members(groups, where)
        else:
            match = self._lookup(key, where)
        if match is not None and match.settled:
            return self._resolution(phrase, match)
        parts = _split_list(key)
        if match is None and len(parts) > 1:
            return self._resolve_parts(phrase, parts, where)
        reason, detail = self._why(key, match)
        return PhraseResolution(
            phrase,
            (),
            0.0,
            "",
            unresolved=(phrase,),
            suggestion_ids=self._suggest(key, match, where),
            reason=reason,
            detail=detail,
        )

    def _resolve_parts(self, phrase: str, parts: list[str], where: _Context) -> PhraseResolution:
        ids: set[int] = set()
        unresolved: list[str] = []
        suggestions: list[int] = []
        confidence = 1.0
        for part in parts:
            match = self._lookup(part, where)
            if match is not None and match.settled:
                ids |= match.ids
                confidence = min(confidence, match.confidence)
            else:
                unresolved.append(part)
                suggestions.extend(self._suggest(part, match, where))
        suggested = tuple(dict.fromkeys(suggestions))[:MAX_SUGGESTIONS]
        if not ids:
            reason, detail = self._why(parts[0], None)
            return PhraseResolution(
                phrase,
                (),
                0.0,
                "",
                unresolved=(phrase,),
                suggestion_ids=suggested,
                reason=reason,
                detail=detail,
            )
        ordered = tuple(sorted(ids))
        return PhraseResolution(
            phrase,
            ordered,
            confidence * 0.95,
            Method.LIST,
            tuple(unresolved),
            suggested,
            tuple(body_id for body_id in ordered if self._index.bodies[body_id].outside),
            Unresolved.PARTLY if unresolved else "",
        )

    def _why(self, key: str, match: _Match | None) -> tuple[Unresolved, str]:
        if match is not None and match.reason is not None:
            return match.reason, ""
        identity = self._identity(self._glue_split(_words(key).split()))
        for level, place in zip(identity.levels, identity.places, strict=True):
            if place and level not in ("trung uong", "viet nam") and place not in self._index.places:
                return Unresolved.UNKNOWN_PLACE, f"{level} {place}"
        return Unresolved.NO_MATCH, ""

    def _lookup(self, key: str, where: _Context) -> _Match | None:
        index = self._index
        words = _words(key)
        if ids := index.exact.get(words):
            method = Method.NAME if words in index.names else Method.ALIAS
            return self._settle(ids, words, where, method, EXACT)
        if groups := index.groups.get(words):
            return self._group_members(groups, where)
        if ids := index.placeless.get(words):
            return self._settle(ids, "", where, Method.CONTEXT, BY_CONTEXT)
        if (grammar := self._by_grammar(key, where)) is not None:
            return grammar
        return self._fuzzy(words, where)

    def _settle(
        self, ids: Iterable[int], words: str, where: _Context, method: Method, confidence: float
    ) -> _Match:
        """The bodies a name means: those it names with their place, else those of the issuer's place or the
        nearest place above it. A name that neither gives a place nor finds one at the issuer's is a
        suggestion."""
        index = self._index
        ids = set(ids)
        placed = {body_id for body_id in ids if self._names_place(words, index.bodies[body_id])}
        if not placed and method is Method.ALIAS and any(self._identity(words.split(), damaged=False).places):
            # another name with its own place, word for word: "UBND xã Ea Pô", the former name of the commune
            # that took Ea Pô in, names Ea Pô though the commune of the day is another
            placed = ids
        candidates = placed or ids
        for territory_id in where.chain:
            local = {
                body_id for body_id in candidates if index.bodies[body_id].jurisdiction_id == territory_id
            }
            if local:
                settled = len(local) == 1
                if (
                    not placed
                    and method in (Method.NAME, Method.ALIAS)
                    and territory_id not in index.countries
                ):
                    method = (
                        Method.CONTEXT
                    )  # "Sở Nội vụ" is a name every province gives; the issuer's place decided
                return _Match(
                    frozenset(local),
                    confidence if settled else 0.0,
                    method,
                    settled,
                    None if settled else Unresolved.AMBIGUOUS,
                )
        certain = {body_id for body_id in placed if self._place_is_certain(index.bodies[body_id], where)}
        if len(certain) == 1:
            return _Match(frozenset(certain), confidence, method, True)
        reason = Unresolved.AMBIGUOUS if len(candidates) > 1 else Unresolved.NOT_HERE
        return _Match(frozenset(candidates), 0.0, method, False, reason)

    def _place_is_certain(self, body: _Body, where: _Context) -> bool:
        """A place is unique only within its province: "xã Tân Thành" is Đắk Nông's in a letter from Đắk Nông,
        anyone's in a ministry's. A province (a root of the registry's tree) is unique in the country."""
        if where.trusts_places:
            return True
        territories = self._index.territories
        territory_id = body.jurisdiction_id
        if territory_id is None:
            return False
        while (parent := territories[territory_id].parent_id) is not None:
            territory_id = parent
        return territory_id == body.jurisdiction_id or territory_id in where.chain

    def _names_place(self, words: str, body: _Body) -> bool:
        territory = (
            self._index.territories.get(body.jurisdiction_id) if body.jurisdiction_id is not None else None
        )
        return bool(territory and territory.proper and f" {territory.proper} " in f" {words} ")

    def _group_members(self, groups: list[_Group], where: _Context) -> _Match:
        for territory_id in where.chain:
            local = [group for group in groups if group.jurisdiction_id == territory_id]
            if local:
                members = frozenset(member for group in local for member in group.members)
                # a body above the jurisdiction addresses every province's groups; the registry holds one
                settled = not where.outside or territory_id in where.chain[:1]
                return _Match(
                    members,
                    EXACT if settled else 0.0,
                    Method.GROUP,
                    settled,
                    None if settled else Unresolved.BEYOND,
                )
        unplaced = [group for group in groups if group.jurisdiction_id is None]
        if unplaced and not where.outside:
            return _Match(
                frozenset(m for group in unplaced for m in group.members), EXACT, Method.GROUP, True
            )
        members = frozenset(member for group in groups for member in group.members)
        return _Match(members, 0.0, Method.GROUP, False, Unresolved.BEYOND)

    def _by_grammar(self, key: str, where: _Context) -> _Match | None:
        """ "<head> các <noun>, <noun>": the bodies named <head> of every territory or committee the nouns
        name, within the issuer's own territory. Without an issuer, or from one above the jurisdiction (a
        ministry writing to "UBND các tỉnh"), what the registry holds is only part of the answer: a
        suggestion."""
        tokens = key.split()
        if "cac" in tokens:
            at = tokens.index("cac")
            head, nouns = " ".join(tokens[:at]), _split_list(" ".join(tokens[at + 1 :]))
        else:
            head, nouns = _split_generic_tail(tokens)
        if not nouns or not all(noun in _TERRITORY_NOUNS or noun in _COMMITTEE_NOUNS for noun in nouns):
            return None
        placed = where.body_id is not None and not where.outside
        index = self._index
        scope = subtree(index.territory_children, where.chain[0]) if placed else set(index.territories)
        found: set[int] = set()
        for noun in nouns:
            if noun in _TERRITORY_NOUNS:
                kinds = _TERRITORY_NOUNS[noun]
                territories = [t for t in scope if index.territories[t].kind in kinds]
                if not head:
                    continue
                for territory_id in territories:
                    found |= {
                        body_id
                        for body_id in index.by_territory[territory_id]
                        if _named(index.bodies[body_id].key, head, index.territories[territory_id])
                    }
            else:
                kinds = _COMMITTEE_NOUNS[noun]
                committees = [
                    body_id
                    for t in scope
                    if index.territories[t].kind in kinds
                    for body_id in index.by_territory[t]
                    if index.bodies[body_id].kind == OrganizationKind.PARTY_COMMITTEE
                    and index.bodies[body_id].key.startswith(noun)
                ]
                if not head:
                    found.update(committees)
                    continue
                for committee in committees:
                    found |= {
                        child
                        for child in index.children[committee]
                        if index.bodies[child].key.startswith(head)
                    }
        if placed and found:
            return _Match(frozenset(found), BY_GRAMMAR, Method.GRAMMAR, True)
        if placed:
            return None
        return _Match(frozenset(found), 0.0, Method.GRAMMAR, False, Unresolved.BEYOND)

    def _fuzzy(self, words: str, where: _Context) -> _Match | None:
        """The nearest name whose head, number, levels and places are those of the phrase (OCR damage in them
        repaired, never one level or place traded for another), placed as an exact name would be."""
        index = self._index
        phrase = self._glue_split(words.split())
        identity = self._identity(phrase)
        found = process.extract(
            " ".join(phrase), self._candidates(words), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=20
        )
        passing = [
            (key, score, index.fuzzy_ids[position])
            for key, score, position in found
            if self._same_identity(identity, self._identity(key.split(), damaged=False))
            and self._only_damage(phrase, key.split())
        ]
        if not passing:
            return None
        key, best, ids = passing[0]
        if any(other != ids for _, _, other in passing[1:]):
            # the damage could be one letter from two names ("Long A" for "Long An" or "Long Hà")
            bodies = frozenset(body_id for _, _, other in passing for body_id in other)
            return _Match(bodies, 0.0, Method.REPAIRED, False, Unresolved.AMBIGUOUS)
        confidence = round(best / 100 * REPAIRED, 3)
        return self._settle(ids, key if key in index.exact else "", where, Method.REPAIRED, confidence)

    def _only_damage(self, phrase: list[str], name: list[str]) -> bool:
        """Do the phrase's words differ from the name's only by damage: no real word standing where the name
        has another ("Hội Nông dân" is not "Hội đồng nhân dân"), no word of the name gone without a damaged
        one?"""
        extra = Counter(phrase) - Counter(name)
        missing = Counter(name) - Counter(phrase)
        if missing and any(word in self._index.postings for word in extra):
            return False
        return missing.total() <= extra.total()

    def _glue_split(self, words: list[str]) -> list[str]:
        """ "huyendak" → "huyen", "dak": two known words OCR glued together (and "Việt Namxã" → "xã")."""
        postings = self._index.postings

        def known(word: str) -> bool:
            return word in postings or word in _FILLER_WORDS

        out: list[str] = []
        for word in words:
            if not known(word) and word != "cac":
                for at in range(1, len(word)):
                    if known(word[:at]) and known(word[at:]):
                        out += [word[:at], word[at:]]
                        break
                else:
                    out.append(word)
            else:
                out.append(word)
        return _FILLER.sub(" ", " ".join(out)).split()

    def _identity(self, words: list[str], *, damaged: bool = True) -> _Identity:
        """Head, number, levels and places of a name; in a phrase (`damaged`), an unknown word before the
        first level that is one letter away from a level word is that word ("huyn" → "huyen", "ã" → "xa")."""
        postings = self._index.postings
        levels: list[str] = []
        places: list[list[str]] = []
        at = 0
        while at < len(words):
            if damaged and not places and at > 0 and words[at] not in postings:
                words = [*words[:at], _level_piece(words[at]), *words[at + 1 :]]
            pair = " ".join(words[at : at + 2])
            word = words[at]
            if pair in _LEVEL_PAIRS:
                levels.append(pair)
                places.append([])
                at += 2
                continue
            following = words[at + 1] if at + 1 < len(words) else ""
            preceding = words[at - 1] if at else ""
            if (
                word in _LEVEL_WORDS
                and at > 0
                and following not in _NOT_LEVEL_AFTER.get(word, ())
                and preceding not in _NOT_LEVEL_BEFORE.get(word, ())
            ):
                levels.append(word)
                places.append([])
            elif places:
                places[-1].append(word)
            at += 1
        return _Identity(
            words[0] if words else "",
            "cac" in words,
            tuple(levels),
            tuple(" ".join(place) for place in places),
        )

    def _same_identity(self, phrase: _Identity, name: _Identity) -> bool:
        if (phrase.head, phrase.plural, phrase.levels) != (name.head, name.plural, name.levels):
            return False
        return all(
            self._same_place(mine, theirs) for mine, theirs in zip(phrase.places, name.places, strict=True)
        )

    def _same_place(self, written: str, held: str) -> bool:
        """Is the place written in a phrase the place of a name, OCR damage repaired? A place written as real
        syllables that differ from the name's is another place, however close
        ("Đắk Sơn" is not "Đắk Song")."""
        if written == held or written.replace(" ", "") == held.replace(" ", ""):
            return True
        if (
            not written
            or not held
            or written in self._index.places
            or Levenshtein.distance(written, held) > 1
        ):
            return False
        if len(written) < len(held):
            return True  # a letter lost, the commonest OCR damage
        return not all(_SYLLABLE.fullmatch(word) or word in self._index.postings for word in written.split())

    def _candidates(self, words: str) -> dict[int, str]:
        """Keys sharing the most informative words with the phrase, OCR-damaged words repaired first:
        "xuanloc" is looked up as "xuan" + "loc", "tinhh" as its nearest known word."""
        index = self._index
        hits: dict[int, int] = defaultdict(int)
        for word in words.split():
            known = [word] if word in index.postings else _repair(word, index)
            for repaired in known:
                positions = index.postings[repaired]
                if len(positions) <= MAX_POSTINGS:
                    for position in positions:
                        hits[position] += 1
        best = sorted(hits, key=hits.__getitem__, reverse=True)[:MAX_CANDIDATES]
        return {position: index.fuzzy_keys[position] for position in best}

    def _suggest(self, key: str, match: _Match | None, where: _Context) -> tuple[int, ...]:
        """What a person is offered: the bodies a doubtful match found (the issuer's namesakes first), then
        the names nearest in words."""
        index = self._index
        suggestions: dict[int, None] = {}
        if match is not None:
            near = {territory_id: rank for rank, territory_id in enumerate(where.chain)}
            ordered = sorted(
                match.ids,
                key=lambda body_id: (
                    near.get(index.bodies[body_id].jurisdiction_id or -1, len(near)),
                    index.bodies[body_id].key,
                ),
            )
            suggestions.update(dict.fromkeys(ordered))
        found = process.extract(
            _words(key),
            self._candidates(_words(key)),
            scorer=fuzz.token_set_ratio,
            score_cutoff=SUGGESTION_CUTOFF,
            limit=10,
        )
        near_names = 0
        for _, _, position in found:
            ids = index.fuzzy_ids[position]
            # a name every district or commune gives ("UBND xã") suggests nothing in particular
            if len(ids) <= 3 and near_names < 5:
                fresh = [body_id for body_id in sorted(ids) if body_id not in suggestions]
                suggestions.update(dict.fromkeys(fresh))
                near_names += len(fresh)
        return tuple(suggestions)[:MAX_SUGGESTIONS]


def _level_piece(word: str) -> str:
    """The level word an unknown word stands for, if it is one letter away from one ("huyn" → "huyen")."""
    if word in _DAMAGED_COMMUNE:
        return "xa"
    if len(word) >= 3:
        for level in _DAMAGED_LEVELS:
            if Levenshtein.distance(word, level) == 1:
                return level
    return word


def _repair(word: str, index: _Index) -> list[str]:
    """Known words an OCR-damaged word stands for: two glued words, or the nearest spelling."""
    for at in range(1, len(word)):
        if word[:at] in index.postings and word[at:] in index.postings:
            return [word[:at], word[at:]]
    return [
        found
        for found, _, _ in process.extract(
            word, index.vocabulary, scorer=fuzz.ratio, score_cutoff=WORD_CUTOFF, limit=3
        )
    ]


def _named(key: str, head: str, territory: _Territory) -> bool:
    """Is this body of the territory the one called <head>:
    "Ủy ban nhân dân huyện Cư Jút" for "uy ban nhan dan"?"""
    return key.startswith(head) and (key[len(head) :].strip() in ("", territory.full, territory.proper))


def _strip_prefix(key: str, *, plural: bool = True) -> str:
    """ "kinh gui cac so , ban , nganh" → "so , ban , nganh"; with `plural` false, "cac so , ban , nganh"."""
    for prefix in _PREFIXES if plural else _PREFIXES[:-1]:
        if key.startswith(prefix + " "):
            key = key[len(prefix) + 1 :]
    return key


def _split_list(key: str) -> list[str]:
    """ "a , b va c" → ["a", "b", "c"]; a leading "cac" on an item is dropped."""
    parts = [part.strip() for chunk in key.split(",") for part in chunk.split(" va ")]
    parts = [part.removeprefix("cac ") for part in parts]
    return [part for part in parts if part]


def _split_generic_tail(tokens: list[str]) -> tuple[str, list[str]]:
    """ "ban thuong vu huyen uy , thanh uy" → ("ban thuong vu", ["huyen uy", "thanh uy"]):
    a head and generic nouns."""
    for at in range(len(tokens)):
        tail = _split_list(" ".join(tokens[at:]))
        if tail and all(noun in _TERRITORY_NOUNS or noun in _COMMITTEE_NOUNS for noun in tail):
            return " ".join(tokens[:at]), tail
    return "", []


def _build_index(on: date) -> _Index:
    index = _Index()
    for t_id, name, kind, parent_id in Jurisdiction.objects.as_of(on).values_list(
        "id", "name", "kind", "parent_id"
    ):
        full = canonical(name)
        index.territories[t_id] = _Territory(t_id, kind, parent_id, _TERRITORY_NAME.sub("", full), full)
        if index.territories[t_id].proper:
            index.places.add(index.territories[t_id].proper)
        if parent_id is not None:
            index.territory_children[parent_id].append(t_id)
        if kind == JurisdictionKind.COUNTRY:
            index.countries.append(t_id)
    rows = Organization.objects.as_of(on).values_list(
        "id", "name", "short_name", "kind", "level", "parent_id", "jurisdiction_id", "outside_jurisdiction"
    )
    for body_id, name, short_name, kind, level, parent_id, jurisdiction_id, outside in rows:
        body = _Body(body_id, _words(canonical(name)), kind, level, parent_id, jurisdiction_id, outside)
        index.bodies[body_id] = body
        if parent_id is not None:
            index.children[parent_id].append(body_id)
        if jurisdiction_id is not None:
            index.by_territory[jurisdiction_id].append(body_id)
        for text in (name, short_name):
            if text:
                index.names.add(_add_name(index, body, text))
    aliases = OrganizationAlias.objects.filter(
        organization__valid_from__lte=on, organization__valid_to__gt=on
    )
    for body_id, text in aliases.values_list("organization_id", "text"):
        _add_name(index, index.bodies[body_id], text)
    _add_groups(index, on)
    index.fuzzy_keys = list(index.exact) + [key for key in index.placeless if key not in index.exact]
    index.fuzzy_ids = [
        index.exact[key] if key in index.exact else index.placeless[key] for key in index.fuzzy_keys
    ]
    for position, key in enumerate(index.fuzzy_keys):
        for word in set(key.split()):
            index.postings[word].append(position)
    index.vocabulary = list(index.postings)
    return index


def _add_name(index: _Index, body: _Body, text: str) -> str:
    key = _words(canonical(text))
    index.exact[key].add(body.id)
    territory = index.territories.get(body.jurisdiction_id) if body.jurisdiction_id is not None else None
    if territory is None or not territory.proper:
        return key
    for place in (territory.full, territory.proper):
        if key.endswith(" " + place):
            shorter = key[: -len(place) - 1].strip()
            if shorter:
                index.placeless[shorter].add(body.id)
        elif f" {place} " in f" {key} ":
            index.placeless[" ".join(f" {key} ".replace(f" {place} ", " ").split())].add(body.id)
    # "Tỉnh ủy Đắk Nông": the placeless form is the generic noun itself ("tinh uy")
    return key


def _add_groups(index: _Index, on: date) -> None:
    groups = list(OrganizationGroup.objects.prefetch_related("aliases", "members"))
    for group in groups:
        members = _group_member_ids(index, group, on)
        entry = _Group(group.jurisdiction_id, tuple(sorted(members)))
        for text in [group.name, *(alias.text for alias in group.aliases.all())]:
            printed = _strip_prefix(canonical(text), plural=False)
            index.groups[_words(printed)].append(entry)
            # "các sở, ban, ngành" is also "sở, ban, ngành"; but "các Phòng Nội vụ" is not "Phòng Nội vụ"
            plain = _strip_prefix(printed)
            if plain != printed and ("," in plain or " va " in plain):
                index.groups[_words(plain)].append(entry)


def _group_member_ids(index: _Index, group: OrganizationGroup, on: date) -> set[int]:
    """The group's explicit members valid on the date, plus the bodies its rule selects."""
    members = {member.id for member in group.members.all() if member.is_valid_on(on)}
    if not group.has_rule:
        return members
    territories = (
        None if group.jurisdiction_id is None else subtree(index.territory_children, group.jurisdiction_id)
    )
    kinds = set(group.kinds or ())
    for body in index.bodies.values():
        if kinds and body.kind not in kinds:
            continue
        if group.level and body.level != group.level:
            continue
        if group.parent_id is not None and body.parent_id != group.parent_id:
            continue
        if territories is not None and body.jurisdiction_id not in territories:
            continue
        members.add(body.id)
    return members


def resolve_addressees(
    *, phrases: Sequence[str], on: date, issuer: str | None = None, resolver: AddresseeResolver | None = None
) -> AddresseeResolution:
    """The bodies a directive's addressee (or lead) phrases mean on its date, phrase by phrase."""
    resolver = resolver or AddresseeResolver(on=on)
    context = resolver.issuer_context(issuer) if issuer else None
    return resolver.resolve_all(phrases, context=context)
