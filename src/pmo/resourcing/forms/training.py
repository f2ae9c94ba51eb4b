"""Forms and filters of the training register pages (the filters serve the API too). They
validate input; the services in ``services.training`` do the writing."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.forms import formset_factory
from django.utils import timezone

from pmo.core.choices import Action
from pmo.core.forms import UserFormMixin
from pmo.resourcing.choices import PROFICIENCY_LEVELS, ResourceKind, TrainingStatus
from pmo.resourcing.models import CourseSkill, Resource, Skill, TrainingCourse, TrainingRecord

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SKILL_ROWS_PREFIX = "skills"


class ArchivedSelect(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", "Active and archived"), ("false", "Active only"), ("true", "Archived only")]


# --- courses --------------------------------------------------------------------------------


class CourseSkillForm(UserFormMixin, forms.Form):
    """One skill a course teaches and the level a participant reaches."""

    skill = forms.ModelChoiceField(queryset=Skill.objects.all(), required=False)
    level = forms.TypedChoiceField(
        choices=[("", "—"), *PROFICIENCY_LEVELS], coerce=int, empty_value=None, required=False, label="Level reached"
    )

    def __init__(self, *args, taught_skill_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        # A skill archived since the course was approved stays selectable on this course.
        if taught_skill_ids:
            self.fields["skill"].queryset = (
                self.fields["skill"].queryset | Skill.objects.filter(pk__in=taught_skill_ids)
            ).distinct()

    def clean(self):
        data = super().clean()
        skill, level = data.get("skill"), data.get("level")
        if skill is not None and level is None:
            self.add_error("level", f"Give the level the course reaches in {skill}.")
        if skill is None and level is not None and not self.has_error("skill"):
            self.add_error("skill", "Choose the skill taught to this level, or clear the level.")
        return data


CourseSkillFormSet = formset_factory(CourseSkillForm, extra=3)


class TrainingCourseForm(UserFormMixin, forms.ModelForm):
    """A course of the register with, in ``self.skills``, the rows of skills it teaches."""

    class Meta:
        model = TrainingCourse
        fields = ["name", "provider", "cost", "duration_days", "description"]
        labels = {"cost": "Cost per person", "duration_days": "Duration (days)"}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "cost": "What one place costs, in the organisation's currency.",
            "duration_days": "Working days of the course; half days allowed (0.5).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        taught = list(self.instance.taught.order_by("skill__name")) if self.instance.pk else []
        self.skills = CourseSkillFormSet(
            self.data if self.is_bound else None,
            prefix=SKILL_ROWS_PREFIX,
            initial=[{"skill": row.skill_id, "level": row.level} for row in taught],
            form_kwargs={"user": self.user, "taught_skill_ids": [row.skill_id for row in taught]},
        )

    def is_valid(self) -> bool:
        course_valid = super().is_valid()
        return self.skills.is_valid() and course_valid

    def skill_levels(self) -> list[tuple[Skill, int]]:
        """The filled rows as (skill, level), in the order typed; duplicates are the service's to refuse."""
        return [
            (row.cleaned_data["skill"], row.cleaned_data["level"])
            for row in self.skills.forms
            if row.cleaned_data.get("skill") is not None
        ]


class TrainingCourseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search")
    skill = django_filters.ModelChoiceFilter(
        queryset=lambda request: Skill.objects.visible_to(getattr(request, "user", None), Action.VIEW),
        field_name="skills",
        method="filter_skill",
        label="Teaches skill",
        empty_label="Any skill",
    )
    level = django_filters.ChoiceFilter(
        choices=PROFICIENCY_LEVELS, method="filter_level", label="To level, at least", empty_label="Any level"
    )
    provider = django_filters.CharFilter(lookup_expr="icontains")
    is_archived = django_filters.BooleanFilter(label="Archived", widget=ArchivedSelect)

    class Meta:
        model = TrainingCourse
        fields = ["q", "skill", "level", "provider", "is_archived"]

    def filter_search(self, queryset, name, value):
        teaching = CourseSkill.objects.filter(course=OuterRef("pk"), skill__name__icontains=value)
        return queryset.filter(
            Q(name__icontains=value)
            | Q(provider__icontains=value)
            | Q(description__icontains=value)
            | Q(Exists(teaching))
        )

    def filter_skill(self, queryset, name, value):
        teaching = CourseSkill.objects.filter(course=OuterRef("pk"), skill=value)
        level = self.form.cleaned_data.get("level")
        if level:
            teaching = teaching.filter(level__gte=int(level))
        return queryset.filter(Exists(teaching))

    def filter_level(self, queryset, name, value):
        # A level qualifies the skill filter (see filter_skill); on its own it selects nothing out.
        return queryset


# --- places on courses ----------------------------------------------------------------------


class TrainingPlanForm(UserFormMixin, forms.Form):
    """A place for a person on a course; the course is a field unless the page is the course's."""

    course = forms.ModelChoiceField(queryset=TrainingCourse.objects.all())
    resource = forms.ModelChoiceField(queryset=Resource.objects.filter(kind=ResourceKind.PERSON), label="Person")
    start = forms.DateField(widget=DATE, label="First day")
    book_absence = forms.BooleanField(
        required=False,
        initial=True,
        label="Book the course days as training absence",
        help_text="Takes the course days out of the person's capacity.",
    )
    note = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, course: TrainingCourse | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if course is not None:
            del self.fields["course"]


class TrainingRecordForm(UserFormMixin, forms.ModelForm):
    """Move a planned place to another first day, or change its note."""

    class Meta:
        model = TrainingRecord
        fields = ["start", "note"]
        labels = {"start": "First day"}
        widgets = {"start": DATE}


class TrainingCompleteForm(UserFormMixin, forms.Form):
    completed_on = forms.DateField(widget=DATE, label="Completed on")
    reason = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), help_text="Kept in the audit trail."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["completed_on"].initial = timezone.localdate()


class TrainingCancelForm(UserFormMixin, forms.Form):
    reason = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), help_text="Why; kept in the audit trail."
    )


class TrainingRecordFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search")
    status = django_filters.ChoiceFilter(choices=TrainingStatus.choices, empty_label="Any status")
    resource = django_filters.ModelChoiceFilter(
        queryset=lambda request: Resource.objects.visible_to(getattr(request, "user", None), Action.VIEW).filter(
            kind=ResourceKind.PERSON
        ),
        label="Person",
        empty_label="Anyone",
    )
    course = django_filters.ModelChoiceFilter(
        queryset=lambda request: TrainingCourse.objects.visible_to(getattr(request, "user", None), Action.VIEW),
        empty_label="Any course",
    )
    start_from = django_filters.DateFilter(field_name="start", lookup_expr="gte", label="Starting from", widget=DATE)
    start_to = django_filters.DateFilter(field_name="start", lookup_expr="lte", label="Starting until", widget=DATE)

    class Meta:
        model = TrainingRecord
        fields = ["q", "status", "resource", "course", "start_from", "start_to"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(resource__name__icontains=value)
            | Q(course__name__icontains=value)
            | Q(course__provider__icontains=value)
            | Q(note__icontains=value)
        )
