"""`aws.iam.get_policy_document` rendered offline exactly as the provider renders it.

Mirrors terraform-provider-aws `internal/service/iam/policy_document_data_source.go` and `policy_model.go`:
sets of actions/resources/identifiers become a string when they hold one element, else a reverse-sorted list;
principals and conditions are maps with sorted keys; `&{` becomes `${`; source documents are merged first,
then this document, then override documents, a statement replacing an earlier one with the same Sid. `json`
is Go's `MarshalIndent(doc, "", "  ")`, `minifiedJson` its compact form, and `id` the CRC-32 of `json`.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

DEFAULT_VERSION = "2012-10-17"
_STATEMENT_FIELDS = (
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
)
"""Field order of the provider's statement struct, which decides the key order of the rendered JSON."""


def render(args: dict[str, Any]) -> dict[str, Any]:
    """The invoke result (camelCase) for `aws:iam/getPolicyDocument:getPolicyDocument`."""
    merged: dict[str, Any] = {"Version": "", "Id": "", "Statement": []}
    for source in args.get("sourcePolicyDocuments") or []:
        _merge(merged, _parse(source))
    _merge(merged, _document(args))
    for override in args.get("overridePolicyDocuments") or []:
        _merge(merged, _parse(override))
    doc = {k: v for k, v in merged.items() if v}
    pretty = _go_json(doc, indent=2)
    return {
        "json": pretty,
        "minifiedJson": _go_json(doc, indent=None),
        "id": str(zlib.crc32(pretty.encode())),
        **{k: v for k, v in args.items() if k in ("statements", "version", "policyId")},
    }


def _document(args: dict[str, Any]) -> dict[str, Any]:
    version = args.get("version") or DEFAULT_VERSION
    statements = [_statement(s, version) for s in args.get("statements") or []]
    return {"Version": version, "Id": args.get("policyId") or "", "Statement": statements}


def _statement(s: dict[str, Any], version: str) -> dict[str, Any]:
    out: dict[str, Any] = {"Sid": s.get("sid") or "", "Effect": s.get("effect") or "Allow"}
    for key, field in (("actions", "Action"), ("notActions", "NotAction")):
        if s.get(key):
            out[field] = _string_set(s[key])
    for key, field in (("resources", "Resource"), ("notResources", "NotResource")):
        if s.get(key):
            out[field] = _replace_vars(_string_set(s[key]), version)
    for key, field in (("principals", "Principal"), ("notPrincipals", "NotPrincipal")):
        if s.get(key):
            out[field] = _principals(s[key], version)
    if s.get("conditions"):
        out["Condition"] = _conditions(s["conditions"], version)
    return {k: v for k, v in out.items() if v not in ("", None)}


def _string_set(values: list[str]) -> str | list[str]:
    """A Terraform string set: one element as a string, else the distinct elements reverse-sorted."""
    distinct = sorted(set(values), reverse=True)
    return distinct[0] if len(distinct) == 1 else distinct


def _replace_vars(value: str | list[str], version: str) -> str | list[str]:
    if version == "2008-10-17":
        return value
    if isinstance(value, str):
        return value.replace("&{", "${")
    return [v.replace("&{", "${") for v in value]


def _principals(blocks: list[dict[str, Any]], version: str) -> str | dict[str, Any]:
    if (
        len(blocks) == 1
        and blocks[0].get("type") == "*"
        and list(blocks[0].get("identifiers") or []) == ["*"]
    ):
        return "*"
    raw: dict[str, Any] = {}
    for block in blocks:
        kind = block.get("type", "")
        ids = _replace_vars(_string_set(block.get("identifiers") or []), version)
        existing = raw.get(kind)
        if existing is None:
            raw[kind] = ids
        else:
            raw[kind] = ([existing] if isinstance(existing, str) else existing) + (
                [ids] if isinstance(ids, str) else ids
            )
    return dict(sorted(raw.items()))


def _conditions(blocks: list[dict[str, Any]], version: str) -> dict[str, Any]:
    raw: dict[str, dict[str, list[str]]] = {}
    for block in blocks:
        values = _replace_vars([str(v) for v in block.get("values") or []], version)
        raw.setdefault(block.get("test", ""), {}).setdefault(block.get("variable", ""), []).extend(values)
    return {
        test: {var: vals[0] if len(vals) == 1 else vals for var, vals in sorted(variables.items())}
        for test, variables in sorted(raw.items())
    }


def _parse(text: str) -> dict[str, Any]:
    doc = json.loads(text)
    statements = doc.get("Statement") or []
    if isinstance(statements, dict):
        statements = [statements]
    ordered = [{k: s[k] for k in _STATEMENT_FIELDS if k in s} for s in statements]
    return {"Version": doc.get("Version", ""), "Id": doc.get("Id", ""), "Statement": ordered}


def _merge(into: dict[str, Any], new: dict[str, Any]) -> None:
    if new["Id"]:
        into["Id"] = new["Id"]
    if new["Version"] > into["Version"]:
        into["Version"] = new["Version"]
    for statement in new["Statement"]:
        sid = statement.get("Sid", "")
        same = [i for i, s in enumerate(into["Statement"]) if sid and s.get("Sid") == sid]
        if same:
            into["Statement"][same[0]] = statement
        else:
            into["Statement"].append(statement)


def _go_json(doc: dict[str, Any], indent: int | None) -> str:
    """JSON as Go's encoding/json writes it: HTML characters escaped, non-ASCII kept."""
    separators = (",", ": ") if indent else (",", ":")
    text = json.dumps(doc, indent=indent, separators=separators, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
