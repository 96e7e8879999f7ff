"""The registry of pinned query counts: every page and endpoint that lists rows, and how many
queries one GET of it costs.

Why: an N+1 (a query per chamber, meeting, vote, term or reminder) passes every functional test
on a small union and only shows in production, once the union has a few hundred chambers or has
met for a few decades. Each pin below is measured at two sizes (few rows and many rows) by the
module that owns its scene (:data:`MEASURED_IN`), and must be the same, exact number at both.
The comment by each number lists the queries, so a change in the count says which one appeared
or went away. ``tests/test_query_counts.py`` walks the URL resolver and fails when a route that
lists rows has no pin here (or is not named in :data:`NOT_LISTS` with the reason it lists none).

A key is :class:`Pin`: the route's URL name (as ``resolve(path).view_name`` gives it), who asks,
and the scene when the same page costs differently on another one (the demo union runs a
rotation; conftest's union has none).

Session logins cost two queries before the view runs: the session row and the user. A member's
request then reads the member login once (``core.access`` caches it on the request): "login"
below stands for these three. Staff have no member login: "staff login" is two. API lists
paginate: a count, then the page. Tokens are not used here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple
from urllib.parse import urlsplit

from django.urls import resolve


class Pin(NamedTuple):
    view: str  # the URL name, e.g. "chamber-list" or "admin:chambers_chamber_changelist"
    caller: str  # a role of tests/conftest.py's union, or of the scene
    scene: str = ""  # "" for conftest's union


# fmt: off
QUERY_COUNTS: dict[Pin, int] = {
    # Chambers: tests/chambers/test_queries.py, 3 and 300 chambers --------------------------
    # 1 count, 2 the page of chambers (status and member_since are subqueries of that query).
    Pin("chamber-list", "anonymous"): 2,
    # login, 4 the chamber, 5 count (the sub-list is paginated), 6 the page of its periods.
    Pin("chamber-memberships", "viewer"): 6,
    # login, 4 the chamber, 5 count (paginated), 6 the page of its contacts (chamber joined).
    Pin("chamber-contacts", "viewer"): 6,
    # 1 the chambers grouped by status today and country (chambers.selectors.ChamberDirectory,
    # the stored status or the periods: tests/chambers/test_current_status.py pins both),
    # 2-4 the first page of members, observers and suspended chambers; 5-7 the troika: 5 the
    # rotation settings, 6 the order, 7 the terms (this union has no order and no terms, so
    # the periods, chambers and Presidents are not asked for: the demo's are pinned below).
    Pin("portal:dashboard", "anonymous"): 5,
    # login (the navigation's "My chamber"), 4-7 the chambers, 8-10 the troika.
    Pin("portal:dashboard", "viewer"): 8,
    # 1 the chamber (contacts and history are for members only), 2 the series its country
    # reports (their values are read only when there are some).
    Pin("portal:chamber", "anonymous"): 2,
    # login, 4 the chamber, 5 its action items with their priority (the meetings app's part of
    # the page, read in the view), 6 its active contacts, 7 its periods, 8 the series its
    # country reports (the indicators app's part).
    Pin("portal:chamber", "viewer"): 8,
    # login, 4 the chamber, 5 its contacts.
    Pin("portal:my-chamber", "editor"): 5,
    # 1 the chambers by status and country (as the dashboard), 2-5 the first page of
    # members, observers, suspended and former members.
    Pin("portal:chambers", "anonymous"): 5,
    # Worklist: tests/chambers/test_worklist.py, 1 and 30 of every row it lists ---------------
    # staff login; 3 the upcoming meetings with unanswered invitations (counts annotated), 4 those
    # invitations with their chambers; 5 the open written procedures with their decision, 6 their
    # voters, 7 their answers; 8 count, 9 the first overdue action items with priority and
    # chamber; 10-14 the forecast of two terms (rotation settings, order, terms, periods,
    # chambers); 15 count, 16 the first held meetings with unpublished minutes; 17 count, 18 the
    # latest failed reminders; 19 count, 20 the latest failed deliveries with their subscriber.
    Pin("portal:secretariat", "staff"): 20,
    # The audit trail (tests/core/test_audit.py, 3 and 60 entries): staff login, 3 count,
    # 4 the page of entries with their users.
    Pin("portal:audit", "staff"): 4,
    # Personal data (tests/chambers/test_personal_data.py, 3 and 30 changes and reminders):
    # staff login; 3 anything held (the row); 4-5 the addresses it used (history, row); 6 the
    # row, 7 its history, 8 the reminders, 9 delegations, 10 presidencies (one address; each
    # more address the person used repeats 6-10).
    Pin("contact-personal-data", "staff"): 10,
    # staff login, 3 the countries in use (country filter), 4 filtered count, 5 the page of
    # chambers with status and member_since (no full count: SecretariatAdmin; the country's
    # name is looked up, not its 249 choices rebuilt per row).
    Pin("admin:chambers_chamber_changelist", "staff"): 5,
    # staff login, 3 filtered count, 4 the page of contacts, chamber joined.
    Pin("admin:chambers_contact_changelist", "staff"): 4,
    # staff login, 3 filtered count, 4 the page of periods, chamber joined.
    Pin("admin:chambers_membershipperiod_changelist", "staff"): 4,
    # staff login, 3 the chambers (chamber filter), 4 filtered count, 5 the page
    # of tokens with their chamber joined.
    Pin("admin:chambers_apitoken_changelist", "staff"): 5,
    # staff login, 3 the groups (groups filter), 4 filtered count, 5 full count, 6 the page of
    # users with their member login and its chamber joined.
    Pin("admin:auth_user_changelist", "staff"): 6,
    # staff login, 3 filtered count, 4 full count, 5 the page of passkeys with their user.
    Pin("admin:chambers_passkey_changelist", "staff"): 5,
    # Exports: tests/exchange/test_exports.py, 1 and 30 more of every row --------------------
    # login, 4 the chambers with status and member_since.
    # Exports built in the background (tests/exchange/test_export_files.py): staff login,
    # then the file.
    Pin("export-file", "staff"): 3,
    Pin("export-file-download", "staff"): 3,
    Pin("exchange:export-file", "staff"): 3,
    Pin("export-chambers", "viewer"): 4,
    # login, 4 the contacts with their chamber.
    Pin("export-contacts", "viewer"): 4,
    # login, 4 the decisions with their meeting, 5 their votes, 6 the votes' chambers.
    Pin("export-decisions", "viewer"): 6,
    # login, 4 the action items with priority and responsible chamber, 5 their notes.
    Pin("export-action-items", "viewer"): 5,
    # login, 4 the values with their series.
    Pin("export-indicators", "viewer"): 4,
    # Meetings: tests/meetings/test_queries.py, 3 and 60 of everything (API lists ask for a page
    # of 200: all of them) ------------------------------------------------------------------
    # login, 4 count, 5 the meetings with host and answer counts (annotations).
    Pin("meeting-list", "viewer"): 5,
    # login, 4 the meeting with its host, 5 agenda (presenter, priority), 6 invitations
    # (chamber, proxy holder), 7 delegates, 8 decisions, 9 their votes (chamber, proxy holder),
    # 10 the decisions' procedures, 11 documents, 12 the chambers with a vote on the meeting's
    # date. 8-10 are prefetched by selectors.meeting_detail for the portal page; the API shows
    # no decisions.
    Pin("meeting-detail", "viewer"): 13,
    # The versions of the minutes: login, 4 the meeting, 5 its versions (who saved, approved).
    Pin("meeting-minutes", "viewer"): 5,
    # The agenda pack: as meeting-detail (the meeting and its prefetches).
    Pin("meeting-agenda-pack", "viewer"): 12,
    Pin("meetings:agenda-pack", "viewer"): 12,
    # The minutes as PDF: login, the meeting, its versions.
    Pin("meeting-minutes-pdf", "viewer"): 5,
    # An extract: login, 4 the decision, 5 its votes (chambers), 6 its procedures.
    Pin("decision-extract", "viewer"): 6,
    # 1 the rules, 2 count, 3 the decisions with their meeting, 4 votes (chamber, proxy holder),
    # 5 the procedures, 6 their voters, 7 answers (chamber), 8 the answers' versions.
    Pin("decision-list", "anonymous"): 8,
    # login, then as for the public.
    Pin("decision-list", "viewer"): 11,
    # login, 4 the rules, 5 the decision with its meeting, 6 its votes (chamber, proxy holder),
    # 7 its procedures (none here); the outcome of a draft: 8 the rules again, 9 the full members
    # on the meeting's date, 10 attendance (present, proxies).
    Pin("decision-detail", "viewer"): 10,
    # login, 4 count, 5 priorities with their decision and its meeting and the roll-up,
    # 6 action items with the responsible chamber, 7 their notes.
    Pin("priority-list", "viewer"): 7,
    # login, 4 the priority with decision, meeting and roll-up, 5 its action items with the
    # responsible chamber, 6 their notes.
    Pin("priority-detail", "viewer"): 6,
    # login, 4 count, 5 action items with priority and responsible chamber, 6 their notes.
    Pin("action-item-list", "viewer"): 6,
    # login, 4 the action item with priority and responsible chamber, 5 its notes.
    Pin("action-item-detail", "viewer"): 5,
    # login, 4 count of the upcoming meetings, 5 their first page with host and answer counts,
    # 6 count of the past meetings, 7 their first page.
    Pin("meetings:meetings", "viewer"): 7,
    # login, 4-11 the meeting and its prefetches as in meeting-detail, 12 the voters, 13 the
    # rules (proxies).
    Pin("meetings:meeting", "viewer"): 14,
    # As the viewer's, and 14 the chamber's active contacts for the answer form (the chambers
    # that may hold its proxy are the prefetched invitations').
    Pin("meetings:meeting", "editor"): 15,
    # The session workspace: staff login, 3-10 the meeting and its prefetches, 11 the rules,
    # 12 the full members on its date, 13 attendance (present, proxies), 14 the invited
    # chambers' contacts, 15 the members and observers on its date (16 the names of those not
    # invited, when some are not: none here), 16-18 the effect forms' chambers, priorities and
    # contacts.
    Pin("meetings:meeting", "staff"): 20,
    # A version of the minutes: login, 4 the meeting, 5 its versions (who saved and who
    # approved each).
    Pin("meetings:minutes-version", "viewer"): 5,
    Pin("meetings:minutes-version", "staff"): 4,  # staff: no member login row
    # login, 4 the meetings, 5 their agendas.
    Pin("meetings:meetings-ics", "viewer"): 5,
    # login, 4 the meeting, 5 its agenda.
    Pin("meetings:meeting-ics", "viewer"): 5,
    # 1 count, 2 a page of the adopted, published decisions with their meeting, 3 votes
    # (chamber, proxy holder), 4 procedures, 5 their voters, 6 answers (chamber), 7 the
    # answers' versions.
    Pin("meetings:decisions", "anonymous"): 7,
    # login, then as for the public (drafts and unpublished decisions too).
    Pin("meetings:decisions", "viewer"): 10,
    # A procedure's page: login, 4 the decision with its meeting, 5 votes (none), 6 its
    # procedures, 7 voters, 8 answers (chamber), 9 their versions, 10 the rules.
    Pin("meetings:procedure", "viewer"): 10,
    Pin("meetings:procedure", "editor"): 10,
    # Staff login costs one query less (no member login to read).
    Pin("meetings:procedure", "staff"): 9,
    # staff login, 3-5 the effect forms' chambers, priorities and contacts.
    Pin("meetings:decision-new", "staff"): 6,
    # login, 4 count, 5 the procedures with decision and meeting, 6 voters, 7 answers
    # (chamber), 8 their versions, 9 the rules.
    Pin("procedure-list", "viewer"): 9,
    # The same without a login (only the adopted, published decisions' procedures).
    Pin("procedure-list", "anonymous"): 6,
    # login, 4 the procedure with decision and meeting, 5 voters, 6 answers, 7 versions, 8 rules.
    Pin("procedure-detail", "viewer"): 8,
    # login, 4 priorities with decision, meeting and roll-up, 5 action items with the
    # responsible chamber, 6 their notes, 7 the target indicators with their series (their
    # latest values only when there are some).
    Pin("meetings:priorities", "viewer"): 7,
    Pin("meetings:priorities", "editor"): 7,
    # login, 4 the action item (of the caller's chamber) with priority and responsible chamber,
    # 5 its notes.
    Pin("meetings:action-item", "editor"): 5,
    # staff login, 3 filtered count, 4 the page of meetings with their host,
    # 5 the first and last start (date hierarchy), 6 the years.
    Pin("admin:meetings_meeting_changelist", "staff"): 6,
    # staff login, 3 filtered count, 4 the page of decisions with their meeting.
    Pin("admin:meetings_decision_changelist", "staff"): 4,
    # staff login, 3 filtered count, 4 the page of priorities with their decision
    # and its meeting.
    Pin("admin:meetings_priority_changelist", "staff"): 4,
    # Indicators: tests/indicators/test_queries.py, 2 and 40 series of as many values ------
    # 1 the page of series (a count, 2 the page), 3 their values, 4 the reporters for the
    # filter; a member adds the login (3).
    Pin("indicators:list", "anonymous"): 4,
    Pin("indicators:list", "viewer"): 7,
    # 1 the series, 2 its values, 3 their revisions.
    Pin("indicators:detail", "anonymous"): 3,
    # 1 the count, 2 the page, 3 the values; a member adds the login (3).
    Pin("indicator-list", "anonymous"): 3,
    Pin("indicator-list", "viewer"): 6,
    # 1 the series, 2 its values, 3 their revisions.
    Pin("indicator-detail", "anonymous"): 3,
    # staff login, then the page of rows (with its count).
    Pin("admin:indicators_series_changelist", "staff"): 4,
    Pin("admin:indicators_target_changelist", "staff"): 4,
    # staff login, 3 the chambers (responsible filter), 4 filtered count, 5 the
    # page of action items with priority and responsible chamber.
    Pin("admin:meetings_actionitem_changelist", "staff"): 5,
    # staff login, 3 filtered count, 4 the one row (pk 1).
    Pin("admin:meetings_governancerules_changelist", "staff"): 4,
    # staff login, 3 filtered count, 4 the page of procedures with their decision
    # and its meeting.
    Pin("admin:meetings_procedure_changelist", "staff"): 4,
    # Rotation API: tests/rotation/test_queries.py, 3 chambers and 2 terms, 40 and 40 --------
    # "the forecast" stands for the five queries of services.rotation_forecast: the rotation
    # settings, the order, the terms (approved, proposed, waived), the membership periods of
    # the chambers in the order or in a term, and those chambers (in_bulk). Its Presidents are
    # one more query, made only when a forecast term is a recorded one: here the current term
    # always is.
    # 1 count (paginated), 2 the page of terms with chamber and President joined.
    Pin("term-list", "anonymous"): 2,
    # 1-5 the forecast of two terms (with the term before them, issue 15), 6 the recorded terms
    # among the three with their Presidents.
    Pin("rotation-current", "anonymous"): 6,
    # login (with its chamber's status); 4 the rotation settings (forecast rows), 5-9 the
    # forecast of 100 terms, 10 the recorded terms among them with their Presidents.
    Pin("rotation-forecast", "viewer"): 10,
    # login, 4 the rotation settings, 5 the order's places with their chambers.
    Pin("rotation-order", "viewer"): 5,
    # staff login, 3 filtered count, 4 the page of terms with chamber, President
    # and decision joined.
    Pin("admin:rotation_term_changelist", "staff"): 4,
    # staff login, 3 filtered count, 4 the one row (pk 1).
    Pin("admin:rotation_rotation_changelist", "staff"): 4,
    # Rotation pages: tests/rotation/test_portal.py, the demo union and 0 or 100 more terms ---
    # The troika costs 6 there: the forecast's five (the rotation settings, the order, the
    # terms, the membership periods, the chambers), then the approved terms among the previous,
    # current and next with their Presidents. "login" is tobb's.
    # The troika's 6, then 7 the chambers by status and country, 8 the members' first page,
    # 9 the observers' (the demo has no suspended chamber: that page costs nothing).
    Pin("portal:dashboard", "anonymous", "demo"): 8,
    Pin("portal:dashboard", "member", "demo"): 11,
    # 1 the approved and proposed terms (the past part of the timeline); the forecast's 7 (the
    # rotation read twice, the order, the terms, the periods, the chambers, the approved terms
    # with Presidents); the order's 3 (the rotation, the count of places, a page of them with
    # their chambers).
    Pin("rotation:rotation", "anonymous", "demo"): 11,
    Pin("rotation:rotation", "member", "demo"): 14,
    # 1 the term with its chamber, President, turn, decision and meeting, handover meeting.
    Pin("rotation:term", "anonymous", "demo"): 1,
    Pin("rotation:term", "member", "demo"): 4,
    # 1 the approved terms with their chambers and Presidents.
    Pin("rotation:rotation-ics", "anonymous", "demo"): 1,
    # Reminders: tests/reminders/test_queries.py, 5 and 60 of everything ---------------------
    # login, 4 count (paginated), 5 the page of reminders with chamber and contact joined.
    Pin("reminders:mine", "viewer"): 5,
    # staff login, 3 count, 4 the page of reminders.
    Pin("reminders:mine", "staff"): 4,
    # staff login; reminders.due.occurrences: 3 the active rules; 4 the rotation settings,
    # 5-9 the forecast (settings, order, terms, periods, chambers), 10 the chambers' names
    # (in_bulk, once); 11 the staff users' profiles, 12 the staff users, 13 the focal points and
    # heads; 14 the approved terms starting in the window (term started); 15 the meetings in the
    # window, 16 their unanswered invitations; 17 the overdue action items with their chamber;
    # 18 the log rows of everything found (each recipient's state); 19-26 a savepoint around
    # each of the scan's four parts (created, released), so one that fails never stops the
    # others (issue 15).
    Pin("reminders:due", "staff"): 26,
    # staff login, 3 the chambers (chamber filter), 4 filtered count, 5 the page of
    # reminders with their chamber, 6 the first and last due day, 7 the years (date hierarchy:
    # the rows span several years, at either size).
    Pin("admin:reminders_reminder_changelist", "staff"): 7,
    # staff login, 3 filtered count, 4 the page of rules.
    Pin("admin:reminders_reminderrule_changelist", "staff"): 4,
    # Calendars: tests/calendars/test_queries.py, 3 and 60 meetings and terms ----------------
    # The feed is fetched without a session. "key" is 1 the subscription with its user by the
    # key's hash, 2 the conditional update of its last use.
    # key, 3 the member login with its chamber's status today, 4 the invited meetings, 5 their
    # agendas, 6 the approved terms with chamber, President and decision.
    Pin("calendars:feed", "viewer"): 6,
    # key, 3 every meeting, 4 their agendas, 5 the approved terms (staff: no member login).
    Pin("calendars:feed", "staff"): 5,
    # key, 3 the member login (its chamber has left, so no meeting query), 4 the terms.
    Pin("calendars:feed", "viewer", "former chamber"): 4,
    # session, user, 3 the active subscription, 4 the member login (the menu of base.html asks
    # for the caller's access). Old (revoked) subscriptions add no queries.
    Pin("calendars:subscription", "viewer"): 4,
    # staff login, 3 the (filtered) count, 4 the page of subscriptions with their users.
    Pin("admin:calendars_calendarsubscription_changelist", "staff"): 4,
    # Webhooks: tests/webhooks/test_queries.py, 2 and 40 subscribers and deliveries -----------
    # staff login, 3 the (filtered) subscriber count, 4 the page of subscribers.
    Pin("admin:webhooks_subscriber_changelist", "staff"): 4,
    # staff login, 3 the subscriber filter's choices, 4 the (filtered) delivery count, 5 the
    # page of deliveries with their subscribers and attempt counts, 6-7 the date hierarchy's
    # range and its days.
    Pin("admin:webhooks_delivery_changelist", "staff"): 7,
}
# fmt: on

#: The modules that measure the pins: each has ``SIZES`` (two sizes) and ``CASES`` (a dict
#: whose keys are its pins). A pin may be measured by more than one of them.
MEASURED_IN = (
    "tests.core.test_audit",
    "tests.chambers.test_personal_data",
    "tests.chambers.test_queries",
    "tests.chambers.test_worklist",
    "tests.exchange.test_exports",
    "tests.exchange.test_export_files",
    "tests.meetings.test_queries",
    "tests.meetings.test_portal",
    "tests.rotation.test_queries",
    "tests.rotation.test_portal",
    "tests.reminders.test_queries",
    "tests.calendars.test_queries",
    "tests.webhooks.test_queries",
    "tests.indicators.test_queries",
)

#: The project's GET routes that list no rows, by URL name, and why. Routes that certainly list
#: rows (DRF list actions and the viewsets' other collection reads, the admin changelists of the
#: project's models, calendar files, exports) cannot be named here: they must be pinned.
NOT_LISTS: dict[str, str] = {
    "portal:contact-add": "a form",
    "portal:contact-edit": "one contact's form",
    "portal:contact-delete": "one contact's confirmation",
    "meetings:rsvp": "POST only (the answer form of the meeting page)",
    "meetings:invite-all": "POST only (a form of the session workspace)",
    "meetings:check-in": "POST only (a form of the session workspace)",
    "meetings:status": "POST only (a form of the session workspace)",
    "meetings:decision-add": "POST only (a form of the session workspace)",
    "meetings:minutes-generate": "POST only (a form of the session workspace)",
    "meeting-minutes-generate": "POST only (writes the draft)",
    "meeting-minutes-publish": "POST only (publishes a version)",
    "meetings:minutes-pdf": "one version of the minutes (as meeting-minutes-pdf, pinned)",
    "meetings:decision-extract": "one decision (as decision-extract, pinned)",
    "meetings:verify": "one decision, found by its code",
    "meetings:minutes-save": "POST only (a form of the session workspace)",
    "meetings:minutes-publish": "POST only (a form of the session workspace)",
    "meetings:decision-votes": "POST only (a form of the session workspace)",
    "meetings:decision-adopt": "POST only (a form of the session workspace)",
    "meetings:procedure-open": "POST only (a form of the procedure's page)",
    "healthz": "the health check: one SELECT 1 and the migration plan, no rows",
    "meetings:procedure-close": "POST only (a form of the procedure's page)",
    "meetings:procedure-withdraw": "POST only (a form of the procedure's page)",
    "meetings:document": "one document's file",
    "calendars:issue": "POST only",
    "calendars:revoke": "POST only",
    "login": "Django's login form",
    "logout": "POST only",
    "password_change": "a form",
    "password_change_done": "a message",
    "password_reset": "a form",
    "password_reset_done": "a message",
    "password_reset_confirm": "a form",
    "password_reset_complete": "a message",
    "mfa:overview": "the login's own second factor: a status, no rows",
    "mfa:setup": "a form (the QR code of one key)",
    "mfa:verify": "a form",
    "mfa:recovery-codes": "POST only",
    "mfa:remove": "POST only",
    "mfa:passkey-register-begin": "POST only (JSON)",
    "mfa:passkey-register-finish": "POST only (JSON)",
    "mfa:passkey-added": "the recovery codes of a first passkey, from the session",
    "mfa:passkey-auth-begin": "POST only (JSON)",
    "mfa:passkey-auth-finish": "POST only (JSON)",
    "mfa:passkey-remove": "POST only",
    "set_language": "a redirect",
    "favicon": "a redirect to the static icon",
    "api-root": "the index of API v1's endpoints, no rows",
    "schema": "the OpenAPI document",
    "api-docs": "the documentation page",
    "chamber-detail": "one chamber, nothing nested",
    "chamber-change-status": "POST only",
    "contact-detail": "one contact",
    "contact-erase": "POST only",
    "meeting-attendance": "POST only",
    "meeting-rsvp": "POST only",
    "decision-adopt": "POST only",
    "decision-votes": "POST only",
    "decision-ballot": "POST only",
    "decision-procedure": "POST only",
    "decision-procedure-close": "POST only",
    "decision-procedure-withdraw": "POST only",
    "term-detail": "one term, its chamber and President joined",
    "import-chambers": "POST only",
    "import-contacts": "POST only",
    "import-indicators": "POST only",
}

#: The admin's own views, by the end of their URL name: one object, a form, or no rows.
ADMIN_NOT_LISTS: dict[str, str] = {
    "index": "the admin's index: models, not rows",
    "app_list": "an app's models, not rows",
    "login": "a form",
    "logout": "POST only",
    "password_change": "a form",
    "password_change_done": "a message",
    "autocomplete": "Django's search widget (no autocomplete fields are configured)",
    "jsi18n": "the admin's translations",
    "view_on_site": "a redirect",
    "_add": "a form",
    "_change": "one object's form",
    "_delete": "one object's confirmation",
    "_history": "one object's history",
    "_password_change": "a form",
    "_import": "the import form",
    "_scan": "POST only: runs a scan",
    "_config": "django-otp's page of one authenticator's key",
    "_qrcode": "django-otp's QR code of one authenticator",
}


@contextmanager
def assert_expected_query_count(
    django_assert_num_queries, pin: Pin, path: str, *, size: object
) -> Iterator[None]:
    """Around one request of ``path``: it must be ``pin``'s route and cost exactly its pinned
    count (the failure lists the queries made)."""
    assert resolve(urlsplit(path).path).view_name == pin.view, (path, pin)
    with django_assert_num_queries(QUERY_COUNTS[pin], info=f"{pin} with {size}"):
        yield
