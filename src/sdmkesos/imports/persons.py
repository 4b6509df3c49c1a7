"""The person import: columns as offices write them, and row validation into registry data."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language

from sdmkesos.core.identifiers import validate_nik, validate_nip
from sdmkesos.core.models import (
    CodeList,
    EducationLevel,
    EmploymentStatus,
    FieldOfStudy,
    Organisation,
    Region,
    WorkforceCategory,
)
from sdmkesos.core.scoping import scope_for

from .parsing import (
    CellError,
    is_blank,
    normalise_label,
    parse_date,
    parse_identifier,
    parse_sex,
    region_key,
    split_place_date,
    text,
)
from .spec import Column, RowError

COLUMNS = (
    Column("nik", "NIK", ("No. KTP", "No KTP", "Nomor KTP", "NIK KTP", "Nomor Induk Kependudukan",
                          "No. NIK"), required=True),
    Column("name", "Nama", ("Nama Lengkap", "Nama Pegawai", "Nama Peserta",
                            "Nama Lengkap dan Gelar", "Nama (dengan gelar)"), required=True),
    Column("nip", "NIP", ("NIP/NRP", "No. NIP", "Nomor Induk Pegawai", "NIP Baru")),
    Column("sex", "L/P", ("Jenis Kelamin", "JK", "Kelamin", "Sex", "Jns Kelamin", "P/L")),
    Column("birth_place", "Tempat Lahir", ("Tmp Lahir", "Tempat Lhr")),
    Column("birth_date", "Tgl Lahir", ("Tanggal Lahir", "Tgl. Lahir", "Tgl Lhr", "Tanggal Lhr")),
    Column("place_date", "Tempat/Tgl Lahir", ("Tempat, Tanggal Lahir", "Tempat Tgl Lahir", "TTL",
                                              "Tempat / Tanggal Lahir", "Tempat Tanggal Lahir")),
    Column("phone", "No HP", ("No. HP", "Telepon", "No Telp", "No. Telp", "HP", "Nomor HP",
                              "WA", "No WA")),
    Column("email", "Email", ("E-mail", "Surel", "Alamat Email")),
    Column("address", "Alamat", ("Alamat Rumah", "Alamat Domisili")),
    Column("education_level", "Pendidikan Terakhir", ("Pendidikan", "Jenjang Pendidikan",
                                                      "Pend. Terakhir", "Tingkat Pendidikan")),
    Column("field_of_study", "Jurusan", ("Program Studi", "Prodi", "Bidang Studi",
                                         "Jurusan Pendidikan")),
    Column("institution", "Institusi Pendidikan", ("Perguruan Tinggi", "Nama Sekolah",
                                                   "Asal Sekolah", "Universitas")),
    Column("position", "Jabatan", ("Jabatan Terakhir", "Nama Jabatan", "Jabatan Fungsional")),
    Column("organisation", "Unit Kerja", ("Instansi", "Satuan Kerja", "Satker", "Unit",
                                          "Kode Unit Kerja", "Nama Instansi")),
    Column("region", "Kab/Kota", ("Kabupaten/Kota", "Kab / Kota", "Kota/Kabupaten", "Wilayah",
                                  "Kode Wilayah", "Kabupaten")),
    Column("category", "Jenis SDM", ("Kategori", "Kategori SDM", "Jenis Tenaga", "Jenis")),
    Column("employment_status", "Status Kepegawaian", ("Status", "Status Pegawai")),
)

EDUCATION_ALIASES = {
    "sd": "sd", "mi": "sd", "smp": "smp", "sltp": "smp", "mts": "smp",
    "sma": "sma", "smk": "sma", "slta": "sma", "ma": "sma", "sma smk": "sma", "stm": "sma",
    "d1": "d1", "d i": "d1", "d2": "d2", "d ii": "d2", "d3": "d3", "d iii": "d3",
    "diii": "d3", "diploma 3": "d3", "d4": "d4", "d iv": "d4", "div": "d4", "diploma 4": "d4",
    "s1": "s1", "s 1": "s1", "strata 1": "s1", "sarjana": "s1", "s2": "s2", "s 2": "s2",
    "strata 2": "s2", "magister": "s2", "s3": "s3", "s 3": "s3", "doktor": "s3",
    "profesi": "profesi",
}


def _codelist_lookup(model: type[CodeList]) -> dict[str, CodeList]:
    out: dict[str, CodeList] = {}
    for entry in model.objects.all():
        for label in (entry.code, entry.name, entry.name.split("(")[0], entry.name_en):
            if label:
                out.setdefault(normalise_label(label), entry)
        if "(" in entry.name:
            inner = entry.name.split("(", 1)[1].rstrip(")")
            out.setdefault(normalise_label(inner), entry)
    return out


@dataclass
class Resolver:
    """Code and name lookups for one import run, loaded once."""

    actor: Any
    regions_by_code: dict[str, Region] = field(default_factory=dict)
    regions_by_name: dict[tuple[str, str], list[Region]] = field(default_factory=dict)
    orgs: dict[str, Organisation] = field(default_factory=dict)
    dinsos: dict[str, Organisation] = field(default_factory=dict)
    categories: dict[str, CodeList] = field(default_factory=dict)
    statuses: dict[str, CodeList] = field(default_factory=dict)
    levels: dict[str, CodeList] = field(default_factory=dict)
    fields: dict[str, CodeList] = field(default_factory=dict)
    memo: dict[tuple[str, Any], Any] = field(default_factory=dict)

    @classmethod
    def load(cls, actor: Any) -> Resolver:
        r = cls(actor=actor)
        for region in Region.objects.filter(level__lte=2):
            r.regions_by_code[region.code] = region
            kind, name = region_key(region.name)
            r.regions_by_name.setdefault((kind, name), []).append(region)
            r.regions_by_name.setdefault(("", name), []).append(region)
        for org in Organisation.objects.all():
            r.orgs[org.code.lower()] = org
            r.orgs.setdefault(normalise_label(org.name), org)
            if org.type in ("dinsos_provinsi", "dinsos_kabkota") and org.region_id:
                r.dinsos[str(org.region_id)] = org
        r.categories = _codelist_lookup(WorkforceCategory)
        r.statuses = _codelist_lookup(EmploymentStatus)
        r.levels = _codelist_lookup(EducationLevel)
        r.fields = _codelist_lookup(FieldOfStudy)
        return r

    def _memoised(self, kind: str, value: Any, resolve: Any) -> Any:
        """Sheets repeat the same few region, unit and code values on every row."""
        try:
            key = (kind, value)
            found = self.memo.get(key)
        except TypeError:  # unhashable cell
            return resolve(value)
        if found is None:
            try:
                found = (True, resolve(value))
            except CellError as err:
                found = (False, err)
            self.memo[key] = found
        if found[0]:
            return found[1]
        raise found[1]

    def region(self, value: Any) -> Region:
        return self._memoised("region", value, self._region)

    def organisation(self, value: Any) -> Organisation:
        return self._memoised(
            "organisation", value, self._organisation)

    def code(self, table: dict[str, CodeList], value: Any, what: str) -> CodeList:
        return self._memoised(
            what, value, lambda v: self._code(table, v, what))

    def _region(self, value: Any) -> Region:
        raw = text(value)
        code = raw.replace(" ", "")
        if re.fullmatch(r"\d{2}(\.?\d{2})?", code):
            code = code if "." in code or len(code) == 2 else f"{code[:2]}.{code[2:]}"
            if code in self.regions_by_code:
                return self.regions_by_code[code]
            raise CellError("region_unknown", f"Kode wilayah {raw} tidak dikenal",
                            f"Unknown region code {raw}")
        kind, name = region_key(raw)
        candidates = self.regions_by_name.get((kind, name), [])
        if kind == "" and len({c.code for c in candidates}) > 1:
            kab = [c for c in candidates if c.level == 2 and c.name.startswith("Kabupaten")]
            if len(kab) == 1 and len(candidates) == 2 and any(c.level == 1 for c in candidates):
                candidates = kab
        unique = {c.code: c for c in candidates}
        if len(unique) == 1:
            return next(iter(unique.values()))
        if len(unique) > 1:
            names = ", ".join(sorted(c.name for c in unique.values()))
            raise CellError("region_ambiguous",
                            f"Wilayah '{raw}' ambigu ({names}); tulis 'Kab.' atau 'Kota', "
                            "atau kodenya",
                            f"Region '{raw}' is ambiguous ({names}); write 'Kab.' or 'Kota', "
                            "or its code")
        raise CellError("region_unknown", f"Wilayah '{raw}' tidak dikenal",
                        f"Unknown region '{raw}'")

    def _organisation(self, value: Any) -> Organisation:
        raw = text(value)
        org = self.orgs.get(raw.lower()) or self.orgs.get(normalise_label(raw))
        if org is None:
            m = re.match(r"(?i)^(dinas sosial|dinsos)\s+(.*)$", raw)
            if m:
                try:
                    region = self.region(m[2])
                except CellError:
                    region = None
                if region is not None:
                    org = self.dinsos.get(region.code)
        if org is None:
            raise CellError("organisation_unknown",
                            f"Unit kerja '{raw}' tidak dikenal; gunakan nama atau kode "
                            "organisasi yang terdaftar",
                            f"Unknown organisation '{raw}'; use a registered name or code")
        return org

    def _code(self, table: dict[str, CodeList], value: Any, what: str) -> CodeList:
        key = normalise_label(value)
        if table is self.levels:
            key = EDUCATION_ALIASES.get(key, key)
        entry = table.get(key)
        if entry is None:
            raise CellError(f"{what}_unknown", f"Nilai '{text(value)}' tidak dikenal",
                            f"Unknown value '{text(value)}'")
        return entry


def _lang() -> str:
    return (get_language() or "id")[:2]


@dataclass
class ValidationState:
    """What validating one file carries from one chunk of rows to the next."""

    resolver: Resolver
    scope: Any
    seen_nik: dict[str, int] = field(default_factory=dict)
    seen_nip: dict[str, int] = field(default_factory=dict)
    today: dt.date = field(default_factory=dt.date.today)

    @classmethod
    def start(cls, actor: Any) -> ValidationState:
        return cls(Resolver.load(actor), scope_for(actor))


def validate_rows(rows: list[tuple[int, dict[str, Any]]], actor: Any,
                  state: ValidationState | None = None,
                  ) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    """Turn raw cells (by column key) into registry data. Returns (valid rows, errors). Pass the
    same ``state`` for every chunk of one file (lookups loaded once; duplicate NIKs across
    chunks found)."""
    state = state or ValidationState.start(actor)
    resolver, scope, seen_nik = state.resolver, state.scope, state.seen_nik
    lang = _lang()
    valid: list[tuple[int, dict[str, Any]]] = []
    errors: list[RowError] = []
    labels = {c.key: c.label for c in COLUMNS}

    for row_no, cells in rows:
        row_errors: list[RowError] = []

        def fail(key: str, err: CellError, value: Any = None, row_no: int = row_no,
                 cells: dict[str, Any] = cells, row_errors: list[RowError] = row_errors) -> None:
            row_errors.append(RowError(row_no, labels.get(key, key),
                                       text(cells.get(key) if value is None else value),
                                       err.code, err.message(lang)))

        def required(key: str) -> None:
            fail(key, CellError("required", "Wajib diisi", "Required"))

        data: dict[str, Any] = {}
        for key in ("nik", "nip"):
            if not is_blank(cells.get(key)):
                try:
                    data[key] = parse_identifier(cells[key], 16 if key == "nik" else 18,
                                                 key.upper())
                except CellError as err:
                    fail(key, err)
        if "nik" not in data and not any(e.column == "NIK" for e in row_errors):
            required("nik")
        if is_blank(cells.get("name")):
            required("name")
        else:
            data["name"] = text(cells["name"])
        if not is_blank(cells.get("sex")):
            try:
                data["sex"] = parse_sex(cells["sex"])
            except CellError as err:
                fail("sex", err)
        if not is_blank(cells.get("place_date")):
            try:
                data["birth_place"], data["birth_date"] = split_place_date(cells["place_date"])
            except CellError as err:
                fail("place_date", err)
        if not is_blank(cells.get("birth_place")):
            data["birth_place"] = text(cells["birth_place"])
        if not is_blank(cells.get("birth_date")):
            try:
                data["birth_date"] = parse_date(cells["birth_date"])
            except CellError as err:
                fail("birth_date", err)
        for key in ("phone", "email", "address", "position", "institution"):
            if not is_blank(cells.get(key)):
                data[key] = text(cells[key])
        region = None
        if not is_blank(cells.get("region")):
            try:
                region = resolver.region(cells["region"])
            except CellError as err:
                fail("region", err)
        if not is_blank(cells.get("organisation")):
            try:
                data["organisation"] = resolver.organisation(cells["organisation"])
            except CellError as err:
                fail("organisation", err)
        elif region is not None and region.code in resolver.dinsos:
            data["organisation"] = resolver.dinsos[region.code]
        elif "region" not in cells and getattr(actor, "organisation", None) is not None:
            data["organisation"] = actor.organisation
        for key, table in (("category", resolver.categories),
                           ("employment_status", resolver.statuses),
                           ("education_level", resolver.levels)):
            if not is_blank(cells.get(key)):
                try:
                    data[key] = resolver.code(table, cells[key], key)
                except CellError as err:
                    fail(key, err)
        if not is_blank(cells.get("field_of_study")):
            entry = resolver.fields.get(normalise_label(cells["field_of_study"]))
            data["field_text"] = text(cells["field_of_study"])
            if entry is not None:
                data["field_of_study"] = entry

        # Identity checks once the cells parsed.
        if "nik" in data:
            nik = validate_nik(data["nik"], sex=data.get("sex"), birth_date=data.get("birth_date"),
                               today=state.today)
            for issue in nik.errors:
                fail("nik", CellError(issue.code, issue.message_id, issue.message_en))
            if nik.valid:
                data["nik"] = nik.nik
                data.setdefault("sex", nik.sex)
                data.setdefault("birth_date", nik.birth_date)
            if nik.nik in seen_nik:
                fail("nik", CellError("nik_duplicate_in_file",
                                      f"NIK sama dengan baris {seen_nik[nik.nik]}",
                                      f"Same NIK as row {seen_nik[nik.nik]}"))
            else:
                seen_nik[nik.nik] = row_no
        if "nip" in data and "birth_date" in data:
            nip = validate_nip(data["nip"], sex=data.get("sex"), birth_date=data["birth_date"])
            for issue in nip.errors:
                fail("nip", CellError(issue.code, issue.message_id, issue.message_en))
            if nip.valid:
                data["nip"] = nip.nip
        if "nip" in data:
            if data["nip"] in state.seen_nip:
                first = state.seen_nip[data["nip"]]
                fail("nip", CellError("nip_duplicate_in_file", f"NIP sama dengan baris {first}",
                                      f"Same NIP as row {first}"))
            else:
                state.seen_nip[data["nip"]] = row_no
        org = data.get("organisation")
        if org is not None and not row_errors:
            managing = org.managing_region_code
            if not (scope.covers_region(managing) or scope.covers_org_path(org.path)):
                fail("organisation", CellError(
                    "out_of_scope",
                    f"{org.name} di luar wilayah Anda; baris ini tidak dapat diimpor",
                    f"{org.name} is outside your scope; this row cannot be imported"),
                    value=org.name)
        if row_errors:
            errors.extend(row_errors)
        else:
            valid.append((row_no, data))
    return valid, errors


def template_headers() -> list[str]:
    return [c.label for c in COLUMNS if c.key != "place_date"]


def example_row() -> list[Any]:
    return ["3507015708900012", "Siti Aminah, S.Sos", "", "P", "Malang", "17-08-1990",
            "081234567890", "siti@example.org", "Jl. Mawar 1", "S1", "Kesejahteraan Sosial",
            "Universitas Brawijaya", "Pendamping PKH", "Dinas Sosial Kabupaten Malang",
            "Kab. Malang", "Pendamping PKH", "Non-ASN"]


def group_errors(errors: list[RowError]) -> dict[int, list[RowError]]:
    out: dict[int, list[RowError]] = defaultdict(list)
    for e in errors:
        out[e.row].append(e)
    return out


__all__ = ["COLUMNS", "Resolver", "dt", "template_headers", "validate_rows"]
