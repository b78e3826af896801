"""Writes data/optimize.csv for the keyless `plexus optimize` demo (optimize.yaml): the first 15 ham
and the first 15 spam messages of the test set (ids that are multiples of 5) of the SMS Spam
Collection (../../shared/data/sms-spam/sms.csv), in id order, texts unchanged."""
import csv
import sys
from pathlib import Path

source = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[4] / "shared/data/sms-spam/sms.csv")
rows = [row for row in csv.DictReader(source.open(newline="", encoding="utf-8")) if int(row["id"].split("-")[1]) % 5 == 0]
chosen = [row for label in ("ham", "spam") for row in [row for row in rows if row["label"] == label][:15]]
chosen.sort(key=lambda row: row["id"])
with (Path(__file__).parents[1] / "data" / "optimize.csv").open("w", newline="", encoding="utf-8") as handle:
    writer = csv.DictWriter(handle, fieldnames=["id", "text", "label"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(chosen)
