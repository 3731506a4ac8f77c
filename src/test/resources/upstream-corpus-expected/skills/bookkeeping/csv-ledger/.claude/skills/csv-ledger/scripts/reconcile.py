#!/usr/bin/env python3
"""Lists bank lines that have no ledger entry with the same date and amount."""
import csv
import sys

from ledger_lib import key


def main(bank_path, ledger_path):
    with open(ledger_path, newline="") as f:
        booked = {key(row) for row in csv.DictReader(f)}
    with open(bank_path, newline="") as f:
        for row in csv.DictReader(f):
            if key(row) not in booked:
                print(f"missing: {row['date']} {row['amount']} {row['memo']}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
