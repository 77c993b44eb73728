"""The procedure definitions, one module per procedure: each holds its stages and records, the fields
and rules of its records, its periods (from the rules registry), its case-number prefix, which
transition enters legal review and how its decision is disclosed. Adding a procedure is adding a
module here and naming it in ``MODULES``.
"""

from __future__ import annotations

from sanxiang.procedures.library import (
    adjudication,
    benefit,
    coercive_measure,
    confirmation,
    fee,
    inspection,
    levy,
    licensing,
    penalty_general,
    penalty_simple,
)

MODULES = (
    penalty_general,
    penalty_simple,
    licensing,
    coercive_measure,
    inspection,
    levy,
    fee,
    confirmation,
    adjudication,
    benefit,
)
ALL = tuple(m.DEFINITION for m in MODULES)
