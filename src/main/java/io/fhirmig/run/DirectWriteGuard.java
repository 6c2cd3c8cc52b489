package io.fhirmig.run;

import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import io.fhirmig.api.FhirmigException;

/**
 * Registered on the client while a transactional migration runs: a write sent straight to the
 * server would escape the step's transaction, so it is refused before it is sent.
 */
final class DirectWriteGuard implements IClientInterceptor {

    private final String fileName;

    DirectWriteGuard(String fileName) {
        this.fileName = fileName;
    }

    @Override
    public void interceptRequest(IHttpRequest request) {
        String method = request.getHttpVerbName();
        if (!"GET".equalsIgnoreCase(method) && !"HEAD".equalsIgnoreCase(method)) {
            throw new FhirmigException(FhirmigException.Kind.MIGRATION_FAILED,
                    fileName + " is transactional, so it must write through migration.create(),"
                            + " migration.update() or migration.delete(), not the fhir client (" + method + " "
                            + request.getUri() + ")");
        }
    }

    @Override
    public void interceptResponse(IHttpResponse response) {
        // Reads pass through untouched.
    }
}
