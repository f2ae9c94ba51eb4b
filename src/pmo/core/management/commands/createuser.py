import getpass
import sys

from django.core.management.base import BaseCommand, CommandError

from pmo.core.choices import Role
from pmo.core.errors import DomainError
from pmo.core.services import create_login


class Command(BaseCommand):
    help = "Create a login and its person, optionally with an organisation-wide role."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=Role.values, default=None)
        parser.add_argument("--email", default="")
        parser.add_argument("--full-name", default="")
        parser.add_argument("--password-stdin", action="store_true")

    def handle(self, *args, username, role, email, full_name, password_stdin, **options):
        if password_stdin or not sys.stdin.isatty():
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ; nothing was created.")
        try:
            person = create_login(
                actor=None,
                person=None,
                username=username,
                password=password,
                email=email,
                full_name=full_name,
                role=role,
            )
        except DomainError as error:
            raise CommandError(f"{error.message} Nothing was created.") from None
        granted = f" with the role {Role(role).label}" if role else ""
        self.stdout.write(self.style.SUCCESS(f"Created the login {username!r} for {person.full_name}{granted}."))
