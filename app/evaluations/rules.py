"""The evaluation rules of PermenPANRB 6/2022 and SE MenPANRB 3/2023, as pure functions.

- Two ratings, *hasil kerja* (results) and *perilaku kerja* (BerAKHLAK behaviour), each
  Di Atas / Sesuai / Di Bawah Ekspektasi, give the *predikat kinerja* through a fixed 3x3
  matrix; no numeric weighting is used. Poor behaviour caps the predikat at
  Kurang/Misconduct whatever the results were.
- A JPT's results rating follows the achievement of the unit they lead.
- The organisation's predikat sets the pattern its employees' predikat should follow.
"""

import enum
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal


class Rating(enum.StrEnum):
    DI_ATAS = "di_atas"  # Di Atas Ekspektasi
    SESUAI = "sesuai"  # Sesuai Ekspektasi
    DI_BAWAH = "di_bawah"  # Di Bawah Ekspektasi


class Predikat(enum.StrEnum):
    SANGAT_BAIK = "sangat_baik"
    BAIK = "baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan"
    KURANG_MISCONDUCT = "kurang_misconduct"
    SANGAT_KURANG = "sangat_kurang"


class OrgPredikat(enum.StrEnum):
    ISTIMEWA = "istimewa"
    BAIK = "baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan"
    KURANG = "kurang"
    SANGAT_KURANG = "sangat_kurang"


#: (hasil kerja, perilaku kerja) -> predikat: the employee performance quadrant.
MATRIX = {
    (Rating.DI_ATAS, Rating.DI_BAWAH): Predikat.KURANG_MISCONDUCT,
    (Rating.DI_ATAS, Rating.SESUAI): Predikat.BAIK,
    (Rating.DI_ATAS, Rating.DI_ATAS): Predikat.SANGAT_BAIK,
    (Rating.SESUAI, Rating.DI_BAWAH): Predikat.KURANG_MISCONDUCT,
    (Rating.SESUAI, Rating.SESUAI): Predikat.BAIK,
    (Rating.SESUAI, Rating.DI_ATAS): Predikat.BAIK,
    (Rating.DI_BAWAH, Rating.DI_BAWAH): Predikat.SANGAT_KURANG,
    (Rating.DI_BAWAH, Rating.SESUAI): Predikat.BUTUH_PERBAIKAN,
    (Rating.DI_BAWAH, Rating.DI_ATAS): Predikat.BUTUH_PERBAIKAN,
}

#: Credit-point conversion for functional positions (PermenPANRB 1/2023), share of the
#: annual coefficient.
CREDIT_POINT_SHARE = {
    Predikat.SANGAT_BAIK: Decimal("1.50"), Predikat.BAIK: Decimal("1.00"),
    Predikat.BUTUH_PERBAIKAN: Decimal("0.75"), Predikat.KURANG_MISCONDUCT: Decimal("0.50"),
    Predikat.SANGAT_KURANG: Decimal("0.25"),
}


def predikat(hasil_kerja: Rating, perilaku_kerja: Rating) -> Predikat:
    """The predikat kinerja for the two ratings (all nine cells of the matrix)."""
    return MATRIX[(Rating(hasil_kerja), Rating(perilaku_kerja))]


def jpt_results_rating(unit_achievement: OrgPredikat) -> Rating:
    """A JPT's results rating follows the achievement of the unit they lead.

    Istimewa (targets exceeded) reads as above expectations, Baik as meeting them, and the
    three lower predicates as below them.
    """
    unit_achievement = OrgPredikat(unit_achievement)
    if unit_achievement is OrgPredikat.ISTIMEWA:
        return Rating.DI_ATAS
    if unit_achievement is OrgPredikat.BAIK:
        return Rating.SESUAI
    return Rating.DI_BAWAH


def suggested_results_rating(rhk_ratings: Iterable[tuple[str, Rating]]) -> Rating | None:
    """A suggestion for the results rating from the ratings per RHK (the supervisor decides).

    ``rhk_ratings`` holds ``(kind, rating)`` with kind "utama" or "tambahan":

    - Di Atas: most or all results above, and no main (utama) result below;
    - Di Bawah: most or all results below;
    - Sesuai otherwise (most or all meet; only a small part of the main results below).
    """
    ratings = [(kind, Rating(rating)) for kind, rating in rhk_ratings]
    if not ratings:
        return None
    counts = Counter(rating for _, rating in ratings)
    total = len(ratings)
    main_below = any(kind == "utama" and rating is Rating.DI_BAWAH for kind, rating in ratings)
    if counts[Rating.DI_ATAS] * 2 > total and not main_below:
        return Rating.DI_ATAS
    if counts[Rating.DI_BAWAH] * 2 > total:
        return Rating.DI_BAWAH
    return Rating.SESUAI


