package io.fhirmig.graph

import io.fhirmig.api.Direction;
import io.fhirmig.api.FhirmigException
import spock.lang.Specification

/**
 * Properties of plans over a few hundred random graphs (branches and merges of two or three
 * parents, file order shuffled against the topological order), checked against GraphOracle.
 * Every feature runs GRAPHS_PER_SEED graphs for each seed, so a failure names its seed.
 */
class PlannerPropertySpec extends Specification {

    static final List<Long> SEEDS = [1L, 7L, 42L, 1234L, 987654321L]
    static final int GRAPHS_PER_SEED = 60
    static final int CASES_PER_GRAPH = 5

    /** A random DAG: each revision's parents come earlier in the list, so there is no cycle. */
    static List<Revision> randomRevisions(Random random) {
        int size = 1 + random.nextInt(25)
        List<Integer> fileNumbers = (0..<size).toList()
        Collections.shuffle(fileNumbers, random)
        (0..<size).collect { int i ->
            Set<String> parents = new LinkedHashSet<>()
            if (i > 0) {
                int count = (i >= 2 && random.nextDouble() < 0.2) ? 2 + random.nextInt(Math.min(2, i - 1)) : 1
                while (parents.size() < count) {
                    // half the time the previous revision, which makes chains; else any earlier one, which branches
                    int parent = random.nextBoolean() ? i - 1 : random.nextInt(i)
                    parents << "r$parent".toString()
                }
            }
            new Revision("r$i".toString(), parents as List, String.format('%03d_m.groovy', fileNumbers[i]))
        }
    }

    /** A random applied set, closed under ancestors as every applied set is; often base. */
    static Set<String> randomApplied(GraphOracle oracle, Random random) {
        double share = random.nextDouble() * 0.3
        oracle.ancestors(oracle.ids().findAll { random.nextDouble() < share })
    }

    static String randomId(GraphOracle oracle, Random random) {
        oracle.ids()[random.nextInt(oracle.ids().size())]
    }

    /** Runs an upgrade plan on the set, checking every step; gives back the set at the end. */
    static Set<String> replayUpgrade(GraphOracle oracle, Set<String> start, Plan plan) {
        assert plan.direction() == Direction.UPGRADE
        Set<String> applied = new HashSet<>(start)
        plan.steps().each { step ->
            String id = step.revision().id()
            assert step.direction() == Direction.UPGRADE
            assert !(id in applied): "$id applied twice"
            assert applied.containsAll(oracle.parents[id]): "$id applied before its parents"
            applied << id
            assert step.headsAfter() == oracle.heads(applied)
        }
        applied
    }

    /** Runs a downgrade plan on the set, checking every step; gives back the set at the end. */
    static Set<String> replayDowngrade(GraphOracle oracle, Set<String> start, Plan plan) {
        assert plan.direction() == Direction.DOWNGRADE
        Set<String> applied = new HashSet<>(start)
        plan.steps().each { step ->
            String id = step.revision().id()
            assert step.direction() == Direction.DOWNGRADE
            assert id in applied: "$id reverted but not applied"
            assert !oracle.children[id].any { it in applied }: "$id reverted before its children"
            applied.remove(id)
            assert step.headsAfter() == oracle.heads(applied)
        }
        applied
    }

    /** What the caller stores after running a plan from the given heads. */
    static List<String> storedAfter(List<String> stored, Plan plan) {
        plan.isEmpty() ? stored : plan.steps().last().headsAfter()
    }

    /** The plan, or the usage error the planner gave instead. */
    static Object attempt(Closure<Plan> planning) {
        try {
            planning()
        } catch (FhirmigException e) {
            assert e.kind() == FhirmigException.Kind.USAGE
            e
        }
    }

    def "upgrade plans apply parents before children and store the heads of the applied set (seed #seed)"() {
        given:
        def random = new Random(seed)
        int plans = 0, refused = 0

        when:
        GRAPHS_PER_SEED.times {
            def revisions = randomRevisions(random)
            def oracle = new GraphOracle(revisions)
            def planner = new Planner(RevisionGraph.build(revisions))
            CASES_PER_GRAPH.times {
                def start = randomApplied(oracle, random)
                def target = [randomId(oracle, random), randomId(oracle, random), 'heads', 'head'][random.nextInt(4)]
                def allHeads = oracle.heads(oracle.ids() as Set)
                if (target == 'head' && allHeads.size() > 1) {
                    def e = attempt { planner.upgrade(oracle.heads(start), Target.HEAD) }
                    assert e instanceof FhirmigException && e.message.contains('`fhirmig merge ')
                    assert allHeads.every { e.message.contains(" $it (") }
                    refused++
                    return
                }
                def goal = target in ['head', 'heads'] ? oracle.ids() as Set : oracle.ancestors([target])
                def plan = planner.upgrade(oracle.heads(start), Target.parse(target))
                assert replayUpgrade(oracle, start, plan) == start + goal
                assert plan.revisionIds().size() == (goal - start).size()
                plans++
            }
        }

        then:
        plans + refused == GRAPHS_PER_SEED * CASES_PER_GRAPH
        refused > 0

        where:
        seed << SEEDS
    }

