package io.fhirmig.script

import io.fhirmig.api.FhirmigException
import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import spock.lang.Specification
import spock.lang.TempDir

class ScriptLoaderSpec extends Specification {

    static final String FUNCTIONS = '''
void upgrade() {}
void downgrade() {}
'''

    @TempDir
    Path dir

    Path write(String name, String text) {
        Files.writeString(dir.resolve(name), text)
    }

    MigrationScript scanOne(String text) {
        write('0001_test.groovy', text)
        def result = ScriptLoader.scan(dir)
        assert result.problems() == []
        assert result.scripts().size() == 1
        result.scripts()[0]
    }

    List<String> problemsOf(String text) {
        write('0001_bad.groovy', text)
        def result = ScriptLoader.scan(dir)
        assert result.scripts() == []
        result.problems()*.toString()
    }

    def "a good script's header is read"() {
        given:
        def text = '''\
revision     = 'd5a1c49e-8efb-4610-b9d3-f59f98541f16'
downRevision = '985f4e1e-29f5-4911-bc9c-2c774b685289'
description  = 'add a home phone number'
transactional = true
''' + FUNCTIONS

        when:
        def script = scanOne(text)

        then:
        script.fileName() == '0001_test.groovy'
        script.file() == dir.resolve('0001_test.groovy')
        script.revision() == 'd5a1c49e-8efb-4610-b9d3-f59f98541f16'
        script.downRevisions() == ['985f4e1e-29f5-4911-bc9c-2c774b685289']
        !script.isRoot()
        script.description() == 'add a home phone number'
        script.transactional()
        script.text() == text
        script.checksum() == Checksums.of(text)
    }

    def "description and transactional are optional"() {
        when:
        def script = scanOne("revision = 'a'\ndownRevision = null\n" + FUNCTIONS)

        then:
        script.description() == null
        !script.transactional()
        script.isRoot()
    }

    def "downRevision may be #form"() {
        when:
        def script = scanOne("revision = 'r1'\n${declaration}\n" + FUNCTIONS)

        then:
        script.downRevisions() == expected

        where:
        form                          | declaration                           || expected
        'null'                        | 'downRevision = null'                 || []
        "the Python tool's 'None'"    | "downRevision = 'None'"               || []
        'a string'                    | "downRevision = 'abc'"                || ['abc']
        'a double-quoted string'      | 'downRevision = "abc"'                || ['abc']
        'a list, for a merge'         | "downRevision = ['a', 'b']"           || ['a', 'b']
        'an empty list'               | 'downRevision = []'                   || []
        'named down_revision'         | "down_revision = 'abc'"               || ['abc']
        'down_revision None'          | "down_revision = 'None'"              || []
        'declared with def'           | "def downRevision = 'abc'"            || ['abc']
        'declared with a type'        | "String downRevision = 'abc'"         || ['abc']
        'a typed list'                | "List<String> downRevision = ['a']"   || ['a']
    }

    def "revision may be declared with def or a type"() {
        expect:
        scanOne("${declaration}\ndownRevision = null\n" + FUNCTIONS).revision() == 'abc'

        where:
        declaration << ["def revision = 'abc'", "String revision = 'abc'", "final String revision = 'abc';"]
    }

    def "a header name inside a function is not a declaration"() {
        when:
        def problems = problemsOf('''\
downRevision = null
void upgrade() { revision = 'abc' }
void downgrade() {}
''')

        then:
        problems == ["0001_bad.groovy: revision is not declared (add a line such as revision = 'a1b2c3d4e5f6')"]
    }

