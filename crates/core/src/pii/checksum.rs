//! Check-digit and structure validators for personal identifiers.
//!
//! Every validator takes a candidate that the caller has already stripped of
//! separators (spaces, dashes, dots, slashes) and upper-cased (ASCII), and
//! answers whether it is a valid identifier of that kind: format, allowed
//! prefixes, embedded dates and check digits. The functions are pure (no
//! clock, no I/O, no allocation) and never panic: any input (empty, wrong
//! length, non-ASCII, lower case) simply yields `false` / `None`.
//!
//! Each function's documentation names the rule it checks and the standard or
//! official document the rule comes from. The unit tests use published test
//! vectors; their sources are given next to each test.
#![forbid(unsafe_code)]

// ---------------------------------------------------------------------------
// Small helpers (private)
// ---------------------------------------------------------------------------

/// `true` when `b` is non-empty and made only of ASCII digits.
fn is_digits(b: &[u8]) -> bool {
    !b.is_empty() && b.iter().all(u8::is_ascii_digit)
}

/// Value of an ASCII digit (callers check `is_ascii_digit` first; a non-digit
/// gives a meaningless value but never panics).
fn dv(c: u8) -> u32 {
    u32::from(c.wrapping_sub(b'0'))
}

/// Decimal value of a run of ASCII digits (callers keep runs short enough for
/// `u64`; overflow wraps instead of panicking).
fn num(b: &[u8]) -> u64 {
    b.iter().fold(0u64, |acc, &c| {
        acc.wrapping_mul(10)
            .wrapping_add(u64::from(c.wrapping_sub(b'0')))
    })
}

/// Decimal value of a short run of ASCII digits as `u32`.
fn num32(b: &[u8]) -> u32 {
    b.iter()
        .fold(0u32, |acc, &c| acc.wrapping_mul(10).wrapping_add(dv(c)))
}

/// Days in `month` of `year` (proleptic Gregorian), 0 for an invalid month.
fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            if leap { 29 } else { 28 }
        }
        _ => 0,
    }
}

/// Valid calendar date for a two-digit year in either the 1900s or the 2000s
/// (used where the identifier does not encode the century).
fn is_valid_date_yy(yy: u32, month: u32, day: u32) -> bool {
    // yy < 100, so the casts cannot truncate.
    let yy = yy as i32;
    is_valid_date(1900 + yy, month, day) || is_valid_date(2000 + yy, month, day)
}

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

/// Whether `year`-`month`-`day` is a real calendar date.
///
/// Rule: `month` in 1..=12 and `day` in 1..=(days in that month), with the
/// leap-year rule of the Gregorian calendar (divisible by 4, except centuries
/// not divisible by 400), applied proleptically to every `year` as in
/// ISO 8601-1:2019 (§4.3.4, Gregorian calendar). Used by the validators that
/// embed a date of birth, and by tact for dates of birth found in text.
pub fn is_valid_date(year: i32, month: u32, day: u32) -> bool {
    day >= 1 && day <= days_in_month(year, month)
}

// ---------------------------------------------------------------------------
// Payment cards
// ---------------------------------------------------------------------------

/// Luhn (mod 10) check over a string of ASCII digits.
///
/// Rule: from the rightmost digit (the check digit) leftwards, double every
/// second digit, subtract 9 from doubled values above 9, sum everything; the
/// number is valid when the sum is a multiple of 10. Source: ISO/IEC 7812-1,
/// Annex B ("Luhn formula for computing modulus-10 'double-add-double' check
/// digits"). Inputs shorter than 2 digits (no payload) are rejected.
pub fn luhn(digits: &str) -> bool {
    let b = digits.as_bytes();
    if b.len() < 2 || !is_digits(b) {
        return false;
    }
    let mut sum = 0u32;
    for (i, &c) in b.iter().rev().enumerate() {
        let mut d = dv(c);
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum = (sum + d) % 10;
    }
    sum == 0
}

/// Brand of a payment card number (PAN), from its issuer identification
/// number (IIN) range and length; `None` if it is not a valid card number.
///
/// The number must be 12–19 ASCII digits, pass [`luhn`], and fall in one of
/// these IIN ranges with one of the brand's lengths:
///
/// | brand | IIN prefixes | lengths |
/// |---|---|---|
/// | `"amex"` | 34, 37 | 15 |
/// | `"mir"` | 2200–2204 | 16–19 |
/// | `"mastercard"` | 51–55, 2221–2720 | 16 |
/// | `"jcb"` | 3528–3589 | 16–19 |
/// | `"diners"` | 300–305, 3095, 36, 38, 39 | 14–19 |
/// | `"discover"` | 6011, 644–649, 65 | 16–19 |
/// | `"unionpay"` | 62 | 16–19 |
/// | `"maestro"` | 5018, 5020, 5038, 5893, 6304, 6759, 6761–6763 | 12–19 |
/// | `"visa"` | 4 | 13, 16, 19 |
///
/// Sources: ISO/IEC 7812-1 (IIN structure, Luhn check digit) and the brands'
/// published IIN ranges as collected in Wikipedia's "Payment card number"
/// IIN table (Mastercard's 2-series 2221–2720 announced by Mastercard in 2014,
/// Mir 2200–2204 by NSPK). The Discover/UnionPay co-branded block
/// 622126–622925 is reported as `"unionpay"`, the issuing network.
pub fn card_brand(digits: &str) -> Option<&'static str> {
    let b = digits.as_bytes();
    let len = b.len();
    if !(12..=19).contains(&len) || !luhn(digits) {
        return None;
    }
    // len >= 12, so these slices are in bounds.
    let p2 = num32(&b[..2]);
    let p3 = num32(&b[..3]);
    let p4 = num32(&b[..4]);
    let (brand, length_ok) = if p2 == 34 || p2 == 37 {
        ("amex", len == 15)
    } else if (2200..=2204).contains(&p4) {
        ("mir", (16..=19).contains(&len))
    } else if (51..=55).contains(&p2) || (2221..=2720).contains(&p4) {
        ("mastercard", len == 16)
    } else if (3528..=3589).contains(&p4) {
        ("jcb", (16..=19).contains(&len))
    } else if (300..=305).contains(&p3) || p4 == 3095 || matches!(p2, 36 | 38 | 39) {
        ("diners", (14..=19).contains(&len))
    } else if p4 == 6011 || (644..=649).contains(&p3) || p2 == 65 {
        ("discover", (16..=19).contains(&len))
    } else if p2 == 62 {
        ("unionpay", (16..=19).contains(&len))
    } else if matches!(p4, 5018 | 5020 | 5038 | 5893 | 6304 | 6759 | 6761..=6763) {
        ("maestro", true)
    } else if b[0] == b'4' {
        ("visa", matches!(len, 13 | 16 | 19))
    } else {
        return None;
    };
    length_ok.then_some(brand)
}

// ---------------------------------------------------------------------------
// North America, United Kingdom
// ---------------------------------------------------------------------------

/// United States Social Security Number (SSN).
///
/// Rule: 9 digits AAA-GG-SSSS; area `AAA` not 000, not 666 and not 900–999;
/// group `GG` not 00; serial `SSSS` not 0000. There is no check digit.
/// Also rejected: 078-05-1120 (the number printed on Woolworth's sample
/// wallet inserts, voided by the SSA) and 219-09-9999 (printed in an SSA
/// advertisement), as in python-stdnum's `stdnum.us.ssn` blacklist. Source:
/// Social Security Administration, "Social Security Number Randomization"
/// (ssa.gov/employer/randomization.html, 2011), which lists the never-issued
/// areas, group and serial.
pub fn us_ssn(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 9 || !is_digits(b) {
        return false;
    }
    let area = num32(&b[..3]);
    let group = num32(&b[3..5]);
    let serial = num32(&b[5..]);
    area != 0
        && area != 666
        && area < 900
        && group != 0
        && serial != 0
        && s != "078051120"
        && s != "219099999"
}

/// United Kingdom National Insurance number (NINO).
///
/// Rule: 2 prefix letters, 6 digits, 1 suffix letter A–D (9 characters). The
/// letters D, F, I, Q, U and V are not used as the first or second letter; O
/// is not used as the second letter; the prefixes BG, GB, KN, NK, NT, TN and
/// ZZ are not allocated. There is no check digit. Source: HMRC National
/// Insurance Manual, NIM39110 ("National Insurance number: format").
pub fn uk_nino(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 9 {
        return false;
    }
    let (p0, p1) = (b[0], b[1]);
    if !p0.is_ascii_uppercase() || !p1.is_ascii_uppercase() {
        return false;
    }
    if b"DFIQUV".contains(&p0) || b"DFIOQUV".contains(&p1) {
        return false;
    }
    if matches!(
        &b[..2],
        b"BG" | b"GB" | b"KN" | b"NK" | b"NT" | b"TN" | b"ZZ"
    ) {
        return false;
    }
    is_digits(&b[2..8]) && (b'A'..=b'D').contains(&b[8])
}

