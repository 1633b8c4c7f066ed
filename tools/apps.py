from django.apps import AppConfig


class ToolsConfig(AppConfig):
    """Development tools: the synthetic-data generator and the benchmark (`make bench`).
    Installed by the test settings and `tools.settings`, never by the production settings."""

    name = "tools"
    verbose_name = "Development tools"
