"""Overlaps in the functions of bodies: the two tokenisations on the labelled pairs, then the index on large
corpora.

1. tests/registry/data/function_pairs.json: precision, recall and F1 of folded syllable n-grams and of
   underthesea words, at each one's best threshold, at the runtime threshold, and by 2-fold cross-validation.
2. Synthetic registries of 500, 1,000 and 2,000 bodies × 20 items (real duty frames × domain nouns,
   boilerplate shared by all, paraphrased duplicates planted), fed straight to the core: time, candidate
   pairs against all pairs, growth exponent; all-pairs cosine on the 500-body corpus as baseline; the
   underthesea variant's time on the 500-body corpus.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import random
import statistics
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings.dev")
django.setup()  # the module imports the registry models; the core itself touches no database

from dondoc.registry.overlaps import (
    NGRAM_SIZES,
    OVERLAP_THRESHOLD,
    Segments,
    TextIndex,
    Tokenizer,
    syllable_segments,
)
from dondoc.text import fold

PAIRS = Path(__file__).resolve().parents[1] / "tests" / "registry" / "data" / "function_pairs.json"
SIZES = (500, 1000, 2000)
ITEMS_PER_BODY = 20
RUNS = 3

Key = tuple[int, int]


def underthesea_segments(printed: str, folded: str) -> Segments:
    """Words of underthesea's segmenter (a word of several syllables is one unit), broken at punctuation."""
    from underthesea import word_tokenize

    segments: Segments = []
    current: list[tuple[str, str]] = []
    for word in word_tokenize(printed):
        if "|" in word or not any(c.isalnum() for c in word):
            if current:
                segments.append(current)
                current = []
            continue
        current.append((fold(word).replace(" ", "_"), word.lower()))
    if current:
        segments.append(current)
    return segments


# --- the labelled pairs ---


def pair_scores(tokenize: Tokenizer, sizes: tuple[int, ...]) -> tuple[list[tuple[float, bool]], float]:
    pairs = json.loads(PAIRS.read_text(encoding="utf-8"))["pairs"]
    items = [
        ((n, side), pair[part]["text"])
        for n, pair in enumerate(pairs)
        for side, part in enumerate(("first", "second"))
    ]
    started = time.perf_counter()
    index = TextIndex(items, tokenize=tokenize, sizes=sizes)
    per_item = (time.perf_counter() - started) / len(items)
    return [(index.score((n, 0), (n, 1)), pair["overlap"]) for n, pair in enumerate(pairs)], per_item


def precision_recall_f1(scores: list[tuple[float, bool]], threshold: float) -> tuple[float, float, float]:
    true_positive = sum(1 for score, label in scores if score >= threshold and label)
    predicted = sum(1 for score, _ in scores if score >= threshold)
    actual = sum(1 for _, label in scores if label)
    precision = true_positive / predicted if predicted else 0.0
    recall = true_positive / actual if actual else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def best_threshold(scores: list[tuple[float, bool]]) -> float:
    # ties go to the middle of the plateau's nearest point to 0.4
    candidates = [step / 100 for step in range(10, 91)]
    return max(candidates, key=lambda t: (round(precision_recall_f1(scores, t)[2], 9), -abs(t - 0.4)))


def cross_validated_f1(scores: list[tuple[float, bool]]) -> float:
    """Threshold chosen on every other pair, F1 measured on the rest, both ways, averaged."""
    results = []
    for fold_number in range(2):
        train = [s for n, s in enumerate(scores) if n % 2 == fold_number]
        test = [s for n, s in enumerate(scores) if n % 2 != fold_number]
        results.append(precision_recall_f1(test, best_threshold(train))[2])
    return statistics.mean(results)


# --- synthetic registries ---