    def "downgrade plans remove children before parents and store the heads of the applied set (seed #seed)"() {
        given:
        def random = new Random(seed)
        int plans = 0, refused = 0, nonEmpty = 0

        when:
        GRAPHS_PER_SEED.times {
            def revisions = randomRevisions(random)
            def oracle = new GraphOracle(revisions)
            def planner = new Planner(RevisionGraph.build(revisions))
            CASES_PER_GRAPH.times {
                def start = randomApplied(oracle, random)
                // aim at applied revisions most of the time, so that most cases plan something
                def target = random.nextInt(5) == 0 ? 'base'
                        : (start && random.nextInt(4) > 0 ? (start as List).sort()[random.nextInt(start.size())] : randomId(oracle, random))
                if (target != 'base' && !(target in start)) {
                    def e = attempt { planner.downgrade(oracle.heads(start), Target.parse(target)) }
                    assert e instanceof FhirmigException && e.message.contains('it is not applied')
                    refused++
                    return
                }
                def reverted = target == 'base' ? start : oracle.descendants(target).intersect(start) - target
                def plan = planner.downgrade(oracle.heads(start), Target.parse(target))
                assert replayDowngrade(oracle, start, plan) == start - reverted
                assert plan.revisionIds().size() == reverted.size()
                plans++
                nonEmpty += plan.isEmpty() ? 0 : 1
            }
        }

        then:
        plans + refused == GRAPHS_PER_SEED * CASES_PER_GRAPH
        refused > 0
        nonEmpty > GRAPHS_PER_SEED

        where:
        seed << SEEDS
    }

    def "upgrading and then downgrading back to the start gives back the starting applied set (seed #seed)"() {
        given:
        def random = new Random(seed)
        int backToStart = 0, backToBase = 0

        when:
        GRAPHS_PER_SEED.times {
            def revisions = randomRevisions(random)
            def oracle = new GraphOracle(revisions)
            def graph = RevisionGraph.build(revisions)
            def planner = new Planner(graph)

            // all the way up and all the way down: every revision once each way, in mirror order
            def up = planner.upgrade([], Target.HEADS)
            def down = planner.downgrade(storedAfter([], up), Target.BASE)
            assert replayUpgrade(oracle, [] as Set, up) == oracle.ids() as Set
            assert replayDowngrade(oracle, oracle.ids() as Set, down).isEmpty()
            assert up.revisionIds() == graph.revisions()*.id()
            assert down.revisionIds() == up.revisionIds().reverse()

            CASES_PER_GRAPH.times {
                // from a single revision s (or base) up to something above it, then down to s again
                String s = random.nextInt(4) == 0 ? null : randomId(oracle, random)
                def start = s == null ? [] as Set : oracle.ancestors([s])
                def above = s == null ? oracle.ids() : (oracle.descendants(s) as List).sort()
                String t = above[random.nextInt(above.size())]
                def stored = oracle.heads(start)

                def upPlan = planner.upgrade(stored, Target.parse(t))
                def middle = replayUpgrade(oracle, start, upPlan)
                def downPlan = planner.downgrade(storedAfter(stored, upPlan), s == null ? Target.BASE : Target.parse(s))
                def end = replayDowngrade(oracle, middle, downPlan)

                if (s == null) {
                    assert end.isEmpty()
                    backToBase++
                } else if (oracle.descendants(s).containsAll(middle - start)) {
                    // everything the upgrade applied descends from s, so the downgrade takes it all back
                    assert end == start
                    assert downPlan.revisionIds() as Set == middle - start
                    backToStart++
                } else {
                    // a merge pulled in a revision from another branch: it does not descend from s and stays
                    assert end == middle - (oracle.descendants(s) - s)
                    assert end.containsAll(start)
                }
            }
        }

        then:
        backToStart > GRAPHS_PER_SEED
        backToBase > 0

        where:
        seed << SEEDS
    }

    def "+1 applies the only next revision, -1 reverts the only head, and N steps are N single steps (seed #seed)"() {
        given:
        def random = new Random(seed)
        int moved = 0, refused = 0

        when:
        GRAPHS_PER_SEED.times {
            def revisions = randomRevisions(random)
            def oracle = new GraphOracle(revisions)
            def planner = new Planner(RevisionGraph.build(revisions))
            CASES_PER_GRAPH.times {
                def start = randomApplied(oracle, random)
                int n = 1 + random.nextInt(4)
                boolean up = random.nextBoolean()
                def sign = up ? 1 : -1

                // n single steps, each checked against the oracle's idea of the only possible move
                def applied = start
                def stored = oracle.heads(start)
                boolean stuck = false
                for (int i = 0; i < n && !stuck; i++) {
                    def heads = oracle.heads(applied)
                    def one = attempt {
                        up ? planner.upgrade(stored, Target.parse('+1')) : planner.downgrade(stored, Target.parse('-1'))
                    }
                    if (up) {
                        def next = (heads ? heads.collectMany { oracle.children[it] } : oracle.roots()) as Set
                        if (next.size() != 1) {
                            assert one instanceof FhirmigException
                            stuck = true
                            continue
                        }
                        assert one.revisionIds().last() == next[0]
                        assert one.revisionIds() as Set == oracle.ancestors([next[0]]) - applied
                        applied = replayUpgrade(oracle, applied, one)
                    } else {
                        if (heads.size() != 1) {
                            assert one instanceof FhirmigException
                            stuck = true
                            continue
                        }
                        assert one.revisionIds() == heads
                        applied = replayDowngrade(oracle, applied, one)
                    }
                    stored = storedAfter(stored, one)
                }

                def whole = attempt {
                    def target = new Target.Relative(sign * n)
                    up ? planner.upgrade(oracle.heads(start), target) : planner.downgrade(oracle.heads(start), target)
                }
                if (stuck) {
                    assert whole instanceof FhirmigException
                    refused++
                } else {
                    assert whole instanceof Plan
                    def end = up ? replayUpgrade(oracle, start, whole) : replayDowngrade(oracle, start, whole)
                    assert end == applied
                    moved++
                }
            }
        }

        then:
        moved > GRAPHS_PER_SEED
        refused > GRAPHS_PER_SEED / 2

        where:
        seed << SEEDS
    }
}
