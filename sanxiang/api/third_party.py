"""Third-party apps under Chinese names in the admin (INSTALLED_APPS names these configs).

Their model and field names are translated in sanxiang/locale (they ship no zh-hans).
"""

from axes.apps import AppConfig as AxesAppConfig
from django_tasks_db.apps import TasksAppConfig as TasksDbAppConfig


class AxesConfig(AxesAppConfig):
    """django-axes: login lockout."""

    verbose_name = "登录安全"


class TasksDatabaseConfig(TasksDbAppConfig):
    """django-tasks' database backend: background tasks."""

    verbose_name = "后台任务"
