"""Escaping, once, for every output that carries bank or student text: HTML (the static view,
keys, digests), Markdown (keys, digests, the instructor edition) and JSON inside a page."""
from __future__ import annotations

import json
from html import escape


def e(text) -> str:
    """Text for HTML content or a quoted attribute."""
    return escape(str(text), quote=True)


_MD_SPECIAL = set("\\`*_{}[]()#+-.!|~=:$^%")
_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def md_escape(text: str) -> str:
    """Text that Markdown (CommonMark, GFM, MyST) shows as typed: no links, images, HTML or markup."""
    out = []
    for char in str(text):
        if char in _MD_ENTITIES:
            out.append(_MD_ENTITIES[char])
        elif char in _MD_SPECIAL:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def json_for_script(data) -> str:
    """JSON that is safe inside <script type="application/json">: no '<', '>' or '&'."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


__all__ = ["e", "md_escape", "json_for_script"]
