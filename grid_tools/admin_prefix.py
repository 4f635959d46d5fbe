"""Administrative names at the front of an address: province, city, county, town and community, with
or without their suffix, and the filler words exports put after them (浙江省杭州市拱墅区小河路 → 小河路).

Which names come off is data (resources/addresses.toml: each level's suffixes, name lengths and the words
that end in a suffix but name no level); the rules here say in what order and where a name must stay.
"""
from __future__ import annotations

import functools
import re

from .address_grammar import COMPOUND_WORDS, GRAMMAR, ROAD

# a suffix right before 街道 is part of the street's name (故县街道, not 故县 + 街道), no administrative name
# has a road in it (万源路与市府路 is two roads; 徽州大道市政小区 no city 徽州大道市), and a level's not_words end in
# its suffix but name no level
_ADMIN_CHAR = "(?:(?![路街巷弄与]|大道)[\u4e00-\u9fa5])"
_ADMIN_SUFFIXES = "|".join(s for level in GRAMMAR["admin"] for s in level["suffixes"])
_FILLERS = "|".join(GRAMMAR["bare_admin"]["fillers"])
FILLER = re.compile(f"^(?:{_FILLERS})")
CITY, COUNTY, COMMUNITY = 1, 2, 4      # the levels of cities (市), of counties and districts (区, 县), of communities
SIDE_AREA = re.compile(r"(?:^|..)[东南西北中]区$")     # a compound's area after a county: 乐民西区, 南区 (市北区 is one)
NUMBERED_AREA = re.compile(r"[一二三四五六七八九十\d]区$")        # never a county: 城信二区, 尚经村三区
# a county or district's name and suffix (镇海区, 镇平县): a name that begins with a lower level's suffix
_COUNTY_SUFFIXES = "|".join(GRAMMAR["admin"][COUNTY]["suffixes"] + ["市"])
_NEXT_DISTRICT = f"(?!{_COUNTY_SUFFIXES}){_ADMIN_CHAR}{{2,3}}?(?:{_COUNTY_SUFFIXES})"


def _admin_token(level: dict, lower: list) -> re.Pattern:
    """A level's name and suffix at the front, where no character starts one of its not_words, and no suffix
    of its own or a lower level follows (柳市镇 is a town, not 柳市 + 镇; 乌镇镇 a town, not 乌镇 + 镇), unless
    it begins a filler word (奇台县县城: 奇台县 + 县城) or the next county's name (宁波市镇海区, 南阳市镇平县); no
    one-character name before a road word (旧镇路: a road)."""
    words = "|".join(re.escape(w) for w in level.get("not_words", ()))
    unless = f"(?!{words})" if words else ""
    whole = "".join(f"{name}|" for name in (*level.get("whole", ()), *level.get("banners", ())))
    long = "".join(f"|{_ADMIN_CHAR}{{2,10}}?{name}" for name in level.get("long", ()))
    short = level.get("short_not_before")
    suffix = f"(?:{'|'.join(level['suffixes'])})"
    road = rf"(?!{_ADMIN_CHAR}{suffix}(?!{suffix})(?:{'|'.join(short)}))" if short else ""     # 西乡街道: a town
    return re.compile(rf"^{road}(?:{whole}(?:{unless}{_ADMIN_CHAR}){{{level['chars'][0]},{level['chars'][1]}}}?{unless}"
                      rf"{suffix}{long})(?!(?!{_FILLERS}|{_NEXT_DISTRICT})(?:{'|'.join(lower)}))")


ADMIN_TOKENS = [_admin_token(level, [s for below in GRAMMAR["admin"][i:] for s in below["suffixes"]])
                for i, level in enumerate(GRAMMAR["admin"])]