// ---------------------------------------------------------------------------
// European Union and neighbours
// ---------------------------------------------------------------------------

/// French NIR (numéro d'inscription au répertoire, "numéro de sécurité
/// sociale"), 15 characters.
///
/// Rule: sex digit 1 or 2 (3, 4, 7, 8 for special and temporary
/// registrations), 2-digit year, 2-digit month (01–12, or 20–42 / 50–99 for
/// incomplete civil status), department (2 digits, or 2A / 2B for Corsica),
/// 3-digit commune, 3-digit order number, then a 2-digit key equal to
/// 97 − (first 13 digits mod 97), where 2A and 2B count as 19 and 18.
/// Source: INSEE, NIR definition and XML schema (xml.insee.fr/schema/nir.html),
/// and the CNAV/INSEE key computation rule.
pub fn fr_nir(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 15 || !b"123478".contains(&b[0]) {
        return false;
    }
    if !is_digits(&b[..5]) || !is_digits(&b[7..]) {
        return false;
    }
    let dept = match &b[5..7] {
        b"2A" => 19,
        b"2B" => 18,
        d if is_digits(d) => num(d),
        _ => return false,
    };
    let month = num32(&b[3..5]);
    if !matches!(month, 1..=12 | 20..=42 | 50..=99) {
        return false;
    }
    let n = num(&b[..5]) * 100_000_000 + dept * 1_000_000 + num(&b[7..13]);
    num(&b[13..]) == 97 - n % 97
}

/// Belgian national register number (Rijksregisternummer / numéro de
/// registre national), 11 digits YYMMDD-SSS-CC.
///
/// Rule: CC = 97 − (YYMMDDSSS mod 97) for people born before 2000; for people
/// born from 2000 on, the digit 2 is prefixed before taking the remainder
/// (CC = 97 − (2YYMMDDSSS mod 97)); either form is accepted. The month must
/// be 00–12 (00 when the birth date was unknown or the day counter ran out;
/// the day is then not constrained either). All-zero numbers are rejected.
/// Source: FOD Binnenlandse Zaken / SPF Intérieur, Rijksregister
/// instructions IT000 "Rijksregisternummer"; handling of incomplete dates as
/// in python-stdnum's `stdnum.be.nn`. (No clock is read, so a 20xx key with a
/// year still in the future is not rejected.)
pub fn be_national_number(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 11 || !is_digits(b) || b.iter().all(|&c| c == b'0') {
        return false;
    }
    if num32(&b[2..4]) > 12 {
        return false;
    }
    let base = num(&b[..9]);
    let key = num(&b[9..]);
    key == 97 - base % 97 || key == 97 - (2_000_000_000 + base) % 97
}

/// Dutch citizen service number (burgerservicenummer, BSN).
///
/// Rule: 9 digits (an 8-digit number is read with a leading 0), not all
/// zero, passing the "11-proef": 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple
/// of 11. Source: Rijksdienst voor Identiteitsgegevens (RvIG), "Logisch
/// Ontwerp BSN", elfproef.
pub fn nl_bsn(s: &str) -> bool {
    let b = s.as_bytes();
    if !(b.len() == 8 || b.len() == 9) || !is_digits(b) || b.iter().all(|&c| c == b'0') {
        return false;
    }
    let mut padded = [b'0'; 9];
    padded[9 - b.len()..].copy_from_slice(b);
    let mut sum: i64 = 0;
    for (i, &c) in padded[..8].iter().enumerate() {
        sum += (9 - i as i64) * i64::from(dv(c));
    }
    sum -= i64::from(dv(padded[8]));
    sum.rem_euclid(11) == 0
}

/// German tax identification number (steuerliche Identifikationsnummer,
/// Steuer-IdNr), 11 digits.
///
/// Rule: the first digit is not 0; in the first 10 digits exactly one digit
/// occurs two or three times and every other digit at most once, and a digit
/// occurring three times must not fill three directly consecutive positions;
/// the 11th digit is the ISO/IEC 7064 MOD 11,10 check digit of the first 10.
/// Source: ELSTER / Bundeszentralamt für Steuern, "Prüfung der Steuer- und
/// Steueridentifikationsnummer" (section 2.2), and ISO/IEC 7064:2003
/// (hybrid system MOD 11,10).
pub fn de_tax_id(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 11 || !is_digits(b) || b[0] == b'0' {
        return false;
    }
    let body = &b[..10];
    let mut counts = [0u8; 10];
    for &c in body {
        counts[(dv(c) % 10) as usize] += 1;
    }
    let repeated = counts.iter().filter(|&&n| n > 1).count();
    let most = counts.iter().copied().max().unwrap_or(0);
    if repeated != 1 || !matches!(most, 2 | 3) {
        return false;
    }
    if body.windows(3).any(|w| w[0] == w[1] && w[1] == w[2]) {
        return false;
    }
    // ISO/IEC 7064 MOD 11,10.
    let mut product = 10u32;
    for &c in body {
        let mut sum = (dv(c) + product) % 10;
        if sum == 0 {
            sum = 10;
        }
        product = (2 * sum) % 11;
    }
    (11 - product) % 10 == dv(b[10])
}

/// Control letters of the Spanish DNI / NIE, indexed by the number mod 23.
const ES_LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";

/// Spanish national identity document number (DNI / NIF of a Spanish
/// citizen).
///
/// Rule: 8 digits followed by the control letter
/// `TRWAGMYFPDXBNJZSQVHLCKE`[number mod 23]. Source: Ministerio del Interior,
/// Real Decreto 1553/2005 (DNI) and the published "cálculo del dígito de
/// control del NIF/NIE" (Policía Nacional, dnielectronico.es).
pub fn es_dni(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 9 || !is_digits(&b[..8]) {
        return false;
    }
    b[8] == ES_LETTERS[(num(&b[..8]) % 23) as usize]
}

/// Spanish foreigner identity number (NIE).
///
/// Rule: X, Y or Z, then 7 digits, then the DNI control letter computed on
/// the number obtained by replacing X/Y/Z with 0/1/2. Source: Orden
/// INT/2058/2008 (NIE letters Y and Z) and the Ministerio del Interior
/// NIF/NIE control-letter algorithm.
pub fn es_nie(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 9 || !is_digits(&b[1..8]) {
        return false;
    }
    let lead: u64 = match b[0] {
        b'X' => 0,
        b'Y' => 1,
        b'Z' => 2,
        _ => return false,
    };
    let n = lead * 10_000_000 + num(&b[1..8]);
    b[8] == ES_LETTERS[(n % 23) as usize]
}

/// Value of a digit position in an Italian fiscal code, with the omocodia
/// letters L M N P Q R S T U V standing for 0–9.
fn it_digit(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(dv(c)),
        _ => b"LMNPQRSTUV".iter().position(|&l| l == c).map(|p| p as u32),
    }
}

/// Italian fiscal code (codice fiscale) of a natural person, 16 characters.
///
/// Rule: 3 + 3 letters (surname, name), 2-digit year, month letter
/// (A B C D E H L M P R S T = January…December), 2-digit day (+40 for women),
/// a letter and 3 digits (place of birth), and a check letter. In the seven
/// digit positions the omocodia letters L M N P Q R S T U V may replace
/// 0–9. The encoded date must exist (in the 1900s or the 2000s). The check
/// letter is `A` + (Σ odd-position values + Σ even-position values) mod 26,
/// using the odd/even conversion tables. Source: Decreto del Ministero delle
/// Finanze 23 dicembre 1976 ("Sistemi di codificazione dei soggetti da
/// iscrivere all'anagrafe tributaria"), Agenzia delle Entrate.
pub fn it_codice_fiscale(s: &str) -> bool {
    const ODD: [u32; 26] = [
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24,
        23,
    ];
    const MONTHS: &[u8; 12] = b"ABCDEHLMPRST";
    let b = s.as_bytes();
    if b.len() != 16 {
        return false;
    }
    let letters_ok = [0, 1, 2, 3, 4, 5, 8, 11, 15]
        .iter()
        .all(|&i| b[i].is_ascii_uppercase());
    if !letters_ok {
        return false;
    }
    let mut d = [0u32; 7];
    for (slot, &i) in d.iter_mut().zip([6usize, 7, 9, 10, 12, 13, 14].iter()) {
        match it_digit(b[i]) {
            Some(v) => *slot = v,
            None => return false,
        }
    }
    let Some(month) = MONTHS.iter().position(|&m| m == b[8]) else {
        return false;
    };
    let yy = d[0] * 10 + d[1];
    let dd = d[2] * 10 + d[3];
    let day = match dd {
        1..=31 => dd,
        41..=71 => dd - 40,
        _ => return false,
    };
    if !is_valid_date_yy(yy, month as u32 + 1, day) {
        return false;
    }
    let mut sum = 0u32;
    for (i, &c) in b[..15].iter().enumerate() {
        // Position values: digits 0-9 and letters A-Z both map to 0..; the
        // odd table (1-based odd positions, i.e. even `i`) remaps them.
        let v = if c.is_ascii_digit() {
            dv(c)
        } else {
            u32::from(c.wrapping_sub(b'A'))
        };
        sum += if i % 2 == 0 {
            ODD.get(v as usize).copied().unwrap_or(0)
        } else {
            v
        };
    }
    u32::from(b[15]) == u32::from(b'A') + sum % 26
}

