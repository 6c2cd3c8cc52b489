package io.fhirmig.run;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import io.fhirmig.api.DryRunReport;
import io.fhirmig.api.FhirmigException;
import io.fhirmig.fhir.FhirConnection;
import io.fhirmig.fhir.WriteCapture;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.http.impl.EnglishReasonPhraseCatalog;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Resource;

/**
 * The writes of a dry run. Installed on the connection ({@link FhirConnection#captureWrites}), it
 * answers every write a script sends, through {@code fhir} or {@code migration.*}, as the server
 * would have: an update gets the next version, a create an id of its own ({@code dry-run-1}), a
 * version that does not match {@code If-Match} a 412. Bulk operations and transactional migrations,
 * which hold their writes themselves under a dry run, hand them over with {@link #planned}. Each
 * write is kept with the values it would change, read from the server as it is now.
 *
 * <p>A read of a resource that an earlier write of the dry run created, updated or deleted is answered
 * as the server would answer it after that write, so that the next step finds what the step before
 * it wrote. Searches, and bulk operations' pages, see the server as it is.
 */
public final class DryRunRecorder implements WriteCapture {

    /** Operations that change nothing on the server: sent even in a dry run. */
    private static final Set<String> READ_ONLY_OPERATIONS = Set.of("validate", "everything", "expand", "lookup",
            "validate-code", "translate", "subsumes", "match", "lastn", "stats", "meta", "graphql");
    private static final Set<String> META_OPERATIONS = Set.of("meta-add", "meta-delete");

    private final FhirContext context;
    private final IGenericClient client;
    private final IParser json;
    private final ResourceValues values;
    private final String base;
    private final List<DryRunReport.Write> kept = new ArrayList<>();
    /** What the writes answered here left, by {@code Type/id}; a deleted resource maps to null. */
    private final Map<String, Resource> written = new HashMap<>();
    private long count;
    private int createdIds;

    public DryRunRecorder(FhirConnection connection) {
        this.context = connection.context();
        this.client = connection.client();
        this.json = context.newJsonParser();
        this.values = new ResourceValues(context);
        String url = connection.options().url();
        this.base = url.endsWith("/") ? url : url + "/";
    }

    /** The writes a step made, in order (the first {@link DryRunReport.Step#KEPT_WRITES}), and how many in all. */
    public record StepWrites(List<DryRunReport.Write> writes, long count) {

        /**
         * {@return how many resources the writes would change: those updated with a change, deleted or
         * created; -1 when not every write was kept}
         */
        public int changedResources() {
            if (count > writes.size()) {
                return -1;
            }
            Set<String> changed = new java.util.HashSet<>();
            int created = 0;
            for (DryRunReport.Write write : writes) {
                String resource = write.url().replaceFirst("/\\$[^/?]*$", "");
                switch (write.method()) {
                    case "POST" -> {
                        if (write.url().contains("$")) {
                            changed.add(resource);
                        } else {
                            created++;
                        }
                    }
                    case "PUT" -> {
                        if (!write.changes().isEmpty()) {
                            changed.add(resource);
                        }
                    }
                    default -> changed.add(resource);
                }
            }
            return changed.size() + created;
        }
    }

    /** Starts recording a new step's writes. */
    public synchronized void startStep() {
        kept.clear();
        count = 0;
    }

    /** {@return the writes recorded since {@link #startStep()}} */
    public synchronized StepWrites stepWrites() {
        return new StepWrites(List.copyOf(kept), count);
    }

    /**
     * Records a write that a bulk operation held back before it reached the connection. Unlike the
     * other writes, it is not remembered for later reads: a bulk operation may write millions.
     *
     * @param entry the write, as a Bundle entry
     * @param before the resource as the operation read it, or null for a create
     */
    public void planned(BundleEntryComponent entry, Resource before) {
        String method = entry.getRequest().getMethod().toCode();
        record(method, entry.getRequest().getUrl(), "DELETE".equals(method) ? null : before, entry.getResource());
    }

    @Override
    public Answer answer(Request request) {
        String url = request.url();
        String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        String[] segments = path.isEmpty() ? new String[0] : path.split("/");
        String operation = segments.length > 0 && segments[segments.length - 1].startsWith("$")
                ? segments[segments.length - 1].substring(1) : null;
        if (operation != null) {
            return operation(request, operation);
        }
        String method = request.method();
        if (segments.length == 0 && method.equals("POST")) {
            return bundle(request);
        }
        return switch (method) {
            case "POST" -> createdUnlessFound(path, parse(request), request.ifNoneExist());
            case "PUT" -> updated(url, parse(request), request.ifMatch());
            case "DELETE" -> deleted(url);
            case "PATCH" -> {
                record("PATCH", url, null, null);
                Resource current = url.contains("?") ? null : currentOf(url);
                yield new Answer(200, current == null ? outcome("dry run: not patched") : json.encodeResourceToString(current),
                        null);
            }
            default -> throw cannotAnswer(request);
        };
    }