    def "a script that #problem is reported naming the file and line"() {
        expect:
        problemsOf(text) == expected

        where:
        problem                          | text                                                                  || expected
        'lacks revision'                 | 'downRevision = null' + FUNCTIONS                                     || ["0001_bad.groovy: revision is not declared (add a line such as revision = 'a1b2c3d4e5f6')"]
        'lacks downRevision'             | "revision = 'a'" + FUNCTIONS                                          || ["0001_bad.groovy: downRevision is not declared (add downRevision = null for a first migration, or the parent's revision)"]
        'lacks upgrade()'                | "revision = 'a'\ndownRevision = null\nvoid downgrade() {}\n"          || ['0001_bad.groovy: upgrade() is not declared (add: void upgrade() { ... })']
        'lacks downgrade()'              | "revision = 'a'\ndownRevision = null\nvoid upgrade() {}\n"            || ['0001_bad.groovy: downgrade() is not declared (add: void downgrade() { ... })']
        'has upgrade(x)'                 | "revision = 'a'\ndownRevision = null\nvoid upgrade(x) {}\nvoid downgrade() {}\n" || ['0001_bad.groovy:3: upgrade() must take no parameters']
        'computes revision'              | "revision = 'a' + 'b'\ndownRevision = null" + FUNCTIONS               || ["0001_bad.groovy:1: revision must be a literal string, e.g. revision = 'a1b2c3d4e5f6'"]
        'interpolates revision'          | 'x = 1\nrevision = "a${x}"\ndownRevision = null' + FUNCTIONS         || ["0001_bad.groovy:2: revision must be a literal string, e.g. revision = 'a1b2c3d4e5f6'"]
        'has a null revision'            | "revision = null\ndownRevision = null" + FUNCTIONS                    || ["0001_bad.groovy:1: revision must be a literal string, e.g. revision = 'a1b2c3d4e5f6'"]
        'has a bad revision id'          | "revision = 'a b'\ndownRevision = null" + FUNCTIONS                   || ["0001_bad.groovy:1: revision 'a b' is not a valid revision id: use only letters, digits, '_' and '-'"]
        'has a bad downRevision id'      | "revision = 'a'\ndownRevision = '../b'" + FUNCTIONS                   || ["0001_bad.groovy:2: downRevision '../b' is not a valid revision id: use only letters, digits, '_' and '-'"]
        'has a Python None'              | "revision = 'a'\ndownRevision = None" + FUNCTIONS                     || ['0001_bad.groovy:2: downRevision must be null, a literal string or a list of literal strings (write null, not None)']
        'computes downRevision'          | "revision = 'a'\ndownRevision = parent()" + FUNCTIONS                 || ['0001_bad.groovy:2: downRevision must be null, a literal string or a list of literal strings']
        'lists a parent twice'           | "revision = 'a'\ndownRevision = ['b', 'b']" + FUNCTIONS               || ["0001_bad.groovy:2: downRevision lists 'b' twice"]
        'declares revision twice'        | "revision = 'a'\ndownRevision = null\nrevision = 'b'" + FUNCTIONS     || ['0001_bad.groovy:3: revision is declared twice (first on line 1)']
        'uses both downRevision names'   | "revision = 'a'\ndownRevision = null\ndown_revision = null" + FUNCTIONS || ['0001_bad.groovy:3: both downRevision and down_revision are declared; keep only downRevision']
        'declares revision without value'| "def revision\ndownRevision = null" + FUNCTIONS                       || ['0001_bad.groovy:1: revision is declared without a value']
        'computes description'           | "revision = 'a'\ndownRevision = null\ndescription = 1" + FUNCTIONS    || ['0001_bad.groovy:3: description must be a literal string']
        'has a string transactional'     | "revision = 'a'\ndownRevision = null\ntransactional = 'yes'" + FUNCTIONS || ['0001_bad.groovy:3: transactional must be true or false']
    }

    def "every problem of a file is reported, not only the first"() {
        expect:
        problemsOf("revision = 'a b'\n") == [
                "0001_bad.groovy:1: revision 'a b' is not a valid revision id: use only letters, digits, '_' and '-'",
                "0001_bad.groovy: downRevision is not declared (add downRevision = null for a first migration, or the parent's revision)",
                '0001_bad.groovy: upgrade() is not declared (add: void upgrade() { ... })',
                '0001_bad.groovy: downgrade() is not declared (add: void downgrade() { ... })',
        ]
    }

    def "a syntax error is reported with its line and Groovy's message, on one line"() {
        when:
        def problems = problemsOf('''\
revision = 'a'
downRevision = null

void upgrade() {
    def x = = 3
}
void downgrade() {}
''')

        then:
        problems == ["0001_bad.groovy:5: syntax error: Unexpected input: 'def x = ='"]
    }

    def "a syntax error that quotes a block of code is shortened to one readable line"() {
        when:
        def problems = problemsOf("revision = 'a'\ndownRevision = null\nvoid upgrade() {\n  foo(\n}\nvoid downgrade() {}\n")

        then: 'Groovy quotes the whole function; only the line it points at is kept'
        problems == ["0001_bad.groovy:5: syntax error: Unexpected input: '}'"]
    }

    def "new scripts are parsed several to a parse; a broken one among them is reported alone, its neighbours read"() {
        given: 'more new scripts than one parse takes, one with a syntax error in the middle'
        (1..120).each { i ->
            String name = String.format('%04d_s.groovy', i)
            write(name, i == 60 ? "revision = 'r60'\ndownRevision = 'r59'\nvoid upgrade() {\n  if (\n}\n"
                    : "revision = 'r${i}'\ndownRevision = ${i == 1 ? 'null' : "'r${i - 1}'"}\n" + FUNCTIONS)
        }

        when:
        def result = ScriptLoader.scan(dir)

        then:
        result.scripts().size() == 119
        result.scripts()*.revision() == (1..120).findAll { it != 60 }.collect { 'r' + it }
        result.scripts().find { it.revision() == 'r61' }.downRevisions() == ['r60']
        result.problems()*.file() == ['0060_s.groovy']
        result.problems()[0].line() == 5
    }

