"""Synthetic identities: names, 18-digit ID-card numbers (valid check digit) and phones.

They look real so that privacy rules can be tested on them; they belong to nobody.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔汤")  # noqa: E501 (one list of names)
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国红文辉鹏飞宇浩然子涵欣怡梓轩思远雨晨嘉俊佳琪晓东海燕春梅志强立新")  # noqa: E501
ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
ID_CHECK = np.array(list("10X98765432"))
# Where floating population comes from: county codes of Anhui, Jiangxi, Henan, Sichuan, Guizhou.
HOME_REGIONS = ["341222", "341321", "362330", "411527", "412726", "511621", "522425", "421127"]
MAX_REDRAWS = 50
PHONE_PREFIXES = ["130", "131", "133", "135", "136", "137", "138", "139", "150", "151", "152",
                  "158", "159", "177", "180", "186", "187", "188", "189", "199"]


def names(n: int, rng) -> np.ndarray:
    surname = rng.choice(SURNAMES, n)
    first = rng.choice(GIVEN, n)
    second = np.where(rng.random(n) < 0.7, rng.choice(GIVEN, n), "")
    return np.char.add(np.char.add(surname, first), second)


def id_numbers(regions: np.ndarray, birth: np.ndarray, male: np.ndarray, rng) -> np.ndarray:
    """GB 11643 numbers: region, birth date, sequence (odd for men), ISO 7064 check digit."""
    n = len(regions)
    prefix = np.char.add(regions.astype(str), np.char.replace(np.datetime_as_string(birth, unit="D"), "-", ""))
    sequence = rng.integers(0, 500, n) * 2 + male.astype(int)
    body = np.char.add(prefix, np.char.zfill(sequence.astype(str), 3))
    for _ in range(MAX_REDRAWS):   # two people never share a number: draw again for the later ones
        clash = pd.Series(body).duplicated().to_numpy()
        if not clash.any():
            break
        sequence[clash] = rng.integers(0, 500, clash.sum()) * 2 + male[clash].astype(int)
        body = np.char.add(prefix, np.char.zfill(sequence.astype(str), 3))
    else:
        raise ValueError("more than 500 people of one sex born on one day in one county")
    digits = np.frombuffer("".join(body).encode("ascii"), dtype=np.uint8).reshape(n, 17) - ord("0")
    check = ID_CHECK[(digits * ID_WEIGHTS).sum(axis=1) % 11]
    return np.char.add(body, check)


def phones(n: int, rng) -> np.ndarray:
    tail = np.char.zfill(rng.integers(0, 10**8, n).astype(str), 8)
    return np.char.add(rng.choice(PHONE_PREFIXES, n), tail)
