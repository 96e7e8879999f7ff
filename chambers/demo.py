"""The demo union: the Union of Chambers of Commerce and Industry of Turkic States as the source
article of 2026-01-08 describes it (``shared/seed/FACTS.md``). Data, not code: nothing else in
the system knows these names.
"""

from __future__ import annotations

import datetime as dt

# The source gives only the union's founding year (2019); the demo starts every period then.
UNION_FOUNDED = dt.date(2019, 1, 1)

CHAMBERS: list[dict] = [
    {
        "slug": "azerbaijan-cci",
        "short_name": "ACCI",
        "country": "AZ",
        "city": "Baku",
        "website": "https://chamber.az",
        "name_en": "Chamber of Commerce and Industry of the Republic of Azerbaijan",
        "name_ru": "Торгово-промышленная палата Азербайджанской Республики",
        "name_kk": "Әзербайжан Республикасының Сауда-өнеркәсіп палатасы",
        "name_tr": "Azerbaycan Cumhuriyeti Ticaret ve Sanayi Odası",
        "status": "member",
    },
    {
        "slug": "atameken",
        "short_name": "Atameken",
        "country": "KZ",
        "city": "Astana",
        "website": "https://atameken.kz",
        "name_en": 'National Chamber of Entrepreneurs of the Republic of Kazakhstan "Atameken"',
        "name_ru": "Национальная палата предпринимателей Республики Казахстан «Атамекен»",
        "name_kk": "«Атамекен» Қазақстан Республикасының Ұлттық кәсіпкерлер палатасы",
        "name_tr": 'Kazakistan Cumhuriyeti Ulusal Girişimciler Odası "Atameken"',
        "status": "member",
    },
    {
        "slug": "kyrgyzstan-cci",
        "short_name": "CCI KR",
        "country": "KG",
        "city": "Bishkek",
        "website": "https://cci.kg",
        "name_en": "Chamber of Commerce and Industry of the Kyrgyz Republic",
        "name_ru": "Торгово-промышленная палата Кыргызской Республики",
        "name_kk": "Қырғыз Республикасының Сауда-өнеркәсіп палатасы",
        "name_tr": "Kırgız Cumhuriyeti Ticaret ve Sanayi Odası",
        "status": "member",
    },
    {
        "slug": "tobb",
        "short_name": "TOBB",
        "country": "TR",
        "city": "Ankara",
        "website": "https://www.tobb.org.tr",
        "name_en": "The Union of Chambers and Commodity Exchanges of Türkiye",
        "name_ru": "Союз палат и товарных бирж Турции",
        "name_kk": "Түркия палаталары мен тауар биржаларының одағы",
        "name_tr": "Türkiye Odalar ve Borsalar Birliği",
        "status": "member",
    },
    {
        "slug": "uzbekistan-cci",
        "short_name": "CCI Uzbekistan",
        "country": "UZ",
        "city": "Tashkent",
        "website": "https://chamber.uz",
        "name_en": "Chamber of Commerce and Industry of the Republic of Uzbekistan",
        "name_ru": "Торгово-промышленная палата Республики Узбекистан",
        "name_kk": "Өзбекстан Республикасының Сауда-өнеркәсіп палатасы",
        "name_tr": "Özbekistan Cumhuriyeti Ticaret ve Sanayi Odası",
        "status": "member",
    },
    {
        "slug": "turkmenistan-cci",
        "short_name": "CCI Turkmenistan",
        "country": "TM",
        "city": "Ashgabat",
        "website": "https://cci.gov.tm",
        "name_en": "Chamber of Commerce and Industry of Turkmenistan",
        "name_ru": "Торгово-промышленная палата Туркменистана",
        "name_kk": "Түрікменстанның Сауда-өнеркәсіп палатасы",
        "name_tr": "Türkmenistan Ticaret ve Sanayi Odası",
        "status": "member",
    },
    {
        "slug": "mkik",
        "short_name": "MKIK",
        "country": "HU",
        "city": "Budapest",
        "website": "https://mkik.hu",
        "name_en": "Hungarian Chamber of Commerce and Industry",
        "name_ru": "Венгерская торгово-промышленная палата",
        "name_kk": "Мажарстанның Сауда-өнеркәсіп палатасы",
        "name_tr": "Macaristan Ticaret ve Sanayi Odası",
        "status": "observer",
    },
]

#: Focal points get the union's reminders, each in its own language: Atameken's in Kazakh, the
#: others in Russian, Turkish or English. Addresses are on the reserved ``.example`` domain.
FOCAL_POINT_LANGUAGES = {
    "azerbaijan-cci": "ru",
    "atameken": "kk",
    "kyrgyzstan-cci": "ru",
    "tobb": "tr",
    "uzbekistan-cci": "ru",
    "turkmenistan-cci": "ru",
    "mkik": "en",
}

CONTACTS: list[dict] = [
    {
        "chamber": "atameken",
        "name": "Raimbek Batalov",
        "position": "Chairman of the Presidium",
        "roles": ["head"],
        "preferred_language": "kk",
    },
    *(
        {
            "chamber": slug,
            "name": "International Relations Department",
            "position": "Focal point for the union",
            "roles": ["focal_point"],
            "email": f"international@{slug}.example",
            "preferred_language": language,
        }
        for slug, language in FOCAL_POINT_LANGUAGES.items()
    ),
]

#: Demo logins for local demonstration only (README says so); never load them in production.
DEMO_PASSWORD = "demo-pass-2026"
LOGINS: list[dict] = [
    {
        "username": "secretariat",
        "staff": True,
        "language": "en",
        "email": "secretariat@union.example",
    },
    {
        "username": "atameken",
        "chamber": "atameken",
        "role": "editor",
        "language": "kk",
        "email": "portal@atameken.example",
    },
    {
        "username": "tobb",
        "chamber": "tobb",
        "role": "viewer",
        "language": "tr",
        "email": "portal@tobb.example",
    },
]
