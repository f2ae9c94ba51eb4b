"""Charts: plotly.js comes from the installed plotly package (never a CDN) and figures reach the
page as JSON that plotly.js reads."""

import json
import re
from decimal import Decimal
from pathlib import Path

import plotly
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.template import Context, Template


def test_the_finder_serves_plotly_js_from_the_package():
    located = finders.find("vendor/plotly.min.js")
    assert located is not None
    assert Path(located).read_bytes() == (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()
    assert finders.find("vendor/plotly.min.js", find_all=True) == [located]
    assert finders.find("vendor/missing.js") is None


def test_collectstatic_copies_plotly_js_for_production(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "vendor" / "plotly.min.js").stat().st_size > 1_000_000
    assert (tmp_path / "web" / "charts.js").exists()


def test_the_chart_tag_writes_the_figure_as_json_with_decimals_as_numbers():
    figure = {"data": [{"type": "bar", "x": ["A", "B"], "y": [Decimal("1.5"), 2]}], "layout": {"title": "<b>x</b>"}}
    html = Template('{% load pmo_tags %}{% chart figure "spend" "Spend by project" 200 True %}').render(
        Context({"figure": figure})
    )
    assert 'id="spend" data-chart="spend-figure"' in html
    assert 'aria-label="Spend by project"' in html and "min-height:200px" in html and "data-click-url" in html
    payload = re.search(r'<script id="spend-figure" type="application/json">(.*?)</script>', html).group(1)
    assert "<b>" not in payload  # escaped inside the script element
    assert json.loads(payload)["data"][0]["y"] == [1.5, 2]


def test_every_page_loads_the_chart_script_but_not_plotly_itself(client, django_user_model):
    user = django_user_model.objects.create_user("viewer", password="x")
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "web/charts.js" in html
    assert 'name="pmo-plotly" content="/static/vendor/plotly.min.js"' in html
    assert '<script src="/static/vendor/plotly.min.js"' not in html  # loaded only where a chart is
    assert "cdn" not in html.lower()
