package io.fhirmig.script;

import org.codehaus.groovy.control.customizers.ImportCustomizer;

/**
 * The imports every migration script gets without writing them: the FHIR R4 model, so that
 * {@code Patient}, {@code Identifier} or {@code Bundle} need no import line.
 *
 * <p>A star import outranks Groovy's own default imports ({@code java.util.*},
 * {@code groovy.lang.*}...), so the few model names that clash with them change meaning in a
 * script. The rule: a name that is a FHIR data type means the FHIR type, because in a FHIR
 * migration that is what it almost always means. So {@code Reference}, {@code Range},
 * {@code Enumeration} and {@code Factory} are FHIR's; Groovy's and Java's stay reachable by their
 * full names, and range literals such as {@code 1..3} work as ever. {@code org.hl7.fhir.r4.model.Tuple}
 * is no FHIR type but FHIRPath's working value, so {@code Tuple} stays {@code groovy.lang.Tuple}.
 * No model name clashes with {@code java.lang} ({@code String}, {@code Integer}...) or with
 * {@code List}, {@code Map} and the other collections.
 */
final class DefaultImports {

    /** The package of the FHIR model classes that scripts see without imports. */
    static final String FHIR_MODEL_PACKAGE = "org.hl7.fhir.r4.model";
    /** A single-type import outranks the star import. */
    private static final String TUPLE = "groovy.lang.Tuple";

    private DefaultImports() {}

    /** {@return a customizer that adds the default imports to every compiled script} */
    static ImportCustomizer customizer() {
        ImportCustomizer imports = new ImportCustomizer();
        imports.addStarImports(FHIR_MODEL_PACKAGE);
        imports.addImports(TUPLE);
        return imports;
    }

    /** {@return the imports as text: compiled scripts depend on them, so the class cache does too} */
    static String fingerprint() {
        return FHIR_MODEL_PACKAGE + ".*, " + TUPLE;
    }
}
