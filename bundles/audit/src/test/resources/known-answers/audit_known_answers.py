#!/usr/bin/env python3
"""Known answers for the audit trail's hash and seals, computed from the documented encoding alone.

This script shares no code with the Java implementation: it rebuilds the canonical encoding from its description
(CanonicalEncoding's Javadoc and the field orders documented in EntryHasher, CheckpointSealer and AnchorLine) and
digests it with hashlib and hmac. Its output, committed beside it as audit_known_answers.txt, is what
AuditKnownAnswerTest expects. Rerun with `python3 audit_known_answers.py` after a deliberate change of format (which
needs a new domain label and a migration of every stored trail) and never to make a failing test pass.

The encoding:
  number   a signed 64-bit integer, big-endian (8 bytes)
  text     the length of its UTF-8 bytes as a signed 32-bit big-endian integer, then those bytes
  instant  number(seconds since the epoch, floor), then number(nanosecond of that second, 0..999999999)

  entry hash   SHA-256(text "panacea-audit-entry-v1", number sequence, instant time, text actor, text role,
               text action, text resourceType, text resourceId, text patientId, text outcome, text clientAddress,
               text detailsDigest, text previousHash), lower-case hex
  details      SHA-256 of the details' UTF-8 bytes, lower-case hex
  checkpoint   HMAC-SHA256(key, text "panacea-audit-checkpoint-v1", number sequence, text hash), lower-case hex
  head seal    HMAC-SHA256(key, text "panacea-audit-head-v1", number sequence, text hash), lower-case hex
  anchor line  HMAC-SHA256(key, text "panacea-audit-anchor-v1", text node, number index, text kind word,
               number sequence, text hash, instant time, number count of attributes, then text key and text value
               of each attribute in key order, text seal of the line before ("" for line 1)), lower-case hex
  anchor text  "<index> <kind> <sequence> <hash> <time> <attributes> <seal>", attributes "key=value" joined by ","
               with the value percent-encoded (UTF-8 bytes; A-Z a-z 0-9 and -._~:@/ kept, others %XX upper case),
               "-" when there are none
"""
import hashlib
import hmac
import struct
from datetime import datetime, timezone


def number(value):
    return struct.pack(">q", value)


def text(value):
    utf8 = value.encode("utf-8")
    return struct.pack(">i", len(utf8)) + utf8


def instant(iso, nanos):
    """iso: the instant to the whole second (UTC, 'Z'); nanos: its nanosecond of that second."""
    seconds = int(datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp())
    return number(seconds) + number(nanos)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


KEY = bytes(range(32))
GENESIS = "0" * 64


def entry(e):
    return (text("panacea-audit-entry-v1") + number(e["sequence"]) + instant(*e["time"]) + text(e["actor"])
            + text(e["role"]) + text(e["action"]) + text(e["resourceType"]) + text(e["resourceId"])
            + text(e["patientId"]) + text(e["outcome"]) + text(e["clientAddress"]) + text(e["detailsDigest"])
            + text(e["previousHash"]))


def seal(domain, sequence, hash_):
    return hmac.new(KEY, text(domain) + number(sequence) + text(hash_), hashlib.sha256).hexdigest()


def anchor(node, index, kind, sequence, hash_, time, attributes, previous):
    data = (text("panacea-audit-anchor-v1") + text(node) + number(index) + text(kind) + number(sequence)
            + text(hash_) + instant(*time) + number(len(attributes)))
    for key in sorted(attributes):
        data += text(key) + text(attributes[key])
    data += text(previous)
    return hmac.new(KEY, data, hashlib.sha256).hexdigest()


def percent(value):
    kept = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:@/")
    return "".join(chr(b) if b in kept else "%%%02X" % b for b in value.encode("utf-8"))


def line_text(index, kind, sequence, hash_, time_text, attributes, seal_):
    attrs = ",".join(k + "=" + percent(attributes[k]) for k in sorted(attributes)) or "-"
    return " ".join([str(index), kind, str(sequence), hash_, time_text, attrs, seal_])


# Entry A: every field filled, non-ASCII in 2-, 3- and 4-byte UTF-8, a sequence wider than 32 bits, nanoseconds.
DETAILS_A = "Befund f\u00fcr Zo\u00eb \U0001FA7A \u2014 \u00e4rztlich gepr\u00fcft"
ENTRY_A = dict(sequence=1234567890123, time=("2026-12-07T10:15:30Z", 123456789), actor="dr.m\u00fcller",
               role="clinician", action="READ", resourceType="Patient",
               resourceId="7353e17f-0cd5-5b0a-c736-92b9ca5f8366", patientId="Patient/\u00f8-17",
               outcome="SUCCESS", clientAddress="10.0.0.5", detailsDigest=sha256(DETAILS_A.encode("utf-8")),
               previousHash="0123456789abcdef" * 4)
# Entry B: the first entry, empty fields, an instant before the epoch (negative seconds, nanos kept apart).
ENTRY_B = dict(sequence=1, time=("1969-12-31T23:59:59Z", 999999999), actor="system:plugin-gate", role="",
               action="PLUGIN_REFUSED", resourceType="Bundle", resourceId="", patientId="", outcome="DENIED",
               clientAddress="", detailsDigest=sha256(b""), previousHash=GENESIS)

HASH_1 = "00112233445566778899aabbccddeeff" * 2
HASH_2 = "fedcba9876543210" * 4
NODE = "station-\u00f6"
ATTRS_2 = {"reason": "Wiederherstellung nach St\u00f6rung, 02:00 = 100% \u2713", "by": "admin"}
ATTRS_3 = {"source": "login", "action": "LOGIN"}

print("key                 " + KEY.hex())
print("details A digest    " + ENTRY_A["detailsDigest"])
print("entry A canonical   " + entry(ENTRY_A).hex())
print("entry A hash        " + sha256(entry(ENTRY_A)))
print("entry B canonical   " + entry(ENTRY_B).hex())
print("entry B hash        " + sha256(entry(ENTRY_B)))
print("checkpoint 2000     " + seal("panacea-audit-checkpoint-v1", 2000, HASH_1))
print("head 2042           " + seal("panacea-audit-head-v1", 2042, HASH_2))
print("head genesis        " + seal("panacea-audit-head-v1", 0, GENESIS))
print("checkpoint genesis  " + seal("panacea-audit-checkpoint-v1", 0, GENESIS))
seal_1 = anchor(NODE, 1, "checkpoint", 1000, HASH_1, ("2026-12-07T10:00:00Z", 123456000), {}, "")
seal_2 = anchor(NODE, 2, "epoch", 1001, HASH_2, ("2026-12-07T10:05:00Z", 0), ATTRS_2, seal_1)
seal_3 = anchor(NODE, 3, "lost", 0, GENESIS, ("2026-12-07T10:06:07Z", 1), ATTRS_3, seal_2)
print("anchor 1 seal       " + seal_1)
print("anchor 2 seal       " + seal_2)
print("anchor 3 seal       " + seal_3)
print("anchor 1 line       " + line_text(1, "checkpoint", 1000, HASH_1, "2026-12-07T10:00:00.123456Z", {}, seal_1))
print("anchor 2 line       " + line_text(2, "epoch", 1001, HASH_2, "2026-12-07T10:05:00Z", ATTRS_2, seal_2))
print("anchor 3 line       " + line_text(3, "lost", 0, GENESIS, "2026-12-07T10:06:07.000000001Z", ATTRS_3,
                                         seal_3))