/// Portuguese tax identification number (número de identificação fiscal,
/// NIF / NIPC), 9 digits.
///
/// Rule: the first digit(s) give the holder type and must be one of
/// 1, 2, 3 (individuals), 45 (non-resident individuals), 5 (companies),
/// 6 (public bodies), 70, 71, 72, 74, 75, 77, 78, 79, 90, 91, 98, 99 (estates,
/// funds, non-residents, condominiums…); the 9th digit is a mod 11 check:
/// r = Σ (9 − i)·dᵢ (i = 0..8) mod 11, check = 0 if r < 2 else 11 − r.
/// Source: Autoridade Tributária e Aduaneira (Portal das Finanças), NIF
/// structure; OECD "Portugal – Information on Tax Identification Numbers".
pub fn pt_nif(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 9 || !is_digits(b) {
        return false;
    }
    let prefix_ok = matches!(b[0], b'1' | b'2' | b'3' | b'5' | b'6')
        || matches!(
            num32(&b[..2]),
            45 | 70 | 71 | 72 | 74 | 75 | 77 | 78 | 79 | 90 | 91 | 98 | 99
        );
    if !prefix_ok {
        return false;
    }
    let r = b[..8]
        .iter()
        .enumerate()
        .map(|(i, &c)| (9 - i as u32) * dv(c))
        .sum::<u32>()
        % 11;
    let check = if r < 2 { 0 } else { 11 - r };
    check == dv(b[8])
}

