package io.fhirmig.fhir;

/**
 * Answers the writes of a dry run in the server's place (see {@link FhirConnection#captureWrites}),
 * and the reads of what they wrote. Searches are never offered to it.
 */
@FunctionalInterface
public interface WriteCapture {

    /**
     * A request that may change data: every method but GET and HEAD, except searches by POST
     * ({@code _search}).
     *
     * @param method the HTTP method, upper case
     * @param url the URL relative to the server's base, with its query ({@code Patient/1},
     *     {@code Patient?identifier=x|1}, {@code ""} for the base, {@code Patient/1/$meta-delete})
     * @param contentType the body's media type, or null
     * @param body the body as text, or null
     * @param ifMatch the {@code If-Match} header, or null
     * @param ifNoneExist the {@code If-None-Exist} header of a conditional create, or null
     */
    record Request(String method, String url, String contentType, String body, String ifMatch, String ifNoneExist) {
    }

    /**
     * What the server would have answered.
     *
     * @param status the HTTP status
     * @param body a FHIR JSON body, or null
     * @param location the {@code Location} header (absolute), or null
     */
    record Answer(int status, String body, String location) {
    }

    /**
     * Records the request and answers it as the server would have.
     *
     * @param request the write
     * @return the answer, or null for a request that changes nothing after all (a batch of reads, an
     *     operation that only reads), which is then sent; a write that cannot be answered without the
     *     server is refused by throwing a {@link io.fhirmig.api.FhirmigException} that says so
     */
    Answer answer(Request request);

    /**
     * Answers a read of one resource that an earlier write of the dry run would have changed.
     *
     * @param url the resource, relative to the server's base ({@code Patient/1})
     * @return the answer, or null to send the read to the server
     */
    default Answer read(String url) {
        return null;
    }
}
