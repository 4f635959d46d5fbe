"""The validation report: findings a program can read and a person can too."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from dataclasses import field as default

import pandas as pd

from ..resources import RESOURCES
from .toml import read_toml

CATALOGUE = read_toml(RESOURCES / "findings.toml")
MAX_EXAMPLES = 5          # named in the text report
MAX_LISTED = 1000         # kept for the JSON report and the result file's findings table


@dataclass
class Finding:
    code: str
    layer: str                 # layer kind: grids, houses, ...
    source: str = ""           # file (and layer inside it)
    field: str = ""
    count: int = 1
    detail: str = ""
    examples: list = default(default_factory=list)
    detail_zh: str = ""        # the detail in Chinese, where it is words rather than figures

    def __post_init__(self):
        if self.code not in CATALOGUE:
            raise KeyError(f"unknown finding code {self.code!r} (add it to findings.toml)")
        self.examples = [str(e) for e in list(self.examples)[:MAX_LISTED]]

    @property
    def severity(self) -> str:
        return CATALOGUE[self.code]["severity"]

    def message(self, lang: str = "en") -> str:
        detail = self.detail_zh if lang == "zh" and self.detail_zh else self.detail
        return CATALOGUE[self.code][lang].format(count=self.count, field=self.field, detail=detail)

    def text_lines(self) -> list:
        """The finding for a person: both languages, where, and the first few records it names."""
        lines = [f"{self.severity.upper():<7} [{self.layer}] {self.message('en')} ({self.code})",
                 f"        {self.message('zh')}"]
        where = " / ".join(p for p in (self.source, self.field) if p)
        if where:
            lines.append(f"        at: {where}")
        if self.examples:
            more = len(self.examples) - MAX_EXAMPLES
            lines.append(f"        e.g.: {', '.join(self.examples[:MAX_EXAMPLES])}"
                         + (f" (+{more} more, all in the result's findings table)" if more > 0 else ""))
        return lines

    def to_dict(self) -> dict:
        return {**asdict(self), "severity": self.severity,
                "message_en": self.message("en"), "message_zh": self.message("zh")}


@dataclass
class LayerSummary:
    layer: str
    source: str
    format: str
    features: int
    crs_in: str = ""
    encoding: str = ""
    fields: dict = default(default_factory=dict)   # canonical -> source column


@dataclass
class Report:
    findings: list = default(default_factory=list)
    layers: list = default(default_factory=list)
    crs: str = ""

    def add(self, code: str, layer: str, **kwargs) -> Finding:
        finding = Finding(code, layer, **kwargs)
        self.findings.append(finding)
        return finding

    @property
    def errors(self) -> list:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict:
        return {"ok": self.ok, "crs": self.crs,
                "errors": len(self.errors), "warnings": len(self.warnings),
                "layers": [asdict(s) for s in self.layers],
                "findings": [f.to_dict() for f in self.findings]}

    def table(self):
        """One row per finding, every record it names included: the result file's findings table."""
        return pd.DataFrame([{"severity": f.severity, "layer": f.layer, "code": f.code, "count": f.count,
                              "field": f.field, "source": f.source, "message_en": f.message("en"),
                              "message_zh": f.message("zh"), "records": ", ".join(f.examples)}
                             for f in self.findings],
                            columns=["severity", "layer", "code", "count", "field", "source", "message_en",
                                     "message_zh", "records"])

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_text(self) -> str:
        lines = [f"gridgov validation 校验报告 — working CRS 工作坐标系: {self.crs or '?'}", ""]
        for s in self.layers:
            extra = f", encoding {s.encoding}" if s.encoding else ""
            lines.append(f"  {s.layer:<14} {s.features:>8} features  {s.format}{extra}  ({s.source})")
        lines.append("")
        for finding in sorted(self.findings, key=lambda f: (f.severity != "error", f.layer)):
            lines.extend(finding.text_lines())
        verdict = "OK 通过" if self.ok else "FAILED 未通过"
        lines.append(f"{verdict}: {len(self.errors)} errors 错误, {len(self.warnings)} warnings 警告")
        return "\n".join(lines)
