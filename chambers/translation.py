"""Model translations (one column per working language, settings.LANGUAGES), and the change
history registered after them.

simple-history is registered here, after modeltranslation has added ``name_en`` etc., so the
historical model carries every translation (declaring ``HistoricalRecords()`` on a translated
model broke saves, see STACK-NOTES.md).
"""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from .models import Chamber, Contact, MembershipPeriod


@register(Chamber)
class ChamberTranslationOptions(TranslationOptions):
    fields = ("name", "short_name", "city")
    # One language is enough (core.translated.require_one): the others fall back to it.
    required_languages = ()


@register(Contact)
class ContactTranslationOptions(TranslationOptions):
    fields = ("position",)


@register(MembershipPeriod)
class MembershipPeriodTranslationOptions(TranslationOptions):
    fields = ("basis",)


# Today's stored status is derived data, renewed nightly: not a change anyone made.
register_history(Chamber, app=__package__, excluded_fields=["current_status"])
register_history(MembershipPeriod, app=__package__)
register_history(Contact, app=__package__)
