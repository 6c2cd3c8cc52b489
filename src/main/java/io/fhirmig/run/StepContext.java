package io.fhirmig.run;

import io.fhirmig.api.ProgressListener;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.fhirmig.api.FhirmigException;
import io.fhirmig.script.MigrationContext;
import groovy.lang.Closure;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;

/**
 * The {@code migration} binding of one step, with write helpers. In a transactional migration
 * ({@code transactional = true}) the writes are collected and committed in the step's transaction,
 * together with the applied record and the new head: all of it lands, or none of it. Otherwise they
 * go to the server at once.
 */
public class StepContext extends MigrationContext {

    private final boolean transactional;
    private final Supplier<IGenericClient> clientMaker;
    private IGenericClient client;
    private final List<BundleEntryComponent> collected = new ArrayList<>();
    private final List<BulkSummary> bulkSummaries = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AuditLog audit;
    private final ProgressListener progress;
    private final DryRunRecorder dryRunWrites;
    private BulkRewriter bulk;

    public StepContext(String revision, String direction, boolean dryRun, String namespace,
            Map<String, String> parameters, boolean transactional, IGenericClient client) {
        this(revision, direction, dryRun, namespace, parameters, transactional, client, null);
    }

    /**
     * @param audit where bulk operations audit their summaries, or {@code null}
     */
    public StepContext(String revision, String direction, boolean dryRun, String namespace,
            Map<String, String> parameters, boolean transactional, IGenericClient client, AuditLog audit) {
        this(revision, direction, dryRun, namespace, parameters, transactional, client, audit, ProgressListener.NONE);
    }

    /**
     * @param progress told of bulk operations' progress
     */
    public StepContext(String revision, String direction, boolean dryRun, String namespace,
            Map<String, String> parameters, boolean transactional, IGenericClient client, AuditLog audit,
            ProgressListener progress) {
        this(revision, direction, dryRun, namespace, parameters, transactional, client, audit, progress, null);
    }

    /**
     * @param dryRunWrites for a dry run, told of the writes that bulk operations hold back; null for a
     *     real run
     */
    public StepContext(String revision, String direction, boolean dryRun, String namespace,
            Map<String, String> parameters, boolean transactional, IGenericClient client, AuditLog audit,
            ProgressListener progress, DryRunRecorder dryRunWrites) {
        this(revision, direction, dryRun, namespace, parameters, transactional, () -> client, audit, progress,
                dryRunWrites, true);
    }

    private StepContext(String revision, String direction, boolean dryRun, String namespace,
            Map<String, String> parameters, boolean transactional, Supplier<IGenericClient> client, AuditLog audit,
            ProgressListener progress, DryRunRecorder dryRunWrites, boolean unused) {
        super(revision, direction, dryRun, namespace, parameters);
        this.transactional = transactional;
        this.clientMaker = client;
        this.audit = audit;
        this.progress = progress;
        this.dryRunWrites = dryRunWrites;
    }

    /**
     * A step's context whose client is made when the step first writes through it: a step that
     * sends nothing never starts HAPI's client (see {@link io.fhirmig.script.ScriptBindings}).
     *
     * @param client makes the client; called at most once
     * @param audit where bulk operations audit their summaries, or {@code null}
     * @param progress told of bulk operations' progress
     */
    public static StepContext withClientMadeOnUse(String revision, String direction, String namespace,
            Map<String, String> parameters, boolean transactional, Supplier<IGenericClient> client, AuditLog audit,
            ProgressListener progress) {
        return new StepContext(revision, direction, false, namespace, parameters, transactional, client, audit,
                progress, null, true);
    }

    private synchronized IGenericClient client() {
        if (client == null) {
            client = clientMaker.get();
        }
        return client;
    }

    private synchronized BulkRewriter bulk() {
        if (bulk == null) {
            bulk = new BulkRewriter(client(), audit, getRevision(), getDirection(), isDryRun(), progress, dryRunWrites);
        }
        return bulk;
    }

    /**
     * Rewrites every resource a search finds: {@code change} gets each resource and returns it, edited,
     * to have it written (with {@code If-Match} on the version it read), or {@code null} to leave it.
     * Writes go in Bundles; see {@link BulkRewriter} and {@link BulkOptions} for the options
     * ({@code pageSize}, {@code batchSize}, {@code threads}, {@code bundleType}, {@code progress}).
     * Under a dry run it counts what would change and writes nothing.
     *
     * @param query a search such as {@code Patient?identifier=urn:example:legacy-id|}
     */
    public BulkSummary forEach(String query, Map<String, ?> options, Closure<?> change) {
        requireNotTransactional("forEach");
        return done(bulk().forEach(query, options, change));
    }

