package io.fhirmig.graph

import io.fhirmig.api.FhirmigException
import spock.lang.Specification

class RevisionGraphSpec extends Specification {

    def "an empty graph is valid and has nothing in it"() {
        when:
        def graph = RevisionGraph.build([])

        then:
        graph.isEmpty()
        graph.revisions() == []
        graph.heads() == []
        graph.roots() == []
        graph.appliedSet([]) == [] as Set
        graph.headsOf([] as Set) == []
    }

    def "revisions are linked both ways"() {
        given:
        def graph = Graphs.graph(Graphs.DIAMOND)

        expect:
        graph.parents('d')*.id() == ['b', 'c']
        graph.parents('a') == []
        graph.children('a')*.id() == ['b', 'c']
        graph.children('b')*.id() == ['d']
        graph.children('d') == []
        graph.roots()*.id() == ['a']
        graph.heads()*.id() == ['d']
        graph.get('c').file() == '0003_c.groovy'
        graph.find('zz').isEmpty()
        graph.contains('d')
        !graph.contains('d2')
    }

    def "parents keep the order the script lists them in"() {
        expect:
        Graphs.graph('a', 'b:a', 'c:a', 'd:c,b').parents('d')*.id() == ['c', 'b']
    }

    def "#name: heads #heads"() {
        expect:
        Graphs.graph(specs as String[]).heads()*.id() == heads

        where:
        name        | specs                   | heads
        'linear'    | Graphs.LINEAR           | ['d']
        'diamond'   | Graphs.DIAMOND          | ['d']
        'branches'  | Graphs.BRANCHES         | ['c', 'x']
        'three-way' | Graphs.THREE_WAY_MERGE  | ['m']
        'open fan'  | ['a', 'b:a', 'c:a', 'e:a'] | ['b', 'c', 'e']
    }

    def "revisions come parents first, ties broken by file name then id"() {
        given: 'files numbered so that file order and id order disagree'
        def graph = RevisionGraph.build([
                new Revision('a', [], '0001.groovy'),
                new Revision('b', ['a'], '0005.groovy'),
                new Revision('c', ['a'], '0002.groovy'),
                new Revision('d', ['b'], '0003.groovy'),
                new Revision('e', ['c'], '0009.groovy'),
                new Revision('g', ['c'], '0004.groovy'),
                new Revision('f', ['c'], '0004.groovy')])

        expect: 'c (0002) before b (0005); d (0003) waits for b; f before g on the same file name'
        graph.revisions()*.id() == ['a', 'c', 'f', 'g', 'b', 'd', 'e']
        graph.heads()*.id() == ['d', 'f', 'g', 'e']
    }

    def "a child whose file sorts first still comes after its parent"() {
        given:
        def graph = RevisionGraph.build([
                new Revision('child', ['root'], '0001.groovy'),
                new Revision('root', [], '0002.groovy')])

        expect:
        graph.revisions()*.id() == ['root', 'child']
    }

    def "in a long graph a few ancestors and most of them come in graph order alike: #id"() {
        given: 'a chain of 100 with a side branch from r010, its files named against the graph order'
        def revisions = (1..100).collect { int i ->
            new Revision(String.format('r%03d', i), i == 1 ? [] : [String.format('r%03d', i - 1)], String.format('%03d.groovy', 101 - i))
        } + [new Revision('side', ['r010'], '000_side.groovy')]
        def graph = RevisionGraph.build(revisions)
        def order = graph.revisions()*.id()

        expect:
        graph.ancestors(id) as List == order.findAll { it in expected(order) }
        graph.appliedSet([id]) as List == graph.ancestors(id) as List
        graph.ancestors(id).size() == size

        where:
        id     | size | expected
        'r003' | 3    | { List all -> all.subList(0, 3) }
        'r090' | 90   | { List all -> all.findAll { it != 'side' }.subList(0, 90) }
        'side' | 11   | { List all -> all.findAll { it == 'side' || it <= 'r010' } }
    }

    def "ancestors and descendants of #id in the diamond"() {
        given:
        def graph = Graphs.graph(Graphs.DIAMOND)

        expect:
        graph.ancestors(id) as List == ancestors
        graph.descendants(id) as List == descendants

        where:
        id  | ancestors            | descendants
        'a' | ['a']                | ['a', 'b', 'c', 'd']
        'b' | ['a', 'b']           | ['b', 'd']
        'c' | ['a', 'c']           | ['c', 'd']
        'd' | ['a', 'b', 'c', 'd'] | ['d']
    }

    def "resolve '#text' gives #expected"() {
        given:
        def graph = Graphs.graph('ab', 'abc1:ab', 'abd2:abc1', 'f00d:abd2')

        expect:
        graph.resolve(text).id() == expected

        where:
        text   | expected
        'ab'   | 'ab'      // an exact id wins over the ids it is a prefix of
        'abc'  | 'abc1'
        'abd2' | 'abd2'
        'f'    | 'f00d'
    }

