"""Reads expositions with Python's prometheus_client parsers (the peer under test).

stdin: a JSON list of {"format": "prometheus" | "openmetrics", "text": str}.
stdout: a JSON list with, per input, {"families": [...]} or {"error": str}; floats are written
as Go-style strings (prometheus_client.utils.floatToGoString) so NaN and infinities survive.
"""
import json
import sys

from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_openmetrics
from prometheus_client.parser import text_string_to_metric_families as parse_text
from prometheus_client.utils import floatToGoString


def timestamp_ms(ts):
    if ts is None:
        return None
    if hasattr(ts, "nsec"):
        return ts.sec * 1000 + round(ts.nsec / 1e6)
    return round(float(ts) * 1000)


def sample_json(s):
    out = {
        "name": s.name,
        "labels": s.labels,
        "value": floatToGoString(s.value),
        "timestampMs": timestamp_ms(s.timestamp),
    }
    if s.exemplar is not None:
        out["exemplar"] = {
            "labels": s.exemplar.labels,
            "value": floatToGoString(s.exemplar.value),
            "timestampMs": timestamp_ms(s.exemplar.timestamp),
        }
    return out


def read(case):
    parse = parse_openmetrics if case["format"] == "openmetrics" else parse_text
    try:
        families = [
            {
                "name": m.name,
                "type": m.type,
                "help": m.documentation,
                "unit": m.unit,
                "samples": [sample_json(s) for s in m.samples],
            }
            for m in parse(case["text"])
        ]
        return {"families": families}
    except Exception as e:  # the peer's verdict, reported to the test
        return {"error": "%s: %s" % (type(e).__name__, e)}


print(json.dumps([read(c) for c in json.load(sys.stdin)]))