/// Polish PESEL (Powszechny Elektroniczny System Ewidencji Ludności), 11
/// digits.
///
/// Rule: YYMMDD with the century encoded in the month (+80 for 1800–1899,
/// +0 for 1900s, +20 for 2000s, +40 for 2100s, +60 for 2200s) giving a real
/// date, 4-digit serial, and a check digit (10 − Σ wᵢ·dᵢ mod 10) mod 10 with
/// weights 1 3 7 9 1 3 7 9 1 3. Source: Ustawa z dnia 24 września 2010 r. o
/// ewidencji ludności (art. 15) and the Ministry of Digital Affairs' PESEL
/// description (gov.pl, "Numer PESEL").
pub fn pl_pesel(s: &str) -> bool {
    const W: [u32; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
    let b = s.as_bytes();
    if b.len() != 11 || !is_digits(b) {
        return false;
    }
    let sum: u32 = W.iter().zip(&b[..10]).map(|(w, &c)| w * dv(c)).sum();
    if (10 - sum % 10) % 10 != dv(b[10]) {
        return false;
    }
    let yy = num32(&b[..2]) as i32;
    let mm = num32(&b[2..4]);
    let century = match mm / 20 {
        0 => 1900,
        1 => 2000,
        2 => 2100,
        3 => 2200,
        4 => 1800,
        _ => return false,
    };
    is_valid_date(century + yy, mm % 20, num32(&b[4..6]))
}

// ---------------------------------------------------------------------------
// Turkey, Russia
// ---------------------------------------------------------------------------

/// Turkish identification number (T.C. Kimlik No), 11 digits.
///
/// Rule: first digit not 0; d10 = ((d1+d3+d5+d7+d9)·7 − (d2+d4+d6+d8)) mod 10;
/// d11 = (d1+…+d10) mod 10. Source: Nüfus ve Vatandaşlık İşleri Genel
/// Müdürlüğü (NVİ), T.C. Kimlik Numarası algorithm (tckimlik.nvi.gov.tr).
pub fn tr_tckn(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 11 || !is_digits(b) || b[0] == b'0' {
        return false;
    }
    let mut d = [0i32; 11];
    for (slot, &c) in d.iter_mut().zip(b) {
        *slot = dv(c) as i32;
    }
    let odd = d[0] + d[2] + d[4] + d[6] + d[8];
    let even = d[1] + d[3] + d[5] + d[7];
    let d10 = (odd * 7 - even).rem_euclid(10);
    let d11 = d[..10].iter().sum::<i32>() % 10;
    d10 == d[9] && d11 == d[10]
}

/// Weighted sum mod 11 mod 10, the INN check-digit function.
fn inn_check(digits: &[u8], weights: &[u32]) -> u32 {
    weights
        .iter()
        .zip(digits)
        .map(|(w, &c)| w * dv(c))
        .sum::<u32>()
        % 11
        % 10
}

/// Russian taxpayer identification number (ИНН, INN).
///
/// Rule: 10 digits (organisation) with check digit
/// (Σ wᵢ·dᵢ mod 11) mod 10, weights 2 4 10 3 5 9 4 6 8; or 12 digits
/// (individual) with two check digits: d11 with weights 7 2 4 10 3 5 9 4 6 8
/// and d12 with weights 3 7 2 4 10 3 5 9 4 6 8 (over d1..d11), each
/// (sum mod 11) mod 10. Source: Приказ ФНС России от 29.06.2012
/// № ММВ-7-6/435@ (structure of the INN), control-number algorithm.
pub fn ru_inn(s: &str) -> bool {
    let b = s.as_bytes();
    if !is_digits(b) {
        return false;
    }
    match b.len() {
        10 => inn_check(b, &[2, 4, 10, 3, 5, 9, 4, 6, 8]) == dv(b[9]),
        12 => {
            inn_check(b, &[7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == dv(b[10])
                && inn_check(b, &[3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == dv(b[11])
        }
        _ => false,
    }
}

/// Russian individual insurance account number (СНИЛС, SNILS), 11 digits
/// NNN-NNN-NNN CC.
///
/// Rule: S = Σ dᵢ·(9 − i) over the first 9 digits (weights 9…1); the check
/// number is S if S < 100, 00 if S is 100 or 101, otherwise S mod 101 (with
/// 100 again giving 00). The check is only defined for numbers above
/// 001-001-998; smaller numbers carry no check and are accepted whatever
/// their last two digits (tact still rejects the all-zero number). Source:
/// Pension Fund of the Russian Federation (now Social Fund of Russia), rule
/// "Проверка контрольного числа страхового номера" of the instructions on
/// individual (personified) accounting, as reproduced on consultant.ru
/// (document LAW_142584) and in python-stdnum's `stdnum.ru.snils`.
pub fn ru_snils(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 11 || !is_digits(b) {
        return false;
    }
    let base = num(&b[..9]);
    if base == 0 {
        return false;
    }
    if base <= 1_001_998 {
        return true;
    }
    let sum: u32 = b[..9]
        .iter()
        .enumerate()
        .map(|(i, &c)| dv(c) * (9 - i as u32))
        .sum();
    let check = match sum {
        0..=99 => sum,
        100 | 101 => 0,
        _ => match sum % 101 {
            100 => 0,
            r => r,
        },
    };
    check == num32(&b[9..])
}

// ---------------------------------------------------------------------------
// Middle East, Africa, Asia
// ---------------------------------------------------------------------------

/// Saudi national ID / iqama number, 10 digits.
///
/// Rule: first digit 1 (Saudi citizen) or 2 (resident, iqama); the whole
/// number passes the Luhn check (digits at odd positions from the left are
/// doubled and their digit sums added, the total is a multiple of 10).
/// Source: Ministry of Interior / Absher ID-number structure (citizen vs.
/// resident leading digit) and ISO/IEC 7812-1 Annex B (Luhn).
pub fn sa_national_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10 && matches!(b[0], b'1' | b'2') && luhn(s)
}

/// United Arab Emirates identity number (Emirates ID), 15 digits
/// 784-YYYY-NNNNNNN-C.
///
/// Rule: starts with 784 (the ISO 3166-1 numeric code of the UAE), 15 digits,
/// last digit a Luhn check digit. Source: Federal Authority for Identity,
/// Citizenship, Customs & Port Security (ICP), Emirates ID card number
/// structure; ISO 3166-1 numeric; ISO/IEC 7812-1 Annex B (Luhn).
pub fn ae_emirates_id(s: &str) -> bool {
    s.len() == 15 && s.starts_with("784") && luhn(s)
}

/// South African identity number, 13 digits YYMMDD SSSS C A Z.
///
/// Rule: YYMMDD is a real date (1900s or 2000s), the citizenship digit C
/// (11th) is 0 (citizen), 1 (permanent resident) or 2 (refugee), and the
/// 13th digit is a Luhn check digit. Source: Department of Home Affairs,
/// identity number structure (Identification Act 68 of 1997); ISO/IEC 7812-1
/// Annex B (Luhn).
pub fn za_id(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 13 || !is_digits(b) {
        return false;
    }
    is_valid_date_yy(num32(&b[..2]), num32(&b[2..4]), num32(&b[4..6]))
        && matches!(b[10], b'0' | b'1' | b'2')
        && luhn(s)
}

/// Japanese Individual Number (マイナンバー, My Number), 12 digits.
///
/// Rule: check digit = 11 − (Σ Pₙ·Qₙ mod 11), or 0 when that remainder is 0
/// or 1, where Pₙ is the n-th digit counted from the right of the first 11
/// digits and Qₙ = n + 1 for n ≤ 6, n − 5 for n ≥ 7 (i.e. weights
/// 6 5 4 3 2 7 6 5 4 3 2 from the left). Source: Ministry of Internal
/// Affairs and Communications Ordinance No. 85 of 2014 (総務省令第八十五号),
/// article 5, "検査用数字を算出する算式", made under the My Number Act
/// (行政手続における特定の個人を識別するための番号の利用等に関する法律).
pub fn jp_my_number(s: &str) -> bool {
    const W: [u32; 11] = [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    let b = s.as_bytes();
    if b.len() != 12 || !is_digits(b) {
        return false;
    }
    let r = W.iter().zip(&b[..11]).map(|(w, &c)| w * dv(c)).sum::<u32>() % 11;
    let check = if r <= 1 { 0 } else { 11 - r };
    check == dv(b[11])
}

/// Chinese resident identity card number (居民身份证号码), 18 characters.
///
/// Rule: 6-digit address code, 8-digit birth date YYYYMMDD (a real date),
/// 3-digit order code, and a check character computed with ISO/IEC 7064
/// MOD 11-2: Σ dᵢ·(2^(17−i) mod 11) over the first 17 digits, check value
/// (12 − sum mod 11) mod 11, written as `X` when it is 10. Source: GB
/// 11643-1999 "Citizen identification number" and ISO/IEC 7064:2003.
pub fn cn_resident_id(s: &str) -> bool {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let b = s.as_bytes();
    if b.len() != 18 || !is_digits(&b[..17]) {
        return false;
    }
    let year = num32(&b[6..10]) as i32;
    if !is_valid_date(year, num32(&b[10..12]), num32(&b[12..14])) {
        return false;
    }
    let sum: u32 = W.iter().zip(&b[..17]).map(|(w, &c)| w * dv(c)).sum();
    let check = (12 - sum % 11) % 11;
    match b[17] {
        b'X' => check == 10,
        c if c.is_ascii_digit() => check == dv(c),
        _ => false,
    }
}

// ---------------------------------------------------------------------------
// Banking
// ---------------------------------------------------------------------------

/// ISO 3166-1 alpha-2 country codes (all 249 officially assigned codes, as
/// listed in the Debian `iso-codes` 4.15 database), sorted for binary search.
const ISO_3166_ALPHA2: [&str; 249] = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// Business Identifier Code (BIC, "SWIFT code"), 8 or 11 characters.
///
/// Rule: 4-letter business party prefix (bank code), 2-letter country code
/// that is an ISO 3166-1 alpha-2 code (or XK, the code SWIFT assigns to
/// Kosovo), 2 alphanumeric location characters, and optionally a
/// 3-alphanumeric branch code, which may start with X only when it is `XXX`
/// (primary office). Source: ISO 9362:2014 "Banking — Banking
/// telecommunication messages — Business identifier code (BIC)" and the
/// SWIFT BIC format rules; ISO 3166-1:2020 for the country list.
pub fn bic(s: &str) -> bool {
    let b = s.as_bytes();
    if !(b.len() == 8 || b.len() == 11) {
        return false;
    }
    let upper_alnum = |c: &u8| c.is_ascii_uppercase() || c.is_ascii_digit();
    if !b[..6].iter().all(u8::is_ascii_uppercase) || !b[6..].iter().all(upper_alnum) {
        return false;
    }
    // Bytes 0..6 are ASCII letters, so 4 and 6 are char boundaries.
    let country = s.get(4..6).unwrap_or("");
    let country_ok = country == "XK" || ISO_3166_ALPHA2.binary_search(&country).is_ok();
    if !country_ok {
        return false;
    }
    if b.len() == 11 && b[8] == b'X' && &b[8..] != b"XXX" {
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts that `f` accepts every entry of `valid` and rejects every
    /// entry of `invalid`, naming the offending input on failure.
    fn check(name: &str, f: fn(&str) -> bool, valid: &[&str], invalid: &[&str]) {
        for v in valid {
            assert!(f(v), "{name}: expected valid: {v:?}");
        }
        for v in invalid {
            assert!(!f(v), "{name}: expected invalid: {v:?}");
        }
    }

    // -- is_valid_date ------------------------------------------------------

    #[test]
    fn date_valid() {
        // Gregorian leap-year rule (ISO 8601): 2000 and 2024 are leap years.
        assert!(is_valid_date(2000, 2, 29));
        assert!(is_valid_date(2024, 2, 29));
        assert!(is_valid_date(1999, 12, 31));
        assert!(is_valid_date(2023, 1, 31));
        assert!(is_valid_date(1600, 2, 29));
    }

    #[test]
    fn date_invalid() {
        assert!(!is_valid_date(1900, 2, 29)); // century not divisible by 400
        assert!(!is_valid_date(2023, 2, 29));
        assert!(!is_valid_date(2023, 4, 31));
        assert!(!is_valid_date(2023, 13, 1));
        assert!(!is_valid_date(2023, 0, 10));
        assert!(!is_valid_date(2023, 1, 0));
        assert!(!is_valid_date(2023, 1, 32));
        assert!(!is_valid_date(i32::MIN, u32::MAX, u32::MAX));
    }

    // -- luhn ---------------------------------------------------------------

    #[test]
    fn luhn_vectors() {
        check(
            "luhn",
            luhn,
            &[
                "79927398713",      // worked example of Wikipedia "Luhn algorithm"
                "4111111111111111", // PayPal Payflow test card
                "378282246310005",  // PayPal Payflow test card
                "7503305044089",    // python-stdnum za.idnr docstring
                "00",
            ],
            &[
                "79927398710",      // wrong check digit
                "4111111111111112", // wrong check digit
                "",
                "0", // no payload
                "12a4",
                "4111 1111 1111 1111", // separators are the caller's job
                "\u{0664}\u{0661}\u{0661}\u{0661}", // Arabic-Indic digits are not ASCII
            ],
        );
    }

    // -- card_brand ---------------------------------------------------------

    #[test]
    fn card_brand_valid() {
        // Sources: PayPal Payflow "Credit card numbers for testing"
        // (developer.paypal.com), Braintree sandbox test numbers
        // (Braintree::Test::CreditCardNumbers), Stripe test cards
        // (docs.stripe.com/testing), TabaPay sandbox test cards,
        // laravel-validation-rules/credit-card MirTest.
        let cases = [
            ("4111111111111111", "visa"),
            ("4012888888881881", "visa"),
            ("4222222222222", "visa"), // 13-digit Visa (PayPal)
            ("5555555555554444", "mastercard"),
            ("5105105105105100", "mastercard"),
            ("2223003122003222", "mastercard"), // Stripe 2-series
            ("2223000048400011", "mastercard"), // TabaPay 2-series
            ("378282246310005", "amex"),
            ("371449635398431", "amex"),
            ("378734493671000", "amex"),
            ("6011111111111117", "discover"),
            ("6011000990139424", "discover"),
            ("30569309025904", "diners"),
            ("38520000023237", "diners"),
            ("36227206271667", "diners"),   // Stripe 14-digit Diners
            ("3056930009020004", "diners"), // Stripe 16-digit Diners
            ("3530111333300000", "jcb"),
            ("3566002020360505", "jcb"),
            ("6200000000000005", "unionpay"), // Stripe UnionPay
            ("6304000000000000", "maestro"),  // Braintree Maestro
            ("2200654321000000", "mir"),      // laravel-validation-rules MirTest
            ("2200420152000000", "mir"),
        ];
        for (pan, brand) in cases {
            assert_eq!(card_brand(pan), Some(brand), "{pan}");
        }
    }

    #[test]
    fn card_brand_invalid() {
        for pan in [
            "4111111111111112", // Luhn fails
            "5555555555554445", // Luhn fails
            // Luhn-valid but wrong length for the brand (check digits
            // computed with an independent Python Luhn implementation):
            "41111111111114",   // 14-digit Visa
            "3782822463100003", // 16-digit Amex
            "555555555555558",  // 15-digit Mastercard
            // Luhn-valid but outside every brand's IIN range:
            "2721000000000004", // just above Mastercard 2-series
            "1000000000000008", // Braintree "Unknowns" test number
            "",
            "4111",
            "4111-1111-1111-1111",
            "41111111111111111111", // 20 digits
        ] {
            assert_eq!(card_brand(pan), None, "{pan}");
        }
    }

    // -- us_ssn ---------------------------------------------------------------

    #[test]
    fn us_ssn_vectors() {
        check(
            "us_ssn",
            us_ssn,
            &[
                "536904399", // python-stdnum us.ssn docstring
                "012120928", // identique/idnumbers tests/nationalid/test_USA.py
                "111223333", // python-stdnum us.ssn format() example
            ],
            &[
                "666000000", // area 666 (python-stdnum)
                "666120928", // area 666
                "000120928", // area 000
                "987120928", // area 9xx (idnumbers)
                "900120928", // area 9xx
                "536004399", // group 00
                "536900000", // serial 0000
                "078051120", // voided sample-card number (python-stdnum blacklist)
                "219099999", // voided advertising number
                "53690439",  // 8 digits
                "5369043990",
                "53690439X",
                "",
            ],
        );
    }

    // -- uk_nino --------------------------------------------------------------

    #[test]
    fn uk_nino_vectors() {
        check(
            "uk_nino",
            uk_nino,
            &[
                "HH012345D", // koblas/stdnum-js src/gb/nino.spec.ts
                "TJ012345D", // koblas/stdnum-js
                "AB123456A", // identique/idnumbers tests/nationalid/test_GBR.py
                "AA012344B", // identique/idnumbers
                "AB123456C", // GOV.UK format example
            ],
            &[
                "QQ123456C", // HMRC's own dummy example: Q is never used
                "AD123456A", // second letter D (idnumbers)
                "BO012344B", // second letter O (idnumbers)
                "GB012344B", // prefix GB (idnumbers)
                "AB111111G", // suffix not A-D (idnumbers)
                "XO012345D", // second letter O (stdnum-js)
                "TO012345D", // second letter O (stdnum-js)
                "HH012345E", // suffix E (stdnum-js)
                "HH01A345D", // letter among the digits (stdnum-js)
                "HH012345",  // suffix missing (brief requires A-D)
                "DA123456C", // first letter D
                "ZZ123456A", // prefix ZZ
                "NT123456A", // prefix NT
                "hh012345d", // lower case: the caller upper-cases
                "",
            ],
        );
    }

    // -- fr_nir ---------------------------------------------------------------

    #[test]
    fn fr_nir_vectors() {
        check(
            "fr_nir",
            fr_nir,
            &[
                "295109912611193", // python-stdnum fr.nir docstring
                "253072B07300470", // python-stdnum (Corsica 2B)
                "253072A07300443", // python-stdnum (Corsica 2A)
                "255081416802538", // identique/idnumbers tests/nationalid/test_FRA.py
                "283209921625930", // idnumbers (pseudo-month 20)
                "255082A16802597", // idnumbers
            ],
            &[
                "295109912611199",  // wrong key (python-stdnum)
                "253072C07300443",  // department 2C (python-stdnum)
                "6546546546546703", // 16 characters (python-stdnum)
                "180126955222381",  // idnumbers invalid vector (wrong key)
                "255082E16802597",  // idnumbers invalid vector
                // Keys recomputed (independent Python, 97 - n mod 97) so only
                // the named component is wrong:
                "595109912611140", // sex digit 5
                "295139912611144", // month 13
                "29510991261119",  // 14 characters
                "",
            ],
        );
    }

    // -- be_national_number -----------------------------------------------------

    #[test]
    fn be_national_number_vectors() {
        check(
            "be_national_number",
            be_national_number,
            &[
                "85073003328", // python-stdnum be.nn docstring
                "17073003384", // python-stdnum (born 2017: 2-prefixed key)
                "93051822361", // identique/idnumbers tests/nationalid/test_BEL.py
                "84122031560", // idnumbers
                "01010100126", // idnumbers (born 2001)
                "00073003318", // idnumbers (born 2000)
                "47010100190", // idnumbers (born 1947)
                "42012205181", // IT000 "Rijksregisternummer" example (via idnumbers)
                "40000095381", // IT000 example: only the year known
                "40000100133", // IT000 example: day counter ran out
                "00000100166", // python-stdnum tests: fictitious date 1900-00-01
                "00000100195", // python-stdnum tests: fictitious date 2000-00-01
                "85073500107", // python-stdnum tests: unknown day (35)
            ],
            &[
                "12345678901", // wrong key (python-stdnum)
                "85133000105", // month 13 (python-stdnum)
                "00010100129", // key matches neither century (idnumbers)
                "85073003329", // wrong key
                "00000000000",
                "8507300332", // 10 digits
                "850730033280",
                "8507300332A",
                "",
            ],
        );
    }

    // -- nl_bsn ---------------------------------------------------------------

    #[test]
    fn nl_bsn_vectors() {
        check(
            "nl_bsn",
            nl_bsn,
            &[
                "111222333", // python-stdnum bsn docstring / tests
                "123456782", // identique/idnumbers tests/nationalid/test_NLD.py
                "999996708", // RvIG test BSN (used in BSN validator test suites)
                "999996630", // RvIG test BSN
                "612890053", // Respect/Validation docs/validators/Bsn.md
                "00000024",  // Haal-Centraal BRP test person 000000024, 8-digit form
                // 8-digit form, check digit computed with an independent
                // Python 11-proef implementation:
                "12345672",
            ],
            &[
                "111252333",  // python-stdnum
                "999998620",  // fails the 11-proef (BSN validator test suite)
                "000000000",  // all zero
                "1112223334", // 10 digits (python-stdnum)
                "1234567",    // 7 digits
                "11122233A",
                "",
            ],
        );
    }

    // -- za_id ----------------------------------------------------------------

    #[test]
    fn za_id_vectors() {
        check(
            "za_id",
            za_id,
            &[
                "7503305044089", // python-stdnum za.idnr docstring
                "7611055077082", // python-stdnum tests/test_za_idnr.doctest
                "5306060050180", // python-stdnum tests (permanent resident)
                "9103225261083", // python-stdnum tests
                "7209170838080", // python-stdnum tests
                "8001015009087", // identique/idnumbers tests/nationalid/test_ZAF.py
                "7605300675088", // idnumbers
                // Citizenship digit 2 (refugee); Luhn digit computed with an
                // independent Python implementation:
                "7503305044287",
            ],
            &[
                "8503305044089", // Luhn fails (python-stdnum)
                "0099015077086", // month 99 (python-stdnum)
                "5306060050883", // citizenship digit 8 (python-stdnum)
                "7605300675089", // Luhn fails (idnumbers)
                "7503305044386", // citizenship digit 3, Luhn-valid (computed)
                "9125568",       // 7 digits (python-stdnum)
                "750330504408",
                "",
            ],
        );
    }

    // -- de_tax_id --------------------------------------------------------------

    #[test]
    fn de_tax_id_vectors() {
        check(
            "de_tax_id",
            de_tax_id,
            &[
                "36574261809", // python-stdnum de.idnr docstring
                "86095742719", // ELSTER "Prüfung der Steuer- und Steueridentifikationsnummer" table 2-1
                "47036892816", // ELSTER table 2-1
                "65929970489", // ELSTER table 2-1
                "57549285017", // ELSTER table 2-1
                "25768131411", // ELSTER table 2-1
                "26954371827", // identique/idnumbers tests/nationalid/test_DEU.py
                "11234567890", // python-stdnum tests: one digit twice
                "12993456790", // idnumbers: triple 9 not all adjacent
            ],
            &[
                "36574261890",  // wrong check digit (python-stdnum)
                "36554266806",  // two digits repeated (python-stdnum)
                "02476291358",  // ELSTER test number with leading 0
                "12345678903",  // every digit once (python-stdnum)
                "11112345678",  // one digit four times (python-stdnum)
                "11223456785",  // two digits twice (python-stdnum)
                "12345699902",  // triple 9 adjacent, check digit right (idnumbers)
                "11123456786",  // triple 1 adjacent (accepted by python-stdnum, not by ELSTER)
                "25768131412",  // wrong check digit (dahlen IdNrValidatorTest)
                "116574261809", // 12 digits (python-stdnum)
                "A6574261809",  // letter (python-stdnum)
                "",
            ],
        );
    }

    // -- es_dni / es_nie --------------------------------------------------------

    #[test]
    fn es_dni_vectors() {
        check(
            "es_dni",
            es_dni,
            &[
                "54362315K", // python-stdnum es.dni docstring
                "11111111H", // python-stdnum tests/test_es_dni.doctest
                "12345678Z", // identique/idnumbers tests/nationalid/test_ESP.py
                "10469226V", // idnumbers
                "00000000T", // idnumbers (all-zero payload, residue 0)
            ],
            &[
                "54362315Z", // wrong letter (python-stdnum)
                "11111111T", // wrong letter (python-stdnum)
                "54362315",  // letter missing (python-stdnum)
                "X1111111G", // a NIE, not a DNI (python-stdnum)
                "12345678A", // wrong letter (idnumbers)
                "1234567Z",  // 7 digits
                "12345678z", // lower case: the caller upper-cases
                "",
            ],
        );
    }

    #[test]
    fn es_nie_vectors() {
        check(
            "es_nie",
            es_nie,
            &[
                "X2482300W", // python-stdnum es.nie docstring
                "X1111111G", // python-stdnum tests/test_es_nie.doctest
                // NIE-shaped inputs from identique/idnumbers test_ESP.py;
                // letters re-checked by hand (0/1/2 prefix, mod 23):
                "X1234567L",
                "Y1234567X",
                "Z1234567R",
            ],
            &[
                "X2482300A", // wrong letter (python-stdnum)
                "X1111111A", // wrong letter (python-stdnum)
                "X2482300",  // letter missing (python-stdnum)
                "11111111H", // a DNI (python-stdnum)
                "L1111111G", // NIF of another kind (python-stdnum)
                "W1234567X", // W is not a NIE prefix
                "Y1234567Z", // wrong letter
                "",
            ],
        );
    }

    // -- it_codice_fiscale ------------------------------------------------------

    #[test]
    fn it_codice_fiscale_vectors() {
        check(
            "it_codice_fiscale",
            it_codice_fiscale,
            &[
                // python-stdnum tests/test_it_codicefiscale.doctest
                "MRTNTN23M02D969P",
                "RCCMNL83S18D969H",
                "MRSMSR81D60Z611H",
                "CNTCHR83T41D969D",
                "FOXDRA26C24H872Y",
                "MAILCU91A25F839D",
                "RSSMRA45C12F205C",
                "RSSMRA45C12F20RX", // omocodia
                "RSSMRA45C12F2L5N", // omocodia
                "RSSMRA45C12F2LRI", // omocodia
                "RSSMRAQRCMNFNLRG", // omocodia in every digit position
                // identique/idnumbers tests/nationalid/test_ITA.py
                "MRTMTT91D08F205J",
                "MLLSNT82P65Z404U",
                "RSSMRA85M01H501Q",
                "RSSMRA85MLMH501T",
            ],
            &[
                "CSTNGL22I10D086I", // I is not a month letter (python-stdnum)
                "FOXDRA26C24H872A", // wrong check letter (python-stdnum)
                "CNTCHR83T32D969H", // day 32 (python-stdnum)
                "RCCMNL83S18D969",  // 15 characters (python-stdnum)
                "MLLSNT82X65Z404U", // X is not a month letter (idnumbers)
                "RSSMRAA5M01H501Y", // A is not an omocodia letter (idnumbers)
                "RSSMRA85MLLH501F", // day 00 written as LL (idnumbers)
                "RSSMRA8LM01H501A", // wrong check letter (idnumbers)
                "00743110157",      // company number (11 digits): not a person's code
                "",
            ],
        );
    }

    // -- pt_nif -----------------------------------------------------------------

    #[test]
    fn pt_nif_vectors() {
        check(
            "pt_nif",
            pt_nif,
            &[
                "501964843", // python-stdnum pt.nif docstring
                "100000002", // identique/idnumbers tests/nationalid/test_PRT.py
                "900000007", // idnumbers
                "118666070", // idnumbers
            ],
            &[
                "501964842", // wrong check digit (python-stdnum)
                "950000002", // prefix 95 (idnumbers)
                // Check digit right (computed with independent Python), prefix not allocated:
                "400000008", // prefix 40
                "800000005", // prefix 8 (discontinued)
                "000000000",
                "12345678", // 8 digits (stdnum-js)
                "",
            ],
        );
    }

    // -- pl_pesel ---------------------------------------------------------------

    #[test]
    fn pl_pesel_vectors() {
        check(
            "pl_pesel",
            pl_pesel,
            &[
                "44051401359", // python-stdnum pl.pesel docstring
                "02211307589", // python-stdnum docstring (born 2002: month + 20)
                "43031299214", // dplocki/pesel-generator src/pesel.test.js
                "10310155402", // dplocki/pesel-generator (born 2010)
                "97092537961", // TestowanieAutomatyczneUG test_validatePesel.py
                "44051401458", // budziun test_pesel_validator.py
            ],
            &[
                "44051401358", // wrong check digit (python-stdnum)
                "02381307589", // encoded month 38 = month 18 of the 2000s (python-stdnum)
                "97142537969", // month 14 (TestowanieAutomatyczneUG)
                "44051401354", // wrong check digit (elixir_polish_validators)
                "1234567890",  // 10 digits
                "4405140135A",
                "",
            ],
        );
    }

    // -- tr_tckn ----------------------------------------------------------------

    #[test]
    fn tr_tckn_vectors() {
        check(
            "tr_tckn",
            tr_tckn,
            &[
                "17291716060", // python-stdnum tr.tckimlik docstring
                // python-stdnum tests/test_tr_tckimlik.doctest ("found online")
                "10010405214",
                "10036951702",
                "69844021374",
                "71467095762",
            ],
            &[
                "17291716050", // wrong check digits (python-stdnum)
                "1729171606",  // 10 digits (python-stdnum)
                "07291716092", // leading 0 (python-stdnum)
                "17291716061", // wrong 11th digit
                "17291716070", // wrong 10th digit
                "",
            ],
        );
    }

    // -- ru_inn -----------------------------------------------------------------

    #[test]
    fn ru_inn_vectors() {
        check(
            "ru_inn",
            ru_inn,
            &[
                "123456789047", // python-stdnum ru.inn docstring (person)
                "1234567894",   // python-stdnum docstring (organisation)
                "005826107187", // python-stdnum tests/test_ru_inn.doctest
                "0108003670",   // python-stdnum tests
                "7709442668",   // python-stdnum tests
                "7727705694",   // python-stdnum tests
                "366220664163", // koblas/stdnum-js src/ru/inn.spec.ts
            ],
            &[
                "123456789037", // wrong 11th digit (python-stdnum)
                "1234567895",   // wrong check digit (python-stdnum)
                "123456789048", // wrong 12th digit
                "7709442669",
                "12345678904", // 11 digits
                "",
            ],
        );
    }

    // -- ru_snils ---------------------------------------------------------------

    #[test]
    fn ru_snils_vectors() {
        check(
            "ru_snils",
            ru_snils,
            &[
                "11223344595", // python-stdnum ru.snils docstring
                "01024236877", // python-stdnum docstring
                "14848125585", // python-stdnum tests/test_ru_snils.doctest
                "34293244776", // validateSnils jest suite ("Проверка СНИЛС")
                "00100199800", // vasiunov/SNILS_CheckAndCount: <= 001-001-998, not checked
            ],
            &[
                "01024236800", // wrong check number (python-stdnum)
                "14848125500", // wrong check number (python-stdnum)
                "11223344596", // wrong check number
                "00100199900", // 001-001-999 is checked and fails (vasiunov)
                "00000000000",
                "1484812558", // 10 digits
                "",
            ],
        );
    }

    // -- sa_national_id ---------------------------------------------------------

    #[test]
    fn sa_national_id_vectors() {
        check(
            "sa_national_id",
            sa_national_id,
            &[
                "1000000008", // malzaid0/saudi-id-validator README
                // Check digits computed with an independent Python port of
                // alhazmy13/Saudi-ID-Validator validateSAID.py:
                "1012345672",
                "2123456788",
                "2000000006",
            ],
            &[
                "1000000000", // saudi-id-validator README
                "100000000",  // 9 digits (saudi-id-validator README)
                "3000000004", // Luhn-valid but leading 3 (computed)
                "1234567890",
                "10000000080",
                "",
            ],
        );
    }

    // -- ae_emirates_id ---------------------------------------------------------

    #[test]
    fn ae_emirates_id_vectors() {
        check(
            "ae_emirates_id",
            ae_emirates_id,
            &[
                // identique/idnumbers tests/nationalid/test_ARE.py
                "784198012345678",
                "784197912345671",
                "784195204640486",
                "784196865703050",
            ],
            &[
                "784198112345679", // idnumbers
                "784198212345679", // idnumbers
                "78419923456",     // idnumbers ("784-199234567-1" stripped): too short
                "78420021234",     // idnumbers ("784-2002-12345")
                "785198012345677", // Luhn-valid, prefix 785 (computed)
                "",
            ],
        );
    }

    // -- jp_my_number -----------------------------------------------------------

    #[test]
    fn jp_my_number_vectors() {
        check(
            "jp_my_number",
            jp_my_number,
            &[
                "621498320257", // python-stdnum jp.in_ docstring
                "765895492872", // identique/idnumbers tests/nationalid/test_JPN.py
                "123456789018", // JPMyNumber README
            ],
            &[
                "621498320258",  // wrong check digit (python-stdnum)
                "62149832025X",  // letter (python-stdnum)
                "123456789012",  // wrong check digit (idnumbers)
                "1234567890123", // 13 digits (idnumbers)
                "123456789019",  // wrong check digit (JPMyNumber README)
                "",
            ],
        );
    }

    // -- cn_resident_id ---------------------------------------------------------

    #[test]
    fn cn_resident_id_vectors() {
        check(
            "cn_resident_id",
            cn_resident_id,
            &[
                "360426199101010071", // python-stdnum cn.ric docstring / tests
                "44011320141005001X", // python-stdnum tests
                "412723199010050012", // python-stdnum tests
                "11010219840406970X", // identique/idnumbers tests/nationalid/test_CHN.py
                "440524188001010014", // idnumbers
                "11010519491231002X", // idnumbers
                "372925199510103222", // idnumbers
            ],
            &[
                "36042619910102009X", // wrong check character (python-stdnum)
                "360426199113010079", // month 13 (python-stdnum)
                "T60426199101010078", // letter (python-stdnum)
                "11010219840506970X", // wrong check character (idnumbers)
                "11010219840230004X", // 30 February, check right (idnumbers)
                "11010219000229000X", // 29 February 1900 (idnumbers)
                "44011320141005001x", // lower-case x: the caller upper-cases
                "3604261991010100",   // 16 characters
                "",
            ],
        );
    }

    // -- bic --------------------------------------------------------------------

    /// BICs "found online", from python-stdnum tests/test_bic.doctest.
    const STDNUM_BICS: &[&str] = &[
        "ABNCNL2AGIR",
        "ABNNSVS2",
        "ABOCCNBJ270",
        "ABOCKRSE",
        "ACGDGDGD",
        "ADECCH2G",
        "AFDBCIABNPD",
        "AFGMMGMG",
        "AFROGB2L",
        "AGBMDEMM",
        "AGRIGPGX",
        "AGTBIDJA",
        "AGUBDZAL",
        "AHCDDOS2",
        "AIEPSGSGIWC",
        "AIRRHKHH",
        "AIYLKG22",
        "ALCVLBBE",
        "ALFXAEAD",
        "ALLFLULLAFI",
        "ANCEAOLU",
        "ANDLTRISTUZ",
        "ANIKAM22",
        "ANZBSBSB",
        "ANZBTONN",
        "APDEVAVA",
        "ARABBHBM",
        "ARABJOAX",
        "ARABPS22600",
        "ARCGITMA",
        "ARECAM22",
        "AREXGHAC",
        "ARUBAWAX",
        "ARUNTJ22",
        "ARVDTJ22",
        "ASBBNZ2A",
        "ASCMPKKA002",
        "ASPMMYKL",
        "ATBJBJBJ",
        "ATGWGWGW",
        "ATTGTGTG",
        "AUDBLBBX",
        "AUIVAU2S",
        "AVALUAUK",
        "AWXLLT22",
        "AXCWKWKW",
        "AXISINBB389",
        "AXSBBMHM",
        "AZAMZMLU",
        "AZRTAZ22",
        "BAIPCVCV",
        "BANOGLG2",
        "BAPRNIMA",
        "BARBFJFJ",
        "BARBKENAKIS",
        "BARBSCSC",
        "BARCSCSC",
        "BAVDCVCP",
        "BBDEBRSPBGS",
        "BBICCWCW",
        "BBONKYKY",
        "BBVATWTP",
        "BCAOMLBASIK",
        "BCAOSNDP",
        "BCBATCGP",
        "BCBHDOSD",
        "BCBTBZBZ",
        "BCEXCOBB",
        "BCKICKCR",
        "BCOMMOMX",
        "BCOMPTPL",
        "BCPLBOLXSCZ",
        "BCPOMAMCBRK",
        "BCTLTLDA",
        "BCYPCY2N",
        "BDACEGCA084",
        "BDGEGNGN",
        "BDINIDJATPC",
        "BEACGQGQ",
        "BFCORERX",
        "BFCOYTYT",
        "BFMXAOLU",
        "BGFICMCX",
        "BGFIGALI",
        "BHELSHJJ",
        "BIBDBNBB",
        "BICCKMKM",
        "BICVNENI",
        "BIMOMZMXFIN",
        "BJAZSAJE002",
        "BKAUATWWWOL",
        "BKCHCNBJ260",
        "BKCHJPJTOTM",
        "BKIDJPJTOSK",
        "BKIGRWRW",
        "BKIRKIKI",
        "BKKBHKHHMTG",
        "BKKBKHPP",
        "BKMOMSMS",
        "BKNNSMSM",
        "BLFLLI2X225",
        "BMCEMAMCCOR",
        "BMILHNTE",
        "BMOCMZMP",
        "BNDCCAMMVAL",
        "BNEVKNNE",
        "BNGRGRAACON",
        "BNPAFRPPAUX",
        "BNPAMQMX",
        "BNPANCNXKOU",
        "BNPARERXPOR",
        "BNPASARI",
        "BNRWRWRW",
        "BOFAIE3XFUT",
        "BOMDMH22",
        "BOSPCKCR",
        "BPKOROBU",
        "BPNGPGPM",
        "BPOLPFTP",
        "BPUNPKKACRU",
        "BRASPYPX",
        "BREDFJFJ",
        "BREDVUVU",
        "BRHAHTPP",
        "BRMXNENI",
        "BSANADAD",
        "BSAPPEPL",
        "BSLJSI2XATM",
        "BSLULCLC",
        "BSUPARBATIT",
        "BTRLRO22BNA",
        "BTVAAT22KIB",
        "BUNONIMA",
        "CABARS22",
        "CAGLESMMVIG",
        "CBAOBFBG",
        "CBBSBA2A",
        "CBCUUYMMGPA",
        "CBCYCY2NPMT",
        "CBGIGYGG",
        "CBININBI",
        "CBKNNANAPCH",
        "CBKUKWKWBOD",
        "CBLELSMX",
        "CBOMOMRU",
        "CBSISBSB",
        "CCEICMCXDLA",
        "CCIOCRSJBBI",
        "CDCGWF2M",
        "CDERCLRG",
        "CDISALTR",
        "CDSOGTG2",
        "CEPANCNM",
        "CESUUAU2",
        "CGDITLDI",
        "CHASARBA",
        "CHASPHMMOBU",
        "CHASTHBX",
        "CHGLVGVG",
        "CIBEEGCX166",
        "CITCCWCU",
        "CITGUS44EHP",
        "CITINGLA",
        "CLMDMGMG",
        "CMBAAWAX",
        "CMWBDMDM",
        "CNBTIMDD",
        "CNVXBMHM",
        "COEBLALA",
        "COFDPEPL",
        "CORIMLBA",
        "CPITMNUB",
        "CRDAADAD",
        "CRESCHZZ12Q",
        "CRTUGE22086",
        "CSDLLT22",
        "CTCBTWTP012",
        "DABAFIHHHAM",
        "DABAIE2D917",
        "DBLNBJBJ",
        "DEUTESBBAP2",
        "DFLTTTPS",
        "DIETMCMC",
        "DIKIBTBBORO",
        "DKNBDKKKPLL",
        "DOHBQAQAWBB",
        "DVKAKZKA",
        "EBAPFRPS",
        "ECAAKYK2",
        "ECOCGQGQ",
        "ECOCSTST",
        "ECOCTGTA",
        "EIKBFOTFKON",
        "EMSYMTMT",
        "ESTPSTST",
        "ESYIPRSJ",
        "ETHNGRAATIP",
        "EUBOBSNS",
        "EXSKSKBX",
        "EXTNKMKM",
        "FARPSZMA",
        "FCIBBBB2",
        "FCIBTTP2",
        "FCOHPAPA",
        "FDSFLI22LV1",
        "FIFBFOTX",
        "FIRNBWGXCUS",
        "FIRNLSMX",
        "FIVFPGPM",
        "FLMSNANX",
        "FLORNL2ACCB",
        "FMBKDEMM258",
        "FMBZZMLX",
        "FPVCCOBB",
        "FTMDMD2X",
        "GBHAMQMM",
        "GDAAETAA",
        "GIBAHUHB",
        "GMBKGUGU",
        "GODOSRPA",
        "GOLDBRSP",
        "GRENGLGXKON",
        "GTBGGMGM",
        "GUTIGYGE",
        "GVVGVCVC",
        "HABAEE2XTIP",
        "HAMBGIGI",
        "HANDPLPW",
        "HATHKHPP",
        "HBBAMEPG",
        "HDELSI22",
        "ICBKKZKX",
        "ICBKNZ2A",
        "ICDJDJJD",
        "ICGSGTGC",
        "IFIPPHM2",
        "IHSAMUMU",
        "INCEGHAC",
        "INUIHR22CUS",
        "IOPRVAVX",
        "ISGUGNGN",
        "ISRAILIR",
        "JNBSJMKN",
        "JSCLUZ22",
        "KBNONO22",
        "KCBLTZTZ",
        "KICPDMD2",
        "KNANKNSK",
        "KOMASK2XSNV",
        "KOMBCZPP",
        "KREZHR2XCUS",
        "KTAYCRSJ",
        "KYRGKG22",
        "LAPBLV2X",
        "LBDELRLM",
        "LDBBLALA",
        "LHFMJESH",
        "LIVEDKKK",
        "LMLDZWHA",
        "LNLNNOB2D01",
        "LUMIILIT",
        "LUOBLCLC",
        "MAOISMSM003",
        "MBICMRMR0MN",
        "MBLBBDDH003",
        "MBLNNPKA",
        "MCBKBQBN",
        "MCBLMVMV",
        "MDFCGWGW",
        "MEBBBA22",
        "MENOMXMT",
        "MMAUMVMV",
        "NABTTVTV",
        "NABZAZ2X",
        "NACNBOLP",
        "NACNPYPA0PE",
        "NAPAPAPA",
        "NATXDZAL",
        "NBADBHBMTFO",
        "NBELBZBB",
        "NBFUAEAFSHJ",
        "NBKEKENX757",
        "NBMAMWMW005",
        "NBRMMK2A",
        "NBSLWSWS",
        "NCBGGDGD001",
        "NCBVVC22",
        "NESWSZMX",
        "NIBIETAA",
        "NLPRXKPR",
        "NOITAGAG",
        "NOSCCATMSEC",
        "NOSCTCGP",
        "NREIGGSP",
        "NSBINPKA",
        "OKOYLV2X",
        "ORBASXSM",
        "ORBKGALI",
        "ORINUGKA",
        "OTPPHUH2",
        "PACIECEG100",
        "PAERCZPPGEN",
        "PASCITMMCAN",
        "PAVTPW22",
        "PBPRHNT2",
        "PCBCVNVX",
        "PCCACLRZ",
        "PHBXLRLM",
        "PICHECEQ522",
        "PICTBSNX",
        "PLLPMUMU",
        "PMAPPS22ACH",
        "PRBAUYMM",
        "PRCBRSBG",
        "PRCBSVSS",
        "PRDTNGLA",
        "PSATPLPW",
        "PSBKLKLX023",
        "PUBABDDH205",
        "PYMXMTMTMAL",
        "QNBAMRMU",
        "RBMAMWMWMRA",
        "RBNKAIAI",
        "RBNKSXSMANT",
        "RBNKVGVGVGA",
        "RBTTBQBN",
        "REBZZWHQ",
        "REVOPTP2",
        "RFLCJESX",
        "RIKOEE22",
        "RIKSSESSBER",
        "RMABBTBT",
        "RNCBMD2X",
        "ROKLIMDI1UW",
        "ROYCBBBB",
        "ROYCGGSPOFM",
        "ROYCSGS2",
        "RYSGTM2A",
        "RZOOAT2L226",
        "SAMBQAQA",
        "SBICCIAB",
        "SBINOMRX",
        "SBMMMCMC",
        "SBZAZAJJAFR",
        "SCBLFKFK",
        "SCBLMOMX",
        "SCBLTHBX",
        "SCBLTZTXSSU",
        "SCHBBWGX013",
        "SCOBWSWS",
        "SEDCJOAX",
        "SENFLKLX",
        "SGBBBFBF",
        "SIMXMXMM",
        "SKFISEGA",
        "SLCBSLFR",
        "SOCBPFTX",
        "SOGEBJBJ",
        "SOGHHTPP",
        "SPYEISR2",
        "SRIBDJJD",
        "SSDSKRSE",
        "STBBMK22",
        "STBKTNTT925",
        "STBMMNUB",
        "STGNPRSJ",
        "SWHTBEBB",
        "TACBAU2S",
        "TBLTGMGM",
        "TEBKXKPR030",
        "TEBUTRIS664",
        "TEECMH22",
        "TNBKTM2X",
        "TNETZAJJ",
        "TNOVGIGI",
        "TODETONU",
        "TOLMAGAG",
        "TOPFUGKA",
        "UBBIMY22",
        "UBCITNTTCHG",
        "UBKLGB2LBAK",
        "UGEBGE22622",
        "UNAFSNDA",
        "UNALALTR",
        "UNCRBGSF426",
        "UOVBBNBBCMS",
        "UPMKFIHH",
        "USBKLU2L",
        "UTBSSLFR",
        "UTWBBEBBTGT",
        "UZUMUZ22",
        "VATOISRE",
        "VBAAVNVX640",
        "VCBSSRPA",
        "VMBSJMKN",
        "VPAYBGS2",
        "WANFVUVV",
        "WEWOUS33",
        "ZBCGMEPG",
        "ZRCPCAT2",
    ];

    #[test]
    fn bic_valid() {
        // python-stdnum bic docstring
        check(
            "bic",
            bic,
            &["AGRIFRPP882", "ABNABE2A", "AGRIFRPP", "AGRIFRPPXXX"],
            &[],
        );
        check("bic", bic, STDNUM_BICS, &[]);
    }

    #[test]
    fn bic_invalid() {
        check(
            "bic",
            bic,
            &[],
            &[
                "AGRIFRPP8",     // 9 characters (python-stdnum)
                "AGRIF2PP",      // digit in the country code (python-stdnum)
                "MULTIPLE",      // IP is not a country (python-stdnum tests)
                "AGRIXXPP",      // XX is not a country
                "AGRIUKPP",      // UK is not ISO 3166 (GB is)
                "AGRIFRPPX12",   // branch starting with X other than XXX
                "1GRIFRPP",      // digit in the bank code
                "AGRIFRP",       // 7 characters
                "AGRIFRPP88",    // 10 characters
                "agrifrpp",      // lower case: the caller upper-cases
                "AGRIFRP\u{e9}", // non-ASCII
                "",
            ],
        );
    }

    // -- robustness ---------------------------------------------------------------

    /// Every validator, to feed them arbitrary input.
    const ALL: &[fn(&str) -> bool] = &[
        luhn,
        us_ssn,
        uk_nino,
        fr_nir,
        be_national_number,
        nl_bsn,
        za_id,
        de_tax_id,
        es_dni,
        es_nie,
        it_codice_fiscale,
        pt_nif,
        pl_pesel,
        tr_tckn,
        ru_inn,
        ru_snils,
        sa_national_id,
        ae_emirates_id,
        jp_my_number,
        cn_resident_id,
        bic,
    ];

    #[test]
    fn odd_inputs_never_panic_and_are_rejected() {
        let odd = [
            "",
            " ",
            "\u{0}",
            "é",
            "ÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉ",
            "\u{1F600}\u{1F600}\u{1F600}\u{1F600}",
            "１２３４５６７８９０１", // full-width digits
            "٠١٢٣٤٥٦٧٨٩٠",            // Arabic-Indic digits
            "ABCD\u{e9}RPP",          // multi-byte char across the BIC country field
            "AGRI\u{e9}PP",
            "----------------",
        ];
        for s in odd {
            for f in ALL {
                assert!(!f(s), "{s:?}");
            }
            assert_eq!(card_brand(s), None);
        }
        // A very long digit string: only the generic Luhn check has no length
        // limit (10 000 nines happen to pass it); every identifier rejects it.
        let long = "9".repeat(10_000);
        assert!(luhn(&long));
        for f in &ALL[1..] {
            assert!(!f(&long));
        }
        assert_eq!(card_brand(&long), None);
    }

    #[test]
    fn fuzz_never_panics() {
        // Deterministic pseudo-random strings (64-bit LCG, Knuth MMIX
        // constants) over an alphabet mixing digits, letters, separators and
        // multi-byte characters, at every length from 0 to 24 characters.
        const ALPHABET: [char; 24] = [
            '0', '1', '2', '7', '8', '9', 'A', 'B', 'X', 'Z', 'L', 'M', 'D', 'Q', 'a', 'x', '-',
            ' ', '.', 'é', 'ß', '\u{0}', '٣', '😀',
        ];
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        for _ in 0..20_000 {
            let len = next() % 25;
            let s: String = (0..len)
                .map(|_| ALPHABET[next() % ALPHABET.len()])
                .collect();
            for f in ALL {
                let _ = f(&s);
            }
            let _ = card_brand(&s);
            let _ = is_valid_date(next() as i32, next() as u32, next() as u32);
        }
    }

    #[test]
    fn truncations_of_valid_numbers_never_panic() {
        // Every prefix of a valid vector must be handled (and not panic).
        let samples = [
            "4111111111111111",
            "HH012345D",
            "253072B07300470",
            "85073003328",
            "111222333",
            "7503305044089",
            "36574261809",
            "54362315K",
            "X2482300W",
            "RSSMRAQRCMNFNLRG",
            "501964843",
            "44051401359",
            "17291716060",
            "123456789047",
            "11223344595",
            "1000000008",
            "784198012345678",
            "621498320257",
            "44011320141005001X",
            "AGRIFRPP882",
        ];
        for sample in samples {
            for end in 0..sample.len() {
                let prefix = &sample[..end];
                for f in ALL {
                    let _ = f(prefix);
                }
                let _ = card_brand(prefix);
            }
        }
    }
}
