"""`sdmkesos plan-training` (also `plan_training`): the training plan optimiser on an instance
file. See docs/training-plan.md."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from sdmkesos.trainplan import (
    InstanceError,
    dump_instance,
    example_instance,
    greedy,
    load_instance,
    plan_to_json,
    prepare,
    solve,
)
from sdmkesos.trainplan.solve import BACKENDS

EXIT_INVALID = 2


class Command(BaseCommand):
    help = ("Rencana pelatihan: memilih angkatan (program, tempat, periode, pelatih, peserta) yang "
            "menutup kesenjangan kompetensi berbobot terbesar dalam batas kapasitas, pelatih dan "
            "anggaran. Reads --instance FILE.json, prints a summary, writes the plan with --json.")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--instance", metavar="FILE", help="instance JSON ('-': stdin)")
        parser.add_argument("--json", metavar="OUT", help="write the plan JSON here ('-': stdout)")
        parser.add_argument("--time-limit", type=float, default=60.0, metavar="S",
                            help="solver time limit in seconds (default 60)")
        parser.add_argument("--budget", type=float, default=None, metavar="X",
                            help="override the instance budget (rupiah)")
        parser.add_argument("--gap", type=float, default=0.005,
                            help="stop at this relative optimality gap (default 0.005)")
        parser.add_argument("--solver", choices=BACKENDS, default="cp-sat")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--greedy", action="store_true",
                            help="only the first-come-first-served baseline")
        parser.add_argument("--generate-example", metavar="OUT",
                            help="write a realistic example instance and exit")
        parser.add_argument("--people", type=int, default=9000,
                            help="people in the generated example (default 9000)")
        parser.add_argument("--seed", type=int, default=2027)
        parser.add_argument("--lang", choices=["id", "en"], default="id")
        registry = parser.add_argument_group(
            "registry", "build the instance from the registry (training.planner), as the web "
            "page /pelatihan/rencana/ does, in the scope of --user")
        registry.add_argument("--from-registry", action="store_true",
                              help="people below standard, programmes, venues, trainers from "
                              "the database")
        registry.add_argument("--user", metavar="USERNAME",
                              help="whose scope (and, with --accept, who accepts)")
        registry.add_argument("--region", default="", help="target region code, e.g. 35")
        registry.add_argument("--category", default="", help="workforce category code")
        registry.add_argument("--competency", default="", help="only gaps in this competency")
        registry.add_argument("--programme", action="append", default=[],
                              help="candidate programme code (repeatable; default: all active)")
        registry.add_argument("--without-programme", default="",
                              help="only people not (being) trained in this programme")
        registry.add_argument("--start", help="horizon start (YYYY-MM-DD; default 1 Jan next "
                              "year)")
        registry.add_argument("--end", help="horizon end (default 31 Dec of the start's year)")
        registry.add_argument("--min-batch", type=int, default=10)
        registry.add_argument("--max-batch", type=int, default=30)
        registry.add_argument("--asn-weight", type=float, default=2.0)
        registry.add_argument("--max-km", type=float, default=250.0)
        registry.add_argument("--save-instance", metavar="OUT",
                              help="also write the built instance JSON here")
        accept = parser.add_argument_group(
            "accept", "create the batches and nominations of a plan JSON (all or nothing)")
        accept.add_argument("--accept", metavar="PLAN.json",
                            help="accept this plan as --user: batches (status rencana) "
                            "organised by --organisation, trainers, nominations")
        accept.add_argument("--organisation", metavar="CODE",
                            help="organiser of the created batches (must be managed by --user)")
        accept.add_argument("--name", default="", help="name of the stored plan")

    def handle(self, *args: Any, **options: Any) -> None:
        lang: str = options["lang"]
        if options["generate_example"]:
            instance = example_instance(options["people"], seed=options["seed"])
            dump_instance(instance, options["generate_example"])
            self.stdout.write(f"{options['generate_example']}: {len(instance.people)} orang, "
                              f"{len(instance.programmes)} program, {len(instance.venues)} "
                              f"tempat, {len(instance.trainers)} pelatih, "
                              f"{len(instance.periods)} periode")
            return
        if options["accept"]:
            self._accept(options)
            return
        if options["from_registry"]:
            instance = self._from_registry(options)
        elif not options["instance"]:
            self._fail({"errors": [{"field": "--instance", "code": "required",
                                    "message": "--instance FILE.json wajib diisi."}]})
        else:
            try:
                instance = load_instance(options["instance"])
            except InstanceError as error:
                self._fail(error.to_json(lang))
        if options["budget"] is not None:
            instance = instance.with_budget(options["budget"])
        prepared = prepare(instance)
        if options["greedy"]:
            plan = greedy(prepared, lang=lang)
        else:
            plan = solve(instance, time_limit=options["time_limit"], workers=options["workers"],
                         gap_limit=options["gap"], backend=options["solver"], lang=lang,
                         prepared=prepared)
        data = plan_to_json(prepared, plan)
        out = options["json"]
        if out == "-":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
            return
        if out:
            Path(out).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        self.stdout.write(_summary(data, lang))

    def _user(self, options: dict[str, Any]) -> Any:
        from sdmkesos.core.models import User

        user = User.objects.filter(username=options["user"] or "").first()
        if user is None:
            self._fail({"errors": [{"field": "--user", "code": "required",
                                    "message": "--user USERNAME (pengguna yang ada) wajib "
                                    "diisi."}]})
        return user

    def _from_registry(self, options: dict[str, Any]) -> Any:
        import datetime as dt

        from sdmkesos.training.planner import Parameters, build_instance

        user = self._user(options)
        try:
            start = (dt.date.fromisoformat(options["start"]) if options["start"]
                     else dt.date(dt.date.today().year + 1, 1, 1))
            end = (dt.date.fromisoformat(options["end"]) if options["end"]
                   else dt.date(start.year, 12, 31))
        except ValueError as error:
            self._fail({"errors": [{"field": "--start/--end", "code": "bad_date",
                                    "message": str(error)}]})
        params = Parameters(start=start, end=end, region=options["region"],
                            category=options["category"], competency=options["competency"],
                            programmes=options["programme"],
                            without_programme=options["without_programme"],
                            min_batch=options["min_batch"], max_batch=options["max_batch"],
                            asn_weight=options["asn_weight"], max_km=options["max_km"])
        instance, summary = build_instance(user, params)
        if options["save_instance"]:
            dump_instance(instance, options["save_instance"])
        self.stderr.write(json.dumps({"instance": summary}))
        if not instance.people or not instance.programmes:
            self._fail({"errors": [{"field": "--from-registry", "code": "empty",
                                    "message": "Tidak ada orang di bawah standar atau program "
                                    "untuk sasaran ini."}]})
        return instance

    def _accept(self, options: dict[str, Any]) -> None:
        from django.db import transaction

        from sdmkesos.core.errors import DomainError, ValidationFailed
        from sdmkesos.core.models import Organisation, Region
        from sdmkesos.training.actions import do_accept_plan, do_create_plan

        user = self._user(options)
        try:
            data = json.loads(Path(options["accept"]).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            self._fail({"errors": [{"field": "--accept", "code": "unreadable",
                                    "message": str(error)}]})
        organisation = Organisation.objects.filter(code=options["organisation"] or "").first()
        if organisation is None:
            self._fail({"errors": [{"field": "--organisation", "code": "required",
                                    "message": "--organisation KODE (penyelenggara) wajib "
                                    "diisi."}]})
        region = Region.objects.filter(code=options["region"]).first() if options[
            "region"] else None
        try:
            with transaction.atomic():
                plan = do_create_plan(
                    actor=user, channel="cli", name=options["name"] or Path(
                        options["accept"]).name, organisation=organisation, region=region,
                    parameters={"source": str(options["accept"])}, result=data)
                created = do_accept_plan(actor=user, channel="cli", plan=plan)
        except ValidationFailed as error:
            self._fail({"errors": [e.as_dict() for e in error.errors]})
        except DomainError as error:
            self._fail({"errors": [error.as_dict()]})
        self.stdout.write(json.dumps({"plan": plan.pk, "batches": [b.pk for b in created],
                                      "nominations": sum(b.nominations.count()
                                                         for b in created)}))

    def _fail(self, data: dict[str, Any]) -> NoReturn:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        self.stdout.flush()
        sys.exit(EXIT_INVALID)


def _summary(data: dict[str, Any], lang: str) -> str:
    en = lang == "en"
    unc = data["uncovered"]
    gap = "-" if data["gap"] is None else f"{100 * data['gap']:.2f}%"
    lines = [
        f"{'method' if en else 'metode'}: {data['method']} ({data['status']}, "
        f"{data['seconds']} s)",
        ("objective (weighted gap levels closed)" if en
         else "tujuan (kesenjangan berbobot tertutup)")
        + f": {data['objective']}; {'bound' if en else 'batas'}: {data['bound']}; gap: {gap}",
        f"{'batches' if en else 'angkatan'}: {len(data['batches'])}; "
        f"{'trained' if en else 'peserta'}: {data['trained']}; "
        f"{'cost' if en else 'biaya'}: Rp {data['cost']['total']:,}"
        + (f" / Rp {data['cost']['budget']:,}" if "budget" in data["cost"] else ""),
        f"{'uncovered' if en else 'belum terlayani'}: {unc['persons']} "
        f"({unc['gap_levels']} {'gap levels' if en else 'level kesenjangan'})",
    ]
    for reason, count in unc["by_reason"].items():
        lines.append(f"  {reason}: {count} ({unc['reasons'][reason]})")
    return "\n".join(lines)
