"""Vietnamese names of the countries delegations go to and come from (ISO 3166-1 alpha-2).

Official documents name countries in Vietnamese; a code missing here is printed as the code.
"""

from __future__ import annotations

COUNTRY_NAMES_VI: dict[str, str] = {
    "AE": "Các Tiểu vương quốc Ả Rập Thống nhất",
    "AR": "Argentina",
    "AT": "Áo",
    "AU": "Úc",
    "BD": "Bangladesh",
    "BE": "Bỉ",
    "BN": "Brunei",
    "BR": "Brasil",
    "BY": "Belarus",
    "CA": "Canada",
    "CH": "Thụy Sĩ",
    "CL": "Chile",
    "CN": "Trung Quốc",
    "CU": "Cuba",
    "CZ": "Séc",
    "DE": "Đức",
    "DK": "Đan Mạch",
    "EG": "Ai Cập",
    "ES": "Tây Ban Nha",
    "FI": "Phần Lan",
    "FR": "Pháp",
    "GB": "Vương quốc Anh",
    "GR": "Hy Lạp",
    "HK": "Hồng Kông (Trung Quốc)",
    "HU": "Hungary",
    "ID": "Indonesia",
    "IE": "Ireland",
    "IL": "Israel",
    "IN": "Ấn Độ",
    "IT": "Ý",
    "JP": "Nhật Bản",
    "KH": "Campuchia",
    "KR": "Hàn Quốc",
    "KP": "Triều Tiên",
    "KZ": "Kazakhstan",
    "LA": "Lào",
    "LK": "Sri Lanka",
    "MM": "Myanmar",
    "MN": "Mông Cổ",
    "MO": "Ma Cao (Trung Quốc)",
    "MX": "Mexico",
    "MY": "Malaysia",
    "NL": "Hà Lan",
    "NO": "Na Uy",
    "NZ": "New Zealand",
    "PH": "Philippines",
    "PK": "Pakistan",
    "PL": "Ba Lan",
    "PT": "Bồ Đào Nha",
    "QA": "Qatar",
    "RO": "Romania",
    "RU": "Liên bang Nga",
    "SA": "Ả Rập Xê Út",
    "SE": "Thụy Điển",
    "SG": "Singapore",
    "TH": "Thái Lan",
    "TL": "Timor-Leste",
    "TR": "Thổ Nhĩ Kỳ",
    "TW": "Đài Loan (Trung Quốc)",
    "UA": "Ukraina",
    "US": "Hoa Kỳ",
    "UZ": "Uzbekistan",
    "VN": "Việt Nam",
    "ZA": "Nam Phi",
}


def country_name(code: str) -> str:
    """The Vietnamese name of a country, or its code when the table does not have it."""
    return COUNTRY_NAMES_VI.get((code or "").upper(), (code or "").upper())


def country_list(codes: list[str]) -> str:
    """``Nhật Bản, Hàn Quốc và Singapore``: distinct names in the given order."""
    names: list[str] = []
    for code in codes:
        name = country_name(code)
        if name and name not in names:
            names.append(name)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " và " + names[-1]
