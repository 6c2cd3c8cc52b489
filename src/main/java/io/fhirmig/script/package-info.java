/**
 * Migration scripts: finding and checking them cheaply, and running one when its step comes.
 *
 * <p>{@link io.fhirmig.script.ScriptLoader} reads every {@code *.groovy} file of a versions
 * directory only as far as Groovy's syntax tree, which is enough to learn each script's revision,
 * parents and functions without running any of its code. {@link io.fhirmig.script.ScriptCompiler}
 * compiles one script, with the FHIR bindings, into a {@link io.fhirmig.script.Migration} whose
 * {@code upgrade()} and {@code downgrade()} can then be called.
 */
package io.fhirmig.script;
