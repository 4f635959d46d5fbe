"""Chinese addresses as people write them: normalise, parse into parts, resolve the road.

浙江省杭州市拱墅区小河路４８８号三栋2单元301室 → road 小河路, number 488,
building 3, unit 2, room 301; 和睦新村12-3-502 → compound 和睦新村, building 12,
unit 3, room 502.  The grammar (the words, and the rewrites that bring the
forms people use to one) is data: resources/addresses.toml.  The text work
runs in Arrow's compute kernels (RE2, in C++) over all addresses at once; only
the few addresses with Chinese numerals go through Python.
"""
from __future__ import annotations

import functools
import re
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .address_grammar import COMPOUND, COMPOUND_WORDS, GRAMMAR, ROAD
from .admin_prefix import COMMUNITY, INSTITUTION_FIRST, strip_admin_prefix
from .traditional import simplified, traditional_characters

NUMERAL_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                  "八": 8, "九": 9}
# invisible characters dropped and dashes read as the hyphen (addresses.toml [characters])
PLAIN = str.maketrans({**dict.fromkeys(GRAMMAR["characters"]["invisible"]),
                       **dict.fromkeys(GRAMMAR["characters"]["dashes"], "-")})
# the numerals contracts and certificates write (大写: 叁佰伍拾陆号, 拾叁幢) as the common ones
FORMAL_NUMERALS_WRITTEN = "壹贰叁肆伍陆柒捌玖拾佰"
FORMAL_NUMERALS = str.maketrans(FORMAL_NUMERALS_WRITTEN, "一二三四五六七八九十百")
NUMERALS = "零〇一二两三四五六七八九十百" + FORMAL_NUMERALS_WRITTEN
UNIT_WORDS = "|".join(GRAMMAR["numerals"]["before"])
AFTER_BUILDING = "|".join(GRAMMAR["numerals"]["after_building"])
NUMERAL_BEFORE_UNIT = f"[{NUMERALS}]+({UNIT_WORDS})|[幢栋楼座][{NUMERALS}]+({AFTER_BUILDING})"
# (not in a town's or a road's name: 三栋镇中洲天御16栋 is no building 3, 五楼南路17号 on no floor 5)
NUMERAL_RUN = re.compile(f"([{NUMERALS}]+)(?!楼[东南西北中]?(?:路|街|大道))(?=({UNIT_WORDS})(?![镇乡]|街道))")
NUMERAL_AFTER_BUILDING = re.compile(f"(?<=[幢栋楼座])([{NUMERALS}]+)(?=({AFTER_BUILDING}))")
# RE2 finds the few rows with two numbers of one length joined by a hyphen, alone (not 356-13-2-1102)
SPAN_CANDIDATE = r"(?:^|[^\d\-])(?:" + "|".join(rf"\d{{{n}}}-\d{{{n}}}" for n in range(2, 6)) + r")(?:$|[^\d\-])"
# a span of floors (庙后街174号1-5楼, 104号楼1-4层, 31栋-2-10楼, 1到3层, 一至三层; not the floor of building-unit-floor
# 89-6-11楼, nor building and floor before a room: 新发中式城5-26楼3号)
FLOOR_SPAN_CANDIDATE = r"[\d一二三四五六七八九十][-~到至、]\d{1,2}[楼层]"
FLOOR_SPAN = re.compile(r"(?<!\d-)(?<![\dA-Z])(\d{1,2}|[一二三四五六七八九十]{1,3})[-~到至、](\d{1,2})(?=[楼层](?![A-Z]?\d))")
SPAN = re.compile(rf"(?<![\d\-{''.join(GRAMMAR['span']['not_after'])}])(\d{{2,5}})-(\d{{2,5}})(?![\d\-])")
_NUMBERED_ROAD = "|".join(GRAMMAR["road"]["numbered"])
NUMBERED_ROAD_CANDIDATE = rf"(?:^|[^\d\-路街巷弄])\d{{1,2}}号(?:{_NUMBERED_ROAD})(?:[^口道]|$)"
NUMBERED_ROAD = re.compile(rf"(?<![\d\-路街巷弄])(?<![^街]道)(\d{{1,2}})(?=号(?:{_NUMBERED_ROAD})(?![口道]))")
BUILDING_WORD = rf"(\d+|[A-Z])({'|'.join(w for w in GRAMMAR['building']['words'] if w != '幢')})"
# a compound and building written twice (辛甸花园38号楼辛甸花园38号楼3单元501: once), words between them a note
# (兴宏园14幢兴隆新寓兴宏园14号楼409室); RE2 has no back-references, so Python reads the few rows with two buildings
TWO_BUILDINGS = "幢.*幢"
WRITTEN_TWICE = re.compile(r"([\u4e00-\u9fff][^幢]+?[A-Z]?\d+[A-Z]?幢)([^幢\d]*?)\1")      # 朝晖9区1幢 too


def _name_start(words) -> str:
    """A character that begins a compound word (小区, 花园, 花苑) where the word does not follow: 城南 after a
    door number is a name, 20新村 one compound's."""
    second = {}
    for word in words:
        if len(word) > 1:
            second.setdefault(word[0], set()).add(word[1])
    return "(?:" + "|".join(f"{first}[^{''.join(sorted(rest))}]" for first, rest in second.items()) + ")"


# a building named by its side or place on the plot: 东楼, 主楼, 前栋, 后幢, 中间栋
SIDE = "[东南西北中主前后]"
PLACEHOLDERS = {"COMPOUND": COMPOUND, "NAME_START": _name_start(GRAMMAR["compound"]["suffixes"]), "SIDE": SIDE}
REWRITES = [(re.sub("|".join(PLACEHOLDERS), lambda m: PLACEHOLDERS[m.group(0)], rule["pattern"]), rule["replace"])
            for rule in GRAMMAR["rewrite"]]
# what any rewrite (or span) finds, as a few unions of at most UNION_SIZE patterns: RE2 runs such a union nearly as
# fast as one pattern, and all ninety at once on messy addresses thirty times slower (its automaton outgrows the
# memory it is given: 6.4 s against 0.2 s on 184,000 of the corpora's addresses)
UNION_SIZE = 40
_FOUND_BY_ANY = [pattern for pattern, _ in REWRITES] + [SPAN_CANDIDATE, FLOOR_SPAN_CANDIDATE]
ANY_REWRITE = ["|".join(f"(?:{pattern})" for pattern in _FOUND_BY_ANY[at:at + UNION_SIZE])
               for at in range(0, len(_FOUND_BY_ANY), UNION_SIZE)]
