"""The Gantt page in a real browser (the system's Chromium).

A duration typed in the grid is saved, the plan rescheduled, and the successors and the critical
path move on screen; a link that would close a loop is refused with a message naming the
activities; deleting a link moves its successor; a plan of 2,000 activities keeps only the rows
in view in the page.
"""

from datetime import datetime
from itertools import pairwise

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from pmo.core.testing.logins import PASSWORD
from pmo.planning import services
from pmo.planning.models import Activity, Link, ProjectPlan

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

DAY = 480  # working minutes in a standard day


def at(year, month, day, hour=8) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour))


@pytest.fixture
def plan(world):
    """Design (3d) leads to two branches that meet at Launch: Build (5d) → Test (2d), which is
    critical, and Write docs (2d) → Review docs (1d), which has 4 days of float."""
    project = world.project
    services.update_plan(actor=world.admin, project=project, changes={"start": at(2026, 3, 2)})  # a Monday

    def make(key, wbs, name, days, **more):
        activity = services.create_activity(
            actor=world.admin, project=project, name=name, wbs_code=wbs, duration_minutes=days * DAY, **more
        )
        return key, activity

    activities = dict(
        [
            make("design", "1.1", "Design", 3),
            make("build", "1.2", "Build", 5),
            make("test", "1.3", "Test", 2),
            make("docs", "1.4", "Write docs", 2),
            make("review", "1.5", "Review docs", 1),
            make("launch", "1.6", "Launch", 0, is_milestone=True),
        ]
    )
    for predecessor, successor in (
        ("design", "build"),
        ("build", "test"),
        ("test", "launch"),
        ("design", "docs"),
        ("docs", "review"),
        ("review", "launch"),
    ):
        services.create_link(actor=world.admin, predecessor=activities[predecessor], successor=activities[successor])
    services.reschedule(actor=world.admin, projects=[project])
    return activities


def sign_in(page, live_server, username="here.manager"):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()


def open_gantt(page, live_server, project):
    """Open the project's Gantt and wait until its data is drawn; returns the chart's section."""
    page.goto(f"{live_server.url}{reverse('planning:project_gantt', args=[project.pk])}")
    gantt = page.locator("#gantt")
    expect(gantt).to_have_attribute("data-state", "ready")
    return gantt


def row(page, activity):
    return page.locator(f'#gantt-rows tr[data-id="{activity.pk}"]')


def test_a_longer_duration_moves_successors_finish_and_critical_path(live_server, page, world, plan):
    sign_in(page, live_server)
    gantt = open_gantt(page, live_server, world.project)
    expect(page.get_by_role("heading", name="Plan of CRM replacement")).to_be_visible()

    for name in ("design", "build", "test", "launch"):
        expect(row(page, plan[name])).to_have_attribute("data-critical", "true")
    for name in ("docs", "review"):
        expect(row(page, plan[name])).to_have_attribute("data-critical", "false")
    expect(row(page, plan["docs"]).locator(".gantt-float")).to_have_text("4")
    expect(row(page, plan["review"]).locator(".gantt-start")).to_have_text("2026-03-09")
    finish = page.locator(f'[data-project-finish="{world.project.pk}"]')
    expect(finish).to_have_text("2026-03-13 17:00")
    # The chart draws the same: three critical task bars, a critical milestone, six link arrows.
    expect(page.locator(".gantt-bar.task.critical")).to_have_count(3)
    expect(page.locator(".gantt-milestone.critical")).to_have_count(1)
    expect(page.locator("#gantt-canvas svg path[marker-end]")).to_have_count(6)

    duration = page.get_by_role("textbox", name="Duration of Write docs in days")
    expect(duration).to_have_value("2")
    duration.fill("9")
    duration.press("Enter")
    expect(gantt.get_by_role("status")).to_contain_text("Duration of Write docs set to 9 days.")
    expect(gantt).to_have_attribute("data-state", "ready")

    # The successor starts later, the project finishes later, the critical path changed branch.
    expect(row(page, plan["review"]).locator(".gantt-start")).to_have_text("2026-03-18")
    expect(finish).to_have_text("2026-03-18 17:00")
    for name in ("design", "docs", "review", "launch"):
        expect(row(page, plan[name])).to_have_attribute("data-critical", "true")
    for name in ("build", "test"):
        expect(row(page, plan[name])).to_have_attribute("data-critical", "false")
    expect(page.get_by_role("textbox", name="Duration of Write docs in days")).to_have_value("9")
    expect(gantt.get_by_role("alert")).to_be_hidden()

    docs, build = Activity.objects.get(pk=plan["docs"].pk), Activity.objects.get(pk=plan["build"].pk)
    assert docs.duration_minutes == 9 * DAY
    assert docs.is_critical and not build.is_critical
    assert ProjectPlan.objects.get(project=world.project).early_finish == at(2026, 3, 18, 17)

    # The time scale changes with the zoom control.
    page.get_by_label("Time scale").select_option("months")
    expect(page.locator("#gantt-timescale .gantt-tick.top").first).to_have_text("2026")


