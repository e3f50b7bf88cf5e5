"""Generate the built-in SAMPLE registry of Đắk Nông: its 8 district/city LĐLĐ, three sector unions and
~750 invented CĐCS. Deterministic: the same code gives the same registry."""

from __future__ import annotations

import random
from pathlib import Path

from addin.registry import Cdcs, District, Registry, write_registry
from addin.sample import names as N

# (code, name, kind, number of CĐCS, share of enterprises)
_DISTRICTS = [
    ("GN", "Liên đoàn Lao động thành phố Gia Nghĩa", "LĐLĐ thành phố", 104, 0.35),
    ("CJ", "Liên đoàn Lao động huyện Cư Jút", "LĐLĐ huyện", 82, 0.3),
    ("DM", "Liên đoàn Lao động huyện Đắk Mil", "LĐLĐ huyện", 94, 0.3),
    ("DS", "Liên đoàn Lao động huyện Đắk Song", "LĐLĐ huyện", 76, 0.3),
    ("DR", "Liên đoàn Lao động huyện Đắk R'Lấp", "LĐLĐ huyện", 92, 0.35),
    ("DG", "Liên đoàn Lao động huyện Đắk Glong", "LĐLĐ huyện", 60, 0.25),
    ("KN", "Liên đoàn Lao động huyện Krông Nô", "LĐLĐ huyện", 80, 0.25),
    ("TD", "Liên đoàn Lao động huyện Tuy Đức", "LĐLĐ huyện", 58, 0.25),
    ("GD", "Công đoàn ngành Giáo dục tỉnh Đắk Nông", "Công đoàn ngành", 40, 0.0),
    ("YT", "Công đoàn ngành Y tế tỉnh Đắk Nông", "Công đoàn ngành", 28, 0.0),
    ("VC", "Công đoàn Viên chức tỉnh Đắk Nông", "Công đoàn ngành", 36, 0.0),
]
_PLACE = {"GN": "Gia Nghĩa", "CJ": "Cư Jút", "DM": "Đắk Mil", "DS": "Đắk Song", "DR": "Đắk R'Lấp",
          "DG": "Đắk Glong", "KN": "Krông Nô", "TD": "Tuy Đức"}

DN, HCSN = "Doanh nghiệp", "Hành chính sự nghiệp"


def person(rng: random.Random) -> tuple[str, str]:
    """An invented full name and its gender."""
    female = rng.random() < 0.55
    if rng.random() < 0.08:
        return rng.choice(N.HIGHLAND_FEMALE if female else N.HIGHLAND_MALE), "Nữ" if female else "Nam"
    middle = rng.choice(N.MIDDLE_FEMALE if female else N.MIDDLE_MALE)
    given = rng.choice(N.GIVEN_FEMALE if female else N.GIVEN_MALE)
    return f"{rng.choice(N.FAMILY)} {middle} {given}", "Nữ" if female else "Nam"


def phone(rng: random.Random) -> str:
    return "0" + rng.choice(["905", "914", "935", "961", "978", "982", "983", "988", "368", "347"]) + (
        f"{rng.randrange(10**6):06d}"
    )


def _unit_name(rng: random.Random, code: str, enterprise: bool) -> str:
    place = _PLACE.get(code)
    if code == "GD":
        pattern = rng.choice(N.PROVINCE_SCHOOLS)
    elif code == "YT":
        pattern = rng.choice(N.HOSPITALS)
    elif code == "VC":
        pattern = rng.choice(N.PROVINCE_AGENCIES)
    elif enterprise:
        pattern = rng.choice(N.ENTERPRISES)
    else:
        kind = rng.random()
        if kind < 0.45:
            pattern = rng.choice(N.SCHOOLS)
        elif kind < 0.8:
            pattern = rng.choice(N.PUBLIC_BODIES)
        else:
            pattern = rng.choice(N.DISTRICT_BODIES) + (" thành phố " if code == "GN" else " huyện ") + place
    commune = rng.choice(N.COMMUNES[place]) if place else rng.choice(sum(N.COMMUNES.values(), []))
    return pattern.format(c=commune, p=rng.choice(N.FAMOUS), w=rng.choice(N.BRAND))


def build_sample_registry(seed: int = 2021) -> Registry:
    rng = random.Random(seed)
    districts, cdcs = [], []
    for code, name, kind, count, share_dn in _DISTRICTS:
        contact, _ = person(rng)
        districts.append(
            District(code=code, name=name, kind=kind, contact=contact, phone=phone(rng),
                     email=f"congdoan.{code.lower()}@example.vn",
                     address=f"{_PLACE.get(code, 'Gia Nghĩa')}, tỉnh Đắk Nông")
        )
        used: set[str] = set()
        n = attempts = 0
        while n < count:
            attempts += 1
            if attempts > 50 * count:
                raise RuntimeError(f"sample name pools too small for {count} units in {code}")
            enterprise = rng.random() < share_dn
            unit = _unit_name(rng, code, enterprise)
            if unit in used:
                continue
            used.add(unit)
            n += 1
            contact, _ = person(rng)
            members = rng.randint(25, 900) if enterprise else rng.randint(8, 120)
            cdcs.append(
                Cdcs(code=f"{code}{n:03d}", name=f"Công đoàn cơ sở {unit}", parent=code,
                     bloc=DN if enterprise else HCSN, members=members, contact=contact, phone=phone(rng),
                     email=f"cdcs.{code.lower()}{n:03d}@example.vn")
            )
    return Registry(
        province="Đắk Nông",
        province_code="DNO",
        is_sample=True,
        note="DỮ LIỆU MẪU để chạy thử: tên đơn vị, người và số liệu là hư cấu. Thay bằng danh sách thật của tỉnh.",
        districts=tuple(districts),
        cdcs=tuple(cdcs),
    )


def write_sample_registry(path: Path) -> None:
    write_registry(build_sample_registry(), path)


if __name__ == "__main__":  # regenerate the shipped sample: python -m addin.sample.registry
    from addin.registry import SAMPLE_REGISTRY_RESOURCE

    target = Path(__file__).parents[1] / "data" / SAMPLE_REGISTRY_RESOURCE
    write_sample_registry(target)
    print(f"wrote {target}")
