"""Resolving the addressee and lead phrases of a directive to the bodies they mean on its date.

A phrase is tried, in order, against: the names and aliases of bodies (also without their place
name, so "UBND tỉnh" finds "Ủy ban nhân dân tỉnh Đắk Nông"), the phrases naming groups, the
grammar of collective names ("Ban Thường vụ các huyện ủy, thành ủy", "UBND các huyện, thành
phố"), and finally fuzzy matching. Where several bodies answer to the same words, the issuer's
place decides: a provincial letter's "Ủy ban MTTQ" is the provincial Front, a district's is its own.
Everything is compared in one canonical form: folded (no case, no diacritics), abbreviations
expanded, punctuation dropped.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz, process

from dondoc.registry.models import (
    Jurisdiction,
    JurisdictionKind,
    Organization,
    OrganizationAlias,
    OrganizationGroup,
    OrganizationKind,
)
from dondoc.registry.selectors import subtree
from dondoc.text import fold

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
    "tu": "tinh uy",
    "ubkt": "uy ban kiem tra",
    "dtncs": "doan thanh nien cong san",
    "ct": "chinh tri",
    "xh": "xa hoi",
}
# Words that add nothing to a name: "Ủy ban MTTQ Việt Nam tỉnh" is "Ủy ban MTTQ tỉnh".
_FILLER = re.compile(r"\b(?:viet nam|ho chi minh)\b")
_PREFIXES = ("kinh gui", "dong gui", "gui", "cac")
_TOKEN = re.compile(r"[a-z0-9]+|,")

# Collective nouns: a kind of territory, or its Party committee ("huyện ủy" = committee of a district).
_TERRITORY_NOUNS: dict[str, tuple[str, ...]] = {
    "tinh": (JurisdictionKind.PROVINCE, JurisdictionKind.CENTRAL_CITY),
    "thanh pho": (JurisdictionKind.CITY, JurisdictionKind.CENTRAL_CITY),
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
_TERRITORY_NAME = re.compile(
    r"^(?:tinh|thanh pho|huyen|quan|thi xa|xa|phuong|thi tran)\s+"
)

EXACT = 1.0
BY_CONTEXT = 0.95
BY_GRAMMAR = 0.9
FUZZY_CUTOFF = 86.0
SUGGESTION_CUTOFF = 60.0
AMBIGUOUS = 0.5
WORD_CUTOFF = 75.0
# Fuzzy matching looks only at keys sharing a word that fewer than MAX_POSTINGS keys have.
MAX_POSTINGS = 2000
MAX_CANDIDATES = 200


def canonical(text: str) -> str:
    """ "Sở KH&ĐT tỉnh" → "so kh va dt tinh"; "UBND" → "uy ban nhan dan"."""
    words = _TOKEN.findall(fold(text).replace("&", " va "))
    expanded = " ".join(_ABBREVIATIONS.get(word, word) for word in words)
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
    method: str  # name, alias, context, group, grammar, fuzzy, or "" when unresolved
    unresolved: tuple[str, ...] = ()
    suggestion_ids: tuple[int, ...] = ()

    @property
    def resolved(self) -> bool:
        return bool(self.organization_ids) and not self.unresolved


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
    exact: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # full names and aliases
    placeless: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # place name dropped
    groups: dict[str, list[_Group]] = field(default_factory=lambda: defaultdict(list))
    children: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_territory: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    territory_children: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    fuzzy_keys: list[str] = field(default_factory=list)
    fuzzy_ids: list[set[int]] = field(default_factory=list)
    postings: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))  # word → fuzzy key positions
    vocabulary: list[str] = field(default_factory=list)


class AddresseeResolver:
    """The registry as of one date, indexed for resolving many phrases (a whole directive, or many)."""

    def __init__(self, *, on: date) -> None:
        self.on = on
        self._index = _build_index(on)

    def issuer_context(self, issuer: str) -> int | None:
        """The body that issued a directive ("TỈNH ỦY ĐẮK NÔNG"), when the registry knows it exactly."""
        found = self._lookup(canonical(issuer), context=None)
        if found and len(found[0]) == 1:
            return next(iter(found[0]))
        return None

    def resolve(self, phrase: str, *, context: int | None = None) -> PhraseResolution:
        """One phrase; `context` is the issuing body's id, whose place decides among namesakes."""
        key = _strip_prefix(canonical(phrase))
        if not _words(key):
            return PhraseResolution(phrase, (), 0.0, "", unresolved=(phrase,))
        found = self._lookup(key, context=context)
        if found:
            ids, confidence, method = found
            return PhraseResolution(phrase, tuple(sorted(ids)), confidence, method)
        parts = _split_list(key)
        if len(parts) > 1:
            return self._resolve_parts(phrase, parts, context=context)
        return PhraseResolution(phrase, (), 0.0, "", unresolved=(phrase,), suggestion_ids=self._suggest(key))

    def resolve_all(self, phrases: Iterable[str], *, context: int | None = None) -> AddresseeResolution:
        return AddresseeResolution(tuple(self.resolve(phrase, context=context) for phrase in phrases))

    def _resolve_parts(self, phrase: str, parts: list[str], *, context: int | None) -> PhraseResolution:
        ids: set[int] = set()
        unresolved: list[str] = []
        suggestions: list[int] = []
        confidence = 1.0
        for part in parts:
            found = self._lookup(part, context=context)
            if found:
                ids |= found[0]
                confidence = min(confidence, found[1])
            else:
                unresolved.append(part)
                suggestions.extend(self._suggest(part))
        if not ids:
            return PhraseResolution(phrase, (), 0.0, "", unresolved=(phrase,), suggestion_ids=tuple(suggestions))
        return PhraseResolution(
            phrase, tuple(sorted(ids)), confidence * 0.95, "list", tuple(unresolved), tuple(suggestions)
        )

    def _lookup(self, key: str, *, context: int | None) -> tuple[set[int], float, str] | None:
        index = self._index
        words = _words(key)
        if ids := index.exact.get(words):
            chosen = self._by_context(ids, context)
            return chosen, EXACT if len(ids) == 1 else _namesakes(chosen), "name"
        if groups := index.groups.get(words):
            return self._group_members(groups, context), EXACT, "group"
        if ids := index.placeless.get(words):
            chosen = self._by_context(ids, context)
            return chosen, _namesakes(chosen), "context"
        if ids := self._by_grammar(key, context):
            return ids, BY_GRAMMAR, "grammar"
        candidates = self._candidates(words)
        if found := process.extractOne(words, candidates, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF):
            _, score, position = found
            chosen = self._by_context(index.fuzzy_ids[position], context)
            return chosen, round(score / 100 * min(BY_GRAMMAR, _namesakes(chosen)), 3), "fuzzy"
        return None

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

    def _suggest(self, key: str) -> tuple[int, ...]:
        index = self._index
        found = process.extract(
            _words(key), self._candidates(_words(key)), scorer=fuzz.token_set_ratio,
            score_cutoff=SUGGESTION_CUTOFF, limit=5,
        )
        suggestions: dict[int, None] = {}
        for _, _, position in found:
            suggestions.update(dict.fromkeys(sorted(index.fuzzy_ids[position])))
        return tuple(suggestions)[:5]

    def _territory_chain(self, context: int | None) -> list[int]:
        """The issuer's territory and the territories above it, nearest first."""
        if context is None or context not in self._index.bodies:
            return []
        chain: list[int] = []
        territory_id = self._index.bodies[context].jurisdiction_id
        while territory_id is not None and territory_id not in chain:
            chain.append(territory_id)
            territory_id = self._index.territories[territory_id].parent_id
        return chain

    def _by_context(self, ids: set[int], context: int | None) -> set[int]:
        """Among namesakes, those of the issuer's own territory, else of the nearest territory above it."""
        if len(ids) == 1:
            return ids
        for territory_id in self._territory_chain(context):
            local = {body_id for body_id in ids if self._index.bodies[body_id].jurisdiction_id == territory_id}
            if local:
                return local
        return ids

    def _group_members(self, groups: list[_Group], context: int | None) -> set[int]:
        chain = self._territory_chain(context)
        if len(groups) > 1 and chain:
            for territory_id in chain:
                local = [group for group in groups if group.jurisdiction_id == territory_id]
                if local:
                    groups = local
                    break
        return {member for group in groups for member in group.members}

    def _by_grammar(self, key: str, context: int | None) -> set[int]:
        """ "<head> các <noun>, <noun>": the bodies named <head> of every territory or committee the nouns name."""
        tokens = key.split()
        if "cac" in tokens:
            at = tokens.index("cac")
            head, nouns = " ".join(tokens[:at]), _split_list(" ".join(tokens[at + 1 :]))
        else:
            head, nouns = _split_generic_tail(tokens)
        if not nouns or not all(noun in _TERRITORY_NOUNS or noun in _COMMITTEE_NOUNS for noun in nouns):
            return set()
        chain = self._territory_chain(context)
        scope = subtree(self._index.territory_children, chain[-1]) if chain else set(self._index.territories)
        index = self._index
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
                    found |= {child for child in index.children[committee] if index.bodies[child].key.startswith(head)}
        return found


