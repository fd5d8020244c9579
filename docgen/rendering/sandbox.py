"""What a form template may do, checked before it runs and enforced while it runs.

A form template prints the form's data, tests it and loops over its lists; nothing else. An organisation
uploads its own templates, so everything that could run without bound is refused:

- before it runs (`policy_errors`, used by the template check and when a template is compiled): no
  function or method calls (`range(...)`, `loop.cycle(...)`, macros), no arithmetic (`'x' * 10**9`), no
  `set`/`with`/macros/includes/autoescape switches, loops only over a name or attribute path (never a
  literal, a call or a filter result), recursive loops refused, and only the few bounded filters and
  tests in FILTERS and TESTS;
- while it runs (`make_environment`, `RenderBudget`): the environment refuses every call and arithmetic
  operator and knows only those filters and tests; every loop draws on a per-render budget of
  iterations and time, and the renderer caps the size of the output. A template that gets past the check
  (or was stored before it) fails with an error instead of looping in the request thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from jinja2 import StrictUndefined, nodes
from jinja2.defaults import DEFAULT_FILTERS, DEFAULT_TESTS
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

# The shipped forms use none: only output, attribute paths and loops over the form's lists. These are the
# few an organisation's layout may reasonably want; each costs at most linear time in its input and
# returns plain text or a value (never Markup, which would bypass escaping: `safe`, `escape`, `urlize`,
# `tojson`, `xmlattr` are not here). Anything with a size argument (`center`, `indent`, `wordwrap`,
# `truncate`, `format`, `replace`, `batch`, `slice`) is not here either.
FILTERS = frozenset(
    {"first", "last", "length", "count", "upper", "lower", "capitalize", "title", "trim", "default", "d"}
)
TESTS = frozenset({"defined", "undefined", "none", "true", "false", "eq", "equalto", "ne", "in", "string"})

# Limits of one render (body, headers, footers and footnotes together). The shipped forms loop a few
# hundred times and print under 100 000 characters for a large plan.
MAX_LOOP_ITERATIONS = 50_000
MAX_OUTPUT_CHARS = 16_000_000
MAX_RENDER_SECONDS = 5.0

LOOP_BUDGET_FILTER = "loop budget"  # a name no template can write (it has a space): see bounded_loops

_ALLOWED_NODES: tuple[type[nodes.Node], ...] = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.For,
    nodes.If,
    nodes.Name,
    nodes.Getattr,
    nodes.Getitem,
    nodes.Const,
    nodes.Tuple,
    nodes.List,
    nodes.Compare,
    nodes.Operand,
    nodes.And,
    nodes.Or,
    nodes.Not,
    nodes.CondExpr,
    nodes.Concat,
    nodes.Filter,
    nodes.Test,
    nodes.Keyword,
)
_REFUSED: list[tuple[tuple[type[nodes.Node], ...], str]] = [
    ((nodes.Call, nodes.CallBlock), "calls a function or method"),
    ((nodes.BinExpr, nodes.UnaryExpr), "uses arithmetic"),
    ((nodes.Assign, nodes.AssignBlock, nodes.With), "assigns variables (set/with)"),
    ((nodes.Macro,), "defines a macro"),
    ((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends, nodes.Block), "includes other templates"),
    ((nodes.Scope, nodes.ScopedEvalContextModifier, nodes.EvalContextModifier), "switches autoescaping"),
    ((nodes.FilterBlock,), "uses a filter block"),
    ((nodes.Slice,), "slices a value"),
    ((nodes.Dict,), "builds a dict"),
]


def describe(node: nodes.Node) -> str:
    """A short, data-free rendering of an expression for messages (`goal.objectives`, `range(...)`)."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{describe(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        return f"{describe(node.node)}[...]"
    if isinstance(node, nodes.Call):
        return f"{describe(node.node)}(...)"
    if isinstance(node, nodes.Filter):
        return f"{describe(node.node) if node.node is not None else '...'}|{node.name}"
    if isinstance(node, nodes.Const | nodes.List | nodes.Tuple | nodes.Dict):
        return "a literal"
    return type(node).__name__.lower()


def _is_path(node: nodes.Node) -> bool:
    """A name or an attribute/item path from one (`goals`, `goal.objectives`, `plan["goals"]`)."""
    while isinstance(node, nodes.Getattr | nodes.Getitem):
        node = node.node
    return isinstance(node, nodes.Name)


