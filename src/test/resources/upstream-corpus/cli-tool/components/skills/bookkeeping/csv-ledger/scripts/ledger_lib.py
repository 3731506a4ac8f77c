from decimal import Decimal


def key(row):
    return row["date"], Decimal(row["amount"])
