"""Issue an API token; the key is printed once, as the last line, and never stored."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chambers import services
from chambers.models import Chamber, TokenScope
from core.access import Access
from core.errors import DomainError

SYSTEM = Access(user=None, label="issue_token", is_staff=True, reads_all=True, can_write=True)


class Command(BaseCommand):
    help = "Issue an API token for the secretariat or, with --chamber, for one chamber."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="What the token is for, e.g. 'website sync'.")
        parser.add_argument("--scope", choices=TokenScope.values, required=True)
        parser.add_argument("--chamber", metavar="SLUG", help="The chamber the token acts for.")

    def handle(
        self, *args: Any, name: str, scope: str, chamber: str | None = None, **options: Any
    ) -> None:
        target = None
        if chamber:
            target = Chamber.objects.filter(slug=chamber).first()
            if target is None:
                raise CommandError(f"No chamber with slug {chamber!r}.")
        try:
            token, key = services.token_issue(actor=SYSTEM, name=name, scope=scope, chamber=target)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        owner = target.short_name if target else "the secretariat"
        self.stdout.write(
            f"Token {token.name!r} ({token.scope}) for {owner}. "
            "Store this key; it is not shown again:"
        )
        self.stdout.write(key)
