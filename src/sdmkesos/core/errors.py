"""Domain errors: a stable code, parameters and a translated message.

The same codes appear in API responses, import reports and the CLI.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

MESSAGES: dict[str, Any] = {
    "nik_taken": _("NIK {nik} sudah terdaftar atas nama {holder} (id {holder_id})."),
    "nip_taken": _("NIP {nip} sudah terdaftar atas nama {holder} (id {holder_id})."),
    "nik_taken_elsewhere": _("NIK {nik} sudah terdaftar untuk seseorang di luar wilayah Anda; "
                             "minta operator wilayahnya atau admin nasional memeriksanya."),
    "nip_taken_elsewhere": _("NIP {nip} sudah terdaftar untuk seseorang di luar wilayah Anda; "
                             "minta operator wilayahnya atau admin nasional memeriksanya."),
    "out_of_scope": _("Di luar lingkup wilayah/organisasi Anda."),
    "move_out_of_scope": _(
        "Perubahan ini memindahkan data ke luar lingkup Anda ({region}); tidak diizinkan."
    ),
    "forbidden": _("Anda tidak berwenang melakukan tindakan ini."),
    "not_found": _("Data tidak ditemukan."),
    "required": _("Wajib diisi."),
    "unknown_region": _("Kode wilayah {value} tidak dikenal."),
    "unknown_code": _("Kode {value} tidak dikenal untuk {name}."),
    "invalid_date": _("Tanggal tidak valid: {value}."),
    "end_before_start": _("Tanggal selesai sebelum tanggal mulai."),
    "invalid_sex": _("Jenis kelamin harus L atau P."),
    "username_taken": _("Nama pengguna {username} sudah dipakai."),
    "scope_required": _("Peran ini memerlukan lingkup wilayah atau organisasi."),
    "invalid_choice": _("Pilihan {value} tidak dikenal."),
    "conflict": _("Data bentrok dengan keadaan saat ini."),
}


class DomainError(Exception):
    """A refusal a user can understand. ``field`` names the input at fault, if any."""

    def __init__(self, code: str, /, field: str | None = None, message: str | None = None,
                 **params: Any) -> None:
        self.code = code
        self.field = field
        self.params = params
        self._message = message
        super().__init__(code)

    @property
    def message(self) -> str:
        if self._message is not None:
            return self._message
        template = MESSAGES.get(self.code)
        if template is None:
            return self.code
        try:
            return str(template).format(**self.params)
        except (KeyError, IndexError):
            return str(template)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "field": self.field, "message": self.message,
                "params": {k: str(v) for k, v in self.params.items()}}


class ValidationFailed(DomainError):
    """Several field errors at once."""

    def __init__(self, errors: list[DomainError]) -> None:
        self.errors = errors
        super().__init__("validation_failed", message="; ".join(
            f"{e.field}: {e.message}" if e.field else e.message for e in errors))

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message,
                "errors": [e.as_dict() for e in self.errors]}
