"""Every Python example in README.md runs, so the README cannot rot.

The convention, for everyone who edits the README:

- a block fenced as ```` ```python ```` is a complete test module and is executed:
  if it defines tests (``test_*`` functions, or ``test_*`` methods of ``Test*``
  classes), pytest runs it (with moto-ivschat's plugin, as a user's pytest would)
  and every one of those tests must pass; otherwise it is executed as a script;
- Python that cannot run on its own here (it needs a server started elsewhere,
  say) is fenced as ```` ```python no-run ````: still highlighted as Python on
  GitHub, only compiled here;
- a block that needs an optional package says so, ```` ```python requires=aiobotocore ````:
  it runs where that package is installed — the tox env named in
  ``MOTO_IVSCHAT_README_REQUIRES`` must have it, so there it cannot be skipped;
  ```` requires=moto>=5.0.4 ```` asks for a distribution at that release or later;
- any other block (``bash``, ``text``, ``console``...) is not looked at.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import textwrap
from importlib.metadata import version
from pathlib import Path
from typing import NamedTuple

import pytest

pytest_plugins = ["pytester"]

README = Path(__file__).resolve().parent.parent / "README.md"
FENCE = re.compile(r"^\s*```(\S*)[ \t]*(.*)$")


class Block(NamedTuple):
    """A fenced code block of the README."""

    line: int
    language: str
    options: list[str]
    code: str


def _blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        index += 1
        if opening is None:
            continue
        start = index
        while not lines[index].lstrip().startswith("```"):
            index += 1
        code = textwrap.dedent("\n".join(lines[start:index]) + "\n")
        blocks.append(Block(start, opening.group(1), opening.group(2).split(), code))
        index += 1
    return blocks


def _python_blocks() -> list[Block]:
    return [block for block in _blocks(README.read_text(encoding="utf-8")) if block.language == "python"]


def _tests_defined(code: str) -> int:
    """Return how many tests pytest will find in ``code``, a module."""
    count = 0
    for node in ast.parse(code).body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
            count += 1
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            count += sum(
                isinstance(item, ast.FunctionDef) and item.name.startswith("test") for item in node.body
            )
    return count


def _id(block: Block) -> str:
    return f"README.md:{block.line}"


def test_the_convention_is_read_as_documented() -> None:
    text = (
        "```python\nx = 1\n```\n\n```python no-run\ny = 2\n```\n\n- item:\n\n  ```bash\n  ls\n  ```\n"
        "\n```python requires=aiobotocore\nz = 3\n```\n"
        "\n```python requires=moto>=5.0.4\n```\n"
    )
    assert _blocks(text) == [
        Block(1, "python", [], "x = 1\n"),
        Block(5, "python", ["no-run"], "y = 2\n"),
        Block(11, "bash", [], "ls\n"),
        Block(15, "python", ["requires=aiobotocore"], "z = 3\n"),
        Block(19, "python", ["requires=moto>=5.0.4"], "\n"),
    ]
    assert _required(_blocks(text)[3]) == ["aiobotocore"]
    assert _required(_blocks(text)[4]) == ["moto>=5.0.4"]
    assert _installed("moto>=5.0")
    assert not _installed("moto>=99")
    assert not _installed("no_such_module")
    code = "class TestA:\n    def test_a(self): ...\n    def helper(self): ...\ndef test_b(): ...\n"
    assert _tests_defined(code) == 2


def test_the_readme_shows_every_way_of_testing() -> None:
    code = "".join(block.code for block in _python_blocks() if "no-run" not in block.options)
    for usage in (
        "@mock_ivschat\ndef",
        "@mock_ivschat\nclass",
        "with mock_ivschat():",
        "@mock_aws",
        "(ivschat_client, ivschat_backend)",
        "sent_events(",
        "chat_tokens(",
        "verify_chat_token(",
        "freeze_time(",
        "def test_create_room",
    ):
        assert usage in code


def _required(block: Block) -> list[str]:
    return [option.split("=", 1)[1] for option in block.options if option.startswith("requires=")]


def _release(text: str) -> tuple[int, ...]:
    """``"5.0.4"`` (or ``"5.2.6.dev0"``) as ``(5, 0, 4)``."""
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def _installed(requirement: str) -> bool:
    """Whether a module is importable, or a distribution (``name>=version``) installed at that release."""
    name, _, minimum = requirement.partition(">=")
    if minimum:
        return _release(version(name)) >= _release(minimum)
    return importlib.util.find_spec(name) is not None


@pytest.mark.parametrize("block", _python_blocks(), ids=_id)
def test_example(block: Block, pytester: pytest.Pytester) -> None:
    code = compile(block.code, _id(block), "exec")
    if "no-run" in block.options:
        return
    for package in _required(block):
        if not _installed(package):
            assert package not in os.environ.get("MOTO_IVSCHAT_README_REQUIRES", "").split(","), (
                f"{package} must be installed here"
            )
            pytest.skip(f"needs {package}: the tox env that sets MOTO_IVSCHAT_README_REQUIRES runs it")
    tests = _tests_defined(block.code)
    if tests == 0:
        exec(code, {"__name__": "readme_example"})
        return
    pytester.makepyfile(**{f"test_readme_line_{block.line}": block.code})
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=tests)