    def "resolve '#text' fails: #fragment"() {
        given:
        def graph = Graphs.graph('ab', 'abc1:ab', 'abd2:abc1', 'f00d:abd2')

        when:
        graph.resolve(text)

        then:
        def e = thrown(FhirmigException)
        e.kind() == FhirmigException.Kind.USAGE
        e.message.contains(fragment)

        where:
        text  | fragment
        'a'   | "revision 'a' is ambiguous: it is the start of 3 revision ids: ab (0001_ab.groovy), abc1 (0002_abc1.groovy), abd2 (0003_abd2.groovy); give more characters"
        'abx' | "no such revision 'abx': no migration's revision id starts with it"
        'b'   | "no such revision 'b'"
        ''    | 'an empty revision names nothing'
    }

    def "an ambiguous prefix with many candidates lists ten and counts the rest"() {
        given:
        def specs = ['r'] + (10..21).collect { "x$it:r".toString() }
        def graph = Graphs.graph(specs as String[])

        when:
        graph.resolve('x')

        then:
        def e = thrown(FhirmigException)
        e.message.contains('start of 12 revision ids: x10 (0002_x10.groovy)')
        e.message.contains('x19 (0011_x19.groovy) and 2 more;')
        !e.message.contains('x20')
    }

    def "get of an unknown id is a usage error"() {
        when:
        Graphs.graph(Graphs.LINEAR).get('zz')

        then:
        def e = thrown(FhirmigException)
        e.kind() == FhirmigException.Kind.USAGE
        e.message == "no such revision 'zz': no migration declares it"
    }

    def "applied set of #stored in #name is #applied"() {
        expect:
        Graphs.graph(specs as String[]).appliedSet(stored) as List == applied

        where:
        name       | specs                  | stored     | applied
        'linear'   | Graphs.LINEAR          | []         | []
        'linear'   | Graphs.LINEAR          | ['c']      | ['a', 'b', 'c']
        'linear'   | Graphs.LINEAR          | ['b', 'c'] | ['a', 'b', 'c']
        'diamond'  | Graphs.DIAMOND         | ['b']      | ['a', 'b']
        'diamond'  | Graphs.DIAMOND         | ['b', 'c'] | ['a', 'b', 'c']
        'diamond'  | Graphs.DIAMOND         | ['d']      | ['a', 'b', 'c', 'd']
        'branches' | Graphs.BRANCHES        | ['c', 'x'] | ['a', 'b', 'c', 'x']
        'branches' | Graphs.BRANCHES        | ['x']      | ['a', 'x']
    }

    def "a stored head that no script declares points at stamp"() {
        when:
        Graphs.graph(Graphs.LINEAR).appliedSet(stored)

        then:
        def e = thrown(FhirmigException)
        e.kind() == FhirmigException.Kind.INVALID_MIGRATIONS
        e.message.startsWith(start)
        e.message.contains('`fhirmig stamp REVISION`')

        where:
        stored             | start
        ['b', 'gone']      | "the server's head 'gone' is declared by no script"
        ['zz', 'b', 'yy']  | "the server's heads 'yy', 'zz' are declared by no script"
    }

    def "heads of #applied in #name are #heads"() {
        expect:
        Graphs.graph(specs as String[]).headsOf(applied as Set) == heads

        where:
        name        | specs                  | applied                   | heads
        'linear'    | Graphs.LINEAR          | ['a', 'b']                | ['b']
        'diamond'   | Graphs.DIAMOND         | ['a', 'b', 'c']           | ['b', 'c']
        'diamond'   | Graphs.DIAMOND         | ['a', 'b', 'c', 'd']      | ['d']
        'three-way' | Graphs.THREE_WAY_MERGE | ['e', 'a', 'c', 'b']      | ['b', 'c', 'e']
        'branches'  | Graphs.BRANCHES        | ['a', 'x', 'b']           | ['b', 'x']
        'branches'  | Graphs.BRANCHES        | []                        | []
    }

    def "headsOf rejects an id the graph does not know"() {
        when:
        Graphs.graph(Graphs.LINEAR).headsOf(['a', 'q'] as Set)

        then:
        thrown(IllegalArgumentException)
    }

    def "a revision's parent list cannot be changed afterwards"() {
        given:
        def parents = ['a']
        def revision = new Revision('b', parents, 'f')

        when:
        parents << 'c'

        then:
        revision.downRevisions() == ['a']
        new Revision('a', null, 'f').isRoot()
        new Revision('m', ['a', 'b'], 'f').isMerge()
    }
}
