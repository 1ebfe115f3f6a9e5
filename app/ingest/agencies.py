"""The table of news agencies: codes, full names, home countries and how they sign."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from app.ingest.record import Agency


@dataclass(frozen=True, slots=True)
class AgencyInfo:
    """One agency: its code, full name, ISO country code and every way it signs copy."""

    code: str
    name: str
    country: str
    signatures: tuple[str, ...]

    @property
    def agency(self) -> Agency:
        """The record value stored on an article."""
        return Agency(self.code, self.name)


AGENCIES: tuple[AgencyInfo, ...] = (
    AgencyInfo("AP", "Associated Press", "US", ("AP", "The Associated Press", "Associated Press")),
    AgencyInfo(
        "Reuters",
        "Reuters",
        "GB",
        ("Reuters", "Reuter", "Thomson Reuters", "Reuters Health", "Reuters Breakingviews"),
    ),
    AgencyInfo(
        "AFP", "Agence France-Presse", "FR", ("AFP", "Agence France-Presse", "Agence France Presse")
    ),
    AgencyInfo("AA", "Anadolu Agency", "TR", ("AA", "Anadolu Agency", "Anadolu", "Anadolu Ajansı")),
    AgencyInfo("dpa", "Deutsche Presse-Agentur", "DE", ("dpa", "Deutsche Presse-Agentur")),
    AgencyInfo("EFE", "Agencia EFE", "ES", ("EFE", "Agencia EFE")),
    AgencyInfo("ANSA", "Agenzia Nazionale Stampa Associata", "IT", ("ANSA",)),
    AgencyInfo("Xinhua", "Xinhua News Agency", "CN", ("Xinhua", "Xinhua News Agency", "XINHUA")),
    AgencyInfo("Kyodo", "Kyodo News", "JP", ("Kyodo", "Kyodo News")),
    AgencyInfo("Jiji", "Jiji Press", "JP", ("Jiji", "Jiji Press")),
    AgencyInfo("Yonhap", "Yonhap News Agency", "KR", ("Yonhap", "Yonhap News Agency")),
    AgencyInfo("KCNA", "Korean Central News Agency", "KP", ("KCNA", "Korean Central News Agency")),
    AgencyInfo("TASS", "TASS", "RU", ("TASS", "ITAR-TASS", "Tass")),
    AgencyInfo("RIA", "RIA Novosti", "RU", ("RIA", "RIA Novosti")),
    AgencyInfo("Interfax", "Interfax", "RU", ("Interfax",)),
    AgencyInfo("Ukrinform", "Ukrinform", "UA", ("Ukrinform",)),
    AgencyInfo("PTI", "Press Trust of India", "IN", ("PTI", "Press Trust of India")),
    AgencyInfo("ANI", "Asian News International", "IN", ("ANI", "Asian News International")),
    AgencyInfo("IANS", "Indo-Asian News Service", "IN", ("IANS", "Indo-Asian News Service")),
    AgencyInfo("UNI", "United News of India", "IN", ("UNI", "United News of India")),
    AgencyInfo(
        "APP", "Associated Press of Pakistan", "PK", ("APP", "Associated Press of Pakistan")
    ),
    AgencyInfo("Bernama", "Bernama", "MY", ("Bernama",)),
    AgencyInfo("Antara", "Antara", "ID", ("Antara", "Antara News")),
    AgencyInfo("PNA", "Philippine News Agency", "PH", ("PNA", "Philippine News Agency")),
    AgencyInfo("CNA", "Central News Agency", "TW", ("CNA", "Central News Agency")),
    AgencyInfo("PA", "PA Media", "GB", ("PA", "PA Media", "Press Association", "PA Wire")),
    AgencyInfo("CP", "The Canadian Press", "CA", ("CP", "Canadian Press", "The Canadian Press")),
    AgencyInfo("AAP", "Australian Associated Press", "AU", ("AAP", "Australian Associated Press")),
    AgencyInfo("UPI", "United Press International", "US", ("UPI", "United Press International")),
    AgencyInfo("Bloomberg", "Bloomberg News", "US", ("Bloomberg", "Bloomberg News")),
    AgencyInfo("IRNA", "Islamic Republic News Agency", "IR", ("IRNA",)),
    AgencyInfo("WAFA", "WAFA News Agency", "PS", ("WAFA", "Wafa")),
    AgencyInfo("MENA", "Middle East News Agency", "EG", ("MENA", "Middle East News Agency")),
    AgencyInfo("KUNA", "Kuwait News Agency", "KW", ("KUNA", "Kuwait News Agency")),
    AgencyInfo("SPA", "Saudi Press Agency", "SA", ("SPA", "Saudi Press Agency")),
    AgencyInfo("WAM", "Emirates News Agency", "AE", ("WAM", "Emirates News Agency")),
    AgencyInfo("QNA", "Qatar News Agency", "QA", ("QNA", "Qatar News Agency")),
    AgencyInfo("Petra", "Jordan News Agency", "JO", ("Petra", "Jordan News Agency")),
    AgencyInfo("SANA", "Syrian Arab News Agency", "SY", ("SANA", "Syrian Arab News Agency")),
    AgencyInfo("MAP", "Maghreb Arabe Presse", "MA", ("MAP", "Maghreb Arabe Presse")),
    AgencyInfo("APS", "Algérie Presse Service", "DZ", ("APS", "Algérie Presse Service")),
    AgencyInfo("TAP", "Tunis Afrique Presse", "TN", ("TAP", "Tunis Afrique Presse")),
    AgencyInfo("Belga", "Belga", "BE", ("Belga",)),
    AgencyInfo("ANP", "Algemeen Nederlands Persbureau", "NL", ("ANP",)),
    AgencyInfo("APA", "Austria Presse Agentur", "AT", ("APA", "Austria Presse Agentur")),
    AgencyInfo("SDA", "Keystone-SDA", "CH", ("SDA", "Keystone-SDA", "Keystone-ATS", "ATS")),
    AgencyInfo("CTK", "Czech News Agency", "CZ", ("CTK", "ČTK", "Czech News Agency")),
    AgencyInfo("PAP", "Polish Press Agency", "PL", ("PAP", "Polish Press Agency")),
    AgencyInfo("MTI", "Hungarian News Agency", "HU", ("MTI",)),
    AgencyInfo("BTA", "Bulgarian News Agency", "BG", ("BTA",)),
    AgencyInfo("Agerpres", "Agerpres", "RO", ("Agerpres",)),
    AgencyInfo("HINA", "Croatian News Agency", "HR", ("HINA", "Hina")),
    AgencyInfo("Tanjug", "Tanjug", "RS", ("Tanjug",)),
    AgencyInfo("ANA-MPA", "Athens-Macedonian News Agency", "GR", ("ANA-MPA", "ANA")),
    AgencyInfo("Lusa", "Agência Lusa", "PT", ("Lusa",)),
    AgencyInfo("Europa Press", "Europa Press", "ES", ("Europa Press",)),
    AgencyInfo("AGI", "Agenzia Giornalistica Italia", "IT", ("AGI",)),
    AgencyInfo("NTB", "Norsk Telegrambyrå", "NO", ("NTB",)),
    AgencyInfo("TT", "Tidningarnas Telegrambyrå", "SE", ("TT",)),
    AgencyInfo("Ritzau", "Ritzau", "DK", ("Ritzau",)),
    AgencyInfo("STT", "STT", "FI", ("STT", "STT-FNB")),
    AgencyInfo("Notimex", "Notimex", "MX", ("Notimex",)),
    AgencyInfo("Prensa Latina", "Prensa Latina", "CU", ("Prensa Latina",)),
    AgencyInfo("Telam", "Télam", "AR", ("Telam", "Télam")),
    AgencyInfo("Agencia Brasil", "Agência Brasil", "BR", ("Agencia Brasil", "Agência Brasil")),
    AgencyInfo("NAN", "News Agency of Nigeria", "NG", ("NAN", "News Agency of Nigeria")),
    AgencyInfo("SAPA", "South African Press Association", "ZA", ("SAPA", "Sapa")),
    AgencyInfo("KNA", "Kenya News Agency", "KE", ("KNA", "Kenya News Agency")),
)

_NOISE = re.compile(r"[\s.]+")


def _key(signature: str) -> str:
    return _NOISE.sub(" ", signature).strip(" ()[]-–—_:/").casefold()


@cache
def _by_signature() -> dict[str, AgencyInfo]:
    return {
        _key(sig): info for info in AGENCIES for sig in (info.code, info.name, *info.signatures)
    }


def find_agency(signature: str) -> Agency | None:
    """The agency that signs as `signature`, in any of its forms.

    >>> find_agency("The Associated Press")
    Agency(code='AP', name='Associated Press')
    >>> find_agency("(AA)")
    Agency(code='AA', name='Anadolu Agency')
    """
    info = _by_signature().get(_key(signature))
    return info.agency if info else None


def is_signature(text: str) -> bool:
    """True when `text` is exactly how some agency signs (case included, or in capitals).

    >>> is_signature("THE CANADIAN PRESS"), is_signature("Map")
    (True, False)
    """
    info = _by_signature().get(_key(text))
    if info is None:
        return False
    forms = (info.code, info.name, *info.signatures)
    return any(text in (form, form.upper()) for form in forms)