    @Override
    public Answer read(String url) {
        Resource resource;
        synchronized (this) {
            if (!written.containsKey(url)) {
                return null;
            }
            resource = written.get(url);
        }
        return resource == null ? new Answer(410, outcome("dry run: " + url + " was deleted"), null)
                : new Answer(200, json.encodeResourceToString(resource), null);
    }

    private synchronized void remember(String reference, Resource resource) {
        written.put(reference, resource);
    }

    private Answer operation(Request request, String operation) {
        if (READ_ONLY_OPERATIONS.contains(operation.toLowerCase(Locale.ROOT))) {
            return null;
        }
        if (!META_OPERATIONS.contains(operation) || !request.method().equals("POST")) {
            throw cannotAnswer(request);
        }
        record("POST", request.url(), null, null);
        // The meta the server would return is the resource's with the change made; the change itself is
        // what a script can act on, so it is returned as it was sent.
        Parameters sent = request.body() == null ? new Parameters() : (Parameters) parse(request);
        Parameters answer = new Parameters();
        Meta meta = sent.getParameter().stream().filter(p -> "meta".equals(p.getName()) && p.getValue() instanceof Meta)
                .map(p -> (Meta) p.getValue()).findFirst().orElse(new Meta());
        answer.addParameter().setName("return").setValue(meta);
        return new Answer(200, json.encodeResourceToString(answer), null);
    }

    private Answer bundle(Request request) {
        Resource parsed = parse(request);
        if (!(parsed instanceof Bundle bundle) || bundle.getType() != Bundle.BundleType.TRANSACTION
                && bundle.getType() != Bundle.BundleType.BATCH) {
            throw cannotAnswer(request);
        }
        boolean reads = bundle.getEntry().stream().anyMatch(e -> e.getRequest().getMethod() == HTTPVerb.GET
                || e.getRequest().getMethod() == HTTPVerb.HEAD);
        boolean writes = bundle.getEntry().stream().anyMatch(e -> e.getRequest().getMethod() != HTTPVerb.GET
                && e.getRequest().getMethod() != HTTPVerb.HEAD);
        if (!writes) {
            return null;
        }
        if (reads) {
            throw new FhirmigException(FhirmigException.Kind.MIGRATION_FAILED, "a dry run holds back every write,"
                    + " and cannot answer a " + bundle.getType().toCode() + " Bundle that both reads and writes; send"
                    + " its reads apart, or skip it when migration.dryRun is true");
        }
        Bundle response = new Bundle().setType(bundle.getType() == Bundle.BundleType.TRANSACTION
                ? Bundle.BundleType.TRANSACTIONRESPONSE : Bundle.BundleType.BATCHRESPONSE);
        for (BundleEntryComponent entry : bundle.getEntry()) {
            Answer answer = entry(entry);
            BundleEntryComponent answered = response.addEntry();
            answered.getResponse().setStatus(answer.status() + " " + reason(answer.status()));
            if (answer.location() != null) {
                answered.getResponse().setLocation(answer.location().substring(base.length()));
            }
        }
        return new Answer(200, json.encodeResourceToString(response), null);
    }

    /**
     * Records the writes a transactional migration collected for its transaction, which a dry run
     * never sends, as if the transaction had been made.
     *
     * @throws FhirmigException when the server would refuse the transaction (a version that does not
     *     match {@code If-Match})
     */
    public void heldInTransaction(List<BundleEntryComponent> entries) {
        for (BundleEntryComponent entry : entries) {
            Answer answer = entry(entry);
            if (answer.status() == 412) {
                throw new FhirmigException(FhirmigException.Kind.MIGRATION_FAILED, "the step's transaction would be"
                        + " refused: " + entry.getRequest().getMethod().toCode() + " " + entry.getRequest().getUrl()
                        + ": " + answer.body());
            }
        }
    }

    private Answer entry(BundleEntryComponent entry) {
        String method = entry.getRequest().getMethod().toCode();
        String url = entry.getRequest().getUrl();
        return switch (method) {
            case "POST" -> createdUnlessFound(url, entry.getResource(),
                    entry.getRequest().hasIfNoneExist() ? entry.getRequest().getIfNoneExist() : null);
            case "PUT" -> updated(url, entry.getResource(), entry.getRequest().getIfMatch());
            case "DELETE" -> {
                deleted(url);
                yield new Answer(204, null, null);
            }
            default -> {
                record(method, url, null, null);
                yield new Answer(200, null, null);
            }
        };
    }

    private Answer deleted(String url) {
        record("DELETE", url, null, null);
        if (!url.contains("?")) {
            remember(url, null);
        }
        return new Answer(200, outcome("dry run: not deleted"), null);
    }

    /** A conditional create ({@code If-None-Exist}) that finds its resource changes nothing, as on the server. */
    private Answer createdUnlessFound(String type, Resource resource, String ifNoneExist) {
        if (ifNoneExist != null) {
            Resource found = currentOf(type + "?" + (ifNoneExist.contains("?")
                    ? ifNoneExist.substring(ifNoneExist.indexOf('?') + 1) : ifNoneExist));
            if (found != null) {
                return new Answer(200, json.encodeResourceToString(found),
                        base + found.fhirType() + "/" + found.getIdElement().getIdPart() + "/_history/"
                                + found.getMeta().getVersionId());
            }
        }
        return created(type, resource);
    }

