"""Model translations of the meetings' content: one column per working language
(settings.LANGUAGES) of what the secretariat writes; the plain attribute (``meeting.title``) reads
the active language, falling back to the union's default (settings.MODELTRANSLATION_*)."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    ActionItem,
    AgendaItem,
    Decision,
    Meeting,
    MinutesVersion,
    Priority,
    Procedure,
)


@register(Meeting)
class MeetingTranslationOptions(TranslationOptions):
    fields = ("title", "minutes")


@register(AgendaItem)
class AgendaItemTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(Decision)
class DecisionTranslationOptions(TranslationOptions):
    fields = ("title", "text")


@register(Priority)
class PriorityTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(ActionItem)
class ActionItemTranslationOptions(TranslationOptions):
    fields = ("title",)


@register(Procedure)
class ProcedureTranslationOptions(TranslationOptions):
    fields = ("letter",)


@register(MinutesVersion)
class MinutesVersionTranslationOptions(TranslationOptions):
    fields = ("text",)