# a building: 3, 8D, A3, K, 2-2 (艮园小区2-2幢), A-6, 东 (24号东楼)
BUILDING_CODE = rf"(?:[A-Z]?\d+[A-Z]?(?:-\d+)?|[A-Z](?:-\d+)?|{SIDE})"
UNIT_CODE = r"(?:[东西南北中]?\d+|[A-Z]|[东西中甲乙丙丁戊己庚辛])"   # 2, B, 东2 and 西 (7号楼西单元), 甲 (Changzhou)
ROOM_CODE = r"[A-Z]?\d+[A-Z]?(?:至\d+)?"          # 1102, 29A, B577, a span 807至811
ROOM = rf"(?:(?P<room>{ROOM_CODE})室?)?"
FLOOR_CODE = r"负?\d+(?:至\d+)?"                # 12, a floor below ground 负1 (负一楼, 地下2层, B1层), a span 1至3
FLOOR_ROOM = r"(?:(?P<floor>" + FLOOR_CODE + r")层)?" + ROOM
# the building and what follows it: 12幢3单元5层502室
BUILDING_ON = r"(?P<building>" + BUILDING_CODE + r")幢(?:(?P<unit>" + UNIT_CODE + r")单元)?" + FLOOR_ROOM
# after the door number: a place or its phase (1期), a gate or hall of it (6号门, 9号馆: passed over), building,
# unit, floor, room
_NAME = r"[^\d]*[^\dA-Z负](?:" + GRAMMAR["compound"]["numbered"] + r")?"      # 丽景华庭, 朝晖9区, 物流园区2期 (负1层: a floor)
AFTER_NUMBER = (r"(?P<compound>(?:" + _NAME + "|" + GRAMMAR["compound"]["numbered"] + r")+)?(?:[A-Z]?\d+号\D{0,2})?"
                r"(?:(?P<building>" + BUILDING_CODE + r")幢)?(?:(?P<unit>" + UNIT_CODE + r")单元)?" + FLOOR_ROOM)
# the door number is the first N号 right after a road or lane (宁穿路3012号诺富特酒店74号: 3012), else the last
# N号 (七号桥市场路南区37号: 37, not 7); the head ends where the number starts
_DOOR_NUMBER = r"(?P<number>\d+(?:-\d+)?)"
_DOOR_SUFFIX = r"(?:(?P<suffix>附\d+|之(?:\d+|[一二三四五六七八九十]+))号?)?"      # 488号附1(号), 12号之一
DOOR = _DOOR_NUMBER + "号" + _DOOR_SUFFIX
ROAD_NUMBERED = r"^(?P<head>.*?(?:" + ROAD + "))" + DOOR + AFTER_NUMBER
# the same where a number is part of the compound's name (瀛海19城2号楼, 光谷188国际社区12栋, 华友第1城3号楼): only
# with a building after the name, so that a room after a name stays a room (运鑫公寓531电联)
_NAME_WITH_NUMBER = r"[^\d]*[^\dA-Z](?:\d+[^\d\-幢单元层室号区期至A-Z()][^\d]*?)+"
ROAD_NUMBERED_NAME = r"^(?P<head>.*?(?:" + ROAD + "))" + DOOR + r"(?P<compound>" + _NAME_WITH_NUMBER + ")" + BUILDING_ON
NUMBERED = r"^(?P<head>.*[^\d\-附之、])?" + DOOR + AFTER_NUMBER
# no door number: the place before the building is its compound (和睦新村12幢3单元502室, 汀州花苑南区13幢)
COMPOUNDED = r"^(?P<head>)(?P<compound>.*?\D)(?P<number>)(?P<suffix>)" + BUILDING_ON
# no door number, no building: a unit of a place (嘉华大厦5单元892, 香港城6区10单元)
UNITED = r"^(?P<head>)(?P<compound>.*?\D)(?P<number>)(?P<suffix>)(?P<building>)(?P<unit>" + UNIT_CODE + r")单元" + FLOOR_ROOM
# no door number, no building: a floor of a place (新坯布市场7层)
FLOORED = r"^(?P<head>)(?P<compound>.*?\D)(?P<number>)(?P<suffix>)(?P<building>)(?P<unit>)(?P<floor>" + FLOOR_CODE + r")层" + ROOM
# no door number, building, unit or floor: a room of a place (宝汇大厦757室, 长飞小区828: after a compound
# word, three to five digits are a room)
ROOMED = r"^(?P<head>)(?P<compound>.*?\D)(?P<number>)(?P<suffix>)(?P<building>)(?P<unit>)(?P<floor>)(?P<room>" + ROOM_CODE + ")室"
BARE_ROOM = (r"^(?P<head>)(?P<compound>.*?(?:" + COMPOUND + "|" + "|".join(GRAMMAR["compound"]["single_buildings"])
             + r"))(?P<number>)(?P<suffix>)(?P<building>)(?P<unit>)(?P<floor>)(?P<room>[A-Z]{0,2}\d{3,5}[A-Z]?)"
             r"(?P<tail>(?:[^\d\-].*)?)$")
# the same after any name that is no road, lane or village (颐高数码3341, 新光国际9750: a building's own name; five
# digits there are mostly a building and room run together, 观府国际12118, and no room)
NAMED_ROOM = (r"^(?P<head>)(?P<compound>.*\p{Han}[^\P{Han}路街巷弄道村组号])(?P<number>)(?P<suffix>)(?P<building>)(?P<unit>)"
              r"(?P<floor>)(?P<room>[A-Z]{0,2}\d{3,4}[A-Z]?)$")
# only a name: the whole address is a compound or a building's own name (小河大厦, 和睦新村: an alias)
NAMED = (r"^(?P<head>)(?P<compound>.*?\D(?:" + COMPOUND + r"))(?P<number>)(?P<suffix>)(?P<building>)(?P<unit>)"
         r"(?P<floor>)(?P<room>)$")
