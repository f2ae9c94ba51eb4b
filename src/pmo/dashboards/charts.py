"""Plotly figures of the dashboards, as plain dicts of numbers and strings (the page draws them
with plotly.js from the plotly package through ``{% chart %}``).

A point that opens a page carries the page's path in ``customdata`` (the chart tag's
``clickable``): a project's point opens the project, a health bar opens the list of projects
behind it.
"""

from urllib.parse import urlencode

from django.urls import reverse

from pmo.health.choices import HealthStatus
from pmo.portfolio.choices import RAG

COLOURS = {
    HealthStatus.RED: "#d64541",
    HealthStatus.AMBER: "#e8a317",
    HealthStatus.GREEN: "#2e9d5b",
    HealthStatus.NOT_ASSESSED: "#9aa5b4",
}
STATUS_LABELS = dict(HealthStatus.choices)
FONT = {"family": "system-ui, sans-serif", "size": 12}


def _layout(**extra) -> dict:
    return {
        "margin": {"l": 50, "r": 20, "t": 20, "b": 45},
        "font": FONT,
        "legend": {"orientation": "h", "y": -0.2},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        **extra,
    }


def _list_url(query: list[tuple[str, object]], **extra) -> str:
    parameters = [*query, *extra.items()]
    return f"{reverse('dashboards:projects')}?{urlencode(parameters)}"


def rag_figure(data: dict, query: list[tuple[str, object]]) -> dict:
    """Latest overall health beside the managers' RAG: two horizontal stacked bars."""
    traces = []
    for status in (HealthStatus.RED, HealthStatus.AMBER, HealthStatus.GREEN, HealthStatus.NOT_ASSESSED):
        x = [data["health"][status], data["manager_rag"].get(status, 0) if status in RAG.values else 0]
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": STATUS_LABELS[status],
                "y": ["Health check", "Manager's RAG"],
                "x": x,
                "marker": {"color": COLOURS[status]},
                "customdata": [_list_url(query, dimension="overall", health=status), ""],
                "hovertemplate": "%{y}: %{x} projects<extra>" + STATUS_LABELS[status] + "</extra>",
            }
        )
    return {
        "data": traces,
        "layout": _layout(barmode="stack", xaxis={"title": {"text": "projects"}}, yaxis={"automargin": True}),
    }


def dimension_figure(data: dict, query: list[tuple[str, object]]) -> dict:
    """Six dimensions x status, stacked bars; a bar opens the list of its projects."""
    labels = [row["label"] for row in data["dimensions"]]
    traces = []
    for status in (HealthStatus.RED, HealthStatus.AMBER, HealthStatus.GREEN, HealthStatus.NOT_ASSESSED):
        traces.append(
            {
                "type": "bar",
                "name": STATUS_LABELS[status],
                "x": labels,
                "y": [row[status] for row in data["dimensions"]],
                "marker": {"color": COLOURS[status]},
                "customdata": [
                    _list_url(query, dimension=row["dimension"], health=status) for row in data["dimensions"]
                ],
                "hovertemplate": "%{x}: %{y} projects<extra>" + STATUS_LABELS[status] + "</extra>",
            }
        )
    return {"data": traces, "layout": _layout(barmode="stack", yaxis={"title": {"text": "projects"}})}


