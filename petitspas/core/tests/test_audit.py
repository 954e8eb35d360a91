"""The audit log's wording: every action code written anywhere has a French sentence."""

import ast
from pathlib import Path

import pytest

from petitspas.core.audit import ACTION_SENTENCES, action_label, action_sentence

PROJECT = Path(__file__).resolve().parents[2]


def audit_log_calls(root: Path = PROJECT):
    """``(file, line, action codes, problem)`` for each call of ``audit_log`` outside tests.
    The action is the second positional argument or ``action=``; it must be written out
    (a string, or a choice between strings), so that it can be read here."""
    for path in sorted(root.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name != "audit_log":
                continue
            action = node.args[1] if len(node.args) > 1 else None
            for keyword in node.keywords:
                if keyword.arg == "action":
                    action = keyword.value
            where = f"{path.relative_to(root.parent)}:{node.lineno}"
            yield where, *_literal_codes(action)


def _literal_codes(node) -> tuple[list[str], str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value], ""
    if isinstance(node, ast.IfExp):
        body, body_problem = _literal_codes(node.body)
        orelse, orelse_problem = _literal_codes(node.orelse)
        return body + orelse, body_problem or orelse_problem
    return [], "the action is not written out as a string"


def test_every_action_code_used_in_the_code_has_a_sentence():
    calls = list(audit_log_calls())
    assert len(calls) > 20  # the walk does find the calls
    problems = [f"{where}: {problem}" for where, _, problem in calls if problem]
    problems += [
        f"{where}: no sentence for {code!r} in core.audit.ACTION_SENTENCES"
        for where, codes, _ in calls
        for code in codes
        if code not in ACTION_SENTENCES
    ]
    assert problems == []


def test_the_check_finds_an_unworded_code_and_a_computed_one(tmp_path):
    (tmp_path / "services.py").write_text(
        "audit_log(by, 'site.closure_add', site)\n"
        "audit_log(by, 'site.painted' if red else 'site.closure_add', site)\n"
        "audit_log(by, f'site.{what}_delete', site)\n"
    )
    calls = list(audit_log_calls(tmp_path))
    assert [(codes, problem) for _, codes, problem in calls] == [
        (["site.closure_add"], ""),
        (["site.painted", "site.closure_add"], ""),
        ([], "the action is not written out as a string"),
    ]
    assert "site.painted" not in ACTION_SENTENCES


def test_every_sentence_names_its_object_at_most_once():
    for code, sentence in ACTION_SENTENCES.items():
        assert sentence.count("{objet}") <= 1, code
        assert sentence.startswith("a "), code


@pytest.mark.parametrize(
    ("action", "target", "sentence"),
    [
        (
            "site.closure_add",
            "Maison de quartier (Pantin)",
            "a ajouté une fermeture à Maison de quartier (Pantin)",
        ),
        ("household.view", "F-0001", "a consulté le dossier de la famille F-0001"),
        ("user.invitation_accept", "Awa Diallo", "a accepté son invitation"),
        ("site.painted", "Lieu {x}", "a effectué l'action « site.painted » sur Lieu {x}"),
        (
            "site.painted",
            "",
            "a effectué l'action « site.painted » sur un élément supprimé ou sans nom",
        ),
    ],
)
def test_actions_read_in_words(action, target, sentence):
    assert action_sentence(action, target) == sentence


def test_filter_labels_leave_the_object_out():
    assert action_label("site.closure_add") == "a ajouté une fermeture à …"
    assert action_label("site.painted") == "« site.painted »"
