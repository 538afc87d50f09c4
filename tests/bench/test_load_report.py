"""The concurrent bench's report of preemptive replies: committed, discarded, and V2V either way."""

from __future__ import annotations

from bench.load import SessionResult, report
from bench.load_report import table


def test_preemptive_replies_are_counted_and_their_v2v_kept_apart() -> None:
    a = SessionResult(0, turns=3, answered=3, v2v_ms=[400.0, 900.0, 500.0], preempted=[True, False, True])
    a.preempt_discards = 2
    b = SessionResult(1, turns=1, answered=1, v2v_ms=[1000.0], preempted=[False])
    out = report([a, b], baseline=None, sampler=None)
    pre = out["preemptive"]
    assert pre["committed"] == 2 and pre["discarded"] == 2 and pre["discard_rate"] == 0.5
    assert pre["v2v_committed_ms"]["n"] == 2 and pre["v2v_other_ms"]["n"] == 2
    assert pre["v2v_committed_ms"]["p50"] < pre["v2v_other_ms"]["p50"]
    assert "preemptive replies: 2 committed, 2 discarded (rate 0.5)" in table(out)


def test_without_preemption_the_table_says_nothing_of_it() -> None:
    out = report(
        [SessionResult(0, turns=1, answered=1, v2v_ms=[800.0], preempted=[False])],
        baseline=None,
        sampler=None,
    )
    assert out["preemptive"]["discard_rate"] is None
    assert "preemptive" not in table(out)
