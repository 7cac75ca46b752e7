"""Overlaps and gaps in the functions of bodies: two bodies given the same duty, a required duty nobody holds.

The core (`TextIndex`) is plain Python over (key, text) pairs. A text becomes a vector over folded
syllable unigrams and bigrams (Vietnamese words are syllables separated by spaces, so bigrams stand
in for words), weighed by squared IDF so that the rare words of a duty outweigh the frame words many
duties share. Boilerplate every decision repeats ("tham mưu, giúp UBND tỉnh", "quản lý nhà nước về",
"theo quy định của pháp luật") is masked out before counting, and in a large corpus a term in more
than 5% of the texts is dropped too, so two items alike only in their frame do not meet.
Pairs are found without comparing all pairs (AllPairs, Bayardo et al. 2007): each vector is split
into a prefix of rare terms and a rest of common ones that cannot add up to the threshold on its
own; two vectors whose cosine reaches the threshold must then share a term of both prefixes, so only
items that meet in the inverted index of prefixes, and whose bound allows it, are scored, exactly.
The Django layer below reads the functions valid on a day in one query and maps the results back.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from django.db.models import QuerySet
from django.utils.translation import gettext

from dondoc.registry.models import Function, Organization, RequiredFunction
from dondoc.text import fold, nfc

K = TypeVar("K", bound=Hashable)

# Chosen on tests/registry/data/function_pairs.json (see benchmarks/overlaps.py and BENCHMARKS.md).
OVERLAP_THRESHOLD = 0.45
# A required function is held when one item carries this share of its weight (coverage, not cosine:
# "Quản lý nhà nước về báo chí, xuất bản" is held by a longer item that says more).
HELD_THRESHOLD = 0.48
NGRAM_SIZES = (1, 2)
IDF_FLOOR = 0.1
IDF_SMOOTHING = 5
# A term in more than this share of a large corpus is boilerplate the list below does not know.
COMMON_FRACTION = 0.05
COMMON_MIN_TEXTS = 100
SHARED_TERMS_SHOWN = 6

# The frame every decision on functions repeats, folded (a space stands for spaces and commas);
# it says nothing about the duty.
BOILERPLATE = (
    r"(?:thuc hien )?(?:cac )?nhiem vu(?: quyen han)? khac do .{0,120}? giao",
    r"tham muu giup",
    r"tham muu",
    r"giup",
    r"thuc hien chuc nang",
    r"quan ly nha nuoc (?:ve|doi voi)",
    r"quan ly nha nuoc",
    r"(?:theo )?quy dinh cua phap luat",
    r"theo quy dinh",
    r"tren dia ban(?: tinh)?",
    r"(?:chu tich )?uy ban nhan dan tinh",
    r"uy ban nhan dan",
    r"ubnd tinh",
    r"(?:ban thuong vu |thuong truc )?tinh uy",
    r"trinh (?:cap co tham quyen |co quan co tham quyen )?(?:xem xet )?phe duyet",
    r"(?:cap|co quan) co tham quyen",
    r"chu tri(?: phoi hop)?",
    r"phoi hop(?: voi)?",
    r"tham gia",
    r"(?:thuc hien )?(?:che do |cong tac )?thong tin bao cao dinh ky(?: va dot xuat)?",
    r"(?:ve )?tinh hinh thuc hien nhiem vu duoc giao",
    r"quan ly tai chinh tai san duoc giao",
    r"duoc giao",
    r"viec chap hanh phap luat",
    r"xu ly vi pham",
)
# Syllables that only bind a phrase together; an n-gram may not begin or end with one. Folding
# merges syllables ("để"/"đề", "tại"/"tài", "về"/"vệ"), so only those without a content twin are here.
LINKING_SYLLABLES = frozenset(
    {
        "va",
        "cua",
        "cac",
        "cho",
        "voi",
        "theo",
        "tren",
        "la",
        "nhung",
        "o",
        "hoac",
        "nay",
        "khac",
        "mot",
        "khi",
        "den",
        "sau",
    }
)

_BOILERPLATE = re.compile(
    r"\b(?:" + "|".join(pattern.replace(" ", r"[\s,]+") for pattern in BOILERPLATE) + r")\b"
)
_SYLLABLE = re.compile(r"[^\W_]+")
_BREAK = re.compile(r"[,;:.()\[\]\"'!?/\n]|\s-\s|\|+")

Segments = list[list[tuple[str, str]]]
"""Runs of units between punctuation: (folded unit, unit as printed, lower case)."""
Tokenizer = Callable[[str, str], Segments]
"""(text as printed, the same text folded) → segments; the two have the same length."""


def mask_boilerplate(text: str) -> tuple[str, str]:
    """The text and its folded form with every boilerplate phrase replaced by a break of the same length."""
    printed = nfc(text)
    folded = fold(printed)
    if len(folded) != len(printed):
        printed = folded
    spans = [match.span() for match in _BOILERPLATE.finditer(folded)]
    if not spans:
        return printed, folded
    pieces_printed, pieces_folded, last = [], [], 0
    for start, end in spans:
        pieces_printed += [printed[last:start], "|" * (end - start)]
        pieces_folded += [folded[last:start], "|" * (end - start)]
        last = end
    pieces_printed.append(printed[last:])
    pieces_folded.append(folded[last:])
    return "".join(pieces_printed), "".join(pieces_folded)


def syllable_segments(printed: str, folded: str) -> Segments:
    """Syllables of each stretch between punctuation marks."""
    segments: Segments = []
    last = 0
    for mark in [*_BREAK.finditer(folded), None]:
        end = mark.start() if mark else len(folded)
        units = [
            (m.group(), printed[m.start() : m.end()].lower()) for m in _SYLLABLE.finditer(folded, last, end)
        ]
        if units:
            segments.append(units)
        last = mark.end() if mark else end
    return segments


def terms_of(segments: Segments, sizes: tuple[int, ...] = NGRAM_SIZES) -> tuple[Counter[str], dict[str, str]]:
    """Counts of the n-grams of a text, and each n-gram as printed."""
    counts: Counter[str] = Counter()
    printed: dict[str, str] = {}
    for units in segments:
        for size in sizes:
            for start in range(len(units) - size + 1):
                gram = units[start : start + size]
                if gram[0][0] in LINKING_SYLLABLES or gram[-1][0] in LINKING_SYLLABLES:
                    continue
                term = " ".join(unit[0] for unit in gram)
                counts[term] += 1
                printed.setdefault(term, " ".join(unit[1] for unit in gram))
    return counts, printed


@dataclass(frozen=True, slots=True)
class SimilarPair(Generic[K]):
    first: K
    second: K
    score: float
    shared_terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NearestText(Generic[K]):
    key: K
    score: float
    shared_terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CandidateCount:
    """How many pairs the index scored exactly, against how many pairs there are."""

    candidates: int
    all_pairs: int


class TextIndex(Generic[K]):
    """TF-IDF vectors of short texts under an inverted index; IDF is taken over all the texts given."""

    def __init__(
        self,
        items: Iterable[tuple[K, str]],
        *,
        tokenize: Tokenizer = syllable_segments,
        sizes: tuple[int, ...] = NGRAM_SIZES,
    ) -> None:
        self.tokenize = tokenize
        self.sizes = sizes
        self.keys: list[K] = []
        counts: list[Counter[str]] = []
        self._printed: list[dict[str, str]] = []
        for key, text in items:
            term_counts, printed = terms_of(tokenize(*mask_boilerplate(text)), sizes)
            self.keys.append(key)
            counts.append(term_counts)
            self._printed.append(printed)
        self.document_frequency: Counter[str] = Counter()
        for term_counts in counts:
            self.document_frequency.update(term_counts.keys())
        common = max(COMMON_MIN_TEXTS, COMMON_FRACTION * len(self.keys))
        self.common_terms = frozenset(term for term, n in self.document_frequency.items() if n > common)
        self.vectors = [self._weigh(term_counts) for term_counts in counts]
        self._terms = [frozenset(vector) for vector in self.vectors]
        self._position = {key: position for position, key in enumerate(self.keys)}
        self._postings: dict[str, list[int]] | None = None
        self._max_weight: dict[str, float] | None = None

    def _idf(self, term: str) -> float:
        # floored, so that a term of every text still counts when the corpus is a few texts
        return (
            math.log((len(self.keys) + IDF_SMOOTHING) / (self.document_frequency[term] + IDF_SMOOTHING))
            + IDF_FLOOR
        )

    def _weigh(self, term_counts: Counter[str]) -> dict[str, float]:
        # IDF squared: the rare words of a duty outweigh the frame words many duties share
        weights = {
            term: (1.0 + math.log(count)) * self._idf(term) ** 2
            for term, count in term_counts.items()
            if term not in self.common_terms
        }
        norm = math.sqrt(sum(w * w for w in weights.values()))
        return {term: w / norm for term, w in weights.items()} if norm else {}

    def vector(self, text: str) -> tuple[dict[str, float], dict[str, str]]:
        """A text outside the index weighed with its IDF (terms it never saw weigh most)."""
        term_counts, printed = terms_of(self.tokenize(*mask_boilerplate(text)), self.sizes)
        return self._weigh(term_counts), printed

    def score(self, first: K, second: K) -> float:
        return self._score(self._position[first], self._position[second])

    def _score(self, first: int, second: int) -> float:
        # two texts share few terms: intersect the term sets in C, multiply only those
        one, other = self.vectors[first], self.vectors[second]
        return sum([one[term] * other[term] for term in self._terms[first] & self._terms[second]])

    def shared_terms(self, first: K, second: K) -> tuple[str, ...]:
        position = self._position[first]
        return _shared_terms(
            self.vectors[position], self.vectors[self._position[second]], self._printed[position]
        )

    def _max_weights(self) -> dict[str, float]:
        if self._max_weight is None:
            self._max_weight = defaultdict(float)
            for vector in self.vectors:
                for term, weight in vector.items():
                    self._max_weight[term] = max(self._max_weight[term], weight)
        return self._max_weight

    def _prefixes(self, threshold: float, positions: Iterable[int]) -> Iterator[tuple[int, list[str], float]]:
        """Each vector's rare terms to index, and a bound, below the threshold, on what its common rest can
        add.

        The rest can add no more than its norm, nor than the sum of its weights times the largest
        weight each term has anywhere (AllPairs' max-weight bound), whichever is less."""
        frequency = self.document_frequency
        max_weight = self._max_weights()
        for position in positions:
            vector = self.vectors[position]
            ordered = sorted(vector, key=lambda term: (frequency[term], term))
            squares = by_max = bound = 0.0
            cut = len(ordered)
            while cut > 0:
                weight = vector[ordered[cut - 1]]
                next_bound = min(
                    math.sqrt(squares + weight * weight), by_max + weight * max_weight[ordered[cut - 1]]
                )
                if next_bound >= threshold:
                    break
                cut -= 1
                squares += weight * weight
                by_max += weight * max_weight[ordered[cut]]
                bound = next_bound
            yield position, ordered[:cut], bound

    def candidate_pairs(
        self,
        *,
        threshold: float,
        group: Callable[[K], Hashable] | None = None,
        among: Collection[K] | None = None,
    ) -> Iterator[tuple[int, int]]:
        """Positions of the pairs that may reach the threshold: they meet in a prefix and their bound allows
        it."""
        positions = range(len(self.keys)) if among is None else sorted(self._position[key] for key in among)
        groups = [group(key) for key in self.keys] if group else None
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        rest_bound: dict[int, float] = {}
        for position, prefix, rest in self._prefixes(threshold, positions):
            vector = self.vectors[position]
            partial: dict[int, float] = defaultdict(float)
            for term in prefix:
                weight = vector[term]
                posting = postings[term]
                for other, other_weight in posting:
                    partial[other] += weight * other_weight
                posting.append((position, weight))
            for other, shared in partial.items():
                if groups and groups[other] == groups[position]:
                    continue
                # what the terms outside both prefixes can add is bounded by the bounds of the two rests
                if shared + rest + rest_bound[other] >= threshold:
                    yield other, position
            rest_bound[position] = rest

    def _scoped(
        self, among: Collection[K] | None, scope: Callable[[K], Hashable] | None
    ) -> list[Collection[K] | None]:
        """The texts split by scope (pairs are only sought within one), or all of them as one."""
        if scope is None:
            return [among]
        parts: dict[Hashable, list[K]] = defaultdict(list)
        for key in self.keys if among is None else among:
            parts[scope(key)].append(key)
        return list(parts.values())

    def similar_pairs(
        self,
        *,
        threshold: float,
        group: Callable[[K], Hashable] | None = None,
        among: Collection[K] | None = None,
        scope: Callable[[K], Hashable] | None = None,
    ) -> list[SimilarPair[K]]:
        """Pairs of texts whose cosine reaches the threshold, best first; texts of the same group are never
        paired, and with a scope only texts of the same scope are."""
        found = []
        for part in self._scoped(among, scope):
            for first, second in self.candidate_pairs(threshold=threshold, group=group, among=part):
                score = self._score(first, second)
                if score >= threshold:
                    found.append(self._pair(first, second, score))
        return sorted(found, key=lambda pair: -pair.score)

    def count_candidates(
        self,
        *,
        threshold: float,
        group: Callable[[K], Hashable] | None = None,
        among: Collection[K] | None = None,
        scope: Callable[[K], Hashable] | None = None,
    ) -> CandidateCount:
        count = all_pairs = 0
        for part in self._scoped(among, scope):
            count += sum(1 for _ in self.candidate_pairs(threshold=threshold, group=group, among=part))
            size = len(self.keys) if part is None else len(part)
            all_pairs += size * (size - 1) // 2
        return CandidateCount(candidates=count, all_pairs=all_pairs)

    def all_pairs(
        self, *, threshold: float, group: Callable[[K], Hashable] | None = None
    ) -> list[SimilarPair[K]]:
        """Every pair scored: the baseline the index must agree with."""
        found = []
        for first in range(len(self.keys)):
            for second in range(first + 1, len(self.keys)):
                if group and group(self.keys[first]) == group(self.keys[second]):
                    continue
                score = self._score(first, second)
                if score >= threshold:
                    found.append(self._pair(first, second, score))
        return sorted(found, key=lambda pair: -pair.score)

    def nearest(self, text: str, *, among: Collection[K] | None = None) -> NearestText[K] | None:
        """The indexed text holding the largest share of the weight of `text`, or None when none shares a
        term.

        The share is the sum of the squared weights of the terms of `text` that the other holds, in [0, 1]."""
        vector, printed = self.vector(text)
        if self._postings is None:
            self._postings = defaultdict(list)
            for position, indexed in enumerate(self.vectors):
                for term in indexed:
                    self._postings[term].append(position)
        allowed = None if among is None else {self._position[key] for key in among if key in self._position}
        coverage: dict[int, float] = defaultdict(float)
        for term, weight in vector.items():
            for position in self._postings.get(term, ()):
                if allowed is None or position in allowed:
                    coverage[position] += weight * weight
        if not coverage:
            return None
        best = max(coverage, key=lambda position: (coverage[position], -position))
        return NearestText(
            key=self.keys[best],
            score=coverage[best],
            shared_terms=_shared_terms(vector, self.vectors[best], printed),
        )

    def _pair(self, first: int, second: int, score: float) -> SimilarPair[K]:
        shared = _shared_terms(self.vectors[first], self.vectors[second], self._printed[first])
        return SimilarPair(first=self.keys[first], second=self.keys[second], score=score, shared_terms=shared)


def _shared_terms(
    first: dict[str, float], second: dict[str, float], printed: dict[str, str]
) -> tuple[str, ...]:
    """The shared terms that weigh most in the score, longest first, without the words of a longer one
    shown."""
    shared = sorted(
        (term for term in first if term in second), key=lambda t: (-len(t.split()), -first[t] * second[t])
    )
    shown: list[str] = []
    for term in shared:
        if not any(f" {term} " in f" {longer} " for longer in shown):
            shown.append(term)
    shown.sort(key=lambda t: -first[t] * second[t])
    return tuple(printed.get(term, term) for term in shown[:SHARED_TERMS_SHOWN])


# The Django layer


@dataclass(frozen=True, slots=True)
class FunctionOverlap:
    """Two function items of different bodies that say the same thing, for showing side by side."""

    first: Function
    second: Function
    score: float
    shared_terms: tuple[str, ...]

    @property
    def organizations(self) -> tuple[Organization, Organization]:
        return self.first.organization, self.second.organization


@dataclass(frozen=True, slots=True)
class FunctionGap:
    """A required function no body of the required kinds and level holds, with the nearest item there is.

    `score` is the share of the required text's weight the nearest item holds."""

    required: RequiredFunction
    nearest: Function | None
    score: float
    shared_terms: tuple[str, ...]


def _check_threshold(threshold: float) -> None:
    if not 0.0 < threshold <= 1.0:
        raise ValueError(
            gettext("The similarity threshold must lie above 0 and at most 1, not %(threshold)s.")
            % {"threshold": threshold}
        )


def _functions_valid_on(on: date) -> list[Function]:
    return list(
        Function.objects.as_of(on)
        .filter(organization__valid_from__lte=on, organization__valid_to__gt=on)
        .select_related("organization__parent__parent")
        .order_by("organization_id", "position", "pk")
    )


def _territory(function: Function) -> int | None:
    """Bodies overlap only where they serve the same territory: every commune's People's Committee holds
    the same duties for its own commune, which is no overlap. A unit without one takes its parent's."""
    body = function.organization
    while body.jurisdiction_id is None and body.parent is not None:
        body = body.parent
    return body.jurisdiction_id


def find_function_overlaps(
    *, on: date, threshold: float = OVERLAP_THRESHOLD, organizations: QuerySet[Organization] | None = None
) -> list[FunctionOverlap]:
    """Pairs of function items of different bodies, both valid on `on`, alike at least to `threshold`,
    best first.

    IDF is taken over every function valid on the day even when `organizations` narrows the pairs,
    so that a word all bodies use stays common when only two bodies are compared."""
    _check_threshold(threshold)
    functions = _functions_valid_on(on)
    index = TextIndex((function, function.text) for function in functions)
    among = None
    if organizations is not None:
        wanted = set(organizations.values_list("pk", flat=True))
        among = [function for function in functions if function.organization_id in wanted]
    pairs = index.similar_pairs(
        threshold=threshold, group=lambda function: function.organization_id, among=among, scope=_territory
    )
    return [
        FunctionOverlap(
            first=pair.first, second=pair.second, score=pair.score, shared_terms=pair.shared_terms
        )
        for pair in pairs
    ]


def find_function_gaps(*, on: date, threshold: float = HELD_THRESHOLD) -> list[FunctionGap]:
    """Required functions that no body of the required kinds and level, valid on `on`, holds to
    `threshold`."""
    _check_threshold(threshold)
    functions = _functions_valid_on(on)
    index = TextIndex((function, function.text) for function in functions)
    gaps = []
    for required in RequiredFunction.objects.order_by("pk"):
        holders = [
            function
            for function in functions
            if (not required.organization_kinds or function.organization.kind in required.organization_kinds)
            and (not required.level or function.organization.level == required.level)
        ]
        best = index.nearest(required.text, among=holders) if holders else None
        if best is None:
            gaps.append(FunctionGap(required=required, nearest=None, score=0.0, shared_terms=()))
        elif best.score < threshold:
            gaps.append(
                FunctionGap(
                    required=required, nearest=best.key, score=best.score, shared_terms=best.shared_terms
                )
            )
    return gaps
