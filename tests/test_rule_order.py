"""Several rules in one object: a ``kind`` is tested first, and the answers are those of the written order."""

from __future__ import annotations

from codemod.pattern.matcher import all_named_nodes
from codemod.rules.compile import compile_rule
from codemod.rules.core import AllRule, KindRule, MatchContext, PatternRule, Rule
from codemod.syntax.tree import parse
from tests.helpers import go

SOURCE = go(
    """
func f(a, b int) {
	x := a
	y := x
	x = b
	for i := range a { _ = i }
	g(x, y)
	defer g(a, a)
}
"""
).encode()

RULES = [
    {"pattern": "$A := $B", "kind": "short_var_declaration"},
    {"pattern": "$F($X, $X)", "kind": "call_expression", "regex": "g"},
    {"kind": "for_statement", "has": {"stopBy": "end", "pattern": "$I"}, "pattern": "for $I := range $R { $$$ }"},
    {"all": [{"pattern": "$V = $W"}, {"kind": "assignment_statement"}, {"not": {"pattern": "$V = $V"}}]},
    {
        "any": [
            {"pattern": "g($P, $Q)", "kind": "expression_statement"},
            {"kind": "call_expression", "pattern": "g($P, $Q)"},
        ]
    },
]


def _in_written_order(rule: Rule, target, ctx: MatchContext, env):
    """The all-of-them answer with every rule evaluated in the written order."""
    if isinstance(rule, AllRule):
        for part in rule.rules:
            env = _in_written_order(part, target, ctx, env)
            if env is None:
                return None
        return env
    return rule.match(target, ctx, env)


def _answers(env) -> dict | None:
    return None if env is None else {name: value.text for name, value in env.items()}


def test_kinds_first_gives_the_answers_of_the_written_order() -> None:
    root = parse(SOURCE).root_node
    ctx = MatchContext(SOURCE, root)
    matched = 0
    for raw in RULES:
        rule = compile_rule(raw)
        for node in all_named_nodes(root):
            ours = rule.match(node, ctx, {})
            assert _answers(ours) == _answers(_in_written_order(rule, node, ctx, {})), (raw, node.text)
            matched += ours is not None
        found = [(target.start_byte, _answers(env)) for target, env in rule.search(root, ctx, {})]
        scanned = [(target.start_byte, _answers(env)) for target, env in rule._scan(root, ctx, {})]
        assert found == scanned, raw
    assert matched >= 5


def test_a_kind_that_does_not_hold_spares_the_pattern(monkeypatch) -> None:
    rule = compile_rule({"pattern": "$A := $B", "kind": "short_var_declaration"})
    assert isinstance(rule, AllRule) and isinstance(rule.rules[0], PatternRule) and isinstance(rule.rules[1], KindRule)
    asked: list = []
    original = PatternRule.match

    def counting(self, target, ctx, env):
        asked.append(target)
        return original(self, target, ctx, env)

    monkeypatch.setattr(PatternRule, "match", counting)
    root = parse(SOURCE).root_node
    ctx = MatchContext(SOURCE, root)
    hits = [node for node in all_named_nodes(root) if rule.match(node, ctx, {}) is not None]
    assert [node.text for node in hits] == [b"x := a", b"y := x"]
    assert all(node.type == "short_var_declaration" for node in asked)
