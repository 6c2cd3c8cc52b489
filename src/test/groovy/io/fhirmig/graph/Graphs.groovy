package io.fhirmig.graph

/**
 * Builds small graphs for the specifications from a compact notation: 'b:a' is revision b with
 * parent a, 'd:b,c' is a merge, 'a' a root. Files are numbered in the order given
 * (0001_a.groovy, 0002_b.groovy, ...), so file order is the order written unless a test says
 * otherwise.
 */
class Graphs {

    static List<Revision> revisions(String... specs) {
        specs.toList().withIndex().collect { String spec, int i ->
            String id = spec.contains(':') ? spec.substring(0, spec.indexOf(':')) : spec
            String parents = spec.contains(':') ? spec.substring(spec.indexOf(':') + 1) : ''
            new Revision(id, parents ? parents.split(',').toList() : [], String.format('%04d_%s.groovy', i + 1, id))
        }
    }

    static RevisionGraph graph(String... specs) {
        RevisionGraph.build(revisions(specs))
    }

    static final String[] LINEAR = ['a', 'b:a', 'c:b', 'd:c']
    static final String[] DIAMOND = ['a', 'b:a', 'c:a', 'd:b,c']
    static final String[] THREE_WAY_MERGE = ['a', 'b:a', 'c:a', 'e:a', 'm:b,c,e']
    /** Two unmerged branches from a: a-b-c and a-x. */
    static final String[] BRANCHES = ['a', 'b:a', 'c:b', 'x:a']
}
