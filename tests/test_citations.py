"""Every quote of every shipped pack is found verbatim in its source text."""

import pytest

from policyrules.check.citations import all_citations, squeeze, verify
from policyrules.engine.loading import load_pack
from policyrules.pack.files import shipped_packs


@pytest.mark.parametrize("name", shipped_packs())
def test_every_quote_is_in_its_source(name, sources):
    pack = load_pack(name)
    assert verify(pack, sources) == []
    citations = [c for _, c in all_citations(pack)]
    # A pack whose document is not among the sources (the national plan) must say so on every citation.
    assert pack.document.source_file or all(c.external for c in citations)
    assert any(not c.external for c in citations) or not pack.document.source_file


def test_a_wrong_quote_is_caught(sources):
    pack = load_pack("baotou")
    rule = next(r for r in pack.rules if r.pack_id == pack.id)  # inherited fund rules cite external documents
    broken = type(rule.citation)(rule.citation.document, rule.citation.clause, "每超额安排2名残疾人", False)
    forged = pack.rule_index | {rule.id: type(rule)(**{**rule.__dict__, "citation": broken})}
    from dataclasses import replace

    bad = replace(pack, rules=tuple(forged[r.id] for r in pack.rules))
    (problem,) = verify(bad, sources)
    assert problem.where == rule.id and problem.phrase.key == "cite.quote_not_found"
    assert problem.message.startswith("在 包府办发〔2023〕43号") and "每超额安排2名残疾人" in problem.message
    (problem,) = verify(replace(bad, lang="en"), sources)
    assert problem.message.startswith("quote not found in 包府办发〔2023〕43号")


def test_whitespace_is_ignored_on_both_sides():
    assert squeeze("编制在50人\n（含）以上 的机关") == "编制在50人（含）以上的机关"
