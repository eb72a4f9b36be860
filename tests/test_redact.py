"""Redaction of personal data: a corpus of positive and negative cases.

Positives: (text, the personal-data string, expected marker). The string must
not survive and the marker must appear. Negatives: text that must come back
unchanged (a house number after a street is an address and
is redacted; the street stays). The summary test reports misses = 0 and false redactions = 0 over
the whole corpus, vectorised through a Series as the reader uses it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trafikplan.io.redact import luhn_ok, redact

PNR = "[personnummer]"
REG = "[regnr]"
TEL = "[telefon]"
MAIL = "[e-post]"

POSITIVE = [
    # personnummer, all accepted forms (check digits valid)
    ("Föraren heter Anna, pnr 19850709-9805.", "19850709-9805", PNR),
    ("Personnummer 850709-9805 till anmälaren", "850709-9805", PNR),
    ("pnr:8507099805", "8507099805", PNR),
    ("Mitt personnummer är 198507099805", "198507099805", PNR),
    ("Granne (640823-3234) kör fort", "640823-3234", PNR),
    ("ägare 901231-1230 bor i huset", "901231-1230", PNR),
    ("Min pappa 121212+1212 är 111 år", "121212+1212", PNR),
    ("19121212+1212 (över 100)", "19121212+1212", PNR),
    ("Anmälare: 20020304-5679", "20020304-5679", PNR),
    ("Anmälare 020304-5679, ring mig", "020304-5679", PNR),
    ("samordningsnummer 851263-4562", "851263-4562", PNR),
    ("samordningsnr 19851263-4562 gäller", "19851263-4562", PNR),
    ("Vittne 750615-4322 såg allt", "750615-4322", PNR),
    ("ID 4701015556 i ärendet", "4701015556", PNR),
    ("pnr 550229-8762.", "550229-8762", PNR),
    ("Han har pnr 980617-2343, bor på Ringvägen 14", "980617-2343", PNR),
    ("pnr 320911-4440;", "320911-4440", PNR),
    ("pnr 19811228-9874\nsedan", "19811228-9874", PNR),
    # plates, old and new form, any case, space or no space
    ("En vit Volvo ABC 123 kör runt varje natt", "ABC 123", REG),
    ("reg.nr ABC123 gasar", "ABC123", REG),
    ("bilen med nummer XYZ 789 stod där", "XYZ 789", REG),
    ("Svart BMW, MLB 25D, kör i 90", "MLB 25D", REG),
    ("regnr mlb25d igen", "mlb25d", REG),
    ("Röd Audi (KRT 07X) sladdade", "KRT 07X", REG),
    ("Moppe med skylt DFG-456 kör på trottoaren", "DFG-456", REG),
    ("Samma bil GHJ 12A och GHJ 12B varje fredag", "GHJ 12A", REG),
    ("Samma bil GHJ 12A och GHJ 12B varje fredag", "GHJ 12B", REG),
    ("Regnummer: ksp 404.", "ksp 404", REG),
    ("Polisen borde kolla upp NUT 314!", "NUT 314", REG),
    ("Bil OCH 120 (ja, så står det på skylten)", "OCH 120", REG),
    ("Pickup WPM 88C parkerar på gångbanan", "WPM 88C", REG),
    ("EPA-traktor med reg ZZZ 999 kör 60", "ZZZ 999", REG),
    ("Bilarna ABC 123, DEF 456 och GHJ 78K", "DEF 456", REG),
    ("Bilarna ABC 123, DEF 456 och GHJ 78K", "GHJ 78K", REG),
    ("Taxi med TAX 10U stannar mitt i korsningen", "TAX 10U", REG),
    # phone numbers
    ("Ring mig på 070-123 45 67 om ni vill veta mer", "070-123 45 67", TEL),
    ("Tel 070 123 45 67", "070 123 45 67", TEL),
    ("Nås på 0701234567 dagtid", "0701234567", TEL),
    ("Mobil: +46 70 123 45 67", "+46 70 123 45 67", TEL),
    ("Mobil: +46701234567.", "+46701234567", TEL),
    ("Ring 0046 70 123 45 67 efter 17", "0046 70 123 45 67", TEL),
    ("Växel 08-123 456 78", "08-123 456 78", TEL),
    ("Kontor 0221-123 45 (Köping)", "0221-123 45", TEL),
    ("Hem: 0221-12345", "0221-12345", TEL),
    ("ring 073-987 65 43 eller mejla", "073-987 65 43", TEL),
    ("mob 076-5554433", "076-5554433", TEL),
    ("nr 0221 345 67", "0221 345 67", TEL),
    ("+46 (0)70 123 45 67 hela dagen", "+46 (0)70 123 45 67", TEL),
    ("+46 221 123 45", "+46 221 123 45", TEL),
    ("Ring 070-123 45 67 20 gånger har jag försökt", "070-123 45 67", TEL),
    ("tel 08-12 34 56", "08-12 34 56", TEL),
    ("sms 072-222 33 44, tack", "072-222 33 44", TEL),
    ("0221-456 78 kvällstid", "0221-456 78", TEL),
    # e-mail
    ("Svara till anna.svensson@example.se tack", "anna.svensson@example.se", MAIL),
    ("Mejl: kalle+trafik@post.example.com.", "kalle+trafik@post.example.com", MAIL),
    ("<per_olsson@koping-test.se>", "per_olsson@koping-test.se", MAIL),
    ("e-post björn.åkesson@exempel.nu", "björn.åkesson@exempel.nu", MAIL),
    ("Kontakta lisa-marie@mail.example.org om bilarna", "lisa-marie@mail.example.org", MAIL),
    ("x@y.se", "x@y.se", MAIL),
    # house numbers (the street stays) and personnummer with a wrong check digit
    ('Utanför Ringvägen 14', '14', '[husnr]'),
    ('Östanåsgatan 12 B, korsningen mot Skogsleden', '12 B', '[husnr]'),
    ('Glasgatan 3-5 har problem', '3-5', '[husnr]'),
    ('Vid Nygårdsskolan, Ringvägen 120', '120', '[husnr]'),
    ('Nummer 850709-9806 (fel kontrollsiffra)', '850709-9806', '[personnummer]'),
    ('19850709-9806 är fel', '19850709-9806', '[personnummer]'),
    ('020304-5670 fel kontrollsiffra', '020304-5670', '[personnummer]'),
    ('640823-3235 stämmer inte', '640823-3235', '[personnummer]'),
    # several kinds in one text
    ("ABC 123 igen! /Anna 850709-9805, 070-123 45 67, anna@example.se", "ABC 123", REG),
    ("ABC 123 igen! /Anna 850709-9805, 070-123 45 67, anna@example.se", "850709-9805", PNR),
    ("ABC 123 igen! /Anna 850709-9805, 070-123 45 67, anna@example.se", "070-123 45 67", TEL),
    ("ABC 123 igen! /Anna 850709-9805, 070-123 45 67, anna@example.se", "anna@example.se", MAIL),
]

NEGATIVE = [
    # times
    "Händer varje fredag kl 22:40",
    "Bilar kör runt 22.40 varje kväll",
    "Från kl. 22 till 02",
    "kl 23-01 på helger",
    "mellan 0800-1000 är det lugnt",
    "Bussen går 07 30 och 08 15",
    "kl 07:30-08:15",
    # dates
    "Senast 2024-04-19 och 2024-04-26",
    "Den 19/4 var det värst",
    "Sedan 19 april har det varit fler",
    "Från 05-04-2024 till nu",
    "20240419 skrev jag också",
    "fredag 19.04.2024",
    "i maj 2024 och jun 2023",
    # street numbers and places
    # speeds and counts
    "Bilar kör 80 km/h där det är 40",
    "Uppmätt 80km/h på 30-väg",
    "över 100 km/h och mer",
    "Mot 110 i kurvan",
    "30 bilar samlades på parkeringen",
    "ca 200 fordon per timme",
    "typ 100 bilar varje fredag",
    "och 120 km/h på raksträckan",
    "med 130 förbi skolan",
    "kl 123 är inget klockslag",
    "bil 123 och väg 250",
    "Länsväg 250 och Rv 56",
    "E18 och E20 123 km bort",
    "upp 150 meter till rondellen",
    "minst tre 110-skyltar saknas",
    # years and report ids
    "Samma sak 2023 och 2024",
    "Se ärende EMB-2024-00012 och EMB-2024-00013",
    "Ärende E-1043 igen",
    "Tidigare ärende 2024-000123",
    "Referens EMB-19850709-9805",
    # numbers that look like personnummer but are no date, or bare digits failing Luhn
    "8507099806 är inget personnummer",
    "851399-1234 har månad 13",
    "850732-1239 har dag 32",
    # numbers that look like phones but are not
    "0221 är riktnummer för Köping",
    "070 är ett mobilprefix",
    "Sträckan 0-30 km/h",
    "Temperaturen var 0 - 5 grader",
    "Vecka 07 2024",
    "Klockan 00 12 enligt kameran",
    "Tomt nummer 08-12",
    "Klass 01234567890123 från radarn",
    "Koordinat 59.5121, 15.9803",
    "SWEREF 6599456, 561234",
    # plate-like words
    "han kör som en galning",
    "Mot Köping 12 km",
    "var 100:e meter",
    "Jag 123 test",
    "ons 100 bilar",
    "runt 300 varv",
    "Sju 100-lappar",
    "Vi såg ABCD 123 på en skylt",
    "Modell XC90 och V70",
    "Audi A4 och Volvo 240",
    "Moped klass 1",
    "km 123",
    "hastighet 50/70",
    "sms:a gärna",
    "e-post saknas",
    "@kommunen på X",
    "HTML <script>alert(1)</script>",
    '=HYPERLINK("http://x","y")',
]


def _luhn_reference(ten: str) -> bool:
    """Independent Luhn (doubling every other digit from the right)."""
    digits = [int(c) for c in ten][::-1]
    s = sum(digits[0::2]) + sum(sum(divmod(2 * d, 10)) for d in digits[1::2])
    return s % 10 == 0


def test_corpus_sizes():
    assert len(POSITIVE) >= 60
    assert len(NEGATIVE) >= 60


@pytest.mark.parametrize(("text", "secret", "marker"), POSITIVE)
def test_positive_is_redacted(text, secret, marker):
    out = redact(text)
    assert secret not in out
    assert marker in out


@pytest.mark.parametrize("text", NEGATIVE)
def test_negative_is_untouched(text):
    assert redact(text) == text


def test_corpus_summary_series():
    texts = pd.Series([t for t, _, _ in POSITIVE] + NEGATIVE + [None], dtype="string")
    out = redact(texts)
    n_pos = len(POSITIVE)
    misses = sum(secret in out.iloc[i] for i, (_, secret, _) in enumerate(POSITIVE))
    false_redactions = sum(
        out.iloc[n_pos + j] != text for j, text in enumerate(NEGATIVE)
    )
    print(f"redaction corpus: {n_pos} positive, {len(NEGATIVE)} negative, "
          f"misses={misses}, false_redactions={false_redactions}")
    assert misses == 0
    assert false_redactions == 0
    assert out.isna().iloc[-1]
    assert list(out.index) == list(texts.index)


def test_luhn_against_reference():
    for ten in ["8507099805", "8507099806", "1212121212", "0203045679", "0203045670",
                "8512634562", "4701015557"]:
        assert luhn_ok(ten) == _luhn_reference(ten)


def test_surrounding_text_kept():
    text = "Ring 070-123 45 67 20 gånger, bil ABC 123 på Ringvägen 14 kl 22:40"
    assert redact(text) == "Ring [telefon] 20 gånger, bil [regnr] på Ringvägen [husnr] kl 22:40"


def test_series_keeps_index_and_na():
    s = pd.Series(["ABC 123", pd.NA, "inget"], index=[10, 11, 12])
    out = redact(s)
    assert list(out.index) == [10, 11, 12]
    assert out.iloc[0] == "[regnr]"
    assert out.isna().iloc[1]
    assert out.iloc[2] == "inget"


# --- property tests: generated personal data always goes, dates/times/speeds never do ---


FILLER = st.sampled_from(["Bilar kör fort", "på Ringvägen 14", "kl 22:40", "varje fredag",
                          "ca 30 bilar", "2024-04-19", "80 km/h", "och", "typ 100", ""])


@st.composite
def personnummer(draw):
    year = draw(st.integers(1900, 2024))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28)) + (60 if draw(st.booleans()) else 0)
    serial = draw(st.integers(0, 999))
    nine = f"{year % 100:02d}{month:02d}{day:02d}{serial:03d}"
    check = next(c for c in "0123456789" if _luhn_reference(nine + c))
    sep = draw(st.sampled_from(["-", "+", ""]))
    century = draw(st.sampled_from(["", str(year // 100)]))
    return f"{century}{nine[:6]}{sep}{nine[6:]}{check}"


@st.composite
def plate(draw):
    letters = draw(st.text(alphabet="ABCDEFGHJKLMNOPRSTUWXYZ", min_size=3, max_size=3))
    tail = draw(st.one_of(
        st.integers(0, 999).map(lambda n: f"{n:03d}"),
        st.tuples(st.integers(0, 99), st.sampled_from("ABCDEFGHJKLMNPRSTUWXYZ")).map(
            lambda t: f"{t[0]:02d}{t[1]}")))
    return letters + draw(st.sampled_from([" ", ""])) + tail


@st.composite
def mobile(draw):
    digits = f"7{draw(st.sampled_from('02369'))}{draw(st.integers(0, 9_999_999)):07d}"
    form = draw(st.integers(0, 3))
    if form == 0:
        return f"0{digits[:2]}-{digits[2:5]} {digits[5:7]} {digits[7:]}"
    if form == 1:
        return f"0{digits}"
    if form == 2:
        return f"+46 {digits[:2]} {digits[2:5]} {digits[5:7]} {digits[7:]}"
    return f"+46{digits}"


@settings(max_examples=200, deadline=None)
@given(before=FILLER, secret=st.one_of(personnummer(), plate(), mobile()), after=FILLER)
def test_generated_personal_data_is_redacted(before, secret, after):
    out = redact(f"{before} {secret} {after}")
    assert secret not in out


@settings(max_examples=200, deadline=None)
@given(
    date=st.dates(min_value=dt.date(2000, 1, 1)),
    hour=st.integers(0, 23), minute=st.integers(0, 59), speed=st.integers(5, 200),
    count=st.integers(1, 999), house=st.integers(1, 199),
)
def test_generated_everyday_numbers_untouched(date, hour, minute, speed, count, house):
    text = (f"Den {date.isoformat()} kl {hour:02d}:{minute:02d} ({hour:02d}.{minute:02d}) "
            f"körde {count} bilar {speed} km/h förbi Ringvägen, {house} m, {date.day}/{date.month}"
            f" år {date.year}")
    assert redact(text) == text
