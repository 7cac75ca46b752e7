"""Which task of the parent directive each task of an implementing document carries out (issue 14).

A district's plan carrying out the province's letter says so in two ways. Some of its tasks name the
parent task ("thực hiện nhiệm vụ 4 tại Công văn 1317-CV/TU", "(mục 2, 3 Công văn số 1317)"): a mention,
taken only when the parent document is named beside the task's label, because a bare "nhiệm vụ 4" in a
plan is that plan's own item 4. Most tasks name nothing and say the same thing in other words: a
similarity, the cosine of the registry's TF-IDF (`TextIndex`, IDF taken over the parent's and the plan's
tasks together) after masking the frame every task repeats (the names of the bodies that lead, assist or
receive, read with the parser's name grammar; "báo cáo", "triển khai thực hiện"). The reviewer confirms
or changes each proposal; `best` is what may be preselected.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

from dondoc.parsing.agencies import scan_names
from dondoc.parsing.patterns import DOC_NUMBER, KIND_WORDS, normalize_number, type_from_number
from dondoc.registry.overlaps import Segments, TextIndex, Tokenizer, mask_boilerplate, syllable_segments
from dondoc.text import fold, nfc

# Chosen on tests/directives/data/task_links.json (benchmarks/linking.py, BENCHMARKS.md): top-1 is best,
# with no wrong link preselected, from 0.15 to 0.18; at 0.19 true paraphrases scoring 0.18 are lost, at
# 0.14 a district's own task (merging villages, 0.14 with task 10) is proposed. Chosen on five implementing
# documents and scored on the sixth, in turn, top-1 is 0.946 against 0.964 on the whole set.
LINK_THRESHOLD = 0.17
# Below this a parent task is not worth showing the reviewer at all.
CANDIDATE_FLOOR = 0.08
MAX_CANDIDATES = 3
MENTION_SCORE = 1.0
PHRASES_SHOWN = 4


@dataclass(frozen=True, slots=True)
class TaskText:
    key: int
    label: str
    text: str


class LinkReason(StrEnum):
    MENTION = "mention"
    SIMILARITY = "similarity"


@dataclass(frozen=True, slots=True)
class Candidate:
    parent: int
    score: float
    reason: LinkReason
    evidence: str


@dataclass(frozen=True, slots=True)
class LinkProposal:
    child: int
    candidates: tuple[Candidate, ...]

    @property
    def best(self) -> Candidate | None:
        """The candidate to preselect: a mention, or a similarity that reaches LINK_THRESHOLD."""
        if not self.candidates:
            return None
        first = self.candidates[0]
        if first.reason is LinkReason.MENTION or first.score >= LINK_THRESHOLD:
            return first
        return None


# The frame every task of a plan repeats, folded (a space stands for spaces and commas): the bodies in
# general, the report, the leading verbs say nothing about what the task is. Deadlines are kept: a plan
# copies its parent's ("chậm nhất trong tháng 5/2023"), and masking them cost a right link on the set.
TASK_FRAME = (
    r"(?:cac )?co quan(?: don vi| to chuc)*(?: lien quan)?",
    r"(?:cac )?(?:chi bo|dang bo|to chuc co so dang)(?: truc thuoc)?",
    r"(?:cac )?(?:dia phuong|don vi)(?: lien quan)?",
    r"bao cao ket qua(?: thuc hien)?(?: ve)?",
    r"(?:dinh ky )?bao cao",
    r"thoi gian(?: hoan thanh| thuc hien)?",
    r"thuc hien thuong xuyen",
    r"hang (?:nam|quy|thang)",
    r"(?:to chuc )?trien khai thuc hien",
    r"thuc hien",
    r"(?:ban )?thuong vu",
    r"(?:thuong truc |ban chap hanh )?(?:huyen|thanh|thi|tinh) uy",
    r"uy ban nhan dan (?:huyen|thanh pho|thi xa|xa|phuong|thi tran|tinh)",
    r"ubnd (?:huyen|tinh|xa)",
    r"dang uy(?: xa| phuong| thi tran| khoi)?",
    r"theo doi(?: don doc)?",
    r"(?:cap uy )?cac cap",
)


def _frame_pattern() -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(p.replace(" ", r"[\s,]+") for p in TASK_FRAME) + r")\b")


_FRAME = _frame_pattern()


def task_segments(printed: str, folded: str) -> Segments:
    """The registry's syllable segments of a task, its frame masked as the registry masks boilerplate."""
    masked = _FRAME.sub(lambda match: "|" * len(match.group()), folded)
    return syllable_segments(printed, masked)


# Where the names of bodies begin: the task's subject, and after the words that introduce a body.
_LEAD_CUE = re.compile(
    r"(?:^(?:Giao|Đề nghị|Yêu cầu)?\s*|\b(?:phối hợp với|phối hợp|tham mưu cho|tham mưu|chỉ đạo|giao|đề nghị"
    r"|báo cáo|gửi về|gửi|qua)\s+)"
)


