package io.fhirmig

import java.nio.file.Files
import java.nio.file.Path

/**
 * Migration scripts for the specifications, written into a temporary versions folder. The usual one
 * leaves a marker on the server each time its {@code upgrade()} or {@code downgrade()} runs (a
 * {@code Basic} with identifier {@code urn:fhirmig-test:marker:<namespace>|<revision>:upgrade}), so a
 * specification can count how often each ran, see {@link ServerProbe#markers}.
 */
final class Scripts {

    /** The example migrations shipped in versions/. */
    static final Path EXAMPLES = Path.of('versions').toAbsolutePath()

    static final String MARK_FUNCTION = '''
/** Leaves a marker on the server: this migration's upgrade or downgrade ran (once per marker). */
void mark(String what) {
    Basic marker = new Basic()
    marker.addIdentifier()
            .setSystem('urn:fhirmig-test:marker:' + migration.namespace)
            .setValue(migration.revision + ':' + what)
    marker.code = new CodeableConcept(new Coding('urn:fhirmig-test', 'marker', null))
    fhir.create().resource(marker).execute()
}
'''

    private Scripts() {}

    /** Copies the example migrations into {@code dir}. */
    static Path copyExamples(Path dir) {
        Files.list(EXAMPLES).withCloseable { files ->
            files.filter { it.fileName.toString().endsWith('.groovy') }
                    .forEach { Files.copy(it, dir.resolve(it.fileName)) }
        }
        dir
    }

    static Path write(Path dir, String fileName, String text) {
        Files.writeString(dir.resolve(fileName), text)
    }

    /**
     * A migration whose upgrade() and downgrade() each leave a marker. {@code upgradeBody} replaces the
     * default upgrade body ({@code mark('upgrade')}).
     */
    static String marking(String revision, String downRevision, String upgradeBody = "mark('upgrade')",
            String downgradeBody = "mark('downgrade')", String extraHeader = '') {
        """\
revision     = '${revision}'
downRevision = ${downRevision == null ? 'null' : "'" + downRevision + "'"}
description  = 'test migration ${revision}'
${extraHeader}
void upgrade() {
    ${upgradeBody}
}

void downgrade() {
    ${downgradeBody}
}
${MARK_FUNCTION}"""
    }

    /** Writes a chain of marking migrations {@code 0001_<rev>.groovy}..., each the child of the one before. */
    static List<String> chain(Path dir, List<String> revisions, String upgradeBody = "mark('upgrade')") {
        String parent = null
        revisions.eachWithIndex { String revision, int i ->
            write(dir, String.format('%04d_%s.groovy', i + 1, revision), marking(revision, parent, upgradeBody))
            parent = revision
        }
        revisions
    }

    /** The 1-based line of {@code text} that contains {@code fragment}. */
    static int lineOf(String text, String fragment) {
        int index = text.readLines().findIndexOf { it.contains(fragment) }
        assert index >= 0: "no line contains ${fragment}"
        index + 1
    }
}
