package io.fhirmig

import java.nio.file.Files
import java.nio.file.Path
import spock.lang.Shared
import spock.lang.Specification

/**
 * The house as DESIGN.md draws it, checked on the compiled classes with the JDK's jdeps: no package
 * cycle, dependencies one way, and nothing below the command line that prints or exits.
 */
class ArchitectureSpec extends Specification {

    static final Path CLASSES = Path.of('target/classes')
    static final Path SOURCES = Path.of('src/main/java/io/fhirmig')

    /** Package -> the fhirmig packages its classes use (itself left out). */
    @Shared
    Map<String, Set<String>> uses = packageDependencies()

    static Map<String, Set<String>> packageDependencies() {
        String jdeps = Path.of(System.getProperty('java.home'), 'bin', 'jdeps').toString()
        def process = new ProcessBuilder(jdeps, '-verbose:package', '-e', 'io\\.fhirmig.*', CLASSES.toString())
                .redirectErrorStream(true).start()
        String text = process.inputStream.text
        assert process.waitFor() == 0: text
        Map<String, Set<String>> edges = [:].withDefault { new TreeSet<String>() }
        text.eachLine { line ->
            def m = line =~ /^\s+(io\.fhirmig[\w.]*)\s+->\s+(io\.fhirmig[\w.]*)\s/
            if (m.find() && m.group(1) != m.group(2)) {
                edges[m.group(1)] << m.group(2)
            }
        }
        edges
    }

    /** The strongly connected components of more than one package (Tarjan). */
    static List<Set<String>> cycles(Map<String, Set<String>> edges) {
        int index = 0
        Map<String, Integer> indexes = [:]
        Map<String, Integer> low = [:]
        Deque<String> stack = new ArrayDeque<>()
        Set<String> onStack = [] as Set
        List<Set<String>> found = []
        Closure visit
        visit = { String v ->
            indexes[v] = index; low[v] = index; index++
            stack.push(v); onStack << v
            for (String w : edges.getOrDefault(v, [] as Set)) {
                if (!indexes.containsKey(w)) {
                    visit(w)
                    low[v] = Math.min(low[v], low[w])
                } else if (onStack.contains(w)) {
                    low[v] = Math.min(low[v], indexes[w])
                }
            }
            if (low[v] == indexes[v]) {
                Set<String> component = new TreeSet<>()
                String w
                do {
                    w = stack.pop(); onStack.remove(w); component << w
                } while (w != v)
                if (component.size() > 1) {
                    found << component
                }
            }
        }
        (edges.keySet() + edges.values().flatten()).each { if (!indexes.containsKey(it)) visit(it) }
        found
    }

    def "jdeps sees the packages (the check is not vacuous)"() {
        expect:
        uses.keySet().containsAll(['io.fhirmig', 'io.fhirmig.cli', 'io.fhirmig.run', 'io.fhirmig.state', 'io.fhirmig.verify'])
        uses['io.fhirmig.run'].contains('io.fhirmig.state')
    }

    def "the cycle finder finds a cycle where there is one"() {
        expect:
        cycles([a: ['b'] as Set, b: ['c'] as Set, c: ['a'] as Set, d: ['a'] as Set]) == [['a', 'b', 'c'] as Set]
        cycles([a: ['b'] as Set, b: ['c'] as Set]) == []
    }

    def "no package cycle"() {
        expect:
        cycles(uses) == []
    }

    def "dependencies point one way: cli -> API -> verify -> run -> (generate, graph, script, state) -> fhir -> api types"() {
        given: 'the packages each package may use, besides the ones below it in the same column'
        Map<String, List<String>> below = [
                'io.fhirmig.api'          : [],
                'io.fhirmig.util'         : ['io.fhirmig.api'],
                'io.fhirmig.fhir.net'     : ['io.fhirmig.api', 'io.fhirmig.util'],
                'io.fhirmig.fhir.auth'    : ['io.fhirmig.api', 'io.fhirmig.util', 'io.fhirmig.fhir.net'],
                'io.fhirmig.fhir'         : ['io.fhirmig.api', 'io.fhirmig.util', 'io.fhirmig.fhir.net', 'io.fhirmig.fhir.auth'],
                'io.fhirmig.fhir.embedded': ['io.fhirmig.api', 'io.fhirmig.util'],
                'io.fhirmig.fhir.background': ['io.fhirmig.api', 'io.fhirmig.util', 'io.fhirmig.fhir.embedded'],
                'io.fhirmig.graph'        : ['io.fhirmig.api', 'io.fhirmig.util'],
                'io.fhirmig.script'       : ['io.fhirmig.api', 'io.fhirmig.util'],
                'io.fhirmig.state'        : ['io.fhirmig.api', 'io.fhirmig.util', 'io.fhirmig.fhir', 'io.fhirmig.fhir.net'],
                'io.fhirmig.generate'     : ['io.fhirmig.api', 'io.fhirmig.util', 'io.fhirmig.graph', 'io.fhirmig.script'],
                'io.fhirmig.startup'      : ['io.fhirmig.api', 'io.fhirmig.fhir'],
        ]

        expect:
        below.each { String pkg, List<String> allowed ->
            Set<String> extra = uses.getOrDefault(pkg, [] as Set) - allowed
            assert extra.isEmpty(): "${pkg} uses ${extra}"
        }
        !uses['io.fhirmig.run'].contains('io.fhirmig')
        !uses['io.fhirmig.run'].contains('io.fhirmig.verify')
        !uses['io.fhirmig.verify'].contains('io.fhirmig')
        !uses['io.fhirmig.verify'].contains('io.fhirmig.cli')
        uses['io.fhirmig'].contains('io.fhirmig.verify')
        !uses['io.fhirmig.run'].contains('io.fhirmig.cli')
        !uses['io.fhirmig'].contains('io.fhirmig.cli')
    }

