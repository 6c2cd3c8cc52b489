package io.fhirmig.graph

import io.fhirmig.api.Direction;
import io.fhirmig.api.FhirmigException
import spock.lang.Specification
import spock.lang.Timeout

import static io.fhirmig.api.Direction.DOWNGRADE
import static io.fhirmig.api.Direction.UPGRADE

class PlannerSpec extends Specification {

    static Plan plan(specs, Direction direction, List<String> stored, String target) {
        def planner = new Planner(Graphs.graph(specs as String[]))
        direction == UPGRADE ? planner.upgrade(stored, Target.parse(target))
                : planner.downgrade(stored, Target.parse(target))
    }

    def "#name: #direction from #stored to '#target' runs #ids"() {
        when:
        def plan = plan(specs, direction, stored, target)

        then:
        plan.direction() == direction
        plan.revisionIds() == ids
        plan.steps()*.headsAfter() == heads
        plan.steps().every { it.direction() == direction }
        plan.isEmpty() == ids.isEmpty()

        where:
        name        | specs                  | direction | stored          | target  | ids                       | heads
        'linear'    | Graphs.LINEAR          | UPGRADE   | []              | 'head'  | ['a', 'b', 'c', 'd']      | [['a'], ['b'], ['c'], ['d']]
        'linear'    | Graphs.LINEAR          | UPGRADE   | []              | 'heads' | ['a', 'b', 'c', 'd']      | [['a'], ['b'], ['c'], ['d']]
        'linear'    | Graphs.LINEAR          | UPGRADE   | ['b']           | 'head'  | ['c', 'd']                | [['c'], ['d']]
        'linear'    | Graphs.LINEAR          | UPGRADE   | ['d']           | 'head'  | []                        | []
        'linear'    | Graphs.LINEAR          | UPGRADE   | []              | 'base'  | []                        | []
        'linear'    | Graphs.LINEAR          | UPGRADE   | ['b']           | 'base'  | []                        | []
        'linear'    | Graphs.LINEAR          | UPGRADE   | []              | 'c'     | ['a', 'b', 'c']           | [['a'], ['b'], ['c']]
        'linear'    | Graphs.LINEAR          | UPGRADE   | ['c']           | 'b'     | []                        | []
        'linear'    | Graphs.LINEAR          | UPGRADE   | []              | '+1'    | ['a']                     | [['a']]
        'linear'    | Graphs.LINEAR          | UPGRADE   | ['a']           | '+2'    | ['b', 'c']                | [['b'], ['c']]
        'linear'    | Graphs.LINEAR          | UPGRADE   | []              | '+4'    | ['a', 'b', 'c', 'd']      | [['a'], ['b'], ['c'], ['d']]
        'linear'    | Graphs.LINEAR          | DOWNGRADE | ['d']           | 'base'  | ['d', 'c', 'b', 'a']      | [['c'], ['b'], ['a'], []]
        'linear'    | Graphs.LINEAR          | DOWNGRADE | ['d']           | '-1'    | ['d']                     | [['c']]
        'linear'    | Graphs.LINEAR          | DOWNGRADE | ['d']           | '-4'    | ['d', 'c', 'b', 'a']      | [['c'], ['b'], ['a'], []]
        'linear'    | Graphs.LINEAR          | DOWNGRADE | ['d']           | 'b'     | ['d', 'c']                | [['c'], ['b']]
        'linear'    | Graphs.LINEAR          | DOWNGRADE | ['b']           | 'b'     | []                        | []
        'linear'    | Graphs.LINEAR          | DOWNGRADE | []              | 'base'  | []                        | []
        'diamond'   | Graphs.DIAMOND         | UPGRADE   | []              | 'head'  | ['a', 'b', 'c', 'd']      | [['a'], ['b'], ['b', 'c'], ['d']]
        'diamond'   | Graphs.DIAMOND         | UPGRADE   | []              | 'b'     | ['a', 'b']                | [['a'], ['b']]
        'diamond'   | Graphs.DIAMOND         | UPGRADE   | ['b']           | 'c'     | ['c']                     | [['b', 'c']]
        'diamond'   | Graphs.DIAMOND         | UPGRADE   | ['b']           | 'head'  | ['c', 'd']                | [['b', 'c'], ['d']]
        'diamond'   | Graphs.DIAMOND         | UPGRADE   | ['b']           | '+1'    | ['c', 'd']                | [['b', 'c'], ['d']]
        'diamond'   | Graphs.DIAMOND         | UPGRADE   | ['b', 'c']      | '+1'    | ['d']                     | [['d']]
        'diamond'   | Graphs.DIAMOND         | DOWNGRADE | ['d']           | 'b'     | ['d']                     | [['b', 'c']]
        'diamond'   | Graphs.DIAMOND         | DOWNGRADE | ['d']           | 'c'     | ['d']                     | [['b', 'c']]
        'diamond'   | Graphs.DIAMOND         | DOWNGRADE | ['d']           | 'a'     | ['d', 'c', 'b']           | [['b', 'c'], ['b'], ['a']]
        'diamond'   | Graphs.DIAMOND         | DOWNGRADE | ['d']           | '-1'    | ['d']                     | [['b', 'c']]
        'diamond'   | Graphs.DIAMOND         | DOWNGRADE | ['b', 'c']      | 'b'     | []                        | []
        'diamond'   | Graphs.DIAMOND         | DOWNGRADE | ['b', 'c']      | 'a'     | ['c', 'b']                | [['b'], ['a']]
        'diamond'   | Graphs.DIAMOND         | DOWNGRADE | ['d']           | 'base'  | ['d', 'c', 'b', 'a']      | [['b', 'c'], ['b'], ['a'], []]
        'three-way' | Graphs.THREE_WAY_MERGE | UPGRADE   | []              | 'head'  | ['a', 'b', 'c', 'e', 'm'] | [['a'], ['b'], ['b', 'c'], ['b', 'c', 'e'], ['m']]
        'three-way' | Graphs.THREE_WAY_MERGE | UPGRADE   | ['b']           | '+1'    | ['c', 'e', 'm']           | [['b', 'c'], ['b', 'c', 'e'], ['m']]
        'three-way' | Graphs.THREE_WAY_MERGE | UPGRADE   | ['b', 'c', 'e'] | 'head'  | ['m']                     | [['m']]
        'three-way' | Graphs.THREE_WAY_MERGE | UPGRADE   | ['e']           | 'heads' | ['b', 'c', 'm']           | [['b', 'e'], ['b', 'c', 'e'], ['m']]
        'three-way' | Graphs.THREE_WAY_MERGE | DOWNGRADE | ['m']           | 'c'     | ['m']                     | [['b', 'c', 'e']]
        'three-way' | Graphs.THREE_WAY_MERGE | DOWNGRADE | ['m']           | 'a'     | ['m', 'e', 'c', 'b']      | [['b', 'c', 'e'], ['b', 'c'], ['b'], ['a']]
        'three-way' | Graphs.THREE_WAY_MERGE | DOWNGRADE | ['m']           | '-1'    | ['m']                     | [['b', 'c', 'e']]
        'branches'  | Graphs.BRANCHES        | UPGRADE   | []              | 'heads' | ['a', 'b', 'c', 'x']      | [['a'], ['b'], ['c'], ['c', 'x']]
        'branches'  | Graphs.BRANCHES        | UPGRADE   | []              | 'x'     | ['a', 'x']                | [['a'], ['x']]
        'branches'  | Graphs.BRANCHES        | UPGRADE   | ['c']           | 'x'     | ['x']                     | [['c', 'x']]
        'branches'  | Graphs.BRANCHES        | UPGRADE   | ['x']           | 'c'     | ['b', 'c']                | [['b', 'x'], ['c', 'x']]
        'branches'  | Graphs.BRANCHES        | UPGRADE   | ['b', 'x']      | '+1'    | ['c']                     | [['c', 'x']]
        'branches'  | Graphs.BRANCHES        | DOWNGRADE | ['c', 'x']      | 'b'     | ['c']                     | [['b', 'x']]
        'branches'  | Graphs.BRANCHES        | DOWNGRADE | ['c', 'x']      | 'x'     | []                        | []
        'branches'  | Graphs.BRANCHES        | DOWNGRADE | ['c', 'x']      | 'a'     | ['x', 'c', 'b']           | [['c'], ['b'], ['a']]
        'branches'  | Graphs.BRANCHES        | DOWNGRADE | ['c', 'x']      | 'base'  | ['x', 'c', 'b', 'a']      | [['c'], ['b'], ['a'], []]
        'prefix'    | ['a1', 'b22:a1']       | UPGRADE   | []              | 'b2'    | ['a1', 'b22']             | [['a1'], ['b22']]
        'prefix'    | ['a1', 'b22:a1']       | DOWNGRADE | ['b22']         | 'a'     | ['b22']                   | [['a1']]
    }

