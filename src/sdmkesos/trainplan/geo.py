"""Distances between regions for the travel cost.

:data:`JATIM_SEATS` holds approximate coordinates (latitude, longitude; WGS84, rounded to 0.01
degree, i.e. about 1 km) of the seat of government (ibu kota) of each of the 38 kabupaten/kota of
East Java (province code 35), keyed by Kemendagri code. They were compiled by hand for this
project from the well-known locations of these towns, not copied from a dataset; accuracy is a
few kilometres, which is all a travel-cost estimate needs. They are published with the project
under its MIT licence. A kabupaten's seat is used rather than its geometric centroid because
travel goes from where people live and work, and most live near the seat (for Kabupaten Malang
the seat is Kepanjen, for Kabupaten Kediri Ngasem, for Kabupaten Probolinggo Kraksaan).

Instances may add or override coordinates (``travel.coordinates``) for any region. When a code
has no coordinates, :func:`road_km` falls back to the region codes: a code below kab/kota level
(``35.07.01``) uses its kab/kota; unknown codes in the same province are
:data:`FALLBACK_SAME_PROVINCE_KM` apart, in different provinces
:data:`FALLBACK_OTHER_PROVINCE_KM`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Final

__all__ = ["FALLBACK_OTHER_PROVINCE_KM", "FALLBACK_SAME_PROVINCE_KM", "JATIM_SEATS",
           "great_circle_km", "kabkota", "road_km"]

FALLBACK_SAME_PROVINCE_KM: Final = 150.0
FALLBACK_OTHER_PROVINCE_KM: Final = 1000.0
EARTH_RADIUS_KM: Final = 6371.0

JATIM_SEATS: Final[Mapping[str, tuple[float, float]]] = {
    "35.01": (-8.20, 111.09),  # Kab. Pacitan: Pacitan
    "35.02": (-7.87, 111.46),  # Kab. Ponorogo: Ponorogo
    "35.03": (-8.05, 111.71),  # Kab. Trenggalek: Trenggalek
    "35.04": (-8.07, 111.90),  # Kab. Tulungagung: Tulungagung
    "35.05": (-8.13, 112.22),  # Kab. Blitar: Kanigoro
    "35.06": (-7.82, 112.06),  # Kab. Kediri: Ngasem
    "35.07": (-8.13, 112.57),  # Kab. Malang: Kepanjen
    "35.08": (-8.13, 113.22),  # Kab. Lumajang: Lumajang
    "35.09": (-8.17, 113.70),  # Kab. Jember: Jember
    "35.10": (-8.22, 114.37),  # Kab. Banyuwangi: Banyuwangi
    "35.11": (-7.91, 113.82),  # Kab. Bondowoso: Bondowoso
    "35.12": (-7.71, 114.01),  # Kab. Situbondo: Situbondo
    "35.13": (-7.76, 113.41),  # Kab. Probolinggo: Kraksaan
    "35.14": (-7.60, 112.78),  # Kab. Pasuruan: Bangil
    "35.15": (-7.45, 112.72),  # Kab. Sidoarjo: Sidoarjo
    "35.16": (-7.52, 112.56),  # Kab. Mojokerto: Mojosari
    "35.17": (-7.55, 112.23),  # Kab. Jombang: Jombang
    "35.18": (-7.60, 111.90),  # Kab. Nganjuk: Nganjuk
    "35.19": (-7.55, 111.65),  # Kab. Madiun: Mejayan (Caruban)
    "35.20": (-7.65, 111.33),  # Kab. Magetan: Magetan
    "35.21": (-7.40, 111.45),  # Kab. Ngawi: Ngawi
    "35.22": (-7.15, 111.88),  # Kab. Bojonegoro: Bojonegoro
    "35.23": (-6.90, 112.05),  # Kab. Tuban: Tuban
    "35.24": (-7.12, 112.42),  # Kab. Lamongan: Lamongan
    "35.25": (-7.16, 112.65),  # Kab. Gresik: Gresik
    "35.26": (-7.05, 112.74),  # Kab. Bangkalan: Bangkalan
    "35.27": (-7.19, 113.24),  # Kab. Sampang: Sampang
    "35.28": (-7.16, 113.48),  # Kab. Pamekasan: Pamekasan
    "35.29": (-7.01, 113.86),  # Kab. Sumenep: Sumenep
    "35.71": (-7.82, 112.01),  # Kota Kediri
    "35.72": (-8.10, 112.17),  # Kota Blitar
    "35.73": (-7.98, 112.63),  # Kota Malang
    "35.74": (-7.75, 113.22),  # Kota Probolinggo
    "35.75": (-7.65, 112.91),  # Kota Pasuruan
    "35.76": (-7.47, 112.43),  # Kota Mojokerto
    "35.77": (-7.63, 111.52),  # Kota Madiun
    "35.78": (-7.26, 112.75),  # Kota Surabaya
    "35.79": (-7.87, 112.52),  # Kota Batu
}


def kabkota(code: str) -> str:
    """The kab/kota part (``PP.KK``) of a region code; a province code stays as it is."""
    return ".".join(code.split(".")[:2])


def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def road_km(a: str, b: str, *, road_factor: float = 1.3,
            coordinates: Mapping[str, tuple[float, float]] | None = None) -> float:
    """Estimated road distance in km between the kab/kota of region codes ``a`` and ``b``
    (0 within the same kab/kota)."""
    ka, kb = kabkota(a), kabkota(b)
    if ka == kb:
        return 0.0
    extra = coordinates or {}
    pa = extra.get(a) or extra.get(ka) or JATIM_SEATS.get(ka)
    pb = extra.get(b) or extra.get(kb) or JATIM_SEATS.get(kb)
    if pa is not None and pb is not None:
        return great_circle_km(pa, pb) * road_factor
    if ka.split(".")[0] == kb.split(".")[0]:
        return FALLBACK_SAME_PROVINCE_KM
    return FALLBACK_OTHER_PROVINCE_KM
