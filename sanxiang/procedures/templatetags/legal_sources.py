"""``{{ source|legal_source }}``: the internal names of the seed documents as the public reads them."""

from django import template

from sanxiang.procedures.sources import public_source

register = template.Library()
register.filter("legal_source", public_source)