# The action of a duty in two wordings, as different decisions word the same duty.
ACTIONS = (
    ("Thẩm định", "Tham gia thẩm định"),
    ("Hướng dẫn, kiểm tra", "Kiểm tra, hướng dẫn thực hiện"),
    ("Xây dựng kế hoạch phát triển", "Lập kế hoạch phát triển"),
    ("Cấp, gia hạn, thu hồi giấy phép", "Cấp giấy phép và thu hồi giấy phép"),
    ("Tổ chức tuyên truyền về", "Tuyên truyền, phổ biến về"),
    ("Quản lý hoạt động", "Quản lý và hướng dẫn hoạt động"),
    ("Tổng hợp, thống kê", "Thống kê, tổng hợp số liệu"),
    ("Ứng dụng công nghệ thông tin trong quản lý", "Chuyển đổi số trong quản lý"),
    ("Hợp tác quốc tế về", "Hợp tác với nước ngoài về"),
    ("Đào tạo, bồi dưỡng nhân lực về", "Bồi dưỡng, tập huấn nhân lực về"),
    ("Xây dựng cơ sở dữ liệu về", "Cập nhật cơ sở dữ liệu về"),
    ("Đề xuất chính sách hỗ trợ", "Nghiên cứu chính sách hỗ trợ"),
    ("Thanh tra, kiểm tra", "Kiểm tra, thanh tra"),
    ("Giải quyết tranh chấp về", "Tham gia giải quyết tranh chấp về"),
    ("Kiểm định chất lượng", "Đánh giá, kiểm định chất lượng"),
    ("Phân bổ kinh phí cho", "Dự kiến phân bổ kinh phí cho"),
    ("Công nhận, xếp hạng", "Xét công nhận, xếp hạng"),
    ("Quy hoạch, bố trí", "Bố trí, quy hoạch"),
    ("Theo dõi, đánh giá", "Đánh giá, theo dõi"),
    ("Phòng ngừa rủi ro trong", "Phòng ngừa, hạn chế rủi ro trong"),
    ("Khen thưởng, tôn vinh", "Tôn vinh, khen thưởng"),
    ("Huy động xã hội hóa", "Đẩy mạnh xã hội hóa"),
    ("Kiểm soát giá", "Kiểm soát, bình ổn giá"),
    ("Thu hồi, xử lý", "Xử lý, thu hồi"),
)
HEADS = (
    "giáo dục mầm non",
    "giáo dục phổ thông",
    "y tế dự phòng",
    "khám bệnh, chữa bệnh",
    "dược, mỹ phẩm",
    "đất đai",
    "khoáng sản",
    "tài nguyên nước",
    "môi trường",
    "khí tượng thủy văn",
    "đo đạc, bản đồ",
    "trồng trọt",
    "chăn nuôi, thú y",
    "thủy sản",
    "lâm nghiệp",
    "thủy lợi",
    "phát triển nông thôn",
    "xây dựng",
    "quy hoạch đô thị",
    "nhà ở",
    "vật liệu xây dựng",
    "hạ tầng kỹ thuật",
    "giao thông đường bộ",
    "vận tải",
    "đăng kiểm phương tiện",
    "công nghiệp",
    "thương mại",
    "điện lực",
    "năng lượng",
    "hóa chất",
    "xuất nhập khẩu",
    "du lịch",
    "văn hóa",
    "thể dục, thể thao",
    "di sản văn hóa",
    "gia đình",
    "báo chí",
    "xuất bản",
    "bưu chính",
    "viễn thông",
    "an toàn thông tin",
    "khoa học",
    "công nghệ",
    "sở hữu trí tuệ",
    "tiêu chuẩn, đo lường, chất lượng",
    "lao động, việc làm",
    "giáo dục nghề nghiệp",
    "người có công",
    "bảo trợ xã hội",
    "trẻ em",
    "bình đẳng giới",
    "dân tộc",
    "tôn giáo",
    "thi đua, khen thưởng",
    "văn thư, lưu trữ",
    "thanh niên",
    "hộ tịch",
    "bổ trợ tư pháp",
    "ngân sách",
    "giá",
    "tài sản công",
    "đầu tư công",
    "doanh nghiệp",
    "kinh tế tập thể",
    "ngoại vụ",
)
OBJECTS = (
    "cơ sở",
    "dịch vụ",
    "hoạt động",
    "chương trình",
    "đề án",
    "dự án",
    "hồ sơ",
    "sản phẩm",
    "hạ tầng",
    "nguồn nhân lực",
    "tổ chức",
    "hội viên",
    "thiết chế",
    "mạng lưới",
    "quỹ",
    "hợp tác xã",
    "điểm",
    "câu lạc bộ",
    "mô hình",
    "phong trào",
    "kinh phí",
    "trang thiết bị",
    "công trình",
    "cơ sở dữ liệu",
    "tiêu chí",
    "chỉ tiêu",
    "danh mục",
    "định mức",
    "kế hoạch vốn",
    "nhiệm vụ khoa học",
)
QUALIFIERS = (
    "",
    "ở vùng sâu, vùng xa",
    "tại các xã đặc biệt khó khăn",
    "ở khu vực đô thị",
    "đối với doanh nghiệp nhỏ và vừa",
    "cho đồng bào dân tộc thiểu số",
    "trong khu công nghiệp",
    "ở các huyện biên giới",
    "đối với hộ nghèo",
    "trong mùa mưa bão",
    "gắn với du lịch cộng đồng",
    "theo chuỗi giá trị",
    "tại các khu dân cư",
    "trong trường học",
    "cho phụ nữ và trẻ em",
    "trên các tuyến biên giới",
    "trong tình hình mới",
    "ở các vùng chuyên canh",
    "đối với người cao tuổi",
    "tại các cửa khẩu",
)
PURPOSES = (
    "nhằm nâng cao chất lượng phục vụ",
    "phục vụ phát triển kinh tế - xã hội",
    "gắn với bảo đảm quốc phòng, an ninh",
    "bảo đảm công khai, minh bạch",
    "theo hướng tinh gọn, hiệu quả",
    "gắn với xây dựng nông thôn mới",
    "phục vụ chuyển đổi số",
    "bảo đảm an sinh xã hội",
    "thích ứng với biến đổi khí hậu",
    "để thu hút đầu tư",
    "bảo vệ quyền lợi người tiêu dùng",
    "phòng ngừa tham nhũng, tiêu cực",
    "hướng tới giảm nghèo bền vững",
    "bảo tồn bản sắc văn hóa các dân tộc",
    "nâng cao năng lực cạnh tranh",
    "tăng cường hội nhập quốc tế",
    "xây dựng đô thị thông minh",
    "giữ vững trật tự, an toàn xã hội",
    "khuyến khích kinh tế tư nhân",
    "cải thiện môi trường đầu tư, kinh doanh",
    "phát huy quyền làm chủ của nhân dân",
    "tiết kiệm, chống lãng phí",
    "ứng phó với thiên tai, dịch bệnh",
    "phát triển nguồn nhân lực chất lượng cao",
    "thúc đẩy khởi nghiệp sáng tạo",
)
SCOPES = (
    "cấp tỉnh",
    "cấp huyện",
    "cấp xã",
    "công lập",
    "ngoài công lập",
    "tư nhân",
    "quốc gia",
    "liên huyện",
    "trọng điểm",
    "đặc thù",
    "vùng lõi",
    "thí điểm",
)
# Places named after the syllables of Tây Nguyên toponyms, so that specific words grow with the registry.
PLACES = tuple(
    f"{first} {second} {part}"
    for part in ("Bắc", "Nam", "Đông", "Tây", "Thượng", "Hạ", "Trung")
    for first in (
        "Đắk",
        "Ea",
        "Quảng",
        "Nghĩa",
        "Nam",
        "Thuận",
        "Đức",
        "Tân",
        "Kiến",
        "Nhân",
        "Hòa",
        "Long",
        "Krông",
        "Cư",
        "Buôn",
        "Nâm",
    )
    for second in (
        "Mil",
        "Song",
        "Nông",
        "Sắk",
        "Lao",
        "Hà",
        "Tín",
        "Bình",
        "Thành",
        "Phú",
        "Xuân",
        "Sơn",
        "An",
        "Hưng",
        "Minh",
        "Trung",
        "Tâm",
        "Lợi",
        "Thịnh",
        "Phước",
        "R'Lấp",
        "Glong",
        "Wil",
        "Pô",
        "Drông",
        "Plao",
    )
)
# Items every body has; they must never be reported.
CLOSING = (
    (
        "Thực hiện nhiệm vụ khác do Ủy ban nhân dân tỉnh, Chủ tịch Ủy ban nhân dân tỉnh giao"
        " và theo quy định của pháp luật"
    ),
    "Quản lý tài chính, tài sản được giao theo quy định của pháp luật",
)
FRAMES = (
    "{t}",
    "Tham mưu, giúp Ủy ban nhân dân tỉnh {t_lower}",
    "{t} trên địa bàn tỉnh",
    "{t} theo quy định của pháp luật",
)
PLANTED_SHARE = 0.02


