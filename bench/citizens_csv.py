#!/usr/bin/env python3
"""Writes N citizens in the import format (docs/citizen-import.md) to standard output, for timing import-citizens.

Every CNP is valid and distinct (birth dates 1940-1999, counties 01-40); two in three rows have a phone, one in two an
e-mail; names carry diacritics. Usage: python3 bench/citizens_csv.py 50000 > /tmp/citizens-50000.csv
"""
import random
import sys

WEIGHTS = "279146358279"


def with_check_digit(first12: str) -> str:
    rest = sum(int(a) * int(b) for a, b in zip(first12, WEIGHTS)) % 11
    return first12 + str(1 if rest == 10 else rest)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 50000
    if count > 60 * 12 * 28 * 40:
        sys.exit("at most 806,400 distinct CNPs with this scheme")
    random.seed(7)
    first = ["Ana", "Ioana", "Maria", "Elena", "Andrei", "Ion", "Gheorghe", "Ștefan", "Éva", "Zoltán", "Mihai", "Radu"]
    last = ["Popescu", "Ionescu", "Mureșan", "Kovács", "Dobre", "Toma", "Stan", "Pop", "Szabó", "Marin"]
    out = sys.stdout
    out.write("cnp,first_name,last_name,address,phone,email,preferred_language\n")
    for i in range(count):
        year, month, day = 1940 + i % 60, 1 + (i // 60) % 12, 1 + (i // 720) % 28
        serial, county = 1 + i // 20160, 1 + i % 40
        cnp = with_check_digit(f"{1 + i % 2}{year % 100:02d}{month:02d}{day:02d}{county:02d}{serial:03d}")
        phone = f"07{22 + i % 50}{i:06d}"[:10] if i % 3 else ""
        email = f"c{i}@example.ro" if i % 2 else ""
        language = ["ro", "hu", "en"][i % 3]
        out.write(f'{cnp},{random.choice(first)},{random.choice(last)},"Str. Unirii {i % 200 + 1}, Alba Iulia",{phone},{email},{language}\n')


if __name__ == "__main__":
    main()