def without_leads(text: str) -> str:
    """The text with the names of the bodies that lead, assist or receive replaced by a break: who does
    a task says nothing about what it is ("Sở Nông nghiệp và Môi trường" is not the ministry's task)."""
    pieces, last = [], 0
    for cue in _LEAD_CUE.finditer(text):
        if cue.end() < last:
            continue
        names, _ = scan_names(text, cue.end(), expected=cue.start() > 0)
        if names:
            pieces += [text[last : names[0].start], "|" * (names[-1].end - names[0].start)]
            last = names[-1].end
    return "".join(pieces) + text[last:]


# ---- mentions ----------------------------------------------------------------------------------------

_TASK_WORD = r"(?:nhiem vu|muc|tieu muc|diem|khoan|noi dung|phan|yeu cau)"
# "4", "2.1", "1.a", "a", "II"; "điểm a khoản 1" is item a of item 1
_LABEL = (
    r"(?:[a-h]\s+(?:khoan|muc)\s+(?:so\s+)?\d{1,2}|\d{1,2}(?:\.(?:\d{1,2}|[a-h])){0,2}|[a-h]|[ivx]{1,4})"
    r"(?![\w/]|-[a-z])"
)
_NESTED = re.compile(r"([a-h])\s+(?:khoan|muc)\s+(?:so\s+)?(\d{1,2})")
_LABEL_LIST = rf"{_LABEL}(?:\s*(?:,|;|va|,\s*va|den|-)\s*(?:{_TASK_WORD}\s+)?(?:so\s+)?{_LABEL})*"
_TASK_REF = rf"\b{_TASK_WORD}\s+(?:so\s+)?(?P<labels>{_LABEL_LIST})"
# what may stand between the task's label and the document: "tại", "của", "nêu tại", a comma, "("
_LINK_WORDS = r"(?:tai|cua|theo|thuoc|trong|neu tai|quy dinh tai|duoc giao tai|nhu)"
_GAP_AFTER_TASK = rf"(?:\s*[,(:]?\s*{_LINK_WORDS}\b)*\s*[,(]?\s*"
_GAP_AFTER_DOCUMENT = r"\s*(?:ngay \d{1,2}/\d{1,2}/\d{4})?\s*[,(:]?\s*(?:tai\s+|theo\s+)?"
_ANAPHORA = r"(?:neu tren|noi tren|tren|vua neu)"
_LABEL_SPLIT = re.compile(rf"\s*(,|;|\bva\b|\bden\b|-)\s*(?:{_TASK_WORD}\s+)?(?:so\s+)?")
_RANGE = frozenset({"den", "-"})


def _kind_of(number: str) -> str:
    """The kind a number shows, folded: "1317-CV/TU" → "cong van"; a State công văn ("4127/UBND-NC")
    shows no type code."""
    return fold(type_from_number(number) or "công văn")


def _number_pattern(number: str) -> str:
    """A folded number as printed with or without spaces around its hyphens and slashes."""
    parts = re.split(r"\s*([-/])\s*", fold(number))
    return r"\s?".join(re.escape(part) for part in parts)


@dataclass(frozen=True, slots=True)
class _MentionMatcher:
    patterns: tuple[re.Pattern[str], ...]
    anaphoric: tuple[re.Pattern[str], ...]
    numbers: frozenset[str]

    @classmethod
    def for_parent(cls, numbers: Collection[str]) -> _MentionMatcher:
        full = "|".join(_number_pattern(number) for number in numbers)
        digits = "|".join(sorted({re.escape(m.group()) for n in numbers if (m := re.match(r"\d+", n))}))
        own_kind = "|".join(sorted(re.escape(kind) for kind in {_kind_of(n) for n in numbers} | {"van ban"}))
        named = [rf"(?:(?:{KIND_WORDS})\s+)?(?:so\s+)?(?:{full})(?![\w/])"] if full else []
        if digits:
            named.append(rf"(?:{own_kind})\s+(?:so\s+)?(?:{digits})(?![\w/]|-\w)")
        # "Công văn nêu trên": the parent, when the task names no other document
        cited = rf"(?:{own_kind})\s+{_ANAPHORA}\b"
        return cls(
            patterns=tuple(_both_orders(named)),
            anaphoric=tuple(_both_orders([cited])),
            numbers=frozenset(normalize_number(number) for number in numbers),
        )

    def mentions(self, printed: str, folded: str) -> Iterator[tuple[str, str]]:
        """(label, the mention as printed) in the order the task names them."""
        patterns = self.patterns if self._names_another_document(printed) else self.patterns + self.anaphoric
        found: list[tuple[int, str, str]] = []
        taken: list[tuple[int, int]] = []
        for pattern in patterns:
            for match in pattern.finditer(folded):
                if any(start < match.end() and match.start() < end for start, end in taken):
                    continue
                taken.append(match.span())
                evidence = printed[match.start() : match.end()].strip(" ,(")
                found += [
                    (match.start("labels"), label, evidence) for label in _labels(match.group("labels"))
                ]
        yield from ((label, evidence) for _, label, evidence in sorted(found, key=lambda item: item[0]))

    def _names_another_document(self, printed: str) -> bool:
        return any(normalize_number(m.group()) not in self.numbers for m in DOC_NUMBER.finditer(printed))