# a name and what follows it (彩虹城邻家超市, 金碧园小区侧门, 龙西城小区1812602: numbers no form reads): the part
# after its last compound word becomes a note
NAMED_THEN = (r"^(?P<head>)(?P<compound>.*?\D(?:" + COMPOUND + r").*)(?P<number>)(?P<suffix>)(?P<building>)(?P<unit>)"
              r"(?P<floor>)(?P<room>)$")
# only a road or village (杭州市拱墅区小河路, 新塘街道新塘村3组): the head, no house in it
HEAD_ONLY = (r"^(?P<head>.*\D(?:" + ROAD + r"|村(?:\d+组)?))(?P<number>)(?P<suffix>)(?P<compound>)(?P<building>)"
             r"(?P<unit>)(?P<floor>)(?P<room>)$")
NOTE = r"[\(\[【](?P<note>[^\)\]】]*)[\)\]】]"
# a place beside a house written after its address (小河路12号对面, 和睦新村12幢东侧, 12号(往南100米), 旁边的空地,
# 旁边垃圾桶: what is there, two characters or more, 旁门 being the house's), or a place at it (门口, 楼下: the
# house's, a note): the address before it, and the phrase (addresses.toml [beside])
_BESIDE_WORDS = "|".join(GRAMMAR["beside"]["words"])
_AT_WORDS = "|".join(GRAMMAR["beside"]["at"])
BESIDE = (rf"^(?P<place>(?:[^(]|\([^()]*\))*(?:[\d号幢元室层楼门口A-Z]|之[一二三四五六七八九十]+|{COMPOUND}))"
          rf"(?:(?P<beside>\((?:{_BESIDE_WORDS}|{GRAMMAR['beside']['sides']})?约?\d+米处?\)"
          rf"|(?:{_BESIDE_WORDS})(?:的[^\d()]*|(?P<what>[^\d()A-Z]{{2,}}))?|(?:{GRAMMAR['beside']['sides']})处?)"
          rf"|(?P<at>{_AT_WORDS}))$")
BESIDE_CANDIDATE = rf"{_BESIDE_WORDS}|[东南西北](?:方向|侧|面|角|边)|[以向往正][东南西北]|米处?\)$|(?:{_AT_WORDS})$"
# 新塘村3组 (the head of a village address, its group as the grammar rewrote it; 和睦新村 is a compound)
# a village, or a community addressed as the village it was (新塘社区3组12号, 新塘社区12号)
VILLAGE = r"^(?P<village>.*?(?:(?<!新)村|社区))(?:(?P<group>\d+)组)?$"
# a village and a hamlet of it (自然村) where a group would be: 新桥村张头104号, 瑞阳村章底自然村1281号
HAMLET = re.compile(r"^(?P<village>.*?(?:(?<!新)村|社区))(?P<hamlet>[\u4e00-\u9fff]{1,4}?)(?:自然村)?$")
PART_NAMES = ("head", "number", "suffix", "compound", "building", "unit", "floor", "room", "tail")
# a compound after its road or village (万塘路古荡湾新村, 江三村长江小区, 万源路与市府路交叉口温州大公馆): the
# place before, and a name of two characters or more before the compound word
_HALL = "|".join(w for w in GRAMMAR["compound"]["single_buildings"] if len(w) > 1)     # 聚丰市场, not 区
_ZONE = "|".join(GRAMMAR["compound"]["zones"])
_PLACE = f"{ROAD}|{_ZONE}|(?<!新)村|街道|(?<!古)镇|(?<!水)乡"
# after the road: its section (北段), a junction with another (与…交叉口, 交汇处) and a corner of it (交叉口东北), a
# side and a distance from the road (以东200米; from anything else a distance is a note by then)
_JUNCTION = "|".join(GRAMMAR["compound"]["junctions"])
# a crossing of roads (小河路与长征桥路交叉口, 小河路长征桥路口): a place, no house
JUNCTION = rf"(?:{_JUNCTION}|[路街道]口)"
ROAD_THEN_COMPOUND = re.compile(rf"^(?P<road>(?:.+(?:{_PLACE})|{_ZONE})(?!道)(?:[东南西北中]段)?(?:与.+?(?:{_PLACE}))?"
                                rf"(?:(?:{_JUNCTION})(?:[东西][南北][侧面角]?)?|路?口)?(?:以[东南西北]{{1,2}}[侧面]?|[往向]?[东南西北]{{1,2}}"
                                rf"(?:方向|[侧面角行]|(?=约?\d+米)))?(?:约?\d+米处?)?)"
                                rf"(?P<compound>\D{{2,}}?(?:\d+[区期]\D*?)?(?:{COMPOUND}|{_HALL}))$")
# an institution is named after the province, city, county or town before it (藤桥镇人民政府; 长春路中心幼儿园 is a
# road's), as the administrative prefix keeps it (admin_prefix: not a community's)
TOWN_END = re.compile("(?:" + "|".join(s for level in GRAMMAR["admin"][:COMMUNITY] for s in level["suffixes"]) + ")$")
# a letter glued to a compound is a building (泰嘉园K幢1412: K; 研发园A3幢: A3), what follows it a note (B栋地下室)
LETTER_BUILDING = re.compile(rf"^(?P<compound>.*?)(?P<building>[A-Z])幢(?P<after>\D*)$"
                             rf"|^(?P<named>.*{COMPOUND})(?P<letter>[A-Z])$")
