from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kindred.observe import services
from kindred.observe.engine.fhir import FhirError
from kindred.observe.engine.redcap import RedcapError
from kindred.observe.views.instruments import parse_instrument_file


class Command(BaseCommand):
    help = (
        "Import a FHIR R4 Questionnaire (.json) or a REDCap data dictionary (.csv) as a new, "
        "published instrument version; prints what was created or each error."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the .json Questionnaire or .csv dictionary.")
        parser.add_argument(
            "--draft", action="store_true", help="Store as a draft instead of publishing."
        )

    def handle(self, *args, file: str, draft: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        try:
            content = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CommandError(f"{file}: not UTF-8 text.") from None
        try:
            definition, source = parse_instrument_file(content, path.name)
        except (FhirError, RedcapError) as exc:
            for problem in exc.problems:
                self.stderr.write(f"error: {problem}")
            raise CommandError(f"{file}: not imported ({len(exc.problems)} problems).") from None
        try:
            services.import_instrument(definition, source=source, publish=not draft)
        except services.InstrumentExists as exc:
            raise CommandError(str(exc)) from None
        state = "draft" if draft else "published"
        self.stdout.write(
            f"Created {definition.slug} version {definition.version} ({state}, {source}): "
            f"{len(definition.answerable_items)} questions, {len(definition.scales)} scores."
        )
        for item in definition.items:
            self.stdout.write(f"  {item.link_id:30} {item.type}")
        return None