def test_a_link_closing_a_loop_is_refused_and_nothing_changes(live_server, page, world, plan):
    links_before = set(Link.objects.values_list("predecessor_id", "successor_id"))
    sign_in(page, live_server)
    gantt = open_gantt(page, live_server, world.project)
    expect(row(page, plan["design"]).locator(".gantt-start")).to_have_text("2026-03-02")

    form = page.locator("#gantt-link-form")
    form.get_by_label("Predecessor").select_option(str(plan["test"].pk))
    form.get_by_label("Successor").select_option(str(plan["design"].pk))
    form.get_by_label("Type").select_option("FS")
    form.get_by_role("button", name="Add link").click()

    expect(gantt.get_by_role("alert")).to_contain_text("This link would make a loop: Design → Build → Test → Design.")
    expect(gantt.get_by_role("status")).to_have_text("Nothing was changed.")
    assert set(Link.objects.values_list("predecessor_id", "successor_id")) == links_before
    expect(row(page, plan["design"]).locator(".gantt-start")).to_have_text("2026-03-02")
    expect(row(page, plan["build"])).to_have_attribute("data-critical", "true")
    expect(page.locator(f'[data-project-finish="{world.project.pk}"]')).to_have_text("2026-03-13 17:00")

    # Design still waits on nothing.
    row(page, plan["design"]).get_by_role("button", name="Design").click()
    links = page.locator("#gantt-links")
    expect(links.get_by_role("heading", name="Links of 1.1 Design")).to_be_visible()
    expect(links.locator("ul.gantt-linklist li")).to_have_count(2)
    expect(links).to_contain_text("1.2 Build — finish to start")


def test_deleting_a_link_lets_its_successor_start_earlier(live_server, page, world, plan):
    sign_in(page, live_server)
    gantt = open_gantt(page, live_server, world.project)
    expect(row(page, plan["test"]).locator(".gantt-start")).to_have_text("2026-03-12")

    row(page, plan["test"]).get_by_role("button", name="Test").click()
    links = page.locator("#gantt-links")
    expect(links.get_by_role("heading", name="Links of 1.3 Test")).to_be_visible()
    links.get_by_role("button", name="Delete the link from Build to Test").click()
    expect(gantt.get_by_role("status")).to_contain_text("Link removed: Build → Test.")

    # Test now waits on nothing and starts with the project; Build, with nothing after it, ends it.
    expect(row(page, plan["test"]).locator(".gantt-start")).to_have_text("2026-03-02")
    expect(row(page, plan["test"])).to_have_attribute("data-critical", "false")
    expect(row(page, plan["build"])).to_have_attribute("data-critical", "true")
    expect(page.locator(f'[data-project-finish="{world.project.pk}"]')).to_have_text("2026-03-11 17:00")
    expect(links.locator("ul.gantt-linklist li")).to_have_count(1)  # Launch after it
    assert not Link.objects.filter(predecessor=plan["build"], successor=plan["test"]).exists()


