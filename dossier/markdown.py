"""The editor's Markdown: CommonMark without raw HTML, plus [[target]] and [[target|label]] links."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import Callable, Optional

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

_MAX_TARGET = 300


@dataclass(frozen=True)
class Link:
    """A resolved cross-reference: where it goes and what to call it."""

    url: str
    title: str
    kind: str  # source, topic, claim, fact, note
    key: str  # the target's canonical name, e.g. "topics/minsk" or "sources/x#fact-y"


Resolver = Callable[[str], Optional[Link]]


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    start = pos + 1 if src.startswith("![[", pos) else pos  # an embed inside running text is a link
    if not src.startswith("[[", start):
        return False
    pos = start
    end = src.find("]]", pos + 2)
    inner = src[pos + 2:end] if end != -1 else ""
    if end == -1 or not inner.strip() or "\n" in inner or "[" in inner or len(inner) > _MAX_TARGET:
        return False
    if not silent:
        target, _, label = inner.partition("|")
        token = state.push("wikilink", "", 0)
        token.meta = {"target": target.strip(), "label": label.strip()}
        token.content = src[state.pos:end + 2]
    state.pos = end + 2
    return True


def _render_wikilink(renderer, tokens, idx, options, env) -> str:
    meta = tokens[idx].meta
    link = env["resolve"](meta["target"])
    if link is None:
        return f'<span class="xref-missing">{escape(meta["label"] or meta["target"])}</span>'
    label = escape(meta["label"] or link.title)
    return f'<a class="xref xref-{link.kind}" href="{escape(link.url)}">{label}</a>'


_EMBED_LINE = re.compile(r"^!\[\[([^\[\]|\n]+)(?:\|[^\[\]\n]*)?\]\]\s*$")


def _embed_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """`![[source#fact]]` alone on a line: the fact box (or note) itself, placed here."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    line = state.src[state.bMarks[start] + state.tShift[start]:state.eMarks[start]]
    found = _EMBED_LINE.match(line)
    if not found:
        return False
    if not silent:
        token = state.push("dossier_embed", "", 0)
        token.meta = {"target": found.group(1).strip()}
        token.map = [start, start + 1]
    state.line = start + 1
    return True


def _render_embed(renderer, tokens, idx, options, env) -> str:
    link = env["resolve"](tokens[idx].meta["target"])
    if link is None:
        return f'<p class="xref-missing">{escape(tokens[idx].meta["target"])}</p>\n'
    anchor = f'<a class="xref xref-{link.kind}" href="{escape(link.url)}">{escape(link.title)}</a>'
    if link.kind not in ("fact", "note"):
        return f"<p>{anchor}</p>\n"
    # A placeholder that the page template replaces with the full box (see render.with_embeds);
    # where it is not replaced, it stays a working link.
    return f'<div class="embed" data-embed="{escape(link.key)}"><p>{anchor}</p></div>\n'


def _render_heading(renderer, tokens, idx, options, env) -> str:
    token = tokens[idx]
    level = min(6, int(token.tag[1]) + env.get("heading_offset", 0))
    return f"<{'/' if token.nesting == -1 else ''}h{level}>" + ("\n" if token.nesting == -1 else "")


def make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False})
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
    md.block.ruler.before("paragraph", "dossier_embed", _embed_rule, {"alt": ["paragraph"]})
    md.add_render_rule("dossier_embed", _render_embed)
    md.add_render_rule("wikilink", _render_wikilink)
    md.add_render_rule("heading_open", _render_heading)
    md.add_render_rule("heading_close", _render_heading)
    return md


_PARSER = make_parser()


def targets(markdown: str) -> list[str]:
    """Every [[target]] named in `markdown`, in order."""
    tokens = _PARSER.parse(markdown)
    return [t.meta["target"] if t.type == "dossier_embed" else c.meta["target"]
            for t in tokens for c in (t.children or [t]) if c.type in ("wikilink", "dossier_embed")]


def render(markdown: str, resolve: Resolver, heading_level: int = 2) -> str:
    """HTML for `markdown`; every wiki-link goes through `resolve` (None: unresolved).

    Headings are shifted so that the fragment's highest heading becomes `heading_level`, whatever
    level the editor started from, keeping the page's outline in order."""
    if not markdown.strip():
        return ""
    env = {"resolve": resolve}
    tokens = _PARSER.parse(markdown, env)
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    env["heading_offset"] = heading_level - min(levels) if levels else 0
    return _PARSER.renderer.render(tokens, _PARSER.options, env)


def render_inline(markdown: str, resolve: Resolver) -> str:
    """HTML for one line of Markdown, without a wrapping paragraph."""
    return _PARSER.renderInline(markdown, {"resolve": resolve})
