"""Builds data/calls.jsonl from ../shared/data/hvb/calls.jsonl (Harper Valley Bank, Apache-2.0).

Keeps the id, the transcript as `text`, a few metadata fields, the gold task type, and adds
hand-made QA labels. The hand labels were made by reading every call's opening agent turns:

- greeting: the agent identifies the bank as Harper Valley within their first 3 turns.
  "no" for 01f7ec (the agent never names the bank) and 00d676 ("happy valley national
  bank"). "harper value national bank" (03a17c) counts as yes: one letter off, clearly meant.
- asks_how_to_help: the agent asks how they can help within their first 4 turns, any wording.
  "no" only for 01f7ec, which opens "hello / okay one second please" and goes straight to hours.
- about_card: derived from the gold task type (replace card).
- opening_compliant: greeting and asks_how_to_help both yes.

Run: python3 scripts/prepare_data.py [path/to/hvb/calls.jsonl]
"""

import json
import sys
from pathlib import Path

here = Path(__file__).resolve().parent.parent
source = Path(sys.argv[1]) if len(sys.argv) > 1 else here.parents[1] / ".." / "shared" / "data" / "hvb" / "calls.jsonl"

NO_GREETING = {"01f7ec", "00d676"}
NO_HELP_QUESTION = {"01f7ec"}

rows = [json.loads(line) for line in source.read_text().splitlines() if line.strip()]
with (here / "data" / "calls.jsonl").open("w") as out:
    for row in rows:
        short = row["id"][:6]
        greeting = "no" if short in NO_GREETING else "yes"
        helps = "no" if short in NO_HELP_QUESTION else "yes"
        out.write(json.dumps({
            "id": row["id"],
            "text": row["transcript"],
            "task_type": row["task_type"],
            "duration_s": row["duration_s"],
            "agent_name": row["agent_name"],
            "greeting": greeting,
            "asks_how_to_help": helps,
            "about_card": "yes" if row["task_type"] == "replace card" else "no",
            "opening_compliant": "yes" if greeting == "yes" and helps == "yes" else "no",
        }) + "\n")
print(f"wrote {len(rows)} calls")