def performance_figure(points: list[dict]) -> dict:
    """SPI against CPI, a point per project coloured by health; 1.0 lines split the quadrants."""
    traces = []
    for status in (HealthStatus.RED, HealthStatus.AMBER, HealthStatus.GREEN, HealthStatus.NOT_ASSESSED):
        chosen = [point for point in points if point["health"] == status]
        if not chosen:
            continue
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": STATUS_LABELS[status],
                "x": [point["spi"] for point in chosen],
                "y": [point["cpi"] for point in chosen],
                "text": [f"{point['code']} {point['name']}" for point in chosen],
                "customdata": [point["url"] for point in chosen],
                "marker": {"color": COLOURS[status], "size": 9, "line": {"width": 1, "color": "#fff"}},
                "hovertemplate": "%{text}<br>SPI %{x:.2f}, CPI %{y:.2f}<extra></extra>",
            }
        )
    line = {"color": "#5f6b7a", "width": 1, "dash": "dot"}
    return {
        "data": traces,
        "layout": _layout(
            xaxis={"title": {"text": "SPI (schedule)"}, "zeroline": False},
            yaxis={"title": {"text": "CPI (cost)"}, "zeroline": False},
            shapes=[
                {"type": "line", "xref": "x", "yref": "paper", "x0": 1, "x1": 1, "y0": 0, "y1": 1, "line": line},
                {"type": "line", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": 1, "y1": 1, "line": line},
            ],
            hovermode="closest",
        ),
    }


def s_curve_figure(series: list[dict]) -> dict:
    """Cumulative PV, EV and AC by period end."""
    dates = [row["period_end"].isoformat() for row in series]
    traces = [
        {"type": "scatter", "mode": "lines", "name": name, "x": dates, "y": [row[key] for row in series], "line": style}
        for key, name, style in (
            ("pv", "Planned value (PV)", {"color": "#2457c5", "dash": "dash"}),
            ("ev", "Earned value (EV)", {"color": "#2e9d5b"}),
            ("ac", "Actual cost (AC)", {"color": "#d64541"}),
        )
    ]
    return {"data": traces, "layout": _layout(yaxis={"title": {"text": "cumulative cost"}}, hovermode="x unified")}


def project_s_curve_figure(series: dict) -> dict:
    """One project: the baseline's planned value week by week, and the recorded PV, EV and AC."""
    figure = s_curve_figure(series["recorded"])
    figure["data"][0]["name"] = "Planned value recorded"
    figure["data"].insert(
        0,
        {
            "type": "scatter",
            "mode": "lines",
            "name": "Planned value (baseline)",
            "x": [row["period_end"].isoformat() for row in series["baseline_pv"]],
            "y": [row["pv"] for row in series["baseline_pv"]],
            "line": {"color": "#9aa5b4", "dash": "dot"},
        },
    )
    return figure


def value_risk_cost_figure(points: list[dict]) -> dict:
    """Strategic value against risk exposure, the bubble's area the project's cost."""
    largest = max((point["cost"] for point in points), default=0) or 1.0
    traces = []
    for status in (HealthStatus.RED, HealthStatus.AMBER, HealthStatus.GREEN, HealthStatus.NOT_ASSESSED):
        chosen = [point for point in points if point["health"] == status]
        if not chosen:
            continue
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": STATUS_LABELS[status],
                "x": [point["risk_exposure"] for point in chosen],
                "y": [point["value"] for point in chosen],
                "text": [f"{point['code']} {point['name']}" for point in chosen],
                "customdata": [point["url"] for point in chosen],
                "marker": {
                    "color": COLOURS[status],
                    "opacity": 0.7,
                    "size": [max(point["cost"], 0.0) for point in chosen],
                    "sizemode": "area",
                    "sizeref": 2.0 * largest / (40.0**2),
                    "sizemin": 3,
                    "line": {"width": 1, "color": "#fff"},
                },
                "hovertemplate": "%{text}<br>risk exposure %{x}, value %{y}<br>cost %{marker.size:,.0f}<extra></extra>",
            }
        )
    return {
        "data": traces,
        "layout": _layout(
            xaxis={"title": {"text": "risk exposure (open risks' residual scores)"}},
            yaxis={"title": {"text": "strategic value"}},
            hovermode="closest",
        ),
    }


def capacity_figure(capacity: dict) -> dict:
    """Projects by the worst load of a person on them in the next four weeks."""
    colours = ["#2e9d5b", "#8fb0ff", "#e8a317", "#d64541"]
    return {
        "data": [
            {
                "type": "bar",
                "x": [band["label"] for band in capacity["bands"]],
                "y": [band["projects"] for band in capacity["bands"]],
                "marker": {"color": colours},
                "hovertemplate": "%{x}: %{y} projects<extra></extra>",
            }
        ],
        "layout": _layout(yaxis={"title": {"text": "projects"}}, showlegend=False),
    }


def project_dimension_figure(health: dict, health_url: str) -> dict:
    """One project's six dimensions, each a bar in its status's colour."""
    dimensions = health["dimensions"]
    return {
        "data": [
            {
                "type": "bar",
                "x": [row["label"] for row in dimensions],
                "y": [1 for _ in dimensions],
                "text": [STATUS_LABELS[row["status"]] for row in dimensions],
                "textposition": "inside",
                "marker": {"color": [COLOURS[row["status"]] for row in dimensions]},
                "customdata": [health_url for _ in dimensions],
                "hovertemplate": "%{x}: %{text}<extra></extra>",
            }
        ],
        "layout": _layout(yaxis={"visible": False, "range": [0, 1]}, showlegend=False),
    }


def group_charts(data: dict, query: list[tuple[str, object]]) -> dict:
    return {
        "rag": rag_figure(data, query),
        "dimensions": dimension_figure(data, query),
        "performance": performance_figure(data["performance"]),
        "s_curve": s_curve_figure(data["s_curve"]),
        "value_risk_cost": value_risk_cost_figure(data["value_risk_cost"]),
        "capacity": capacity_figure(data["capacity"]),
    }
