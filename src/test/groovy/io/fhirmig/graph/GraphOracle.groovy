package io.fhirmig.graph

/**
 * Answers graph questions straight from the revisions, without RevisionGraph, so that the
 * property specification checks the graph and the planner against an independent computation.
 */
class GraphOracle {

    final Map<String, List<String>> parents = [:]
    final Map<String, List<String>> children = [:]

    GraphOracle(List<Revision> revisions) {
        revisions.each { parents[it.id()] = it.downRevisions(); children[it.id()] = [] }
        revisions.each { r -> r.downRevisions().each { p -> children[p] << r.id() } }
    }

    List<String> ids() {
        parents.keySet() as List
    }

    Set<String> ancestors(Collection<String> ids) {
        closure(ids, parents)
    }

    Set<String> descendants(String id) {
        closure([id], children)
    }

    /** Members of the set with no child in it, sorted: what the server must store. */
    List<String> heads(Set<String> applied) {
        applied.findAll { id -> !children[id].any { it in applied } }.sort()
    }

    List<String> roots() {
        parents.findAll { id, ps -> ps.isEmpty() }.keySet() as List
    }

    private static Set<String> closure(Collection<String> start, Map<String, List<String>> next) {
        Set<String> seen = new HashSet<>()
        List<String> todo = new ArrayList<>(start)
        while (todo) {
            String id = todo.remove(todo.size() - 1)
            if (seen.add(id)) {
                todo.addAll(next[id])
            }
        }
        seen
    }
}
