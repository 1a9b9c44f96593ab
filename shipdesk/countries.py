"""Country names as order exports write them ("United States", "Korea, South", "Deutschland", "DEU") and the
ISO 3166 alpha-2 code each stands for: plain data and a lookup, no I/O.
"""

from __future__ import annotations

import unicodedata


def _fold_name(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(char for char in decomposed if char.isalnum() or char == " ")
    return " ".join(plain.split())


# Each ISO 3166 alpha-2 code (and Kosovo's XK, which carriers use), then the names exports write for it: English
# (Etsy and eBay write "United States", "Korea, South"; WooCommerce "United Kingdom (UK)"), its own, and its
# three-letter code. Names are compared folded: "Côte d'Ivoire" is "cote divoire".
_COUNTRY_NAME_TABLE = """
AD Andorra|AND
AE United Arab Emirates|UAE|ARE
AF Afghanistan
AG Antigua and Barbuda|Antigua
AI Anguilla
AL Albania
AM Armenia
AO Angola
AQ Antarctica
AR Argentina|ARG
AS American Samoa
AT Austria|Österreich|AUT
AU Australia|AUS
AW Aruba
AX Åland Islands|Aland
AZ Azerbaijan
BA Bosnia and Herzegovina|Bosnia & Herzegovina|Bosnia
BB Barbados
BD Bangladesh
BE Belgium|België|Belgique|BEL
BF Burkina Faso
BG Bulgaria|BGR
BH Bahrain
BI Burundi
BJ Benin
BL Saint Barthélemy|St. Barthélemy|St Barts
BM Bermuda
BN Brunei|Brunei Darussalam
BO Bolivia
BQ Caribbean Netherlands|Bonaire, Sint Eustatius and Saba|Bonaire
BR Brazil|Brasil|BRA
BS Bahamas|The Bahamas
BT Bhutan
BV Bouvet Island
BW Botswana
BY Belarus
BZ Belize
CA Canada|CAN
CC Cocos (Keeling) Islands|Cocos Islands
CD Congo, Democratic Republic of the|Democratic Republic of the Congo|DR Congo|Congo (Kinshasa)
CF Central African Republic
CG Congo|Republic of the Congo|Congo (Brazzaville)|Congo, Republic of the
CH Switzerland|Schweiz|Suisse|Svizzera|CHE
CI Côte d'Ivoire|Ivory Coast
CK Cook Islands
CL Chile|CHL
CM Cameroon
CN China|People's Republic of China|CHN
CO Colombia|COL
CR Costa Rica
CU Cuba
CV Cape Verde|Cabo Verde
CW Curaçao
CX Christmas Island
CY Cyprus|CYP
CZ Czech Republic|Czechia|Česko|CZE
DE Germany|Deutschland|DEU
DJ Djibouti
DK Denmark|Danmark|DNK
DM Dominica
DO Dominican Republic
DZ Algeria
EC Ecuador
EE Estonia|Eesti|EST
EG Egypt
EH Western Sahara
ER Eritrea
ES Spain|España|ESP
ET Ethiopia
FI Finland|Suomi|FIN
FJ Fiji
FK Falkland Islands|Falkland Islands (Malvinas)
FM Micronesia|Micronesia, Federated States of
FO Faroe Islands
FR France|FRA
GA Gabon
GB United Kingdom|United Kingdom (UK)|UK|Great Britain|Britain|England|Scotland|Wales|Northern Ireland|GBR
GD Grenada
GE Georgia
GF French Guiana
GG Guernsey
GH Ghana
GI Gibraltar
GL Greenland
GM Gambia|The Gambia
GN Guinea
GP Guadeloupe
GQ Equatorial Guinea
GR Greece|Hellas|GRC
GS South Georgia and the South Sandwich Islands|South Georgia
GT Guatemala
GU Guam
GW Guinea-Bissau
GY Guyana
HK Hong Kong|Hong Kong SAR|Hong Kong SAR China|HKG
HM Heard Island and McDonald Islands
HN Honduras
HR Croatia|Hrvatska|HRV
HT Haiti
HU Hungary|Magyarország|HUN
ID Indonesia|IDN
IE Ireland|Republic of Ireland|Éire|IRL
IL Israel|ISR
IM Isle of Man
IN India|IND
IO British Indian Ocean Territory
IQ Iraq
IR Iran
IS Iceland|Ísland|ISL
IT Italy|Italia|ITA
JE Jersey
JM Jamaica
JO Jordan
JP Japan|JPN
KE Kenya
KG Kyrgyzstan
KH Cambodia
KI Kiribati
KM Comoros
KN Saint Kitts and Nevis|St. Kitts and Nevis|St Kitts and Nevis
KP North Korea|Korea, North|Democratic People's Republic of Korea|Korea, Democratic People's Republic of|PRK
KR South Korea|Korea|Korea, South|Republic of Korea|Korea, Republic of|KOR
KW Kuwait
KY Cayman Islands
KZ Kazakhstan
LA Laos|Lao People's Democratic Republic
LB Lebanon
LC Saint Lucia|St. Lucia|St Lucia
LI Liechtenstein
LK Sri Lanka
LR Liberia
LS Lesotho
LT Lithuania|Lietuva|LTU
LU Luxembourg|LUX
LV Latvia|Latvija|LVA
LY Libya
MA Morocco
MC Monaco
MD Moldova|Moldova, Republic of
ME Montenegro
MF Saint Martin|St. Martin|Saint Martin (French part)
MG Madagascar
MH Marshall Islands
MK North Macedonia|Macedonia
ML Mali
MM Myanmar|Burma
MN Mongolia
MO Macao|Macau
MP Northern Mariana Islands
MQ Martinique
MR Mauritania
MS Montserrat
MT Malta|MLT
MU Mauritius
MV Maldives
MW Malawi
MX Mexico|México|MEX
MY Malaysia|MYS
MZ Mozambique
NA Namibia
NC New Caledonia
NE Niger
NF Norfolk Island
NG Nigeria
NI Nicaragua
NL Netherlands|The Netherlands|Netherlands, The|Holland|Nederland|NLD
NO Norway|Norge|NOR
NP Nepal
NR Nauru
NU Niue
NZ New Zealand|NZL
OM Oman
PA Panama
PE Peru|PER
PF French Polynesia
PG Papua New Guinea
PH Philippines|PHL
PK Pakistan
PL Poland|Polska|POL
PM Saint Pierre and Miquelon
PN Pitcairn|Pitcairn Islands
PR Puerto Rico|PRI
PS Palestine|Palestinian Territories|Palestinian Territory|Palestine, State of
PT Portugal|PRT
PW Palau
PY Paraguay
QA Qatar
RE Réunion|Reunion
RO Romania|ROU
RS Serbia
RU Russia|Russian Federation|RUS
RW Rwanda
SA Saudi Arabia|SAU
SB Solomon Islands
SC Seychelles
SD Sudan
SE Sweden|Sverige|SWE
SG Singapore|SGP
SH Saint Helena|St. Helena|Saint Helena, Ascension and Tristan da Cunha
SI Slovenia|Slovenija|SVN
SJ Svalbard and Jan Mayen
SK Slovakia|Slovak Republic|Slovensko|SVK
SL Sierra Leone
SM San Marino
SN Senegal
SO Somalia
SR Suriname
SS South Sudan
ST São Tomé and Príncipe
SV El Salvador
SX Sint Maarten|Sint Maarten (Dutch part)
SY Syria|Syrian Arab Republic
SZ Eswatini|Swaziland
TC Turks and Caicos Islands
TD Chad
TF French Southern Territories
TG Togo
TH Thailand|THA
TJ Tajikistan
TK Tokelau
TL Timor-Leste|East Timor
TM Turkmenistan
TN Tunisia
TO Tonga
TR Turkey|Türkiye|TUR
TT Trinidad and Tobago|Trinidad & Tobago
TV Tuvalu
TW Taiwan|Taiwan, Province of China|TWN
TZ Tanzania
UA Ukraine|UKR
UG Uganda
UM United States Minor Outlying Islands|U.S. Minor Outlying Islands|United States (US) Minor Outlying Islands
US United States|United States (US)|United States of America|USA|U.S.A.|U.S.|America
UY Uruguay
UZ Uzbekistan
VA Vatican City|Vatican|Holy See|Holy See (Vatican City State)
VC Saint Vincent and the Grenadines|St. Vincent and the Grenadines|St Vincent
VE Venezuela
VG British Virgin Islands|Virgin Islands, British
VI U.S. Virgin Islands|US Virgin Islands|Virgin Islands, U.S.|Virgin Islands (US)|United States (US) Virgin Islands
VN Vietnam|Viet Nam|VNM
VU Vanuatu
WF Wallis and Futuna
WS Samoa
XK Kosovo
YE Yemen
YT Mayotte
ZA South Africa|ZAF
ZM Zambia
ZW Zimbabwe
"""
_COUNTRY_LINES = [line.partition(" ") for line in _COUNTRY_NAME_TABLE.strip().splitlines()]
_COUNTRY_CODES = frozenset(code for code, _, _ in _COUNTRY_LINES)
_COUNTRY_NAMES: dict[str, str] = {
    _fold_name(name): code for code, _, names in _COUNTRY_LINES for name in names.split("|")
}


def country_code(text: str) -> str | None:
    """An ISO 3166 alpha-2 code from a code or a country name; None when it is neither.

    Names come first: "UK", as British sheets write it, is GB and no code of its own.
    """
    code = _COUNTRY_NAMES.get(_fold_name(text))
    if code is None and len(text) == 2 and text.upper() in _COUNTRY_CODES:
        code = text.upper()
    return code
