"""Clustering: from matching pairs to incidents, deterministically and without chaining.

Matching pairs link statements into connected components (union-find in the index). A component is
not yet an incident: a month-precision "rockets hit the port in February" matches the shelling of the
port on the 3rd and on the 18th, which do not match each other. So inside a component, statements are
grouped by **complete linkage, first fit**: taken in a fixed order, each joins the first group (in
order of creation) whose every member it matches, or opens a new group. Every member of an incident
therefore matches every other: their dates share a common day or interval, their places are all
within 25 km of each other (or inside one region), and no two neutral accounts blame different sides.

The order is: most precise date first (day, week, month, undated), then most precise place, then the
content of the statement (window, coordinates, region, actors, modality, voice), then the event id.
Precise statements thus form the groups and vaguer ones join the earliest group that fits them ("a
vague statement belongs to the first precise happening it fits"). Because the content comes before
the id, statements with the same content are neighbours in the order; a copy of a statement then
always joins its original's group and moves no one else, which is why adding a syndicated copy or a
new source of a known happening never reshuffles incidents.

The result depends only on the set of statements of the component, never on the order they arrived.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set

from ceasefire.pipeline.fusion.blocking import Item


def clusters(items: Iterable[Item], neighbours: Mapping[str, Set[str]]) -> list[list[Item]]:
    """Complete-linkage first-fit groups of one component.

    ``neighbours`` maps an event id to the ids it matches (the matching graph; a pair that matches
    is always an edge, see blocking), so a group fits a statement when all its members are
    neighbours of it. Groups come out in creation order, each in the fixed order.
    """
    groups: list[list[Item]] = []
    group_of: dict[str, int] = {}
    empty: frozenset[str] = frozenset()
    for item in sorted(items, key=lambda it: it.order):
        near = neighbours.get(item.event_id, empty)
        candidates = sorted({group_of[other] for other in near if other in group_of})
        chosen = next(
            (
                index
                for index in candidates
                if all(member.event_id in near for member in groups[index])
            ),
            None,
        )
        if chosen is None:
            chosen = len(groups)
            groups.append([])
        groups[chosen].append(item)
        group_of[item.event_id] = chosen
    return groups