    def "the problems of several files are reported together, and the good files still load"() {
        given:
        write('0001_good.groovy', "revision = 'a'\ndownRevision = null\n" + FUNCTIONS)
        write('0002_syntax.groovy', "revision = 'b'\ndownRevision = 'a'\nvoid upgrade() {\n  if (\n}\n")
        write('0003_no_revision.groovy', "downRevision = 'b'\n" + FUNCTIONS)
        write('0004_no_downgrade.groovy', "revision = 'd'\ndownRevision = 'b'\nvoid upgrade() {}\n")

        when:
        def result = ScriptLoader.scan(dir)

        then:
        result.scripts()*.fileName() == ['0001_good.groovy']
        result.problems()*.file() == ['0002_syntax.groovy', '0003_no_revision.groovy', '0004_no_downgrade.groovy']
        result.problems()[0].line() == 5
        result.hasProblems()

        when:
        ScriptLoader.scanOrThrow(dir)

        then:
        def e = thrown(InvalidScriptsException)
        e.kind() == FhirmigException.Kind.INVALID_MIGRATIONS
        e.problems() == result.problems()
        e.message.readLines() == ['3 problems in migration scripts:'] + result.problems()*.toString()
        e.message.readLines()[1].startsWith('0002_syntax.groovy:5: syntax error: ')
        e.message.readLines()[2] == "0003_no_revision.groovy: revision is not declared (add a line such as revision = 'a1b2c3d4e5f6')"
        e.message.readLines()[3] == '0004_no_downgrade.groovy: downgrade() is not declared (add: void downgrade() { ... })'
    }

    def "scanning runs none of a script's code"() {
        given:
        def marker = dir.resolve('ran.txt')
        write('0001_side_effects.groovy', """\
@Grab('org.example.nowhere:not-a-library:1.0')
import groovy.transform.Field

revision = 'a'
downRevision = null
new File('${marker.toString().replace('\\', '/')}').text = 'top level ran'
throw new IllegalStateException('top level ran')

class Boom {
    static { new File('${marker.toString().replace('\\', '/')}').text = 'class initializer ran' }
}
""" + FUNCTIONS)

        when:
        def result = ScriptLoader.scan(dir)

        then:
        result.problems() == []
        result.scripts()*.revision() == ['a']
        !Files.exists(marker)
    }

    def "only *.groovy files directly in the directory count, ordered by file name"() {
        given:
        write('0002_b.groovy', "revision = 'b'\ndownRevision = 'a'\n" + FUNCTIONS)
        write('0001_a.groovy', "revision = 'a'\ndownRevision = null\n" + FUNCTIONS)
        write('0010_c.groovy', "revision = 'c'\ndownRevision = 'b'\n" + FUNCTIONS)
        write('README.md', 'not a script')
        write('0003_draft.groovy.bak', 'not a script either')
        Files.createDirectories(dir.resolve('old.groovy'))

        expect:
        ScriptLoader.scanOrThrow(dir)*.fileName() == ['0001_a.groovy', '0002_b.groovy', '0010_c.groovy']
    }

    def "a byte order mark and CRLF line endings read as the same script with the same checksum"() {
        given:
        def text = "revision = 'a'\ndownRevision = null\n" + FUNCTIONS
        write('0001_lf.groovy', text)
        write('0002_crlf.groovy', '\uFEFF' + text.replace('\n', '\r\n'))

        when:
        def scripts = ScriptLoader.scanOrThrow(dir)

        then:
        scripts[0].checksum() == scripts[1].checksum()
        scripts[1].text() == text
    }

    def "a file that is not UTF-8 is reported as unreadable"() {
        given:
        Files.write(dir.resolve('0001_latin1.groovy'),
                "revision = 'a'\ndownRevision = null // café\n".getBytes(StandardCharsets.ISO_8859_1))

        expect:
        ScriptLoader.scan(dir).problems()*.toString() ==
                ['0001_latin1.groovy: cannot be read: it is not valid UTF-8 (save it as UTF-8)']
    }

    def "an empty directory has no scripts and no problems"() {
        expect:
        ScriptLoader.scan(dir) == new ScanResult([], [])
    }

    def "a missing versions directory is a usage error"() {
        when:
        ScriptLoader.scan(dir.resolve('nowhere'))

        then:
        def e = thrown(FhirmigException)
        e.kind() == FhirmigException.Kind.USAGE
        e.message.contains('nowhere')
    }

    def "read checks text that is not on disk as scan would read the file"() {
        given:
        def file = dir.resolve('0001_new.groovy')

        when:
        def script = ScriptLoader.read(file, "revision = 'abc'\r\ndownRevision = null\r\n" + FUNCTIONS)

        then:
        script.file() == file
        script.revision() == 'abc'
        script.downRevisions() == []
        script.text() == "revision = 'abc'\ndownRevision = null\n" + FUNCTIONS
        !Files.exists(file)

        when:
        ScriptLoader.read(file, "revision = 'abc'\n")

        then:
        def e = thrown(InvalidScriptsException)
        e.problems()*.toString().any { it.contains('0001_new.groovy') && it.contains('downRevision is not declared') }
    }
}