ENDS_IN_COMPOUND = re.compile(f"{COMPOUND}$")
# a building named in what no form read (华东汽配水暖城36幢华东汽配水暖城-49幢2018: 49; not in a note in brackets), RE2
SECOND_BUILDING = r"(?:^|[^\dA-Z])0*(?P<building>[A-Z]?\d+[A-Z]?)幢"
COMPOUND_NAME = re.compile(rf"[\u4e00-\u9fff]{{2,}}(?:{COMPOUND})")      # a name and its compound word, nothing else
# (no side after 城: 金华城北 is the north of the town)
COMPOUND_THEN_NUMBER = re.compile(rf"\D\D(?:{COMPOUND})(?!(?<=城)[东南西北中])(?:(?![路街巷弄道村组号])[\u4e00-\u9fff]){{0,3}}$")
ENDS_IN_ROAD = re.compile(f"(?:{ROAD})$")
NAMES_A_PLACE = re.compile(rf"(?:{COMPOUND}|{_HALL})$")
PLACE_WORD = f"{COMPOUND}|{_HALL}|{ROAD}"        # RE2: a word that names a place of its own
# a compound before the road and door number (高地工业园东湖南路1072号), or right before the number
# (not an administrative name's or a district's: 鹿城区绣山路 is no 鹿城 + 区绣山路, 城北新街 one road)
HEAD_COMPOUND = re.compile(rf"^(?P<compound>.*\D\D(?:{COMPOUND}))"
                           rf"(?P<road>(?![区县市镇乡村]|街道|开发区|工业区|(?<=城)[东南西北中])[\u4e00-\u9fff\d]{{2,}}?"
                           rf"(?:{ROAD})|\d+[巷街弄]|[A-Z]?\d*[A-Z]?区)?$")
# what follows a compound's name that is no part of it (梦琴湾幼儿园谢某某, 银沙商贸城南数控刀具): a note
AFTER_COMPOUND = re.compile(rf"^(?P<compound>.*\D\D(?:{COMPOUND}))(?P<rest>.+)$")
# a lane inside a compound (南雅新村38弄62号楼): the compound is the name before it, the lane a note
LANE_IN_COMPOUND = re.compile(rf"^(?P<compound>.*\D{COMPOUND})(?P<lane>\d+[弄巷])$")
# where a compound lies, written before its name: a junction and a side of it, a side of a road, nearness, inside
# or outside a ring road (六环以内, and 三环到四环之间 after the ring road read as a road)
POSITION = re.compile(rf"^(?:(?:{_JUNCTION})(?:[东南西北]{{1,2}}(?:方向|侧|面|角)?)?|(?:以|向|往|正)?[东南西北]{{1,2}}"
                      rf"(?:方向|侧|面|角)|路[东南西北]|[一二三四五六七内外]环以?[内外]|{'|'.join(GRAMMAR['compound']['near'])})+")


def chinese_number(text: str) -> int:
    """三 → 3, 十二 → 12, 二十五 → 25, 一百零八 → 108, 三零一 → 301 (digit by digit), 叁佰伍拾陆 → 356."""
    text = text.translate(FORMAL_NUMERALS)
    if "十" not in text and "百" not in text:
        return int("".join(str(NUMERAL_VALUES[c]) for c in text))
    total, current = 0, 0
    for char in text:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = NUMERAL_VALUES[char]
    return total + current


def normalise(addresses) -> pa.Array:
    """Half-width, simplified characters, digits for numerals, 幢 for every building word, then the grammar's
    rewrites in order (resources/addresses.toml): the forms people write brought to one."""
    text = pc.utf8_normalize(_one_array(addresses), "NFKC")
    text = _rewrite_rows(text, _not_plain(), _plain_characters)
    text = pc.utf8_upper(text)                   # a座 and A座 are one building
    text = _rewrite_rows(text, NUMERAL_BEFORE_UNIT, lambda value: NUMERAL_AFTER_BUILDING.sub(
        _numeral_as_digits, NUMERAL_RUN.sub(_numeral_as_digits, value)))
    text = _rewrite_rows(text, NUMBERED_ROAD_CANDIDATE, lambda value: NUMBERED_ROAD.sub(_in_numerals, value))
    for word, door, replacement in (("弄", "lane_door", r"\1\2号"), ("#", "road_door", r"\1号\2")):
        written = pc.fill_null(pc.match_substring(text, word), False)       # a plain search first: few rows have it
        if pc.any(written).as_py():
            text = pc.replace_with_mask(text, written, pc.replace_substring_regex(
                text.filter(written), GRAMMAR["building"][door], replacement))
    text = pc.replace_substring_regex(text, BUILDING_WORD, r"\1幢")
    text = _rewrite_rows(text, TWO_BUILDINGS, lambda value: WRITTEN_TWICE.sub(r"\1(\2)", value))
    # most addresses need no rewrite: a pass of a few unions finds the few that do, and only those are rewritten (a row no
    # rewrite matches at first is never changed by one, so the order of the rewrites still holds); a rewrite
    # that matches none of them is passed over (a match costs two thirds of a replace)
    needs = functools.reduce(pc.or_, (pc.fill_null(pc.match_substring_regex(text, union), False) for union in ANY_REWRITE))
    if not pc.any(needs).as_py():
        return text
    some = _rewrite_rows(text.filter(needs), FLOOR_SPAN_CANDIDATE, lambda value: FLOOR_SPAN.sub(_floor_span, value))
    some = _rewrite_rows(some, SPAN_CANDIDATE, lambda value: SPAN.sub(_span, value))
    for pattern, replacement in REWRITES:
        if pc.any(pc.match_substring_regex(some, pattern)).as_py():
            some = pc.replace_substring_regex(some, pattern, replacement)
    return pc.replace_with_mask(text, needs, some)


def _rewrite_rows(text: pa.Array, candidate: str, rewrite) -> pa.Array:
    """``rewrite`` (Python, for what RE2 cannot say) on the few rows the RE2 pattern ``candidate`` finds."""
    found = pc.fill_null(pc.match_substring_regex(text, candidate), False)
    if not pc.any(found).as_py():
        return text
    rows = pc.indices_nonzero(found)
    return pc.replace_with_mask(text, found, pa.array([rewrite(v) for v in text.take(rows).to_pylist()],
                                                      type=pa.string()))


@functools.cache
def _not_plain() -> str:
    """An RE2 class of the characters ``_plain_characters`` changes a row for (built at the first address read, as
    OpenCC is loaded then)."""
    return f"[{GRAMMAR['characters']['invisible']}{GRAMMAR['characters']['dashes']}{traditional_characters()}]"


def _plain_characters(value: str) -> str:
    """小河路\u200b356號13‐2‐1102 → 小河路356号13-2-1102: nothing invisible, one hyphen, simplified characters."""
    value = value.translate(PLAIN)
    return simplified(value) if any(character in traditional_characters() for character in value) else value


