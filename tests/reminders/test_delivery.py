import datetime as dt
import pytest
from django.utils import timezone
from reminders import services
from tests.factories import make_chamber, make_contact, make_login


def test_demo(demo):
    r = services.reminders_scan(today=dt.date(2026, 11, 25), dry_run=True)
    for line in r.lines:
        print(line.due.kind, line.due.subject, line.due.offset_days, line.recipient.key, line.recipient.email, line.recipient.language)


def test_own(default_rules):
    home = make_chamber(slug="home", short_name="Home CCI", country="KZ", name_ru="Палата Хоум")
    other = make_chamber(slug="other", short_name="Other CCI", country="TR")
    make_contact(home, name="Focal", roles=["focal_point"], email="focal@home.example", preferred_language="ru")
    make_login(None, None, username="staff", staff=True)
    r = services.reminders_scan(today=timezone.localdate(), dry_run=True)
    for line in r.lines:
        print(line.due.kind, line.due.subject, line.due.offset_days, line.recipient.key, line.recipient.email, line.recipient.language)
