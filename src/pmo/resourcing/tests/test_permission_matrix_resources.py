"""The permission matrix over resourcing's resources (also run with every app's in pmo.web)."""

import pytest

from pmo.core.testing.harness import PermissionMatrix
from pmo.portfolio.testing import build_world
from pmo.resourcing.tests.permission_resources import RESOURCES

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


class TestResourcingResources(PermissionMatrix):
    resources = RESOURCES
