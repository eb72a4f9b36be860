"""A Swedish corpus of personal details as residents write them in Embrace tips.

``FORMS``: (kind, sentence, secrets) -- each sentence holds one or more
personal details (``secrets``: the strings that must not survive redaction).
Names and addresses are made up from common Swedish names and Köping-like
streets; numbers are made up (personnummer with and without a valid check
digit, phone numbers, IBANs with valid check digits, plates).

``CLEAN``: sentences with no personal detail (times, dates, speeds, road
numbers, car models, streets without house numbers, places) that must come
back unchanged; counting the ones that do not gives the false redactions.
"""

from __future__ import annotations

from stdnum import iban as _iban
from stdnum import luhn


def _pnr(yymmdd: str, nnn: str) -> str:
    return yymmdd + nnn + luhn.calc_check_digit(yymmdd + nnn)


def _bad_check(ten: str) -> str:
    return ten[:-1] + str((int(ten[-1]) + 1) % 10)


def _iban_of(country: str, bban: str) -> str:
    check = _iban.calc_check_digits(f"{country}00{bban}")
    return f"{country}{check}{bban}"


NAMES = [
    "Kalle Andersson", "Anna Lindqvist", "Per-Olof Johansson", "Maria Eriksson",
    "Mohammed Ali", "Sara Nilsson", "Olle Berg", "Karin Svensson", "Erik Lundgren",
    "Fatima Hassan", "Johan Karlsson", "Emma Persson", "Lars Gustafsson", "Eva Holm",
    "Ahmed Ibrahim", "Lisa Sjöberg", "Björn Pettersson", "Ingrid Lindberg", "Mikael Olsson",
    "Sofia Axelsson", "kalle andersson", "Nisse Hult", "Agneta Åberg", "Jonas Öberg",
]
NAME_TEMPLATES = [
    "{x} kör som en galning varje kväll",
    "Det är grannen {x} som gasar på Ringvägen",
    "Mvh {x}",
    "Föraren heter {x} och bor i huset bredvid",
    "Jag såg {x} köra mot rött ljus vid Skogsleden.",
    "Kontakta mig, {x}, om ni behöver mer",
]
FIRST_ONLY = ["Anna ringer om bilen", "Min son Erik såg allt", "hälsningar Karin",
              "Sonen Oscar blev nästan påkörd", "Kalle kör moppe utan hjälm"]
FIRST_ONLY_SECRETS = ["Anna", "Erik", "Karin", "Oscar", "Kalle"]

ADDRESSES = [
    ("bor på Ringvägen 12B", "Ringvägen 12B"),
    ("Jag bor på Östanåsgatan 7, 731 30 Köping", "Östanåsgatan 7"),
    ("adress: Glasgatan 3 lgh 1102", "Glasgatan 3"),
    ("utanför mitt hus på Skogsleden 114", "Skogsleden 114"),
    ("Hagavägen 12 A, 73132 Köping", "Hagavägen 12 A"),
    ("Stora Gatan 45 hela natten", "Stora Gatan 45"),
    ("vi på Barnängsgatan 2-4 störs", "Barnängsgatan 2-4"),
    ("Tunadalsgatan 19 b har barn som leker", "Tunadalsgatan 19 b"),
    ("Kalle Anderssons väg 8 är farlig", "väg 8"),
    ("postnr 731 31, Västra Allén 3", "731 31"),
    ("Nygatan 5, SE-731 30 Köping", "SE-731 30"),
    ("Åkerbovägen 27 lgh 1201", "lgh 1201"),
]

PNR_VALID = [_pnr("850709", "980"), _pnr("640823", "323"), _pnr("051231", "239"),
             _pnr("780314", "456"), _pnr("920101", "123")]
SAM_VALID = [_pnr("701063", "238"), _pnr("010291", "457")]


