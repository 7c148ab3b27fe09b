from typing import Any

from django.db import migrations, models


def keep_first_of_each(apps: Any, schema_editor: Any) -> None:
    """Lines recorded twice before the constraint existed (a chunk executed twice at once): keep the first."""
    failure = apps.get_model("contributions", "WriteFailure")
    seen: set[tuple[int, int, int, str]] = set()
    repeats: list[int] = []
    for row in failure.objects.order_by("pk").values_list("pk", "run_id", "employment_id", "component_key", "reason"):
        key = row[1:]
        if key in seen:
            repeats.append(row[0])
        seen.add(key)
    failure.objects.filter(pk__in=repeats).delete()


class Migration(migrations.Migration):
    dependencies = [  # noqa: RUF012
        ("contributions", "0003_write_chunks"),
        ("employees", "0003_run_resumed"),
    ]

    operations = [  # noqa: RUF012
        migrations.RunPython(keep_first_of_each, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="writefailure",
            constraint=models.UniqueConstraint(
                fields=("run", "employment", "component_key", "reason"), name="one_failure_line"
            ),
        ),
    ]
