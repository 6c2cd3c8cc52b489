package io.fhirmig.script;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The variables a migration script sees besides its own. The client, the FHIR context and the logger
 * are made when the script first reads them (see {@link ScriptVariables}): a migration that sends
 * nothing never starts HAPI.
 *
 * @param fhir makes the client of the target server; it may make {@code null} only where no server is used
 * @param fhirContext makes the FHIR context, for parsers and the like
 * @param log makes the script's logger, see {@link #loggerFor(String)}
 * @param migration the step's context
 */
public record ScriptBindings(Supplier<IGenericClient> fhir, Supplier<FhirContext> fhirContext, Supplier<Logger> log,
        MigrationContext migration) {

    private static final String LOGGER_PREFIX = "fhirmig.migration.";
    private static final String EXTENSION = ".groovy";

    /**
     * Checks that everything is present.
     *
     * @param fhir makes the client of the target server
     * @param fhirContext makes the FHIR context
     * @param log makes the script's logger
     * @param migration the step's context
     */
    public ScriptBindings {
        Objects.requireNonNull(fhir, "fhir");
        Objects.requireNonNull(fhirContext, "fhirContext");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(migration, "migration");
    }

    /**
     * Creates the bindings for a script, with its own logger.
     *
     * @param script the script that will see them
     * @param fhir the client of the target server, or {@code null}
     * @param fhirContext the FHIR context
     * @param migration the step's context
     * @return the bindings
     */
    public static ScriptBindings forScript(MigrationScript script, IGenericClient fhir, FhirContext fhirContext,
            MigrationContext migration) {
        Objects.requireNonNull(fhirContext, "fhirContext");
        return lazily(script, () -> fhir, () -> fhirContext, migration);
    }

    /**
     * Creates the bindings for a script, with its own logger; the client and the context are made
     * when the script first reads them, each at most once.
     *
     * @param script the script that will see them
     * @param fhir makes the client of the target server
     * @param fhirContext makes the FHIR context
     * @param migration the step's context
     * @return the bindings
     */
    public static ScriptBindings lazily(MigrationScript script, Supplier<IGenericClient> fhir,
            Supplier<FhirContext> fhirContext, MigrationContext migration) {
        String fileName = script.fileName();
        return new ScriptBindings(fhir, fhirContext, () -> loggerFor(fileName), migration);
    }

    /**
     * Returns the logger named after a script file, e.g. {@code fhirmig.migration.0002_add_phone_number}
     * for {@code 0002_add_phone_number.groovy}, so that one migration's logging can be turned up alone.
     *
     * @param fileName the script's file name
     * @return the logger
     */
    public static Logger loggerFor(String fileName) {
        String name = fileName.endsWith(EXTENSION)
                ? fileName.substring(0, fileName.length() - EXTENSION.length())
                : fileName;
        return LogManager.getLogger(LOGGER_PREFIX + name);
    }

    /** {@return the engine scope of a script's context, with these bindings in it by the names scripts use} */
    ScriptVariables variables() {
        ScriptVariables variables = new ScriptVariables();
        variables.putLazily("fhir", fhir);
        variables.putLazily("fhirContext", fhirContext);
        variables.putLazily("log", log);
        variables.put("migration", migration);
        return variables;
    }
}
