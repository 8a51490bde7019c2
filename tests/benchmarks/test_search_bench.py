"""The persons list at 200,000 persons: what one keystroke in the search box costs.

Each round is what the list does when the query changes: count the matches
(for the scroll bar) and fetch the first page of 100 rows.
"""

from __future__ import annotations

import pytest

from xhht_desktop.store.repositories import PersonFilter

PAGE = 100


@pytest.fixture(scope="module")
def largest_village(large_commune):
    return max(large_commune.villages.list(), key=lambda v: v.persons)


# "" is the list as it opens; "thi" matches a third of the commune, "nguyen van"
# a few percent; "giang a pao" is one person looked up by name (a few matches),
# "xyz" matches nobody.
@pytest.mark.parametrize("in_village", [False, True], ids=["commune", "village"])
@pytest.mark.parametrize("query", ["", "nguyen van", "thi", "giang a pao", "xyz"])
def test_person_search(benchmark, large_commune, largest_village, query, in_village):
    flt = PersonFilter(search=query, village_id=largest_village.id if in_village else None)
    persons = large_commune.persons

    def search():
        return persons.count(flt), persons.page(flt, 0, PAGE)

    count, rows = benchmark(search)
    assert len(rows) == min(count, PAGE)
    if query == "xyz":
        assert count == 0
    elif not in_village:
        assert count > 0
    benchmark.extra_info["matches"] = count
