import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
application = get_wsgi_application()

# Load the Chinese segmentation dictionary before the first public search, not during it.
from sanxiang.disclosure.search import tokenizer  # noqa: E402

tokenizer()
