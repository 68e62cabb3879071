from django.apps import AppConfig


class StockConfig(AppConfig):
    name = "benchmarks.stock"
    label = "bench_stock"
    default_auto_field = "django.db.models.AutoField"