def _in_numerals(match: re.Match) -> str:
    """4 → 四, 12 → 十二, 20 → 二十, 24 → 二十四: a road's number as its name is written."""
    tens, ones = divmod(int(match.group(1)), 10)
    digits = "〇一二三四五六七八九"
    return ((digits[tens] if tens > 1 else "") + "十" if tens else "") + (digits[ones] if ones or not tens else "")


def _numeral_as_digits(match: re.Match) -> str:
    """三 → 3 before its unit word; after a number or letter with a hyphen, so the two stay two numbers
    (东方俊园55五单元 → 55-5单元, 石源路920-14八楼 → 920-14-8楼, not 148楼). One formal numeral before 号 or 区 is
    a name's (壹号公馆, 沙河壹号, 玖号公寓, 黄石市下陆区), but for a door number after its road, village or group (锦带弄陆号,
    新塘村壹组壹号); more formal numerals are a number (叁佰伍拾陆号)."""
    before = match.string[match.start() - 1:match.start()]
    door = match.group(2) == "号" and before and before in "路街巷弄道村组"
    if len(match.group(1)) == 1 and match.group(1) in FORMAL_NUMERALS_WRITTEN and match.group(2)[0] in "号区" and not door:
        return match.group(0)
    glued = match.start() > 0 and match.string[match.start() - 1].isascii() and \
        match.string[match.start() - 1].isalnum()
    return ("-" if glued else "") + str(chinese_number(match.group(1)))


def _floor_span(match: re.Match) -> str:
    """1-3层, 1到3层, 一至三层, 1、2层 → 1至3层, 1至2层: a span of floors where the second is the higher (13-3楼 is
    building 13, floor 3)."""
    first = int(match.group(1)) if match.group(1).isdigit() else chinese_number(match.group(1))
    return f"{first}至{match.group(2)}" if first < int(match.group(2)) else match.group(0)


def _span(match: re.Match) -> str:
    """807-811 → 807至811 where it is a span of rooms (one length, the second larger by a few; two digits only
    where a floor, building, area or letter comes before), else as written."""
    first, last, before = match.group(1), match.group(2), match.string[max(match.start() - 1, 0)]
    short_fits = len(first) > 2 or before in GRAMMAR["span"]["two_digits_after"] or "A" <= before <= "Z"
    if len(first) == len(last) and 0 < int(last) - int(first) <= GRAMMAR["span"]["max_gap"] and short_fits:
        return f"{first}至{last}"
    return match.group(0)


def _one_array(values) -> pa.Array:
    """Arrow strings in one piece: pandas' Arrow-backed text comes as a chunked array once it is large (a
    mask made from chunks cannot index a whole array), and as large strings, which replace_with_mask lacks; a
    value that is no text (a spreadsheet's number in an address column) as its text."""
    array = values if isinstance(values, (pa.Array, pa.ChunkedArray)) else _as_text(values)
    array = array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
    return array.cast(pa.string()) if pa.types.is_large_string(array.type) else array


def _as_text(values) -> pa.Array:
    try:
        return pa.array(values, type=pa.string(), from_pandas=True)
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        values = pd.Series(values, dtype=object)
        return pa.array(values.where(values.isna() | values.map(lambda value: isinstance(value, str)), values.astype(str)),
                        type=pa.string(), from_pandas=True)


def trimmed(addresses: pd.Series) -> pa.Array:
    """Addresses as Arrow strings without surrounding spaces; empty ones as nulls."""
    text = pc.utf8_trim_whitespace(_one_array(addresses))
    return pc.if_else(pc.equal(text, ""), None, text)


def door_numbers(number: pa.Array, suffix: pa.Array) -> pa.Array:
    """The door number a house is known by, its suffix kept: 12号附1 → 12附1, 12号之一 → 12之1 (another house
    than 12号); null where there is no number."""
    if pc.all(pc.is_null(suffix)).as_py():
        return number
    distinct = pc.unique(suffix.drop_null())
    as_read = pa.array([re.sub(r"[一二三四五六七八九十]+", lambda m: str(chinese_number(m.group(0))), value)
                        for value in distinct.to_pylist()], type=pa.string())
    return pc.binary_join_element_wise(number, pc.fill_null(pc.take(as_read, pc.index_in(suffix, value_set=distinct)),
                                                            ""), "")


def parse_arrow(text: pa.Array) -> dict:
    """name → Arrow string array (null where absent) of head, number, suffix, compound, building, unit, floor,
    room, note, beside and rest (what follows the parts and no form read, also in the note): the door-numbered
    form first, else compound and building."""
    normal, beside = _beside(normalise(text))
    normal, notes = _bracket_notes(normal)
    parts = _first_form(normal, FORMS)
    fields = {name: pc.if_else(pc.or_kleene(pc.is_null(field), pc.equal(field, "")), None, field)
              for name, field in parts.items()}
    fields["rest"] = fields.pop("tail")
    fields["note"] = _joined(notes, fields["rest"])
    fields["beside"] = beside
    for name in ("floor", "room"):          # a span as people write it
        fields[name] = pc.replace_substring(fields[name], "至", "-")
    fields["floor"] = pc.replace_substring(fields["floor"], "负", "B")      # below ground, as lifts and plans write it
    for name in ("number", "building", "unit"):      # zeros that fill an export's field: 012号, 04幢 (rooms: 0502)
        if pc.any(pc.starts_with(fields[name], "0")).as_py():
            fields[name] = pc.replace_substring_regex(fields[name], r"^0+(\d)", r"\1")
    # a building by its letter or side right after the door number (22号A座, 24号东楼) is read as a name by the
    # form: a building
    letter = pc.struct_field(pc.extract_regex(fields["compound"], rf"^(?P<letter>[A-Z]|{SIDE})幢$"), "letter")
    lettered = pc.fill_null(pc.and_(pc.is_valid(letter), pc.is_null(fields["building"])), False)
    fields["building"] = pc.if_else(lettered, letter, fields["building"])
    fields["compound"] = pc.if_else(lettered, pa.scalar(None, pa.string()), fields["compound"])
    return fields


