"""Background work for research: building a de-identified dataset.

A build can be retried: each run writes a fresh folder and replaces the dataset's record of
its files, so nothing is duplicated.
"""

from __future__ import annotations

from django_tasks import task

from kindred.core.progress import tracking


@task()
def build_dataset_task(*, dataset_id: int, progress_id: str = "") -> None:
    from kindred.research.models import Dataset
    from kindred.research.services import build_dataset

    with tracking(progress_id):
        build_dataset(Dataset.objects.get(pk=dataset_id), progress_id=progress_id)