@dataclass(frozen=True)
class DistributionWarning:
    code: str
    predikat: tuple[Predikat, ...]
    limit: Decimal  # a share, 0..1
    actual: Decimal

    @property
    def is_minimum(self) -> bool:
        return self.code.startswith("min_")


def _share(counts: Counter, total: int, *kinds: Predikat) -> Decimal:
    return (Decimal(sum(counts[kind] for kind in kinds)) / Decimal(total)).quantize(
        Decimal("0.0001"))


def distribution_warnings(org_predikat: OrgPredikat,
                          predicates: Iterable[Predikat]) -> list[DistributionWarning]:
    """Where the employees' predikat break the pattern the organisation's predikat sets.

    SE MenPANRB 3/2023:

    - Istimewa: most, at most 70 %, Sangat Baik; the rest any;
    - Baik: most, at most 70 %, Baik; some Butuh Perbaikan and/or Kurang; the rest Sangat
      Baik or Sangat Kurang;
    - Butuh Perbaikan: at least 60 % Butuh Perbaikan; at most 10 % Sangat Baik;
    - Kurang: at least 60 % Kurang/Misconduct; at least 10 % Butuh Perbaikan; at most 10 %
      Sangat Baik;
    - Sangat Kurang: at least 60 % Sangat Kurang; at least 10 % Kurang and/or Butuh
      Perbaikan; no Sangat Baik.

    "Most" is read as the largest group. An empty unit has no warnings.
    """
    predicates = [Predikat(p) for p in predicates]
    total = len(predicates)
    if not total:
        return []
    counts = Counter(predicates)
    warnings: list[DistributionWarning] = []

    def at_most(code, limit, *kinds):
        share = _share(counts, total, *kinds)
        if share > limit:
            warnings.append(DistributionWarning(code, kinds, limit, share))

    def at_least(code, limit, *kinds):
        share = _share(counts, total, *kinds)
        if share < limit:
            warnings.append(DistributionWarning(code, kinds, limit, share))

    def largest(code, kind):
        if counts[kind] < max(counts.values()) or counts[kind] == 0:
            warnings.append(DistributionWarning(code, (kind,), Decimal("0"),
                                                _share(counts, total, kind)))

    sb, b, bp = Predikat.SANGAT_BAIK, Predikat.BAIK, Predikat.BUTUH_PERBAIKAN
    k, sk = Predikat.KURANG_MISCONDUCT, Predikat.SANGAT_KURANG
    org_predikat = OrgPredikat(org_predikat)
    if org_predikat is OrgPredikat.ISTIMEWA:
        largest("most_sangat_baik", sb)
        at_most("max_sangat_baik", Decimal("0.70"), sb)
    elif org_predikat is OrgPredikat.BAIK:
        largest("most_baik", b)
        at_most("max_baik", Decimal("0.70"), b)
        if counts[bp] + counts[k] == 0:
            warnings.append(DistributionWarning("min_butuh_perbaikan_or_kurang", (bp, k),
                                                Decimal("0"), Decimal("0")))
    elif org_predikat is OrgPredikat.BUTUH_PERBAIKAN:
        at_least("min_butuh_perbaikan", Decimal("0.60"), bp)
        at_most("max_sangat_baik", Decimal("0.10"), sb)
    elif org_predikat is OrgPredikat.KURANG:
        at_least("min_kurang", Decimal("0.60"), k)
        at_least("min_butuh_perbaikan", Decimal("0.10"), bp)
        at_most("max_sangat_baik", Decimal("0.10"), sb)
    else:
        at_least("min_sangat_kurang", Decimal("0.60"), sk)
        at_least("min_kurang_or_butuh_perbaikan", Decimal("0.10"), k, bp)
        at_most("max_sangat_baik", Decimal("0"), sb)
    return warnings