def _with_tail(form: str) -> str:
    """A form that also keeps what follows the parts it reads (``tail``: 7层仓库 → 仓库, 4幢6层A座3535室 → A座3535室),
    so that nothing written is lost: it joins the note, after what is in brackets."""
    if "(?P<tail>" in form:
        return form
    return form[:-1] + "(?P<tail>)$" if form.endswith("$") else form + "(?P<tail>.*)$"


FORMS = tuple(_with_tail(form) for form in (ROAD_NUMBERED_NAME, ROAD_NUMBERED, NUMBERED, COMPOUNDED, UNITED, FLOORED,
                                               ROOMED, BARE_ROOM, NAMED_ROOM, NAMED, NAMED_THEN, HEAD_ONLY))


def _beside(text: pa.Array) -> tuple:
    """(the addresses without a place beside the house written after them, that place or null): 小河路12号对面 →
    小河路12号 and 对面, 12号旁边垃圾桶 → 12号 and 旁边垃圾桶; none where a compound, hall or road follows the word
    (12号附近聚景园 is 聚景园).  A place at the house (12号A座门口) becomes a note: 12号A座(门口)."""
    found = pc.fill_null(pc.match_substring_regex(text, BESIDE_CANDIDATE), False)
    if not pc.any(found).as_py():
        return text, pa.nulls(len(text), pa.string())
    some = text.filter(found)
    parts = pc.extract_regex(some, BESIDE)
    place, beside, at, what = (pc.struct_field(parts, name) for name in ("place", "beside", "at", "what"))
    # a compound (12号附近聚景园), a hall or market (附近荣安广场) or a road named right after the word is the place
    named = pc.or_kleene(pc.match_substring_regex(beside, COMPOUND), pc.match_substring_regex(what, PLACE_WORD))
    beside = pc.if_else(pc.or_kleene(pc.equal(beside, ""), named), None, beside)
    at_house = pc.binary_join_element_wise(place, "(", at, ")", "")
    kept = pc.if_else(pc.is_valid(beside), place, pc.if_else(pc.fill_null(pc.not_equal(at, ""), False), at_house, some))
    return pc.replace_with_mask(text, found, pc.coalesce(kept, some)), \
        pc.replace_with_mask(pa.nulls(len(text), pa.string()), found, pc.utf8_trim(beside, "()"))


def _bracket_notes(text: pa.Array) -> tuple:
    """(the addresses without what they write in brackets, all of it as their note: 12号(东门)(电联) → 东门 电联)."""
    found = pc.fill_null(pc.match_substring_regex(text, NOTE), False)
    if not pc.any(found).as_py():
        return text, pa.nulls(len(text), pa.string())
    some, notes = text.filter(found), pa.nulls(pc.sum(found).as_py(), pa.string())     # the few rows with brackets
    while pc.any(pc.fill_null(pc.match_substring_regex(some, NOTE), False)).as_py():
        notes = _joined(notes, pc.struct_field(pc.extract_regex(some, f".*?{NOTE}"), "note"))
        some = pc.replace_substring_regex(some, NOTE, "", max_replacements=1)
    return pc.replace_with_mask(text, found, some), \
        pc.replace_with_mask(pa.nulls(len(text), pa.string()), found, notes)


def _joined(first: pa.Array, then: pa.Array) -> pa.Array:
    """Two notes as one, a space between where both are written; null where neither is."""
    first, then = (pc.if_else(pc.equal(note, ""), None, note) for note in (first, then))
    return pc.coalesce(pc.binary_join_element_wise(first, then, " "), first, then)


def _first_form(text: pa.Array, forms) -> dict:
    """name → the part by the first form that reads each address; each later form tries only what is left."""
    parts = pc.extract_regex(text, forms[0])
    read = {name: pc.struct_field(parts, name) for name in PART_NAMES}
    left = pc.is_null(parts)
    if len(forms) == 1 or not pc.any(left).as_py():
        return read
    rest = _first_form(text.filter(left), forms[1:])
    return {name: pc.replace_with_mask(read[name], left, rest[name]) for name in PART_NAMES}


def parse(addresses: pd.Series) -> pd.DataFrame:
    """The parts of each address (None where absent): head (prefix and road), number, suffix, compound,
    building, unit, floor, room, note."""
    fields = parse_arrow(_one_array(addresses))
    frame = pd.DataFrame({name: pd.Series(array.to_numpy(zero_copy_only=False), dtype=object)
                          for name, array in fields.items() if name != "rest"})         # by position: labels may repeat
    # a compound before the door number, no road (江北区奥林花园24号), or a word for a part of it between
    # (同心苑商铺91号, 五一小区北区847号: a note): the number is one within it
    headed = frame["head"].str.contains(COMPOUND_THEN_NUMBER, na=False) & frame["compound"].isna()
    frame.loc[headed, ["compound", "head"]] = frame.loc[headed, ["head", "compound"]].to_numpy()
    _numbered_compound(frame)
    _compound_before_the_number(frame)
    _compound_in_the_note(frame)
    named = frame["compound"].dropna()
    if len(named):      # each distinct compound once: a street's million records name a few thousand
        codes, distinct = pd.MultiIndex.from_arrays([named, frame.loc[named.index, "head"].isna()]).factorize()
        each = [compound_parts(name, front) for name, front in distinct]
        parts = [each[code] for code in codes]
        rows = named.index
        frame.loc[rows, "compound"] = [p.compound for p in parts]
        frame.loc[rows, "head"] = frame.loc[rows, "head"].where(frame.loc[rows, "head"].notna(), [p.place for p in parts])
        frame.loc[rows, "building"] = [p.building(b) for p, b in zip(parts, frame.loc[rows, "building"])]
        frame.loc[rows, "note"] = _noted(pd.Series([p.rest for p in parts], index=rows, dtype=object),
                                         frame.loc[rows, "note"])
    frame.index = addresses.index
    return frame


def _numbered_compound(frame: pd.DataFrame):
    """A compound named with a number (公园一号小区, 李村镇8号小区, 羊山二号公馆): where only a compound word follows
    a door number that follows no road (南环路108号小区: a door number), the number is part of the compound's
    name, the place before it the rest of that name."""
    bare = frame["compound"].isin(COMPOUND_WORDS) & frame["suffix"].isna() & \
        frame["head"].str.contains(r"\D$", na=False) & ~frame["head"].str.contains(ENDS_IN_ROAD, na=False) & \
        frame["number"].str.fullmatch(r"\d+", na=False)
    rows = frame.index[bare]
    frame.loc[rows, "compound"] = frame.loc[rows, "head"] + frame.loc[rows, "number"] + "号" + \
        frame.loc[rows, "compound"]
    frame.loc[rows, ["head", "number"]] = None


