"""Staff see every 双公示 item under its Chinese name, never an internal key."""

import pytest

from sanxiang.disclosure import fields as F


@pytest.mark.parametrize("kind", sorted(F.COLUMNS))
def test_every_column_and_attachment_has_a_chinese_label(kind):
    keys = [key for _name, key in F.COLUMNS[kind]] + ["attachments"]
    untranslated = [key for key in keys if F.label_for(kind, key) == key]
    assert untranslated == []
