"""The permission matrix over every resource of pmo, in the web UI and the API.

Each app describes its resources in ``pmo/<app>/tests/permission_resources.py``; the harness in
``pmo.core.testing.harness`` generates the tests. A new resource is covered by adding it there.
"""

from pmo.changes.tests.permission_resources import CHANGES_RESOURCES
from pmo.core.testing.harness import PermissionMatrix
from pmo.core.tests.permission_resources import ORGANISATION_RESOURCES
from pmo.governance.tests.permission_resources import GOVERNANCE_RESOURCES
from pmo.health.tests.permission_resources import HEALTH_RESOURCES
from pmo.kpis.tests.permission_resources import KPIS_RESOURCES
from pmo.levelling.tests.permission_resources import LEVELLING_RESOURCES
from pmo.lifecycle.tests.permission_resources import LIFECYCLE_RESOURCES
from pmo.planning.tests.permission_resources import PLANNING_RESOURCES
from pmo.portfolio.tests.permission_resources import PORTFOLIO_RESOURCES
from pmo.reporting.tests.permission_resources import REPORTING_RESOURCES
from pmo.resourcing.tests.permission_resources import RESOURCING_RESOURCES


class TestEveryResource(PermissionMatrix):
    resources = [
        *ORGANISATION_RESOURCES,
        *PORTFOLIO_RESOURCES,
        *PLANNING_RESOURCES,
        *RESOURCING_RESOURCES,
        *LEVELLING_RESOURCES,
        *LIFECYCLE_RESOURCES,
        *CHANGES_RESOURCES,
        *GOVERNANCE_RESOURCES,
        *REPORTING_RESOURCES,
        *HEALTH_RESOURCES,
        *KPIS_RESOURCES,
    ]
