"""Clustering: from matching pairs to incidents, deterministically and without chaining.

Matching pairs link statements into connected components (union-find in the index). A component is
not yet an incident: a month-precision "rockets hit the port in February" matches the shelling of
the port on the 3rd and on the 18th, which do not match each other. So inside a component,
statements are grouped by **complete linkage, first fit**: taken in a fixed order, each joins the
first group (in order of creation) whose every member it matches, or opens a new group. Every member
of an incident therefore matches every other: their dates share a common day or interval, their
places are all within 25 km of each other (or inside one region), and no two neutral accounts blame
different sides.

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

from collections.abc import Collection, Iterable, Mapping, Sequence

from ceasefire.pipeline.fusion.blocking import Item, cluster_order


def clusters(
    members: Iterable[int], items: Sequence[Item], neighbours: Mapping[int, Collection[int]]
) -> list[list[Item]]:
    """Complete-linkage first-fit groups of one component.

    ``members`` are positions in ``items``; ``neighbours[i]`` holds the positions that item ``i``
    matches (the matching graph: a pair that matches is always an edge, see blocking), so a group
    fits a statement when all its members are neighbours of it. Groups come out in creation order,
    each in the fixed order.
    """
    groups: list[list[int]] = []
    group_of: dict[int, int] = {}
    for position in sorted(members, key=lambda m: cluster_order(items[m])):
        near = neighbours.get(position, ())
        if len(near) > 8:
            near = set(near)
        candidates = sorted({group_of[other] for other in near if other in group_of})
        chosen = next(
            (index for index in candidates if all(member in near for member in groups[index])),
            None,
        )
        if chosen is None:
            chosen = len(groups)
            groups.append([])
        groups[chosen].append(position)
        group_of[position] = chosen
    return [[items[position] for position in group] for group in groups]