def domain(rng: random.Random, places: Sequence[str]) -> str:
    """What a duty is about: a named object (a project, a facility of some place) in a field, with who and
    why."""
    parts = (
        rng.choice(OBJECTS),
        rng.choice(places),
        "về",
        rng.choice(HEADS),
        rng.choice(SCOPES),
        rng.choice(QUALIFIERS),
        rng.choice(PURPOSES),
    )
    return " ".join(part for part in parts if part)


def render(rng: random.Random, duty: int, variant: int, subject: str) -> str:
    text = f"{ACTIONS[duty][variant]} {subject}"
    return rng.choice(FRAMES).format(t=text, t_lower=text[0].lower() + text[1:])


def synthetic_corpus(bodies: int, seed: int = 2023) -> tuple[list[tuple[Key, str]], set[tuple[Key, Key]]]:
    """(body, item) → text, and the planted pairs: an item of one body paraphrased in another."""
    rng = random.Random(seed)
    # a larger registry names more places, as real vocabularies grow with the corpus (Heaps' law)
    places = rng.sample(PLACES, min(len(PLACES), bodies))
    items: list[tuple[Key, str]] = []
    sources: list[tuple[Key, int, str]] = []
    planted: set[tuple[Key, Key]] = set()
    for body in range(bodies):
        items += [((body, position), text) for position, text in enumerate(CLOSING)]
        for position in range(len(CLOSING), ITEMS_PER_BODY):
            key = (body, position)
            if sources and rng.random() < PLANTED_SHARE:
                source, duty, subject = rng.choice(sources)
                if source[0] != body:
                    items.append((key, render(rng, duty, 1, subject)))
                    planted.add((source, key))
                    continue
            duty, subject = rng.randrange(len(ACTIONS)), domain(rng, places)
            items.append((key, render(rng, duty, 0, subject)))
            sources.append((key, duty, subject))
    return items, planted


