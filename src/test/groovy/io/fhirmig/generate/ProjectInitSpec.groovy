package io.fhirmig.generate

import io.fhirmig.api.FhirmigException
import java.nio.file.Files
import java.nio.file.Path
import spock.lang.Specification
import spock.lang.TempDir

class ProjectInitSpec extends Specification {

    @TempDir
    Path dir

    def "init lays out versions/, the default template, a commented settings file and an empty fixtures/"() {
        when:
        def result = ProjectInit.init(dir)

        then:
        result.created() == [dir.resolve('versions'), dir.resolve('templates'),
                             dir.resolve('templates/migration.groovy.template'), dir.resolve('fhirmig.properties'),
                             dir.resolve('fixtures'), dir.resolve('fixtures/README.md'), dir.resolve('.gitignore')]
        Files.list(dir.resolve('fixtures')).withCloseable { it.toList() } == [dir.resolve('fixtures/README.md')]
        Files.readAllLines(dir.resolve('fixtures/README.md')).size() == 1
        Files.readString(dir.resolve('fixtures/README.md')).contains('fhirmig verify')
        Files.isDirectory(dir.resolve('versions'))
        Files.list(dir.resolve('versions')).withCloseable { it.count() } == 0
        Files.readString(dir.resolve('templates/migration.groovy.template')) == MigrationTemplate.builtInText()

        and: 'the settings file has the three keys at their defaults, and comments'
        def text = Files.readString(dir.resolve('fhirmig.properties'))
        def properties = new Properties()
        properties.load(new StringReader(text))
        properties == [url: 'embedded', versions: 'versions', namespace: 'default']
        text.readLines().count { it.startsWith('#') } > 10
        text.contains('# url = https://')
    }

    def "init keeps a fixtures folder that exists, as it is"() {
        given:
        Files.createDirectories(dir.resolve('fixtures'))
        Files.writeString(dir.resolve('fixtures/patient.json'), '{}')

        when:
        def result = ProjectInit.init(dir)

        then:
        !result.created().contains(dir.resolve('fixtures'))
        Files.list(dir.resolve('fixtures')).withCloseable { it.toList() } == [dir.resolve('fixtures/patient.json')]
    }

    def "init creates a missing project folder"() {
        given:
        def project = dir.resolve('a/b')

        when:
        def result = ProjectInit.init(project)

        then:
        result.created()[0] == project
        Files.isRegularFile(project.resolve('fhirmig.properties'))
    }

    def "init writes nothing when #existing exists"() {
        given:
        def path = dir.resolve(existing)
        Files.createDirectories(path.parent)
        if (existing == 'versions') {
            Files.createDirectory(path)
        } else {
            Files.writeString(path, 'mine')
        }
        def before = listing()

        when:
        ProjectInit.init(dir)

        then:
        def e = thrown(FhirmigException)
        e.kind() == FhirmigException.Kind.USAGE
        e.message.contains(path.toString())
        e.message.contains('nothing was written')
        listing() == before
        existing == 'versions' || Files.readString(path) == 'mine'

        where:
        existing << ['versions', 'templates/migration.groovy.template', 'fhirmig.properties', 'templates']
    }

    def "init refuses a project folder that is a file"() {
        given:
        def file = Files.writeString(dir.resolve('file'), 'x')

        when:
        ProjectInit.init(file)

        then:
        def e = thrown(FhirmigException)
        e.message.contains('is not a folder')
    }

    def "init writes a .gitignore that keeps .fhirmig/ out of commits"() {
        when:
        def result = ProjectInit.init(dir)

        then:
        result.created().last() == dir.resolve('.gitignore')
        Files.readAllLines(dir.resolve('.gitignore')).contains('.fhirmig/')
        result.updated().empty
    }

    def "init adds .fhirmig/ to an existing .gitignore that lacks it, keeping its lines"() {
        given:
        Files.writeString(dir.resolve('.gitignore'), 'target/\n*.log')

        when:
        def result = ProjectInit.init(dir)

        then:
        result.updated() == [dir.resolve('.gitignore')]
        !result.created().contains(dir.resolve('.gitignore'))
        Files.readAllLines(dir.resolve('.gitignore')) == ['target/', '*.log', '.fhirmig/']
    }

    def "init leaves a .gitignore that already ignores the folder (#line) as it is"() {
        given:
        Files.writeString(dir.resolve('.gitignore'), "target/\n${line}\n")

        when:
        def result = ProjectInit.init(dir)

        then:
        result.updated().empty
        Files.readString(dir.resolve('.gitignore')) == "target/\n${line}\n"

        where:
        line << ['.fhirmig/', '.fhirmig', '/.fhirmig/']
    }

    List<String> listing() {
        Files.walk(dir).withCloseable { it.map { dir.relativize(it).toString() }.sorted().toList() }
    }
}
