"""Supply projection (pure Python, no Django): staff in post year by year from the current
count, retirements (BUP), an attrition rate and entrants, against a need.

For year i (1..n), starting from ``supply`` (the end of the previous year; the current staff for
year 1):

    after_retirement = max(0, start - retirements[i])
    attrition        = after_retirement x attrition_rate / 100
    entrants         = graduates[i] + trainees[i] + entrants_per_year
    end              = after_retirement - attrition + entrants
    need_i           = need x (1 + need_growth_rate / 100) ** i
    gap              = need_i - end      (positive: shortage)

``graduates`` and ``trainees`` are the entrants read from the scholarship and training records
(per year; empty means none); ``entrants_per_year`` is the scenario's typed-in addition. The rows
keep the three apart (``graduates``, ``trainees``, ``scenario_entrants``) and their sum
(``entrants``).

Numbers are kept unrounded (floats); reports round them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class ProjectionError(ValueError):
    def __init__(self, field: str, message_id: str) -> None:
        super().__init__(f"{field}: {message_id}")
        self.field = field
        self.message_id = message_id


@dataclass(frozen=True)
class YearRow:
    year: int
    start: float
    retirements: float
    attrition: float
    entrants: float  # graduates + trainees + scenario_entrants
    end: float
    need: float
    gap: float
    graduates: float = 0.0
    trainees: float = 0.0
    scenario_entrants: float = 0.0


def project(*, current: float, retirements: Sequence[float], attrition_rate: float,
            entrants_per_year: float, need: float, start_year: int,
            need_growth_rate: float = 0.0, graduates: Sequence[float] = (),
            trainees: Sequence[float] = ()) -> list[YearRow]:
    """One row per year of ``retirements`` (1 to 5 years)."""
    years = len(retirements)
    if not 1 <= years <= 5:
        raise ProjectionError("years", "Lama proyeksi harus 1 sampai 5 tahun.")
    for name, series in (("graduates", graduates), ("trainees", trainees)):
        if len(series) > years:
            raise ProjectionError(name, "Lebih banyak tahun daripada proyeksi.")
        for i, v in enumerate(series):
            if v < 0:
                raise ProjectionError(f"{name}[{i}]", "Tidak boleh negatif.")
    grads = [float(v) for v in graduates] + [0.0] * (years - len(graduates))
    trains = [float(v) for v in trainees] + [0.0] * (years - len(trainees))
    for name, value in (("current", current), ("entrants_per_year", entrants_per_year),
                        ("need", need), *((f"retirements[{i}]", r)
                                          for i, r in enumerate(retirements))):
        if value < 0:
            raise ProjectionError(name, "Tidak boleh negatif.")
    if not 0 <= attrition_rate <= 100:
        raise ProjectionError("attrition_rate", "Tingkat keluar harus 0 sampai 100 persen.")
    if need_growth_rate <= -100:
        raise ProjectionError("need_growth_rate", "Pertumbuhan kebutuhan harus di atas -100%.")
    rows = []
    supply = float(current)
    for i in range(years):
        after = max(0.0, supply - retirements[i])
        attrition = after * attrition_rate / 100
        entrants = grads[i] + trains[i] + float(entrants_per_year)
        end = after - attrition + entrants
        need_i = need * (1 + need_growth_rate / 100) ** (i + 1)
        rows.append(YearRow(year=start_year + i, start=supply,
                            retirements=min(supply, float(retirements[i])),
                            attrition=attrition, entrants=entrants, end=end,
                            need=need_i, gap=need_i - end, graduates=grads[i],
                            trainees=trains[i], scenario_entrants=float(entrants_per_year)))
        supply = end
    return rows