    def "ties between ready revisions are broken by file name, not by id"() {
        given: 'b and c both follow a; c is in the file that sorts first'
        def graph = RevisionGraph.build([
                new Revision('a', [], '0001_a.groovy'),
                new Revision('b', ['a'], '0003_b.groovy'),
                new Revision('c', ['a'], '0002_c.groovy'),
                new Revision('d', ['b', 'c'], '0004_d.groovy')])
        def planner = new Planner(graph)

        expect:
        planner.upgrade([], Target.HEAD).revisionIds() == ['a', 'c', 'b', 'd']
        planner.downgrade(['d'], Target.BASE).revisionIds() == ['d', 'b', 'c', 'a']
    }

    def "#name: #direction from #stored to '#target' is refused: #fragment"() {
        when:
        plan(specs, direction, stored, target)

        then:
        def e = thrown(FhirmigException)
        e.kind() == kind
        e.message.contains(fragment)

        where:
        name        | specs                  | direction | stored     | target   | kind       | fragment
        'branches'  | Graphs.BRANCHES        | UPGRADE   | []         | 'head'   | USAGE      | "'head' is ambiguous: the migrations have 2 heads, c (0003_c.groovy), x (0004_x.groovy); join them with `fhirmig merge c x`, or upgrade to `heads`"
        'linear'    | Graphs.LINEAR          | UPGRADE   | []         | 'zz'     | USAGE      | "no such revision 'zz'"
        'prefix'    | ['ab1', 'ab2:ab1']     | UPGRADE   | []         | 'ab'     | USAGE      | "revision 'ab' is ambiguous: it is the start of 2 revision ids: ab1 (0001_ab1.groovy), ab2 (0002_ab2.groovy)"
        'prefix'    | ['ab1', 'ab2:ab1']     | DOWNGRADE | ['ab2']    | 'ab'     | USAGE      | "revision 'ab' is ambiguous"
        'linear'    | Graphs.LINEAR          | UPGRADE   | ['b']      | '-1'     | USAGE      | "upgrade moves up, so '-1' is no upgrade target; use `fhirmig downgrade -1`"
        'linear'    | Graphs.LINEAR          | DOWNGRADE | ['b']      | '+1'     | USAGE      | "downgrade moves down, so '+1' is no downgrade target; use `fhirmig upgrade +1`"
        'linear'    | Graphs.LINEAR          | DOWNGRADE | ['d']      | 'head'   | USAGE      | "'head' is no downgrade target: downgrade to base, -N or a revision"
        'linear'    | Graphs.LINEAR          | DOWNGRADE | ['d']      | 'heads'  | USAGE      | "'heads' is no downgrade target"
        'linear'    | Graphs.LINEAR          | DOWNGRADE | ['b']      | 'c'      | USAGE      | "cannot downgrade to c (0003_c.groovy): it is not applied (the applied heads are b); downgrade to an applied revision, or run `fhirmig upgrade c`"
        'linear'    | Graphs.LINEAR          | DOWNGRADE | []         | 'a'      | USAGE      | "cannot downgrade to a (0001_a.groovy): it is not applied (nothing is)"
        'branches'  | Graphs.BRANCHES        | DOWNGRADE | ['c']      | 'x'      | USAGE      | "cannot downgrade to x (0004_x.groovy): it is not applied"
        'linear'    | Graphs.LINEAR          | DOWNGRADE | ['b']      | '-3'     | USAGE      | "-3 goes below base: only 2 revisions are applied; downgrade to `base` to revert them all"
        'linear'    | Graphs.LINEAR          | DOWNGRADE | ['a']      | '-2'     | USAGE      | "-2 goes below base: only 1 revision is applied; downgrade to `base` to revert it"
        'linear'    | Graphs.LINEAR          | DOWNGRADE | []         | '-1'     | USAGE      | "-1 goes below base: nothing is applied"
        'linear'    | Graphs.LINEAR          | UPGRADE   | ['b']      | '+3'     | USAGE      | "+3 goes beyond the head: only 2 steps lie above the applied head 'b'; upgrade to `head`"
        'linear'    | Graphs.LINEAR          | UPGRADE   | ['c']      | '+2'     | USAGE      | "+2 goes beyond the head: only 1 step lies above the applied head 'c'"
        'linear'    | Graphs.LINEAR          | UPGRADE   | ['d']      | '+1'     | USAGE      | "+1 goes beyond the head: no revision lies above the applied head 'd'"
        'linear'    | Graphs.LINEAR          | UPGRADE   | []         | '+5'     | USAGE      | "+5 goes beyond the head: only 4 steps lie above base"
        'branches'  | Graphs.BRANCHES        | UPGRADE   | ['c', 'x'] | '+1'     | USAGE      | "+1 goes beyond the head: no revision lies above the applied heads 'c', 'x'"
        'diamond'   | Graphs.DIAMOND         | UPGRADE   | ['a']      | '+1'     | USAGE      | "+1 is ambiguous: the graph branches after 'a' and the next revision could be any of b (0002_b.groovy), c (0003_c.groovy); name the revision to upgrade to"
        'diamond'   | Graphs.DIAMOND         | UPGRADE   | []         | '+2'     | USAGE      | "+2 is ambiguous: after 1 step, the graph branches after 'a'"
        'branches'  | Graphs.BRANCHES        | UPGRADE   | ['x']      | '+1'     | USAGE      | "+1 goes beyond the head: no revision lies above the applied head 'x'"
        'three-way' | ['a', 'b:a', 'c:a', 'd:b', 'e:c'] | UPGRADE | ['b', 'c'] | '+1' | USAGE | "+1 is ambiguous: the applied heads are b, c and the next revision could be any of d (0004_d.groovy), e (0005_e.groovy)"
        'diamond'   | Graphs.DIAMOND         | DOWNGRADE | ['b', 'c'] | '-1'     | USAGE      | "-1 is ambiguous: 2 heads are applied (b, c) and a step down could revert any of them; name the revision to downgrade to"
        'diamond'   | Graphs.DIAMOND         | DOWNGRADE | ['d']      | '-2'     | USAGE      | "-2 is ambiguous: after reverting d, 2 heads are applied (b, c)"
        'three-way' | Graphs.THREE_WAY_MERGE | DOWNGRADE | ['m']      | '-3'     | USAGE      | "-3 is ambiguous: after reverting m, 3 heads are applied (b, c, e)"
        'branches'  | Graphs.BRANCHES        | DOWNGRADE | ['c', 'x'] | '-5'     | USAGE      | "-5 is ambiguous: 2 heads are applied (c, x)"
        'linear'    | Graphs.LINEAR          | UPGRADE   | ['gone']   | 'head'   | INVALID    | "the server's head 'gone' is declared by no script"
        'linear'    | Graphs.LINEAR          | DOWNGRADE | ['gone']   | 'base'   | INVALID    | "`fhirmig stamp REVISION`"
        'empty'     | []                     | UPGRADE   | []         | '+1'     | USAGE      | '+1 goes beyond the head: there are no migrations'
        'empty'     | []                     | UPGRADE   | []         | 'a'      | USAGE      | "no such revision 'a': no migration's revision id starts with it (there are no migrations)"
    }

