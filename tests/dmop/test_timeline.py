import datetime

from dmop.timeline import timeline_from_rows


def rows(*moments):  # type: ignore[no-untyped-def]
    """(moment id, {domain: level}) pairs in date order -> the query's row dicts."""
    out = []
    for moment_id, levels in moments:
        for domain, level in levels.items():
            out.append(
                {
                    "contact_moment_id": moment_id,
                    "contact_moment__date": datetime.date(2026, 1, moment_id),
                    "contact_moment__kind": "3m",
                    "domain": domain,
                    "concern_level": level,
                }
            )
    return out


ALL_ONE = dict.fromkeys(
    ["parent_competence", "partner_role", "social_network", "events_circumstances", "child_wellbeing"], 1
)


def test_an_empty_history_has_no_columns_and_five_empty_rows():
    timeline = timeline_from_rows([])
    assert timeline.columns == ()
    assert [len(row.cells) for row in timeline.rows] == [0] * 5
    assert timeline.rising_domains == []


def test_a_rise_is_flagged_at_the_contact_moment_where_it_happens():
    timeline = timeline_from_rows(rows((1, ALL_ONE), (2, {**ALL_ONE, "social_network": 3}), (3, ALL_ONE)))
    social = timeline.rows[2]
    assert [c.concern_level for c in social.cells] == [1, 3, 1]
    assert [c.rose for c in social.cells] == [False, True, False]
    assert timeline.rising_domains == []


def test_a_fall_or_an_equal_level_is_not_flagged():
    timeline = timeline_from_rows(rows((1, {**ALL_ONE, "partner_role": 3}), (2, ALL_ONE)))
    assert not any(cell.rose for row in timeline.rows for cell in row.cells)


def test_a_domain_not_assessed_at_a_moment_is_compared_with_its_last_assessment():
    only_child = {"child_wellbeing": 2}
    timeline = timeline_from_rows(rows((1, ALL_ONE), (2, {"parent_competence": 1}), (3, only_child)))
    child = timeline.rows[4]
    assert [c.concern_level for c in child.cells] == [1, None, 2]
    assert [c.rose for c in child.cells] == [False, False, True]
    assert timeline.rising_domains == ["child_wellbeing"]


def test_rows_follow_the_protocol_order_and_carry_dutch_labels():
    timeline = timeline_from_rows(rows((1, ALL_ONE)))
    assert [row.label for row in timeline.rows] == [
        "Competentie van de ouders",
        "Rol van de partner",
        "Sociaal netwerk",
        "Gebeurtenissen en omstandigheden",
        "Welbevinden van het kind",
    ]
    assert timeline.columns[0].kind_label == "3 maanden"
