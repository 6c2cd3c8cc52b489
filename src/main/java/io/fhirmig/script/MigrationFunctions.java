package io.fhirmig.script;

/**
 * The functions every migration script declares, as Java sees them through
 * {@link javax.script.Invocable#getInterface(Class)}.
 *
 * <p>Calling through this interface rather than {@code Invocable.invokeFunction} matters: Groovy's
 * {@code invokeFunction} turns any {@code MissingMethodException} raised inside the function (a
 * misspelled method, a common script bug) into a {@code NoSuchMethodException} without cause or
 * stack trace, which loses the line of the failure. The interface's calls keep the original error.
 */
interface MigrationFunctions {

    /** Calls the script's {@code upgrade()}. */
    void upgrade();

    /** Calls the script's {@code downgrade()}. */
    void downgrade();
}