    static final FhirmigException.Kind USAGE = FhirmigException.Kind.USAGE
    static final FhirmigException.Kind INVALID = FhirmigException.Kind.INVALID_MIGRATIONS

    def "branches: the ambiguous-head message is the whole story"() {
        when:
        plan(Graphs.BRANCHES, UPGRADE, [], 'head')

        then:
        def e = thrown(FhirmigException)
        e.message == "'head' is ambiguous: the migrations have 2 heads, c (0003_c.groovy), x (0004_x.groovy);" +
                " join them with `fhirmig merge c x`, or upgrade to `heads` (all of them) or to one revision"
    }

    def "an empty graph plans nothing for #direction to '#target'"() {
        expect:
        plan([] as String[], direction, [], target).isEmpty()

        where:
        direction | target
        UPGRADE   | 'head'
        UPGRADE   | 'heads'
        UPGRADE   | 'base'
        DOWNGRADE | 'base'
    }

    def "#name: upgrading base to heads and back to base visits every revision once each way"() {
        given:
        def graph = Graphs.graph(specs as String[])
        def planner = new Planner(graph)

        when:
        def up = planner.upgrade([], Target.HEADS)
        def down = planner.downgrade(up.steps().last().headsAfter(), Target.BASE)

        then:
        up.revisionIds() as Set == graph.revisions()*.id() as Set
        up.revisionIds().size() == graph.revisions().size()
        up.revisionIds() == graph.revisions()*.id()
        up.steps().last().headsAfter() == graph.heads()*.id().sort()
        down.revisionIds() == up.revisionIds().reverse()
        down.steps().last().headsAfter() == []
        and: 'each step down stores what was stored before the matching step up'
        down.steps()*.headsAfter() == ([[]] + up.steps()*.headsAfter()).reverse().drop(1)

        where:
        name        | specs
        'linear'    | Graphs.LINEAR
        'diamond'   | Graphs.DIAMOND
        'three-way' | Graphs.THREE_WAY_MERGE
        'branches'  | Graphs.BRANCHES
    }

