package io.fhirmig.script;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The variables a migration script sees besides its own.
 *
 * @param fhir the client of the target server; {@code null} only where no server is used
 * @param fhirContext the FHIR context, for parsers and the like
 * @param log the script's logger, see {@link #loggerFor(String)}
 * @param migration the step's context
 */
public record ScriptBindings(IGenericClient fhir, FhirContext fhirContext, Logger log, MigrationContext migration) {

    private static final String LOGGER_PREFIX = "fhirmig.migration.";
    private static final String EXTENSION = ".groovy";

    /**
     * Checks that everything but the client is present.
     *
     * @param fhir the client of the target server, or {@code null}
     * @param fhirContext the FHIR context
     * @param log the script's logger
     * @param migration the step's context
     */
    public ScriptBindings {
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
        return new ScriptBindings(fhir, fhirContext, loggerFor(script.fileName()), migration);
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

    /** {@return the bindings by the names scripts use} */
    Map<String, Object> asMap() {
        // Not Map.of: the client may be null.
        Map<String, Object> variables = new HashMap<>();
        variables.put("fhir", fhir);
        variables.put("fhirContext", fhirContext);
        variables.put("log", log);
        variables.put("migration", migration);
        return variables;
    }
}
