"""The demo union's texts in the working languages (data for ``load_demo``): each English text
with its translations. Long texts (decision texts) are in en, ru, kk and tr; the shorter ones
(titles, positions, names of places) in all nine."""

TEXTS: dict[str, dict[str, str]] = {
    "Statement of the union on the Middle Corridor": {
        "ru": "Заявление союза о Среднем коридоре",
        "kk": "Одақтың Орта дәліз туралы мәлімдемесі",
        "tr": "Birliğin Orta Koridor hakkında açıklaması",
        "az": "Birliyin Orta Dəhliz haqqında bəyanatı",
        "uz": "Ittifoqning Oʻrta yoʻlak haqidagi bayonoti",
        "ky": "Союздун Орто коридор жөнүндө билдирүүсү",
        "tk": "Birleşigiň Orta geçelge barada beýanaty",
        "hu": "A szövetség nyilatkozata a Középső Folyosóról",
    },
    "The union supports the development of the Trans-Caspian International Transport Route "
    "and asks the member states to simplify transit procedures along it.": {
        "ru": "Союз поддерживает развитие Транскаспийского международного транспортного "
        "маршрута и просит государства-члены упростить транзитные процедуры на нём.",
        "kk": "Одақ Транскаспий халықаралық көлік бағытын дамытуды қолдайды және мүше "
        "мемлекеттерден ондағы транзиттік рәсімдерді жеңілдетуді сұрайды.",
        "tr": "Birlik, Hazar Geçişli Uluslararası Taşıma Güzergâhının geliştirilmesini "
        "destekler ve üye devletlerden güzergâh boyunca transit işlemlerini kolaylaştırmalarını "
        "ister.",
    },
    "Dear colleagues, the secretariat puts the draft statement to written procedure. Please "
    "answer in the portal by the deadline.": {
        "ru": "Уважаемые коллеги, секретариат выносит проект заявления на письменную "
        "процедуру. Просим ответить на портале до истечения срока.",
        "kk": "Құрметті әріптестер, хатшылық мәлімдеме жобасын жазбаша рәсімге шығарады. "
        "Мерзім аяқталғанға дейін порталда жауап беруіңізді сұраймыз.",
        "tr": "Değerli meslektaşlarımız, sekretarya açıklama taslağını yazılı usule sunuyor. "
        "Lütfen süre dolmadan portalda yanıt veriniz.",
    },
    "Board meeting on the 2027 chairmanship": {
        "ru": "Заседание правления о председательстве в 2027 году",
        "kk": "2027 жылғы төрағалық жөніндегі басқарма отырысы",
        "tr": "2027 dönem başkanlığına ilişkin Yönetim Kurulu toplantısı",
        "az": "2027-ci il sədrliyinə dair İdarə Heyətinin iclası",
        "uz": "2027-yilgi raislik masalasi boʻyicha Boshqaruv yigʻilishi",
        "ky": "2027-жылкы төрагалык боюнча Башкарманын жыйыны",
        "tk": "2027-nji ýyldaky başlyklyk boýunça Müdirligiň mejlisi",
        "hu": "Igazgatósági ülés a 2027-es elnökségről",
    },
    "Developing industrial cooperation and joint projects": {
        "ru": "Развитие промышленной кооперации и совместных проектов",
        "kk": "Өнеркәсіптік кооперация мен бірлескен жобаларды дамыту",
        "tr": "Sanayi işbirliğinin ve ortak projelerin geliştirilmesi",
        "az": "Sənaye kooperasiyasının və birgə layihələrin inkişafı",
        "uz": "Sanoat kooperatsiyasi va qoʻshma loyihalarni rivojlantirish",
        "ky": "Өнөр жай кооперациясын жана биргелешкен долбоорлорду өнүктүрүү",
        "tk": "Senagat hyzmatdaşlygyny we bilelikdäki taslamalary ösdürmek",
        "hu": "Az ipari együttműködés és a közös projektek fejlesztése",
    },
    "Using the instruments of the Turkic Investment Fund effectively": {
        "ru": "Эффективное использование инструментов Тюркского инвестиционного фонда",
        "kk": "Түркі инвестициялық қорының құралдарын тиімді пайдалану",
        "tr": "Türk Yatırım Fonu araçlarının etkin kullanılması",
        "az": "Türk İnvestisiya Fondunun alətlərindən səmərəli istifadə",
        "uz": "Turkiy investitsiya jamgʻarmasi vositalaridan samarali foydalanish",
        "ky": "Түрк инвестициялык фондунун куралдарын натыйжалуу пайдалануу",
        "tk": "Türki maýa goýum gaznasynyň gurallaryny netijeli ulanmak",
        "hu": "A Türk Beruházási Alap eszközeinek hatékony felhasználása",
    },
    "Reducing trade and technical barriers": {
        "ru": "Снижение торговых и технических барьеров",
        "kk": "Сауда және техникалық кедергілерді азайту",
        "tr": "Ticari ve teknik engellerin azaltılması",
        "az": "Ticarət və texniki maneələrin azaldılması",
        "uz": "Savdo va texnik toʻsiqlarni kamaytirish",
        "ky": "Соода жана техникалык тоскоолдуктарды азайтуу",
        "tk": "Söwda we tehniki päsgelçilikleri azaltmak",
        "hu": "A kereskedelmi és technikai akadályok csökkentése",
    },
    "Strengthening transport and logistics connectivity: international routes and corridors": {
        "ru": "Укрепление транспортно-логистической связанности: международные маршруты и коридоры",
        "kk": "Көлік-логистикалық байланысты нығайту: халықаралық бағыттар мен дәліздер",
        "tr": (
            "Ulaştırma ve lojistik bağlantısallığının güçlendirilmesi: uluslararası güzergâhlar ve "
            "koridorlar"
        ),
        "az": (
            "Nəqliyyat-logistika əlaqələrinin gücləndirilməsi: beynəlxalq marşrutlar və dəhlizlər"
        ),
        "uz": "Transport-logistika bogʻliqligini mustahkamlash: xalqaro yoʻnalishlar va yoʻlaklar",
        "ky": "Транспорттук-логистикалык байланышты чыңдоо: эл аралык каттамдар жана коридорлор",
        "tk": "Ulag-logistika baglanyşygyny berkitmek: halkara ugurlar we geçelgeler",
        "hu": (
            "A közlekedési és logisztikai összeköttetések erősítése: nemzetközi útvonalak és "
            "folyosók"
        ),
    },
    "Register of joint industrial projects of the member chambers": {
        "ru": "Реестр совместных промышленных проектов палат-членов",
        "kk": "Мүше палаталардың бірлескен өнеркәсіптік жобаларының тізілімі",
        "tr": "Üye odaların ortak sanayi projeleri sicili",
        "az": "Üzv palataların birgə sənaye layihələrinin reyestri",
        "uz": "Aʼzo palatalarning qoʻshma sanoat loyihalari reyestri",
        "ky": "Мүчө палаталардын биргелешкен өнөр жай долбоорлорунун реестри",
        "tk": "Agza palatalaryň bilelikdäki senagat taslamalarynyň sanawy",
        "hu": "A tagkamarák közös ipari projektjeinek nyilvántartása",
    },
    "Briefing for member chambers on the Fund's financing instruments": {
        "ru": "Брифинг для палат-членов о финансовых инструментах Фонда",
        "kk": "Мүше палаталарға арналған Қордың қаржыландыру құралдары туралы брифинг",
        "tr": "Üye odalara Fonun finansman araçları hakkında bilgilendirme toplantısı",
        "az": "Üzv palatalar üçün Fondun maliyyələşdirmə alətləri üzrə brifinq",
        "uz": "Aʼzo palatalar uchun Jamgʻarmaning moliyalashtirish vositalari boʻyicha brifing",
        "ky": "Мүчө палаталар үчүн Фонддун каржылоо куралдары боюнча брифинг",
        "tk": "Agza palatalar üçin Gaznanyň maliýeleşdiriş gurallary boýunça brifing",
        "hu": "Tájékoztató a tagkamaráknak az Alap finanszírozási eszközeiről",
    },
    "Survey of technical barriers met by member chambers' companies": {
        "ru": "Опрос о технических барьерах, с которыми сталкиваются компании палат-членов",
        "kk": "Мүше палаталар компаниялары кездесетін техникалық кедергілер бойынша сауалнама",
        "tr": "Üye odaların şirketlerinin karşılaştığı teknik engellere ilişkin anket",
        "az": "Üzv palataların şirkətlərinin üzləşdiyi texniki maneələr üzrə sorğu",
        "uz": "Aʼzo palatalar kompaniyalari duch keladigan texnik toʻsiqlar boʻyicha soʻrovnoma",
        "ky": (
            "Мүчө палаталардын компаниялары туш болгон техникалык тоскоолдуктар боюнча сурамжылоо"
        ),
        "tk": "Agza palatalaryň kompaniýalarynyň duşýan tehniki päsgelçilikleri boýunça soragnama",
        "hu": "Felmérés a tagkamarák vállalatai által tapasztalt technikai akadályokról",
    },
    "Map of international transport corridors and their bottlenecks": {
        "ru": "Карта международных транспортных коридоров и их узких мест",
        "kk": "Халықаралық көлік дәліздері мен олардың тар жерлерінің картасы",
        "tr": "Uluslararası ulaştırma koridorları ve darboğazları haritası",
        "az": "Beynəlxalq nəqliyyat dəhlizlərinin və onların dar yerlərinin xəritəsi",
        "uz": "Xalqaro transport yoʻlaklari va ulardagi tor joylar xaritasi",
        "ky": "Эл аралык транспорттук коридорлордун жана алардагы тар жерлердин картасы",
        "tk": "Halkara ulag geçelgeleriniň we olardaky dar ýerleriň kartasy",
        "hu": "A nemzetközi közlekedési folyosók és szűk keresztmetszeteik térképe",
    },
    "Handover of the chairmanship from Azerbaijan to Kazakhstan": {
        "ru": "Передача председательства от Азербайджана Казахстану",
        "kk": "Төрағалықтың Әзірбайжаннан Қазақстанға берілуі",
        "tr": "Dönem başkanlığının Azerbaycan'dan Kazakistan'a devri",
        "az": "Sədrliyin Azərbaycandan Qazaxıstana təhvil verilməsi",
        "uz": "Raislikning Ozarbayjondan Qozogʻistonga topshirilishi",
        "ky": "Төрагалыктын Азербайжандан Казакстанга өткөрүлүп берилиши",
        "tk": "Başlyklygyň Azerbaýjandan Gazagystana geçirilmegi",
        "hu": "Az elnökség átadása Azerbajdzsántól Kazahsztánnak",
    },
    "Priorities of the union for the coming period": {
        "ru": "Приоритеты союза на предстоящий период",
        "kk": "Одақтың алдағы кезеңге арналған басымдықтары",
        "tr": "Birliğin önümüzdeki döneme ilişkin öncelikleri",
        "az": "İttifaqın qarşıdakı dövr üçün prioritetləri",
        "uz": "Ittifoqning kelgusi davrdagi ustuvor yoʻnalishlari",
        "ky": "Бирликтин алдыдагы мезгилге карата артыкчылыктары",
        "tk": "Birleşigiň öňdäki döwür üçin ileri tutulýan ugurlary",
        "hu": "A szövetség prioritásai a következő időszakra",
    },
    "A mechanism for joint purchasing of medicines by the Turkic states": {
        "ru": "Механизм совместных закупок лекарственных средств тюркскими государствами",
        "kk": "Түркі мемлекеттерінің дәрі-дәрмекті бірлесіп сатып алу тетігі",
        "tr": "Türk devletlerinin ortak ilaç alımı mekanizması",
        "az": "Türk dövlətləri tərəfindən dərman vasitələrinin birgə satın alınması mexanizmi",
        "uz": "Turkiy davlatlar tomonidan dori vositalarini birgalikda xarid qilish mexanizmi",
        "ky": "Түрк мамлекеттеринин дары-дармектерди биргелешип сатып алуу механизми",
        "tk": "Türki döwletleriň dermanlary bilelikde satyn almak mehanizmi",
        "hu": "A türk államok közös gyógyszerbeszerzési mechanizmusa",
    },
    "On the chairmanship of the union in 2026": {
        "ru": "О председательстве в союзе в 2026 году",
        "kk": "2026 жылы одаққа төрағалық ету туралы",
        "tr": "2026 yılında birliğin dönem başkanlığı hakkında",
        "az": "2026-cı ildə ittifaqa sədrlik haqqında",
        "uz": "2026-yilda ittifoqqa raislik qilish toʻgʻrisida",
        "ky": "2026-жылы бирликке төрагалык кылуу жөнүндө",
        "tk": "2026-njy ýylda birleşige başlyklyk etmek hakynda",
        "hu": "A szövetség 2026. évi elnökségéről",
    },
    "On the priorities of the union for 2026": {
        "ru": "О приоритетах союза на 2026 год",
        "kk": "Одақтың 2026 жылға арналған басымдықтары туралы",
        "tr": "Birliğin 2026 yılı öncelikleri hakkında",
        "az": "İttifaqın 2026-cı il üçün prioritetləri haqqında",
        "uz": "Ittifoqning 2026-yilga moʻljallangan ustuvor yoʻnalishlari toʻgʻrisida",
        "ky": "Бирликтин 2026-жылга карата артыкчылыктары жөнүндө",
        "tk": "Birleşigiň 2026-njy ýyl üçin ileri tutulýan ugurlary hakynda",
        "hu": "A szövetség 2026. évi prioritásairól",
    },
    "Chairman of the Presidium": {
        "ru": "Председатель Президиума",
        "kk": "Төралқа төрағасы",
        "tr": "Prezidyum Başkanı",
        "az": "Rəyasət Heyətinin sədri",
        "uz": "Prezidium raisi",
        "ky": "Президиумдун төрагасы",
        "tk": "Prezidiumyň başlygy",
        "hu": "Az Elnökség elnöke",
    },
    "Focal point for the union": {
        "ru": "Контактное лицо по работе с союзом",
        "kk": "Одақ бойынша байланыс жөніндегі жауапты тұлға",
        "tr": "Birlik irtibat sorumlusu",
        "az": "İttifaq üzrə əlaqələndirici şəxs",
        "uz": "Ittifoq boʻyicha masʼul shaxs",
        "ky": "Бирлик боюнча байланыш үчүн жооптуу адам",
        "tk": "Birleşik boýunça aragatnaşyk işgäri",
        "hu": "Kapcsolattartó a szövetség ügyeiben",
    },
    "Founding of the union": {
        "ru": "Учреждение союза",
        "kk": "Одақтың құрылуы",
        "tr": "Birliğin kuruluşu",
        "az": "İttifaqın təsis edilməsi",
        "uz": "Ittifoqning taʼsis etilishi",
        "ky": "Бирликтин түзүлүшү",
        "tk": "Birleşigiň döredilmegi",
        "hu": "A szövetség megalapítása",
    },
    "Progress reported to the secretariat.": {
        "ru": "О ходе работы доложено секретариату.",
        "kk": "Жұмыс барысы туралы хатшылыққа баяндалды.",
        "tr": "İlerleme sekretaryaya bildirildi.",
        "az": "Gedişat barədə katibliyə məlumat verildi.",
        "uz": "Ish holati haqida kotibiyatga axborot berildi.",
        "ky": "Иштин жүрүшү жөнүндө катчылыкка билдирилди.",
        "tk": "Işiň barşy barada sekretariata habar berildi.",
        "hu": "Az előrehaladásról a titkárság tájékoztatást kapott.",
    },
    "Baku": {
        "ru": "Баку",
        "kk": "Баку",
        "tr": "Bakü",
        "az": "Bakı",
        "uz": "Boku",
        "ky": "Баку",
        "tk": "Baku",
        "hu": "Baku",
    },
    "Astana": {
        "ru": "Астана",
        "kk": "Астана",
        "tr": "Astana",
        "az": "Astana",
        "uz": "Astana",
        "ky": "Астана",
        "tk": "Astana",
        "hu": "Asztana",
    },
    "Bishkek": {
        "ru": "Бишкек",
        "kk": "Бішкек",
        "tr": "Bişkek",
        "az": "Bişkek",
        "uz": "Bishkek",
        "ky": "Бишкек",
        "tk": "Bişkek",
        "hu": "Biskek",
    },
    "Ankara": {
        "ru": "Анкара",
        "kk": "Анкара",
        "tr": "Ankara",
        "az": "Ankara",
        "uz": "Anqara",
        "ky": "Анкара",
        "tk": "Ankara",
        "hu": "Ankara",
    },
    "Tashkent": {
        "ru": "Ташкент",
        "kk": "Ташкент",
        "tr": "Taşkent",
        "az": "Daşkənd",
        "uz": "Toshkent",
        "ky": "Ташкент",
        "tk": "Daşkent",
        "hu": "Taskent",
    },
    "Ashgabat": {
        "ru": "Ашхабад",
        "kk": "Ашхабад",
        "tr": "Aşkabat",
        "az": "Aşqabad",
        "uz": "Ashxobod",
        "ky": "Ашхабад",
        "tk": "Aşgabat",
        "hu": "Asgabat",
    },
    "Budapest": {
        "ru": "Будапешт",
        "kk": "Будапешт",
        "tr": "Budapeşte",
        "az": "Budapeşt",
        "uz": "Budapesht",
        "ky": "Будапешт",
        "tk": "Budapeşt",
        "hu": "Budapest",
    },
    "ACCI": {
        "ru": "ACCI",
        "kk": "ACCI",
        "tr": "ACCI",
        "az": "ACCI",
        "uz": "ACCI",
        "ky": "ACCI",
        "tk": "ACCI",
        "hu": "ACCI",
    },
    "Atameken": {
        "ru": "Атамекен",
        "kk": "Атамекен",
        "tr": "Atameken",
        "az": "Atameken",
        "uz": "Atameken",
        "ky": "Атамекен",
        "tk": "Atameken",
        "hu": "Atameken",
    },
    "CCI KR": {
        "ru": "ТПП КР",
        "kk": "ҚР СӨП",
        "tr": "KC TSO",
        "az": "QR TSP",
        "uz": "QR SSP",
        "ky": "КР СӨП",
        "tk": "GR SSP",
        "hu": "Kirgiz KIK",
    },
    "TOBB": {
        "ru": "TOBB",
        "kk": "TOBB",
        "tr": "TOBB",
        "az": "TOBB",
        "uz": "TOBB",
        "ky": "TOBB",
        "tk": "TOBB",
        "hu": "TOBB",
    },
    "CCI Uzbekistan": {
        "ru": "ТПП Узбекистана",
        "kk": "Өзбекстан СӨП",
        "tr": "Özbekistan TSO",
        "az": "Özbəkistan TSP",
        "uz": "Oʻzbekiston SSP",
        "ky": "Өзбекстан СӨП",
        "tk": "Özbegistanyň SSP",
        "hu": "Üzbég KIK",
    },
    "CCI Turkmenistan": {
        "ru": "ТПП Туркменистана",
        "kk": "Түрікменстан СӨП",
        "tr": "Türkmenistan TSO",
        "az": "Türkmənistan TSP",
        "uz": "Turkmaniston SSP",
        "ky": "Түркмөнстан СӨП",
        "tk": "Türkmenistanyň SSE",
        "hu": "Türkmén KIK",
    },
    "MKIK": {
        "ru": "MKIK",
        "kk": "MKIK",
        "tr": "MKIK",
        "az": "MKIK",
        "uz": "MKIK",
        "ky": "MKIK",
        "tk": "MKIK",
        "hu": "MKIK",
    },
    (
        "The chairmanship of the union passes from the Republic of Azerbaijan to the Republic of "
        'Kazakhstan for 2026. Raimbek Batalov, Chairman of the Presidium of NCE "Atameken", is '
        "President of the union for one year."
    ): {
        "ru": (
            "Председательство в союзе на 2026 год переходит от Азербайджанской Республики к "
            "Республике Казахстан. Председатель Президиума НПП «Атамекен» Раимбек Баталов является "
            "Президентом союза сроком на один год."
        ),
        "kk": (
            "2026 жылға одаққа төрағалық Әзірбайжан Республикасынан Қазақстан Республикасына "
            "өтеді. «Атамекен» ҰКП Төралқа төрағасы Раимбек Баталов бір жыл мерзімге одақтың "
            "Президенті болып табылады."
        ),
        "tr": (
            "Birliğin dönem başkanlığı 2026 yılı için Azerbaycan Cumhuriyeti'nden Kazakistan "
            "Cumhuriyeti'ne geçer. “Atameken” Ulusal Girişimciler Odası Prezidyum Başkanı Raimbek "
            "Batalov, bir yıl süreyle birliğin Başkanıdır."
        ),
    },
}
