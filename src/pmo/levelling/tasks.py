"""Background tasks of levelling (run by ``pmo worker``; ``pmo serve`` starts one beside the web server)."""

from django.tasks import task

from pmo.levelling import services


@task()
def level_run(run_id: int) -> None:
    """Compute a queued levelling run's scenario."""
    services.execute_run(run_id)