def loop_refusal(iterable: nodes.Node) -> str:
    return f"loops over `{describe(iterable)}`: a loop may only go over a list of the form's data"


def policy_errors(tree: nodes.Template) -> list[str]:
    """What this parsed template does that a form template may not do (empty when it may run)."""
    found: list[str] = []

    def refuse(message: str) -> None:
        if message not in found:
            found.append(message)

    for node in tree.find_all(nodes.Node):
        if isinstance(node, nodes.For):
            if node.recursive:
                refuse("uses a recursive loop")
            if not _is_path(node.iter):
                refuse(loop_refusal(node.iter))
        elif isinstance(node, nodes.Filter) and node.name not in FILTERS:
            refuse(f"uses the filter `{node.name}` (allowed: {', '.join(sorted(FILTERS))})")
        elif isinstance(node, nodes.Test) and node.name not in TESTS:
            refuse(f"uses the test `{node.name}` (allowed: {', '.join(sorted(TESTS))})")
        elif isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            refuse(f"reads the private attribute `{node.attr}`")
        elif not isinstance(node, _ALLOWED_NODES):
            reason = next((why for kinds, why in _REFUSED if isinstance(node, kinds)), None)
            if isinstance(node, nodes.Call):
                refuse(f"{reason}: `{describe(node)}`")
            else:
                refuse(reason or f"uses `{type(node).__name__}`, which a form template does not need")
    return found


def bounded_loops(tree: nodes.Template) -> nodes.Template:
    """Every loop's iterable drawn through the render budget (in place; returns the tree)."""
    for loop in tree.find_all(nodes.For):
        loop.iter = nodes.Filter(loop.iter, LOOP_BUDGET_FILTER, [], [], None, None, lineno=loop.lineno)
    return tree


# ---------------------------------------------------------------------------------------------------------
# While it runs


class RenderBudget:
    """Loop iterations, output size and time left for one render."""

    def __init__(
        self,
        *,
        iterations: int = MAX_LOOP_ITERATIONS,
        chars: int = MAX_OUTPUT_CHARS,
        seconds: float = MAX_RENDER_SECONDS,
    ) -> None:
        self.iterations = iterations
        self.chars = chars
        self.deadline = time.monotonic() + seconds

    def iteration(self) -> None:
        self.iterations -= 1
        if self.iterations < 0:
            raise SecurityError("the template loops more than a form can need")
        if self.iterations % 256 == 0:
            self.check_time()

    def output(self, size: int) -> None:
        self.chars -= size
        if self.chars < 0:
            raise SecurityError("the template prints more than a form can hold")

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise SecurityError("the template takes too long to render")


_BUDGET: ContextVar[RenderBudget | None] = ContextVar("docgen_render_budget", default=None)


@contextmanager
def active_budget(budget: RenderBudget) -> Iterator[RenderBudget]:
    """The budget the loops of templates rendered in this block draw on."""
    token = _BUDGET.set(budget)
    try:
        yield budget
    finally:
        _BUDGET.reset(token)


def _budgeted(iterable: Iterable[Any]) -> Iterator[Any]:
    budget = _BUDGET.get()
    if budget is None:
        raise SecurityError("a form template runs only inside a render budget")
    for item in iterable:
        budget.iteration()
        yield item


class FormEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox that also refuses every call and arithmetic operator."""

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})
    intercepted_unops = frozenset({"+", "-"})

    def call(
        __self,  # Jinja's signature: the double prefixes keep keyword arguments free for the callee
        __context: Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        # The message never names the object: its repr could be a participant's data.
        raise SecurityError("a form template may not call functions or methods")

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        raise SecurityError(f"a form template may not use the {operator!r} operator")

    def call_unop(self, context: Context, operator: str, arg: Any) -> Any:
        raise SecurityError(f"a form template may not use the unary {operator!r} operator")


def make_environment(finalize: Callable[[Any], Any] | None = None) -> FormEnvironment:
    env = FormEnvironment(
        undefined=StrictUndefined,
        autoescape=True,
        finalize=finalize,
        keep_trailing_newline=True,
    )
    env.globals.clear()  # range, dict, lipsum, cycler, joiner, namespace
    env.filters = {name: DEFAULT_FILTERS[name] for name in FILTERS}
    env.filters[LOOP_BUDGET_FILTER] = _budgeted
    env.tests = {name: DEFAULT_TESTS[name] for name in TESTS}
    return env
