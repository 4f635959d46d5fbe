"""Address parsing against addresses labelled by people: how often each part comes out right.

The corpus is not shipped with gridgov (its licence does not say it may be):
give the CoNLL files of the public "Neural Chinese Address Parsing" data
(Li and Lu, NAACL 2019; github.com/leodotnet/neural-chinese-address-parsing,
data/train.txt and data/dev.txt; keep test.txt for independent checks), or of
the nationwide second corpus of SuperMap's address-matching project
(github.com/swei412/address-matching, data/dataset_v2/data.7z: 48,320
addresses labelled B/M/E/S, numbers split into word pieces "##").  For
each part an address has, the share of addresses whose part gridgov reads
exactly: door number (roadno), building (houseno), unit (cellno), floor
(floorno), room (roomno), compound (poi, when it ends in a compound word).
Where the corpus splits what gridgov keeps as one part, each piece is compared
with the corpus's part: a hyphenated door number (2116-6号: the corpus's road
number 2116 and building 6); a compound is right as the corpus's compound or
as that compound with its labelled sub-area written after it (明月嘉苑3区; a
compound labelled right after a compound is its sub-area); a floor labelled
14F is floor 14.
Where cpca or jionlp is installed (`pip install cpca jionlp`, maintained
libraries for the administrative prefix; not gridgov dependencies), the
administrative prefix (province, city, district) is measured side by side: how
often each leaves exactly the rest of the address the people's labels leave,
and how fast.
Where the errors lie: addresses are grouped by the written shape of their
numbers (和睦新村12幢3单元502室 → H99幢9单元999室); in the shapes many addresses
share, how often gridgov is right, and how often the labellers picked the
number the others of that shape picked (their own convention, which no reader
of the text can beat there); and how often gridgov is right in the rare shapes.

    python bench/address_corpus.py PATH/dev.txt [PATH/train.txt] [--repeat 20]
"""
from __future__ import annotations

import argparse
import re
import resource
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa

from gridgov.grid_tools import address
from gridgov.grid_tools.address import normalise, parse
from gridgov.grid_tools.address_grammar import COMPOUND, GRAMMAR
from gridgov.grid_tools.admin_prefix import strip_admin_prefix

# the corpus's labels → gridgov's parts, and the form of the value compared (digits, or a letter building)
PARTS = {"roadno": "number", "houseno": "building", "cellno": "unit", "floorno": "floor", "roomno": "room",
         "poi": "compound"}
CODE = re.compile(r"^[0-9A-Za-z]+(?:-\d+)?")
ADMIN = ("prov", "city", "district")        # the corpus's labels of the administrative prefix
FILLERS = f"^(?:{'|'.join(GRAMMAR['bare_admin']['fillers'])})+"
SHAPE_WORDS = set("幢单元室层号区期弄巷路街道村组座楼门梯-至")    # the words that structure an address, kept in its shape
NUMBER = re.compile(r"[A-Z]?\d+[A-Z]?|[A-Z]")
COMMON = 5          # a shape this many addresses share shows the labellers' convention


