package io.fhirmig.state;

import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import io.fhirmig.FhirmigException;
import io.fhirmig.fhir.FhirConnection;
import io.fhirmig.fhir.ServerErrors;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.IdType;

/**
 * The state kept on a FHIR server in {@code Basic} resources (see {@link StateResources}). Resources
 * are found by identifier search, never by client-assigned ids, so any server accepts them; every
 * write is one transaction whose state entry carries {@code If-Match}.
 */
public final class FhirStateStore implements StateStore {

    /** Applied records are read in pages of this size (servers cap it at their own maximum). */
    private static final int PAGE_SIZE = 1000;

    private final IGenericClient client;
    private final String displayUrl;
    private final String namespace;
    private final CommitListener listener;

    public FhirStateStore(FhirConnection connection, String namespace) {
        this(connection, namespace, (expected, change, result) -> { });
    }

    /**
     * A store that tells the listener of every state change it commits, the lock's included.
     *
     * @param connection the server
     * @param namespace the namespace whose state this is
     * @param listener told of each commit once the server accepted it
     */
    public FhirStateStore(FhirConnection connection, String namespace, CommitListener listener) {
        this.client = connection.client();
        this.displayUrl = connection.displayUrl();
        this.namespace = namespace;
        this.listener = listener;
    }

    /** Told of every commit the server accepted: e.g. to keep a copy of the applied records up to date. */
    @FunctionalInterface
    public interface CommitListener {
        /**
         * @param expected the state the commit replaced
         * @param change what the commit wrote
         * @param result the state after it
         */
        void committed(StateSnapshot expected, StateChange change, StateSnapshot result);
    }

    @Override
    public String namespace() {
        return namespace;
    }

    @Override
    public StateSnapshot read() {
        Bundle found = call("reading the migration state", () -> client.search()
                .byUrl("Basic?identifier=" + encode(StateResources.STATE_SYSTEM + "|" + namespace))
                .cacheControl(noCache())
                .returnBundle(Bundle.class)
                .execute());
        // Two runs that create the state at the same moment can both succeed (HAPI's conditional
        // create is not atomic under concurrency). Every client then picks the same one, and the
        // empty, unlocked others are removed so that the state stays one resource.
        List<Basic> states = found.getEntry().stream()
                .map(BundleEntryComponent::getResource)
                .filter(Basic.class::isInstance)
                .map(Basic.class::cast)
                .sorted(Comparator.comparing((Basic b) -> b.getIdElement().getIdPart().length())
                        .thenComparing(b -> b.getIdElement().getIdPart()))
                .toList();
        if (states.isEmpty()) {
            return StateSnapshot.none();
        }
        states.stream().skip(1).forEach(this::removeIfUnused);
        return StateResources.readState(states.get(0));
    }

    private void removeIfUnused(Basic duplicate) {
        StateSnapshot state = StateResources.readState(duplicate);
        if (!state.heads().isEmpty() || state.locked()) {
            return;
        }
        try {
            client.delete().resourceById(duplicate.getIdElement().toUnqualifiedVersionless()).execute();
        } catch (RuntimeException e) {
            // Best effort: nobody reads a state that is not the first, so a leftover is harmless.
        }
    }

    @Override
    public StateSnapshot acquireLock(LockInfo lock) {
        StateSnapshot current = read();
        if (!current.exists()) {
            try {
                client.create()
                        .resource(StateResources.newState(namespace, List.of(), null))
                        .conditionalByUrl("Basic?identifier=" + encode(StateResources.STATE_SYSTEM + "|" + namespace))
                        .execute();
            } catch (ResourceVersionConflictException | PreconditionFailedException e) {
                // Another run created the state at the same moment; HAPI refuses the second
                // conditional create with 409. Its state is as good as ours.
                current = read();
                if (!current.exists()) {
                    throw new StateChangedException(namespace, e);
                }
            } catch (RuntimeException e) {
                throw ServerErrors.translate(e, displayUrl, "creating the migration state");
            }
            current = read();
        }
        if (heldByAnother(current, lock)) {
            throw new LockedException(namespace, current.lock());
        }
        StateSnapshot locked;
        try {
            locked = commit(current, StateChange.of(current.heads(), lock));
        } catch (StateChangedException e) {
            // Another run wrote between our read and our write: most likely it took the lock, so
            // name it rather than only saying that the state changed.
            StateSnapshot now = read();
            if (heldByAnother(now, lock)) {
                throw new LockedException(namespace, now.lock());
            }
            throw e;
        }
        // A state created at the same moment by another run may have become the one every client
        // reads: then this lock guards nothing, so give it back and let the run stop.
        if (!locked.resourceId().equals(read().resourceId())) {
            try {
                commit(locked, StateChange.of(locked.heads(), null));
            } catch (RuntimeException e) {
                // Already removed as an unused duplicate: nothing left to give back.
            }
            throw new StateChangedException(namespace, null);
        }
        return locked;
    }

