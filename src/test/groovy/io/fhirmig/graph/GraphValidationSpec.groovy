package io.fhirmig.graph

import io.fhirmig.api.FhirmigException
import spock.lang.Specification

import static io.fhirmig.graph.GraphProblem.Kind.*

class GraphValidationSpec extends Specification {

    def "valid graphs have no problem: #name"() {
        expect:
        RevisionGraph.validate(Graphs.revisions(specs as String[])) == []

        where:
        name          | specs
        'empty'       | []
        'single root' | ['a']
        'linear'      | Graphs.LINEAR
        'diamond'     | Graphs.DIAMOND
        'three-way'   | Graphs.THREE_WAY_MERGE
        'branches'    | Graphs.BRANCHES
    }

    def "#kind is reported with the files involved"() {
        when:
        def problems = RevisionGraph.validate(Graphs.revisions(specs as String[]))

        then:
        problems*.kind() == [kind]
        problems[0].files() == files
        fragments.every { problems[0].message().contains(it) }

        where:
        kind                   | specs                         | files                                                 | fragments
        DUPLICATE_REVISION     | ['a', 'b:a', 'b:a']           | ['0002_b.groovy', '0003_b.groovy']                    | ["revision 'b' is declared by 2 files: 0002_b.groovy, 0003_b.groovy", 'give all but one of them a new revision id']
        UNKNOWN_DOWN_REVISION  | ['a', 'b:a', 'c:zz']          | ['0003_c.groovy']                                     | ["0003_c.groovy: downRevision 'zz' of revision 'c' is declared by no migration", 'restore the missing migration']
        UNKNOWN_DOWN_REVISION  | ['a1b2', 'c:a1']              | ['0002_c.groovy']                                     | ["downRevision 'a1'", 'did you mean a1b2 (0001_a1b2.groovy)? downRevision needs the full id']
        CYCLE                  | ['r', 'a:r,c', 'b:a', 'c:b']  | ['0002_a.groovy', '0003_b.groovy', '0004_c.groovy']   | ['cycle: a -> b -> c -> a (each is the downRevision of the next)', 'in 0002_a.groovy, 0003_b.groovy, 0004_c.groovy', 'fix the downRevision of one of them']
        CYCLE                  | ['a', 'b:a,b']                | ['0002_b.groovy']                                     | ['cycle: b -> b ']
        MULTIPLE_ROOTS         | ['a', 'b', 'c:a', 'd']        | ['0001_a.groovy', '0002_b.groovy', '0004_d.groovy']   | ['3 migrations have no downRevision: a (0001_a.groovy), b (0002_b.groovy), d (0004_d.groovy)', 'set the downRevision of each of the others']
        INVALID_REVISION_ID    | ['a', 'b c:a']                | ['0002_b c.groovy']                                   | ["0002_b c.groovy: revision 'b c' is not a valid revision id", "letters, digits, '_' and '-'"]
        REPEATED_DOWN_REVISION | ['a', 'b:a,a']                | ['0002_b.groovy']                                     | ["0002_b.groovy: downRevision names 'a' more than once"]
    }

    def "a cycle with no root is a cycle, not a missing root"() {
        when:
        def problems = RevisionGraph.validate(Graphs.revisions('a:c', 'b:a', 'c:b'))

        then:
        problems*.kind() == [CYCLE]
        problems[0].message().contains('a -> b -> c -> a')
    }

    def "a cycle is printed shortest way round, and other members of its loop are named"() {
        // b and c both lead back to a; d hangs in the same loop only through c
        when:
        def problems = RevisionGraph.validate(Graphs.revisions('r', 'a:r,b', 'b:a', 'c:a,d', 'd:c'))

        then:
        problems*.kind() == [CYCLE, CYCLE]
        problems[0].message().contains('a -> b -> a')
        problems[0].files() == ['0002_a.groovy', '0003_b.groovy']
        problems[1].message().contains('c -> d -> c')
        problems[1].files() == ['0004_c.groovy', '0005_d.groovy']
    }

    def "a component larger than the printed cycle names the rest of it"() {
        when:
        def problems = RevisionGraph.validate(Graphs.revisions('r', 'a:r,c', 'b:a', 'c:b,e', 'e:b'))

        then:
        problems*.kind() == [CYCLE]
        problems[0].message().contains('a -> b -> c -> a')
        problems[0].message().contains('and e loop through it too')
        problems[0].files() == ['0002_a.groovy', '0003_b.groovy', '0004_c.groovy', '0005_e.groovy']
    }

    def "every problem is reported at once"() {
        given:
        def revisions = Graphs.revisions('a', 'b', 'b:a', 'c:zz', 'd:e', 'e:d', 'f g:a')

        when:
        def problems = RevisionGraph.validate(revisions)

        then:
        problems*.kind() == [DUPLICATE_REVISION, INVALID_REVISION_ID, UNKNOWN_DOWN_REVISION, MULTIPLE_ROOTS, CYCLE]
        problems*.files() == [
                ['0002_b.groovy', '0003_b.groovy'],
                ['0007_f g.groovy'],
                ['0004_c.groovy'],
                ['0001_a.groovy', '0002_b.groovy'],
                ['0005_d.groovy', '0006_e.groovy']]
        problems[4].message().contains('d -> e -> d')
    }

    def "build throws one exception that carries and lists every problem"() {
        when:
        RevisionGraph.build(Graphs.revisions('a', 'b', 'c:zz'))

        then:
        def e = thrown(InvalidGraphException)
        e.kind() == FhirmigException.Kind.INVALID_MIGRATIONS
        e.problems()*.kind() == [UNKNOWN_DOWN_REVISION, MULTIPLE_ROOTS]
        e.message.startsWith('The migrations do not form a valid revision graph (2 problems):')
        e.message.contains("\n  - 0003_c.groovy: downRevision 'zz'")
        e.message.contains('\n  - 2 migrations have no downRevision: a (0001_a.groovy), b (0002_b.groovy)')
    }

    def "problems come out in the same order whatever order the revisions are given in"() {
        given:
        def revisions = Graphs.revisions('a', 'b', 'c:zz', 'd:y', 'e:f', 'f:e')

        expect:
        RevisionGraph.validate(revisions.reverse()) == RevisionGraph.validate(revisions)
        RevisionGraph.validate(revisions.reverse())*.kind() == [UNKNOWN_DOWN_REVISION, UNKNOWN_DOWN_REVISION, MULTIPLE_ROOTS, CYCLE]
    }
}
