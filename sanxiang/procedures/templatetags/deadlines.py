"""``{{ state|deadline_state_label }}``: the Chinese name of a deadline state (engine.DEADLINE_STATE_LABELS)."""

from django import template

from sanxiang.procedures.engine import deadline_state_label

register = template.Library()
register.filter("deadline_state_label", deadline_state_label)
