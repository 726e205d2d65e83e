"""The documents' example answers, and what it takes for an answer to have their shape:
the same keys, the same JSON types, the same number forms, all the way down."""

import json
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "seeds" / "examples"


def examples(venue):
    return json.loads((EXAMPLES / f"{venue}.json").read_text())


def form(value):
    """A JSON value's type, and for a string its form: a decimal figure is not a word."""
    if value is None or isinstance(value, bool):
        return type(value).__name__
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return "string"
        return "decimal string"
    return "array" if isinstance(value, list) else "object"


def differences(example, answer, path="$"):
    """Where `answer` differs in shape from `example`: keys it lacks, values of another
    type or form; an array is compared by its first element."""
    if form(example) != form(answer):
        return [f"{path}: {form(answer)} where the document has {form(example)}"]
    if isinstance(example, dict):
        found = []
        for key, value in example.items():
            if key not in answer:
                found.append(f"{path}.{key}: missing")
            else:
                found += differences(value, answer[key], f"{path}.{key}")
        return found
    if isinstance(example, list) and example:
        if not answer:
            return [f"{path}: empty where the document has an element"]
        return differences(example[0], answer[0], f"{path}[0]")
    return []
