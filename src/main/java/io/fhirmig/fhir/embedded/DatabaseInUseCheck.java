package io.fhirmig.fhir.embedded;

import io.fhirmig.api.FhirmigException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Opens the H2 database once before the slow server start, so that a database held by another
 * process is reported at once, with that process named.
 */
final class DatabaseInUseCheck {

    /** H2's error code for "Database may be already in use". */
    private static final int DATABASE_ALREADY_OPEN = 90020;

    private DatabaseInUseCheck() {
    }

    static void check(EmbeddedServerOptions options, ServerOwnerFile ownerFile) {
        try (Connection ignored = DriverManager.getConnection(options.jdbcUrl(), "sa", "")) {
            // Opened and closed again: nobody else holds it.
        } catch (SQLException e) {
            if (e.getErrorCode() == DATABASE_ALREADY_OPEN || String.valueOf(e.getMessage()).contains("already in use")) {
                String owner = ownerFile.read().map(o -> " by " + o).orElse(" by another process");
                throw new FhirmigException(FhirmigException.Kind.SERVER,
                        "the embedded server's database in " + options.dataDir() + " is in use" + owner
                                + "; commands in the folder use a running `fhirmig serve` by themselves; stop"
                                + " it with `fhirmig serve --stop`", e);
            }
            throw new FhirmigException(FhirmigException.Kind.SERVER,
                    "cannot open the embedded server's database in " + options.dataDir() + ": "
                            + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
