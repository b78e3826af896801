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

Also splits the calls in two halves with the same task types (within each task type, calls in id
order alternate): data/train.jsonl trains the intent models, data/test.jsonl is what the
scorecard evaluates, so the models are measured on calls they never saw.

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
calls = []
for row in rows:
    short = row["id"][:6]
    greeting = "no" if short in NO_GREETING else "yes"
    helps = "no" if short in NO_HELP_QUESTION else "yes"
    calls.append({
        "id": row["id"],
        "text": row["transcript"],
        "task_type": row["task_type"],
        "duration_s": row["duration_s"],
        "agent_name": row["agent_name"],
        "greeting": greeting,
        "asks_how_to_help": helps,
        "about_card": "yes" if row["task_type"] == "replace card" else "no",
        "opening_compliant": "yes" if greeting == "yes" and helps == "yes" else "no",
    })

seen: dict[str, int] = {}
halves = {"train": [], "test": []}
for call in sorted(calls, key=lambda call: call["id"]):
    count = seen.get(call["task_type"], 0)
    seen[call["task_type"]] = count + 1
    halves["train" if count % 2 == 0 else "test"].append(call)
for name, part in [("calls", calls), *halves.items()]:
    with (here / "data" / f"{name}.jsonl").open("w") as out:
        out.writelines(json.dumps(call) + "\n" for call in part)
print(f"wrote {len(calls)} calls: {len(halves['train'])} to train on, {len(halves['test'])} to test")
