"""The training register's resources through the permission matrix of ``pmo.core.testing.harness``."""

from pmo.core.testing.harness import PermissionMatrix
from pmo.resourcing.tests.permission_resources_training import TRAINING_RESOURCES


class TestTrainingResources(PermissionMatrix):
    resources = TRAINING_RESOURCES
