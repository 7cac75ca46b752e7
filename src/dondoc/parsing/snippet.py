"""Text that remembers where each character came from, so every field can carry its span."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from dondoc.parsing.model import Span
from dondoc.text import fold


# Immutable by convention, hashable as a frozen one would be; not frozen because a frozen
# dataclass's __init__ is about four times slower, and parsing a document makes hundreds of snippets.
@dataclass(slots=True, unsafe_hash=True)
class Snippet:
    """`text`, where text[anchor_pos[k]:] runs on from source offset anchor_origin[k]."""

    text: str
    anchor_pos: tuple[int, ...]
    anchor_origin: tuple[int, ...]
    _folded: list[str] = field(default_factory=list, compare=False, repr=False)

    @staticmethod
    def at(text: str, origin: int, folded: str | None = None) -> Snippet:
        """`text` from source offset `origin` on; `folded`: fold(text), if known already."""
        return Snippet(text, (0,), (origin,), [] if folded is None else [folded])

    @property
    def folded(self) -> str:
        """The text folded for matching, computed once (see dondoc.text.fold)."""
        if not self._folded:
            self._folded.append(fold(self.text))
        return self._folded[0]

    def origin(self, index: int) -> int:
        k = bisect_right(self.anchor_pos, index) - 1
        k = max(k, 0)
        return self.anchor_origin[k] + (index - self.anchor_pos[k])

    def span(self, start: int = 0, end: int | None = None) -> Span:
        end = len(self.text) if end is None else end
        if end <= start:
            at = self.origin(start)
            return Span(at, at)
        return Span(self.origin(start), self.origin(end - 1) + 1)

    def slice(self, start: int, end: int | None = None) -> Snippet:
        length = len(self.text)
        end = length if end is None else end
        # clamped to 0 <= start <= end <= length (comparisons: cheaper than min() and max() calls)
        start = 0 if start < 0 else length if start > length else start
        end = start if end < start else length if end > length else end
        if start == 0 and end == length:
            return self  # the whole of it (strip() with nothing to strip): no need for a copy
        folded = [self._folded[0][start:end]] if self._folded else []
        if len(self.anchor_pos) == 1:  # most snippets are one run of the source
            return Snippet(self.text[start:end], (0,), (self.anchor_origin[0] + start,), folded)
        k = max(0, bisect_right(self.anchor_pos, start) - 1)
        positions = [0]
        origins = [self.origin(start)]
        for pos, orig in zip(self.anchor_pos[k + 1 :], self.anchor_origin[k + 1 :], strict=True):
            if pos >= end:
                break
            positions.append(pos - start)
            origins.append(orig)
        # a slice of a folded text is the folded slice: fold keeps lengths
        return Snippet(self.text[start:end], tuple(positions), tuple(origins), folded)

    def strip(self, chars: str | None = None) -> Snippet:
        left = len(self.text) - len(self.text.lstrip(chars))
        right = len(self.text.rstrip(chars))
        return self.slice(left, max(left, right))

    def rstrip(self, chars: str | None = None) -> Snippet:
        return self.slice(0, len(self.text.rstrip(chars)))

    def __len__(self) -> int:
        return len(self.text)

    def __bool__(self) -> bool:
        return bool(self.text)

    @staticmethod
    def join(parts: list[Snippet], sep: str = " ") -> Snippet:
        if len(parts) == 1:
            return parts[0]  # itself, with its folded text if known
        text_parts: list[str] = []
        positions: list[int] = []
        origins: list[int] = []
        length = 0
        for i, part in enumerate(parts):
            if i:
                text_parts.append(sep)
                length += len(sep)
            for pos, orig in zip(part.anchor_pos, part.anchor_origin, strict=True):
                positions.append(length + pos)
                origins.append(orig)
            text_parts.append(part.text)
            length += len(part.text)
        if not positions:
            return Snippet("", (0,), (0,))
        folded = [fold(sep).join(part.folded for part in parts)] if len(parts) > 1 else []
        return Snippet("".join(text_parts), tuple(positions), tuple(origins), folded)
