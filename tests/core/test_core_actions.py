import pytest
from django.core.management import CommandError, call_command

from sdmkesos.core.actions import do_save_code_list_entry
from sdmkesos.core.errors import DomainError
from sdmkesos.core.models import AuditEvent, FieldOfStudy, User
from sdmkesos.core.scoping import scope_for


def test_national_admin_extends_a_code_list(users):
    entry = do_save_code_list_entry(actor=users["nasional"], channel="web",
                                    list_name="fields-of-study",
                                    data={"code": "peksos_klinis",
                                          "name": "Pekerjaan Sosial Klinis", "is_kesos": True})
    assert FieldOfStudy.objects.get(code="peksos_klinis").is_kesos
    assert AuditEvent.objects.filter(object_type="core.fieldofstudy", object_id=str(entry.pk),
                                     action="create").exists()
    do_save_code_list_entry(actor=users["nasional"], channel="web", list_name="fields-of-study",
                            data={"code": "peksos_klinis", "is_active": False})
    assert not FieldOfStudy.objects.get(code="peksos_klinis").is_active


def test_operators_cannot_change_code_lists(users):
    with pytest.raises(DomainError) as err:
        do_save_code_list_entry(actor=users["jatim"], channel="web", list_name="categories",
                                data={"code": "x", "name": "X"})
    assert err.value.code == "forbidden"


def test_adduser_command_creates_scoped_user(db, monkeypatch):
    monkeypatch.setenv("SDMKESOS_PASSWORD", "kata-sandi-panjang-1")
    call_command("adduser", "operator-batu", "--role", "district_operator", "--region", "35.79",
                 "--organisation", "DINSOS-35.79")
    user = User.objects.get(username="operator-batu")
    assert user.check_password("kata-sandi-panjang-1")
    assert scope_for(user).region_codes == ("35.79",)
    assert AuditEvent.objects.filter(object_type="core.user", channel="cli").exists()
    with pytest.raises(CommandError, match=r"99\.99"):
        call_command("adduser", "x", "--role", "district_operator", "--region", "99.99")