_NOT_A_NAME = "|".join([_ADMIN_SUFFIXES, "村", "道", ROAD, *GRAMMAR["compound"]["suffixes"]])    # 重庆道: a road
_INSTITUTION = "|".join(GRAMMAR["bare_admin"]["not_before"])
WHOLE_NAMES = frozenset(name for level in GRAMMAR["admin"] for name in level.get("whole", ()))
_WHOLE_ADMIN = "|".join(WHOLE_NAMES)
# a bare name before no suffix, road or compound word, no one-character town's suffix (大连湾街道) and no institution
BARE_ADMIN = re.compile(rf"^(?!{'|'.join(GRAMMAR['bare_admin']['not_words'])})"
                        rf"(?:{'|'.join(GRAMMAR['bare_admin']['names'])})"
                        rf"(?!(?!{_WHOLE_ADMIN})(?:{_NOT_A_NAME})|{_ADMIN_CHAR}(?:街道|镇|[路街](?!镇|乡|街道))|[东南西北中](?:{ROAD})|(?:{_INSTITUTION})(?![东南西北中]?(?:{ROAD})))")
COMPOUND_WORD_FIRST = re.compile(rf"^(?:{'|'.join(w for w in COMPOUND_WORDS if len(w) > 1)})(?=[\dA-Z])")
GROUP_FIRST = re.compile(r"^\d+组$")        # 新塘社区3组: a group of the community before it
INSTITUTION_FIRST = re.compile(rf"^(?:第[一二三四五六七八九十\d]+|中心)?(?:{'|'.join(GRAMMAR['bare_admin']['institutions'])})")


@functools.lru_cache(maxsize=1 << 16)       # a street's million records repeat a few thousand heads
def strip_admin_prefix(head: str, levels: int = len(ADMIN_TOKENS), bare: bool = True) -> str:
    """Drop province, city, county and town (the first ``levels`` of them) from the front, while a road or a
    name is left behind, not a compound's word (新城市花园, 瑞泰城市花园3509 are no city's 花园); again while one
    comes off (浙江省金华市义乌市: a county-level city after its city), but no compound's area after the county
    (民乐县乐民西区; 武进区邹区 comes off) and no zone (汉阳区开发区宁康园: read as a road is).  Names written
    without their suffix (浙江杭州, 金华义乌) come off too where four characters or more are left (上海大花园 is
    a name) and no town came off before (铁山街道江山帝景小区: 江山 begins the compound's name); words exports
    put after the county (城区) come off where two are left.  ``bare``: the address's front, not a name read
    after a door number (温岭鞋业大厦), where neither comes off."""
    lowest = -1
    while True:
        while bare and (match := FILLER.match(head)) and len(head) - match.end() >= 2:
            head = head[match.end():]
        while bare and lowest <= COUNTY and (match := BARE_ADMIN.match(head)) and len(head) - match.end() >= 4:
            head = head[match.end():]
        for level, token in enumerate(ADMIN_TOKENS[:levels]):
            if (match := token.match(head)) and _comes_off(level, match.group(0), head[match.end():], lowest):
                # a city after a city is a county-level one (苏州市常熟市): what follows it is below a county
                head, lowest = head[match.end():], max(lowest, COUNTY if level == CITY and lowest >= CITY else level)
                break
        else:
            return head


def _comes_off(level: int, name: str, rest: str, lowest: int) -> bool:
    """Whether an administrative name read at the front comes off: a road or a name must be left, not a
    compound's word (alone or before its numbers: 花园3509; 花园小区 and 花园路 are names), and a county
    must be no compound's area (城信二区, 尚经村三区; 乐民西区 after a county, though 河东区 is one); a community
    before its group (新塘社区3组) is the village it was, and an institution keeps the name of the province, city,
    county or town it is named after (藤桥镇人民政府; a community's 工业园 is the compound)."""
    if len(rest) < 2 or rest in COMPOUND_WORDS or COMPOUND_WORD_FIRST.match(rest) or GROUP_FIRST.match(rest) or \
            level < COMMUNITY and INSTITUTION_FIRST.match(rest):
        return False
    return level != COUNTY or name in WHOLE_NAMES or \
        not (NUMBERED_AREA.search(name) or lowest >= COUNTY and SIDE_AREA.search(name))
