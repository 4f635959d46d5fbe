"""Compound and village names typed with a character that sounds the same: 和穆新村 for 和睦新村, 朝辉九区 for
朝晖九区, 新堂村 for 新塘村.

A pinyin input method offers every character of a sound, and the wrong one is often picked; a name one
character off that does not sound the same (和平新村 beside 和睦新村) is another compound, never this one.
The readings of a character are pypinyin's (all of them, tones left out); one character may differ, in a
name of three characters or more.
"""
from __future__ import annotations

import functools

SHORTEST = 3        # 青园 and 清园: one character of two is half the name


class SoundsAlike:
    """The street's compound (or village) names, found again from a name that differs from one of them in one character
    of the same sound, whole or after a place of two characters or more (拱宸桥和穆新村)."""

    def __init__(self, names):
        self.gapped = {}          # (what comes before a character, what after) → the names with any character there
        for name in {n for n in names if isinstance(n, str) and len(n) >= SHORTEST}:
            for at in range(len(name)):
                self.gapped.setdefault((name[:at], name[at + 1:]), []).append(name)
        self.lengths = sorted({len(before) + len(after) + 1 for before, after in self.gapped}, reverse=True)

    def of(self, name: str) -> list:
        """The known names that ``name`` (or its end, after two characters or more) sounds like, itself left out."""
        found = set()
        for length in self.lengths:
            if length == len(name) or len(name) - length >= 2:
                tail = name[len(name) - length:]
                found.update(known for at, char in enumerate(tail)
                             for known in self.gapped.get((tail[:at], tail[at + 1:]), ())
                             if known != tail and _readings(known[at]) & _readings(char))
        return sorted(found)


def sounds_like(written: str, name: str) -> bool:
    """Whether ``written`` is ``name`` with characters typed for others of the same sound (大关苑溪路 for 大关苑西路)."""
    return len(written) == len(name) and written != name and all(
        a == b or _readings(a) & _readings(b) for a, b in zip(written, name))


@functools.lru_cache(maxsize=None)
def _readings(char: str) -> frozenset:
    """The readings of a Chinese character without tones (朝: zhao, chao); none for anything else."""
    if not "\u4e00" <= char <= "\u9fff":
        return frozenset()
    # its dictionary is loaded only when a name needs it
    from pypinyin import Style, pinyin

    return frozenset(pinyin(char, style=Style.NORMAL, heteronym=True)[0])