def read_conll(path: Path) -> pd.DataFrame:
    """One row per address: its text, its labelled parts (the first of each kind), where its leading
    administrative prefix ends (``rest``: the address after province, city and district), and whether the
    labellers split one run of digits into parts (``packed``: 福星苑8161 → building 8, unit 1, floor 6, room 1,
    which the text alone does not say)."""
    rows, chars, spans = [], [], {}
    label, prefix, admin, packed, before = None, True, 0, False, ("", "")
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if chars:
                rows.append({"address": "".join(chars), "rest": "".join(chars[admin:]), "packed": packed, **spans})
            chars, spans, label, prefix, admin, packed, before = [], {}, None, True, 0, False, ("", "")
            continue
        token, tag = line.rsplit(" ", 1)
        token = " " if token == "_" else token.removeprefix("##")     # Li & Lu write a space as _
        chars.append(token)
        kind = tag[2:]
        prefix = prefix and kind in ADMIN
        if prefix:
            admin = len(chars)
        if tag.startswith(("B-", "S-")):
            packed = packed or (before[0][-1:].isdigit() and token[:1].isdigit() and before[1] != kind)
            # a compound labelled right after a compound is its sub-compound, as most labels have it (SuperMap
            # labels 卧龙新城幸福小区 poi + subpoi in some addresses, poi + poi in others)
            kind = "subpoi" if kind == "poi" and before[1] == "poi" and "subpoi" not in spans else kind
            label = kind if kind not in spans else None
            if label:
                spans[label] = token
        elif tag.startswith(("I-", "M-", "E-")) and label in (kind, "sub" + kind):
            spans[label] += token
            kind = label        # the sub-compound's own letters, for the next label's ``before``
        before = (token, kind)
    return pd.DataFrame(rows)


def gold(value, part: str):
    """The labelled value as gridgov writes the part: 12号 → 12, 3幢 and 03幢 → 3, A座 → A, the floor 14F → 14; a
    compound only when its name ends in a compound word (a shop's name is no compound)."""
    if not isinstance(value, str):
        return None
    if part == "compound":
        return value if re.search(f"{COMPOUND}$", value) else None
    match = CODE.match(value)
    if not match:
        return None
    code = match.group(0).upper()
    if part in ("number", "building", "unit"):      # 04幢 is building 4, as gridgov reads it (rooms keep 0502)
        code = code.lstrip("0") or code
    return code[:-1] if part == "floor" and re.fullmatch(r"\d+F", code) else code


def also_right(corpus: pd.DataFrame, part: str) -> pd.Series:
    """A second reading counted right: for the compound, the corpus's compound (poi) with its sub-area
    (subpoi: 明月嘉苑 + 3区, 采荷新村 + 洁莲新村) where the address writes them together, as gridgov keeps them
    (朝晖9区 is one compound's name), both as gridgov writes them (numerals as digits: 凤兴花园一区 → 1区)."""
    if part != "compound" or "subpoi" not in corpus:
        return pd.Series(None, index=corpus.index, dtype=object)
    both = corpus["poi"].fillna("") + corpus["subpoi"].fillna("")
    together = corpus["poi"].notna() & corpus["subpoi"].notna() & \
        pd.Series([b in a.replace(" ", "") for a, b in zip(corpus["address"], both)], index=corpus.index)
    written = pd.Series(normalise(both.where(together, None)).to_numpy(zero_copy_only=False), index=corpus.index)
    return written.where(together, None)


def main():
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("corpus", nargs="+", help="CoNLL files (train.txt, dev.txt)")
    arguments.add_argument("--repeat", type=int, help="also time the addresses written this many times over")
    args = arguments.parse_args()
    frames = [read_conll(Path(p)) for p in args.corpus]
    corpus = pd.concat(frames, ignore_index=True)
    started = time.perf_counter()
    parsed = parse(corpus["address"])
    seconds = time.perf_counter() - started
    print(f"{len(corpus):,} labelled addresses from {', '.join(Path(p).name for p in args.corpus)}; "
          f"parsed in {seconds:.2f} s")
    if args.repeat:
        speed(corpus["address"], args.repeat)
    print(f"{'part':<10} {'label':<8} {'addresses with it':>18} {'right':>8} {'wrong':>8} {'missed':>8}"
          f"   right where the digits are separated")
    corpus, parsed = aligned(corpus, parsed)
    for label, part in PARTS.items():
        scored = score(corpus, parsed, label)
        right, missed = scored["right"].mean(), scored["got"].isna().mean()
        apart = scored["right"][~corpus.loc[scored.index, "packed"]]
        print(f"{part:<10} {label:<8} {len(scored):>18,} {right:>8.1%} {1 - right - missed:>8.1%} {missed:>8.1%}"
              f"   {apart.mean():.1%} of {len(apart):,}")
    print(f"{int(corpus['packed'].sum()):,} addresses ({corpus['packed'].mean():.1%}) have one run of digits split "
          f"into parts by the labellers (福星苑8161: building 8, unit 1, floor 6, room 1)")
    by_shape(corpus, parsed)
    admin_prefix(corpus)


