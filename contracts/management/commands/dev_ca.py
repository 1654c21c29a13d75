"""Make the development CA's root and, with --all, a certificate for every organisation."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from contracts import pki


class Command(BaseCommand):
    help = "Create the development signing CA (var/signing/) and organisation certificates."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--all", action="store_true", help="issue every organisation's too")

    def handle(self, *args, **options) -> None:
        if not pki.is_development_ca():
            raise CommandError("CONTRACT_SIGNING_CA is not 'dev': the configured CA issues.")
        root = pki.root()
        self.stdout.write(
            f"root: {root.certificate.subject.rfc4514_string()} in {pki.signing_dir()}"
        )
        if options["all"]:
            for organisation in Organisation.objects.order_by("pk"):
                pair = pki.organisation_keys(organisation)
                self.stdout.write(f"{organisation.name}: {pair.certificate.serial_number:x}")