def by_body(key: Key) -> int:
    return key[0]


PROVINCE_BODIES, PROVINCIAL, DISTRICT_BODIES = 500, 100, 20


def by_territory(key: Key) -> tuple[str, int]:
    """Each 500 bodies are a province: 100 provincial bodies serve it, the rest serve districts of 20 bodies
    (the Đắk Nông sample has 63 provincial bodies and 14 per district)."""
    body = key[0]
    if body % PROVINCE_BODIES < PROVINCIAL:
        return ("province", body // PROVINCE_BODIES)
    return ("district", body // DISTRICT_BODIES)


def median_seconds(call: Callable[[], object], runs: int = RUNS) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def run() -> str:
    lines = ["## Overlaps in the functions of bodies (`registry/overlaps.py`)", ""]

    # 1. the two tokenisations on the labelled pairs
    lines += [
        (
            f"Labelled pairs: `{PAIRS.relative_to(PAIRS.parents[3])}` "
            f"({len(json.loads(PAIRS.read_text(encoding='utf-8'))['pairs'])} pairs). Runtime threshold "
            f"{OVERLAP_THRESHOLD}; ‘best’ is the threshold with the best F1 on the whole set (optimistic), "
            "‘2-fold’ chooses it on half the pairs and measures on the other half."
        ),
        "",
        (
            "| tokenisation | n-grams | P / R / F1 at runtime threshold | best threshold | P / R / F1 there "
            "| 2-fold F1 | tokenising + weighing per text |"
        ),
        "|---|---|---|---|---|---|---|",
    ]
    variants: list[tuple[str, Tokenizer, tuple[int, ...]]] = [
        ("folded syllables (chosen)", syllable_segments, NGRAM_SIZES),
        ("folded syllables", syllable_segments, (1,)),
        ("folded syllables", syllable_segments, (1, 2, 3)),
        ("underthesea words", underthesea_segments, (1,)),
        ("underthesea words", underthesea_segments, (1, 2)),
    ]
    underthesea_segments("Khởi động", "khoi dong")  # its model loads on first use; not counted
    for name, tokenize, sizes in variants:
        scores, per_item = pair_scores(tokenize, sizes)
        threshold = best_threshold(scores)
        at_runtime = precision_recall_f1(scores, OVERLAP_THRESHOLD)
        at_best = precision_recall_f1(scores, threshold)
        lines.append(
            f"| {name} | {'+'.join(map(str, sizes))} | {' / '.join(f'{x:.2f}' for x in at_runtime)} "
            f"| {threshold:.2f} | {' / '.join(f'{x:.2f}' for x in at_best)} "
            f"| {cross_validated_f1(scores):.2f} | {per_item * 1000:.2f} ms |"
        )

    # 2. the index on synthetic registries
    lines += [
        "",
        (
            f"Synthetic registries: bodies × {ITEMS_PER_BODY} items ({len(ACTIONS)} actions in 2 wordings × "
            f"{len(OBJECTS)} objects × as many named places as bodies (of {len(PLACES)}) × {len(HEADS)} "
            f"fields × {len(SCOPES)} scopes × {len(QUALIFIERS)} qualifiers × {len(PURPOSES)} purposes, 4 "
            f"boilerplate frames, {len(CLOSING)} closing items every body has, {PLANTED_SHARE:.0%} of items "
            f"a paraphrase of another body's item), threshold {OVERLAP_THRESHOLD}, median of {RUNS} runs, "
            "one process on this machine."
        ),
        "",
        (
            "Two ways of pairing: within each territory, as `find_function_overlaps` does (bodies serving "
            "different territories — every commune's People's Committee — hold the same duties without "
            f"overlapping; each {PROVINCE_BODIES} bodies are a province with {PROVINCIAL} provincial bodies "
            f"and districts of {DISTRICT_BODIES}), and the worst case, every body in one territory (one run, "
            "it is slow)."
        ),
        "",
        (
            "| bodies | items | pairing | index (s) | pairs (s) | total (s) | candidate pairs | all pairs "
            "| share scored | pairs found | planted found |"
        ),
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    totals: dict[int, float] = {}
    worst: dict[int, float] = {}
    candidates: dict[int, int] = {}
    found_counts: dict[int, int] = {}
    for bodies in SIZES:
        items, planted = synthetic_corpus(bodies)
        index_seconds, index = median_seconds(partial(TextIndex, items))
        assert isinstance(index, TextIndex)
        for pairing, scope, runs in (("by territory", by_territory, RUNS), ("one territory", None, 1)):
            pair_seconds, pairs = median_seconds(
                partial(index.similar_pairs, threshold=OVERLAP_THRESHOLD, group=by_body, scope=scope),
                runs=runs,
            )
            assert isinstance(pairs, list)
            count = index.count_candidates(threshold=OVERLAP_THRESHOLD, group=by_body, scope=scope)
            found = {(pair.first, pair.second) for pair in pairs} | {
                (pair.second, pair.first) for pair in pairs
            }
            reachable = {pair for pair in planted if scope is None or scope(pair[0]) == scope(pair[1])}
            total = index_seconds + pair_seconds
            if scope is None:
                worst[bodies] = total
            else:
                totals[bodies], candidates[bodies], found_counts[bodies] = total, count.candidates, len(pairs)
            lines.append(
                f"| {bodies:,} | {len(items):,} | {pairing} | {index_seconds:.2f} | {pair_seconds:.2f} "
                f"| {total:.2f} | {count.candidates:,} | {count.all_pairs:,} "
                f"| {count.candidates / count.all_pairs:.3%} | {len(pairs):,} "
                f"| {len(reachable & found)} of {len(reachable)} |"
            )

    def exponents(values: dict[int, float] | dict[int, int]) -> str:
        return " and ".join(
            f"{math.log(values[larger] / values[smaller]) / math.log(larger / smaller):.2f}"
            for smaller, larger in itertools.pairwise(SIZES)
        )

    lines += [
        "",
        (
            f"Growth per doubling, by territory: total time ×{totals[SIZES[1]] / totals[SIZES[0]]:.2f} then "
            f"×{totals[SIZES[2]] / totals[SIZES[1]]:.2f}, exponents {exponents(totals)} (1 is linear, 2 "
            f"quadratic); candidate pairs exponents {exponents(candidates)}; pairs found exponents "
            f"{exponents(found_counts)}. Target 2,000 × 20 in ≤ 30 s: "
            f"{'met' if totals[SIZES[2]] <= 30 else 'missed'} ({totals[SIZES[2]]:.1f} s). Every body in one "
            f"territory: exponents {exponents(worst)}, {worst[SIZES[2]]:.1f} s at 2,000 bodies — chance "
            "matches between items sharing several generic parts grow with the square of what is compared, "
            "and the time follows them."
        ),
    ]

    # 3. baseline: every pair scored on the smallest corpus, once (it is slow)
    items, _ = synthetic_corpus(SIZES[0])
    index = TextIndex(items)
    started = time.perf_counter()
    every = index.all_pairs(threshold=OVERLAP_THRESHOLD, group=by_body)
    all_seconds = time.perf_counter() - started
    indexed_seconds, indexed = median_seconds(
        partial(index.similar_pairs, threshold=OVERLAP_THRESHOLD, group=by_body)
    )
    assert isinstance(indexed, list)
    expected = {(p.first, p.second) for p in every}
    got = {(p.first, p.second) for p in indexed} | {(p.second, p.first) for p in indexed}
    lost = len(expected - got)
    growth = (SIZES[-1] / SIZES[0]) ** 2
    lines += [
        "",
        (
            f"Baseline, every pair scored on the {SIZES[0]}-body corpus (one run): {all_seconds:.1f} s "
            f"against {indexed_seconds:.2f} s for the index's pairs (×{all_seconds / indexed_seconds:.0f}); "
            f"extrapolated to {SIZES[-1]:,} bodies (×{growth:.0f}): about {all_seconds * growth / 60:.0f} "
            f"min. Recall of the index against every pair: {len(expected) - lost} of {len(expected)} pairs "
            f"above the threshold ({lost} lost)."
        ),
    ]

    # 4. underthesea on the smallest corpus
    started = time.perf_counter()
    words = TextIndex(items, tokenize=underthesea_segments, sizes=(1,))
    words_seconds = time.perf_counter() - started
    started = time.perf_counter()
    word_pairs = words.similar_pairs(threshold=OVERLAP_THRESHOLD, group=by_body)
    word_pair_seconds = time.perf_counter() - started
    lines += [
        "",
        (
            f"underthesea words on the {SIZES[0]}-body corpus (one run): index {words_seconds:.1f} s "
            f"({words_seconds / len(items) * 1000:.2f} ms per text) + pairs {word_pair_seconds:.2f} s, "
            f"against {worst[SIZES[0]]:.2f} s for folded syllables (one territory, as here); "
            f"{len(word_pairs):,} pairs found."
        ),
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(run())