def _pnr_forms() -> list[tuple[str, str]]:
    out = []
    for ten in PNR_VALID + SAM_VALID:
        d, t = ten[:6], ten[6:]
        century = "19" if int(d[:2]) > 24 else "20"
        for form in (f"{d}-{t}", f"{d} {t}", f"{d}–{t}", f"{d}/{t}", f"{century}{d}-{t}",
                     f"{century}{d}{t}", f"{d}{t}", f"{d}+{t}", f"{century}{d} {t}"):
            out.append((f"Ägaren har personnummer {form}, kolla upp det", form))
    for ten in PNR_VALID[:3]:  # a check digit typed wrong: still a personnummer
        bad = _bad_check(ten)
        out.append((f"pnr {bad[:6]}-{bad[6:]} (kanske fel)", f"{bad[:6]}-{bad[6:]}"))
        out.append((f"hans nummer är 19{bad[:6]}-{bad[6:]}", f"19{bad[:6]}-{bad[6:]}"))
    return out


PLATES = [
    "ABC 123", "abc123", "Abc 123", "MLB 25D", "mlb25d", "MLB.25D", "MLB_25D", "MLB–25D",
    "xyz-98k", "KFG 730", "GUB 03E", "DLK 99X",
    # foreign
    "AB 12345", "DK 12 345", "B-MW 1234", "M AB 123", "WPR 1234A", "AB12 CDE", "123 ABC",
    "LV-1234",
]
PLATE_TEMPLATES = ["Bilen {x} kör runt skolan", "reg {x} varje natt"]

PHONES = [
    "070-123 45 67", "070.123.45.67", "070–123 45 67", "46701234567", "46 70 123 45 67",
    "+46 70 123 45 67", "0046701234567", "+46 (0)70-123 45 67", "08–123 456 78",
    "0221.123.45", "(070) 123 45 67", "tel:0701234567", "073 987 65 43", "0739876543",
    "+4673-9876543", "076 - 555 12 34",
]
PHONE_TEMPLATES = ["Ring mig på {x} efter fem", "nås på {x}."]

EMAILS = [
    "anna.svensson@example.se", "ANNA@EXEMPEL.SE", "kalle+trafik@example.com",
    "olle(at)koping.se", "olle [at] koping [dot] se", "lisa snabel-a exempel.se",
    "per.p @ example.org", "björn.åkesson@exempel.nu", "x9@a-b.nu", "anna＠example.se",
]

ACCOUNTS = [
    ("IBAN " + _iban_of("SE", "50000000058398257466"), _iban_of("SE", "50000000058398257466")),
    (_iban_of("SE", "80000810340009783242"), _iban_of("SE", "80000810340009783242")),
    ("Swisha till " + _iban_of("DE", "370400440532013000"), _iban_of("DE", "370400440532013000")),
    ("kontonummer 8327-9, 123 456 789-0", "123 456 789"),
    ("konto 6000-123 456 789", "6000-123 456 789"),
    ("clearing 8105-9 konto 944 123 456-7", "944 123 456"),
    ("bankgiro 5050-1055 för insamling", "5050-1055"),
    ("pg 12 34 56-7", "12 34 56-7"),
    ("Swish 123 456 78 90", "123 456 78 90"),
]

IPS = ["192.168.1.34", "10.0.0.7", "2001:db8::ff00:42:8329", "fe80::1ff:fe23:4567:890a",
       "85.228.12.201"]
IP_TEMPLATES = ["Kameran på {x} filmade bilen", "se loggen från {x}"]

HIDDEN = [  # invisible characters that would hide a number from a plain pattern
    ("Ring 070\u200b-123 45 67", "070-123 45 67"),
    ("Ring \u202e76 54 321-070\u202c nu", "070-123 45 67"),
    ("tel \u2066070 123 45 67\u2069", "070 123 45 67"),
    ("pnr 850709\u00ad-9805", "850709-9805"),
    ("ABC\u200d123 igen", "ABC123"),
    ("anna\u200b@example.se", "anna@example.se"),
    ("Ring ０７０－１２３ ４５ ６７", "070-123 45 67"),
]