def speed(addresses: pd.Series, repeat: int):
    """Normalising and parsing messy addresses at a street's scale (the corpus ``repeat`` times over), beside
    normalising them with the rewrites' patterns found by one union of all (RE2's automaton outgrows its memory
    there: why gridgov matches them as unions of at most address.UNION_SIZE)."""
    text = pa.array(pd.concat([addresses] * repeat, ignore_index=True), type=pa.string())
    timed = {}
    for name, unions in (("unions", address.ANY_REWRITE), ("one union", ["|".join(address.ANY_REWRITE)])):
        kept, address.ANY_REWRITE = address.ANY_REWRITE, unions
        started = time.perf_counter()
        address.normalise(text)
        timed[name] = time.perf_counter() - started
        address.ANY_REWRITE = kept
    started = time.perf_counter()
    address.parse_arrow(text)
    print(f"{len(text):,} addresses (the corpus {repeat} times): normalised in {timed['unions']:.1f} s "
          f"({timed['one union'] / timed['unions']:.1f}x faster than with one union of the rewrites' patterns, "
          f"{timed['one union']:.1f} s), parsed in {time.perf_counter() - started:.1f} s; peak memory "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2:.2f} GB")


def shape(text: str) -> str:
    """The address from the word before its first number on: each number as 9s (at most four), a letter as A,
    each run of other words as H, the words that structure an address kept (和睦新村12幢3单元502室 → H99幢9单元999室)."""
    first = re.search(r"\d", text)
    text = text[max(first.start() - 1, 0):] if first else ""
    pieces = [("A" if piece.group(0)[0].isalpha() else "") + "9" * min(sum(c.isdigit() for c in piece.group(0)), 4)
              if NUMBER.fullmatch(piece.group(0)) else piece.group(0) if piece.group(0) in SHAPE_WORDS else "H"
              for piece in re.finditer(r"[A-Z]?\d+[A-Z]?|[A-Z]|.", text)]
    return re.sub("H+", "H", "".join(pieces))


def by_shape(corpus: pd.DataFrame, parsed: pd.DataFrame):
    """For building, unit, floor and room: right in the shapes at least COMMON addresses share, how consistent the
    labels are there (the share whose labelled number is the one most addresses of their shape have labelled: the
    first, second … number written), and right in the rare shapes."""
    written = pd.Series(normalise(corpus["address"]).to_numpy(zero_copy_only=False), index=corpus.index).fillna("")
    shapes = written.map(shape)
    print(f"where the errors lie (shapes at least {COMMON} addresses share, and the rest):")
    for label, part in list(PARTS.items())[1:5]:
        scored = score(corpus, parsed, label)
        shaped = shapes[scored.index]
        common = shaped.map(shaped.value_counts()) >= COMMON
        picked = pd.Series([next((k for k, n in enumerate(NUMBER.findall(written[i])) if n.lstrip("0") == str(e).lstrip("0")),
                                 None) for i, e in scored["expected"].items()], index=scored.index, dtype=object)
        choices = pd.DataFrame({"shape": shaped, "pick": picked.fillna(-1)})[common]
        agree = choices.groupby("shape")["pick"].agg(lambda picks: picks.value_counts().iloc[0]).sum() / max(len(choices), 1)
        right = scored["right"]
        print(f"  {part:<9} {common.mean():>4.0%} of {len(scored):,} in common shapes: {right[common].mean():.1%} right "
              f"(the labels keep their shape's convention in {agree:.1%}); rare shapes: {right[~common].mean():.1%} right")