def _compound_before_the_number(frame: pd.DataFrame):
    """A compound written before the door number (and its road), where after the number comes no place, only a
    shop's name or a remark (高地工业园东湖南路1072号奥玛尔, 江桥路景南新村122号电联), or only a phase or area of
    it (和泰馨城166号1期4号楼): the compound is the one before (with its phase), the head its road, what follows
    a note."""
    after = frame["compound"]
    letter = after.str.extract(r"^([A-Z]\d*)幢$")[0]          # 35号B座: a building, no name
    phase = after.where(after.str.fullmatch(GRAMMAR["compound"]["numbered"], na=False))
    remark = ~after.str.contains(NAMES_A_PLACE, na=False) & ~after.str.contains("幢", na=False)
    only_remark = frame["number"].notna() & frame["head"].notna() & \
        (after.isna() | letter.notna() | phase.notna() | remark)
    heads = frame.loc[only_remark, "head"].map(strip_admin_prefix)
    split = heads.str.extract(HEAD_COMPOUND).dropna(subset=["compound"])
    rows = split.index
    frame.loc[rows, "building"] = frame.loc[rows, "building"].where(letter[rows].isna(), letter[rows])
    note = after[rows].where(letter[rows].isna() & phase[rows].isna())
    frame.loc[rows, "note"] = _noted(note, frame.loc[rows, "note"])
    frame.loc[rows, "compound"] = [name + (ph if isinstance(ph, str) else "")
                                   for name, ph in zip(split["compound"], phase[rows])]
    frame.loc[rows, "head"] = split["road"]


def _noted(first: pd.Series, then: pd.Series) -> pd.Series:
    """Notes written one after the other, neither lost (a shop's name after the compound, then a remark)."""
    both = first.notna() & then.notna()
    return first.where(first.notna(), then).where(~both, first + " " + then)


def _compound_in_the_note(frame: pd.DataFrame):
    """A compound named only in brackets or after the rest (林和东路147号904室(紫荆小区), 包头路1150弄30号604城市名园):
    where the address names no other, the note that is a compound's name alone is the compound."""
    named = frame["compound"].isna() & frame["note"].str.fullmatch(COMPOUND_NAME, na=False)
    frame.loc[named, ["compound", "note"]] = frame.loc[named, ["note", "compound"]].to_numpy()


class CompoundParts(NamedTuple):
    place: str | None        # the road or village before it (万塘路古荡湾新村: 万塘路)
    compound: str | None
    letter: str | None       # a building by its letter (泰嘉园K幢: K), where no other is written
    glued: str | None        # a letter glued on, the start of the building's number (研发园A3幢: A3)
    rest: str | None         # what follows the name and is no part of it: a note

    def building(self, written):
        """The building, from the one written after the compound and the letters glued to it."""
        if self.glued:
            return self.glued + (written if isinstance(written, str) else "")
        return written if isinstance(written, str) else self.letter