    private Answer created(String type, Resource resource) {
        String id = "dry-run-" + nextCreatedId();
        record("POST", type, null, resource);
        return written(resource, type, id, "1", 201);
    }

    private Answer updated(String url, Resource resource, String ifMatch) {
        Resource current = currentOf(url);
        String reference = url;
        if (url.contains("?")) {
            // A conditional update: the resource it finds is the one it would update.
            reference = current == null ? null : current.fhirType() + "/" + current.getIdElement().getIdPart();
        }
        String version = current == null ? null : current.getMeta().getVersionId();
        if (ifMatch != null && !ifMatch.replace("W/", "").replace("\"", "").equals(version)) {
            countOne();
            return new Answer(412, outcome("dry run: the resource is at version " + version + ", not "
                    + ifMatch), null);
        }
        record("PUT", url, current, resource);
        String type = resource == null ? url.split("[/?]")[0] : resource.fhirType();
        String id = reference != null ? reference.substring(reference.indexOf('/') + 1)
                : "dry-run-" + nextCreatedId();
        return written(resource, type, id, current == null ? "1" : nextVersion(version), current == null ? 201 : 200);
    }

    private synchronized int nextCreatedId() {
        return ++createdIds;
    }

    private Answer written(Resource resource, String type, String id, String version, int status) {
        String location = base + type + "/" + id + "/_history/" + version;
        if (resource == null) {
            return new Answer(status, null, location);
        }
        Resource answered = resource.copy();
        answered.setId(type + "/" + id + "/_history/" + version);
        answered.getMeta().setVersionId(version).setLastUpdated(new Date());
        remember(type + "/" + id, answered);
        return new Answer(status, json.encodeResourceToString(answered), location);
    }

    private static String nextVersion(String version) {
        try {
            return String.valueOf(Long.parseLong(version) + 1);
        } catch (NumberFormatException e) {
            return version + "-dry-run";
        }
    }

    /** The resource a write's URL names, as it is on the server, or null when there is none (or several). */
    private Resource currentOf(String url) {
        try {
            if (url.contains("?")) {
                Bundle found = client.search().byUrl(url).cacheControl(new CacheControlDirective().setNoCache(true))
                        .returnBundle(Bundle.class).execute();
                List<BundleEntryComponent> matches = found.getEntry().stream()
                        .filter(e -> e.getSearch().getMode() != Bundle.SearchEntryMode.OUTCOME).toList();
                return matches.size() == 1 ? matches.get(0).getResource() : null;
            }
            String[] parts = url.split("/");
            if (parts.length < 2) {
                return null;
            }
            synchronized (this) {
                if (written.containsKey(parts[0] + "/" + parts[1])) {
                    return written.get(parts[0] + "/" + parts[1]);
                }
            }
            return (Resource) client.read().resource(parts[0]).withId(parts[1])
                    .cacheControl(new CacheControlDirective().setNoCache(true)).execute();
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return null;
        }
    }

    private boolean keeps() {
        synchronized (this) {
            return kept.size() < DryRunReport.Step.KEPT_WRITES;
        }
    }

    private synchronized void countOne() {
        count++;
    }

    private void record(String method, String url, Resource before, Resource after) {
        List<DryRunReport.Change> changes = new ArrayList<>();
        int more = 0;
        if (after != null && keeps()) {
            Map<String, String> was = before == null ? Map.of() : values.of(before);
            for (ResourceValues.Change change : ResourceValues.changes(was, values.of(after))) {
                if (changes.size() < DryRunReport.Write.KEPT_CHANGES) {
                    changes.add(new DryRunReport.Change(change.path(), change.before(), change.after()));
                } else {
                    more++;
                }
            }
        }
        synchronized (this) {
            count++;
            if (kept.size() < DryRunReport.Step.KEPT_WRITES) {
                kept.add(new DryRunReport.Write(method, url, changes, more));
            }
        }
    }

    private Resource parse(Request request) {
        if (request.body() == null || request.body().isBlank()) {
            return null;
        }
        EncodingEnum encoding = request.contentType() == null ? null : EncodingEnum.forContentType(request.contentType());
        IParser parser = encoding == null ? json : encoding.newParser(context);
        return (Resource) parser.parseResource(request.body());
    }

    private String outcome(String text) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                .setCode(OperationOutcome.IssueType.INFORMATIONAL).setDiagnostics(text);
        return json.encodeResourceToString(outcome);
    }

    private static String reason(int status) {
        return EnglishReasonPhraseCatalog.INSTANCE.getReason(status, null);
    }

    private static FhirmigException cannotAnswer(Request request) {
        return new FhirmigException(FhirmigException.Kind.MIGRATION_FAILED, "a dry run holds back every write, and"
                + " cannot tell what the server would answer to " + request.method() + " " + request.url()
                + " without sending it; skip that request when migration.dryRun is true");
    }
}