    private static boolean heldByAnother(StateSnapshot state, LockInfo lock) {
        return state.locked() && !state.lock().owner().equals(lock.owner()) && !state.lock().expiredAt(Instant.now());
    }

    @Override
    public StateSnapshot commit(StateSnapshot expected, StateChange change) {
        if (!expected.exists()) {
            throw new IllegalStateException("commit needs a state read from the server");
        }
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        Basic state = StateResources.newState(namespace, change.heads(), change.lock());
        state.setId(expected.resourceId());
        transaction.addEntry()
                .setFullUrl("Basic/" + expected.resourceId())
                .setResource(state)
                .getRequest().setMethod(HTTPVerb.PUT).setUrl("Basic/" + expected.resourceId())
                .setIfMatch("W/\"" + expected.versionId() + "\"");
        String appliedSystem = StateResources.appliedSystem(namespace);
        for (AppliedRecord record : change.recordsToCreate()) {
            transaction.addEntry()
                    .setFullUrl(IdType.newRandomUuid().getValue())
                    .setResource(StateResources.newApplied(namespace, record))
                    .getRequest().setMethod(HTTPVerb.POST).setUrl("Basic")
                    .setIfNoneExist("identifier=" + encode(appliedSystem + "|" + record.revision()));
        }
        for (AppliedRecord record : change.recordsToUpdate()) {
            transaction.addEntry()
                    .setResource(StateResources.newApplied(namespace, record))
                    .getRequest().setMethod(HTTPVerb.PUT)
                    .setUrl("Basic?identifier=" + encode(appliedSystem + "|" + record.revision()));
        }
        for (String revision : change.revisionsToForget()) {
            transaction.addEntry()
                    .getRequest().setMethod(HTTPVerb.DELETE)
                    .setUrl("Basic?identifier=" + encode(appliedSystem + "|" + revision));
        }
        change.dataEntries().forEach(transaction::addEntry);

        String response;
        try {
            // Sent and answered as text: only the state's new version is needed from the answer, and
            // reading that directly costs a fraction of parsing the whole response Bundle.
            response = client.transaction().withBundle(client.getFhirContext().newJsonParser()
                    .encodeResourceToString(transaction)).execute();
        } catch (ResourceVersionConflictException | PreconditionFailedException | ResourceGoneException e) {
            // 410: the resource was removed as a duplicate state by another run.
            throw conflict(expected, e);
        } catch (RuntimeException e) {
            throw ServerErrors.translate(e, displayUrl, "committing the migration state");
        }
        String version = TransactionResponses.firstEntryVersion(client.getFhirContext(), response);
        if (version == null) {
            version = read().versionId();
        }
        StateSnapshot result = new StateSnapshot(change.heads().stream().sorted().toList(), change.lock(),
                expected.resourceId(), version);
        listener.committed(expected, change, result);
        return result;
    }

    /** 409 or 412: either another run moved the state, or the server refused one of the data writes. */
    private FhirmigException conflict(StateSnapshot expected, RuntimeException e) {
        StateSnapshot now = read();
        if (!String.valueOf(now.versionId()).equals(expected.versionId())) {
            return new StateChangedException(namespace, e);
        }
        return new FhirmigException(FhirmigException.Kind.SERVER,
                "the FHIR server at " + displayUrl + " refused the step's transaction (HTTP 409): "
                        + e.getMessage().lines().findFirst().orElse(""), e);
    }

    @Override
    public LockInfo forceUnlock() {
        for (int attempt = 0; ; attempt++) {
            StateSnapshot current = read();
            if (!current.locked()) {
                return null;
            }
            try {
                commit(current, StateChange.of(current.heads(), null));
                return current.lock();
            } catch (StateChangedException e) {
                if (attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    @Override
    public List<AppliedRecord> appliedRecords() {
        List<AppliedRecord> records = new ArrayList<>();
        Bundle page = call("reading the applied migrations", () -> client.search()
                .byUrl("Basic?identifier=" + encode(StateResources.appliedSystem(namespace) + "|")
                        + "&_count=" + PAGE_SIZE)
                .cacheControl(noCache())
                .returnBundle(Bundle.class)
                .execute());
        while (true) {
            for (BundleEntryComponent entry : page.getEntry()) {
                if (entry.getResource() instanceof Basic basic) {
                    AppliedRecord record = StateResources.readApplied(basic);
                    if (record != null) {
                        records.add(record);
                    }
                }
            }
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                return records;
            }
            Bundle current = page;
            page = call("reading the applied migrations", () -> client.loadPage().next(current).execute());
        }
    }

    private <T> T call(String action, Supplier<T> request) {
        try {
            return request.get();
        } catch (RuntimeException e) {
            throw ServerErrors.translate(e, displayUrl, action);
        }
    }

    private static CacheControlDirective noCache() {
        // HAPI reuses earlier search results for identical searches unless told not to.
        return new CacheControlDirective().setNoCache(true);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
