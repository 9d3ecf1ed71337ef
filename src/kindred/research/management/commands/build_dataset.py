from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kindred.research.models import DataRequest, Dataset
from kindred.research.services import build_dataset


class Command(BaseCommand):
    help = (
        "Build the de-identified dataset of an approved data request into a folder "
        "(the same extract as the background task), or list requests with --list."
    )

    def add_arguments(self, parser):
        parser.add_argument("request_id", nargs="?", type=int, help="The data request's number.")
        parser.add_argument("--out", help="Folder to write the dataset into.")
        parser.add_argument("--list", action="store_true", help="List requests and their status.")

    def handle(self, *args, request_id=None, out=None, list=False, **options):
        self.verbosity = options.get("verbosity", 1)
        if list:
            return self._list()
        if request_id is None or not out:
            raise CommandError("Give a request number and --out DIR (or --list).")
        request = DataRequest.objects.filter(pk=request_id).select_related("study").first()
        if request is None:
            raise CommandError(f"There is no data request {request_id}.")
        if not request.is_approved:
            raise CommandError(
                f"Request {request_id} is {request.get_status_display().lower()}: "
                "only approved requests are built."
            )
        folder = Path(out).resolve()
        if folder.exists() and any(folder.iterdir()):
            raise CommandError(f"{folder} is not empty; choose a new or empty folder.")
        dataset = Dataset.objects.create(request=request)
        dataset = build_dataset(dataset, out_dir=folder, log=self._log)
        report = dataset.report
        self.stdout.write(
            self.style.SUCCESS(
                f"Dataset {dataset.pk}: {dataset.row_count} rows from {dataset.family_count} "
                f"families in {folder} (k={report['k']}, smallest group "
                f"{report['smallest_class']}, {report['rows_suppressed']} rows suppressed)."
            )
        )

    def _log(self, message: str) -> None:
        if self.verbosity > 1:
            self.stdout.write(f"  {message}")

    def _list(self) -> None:
        requests = DataRequest.objects.select_related("study").order_by("pk")
        if not requests:
            self.stdout.write("No data requests yet.")
        for request in requests:
            latest = request.latest_dataset()
            built = f"; dataset {latest.pk} {latest.status}" if latest else ""
            self.stdout.write(
                f"{request.pk}\t{request.status}\t{request.study.title}\t"
                f"{request.created:%Y-%m-%d}{built}"
            )