def _repair(word: str, index: _Index) -> list[str]:
    """Known words an OCR-damaged word stands for: two glued words, or the nearest spelling."""
    for at in range(1, len(word)):
        if word[:at] in index.postings and word[at:] in index.postings:
            return [word[:at], word[at:]]
    return [found for found, _, _ in process.extract(
        word, index.vocabulary, scorer=fuzz.ratio, score_cutoff=WORD_CUTOFF, limit=3
    )]


def _namesakes(chosen: set[int]) -> float:
    """Confidence in a name match: sure when the place settled it, doubtful when several namesakes remain."""
    return BY_CONTEXT if len(chosen) == 1 else AMBIGUOUS


def _named(key: str, head: str, territory: _Territory) -> bool:
    """Is this body of the territory the one called <head>: "Ủy ban nhân dân huyện Cư Jút" for "uy ban nhan dan"?"""
    return key.startswith(head) and (key[len(head) :].strip() in ("", territory.full, territory.proper))


def _strip_prefix(key: str) -> str:
    """ "kinh gui cac so , ban , nganh" → "so , ban , nganh"."""
    for prefix in _PREFIXES:
        if key.startswith(prefix + " "):
            key = key[len(prefix) + 1 :]
    return key


def _split_list(key: str) -> list[str]:
    """ "a , b va c" → ["a", "b", "c"]; a leading "cac" on an item is dropped."""
    parts = [part.strip() for chunk in key.split(",") for part in chunk.split(" va ")]
    parts = [part.removeprefix("cac ") for part in parts]
    return [part for part in parts if part]


