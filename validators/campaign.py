"""The campaign configuration: every number and label the rules apply, loaded from one TOML file.

The default campaign is the 2021 "75 nghìn sáng kiến, vượt khó, phát triển" plan; another campaign is
another TOML file with the same keys.
"""

from __future__ import annotations

import tomllib
import unicodedata
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from validators.errors import ErrorCode, SangkienError

DEFAULT_CAMPAIGN_ID = "tld-75-nghin-2021"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Rules(_Frozen):
    description_max_chars: int = Field(gt=0)
    title_max_chars: int = Field(gt=0)
    application_start: date
    application_end: date
    author_min_age: int = Field(ge=0)
    author_max_age: int = Field(gt=0)
    min_initiatives_per_unit: int = Field(ge=0)
    default_cdcs_nomination_quota: int = Field(ge=0)
    district_nomination_max: int = Field(ge=0)
    commendation_min_initiatives: int = Field(ge=2)
    max_initiatives_per_unit: int = Field(gt=0)
    max_members_per_unit: int = Field(gt=0)

    @model_validator(mode="after")
    def _window(self) -> "Rules":
        if self.application_end < self.application_start:
            raise ValueError("application_end is before application_start")
        if self.author_max_age <= self.author_min_age:
            raise ValueError("author_max_age must exceed author_min_age")
        return self


class Deadlines(_Frozen):
    entry_peak_start: date
    entry_close: date
    cdcs_submission_default: date
    district_dossier_before: date
    campaign_start: date


class Target(_Frozen):
    key: str
    label: str
    kind: Literal["count", "pct", "ratio"]
    target: float


class Campaign(_Frozen):
    id: str
    name: str
    year: int
    issuer: str
    issuer_parent: str
    place: str
    dossier_email: str = ""
    fields: tuple[str, ...] = Field(min_length=1)
    blocs: tuple[str, ...] = Field(min_length=1)
    genders: tuple[str, ...] = Field(min_length=1)
    rules: Rules
    deadlines: Deadlines
    targets: tuple[Target, ...]

    @field_validator("name", "issuer", "issuer_parent", "place")
    @classmethod
    def _nfc(cls, v: str) -> str:
        return unicodedata.normalize("NFC", v)

    @field_validator("fields", "blocs", "genders")
    @classmethod
    def _nfc_unique(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        v = tuple(unicodedata.normalize("NFC", s.strip()) for s in v)
        if len(set(v)) != len(v):
            raise ValueError("values must be unique")
        return v

    @property
    def author_birth_year_range(self) -> tuple[int, int]:
        return self.year - self.rules.author_max_age, self.year - self.rules.author_min_age

    def target(self, key: str) -> Target:
        for t in self.targets:
            if t.key == key:
                return t
        raise KeyError(key)


class CampaignError(SangkienError):
    """A campaign file that cannot be read or does not follow the schema."""


def load_campaign(source: str | Path | None = None) -> Campaign:
    """Load a campaign from a TOML path, or a built-in campaign by id (default: the 2021 campaign)."""
    if source is None:
        source = DEFAULT_CAMPAIGN_ID
    path = Path(source)
    try:
        if path.suffix.lower() == ".toml" and path.exists():
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        else:
            data = _builtin_data(str(source))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CampaignError(ErrorCode.CAMPAIGN_UNREADABLE, source=source, detail=exc) from exc
    try:
        return Campaign.model_validate(data)
    except ValueError as exc:
        raise CampaignError(ErrorCode.CAMPAIGN_INVALID, source=source, detail=exc) from exc


def builtin_campaign_ids() -> list[str]:
    root = resources.files("validators") / "campaigns"
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".toml"))


@lru_cache(maxsize=None)
def _builtin_text(campaign_id: str) -> str:
    res = resources.files("validators") / "campaigns" / f"{campaign_id}.toml"
    if not res.is_file():
        raise CampaignError(ErrorCode.CAMPAIGN_NOT_FOUND, name=campaign_id, known=", ".join(builtin_campaign_ids()))
    return res.read_text(encoding="utf-8")


def _builtin_data(campaign_id: str) -> dict:
    return tomllib.loads(_builtin_text(campaign_id))
