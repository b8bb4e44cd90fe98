"""The Celery application: configured from Django settings under the CELERY_ namespace."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("jsc")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _make_filesystem_broker_folders(sender: Celery, **kwargs: object) -> None:
    """The embedded default's filesystem transport needs its folders before the first message."""
    for key in ("data_folder_in", "data_folder_out", "processed_folder"):
        folder = (sender.conf.broker_transport_options or {}).get(key)
        if folder and str(sender.conf.broker_url).startswith("filesystem://"):
            Path(folder).mkdir(parents=True, exist_ok=True)