def aligned(corpus: pd.DataFrame, parsed: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The corpus and gridgov's reading with the corpus's conventions mapped onto gridgov's parts, once."""
    corpus, parsed = corpus.copy(), parsed.copy()
    # a lane (660弄) is the corpus's road number; gridgov keeps it with the road and reads the 号 after it
    lane = corpus["roadno"].fillna("").str.endswith(("弄", "巷"))
    corpus.loc[lane, "roadno"] = corpus.loc[lane, "houseno"]
    corpus.loc[lane, "houseno"] = None
    # a hyphenated door number (杭海路2116-6号) is the corpus's road number 2116 and house number 6 where it
    # does not label it whole (简丁路24-3号: 24-3); gridgov keeps it whole, as house tables write it: each
    # part compared with the corpus's
    hyphen = parsed["number"].str.extract(r"^(\d+)-(\d+)$")
    split = hyphen[0].notna() & parsed["building"].isna() & \
        (parsed["number"] != corpus["roadno"].map(lambda v: gold(v, "number")))
    parsed.loc[split, "number"] = hyphen.loc[split, 0]
    parsed.loc[split, "building"] = hyphen.loc[split, 1]
    # with no road number, the corpus calls a door number (村80号) a house number: gridgov reads it as the number
    village_door = corpus["roadno"].isna() & corpus["houseno"].fillna("").str.endswith("号")
    parsed["building"] = parsed["building"].where(~village_door, parsed["number"])
    return corpus, parsed


def score(corpus: pd.DataFrame, parsed: pd.DataFrame, label: str) -> pd.DataFrame:
    """For the addresses labelled with ``label`` (the corpus and the reading as ``aligned`` gives them): the
    value expected, the value gridgov read and whether it is right."""
    part = PARTS[label]
    expected = corpus[label].map(lambda v: gold(v, part)) if label in corpus else \
        pd.Series(None, index=corpus.index, dtype=object)
    if part == "compound":      # as gridgov writes names: half-width, upper case, numerals as digits
        expected = pd.Series(normalise(expected).to_numpy(zero_copy_only=False), index=expected.index)
    has = expected.notna()
    read = parsed[part]
    got = read[has].astype(object).where(read[has].notna(), None)
    right = (got == expected[has]) | (got == also_right(corpus, part)[has])
    return pd.DataFrame({"expected": expected[has], "got": got, "right": right})


def admin_prefix(corpus: pd.DataFrame):
    """gridgov's administrative prefix against the labels, beside the maintained libraries that are installed
    (cpca, jionlp's parse_location; neither is a gridgov dependency): the rest of the address each leaves."""
    addresses = corpus["address"].tolist()
    readers = {"gridgov": lambda: [strip_admin_prefix(a, levels=len(ADMIN)) for a in addresses]}
    try:
        import cpca
        readers["cpca"] = lambda: cpca.transform(addresses)["地址"].fillna("").tolist()
    except ImportError:
        print("install cpca to compare it (pip install cpca)")
    try:
        import jionlp
        readers["jionlp"] = lambda: [jionlp.parse_location(a)["detail"] for a in addresses]
    except ImportError:
        print("install jionlp to compare it (pip install jionlp)")
    # words exports put after the district (城区, 全境) name no place: gridgov drops them, the libraries and the
    # labels keep them; the rests are compared without them
    rest = corpus["rest"].str.replace(FILLERS, "", regex=True).to_numpy()
    print(f"administrative prefix (province, city, district), the rest left as labelled, {len(corpus):,} addresses:")
    for name, read in readers.items():
        started = time.perf_counter()
        left = pd.Series(read(), dtype=object).fillna("").str.replace(FILLERS, "", regex=True).to_numpy()
        seconds = time.perf_counter() - started
        print(f"  {name:<8} {(left == rest).mean():.1%} in {seconds:.2f} s")


if __name__ == "__main__":
    main()