def _forms() -> list[tuple[str, str, list[str]]]:
    out: list[tuple[str, str, list[str]]] = []
    for i, name in enumerate(NAMES):
        for j in (i % len(NAME_TEMPLATES), (i + 3) % len(NAME_TEMPLATES)):
            out.append(("name", NAME_TEMPLATES[j].format(x=name), name.split()))
    for text, secret in zip(FIRST_ONLY, FIRST_ONLY_SECRETS, strict=True):
        out.append(("name", text, [secret]))
    for text, secret in ADDRESSES:
        out.append(("address", text, [secret]))
    for text, secret in _pnr_forms():
        out.append(("personnummer", text, [secret]))
    for plate in PLATES:
        for t in PLATE_TEMPLATES:
            out.append(("plate", t.format(x=plate), [plate]))
    for phone in PHONES:
        for t in PHONE_TEMPLATES:
            out.append(("phone", t.format(x=phone), [phone]))
    for email in EMAILS:
        out.append(("email", f"Svara till {email} tack", [email]))
    for text, secret in ACCOUNTS:
        out.append(("account", text, [secret]))
    for ip in IPS:
        for t in IP_TEMPLATES:
            out.append(("ip", t.format(x=ip), [ip]))
    for text, secret in HIDDEN:
        out.append(("hidden", text, [secret]))
    return out


FORMS = _forms()

CLEAN = [
    "Bilar kör 80 km/h där det är 40 varje fredag kl 22:40",
    "Mellan kl 0800-1000 är det lugnt, sedan 07.30-08.15 fullt",
    "Senast 2024-04-19 och 19/4, även 19.04.2024",
    "E18 och väg 250 har mycket tung trafik, Rv 56 också",
    "En Volvo XC90 och en V70 kör ikapp",
    "Audi A4 och Volvo 240 på Ringvägen",
    "Korsningen Ringvägen/Skogsleden är farlig",
    "Östanåsgatan vid skolan saknar farthinder",
    "Skylten visar 30 men alla kör 50",
    "Vi har varit 3 familjer som klagat sedan maj 2024",
    "Mot 110 i kurvan vid Glasgatan",
    "över 100 km/h och mer på Skogsleden",
    "Ärende EMB-2024-00012 igen",
    "Tidigare ärende 2024-000123 och E-1043",
    "Temperaturen var 0 - 5 grader och halt",
    "ca 200 fordon per timme enligt mätningen",
    "typ 100 bilar varje fredag kväll",
    "Koordinat 59.5121, 15.9803",
    "Bussen går 07 30 och 08 15",
    "Vecka 07 2024 var värst",
    "Stora Gatan och Nygatan har felparkerade bilar",
    "Buskörning på parkeringen vid Coop",
    "Mopeder på gång- och cykelbanan vid Hagavägen",
    "Lastbilar kör genom centrum trots förbud",
    "Det är 400 meter till rondellen",
    "Hastigheten borde sänkas till 30 km/h",
    "Klass 01234567890123 från radarn",
    "Högt ljud från motorcyklar efter midnatt",
    "Samma sak 2023 och 2024",
    "Gatan är 6,5 meter bred",
    "Vid Nygårdsskolan går barn över vägen",
    "Fartdämpande åtgärder önskas på Åkerbovägen",
    "runt 300 varv i rondellen",
    "upp 150 meter till korsningen",
    "minst tre 110-skyltar saknas",
    "kl 23.15-01.00 på helger",
    "Bilar kör i hög fart varje fredag",
    "A-traktorer i grupp på kvällarna",
    "Det händer 20 gånger i timmen",
    "Sträckan 0-30 km/h på 3 sekunder",
    "Polisen borde mäta här oftare",
    "Skolan börjar 08:10",
    "Vägen är smal och saknar trottoar",
    "Barnen cyklar till skolan på morgonen",
    "Mätaren visade 72 km/h som högst",
    "Rondellen vid Scheelegatan",
    "Trafikljuset vid Västeråsvägen är ur funktion",
    "Ungefär 50 procent kör för fort",
    "Sedan 19 april har det varit fler",
    "HTML <b>fet</b> text",
]
