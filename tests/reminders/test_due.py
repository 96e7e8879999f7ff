import datetime as dt
from reminders.due import occurrences

def test_scratch(demo):
    for d in (dt.date(2026, 9, 2), dt.date(2026, 11, 25), dt.date(2026, 12, 1), dt.date(2027,1,1), dt.date(2027, 1, 28)):
        print(d)
        for due in occurrences(today=d):
            print("  ", due.kind, due.subject, due.offset_days, due.due_on, due.until, due.link, due.label, [(r.key, r.email, r.language) for r in due.recipients])
