"""Model translations of the indicators: a named indicator's name in every working language."""

from modeltranslation.translator import TranslationOptions, register

from .models import Series


@register(Series)
class SeriesTranslationOptions(TranslationOptions):
    fields = ("name",)