    public BulkSummary forEach(String query, Closure<?> change) {
        return forEach(query, Map.of(), change);
    }

    /** For Groovy's named arguments: {@code migration.forEach('Patient?...', batchSize: 50) { ... }}. */
    public BulkSummary forEach(Map<String, ?> options, String query, Closure<?> change) {
        return forEach(query, options, change);
    }

    /** Creates many resources (server-assigned ids) in Bundles of {@code batchSize}. */
    public BulkSummary create(Collection<? extends Resource> resources, Map<String, ?> options) {
        if (transactional) {
            resources.forEach(this::create);
            return done(new BulkSummary("create", null, resources.size(), resources.size(), 0, 0, 0, List.of(),
                    List.of(), 0, isDryRun(), 0));
        }
        return done(bulk().create(resources, options));
    }

    public BulkSummary create(Collection<? extends Resource> resources) {
        return create(resources, Map.of());
    }

    public BulkSummary create(Map<String, ?> options, Collection<? extends Resource> resources) {
        return create(resources, options);
    }

    /**
     * Deletes every resource a search finds, in Bundles of {@code batchSize}. (Named apart from
     * {@link #delete(String)}, which deletes one resource or makes one conditional delete.)
     */
    public BulkSummary deleteAll(String query, Map<String, ?> options) {
        requireNotTransactional("deleteAll");
        return done(bulk().deleteAll(query, options));
    }

    public BulkSummary deleteAll(String query) {
        return deleteAll(query, Map.of());
    }

    public BulkSummary deleteAll(Map<String, ?> options, String query) {
        return deleteAll(query, options);
    }

    private BulkSummary done(BulkSummary summary) {
        bulkSummaries.add(summary);
        return summary;
    }

    /** {@return what the step's bulk operations did, in the order they finished} */
    public List<BulkSummary> bulkSummaries() {
        synchronized (bulkSummaries) {
            return List.copyOf(bulkSummaries);
        }
    }

    private void requireNotTransactional(String action) {
        if (transactional) {
            throw new FhirmigException(FhirmigException.Kind.MIGRATION_FAILED, "migration." + action
                    + "() writes in many Bundles and cannot join a transactional migration's single transaction;"
                    + " set transactional = false (and make the migration safe to re-run)");
        }
    }

    public boolean isTransactional() {
        return transactional;
    }

    /** Creates a resource (with a server-assigned id). */
    public void create(Resource resource) {
        if (transactional) {
            collected.add(entry(resource, HTTPVerb.POST, resource.fhirType())
                    .setFullUrl(IdType.newRandomUuid().getValue()));
        } else {
            client().create().resource(resource).execute();
        }
    }

    /**
     * Updates (or creates with its id) a resource. When the resource carries a version, the write is
     * made with {@code If-Match}, so a concurrent edit is refused instead of overwritten.
     */
    public void update(Resource resource) {
        requireId(resource, "update");
        IdType id = resource.getIdElement();
        if (transactional) {
            BundleEntryComponent entry = entry(resource, HTTPVerb.PUT, id.getResourceType() == null
                    ? resource.fhirType() + "/" + id.getIdPart()
                    : id.getResourceType() + "/" + id.getIdPart());
            if (id.hasVersionIdPart()) {
                entry.getRequest().setIfMatch("W/\"" + id.getVersionIdPart() + "\"");
            }
            collected.add(entry);
        } else if (id.hasVersionIdPart()) {
            client().update().resource(resource).withId(id).execute();
        } else {
            client().update().resource(resource).execute();
        }
    }

    /** Deletes a resource by reference ({@code Patient/example}) or by search ({@code Patient?identifier=...}). */
    public void delete(String reference) {
        if (transactional) {
            BundleEntryComponent entry = new BundleEntryComponent();
            entry.getRequest().setMethod(HTTPVerb.DELETE).setUrl(reference);
            collected.add(entry);
        } else if (reference.contains("?")) {
            client().delete().resourceConditionalByUrl(reference).execute();
        } else {
            client().delete().resourceById(new IdType(reference)).execute();
        }
    }

    /** The writes a transactional migration collected, for the step's transaction. */
    public List<BundleEntryComponent> collectedEntries() {
        return List.copyOf(collected);
    }

    private static BundleEntryComponent entry(Resource resource, HTTPVerb verb, String url) {
        BundleEntryComponent entry = new Bundle.BundleEntryComponent().setResource(resource);
        entry.getRequest().setMethod(verb).setUrl(url);
        return entry;
    }

    private static void requireId(Resource resource, String action) {
        if (!resource.getIdElement().hasIdPart()) {
            throw new FhirmigException(FhirmigException.Kind.MIGRATION_FAILED,
                    "migration." + action + "() needs a resource with an id; use migration.create() for new ones");
        }
    }
}
