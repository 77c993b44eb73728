"""Seed the holiday table from the installed chinesecalendar package, so that `migrate` alone
gives a working calendar. Later package releases are loaded with `sanxiang seed-holidays`, which
writes the same snapshot format and so records nothing for years that did not change."""

from django.db import migrations


def seed(apps, schema_editor):
    from sanxiang.workdays import seeding

    CalendarYear = apps.get_model("workdays", "CalendarYear")
    SpecialDay = apps.get_model("workdays", "SpecialDay")
    CalendarYearRevision = apps.get_model("workdays", "CalendarYearRevision")
    note = f"chinesecalendar {seeding.package_version()}"
    for year, rows in seeding.chinesecalendar_years().items():
        if CalendarYear.objects.filter(year=year).exists():
            continue
        calendar_year = CalendarYear.objects.create(
            year=year,
            status="published",
            notice_number=seeding.NOTICE_NUMBERS.get(year, ""),
            source="chinesecalendar",
            version=1,
        )
        SpecialDay.objects.bulk_create(
            SpecialDay(calendar_year=calendar_year, date=r.date, kind=r.kind, name=r.name) for r in rows
        )
        content = seeding.snapshot(
            year=year,
            status=calendar_year.status,
            notice_number=calendar_year.notice_number,
            source=calendar_year.source,
            days=rows,
        )
        CalendarYearRevision.objects.create(
            calendar_year=calendar_year,
            version=1,
            status=calendar_year.status,
            notice_number=calendar_year.notice_number,
            source=calendar_year.source,
            snapshot=content,
            digest=seeding.digest(content),
            note=note,
        )


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