def big_plan(world, groups=100, tasks_per_group=19) -> list[Activity]:
    """``groups`` summaries of ``tasks_per_group`` chained tasks each (2,000 activities by
    default); each group also waits on the group 20 before it. Written in bulk: the point here is
    the page, not the services, which have their own tests."""
    project = world.project
    services.update_plan(actor=world.admin, project=project, changes={"start": at(2026, 3, 2)})
    summaries = Activity.objects.bulk_create(
        Activity(project=project, position=group * 100, wbs_code=str(group + 1), name=f"Phase {group + 1}")
        for group in range(groups)
    )
    tasks = Activity.objects.bulk_create(
        Activity(
            project=project,
            parent=summary,
            position=group * 100 + task + 1,
            wbs_code=f"{group + 1}.{task + 1}",
            name=f"Task {group + 1}.{task + 1}",
            duration_minutes=(1 + (group + task) % 4) * DAY,
        )
        for group, summary in enumerate(summaries)
        for task in range(tasks_per_group)
    )
    by_group = [tasks[group * tasks_per_group : (group + 1) * tasks_per_group] for group in range(groups)]
    links = [Link(predecessor=a, successor=b) for chain in by_group for a, b in pairwise(chain)]
    links += [Link(predecessor=by_group[group - 20][-1], successor=by_group[group][0]) for group in range(20, groups)]
    Link.objects.bulk_create(links)
    services.reschedule(actor=world.admin, projects=[project])
    return summaries + tasks


def test_a_plan_of_2000_activities_keeps_only_the_rows_in_view(live_server, page, world, record_property):
    activities = big_plan(world)
    assert len(activities) == 2000
    sign_in(page, live_server)
    gantt = open_gantt(page, live_server, world.project)

    table = gantt.get_by_role("table", name="Activities by WBS")
    expect(table).to_have_attribute("aria-rowcount", "2001")
    rendered = page.locator("#gantt-rows tr[data-id]")
    expect(rendered.first).to_have_attribute("data-summary", "true")
    assert rendered.count() < 100

    # Timings of the first load, kept in the test report (never asserted: see benchmarks/).
    timings = page.evaluate(
        """() => {
            const measure = (name) => performance.getEntriesByName(name)[0]?.duration;
            return {
                fetch_ms: measure("gantt:fetch"),
                first_render_ms: measure("gantt:first-render"),
                navigation_to_rendered_ms: performance.getEntriesByName("gantt:rendered")[0]?.startTime,
            };
        }"""
    )
    for name, value in timings.items():
        assert value is not None, name
        record_property(name, round(value, 1))

    # Scrolling to the end brings the last activities into the page.
    last = activities[-1]
    page.locator("#gantt-scroll").evaluate("box => { box.scrollTop = box.scrollHeight; }")
    expect(row(page, last)).to_be_visible()
    expect(row(page, last).locator(".gantt-wbs")).to_have_text("100.19")
    assert page.locator("#gantt-rows tr[data-id]").count() < 100

    # Collapsing a summary hides its tasks; "Expand all" brings them back.
    page.locator("#gantt-scroll").evaluate("box => { box.scrollTop = 0; }")
    page.get_by_role("button", name="Sub-activities of Phase 1").click()
    expect(page.get_by_role("button", name="Sub-activities of Phase 1")).to_have_attribute("aria-expanded", "false")
    expect(table).to_have_attribute("aria-rowcount", str(2001 - 19))
    expect(row(page, activities[100])).to_have_count(0)  # Task 1.1
    page.get_by_role("button", name="Expand all").click()
    expect(table).to_have_attribute("aria-rowcount", "2001")
    expect(row(page, activities[100])).to_be_visible()
