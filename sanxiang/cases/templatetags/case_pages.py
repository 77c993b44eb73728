"""Small filters of the case pages."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def approval_name(approval) -> str:
    """An internal approval by the name of the record it makes (立案审批表), never its key."""
    from sanxiang.cases.selectors import selectors_record_name

    return selectors_record_name(approval)


from sanxiang.cases.display import cite_text  # noqa: E402

register.filter("cite", cite_text)