    def "the command line is a client of the library: it uses the API, the start-up package, and the embedded server only to serve or find it"() {
        given: 'the classes of the command line and the fhirmig classes each one uses'
        Map<String, Set<String>> classUses = classDependencies('io.fhirmig.cli')
        Set<String> front = ['io.fhirmig', 'io.fhirmig.api', 'io.fhirmig.cli', 'io.fhirmig.startup'] as Set

        expect: 'jdeps sees them'
        classUses['io.fhirmig.cli.CurrentCommand'].contains('io.fhirmig.Fhirmig')

        and:
        uses['io.fhirmig.cli'] - front - ['io.fhirmig.fhir.embedded', 'io.fhirmig.fhir.background'] == [] as Set

        and: 'the embedded server and its background process only where a server is started or found (and trained)'
        classUses.findAll { cls, targets -> targets.any { packageOf(it) in ['io.fhirmig.fhir.embedded', 'io.fhirmig.fhir.background'] } }
                .keySet().every { it.startsWith('io.fhirmig.cli.ServeCommand') || it.startsWith('io.fhirmig.cli.EmbeddedEndpoint')
                        || it.startsWith('io.fhirmig.cli.TrainingCommands') }
    }

    static String packageOf(String cls) {
        cls.substring(0, cls.lastIndexOf('.'))
    }

    /** Class -> the fhirmig classes it uses, for the classes of one package. */
    static Map<String, Set<String>> classDependencies(String pkg) {
        String jdeps = Path.of(System.getProperty('java.home'), 'bin', 'jdeps').toString()
        def process = new ProcessBuilder(jdeps, '-verbose:class', '-e', 'io\\.fhirmig.*', CLASSES.toString())
                .redirectErrorStream(true).start()
        String text = process.inputStream.text
        assert process.waitFor() == 0: text
        Map<String, Set<String>> edges = [:].withDefault { new TreeSet<String>() }
        text.eachLine { line ->
            def m = line =~ /^\s+(io\.fhirmig[\w.$]*)\s+->\s+(io\.fhirmig[\w.$]*)\s/
            if (m.find() && packageOf(m.group(1)) == pkg) {
                edges[m.group(1)] << m.group(2)
            }
        }
        edges
    }

    def "nothing below the command line prints to the terminal or exits"() {
        given: "a script's own output (println) goes where JSR-223's SimpleScriptContext sends it"
        Set<String> scriptOutput = ['script/MigrationScriptContext.java'] as Set
        List<String> offending = []
        Files.walk(SOURCES).withCloseable { files ->
            files.filter { it.toString().endsWith('.java') && !it.startsWith(SOURCES.resolve('cli'))
                    && !scriptOutput.contains(SOURCES.relativize(it).toString()) }.forEach { file ->
                Files.readAllLines(file).eachWithIndex { String line, int i ->
                    String code = line.replaceAll(/\/\/.*$/, '').replaceAll(/^\s*\*.*$/, '').replaceAll(/"[^"]*"/, '""')
                    if (code =~ /System\s*\.\s*(out|err|console|exit)\b/ || code =~ /Runtime\.getRuntime\(\)\s*\.\s*(exit|halt)/) {
                        offending << "${SOURCES.relativize(file)}:${i + 1}: ${line.trim()}"
                    }
                }
            }
        }

        expect:
        offending == []
    }

    def "a dependency on another fhirmig package is an import, where readers and reviewers see it"() {
        given: "code that names a fhirmig class by its full name hides the dependency from the file's imports"
        List<String> offending = []
        Files.walk(SOURCES).withCloseable { files ->
            files.filter { it.toString().endsWith('.java') }.forEach { file ->
                Files.readAllLines(file).eachWithIndex { String line, int i ->
                    String code = line.replaceAll(/\/\/.*$/, '').replaceAll(/^\s*(\*|\/\*).*$/, '').replaceAll(/"[^"]*"/, '""')
                    if (!(code =~ /^\s*(import|package)\s/) && code =~ /(?<![\w.])io\.fhirmig\.(\w+\.)*[A-Z]/) {
                        offending << "${SOURCES.relativize(file)}:${i + 1}: ${line.trim()}"
                    }
                }
            }
        }

        expect:
        offending == []
    }
}