def _both_orders(documents: list[str]) -> Iterator[re.Pattern[str]]:
    """ "nhiệm vụ 4 tại Công văn 1317-CV/TU" and "Công văn 1317-CV/TU (nhiệm vụ 4)"."""
    for document in documents:
        yield re.compile(rf"{_TASK_REF}{_GAP_AFTER_TASK}(?:{document})")
        yield re.compile(rf"\b(?:{document}){_GAP_AFTER_DOCUMENT}{_TASK_REF}")


def _labels(listed: str) -> list[str]:
    """ "2, 3" → 2, 3; "2 - 4" and "2 đến 4" → 2, 3, 4."""
    parts = [_NESTED.sub(r"\2.\1", part) for part in _LABEL_SPLIT.split(listed.strip())]
    labels = [parts[0]]
    for separator, label in zip(parts[1::2], parts[2::2], strict=True):
        if separator in _RANGE and labels[-1].isdigit() and label.isdigit():
            labels += [str(n) for n in range(int(labels[-1]) + 1, int(label))]
        labels.append(label)
    return labels


def _label_key(label: str) -> str:
    return fold(label).strip(" .)(").lower()


# ---- similarity evidence ----------------------------------------------------------------------------


def shared_phrases(text: str, parent_terms: Collection[str], tokenize: Tokenizer = task_segments) -> str:
    """The runs of words of `text` whose every pair of neighbours the parent also has, longest first:
    "chức năng, nhiệm vụ; vị trí việc làm"."""
    runs: list[tuple[int, int, str]] = []
    for units in tokenize(*mask_boilerplate(text)):
        start = 0
        for end in range(1, len(units) + 1):
            joined = end < len(units) and f"{units[end - 1][0]} {units[end][0]}" in parent_terms
            if not joined:
                if end - start >= 2:
                    runs.append((-(end - start), len(runs), " ".join(unit[1] for unit in units[start:end])))
                start = end
    return "; ".join(phrase for _, _, phrase in sorted(runs)[:PHRASES_SHOWN])


# ---- proposals ---------------------------------------------------------------------------------------


def propose_links(
    *, children: Sequence[TaskText], parents: Sequence[TaskText], parent_numbers: Collection[str]
) -> list[LinkProposal]:
    """For each child task, the parent tasks it may implement, best first: the tasks it names beside the
    parent document, then those whose text says the same thing."""
    return propose_links_with(children=children, parents=parents, parent_numbers=parent_numbers)


def propose_links_with(
    *,
    children: Sequence[TaskText],
    parents: Sequence[TaskText],
    parent_numbers: Collection[str],
    tokenize: Tokenizer = task_segments,
    mask_leads: bool = True,
) -> list[LinkProposal]:
    """`propose_links` with its masks chosen, to measure what each is worth (benchmarks/linking.py)."""
    matcher = _MentionMatcher.for_parent(parent_numbers)
    parent_by_label = {_label_key(parent.label): parent.key for parent in parents}
    compared = without_leads if mask_leads else str
    index: TextIndex[tuple[bool, int]] = TextIndex(
        [((True, parent.key), compared(parent.text)) for parent in parents]
        + [((False, child.key), compared(child.text)) for child in children],
        tokenize=tokenize,
    )
    proposals = []
    for child in children:
        candidates: list[Candidate] = []
        printed = nfc(child.text)
        folded = fold(printed)
        if len(folded) != len(printed):
            printed = folded
        for label, evidence in matcher.mentions(printed, folded):
            parent = parent_by_label.get(_label_key(label))
            if parent is not None and all(c.parent != parent for c in candidates):
                candidates.append(Candidate(parent, MENTION_SCORE, LinkReason.MENTION, evidence))
        mentioned = {candidate.parent for candidate in candidates}
        similar = sorted(
            (
                (index.score((False, child.key), (True, parent.key)), position, parent.key)
                for position, parent in enumerate(parents)
                if parent.key not in mentioned
            ),
            key=lambda item: (-item[0], item[1]),
        )
        for score, position, parent in similar[: max(0, MAX_CANDIDATES - len(candidates))]:
            if score < CANDIDATE_FLOOR:
                break
            shared = shared_phrases(
                compared(child.text), index.vectors[position].keys(), tokenize
            ) or "; ".join(index.shared_terms((False, child.key), (True, parent)))
            candidates.append(Candidate(parent, round(score, 4), LinkReason.SIMILARITY, shared))
        proposals.append(LinkProposal(child=child.key, candidates=tuple(candidates)))
    return proposals
