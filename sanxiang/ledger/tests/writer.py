"""A writer process for the concurrency tests: ``python -m sanxiang.ledger.tests.writer write TAG THREADS COUNT``
appends THREADS x COUNT entries from THREADS threads; ``check`` prints what the log holds as JSON."""

from __future__ import annotations

import json
import os
import sys
import threading


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from sanxiang.ledger import audit, services
    from sanxiang.ledger.models import Entry

    if argv[0] == "check":
        seqs = list(Entry.objects.order_by("seq").values_list("seq", flat=True))
        report = audit.verify_log()
        print(json.dumps({"seqs": seqs, "ok": report.ok, "problem": str(report.problem)}))
        return 0
    tag, threads, count = argv[1], int(argv[2]), int(argv[3])
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for i in range(count):
                with transaction.atomic():  # the caller's transaction, as other apps call record()
                    services.record(
                        kind="test.concurrent",
                        subject=("test.writer", f"{tag}-{worker}"),
                        actor=None,
                        payload={"i": i},
                    )
        except BaseException as exc:  # reported to the parent through the exit status
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=write, args=(w,)) for w in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    if errors:
        print(repr(errors[0]), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
