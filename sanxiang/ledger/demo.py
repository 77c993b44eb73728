"""Demo records: an on-site inspection with its written record and a short recording, a correction, a
view in the access log, and a signed checkpoint — so that ``sanxiang verify`` and ``export-proof`` have
something to check. Idempotent: nothing is recorded twice."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.db import transaction

from sanxiang.accounts.models import User
from sanxiang.demo import register_step
from sanxiang.ledger import access, blobs, services
from sanxiang.ledger.models import Entry

SUBJECT = ("demo.inspection", "SYQ-2026-0001")
NOTES = """现场检查笔录
检查时间：2026年3月2日 9时15分至10时05分
检查地点：宁江区某某路12号 某某食品店
执法人员：执法员（证件号 22070200000）、执法员二（证件号 22070200001），已出示执法证件
检查情况：经营场所卫生状况一般，未发现过期食品。
"""


def _demo_video() -> bytes | None:
    """One second of test pattern (ffmpeg), as a body-camera recording stands in for; None without ffmpeg."""
    if shutil.which("ffmpeg") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "clip.mp4"
        subprocess.run(
            ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=duration=1:size=64x64:rate=5",
             "-metadata", "creation_time=2026-03-02T01:15:00Z", "-pix_fmt", "yuv420p", str(path)],
            check=True,
        )  # fmt: skip
        return path.read_bytes()


@register_step("ledger 执法全过程记录")
def load(*, today, out) -> None:
    if Entry.objects.filter(subject_type=SUBJECT[0], subject_id=SUBJECT[1]).exists():
        return
    officer = User.objects.filter(username="officer").first()
    head = User.objects.filter(username="head").first()
    if officer is None:
        return
    stored = [blobs.blob_ingest(stream=io.BytesIO(NOTES.encode()), media_type="text/plain")]
    video = _demo_video()
    if video is not None:
        stored.append(blobs.blob_ingest(stream=io.BytesIO(video), media_type="video/mp4"))
    with transaction.atomic():
        services.record(
            kind="inspection.started", subject=SUBJECT, actor=officer,
            payload={"place": "宁江区某某路12号", "officers": ["22070200000", "22070200001"], "credentials_shown": True},
        )  # fmt: skip
        evidence = services.record(
            kind="inspection.recorded", subject=SUBJECT, actor=officer,
            payload={"what": "现场检查笔录及执法记录仪录像", "result": "未发现违法行为"}, blobs=stored,
        )  # fmt: skip
        services.record(
            kind="inspection.recorded", subject=SUBJECT, actor=officer,
            payload={"what": "更正检查结束时间为10时05分"}, corrects=evidence,
        )  # fmt: skip
        if head is not None:
            access.access_record(actor=head, material=evidence, purpose="负责人审阅检查记录")
    checkpoint = services.checkpoint_create()
    out(f"  记录 {services.log_size()} 条，签名树头 {checkpoint.size} {checkpoint.root[:16]}…")