def _split_generic_tail(tokens: list[str]) -> tuple[str, list[str]]:
    """ "ban thuong vu huyen uy , thanh uy" → ("ban thuong vu", ["huyen uy", "thanh uy"]): a head and generic nouns."""
    for at in range(len(tokens)):
        tail = _split_list(" ".join(tokens[at:]))
        if tail and all(noun in _TERRITORY_NOUNS or noun in _COMMITTEE_NOUNS for noun in tail):
            return " ".join(tokens[:at]), tail
    return "", []


def _build_index(on: date) -> _Index:
    index = _Index()
    for t_id, name, kind, parent_id in Jurisdiction.objects.as_of(on).values_list("id", "name", "kind", "parent_id"):
        full = canonical(name)
        index.territories[t_id] = _Territory(t_id, kind, parent_id, _TERRITORY_NAME.sub("", full), full)
        if parent_id is not None:
            index.territory_children[parent_id].append(t_id)
    rows = Organization.objects.as_of(on).values_list("id", "name", "short_name", "kind", "level", "parent_id", "jurisdiction_id")
    for body_id, name, short_name, kind, level, parent_id, jurisdiction_id in rows:
        body = _Body(body_id, _words(canonical(name)), kind, level, parent_id, jurisdiction_id)
        index.bodies[body_id] = body
        if parent_id is not None:
            index.children[parent_id].append(body_id)
        if jurisdiction_id is not None:
            index.by_territory[jurisdiction_id].append(body_id)
        for text in (name, short_name):
            if text:
                _add_name(index, body, text)
    aliases = OrganizationAlias.objects.filter(organization__valid_from__lte=on, organization__valid_to__gt=on)
    for body_id, text in aliases.values_list("organization_id", "text"):
        _add_name(index, index.bodies[body_id], text)
    _add_groups(index, on)
    index.fuzzy_keys = list(index.exact) + [key for key in index.placeless if key not in index.exact]
    index.fuzzy_ids = [index.exact[key] if key in index.exact else index.placeless[key] for key in index.fuzzy_keys]
    for position, key in enumerate(index.fuzzy_keys):
        for word in set(key.split()):
            index.postings[word].append(position)
    index.vocabulary = list(index.postings)
    return index


def _add_name(index: _Index, body: _Body, text: str) -> None:
    key = _words(canonical(text))
    index.exact[key].add(body.id)
    territory = index.territories.get(body.jurisdiction_id) if body.jurisdiction_id is not None else None
    if territory is None or not territory.proper:
        return
    for place in (territory.full, territory.proper):
        if key.endswith(" " + place):
            shorter = key[: -len(place) - 1].strip()
            if shorter:
                index.placeless[shorter].add(body.id)
        elif f" {place} " in f" {key} ":
            index.placeless[" ".join(f" {key} ".replace(f" {place} ", " ").split())].add(body.id)
    # "Tỉnh ủy Đắk Nông": the placeless form is the generic noun itself ("tinh uy")


def _add_groups(index: _Index, on: date) -> None:
    groups = list(OrganizationGroup.objects.prefetch_related("aliases", "members"))
    for group in groups:
        members = _group_member_ids(index, group, on)
        entry = _Group(group.jurisdiction_id, tuple(sorted(members)))
        for text in [group.name, *(alias.text for alias in group.aliases.all())]:
            index.groups[_words(_strip_prefix(canonical(text)))].append(entry)


def _group_member_ids(index: _Index, group: OrganizationGroup, on: date) -> set[int]:
    """The group's explicit members valid on the date, plus the bodies its rule selects."""
    members = {member.id for member in group.members.all() if member.is_valid_on(on)}
    if not group.has_rule:
        return members
    territories = None if group.jurisdiction_id is None else subtree(index.territory_children, group.jurisdiction_id)
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
