"""Permission querysets of health records: they follow their project's permission."""

from pmo.portfolio.querysets import ProjectRelatedQuerySet


class ProjectSnapshotQuerySet(ProjectRelatedQuerySet):
    def latest_only(self):
        return self.filter(is_latest=True)


class HealthCheckQuerySet(ProjectRelatedQuerySet):
    def latest_only(self):
        return self.filter(is_latest=True)
