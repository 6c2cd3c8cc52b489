package example;

import io.fhirmig.Fhirmig;
import io.fhirmig.api.FhirmigException;
import io.fhirmig.api.MigrationResult;
import java.nio.file.Path;

/**
 * An application that brings its FHIR server's data up to date when it starts, the way the original
 * Python tool was used: {@code Migration(...).run_migrations(direction="upgrade")}.
 *
 * <p>Usage: {@code StartupApp FHIR_BASE_URL [VERSIONS_DIR] [NAMESPACE]}; the URL may also come from
 * the environment variable {@code FHIR_URL}.
 */
public final class StartupApp {

    private StartupApp() {
    }

    public static void main(String[] args) {
        String url = args.length > 0 ? args[0] : System.getenv("FHIR_URL");
        Path versions = Path.of(args.length > 1 ? args[1] : "versions");
        String namespace = args.length > 2 ? args[2] : "default";
        if (url == null || url.isBlank()) {
            System.err.println("usage: StartupApp FHIR_BASE_URL [VERSIONS_DIR] [NAMESPACE] (or set FHIR_URL)");
            System.exit(2);
        }
        try (Fhirmig fhirmig = Fhirmig.configure()
                .url(url)
                .versions(versions)
                .namespace(namespace)
                .load()) {
            MigrationResult result = fhirmig.upgrade();
            System.out.println("migrated: " + result.steps().size() + " migration(s) applied in "
                    + result.duration().toMillis() + " ms; head: " + result.head().orElse("base"));
        } catch (FhirmigException e) {
            System.err.println("migration failed (" + e.kind() + "): " + e.getMessage());
            System.exit(1);
        }
        // ... the application would start serving here.
        System.exit(0);
    }
}
