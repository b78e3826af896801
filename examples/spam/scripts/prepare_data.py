"""Splits the SMS Spam Collection (../../shared/data/sms-spam/sms.csv) into data/train.csv and
data/test.csv: messages whose number is a multiple of 5 (sms-0005, sms-0010, ...) are the test set."""
import csv
import sys
from pathlib import Path

source = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[4] / "shared/data/sms-spam/sms.csv")
rows = list(csv.DictReader(source.open(newline="", encoding="utf-8")))
data = Path(__file__).parents[1] / "data"
for name, keep in (("train", lambda number: number % 5 != 0), ("test", lambda number: number % 5 == 0)):
    with (data / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "text", "label"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(row for row in rows if keep(int(row["id"].split("-")[1])))