    def "-N steps down through a merge one revision at a time, as +N steps up through it"() {
        given:
        def planner = new Planner(Graphs.graph('a', 'b:a', 'c:a', 'd:b,c', 'e:d', 'f:e'))

        expect: 'from f, -3 reverts f, e and the merge d, leaving both branches'
        planner.downgrade(['f'], Target.parse('-3')).steps().last().headsAfter() == ['b', 'c']
        and: 'from b, +1 is the merge (with c, which it needs) and +2 goes on to e'
        planner.upgrade(['b'], Target.parse('+1')).revisionIds() == ['c', 'd']
        planner.upgrade(['b'], Target.parse('+2')).revisionIds() == ['c', 'd', 'e']
        planner.upgrade(['b', 'c'], Target.parse('+3')).revisionIds() == ['d', 'e', 'f']
    }

    @Timeout(20)
    def "a chain of 5000 revisions plans, and a cycle through all of them is found, without deep recursion"() {
        given:
        def specs = ['r0'] + (1..<5000).collect { "r$it:r${it - 1}".toString() } + ['side:r0', 'top:r4999,side']
        def graph = Graphs.graph(specs as String[])
        def planner = new Planner(graph)

        when:
        def up = planner.upgrade([], Target.HEAD)
        def down = planner.downgrade(['top'], Target.BASE)

        then:
        up.steps().size() == 5002
        up.revisionIds().take(3) == ['r0', 'r1', 'r2']
        up.steps().last().headsAfter() == ['top']
        down.revisionIds() == up.revisionIds().reverse()
        RevisionGraph.validate(Graphs.revisions((specs + ['r0:top']) as String[]).drop(1))*.kind() == [GraphProblem.Kind.CYCLE]
    }
}