@functools.lru_cache(maxsize=1 << 16)
def compound_parts(compound: str, front: bool = True) -> CompoundParts:
    """A compound as the forms read it, in parts: 浙江省杭州市万塘路古荡湾新村 → 万塘路 + 古荡湾新村; 泰嘉园K幢 →
    泰嘉园, building K; 银沙商贸城南数控刀具 → 银沙商贸城, a note 南数控刀具.  ``front``: the compound begins the
    address (金华义乌通汇新村 → 通汇新村), rather than following a door number (温岭鞋业大厦 is one name)."""
    compound, place, letter, glued, rest = strip_admin_prefix(compound, bare=front), None, None, None, None
    if match := LETTER_BUILDING.match(compound):
        compound = match.group("compound") or match.group("named") or None
        letter, glued, rest = match.group("building"), match.group("letter"), match.group("after") or None
    if compound and not ENDS_IN_COMPOUND.search(compound) and (match := AFTER_COMPOUND.match(compound)):
        compound, rest = match.group("compound"), match.group("rest") + (rest or "")
    if compound and compound[-1].isdigit():       # 观府国际12118: numbers after no compound word, no name
        compound, rest = None, compound + (rest or "")
    elif compound and len(compound) == 1:       # 105号院, 11号门: one character names no place; 940号? no note
        compound, rest = None, (compound if compound.isalnum() else "") + (rest or "") or None
    if compound and (match := ROAD_THEN_COMPOUND.match(compound)) and not (
            INSTITUTION_FIRST.match(match.group("compound")) and TOWN_END.search(match.group("road"))):
        place, compound = match.group("road"), match.group("compound")      # (藤桥镇人民政府 is one name)
    if compound and (match := LANE_IN_COMPOUND.match(compound)):
        compound, rest = match.group("compound"), match.group("lane") + (rest or "")
    if compound and (match := POSITION.match(compound)) and len(compound) - match.end() > 2:
        compound, rest = compound[match.end():], match.group(0) + (rest or "")
    if compound and len(compound) % 2 == 0 and compound[:len(compound) // 2] * 2 == compound:
        compound = compound[:len(compound) // 2]        # 紫金文苑紫金文苑: written twice
    return CompoundParts(place, compound, letter, glued, rest)


def components(addresses: pd.Series) -> pd.DataFrame:
    """The parts a planner cleans an export into: road (or lane), door number, compound, building, unit,
    floor, room, village, group and hamlet (新桥村张头104号: a hamlet where the group would be), the note in
    brackets, and a place beside the house (对面, 东侧50米)."""
    parsed = parse(addresses)
    road = parsed["head"].map(lambda h: strip_admin_prefix(h) if isinstance(h, str) else None)
    village = villages_of(road)
    number = _door_number_column(parsed)
    frame = pd.DataFrame({"road": road.where(village["village"].isna()), "number": number,
                         "compound": parsed["compound"], "building": parsed["building"], "unit": parsed["unit"],
                         "floor": parsed["floor"], "room": parsed["room"], "village": village["village"],
                         "group": village["group"], "hamlet": village["hamlet"], "note": parsed["note"],
                         "beside": parsed["beside"]}, index=addresses.index).astype(object)
    return frame.where(frame.notna(), None)


def components_summary(addresses: pd.Series, parts: pd.DataFrame) -> list[str]:
    """What a cleaning run found, in English and Chinese: the share of addresses each part was read in, and how
    many written addresses name neither a door number nor a compound (those find no house by address)."""
    found = parts.notna().mean().fillna(0.0)      # an empty input finds no part
    lines = ["parts found 拆出比例: " + ", ".join(f"{name} {share:.0%}" for name, share in found.items())]
    written = addresses.astype("string").str.strip().fillna("") != ""
    houseless = int((written & parts["number"].isna() & parts["compound"].isna()).sum())
    if houseless:
        lines.append(f"{houseless:,} of {int(written.sum()):,} written addresses name neither a door number nor a "
                     f"compound: no house can be found by them · {houseless:,} 条地址既无门牌号也无小区，无法按地址找到房屋")
    return lines


def _door_number_column(parsed: pd.DataFrame) -> pd.Series:
    """``door_numbers`` of a parsed frame."""
    text = {name: pa.array(parsed[name], type=pa.string(), from_pandas=True) for name in ("number", "suffix")}
    return pd.Series(door_numbers(text["number"], text["suffix"]).to_numpy(zero_copy_only=False), index=parsed.index,
                     dtype=object)


def village_of(head: str) -> tuple | None:
    """(village, group or None) when an address head is a village's (新塘街道新塘村3组 → 新塘村, 3)."""
    match = re.match(VILLAGE, strip_admin_prefix(head)) if head else None
    return (match.group("village"), match.group("group")) if match else None


def village_of_hamlet(head: str) -> tuple | None:
    """(village, hamlet) when an address head names a hamlet of the village where the group would be (新桥村张头 →
    新桥村, 张头)."""
    match = HAMLET.match(strip_admin_prefix(head)) if head else None
    return (match.group("village"), match.group("hamlet")) if match else None


def villages_of(heads: pd.Series) -> pd.DataFrame:
    """village, group and hamlet of address heads (admin prefix stripped): 新塘村3组 → 新塘村, 3; 新桥村张头 and
    新桥村张头自然村 → 新桥村, hamlet 张头; none for a road."""
    village, hamlet = heads.str.extract(VILLAGE).astype(object), heads.str.extract(HAMLET.pattern).astype(object)
    by_hamlet = hamlet["village"].notna() & (village["village"].isna() | heads.str.endswith("自然村"))
    return pd.DataFrame({"village": hamlet["village"].where(by_hamlet, village["village"]), "group": village["group"],
                         "hamlet": hamlet["hamlet"].where(by_hamlet, None)}, index=heads.index)


HOUSE_DOOR = f"^0*{_DOOR_NUMBER}号?{_DOOR_SUFFIX}$"      # a house's door-number field: 12, 12号, 012, 12号附1
# and its building field: 3, 3幢, 东楼, 中间栋 (a 楼 after a number is a floor)
HOUSE_BUILDING = rf"^0*(?P<building>{BUILDING_CODE})(?:幢|(?<={SIDE})间?[楼栋座])?$"


def house_keys(houses: pd.DataFrame) -> pd.DataFrame:
    """road, number, building, compound, village, group and hamlet of each house: from its fields where it has
    them, else its address."""
    parsed = parse(houses["address"])
    parsed["number"] = _door_number_column(parsed)        # 12号附1 is a house of its own
    road = houses["road"] if "road" in houses else pd.Series(np.nan, index=houses.index)
    heads = parsed["head"].fillna("").map(strip_admin_prefix)
    parsed = parsed.join(villages_of(heads))
    # each field as records are read: 14号, ２０, 16号附1 → 14, 20, 16附1; 3号楼, 五栋, A座 → 3, 5, A; 朝晖九区 →
    # 朝晖9区; 三组 → 3
    readers = {"number": ("road_no", lambda v: _field_as_read(v, HOUSE_DOOR)),
               "building": ("building", lambda v: _field_as_read(v, HOUSE_BUILDING)),
               "compound": ("compound", _as_read), "village": ("village", _as_read), "group": ("group", _group_numbers)}
    given = {name: read(houses[column]) if column in houses else parsed[name]
             for name, (column, read) in readers.items()}
    road = _as_read(road).map(lambda r: strip_admin_prefix(r) if isinstance(r, str) else r)    # 拱墅区小河路: 小河路
    keys = pd.DataFrame({"road": road.where(road.notna(), heads).astype("string"),   # as records are read
                         **{name: values.astype("string") for name, values in given.items()}}, index=houses.index)
    for name in given:
        keys[name] = keys[name].fillna(parsed[name])
    keys["hamlet"] = parsed["hamlet"].astype("string")
    # plain None where a part is absent (most real houses have no 幢, many no 号): pd.NA has no truth value
    return keys.astype(object).where(keys.notna(), None)


def _field_as_read(values: pd.Series, pattern: str) -> pd.Series:
    """A house's door-number or building field as records are read (the door number with its suffix); a value
    the pattern does not read is kept as written."""
    text = _as_read(values.astype("string"))
    read = text.str.extract(pattern)
    value = _door_number_column(read) if "suffix" in read else read["building"]
    return value.where(value.notna(), text)


def _as_read(values: pd.Series) -> pd.Series:
    """A house's own field normalised as the parser reads records."""
    normal = normalise(values.where(values.notna(), None))
    return pd.Series(normal.to_numpy(zero_copy_only=False), index=values.index, dtype=object)


def _group_numbers(groups: pd.Series) -> pd.Series:
    """A group field as the parser reads groups: 3, 3组, 三组, 第三村民小组, 3队 → 3."""
    text = groups.astype("string").str.strip()
    worded = text.str.contains(r"[组队]$", na=False)
    written = ("甲村" + text.where(worded, text + "组")).where(text.notna() & (text != ""), None)
    return _as_read(written).str.extract(r"村(\d+)组$", expand=False)
