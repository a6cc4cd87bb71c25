"""``sanitize rules diff``: what a rules change does, from git revisions, loosening flagged."""

from __future__ import annotations

from helpers.review_project import git, sanitize

from sanitizer.errors import ExitCode


def edit(project, old: str, new: str, commit: bool = True) -> None:
    rules = project / "rules" / "app.yaml"
    text = rules.read_text()
    assert old in text
    rules.write_text(text.replace(old, new))
    if commit:
        git(project, "commit", "-q", "-am", f"{old} -> {new}")


def loosened_lines(report: str) -> list[str]:
    return [line for line in report.splitlines() if line.startswith("LOOSENED")]


def test_masked_to_keep_is_loosened_and_fails_when_asked(project):
    edit(project, "email: {fake: email, unique: true}", "email: keep")
    result = sanitize(project, "rules", "diff", "HEAD~1", "HEAD")
    assert result.code == 0
    [line] = loosened_lines(result.stdout)
    assert "app.customers.email" in line and "`keep`" in line
    failing = sanitize(project, "rules", "diff", "HEAD~1", "HEAD", "--fail-on-loosening")
    assert failing.code == ExitCode.LOOSENED


def test_pure_tightening_exits_zero_even_with_fail_on_loosening(project):
    edit(project, "plan: keep", "plan: redact")
    edit(project, "notes: {detect: [PERSON, EMAIL_ADDRESS, PHONE_NUMBER]}", "notes: redact")
    result = sanitize(project, "rules", "diff", "HEAD~2", "--fail-on-loosening")
    assert result.code == 0, result.stdout + result.stderr
    assert loosened_lines(result.stdout) == []
    assert "- **app.customers.plan**: `keep` → `redact` (masks more)" in result.stdout


def test_subtle_loosenings_are_flagged(project):
    edit(project, "[PERSON, EMAIL_ADDRESS, PHONE_NUMBER]", "[PERSON, EMAIL_ADDRESS]", False)
    edit(project, "email: {fake: email, unique: true}", "email: {fake: email}", False)
    edit(project, "    total: keep\n", "    total: keep\n    coupon: keep\n", False)
    report = sanitize(project, "rules", "diff", "HEAD").stdout  # against the working tree
    lines = loosened_lines(report)
    assert any("app.customers.notes" in x and "PHONE_NUMBER" in x for x in lines)
    assert any("app.customers.email" in x and "unique dropped" in x for x in lines)
    assert any("app.orders.coupon" in x and "passed through" in x for x in lines)


def test_examples_use_synthetic_inputs_only(project):
    edit(project, "full_name: {fake: name}", "full_name: {hash: {length: 12}}")
    report = sanitize(project, "rules", "diff", "HEAD~1").stdout
    assert "synthetic inputs" in report
    assert "| `app.customers.full_name` | `Jane Roe` |" in report
    for value in ("Zelda", "Quuxington", "zelda.quux"):
        assert value not in report


def test_an_unknown_revision_is_a_clear_error(project):
    result = sanitize(project, "rules", "diff", "no-such-branch")
    assert result.code == ExitCode.CONFIG
    assert "revisions that exist" in result.stderr


def test_a_deleted_json_path_is_compared_with_the_rule_that_now_governs_it(project):
    """Deleting ``"$.password": …`` under ``"$.**": keep`` copies the value: loosened."""
    settings = '    settings: {json: {"$.password": hash, "$.theme": keep, "$.**": keep}}\n'
    edit(project, "    plan: keep\n", "    plan: keep\n" + settings)
    edit(project, '"$.password": hash, ', "")
    result = sanitize(project, "rules", "diff", "HEAD~1", "HEAD")
    [line] = loosened_lines(result.stdout)
    assert "app.customers.settings $.password" in line
    assert "`hash` → `keep`" in line and "now under `$.**`" in line


def test_a_credential_turned_to_keep_is_loosened_loudly(project):
    edit(
        project,
        "    plan: keep\n",
        "    plan: keep\n    api_key: secret\n    hook: {url: sandbox}\n",
    )
    edit(
        project,
        "    api_key: secret\n    hook: {url: sandbox}\n",
        "    api_key: keep\n    hook: detect\n",
    )
    result = sanitize(project, "rules", "diff", "HEAD~1", "HEAD", "--fail-on-loosening")
    assert result.code == ExitCode.LOOSENED, result.stdout + result.stderr
    lines = loosened_lines(result.stdout)
    assert any(
        "app.customers.api_key" in x and "`secret` → `keep`" in x and "copied as is" in x
        for x in lines
    ), lines
    assert any("app.customers.hook" in x and "only the credentials" in x for x in lines), lines
    # the example shows a key-shaped input neutralized before and copied after
    [row] = [r for r in result.stdout.splitlines() if r.startswith("| `app.customers.api_key`")]
    *_, given, before, after, _ = (cell.strip(" `") for cell in row.split("|"))
    assert given.startswith("sk_live_") and after == given
    assert before != given and len(before) == len(given) and before.startswith("sk_")


def test_an_array_of_credentials_turned_to_keep_is_loosened(project):
    edit(project, "    plan: keep\n", "    plan: keep\n    keys: {each: secret}\n")
    edit(project, "    keys: {each: secret}\n", "    keys: {each: keep}\n")
    result = sanitize(project, "rules", "diff", "HEAD~1", "HEAD")
    [line] = loosened_lines(result.stdout)
    assert "app.customers.keys" in line and "copied as is" in line
