"""Tests of the meetings app. Their meetings are made by :func:`tests.scenes.make_meeting`,
through the services, as the secretariat would."""
