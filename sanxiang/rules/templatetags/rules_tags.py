"""``{% load rules_tags %}``: ``{{ text|citation }}`` writes a short citation with the document's real
title; ``{% rule "key" region on as r %}`` reads a rule for a template."""

from django import template

from sanxiang.rules.selectors import rule_for
from sanxiang.rules.sources import public_citation

register = template.Library()
register.filter("citation", public_citation)


@register.simple_tag
def rule(key: str, region: str, on):
    return rule_for(key, region=region, on=on)
