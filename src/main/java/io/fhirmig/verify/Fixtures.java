package io.fhirmig.verify;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import io.fhirmig.api.FhirmigException;
import io.fhirmig.fhir.FhirConnection;
import io.fhirmig.api.ServerText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Resource;

/**
 * The data a verification gives the migrations to work on: every {@code *.json} file of a folder
 * and its subfolders, in the order of their paths, each a FHIR resource or a Bundle of type
 * transaction, batch or collection. A resource with an id is written with that id (PUT), one without
 * gets the server's (POST); a transaction or batch is sent as it is; a collection's resources are
 * written as single resources are, in one batch. Other files (a README) are left alone.
 */
final class Fixtures {

    private Fixtures() {
    }

    /**
     * Loads the folder's fixtures into the server.
     *
     * @return how many resources were written
     * @throws FhirmigException {@code USAGE} for a missing folder, a file that is no FHIR resource, a
     *     Bundle of another type, or data the server refuses (naming the file)
     */
    static int load(Path folder, FhirConnection connection) {
        if (!Files.isDirectory(folder)) {
            throw usage("the fixtures folder " + folder + " does not exist; create it (fhirmig init does) or set"
                    + " fixtures to another folder");
        }
        int loaded = 0;
        for (Path file : files(folder)) {
            loaded += loadFile(file, connection);
        }
        return loaded;
    }

    private static List<Path> files(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p)).sorted()
                    .toList();
        } catch (IOException e) {
            throw usage("cannot read the fixtures folder " + folder + ": " + e.getMessage());
        }
    }

    private static int loadFile(Path file, FhirConnection connection) {
        IBaseResource parsed;
        try {
            parsed = connection.context().newJsonParser().parseResource(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw usage("cannot read the fixture " + file + ": " + e.getMessage());
        } catch (DataFormatException e) {
            throw usage("the fixture " + file + " is not a FHIR R4 resource in JSON: " + e.getMessage());
        }
        IGenericClient client = connection.client();
        try {
            if (!(parsed instanceof Bundle bundle)) {
                write((Resource) parsed, client);
                return 1;
            }
            BundleType type = bundle.getType();
            if (type == BundleType.TRANSACTION || type == BundleType.BATCH) {
                check(client.transaction().withBundle(bundle).execute(), file);
                return bundle.getEntry().size();
            }
            if (type == BundleType.COLLECTION) {
                check(client.transaction().withBundle(asBatch(bundle)).execute(), file);
                return bundle.getEntry().size();
            }
            throw usage("the fixture " + file + " is a Bundle of type " + (type == null ? "(none)" : type.toCode())
                    + "; a fixture Bundle must be of type transaction, batch or collection");
        } catch (BaseServerResponseException e) {
            throw usage("the scratch server refused the fixture " + file + ": HTTP " + e.getStatusCode() + " "
                    + ServerText.clean(e.getMessage(), 500));
        }
    }

    private static void write(Resource resource, IGenericClient client) {
        if (resource.getIdElement().hasIdPart()) {
            client.update().resource(resource).execute();
        } else {
            client.create().resource(resource).execute();
        }
    }

    private static Bundle asBatch(Bundle collection) {
        Bundle batch = new Bundle().setType(BundleType.BATCH);
        for (BundleEntryComponent entry : collection.getEntry()) {
            Resource resource = entry.getResource();
            if (resource == null) {
                continue;
            }
            boolean hasId = resource.getIdElement().hasIdPart();
            batch.addEntry().setResource(resource).getRequest()
                    .setMethod(hasId ? HTTPVerb.PUT : HTTPVerb.POST)
                    .setUrl(hasId ? resource.fhirType() + "/" + resource.getIdElement().getIdPart() : resource.fhirType());
        }
        return batch;
    }

    /** A batch answers each entry on its own: an entry refused is the fixture's problem too. */
    private static void check(Bundle response, Path file) {
        for (BundleEntryComponent entry : response.getEntry()) {
            String status = entry.hasResponse() ? entry.getResponse().getStatus() : null;
            if (status != null && !status.startsWith("2")) {
                throw usage("the scratch server refused an entry of the fixture " + file + ": "
                        + ServerText.clean(status, 200));
            }
        }
    }

    private static FhirmigException usage(String message) {
        return new FhirmigException(FhirmigException.Kind.USAGE, message);
    }
}
