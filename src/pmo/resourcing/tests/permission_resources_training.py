"""The training register in the permission matrix: courses and people's places on them are
organisation records (anyone with a role reads them; a role across the organisation changes them)."""

from datetime import date

from pmo.core.testing.harness import Resource, form_data
from pmo.resourcing.forms.training import TrainingCourseForm, TrainingRecordForm
from pmo.resourcing.models import Resource as ResourceModel
from pmo.resourcing.models import TrainingCourse, TrainingRecord
from pmo.resourcing.services import resources as resource_services
from pmo.resourcing.services import training as services
from pmo.resourcing.testing import skill


def _course(world) -> TrainingCourse:
    existing = TrainingCourse.objects.filter(name="Python for analysts").first()
    return existing or services.create_course(
        actor=world.admin,
        name="Python for analysts",
        provider="Acme Learning",
        skills=[(skill(world.admin, "Python"), 3)],
    )


def _record(world) -> TrainingRecord:
    existing = TrainingRecord.objects.filter(resource__person=world.person).first()
    if existing:
        return existing
    resource = ResourceModel.objects.filter(person=world.person).first() or resource_services.create_resource(
        actor=world.admin, person=world.person
    )
    return services.plan_training(actor=world.admin, resource=resource, course=_course(world), start=date(2026, 3, 2))


def course_form(course: TrainingCourse, **overrides) -> dict:
    """The course edit form as shown (with its rows of skills), with ``overrides`` typed in."""
    data = form_data(TrainingCourseForm, course, **overrides)
    rows = list(course.taught.order_by("skill__name"))
    data.update({"skills-TOTAL_FORMS": str(len(rows)), "skills-INITIAL_FORMS": str(len(rows))})
    for index, row in enumerate(rows):
        data[f"skills-{index}-skill"] = row.skill_id
        data[f"skills-{index}-level"] = row.level
    return data


TRAINING_RESOURCES = [
    Resource(
        name="training-course",
        obj=_course,
        permitted=lambda w: w.org_head,
        scoped=False,
        ui_list="resourcing:course_list",
        ui_detail="resourcing:course_detail",
        ui_edit="resourcing:course_edit",
        edit_form=lambda course: course_form(course, provider="Acme Academy"),
        api_basename="training-course",
        api_change={"provider": "Acme Academy"},
    ),
    Resource(
        name="training-record",
        obj=_record,
        permitted=lambda w: w.org_head,
        scoped=False,
        ui_list="resourcing:training_records",
        ui_edit="resourcing:training_record_edit",
        edit_form=lambda record: form_data(TrainingRecordForm, record, note="Booked through HR"),
        api_basename="training-record",
        api_change={"note": "Booked through HR"},
    ),
]
