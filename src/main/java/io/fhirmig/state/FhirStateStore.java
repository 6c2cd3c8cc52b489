package io.fhirmig.state;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import com.fasterxml.jackson.core.JsonGenerator;
import io.fhirmig.api.FhirmigException;
import io.fhirmig.fhir.FhirConnection;
import io.fhirmig.fhir.Origins;
import io.fhirmig.api.ServerText;
import io.fhirmig.fhir.ServerErrors;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;

/**
 * The state kept on a FHIR server in {@code Basic} resources (see {@link StateResources}). Resources
 * are found by identifier search, never by client-assigned ids, so any server accepts them; every
 * write is one transaction whose state entry carries {@code If-Match}.
 */
public final class FhirStateStore implements StateStore {

    /** How often a commit known not to have landed is sent, in all. */
    private static final int COMMIT_ATTEMPTS = 3;

    /** Applied records are read in pages of this size (servers cap it at their own maximum). */
    private static final int PAGE_SIZE = 1000;

    private final StateTransport transport;
    private final FhirConnection connection;
    private final String displayUrl;
    private final String namespace;
    /** The identifier searches of this namespace's state and of its applied records (any revision). */
    private final String stateIdentifier;
    private final String appliedIdentifier;
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
        this.transport = StateTransport.of(connection);
        this.connection = connection;
        this.displayUrl = connection.displayUrl();
        this.namespace = namespace;
        this.stateIdentifier = "identifier=" + encode(StateResources.STATE_SYSTEM + "|" + namespace);
        this.appliedIdentifier = "identifier=" + encode(StateResources.appliedSystem(namespace) + "|");
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

    /**
     * @throws InconsistentStateException when several state resources disagree or the lock cannot be
     *     read; it carries the state as far as it could be read, for commands that only show it
     */
    @Override
    public StateSnapshot read() {
        return readAll().get(0);
    }

    /**
     * The state every client reads, first, then any empty duplicates (see {@link #readAll}); reads only.
     * Read-only commands never write: the duplicates are removed when a run takes the lock.
     */
    private List<StateSnapshot> readAll() {
        List<StateResources.Found> found = call("reading the migration state",
                () -> StateResources.page(transport.searchFirstPageOnly("Basic?" + stateIdentifier), "Basic")).resources();
        if (found.isEmpty()) {
            return List.of(StateSnapshot.none());
        }
        // Ids go into URLs (If-Match, a duplicate's DELETE) and are compared for age: checked first.
        found.forEach(StateResources::checkIds);
        List<StateResources.Found> byAge = new ArrayList<>(found);
        byAge.sort((a, b) -> oldestFirst(a.id(), b.id()));
        List<StateSnapshot> states = byAge.stream().map(StateResources::readState).toList();
        StateSnapshot chosen = states.get(0);
        // Two runs that create the state at the same moment can both succeed (HAPI's conditional
        // create is not atomic under concurrency). Every client then picks the oldest, and the others
        // are removed while they are empty (no heads, no lock: nothing to lose, and which one is read
        // changes nothing). A duplicate with heads is no such race: which one is read would decide
        // what is applied, so nothing is chosen.
        List<StateSnapshot> disagreeing = states.stream().skip(1).filter(state -> !state.heads().isEmpty()).toList();
        if (!disagreeing.isEmpty()) {
            throw new InconsistentStateException(severalStates(states), chosen);
        }
        String lockProblem = StateResources.lockProblem(byAge.get(0));
        if (lockProblem != null) {
            throw new InconsistentStateException("the lock on the migration state of namespace '" + namespace
                    + "' (Basic/" + chosen.resourceId() + ") cannot be read: " + lockProblem
                    + ", so whether a run holds it is not known; nothing was changed. Once no fhirmig run is"
                    + " working on this namespace, clear it with `fhirmig unlock`", chosen);
        }
        return states;
    }

    /**
     * {@link #read()} for the commands that write, which also remove the empty duplicates that two runs
     * creating the state at the same moment leave (nothing to lose; see {@link #readAll}): as every read
     * of a writing run did before read-only commands stopped writing.
     */
    private StateSnapshot readForWriting() {
        List<StateSnapshot> all = readAll();
        all.stream().skip(1).forEach(this::removeIfUnused);
        return all.get(0);
    }

    private String severalStates(List<StateSnapshot> states) {
        List<String> described = new ArrayList<>();
        for (StateSnapshot state : states) {
            if (described.size() == 5) {
                described.add("and " + (states.size() - 5) + " more");
                break;
            }
            described.add("Basic/" + state.resourceId() + " ("
                    + (state.heads().isEmpty() ? "base, nothing applied" : "heads " + ServerText.list(state.heads(), 5))
                    + (state.locked() ? ", locked" : "") + ")");
        }
        return "namespace '" + namespace + "' has " + states.size() + " migration state resources, which disagree"
                + " about what is applied: " + String.join(", ", described) + "; nothing was changed. Keep the"
                + " one whose heads match the applied records (`fhirmig history` lists them) and delete the other"
                + (states.size() > 2 ? "s" : "") + " by id on the server (e.g. DELETE " + displayUrl + "/Basic/"
                + states.get(states.size() - 1).resourceId() + "), then run again";
    }

    private void removeIfUnused(StateSnapshot duplicate) {
        if (!duplicate.heads().isEmpty() || duplicate.locked() && !duplicate.lock().expiredAt(Instant.now())) {
            return;
        }
        try {
            transport.delete("Basic/" + duplicate.resourceId());
        } catch (RuntimeException e) {
            // Best effort: nobody reads a state that is not the first, so a leftover is harmless.
        }
    }

    @Override
    public StateSnapshot acquireLock(LockInfo lock, String abandonedOwner) {
        StateSnapshot current = readForWriting();
        if (!current.exists()) {
            try {
                transport.create(StateResources.write(out -> StateResources.writeState(out, null, namespace, List.of(), null)),
                        stateIdentifier);
            } catch (ResourceVersionConflictException | PreconditionFailedException e) {
                // Another run created the state at the same moment; HAPI refuses the second
                // conditional create with 409. Its state is as good as ours.
                current = readForWriting();
                if (!current.exists()) {
                    throw new StateChangedException(namespace, e);
                }
            } catch (RuntimeException e) {
                throw ServerErrors.translate(e, displayUrl, "creating the migration state");
            }
            current = readForWriting();
        }
        if (heldByAnother(current, lock, abandonedOwner)) {
            throw new LockedException(namespace, current.lock());
        }
        StateSnapshot locked;
        try {
            locked = commit(current, StateChange.of(current.heads(), lock));
        } catch (StateChangedException e) {
            // Another run wrote between our read and our write: most likely it took the lock, so
            // name it rather than only saying that the state changed.
            StateSnapshot now = readForWriting();
            if (heldByAnother(now, lock, abandonedOwner)) {
                throw new LockedException(namespace, now.lock());
            }
            throw e;
        } catch (CommitOutcomeUnknownException e) {
            throw giveBack(current, lock, e);
        }
        // A state created at the same moment by another run may have become the one every client
        // reads: then this lock guards nothing, so give it back and let the run stop.
        if (!locked.resourceId().equals(readForWriting().resourceId())) {
            try {
                commit(locked, StateChange.of(locked.heads(), null));
            } catch (RuntimeException e) {
                // Already removed as an unused duplicate: nothing left to give back.
            }
            throw new StateChangedException(namespace, null);
        }
        return locked;
    }

    /**
     * After the answer to taking the lock was lost and the state could not be read back: the lock may
     * be on the server with no run behind it, blocking every run until it lapses. Taking it (as a
     * compare-and-set on the expected version) is what would have made the version after it, so a
     * release conditional on that version clears only that lock, and a release found against a state
     * that moved on still clears nothing but this run's own lock (see {@link #conflict}).
     */
    private FhirmigException giveBack(StateSnapshot before, LockInfo lock, CommitOutcomeUnknownException lost) {
        String next = nextVersion(before.versionId());
        if (next == null) {
            return lost;
        }
        try {
            commit(new StateSnapshot(before.heads(), lock, before.resourceId(), next), StateChange.of(before.heads(), null));
        } catch (StateChangedException notTaken) {
            // The version after is not this lock: it was never taken (or is gone already).
        } catch (RuntimeException stillUnreachable) {
            return lost;
        }
        return new FhirmigException(FhirmigException.Kind.SERVER, "the answer to taking the lock on namespace '"
                + namespace + "' was lost and the state could not be read back; this run holds no lock now."
                + " Run again once the server answers"
                + (lost.getCause() instanceof RuntimeException cause
                        ? ": " + ServerErrors.translate(cause, displayUrl, "taking the lock").getMessage() : ""), lost);
    }

    private static boolean heldByAnother(StateSnapshot state, LockInfo lock, String abandonedOwner) {
        return state.locked() && !state.lock().owner().equals(lock.owner()) && !state.lock().expiredAt(Instant.now())
                && !state.lock().owner().equals(abandonedOwner);
    }

    @Override
    public StateSnapshot commit(StateSnapshot expected, StateChange change) {
        if (!expected.exists()) {
            throw new IllegalStateException("commit needs a state read from the server");
        }
        // A commit is a compare-and-set at the expected version: one that is known not to have landed
        // (read back) can be sent again without any risk of applying it twice.
        for (int attempt = 1; ; attempt++) {
            try {
                return commitOnce(expected, change);
            } catch (NotLanded e) {
                if (attempt >= COMMIT_ATTEMPTS) {
                    throw e.failure;
                }
                pause(attempt);
            }
        }
    }

    /** A commit that the read-back showed did not land, after a failure that may pass. */
    private static final class NotLanded extends RuntimeException {
        private final FhirmigException failure;

        NotLanded(FhirmigException failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(200L << (attempt - 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private StateSnapshot commitOnce(StateSnapshot expected, StateChange change) {
        String transaction = StateResources.write(out -> writeTransaction(out, expected, change));
        String response;
        try {
            response = transport.transaction(transaction);
        } catch (ResourceVersionConflictException | PreconditionFailedException | ResourceGoneException e) {
            // 410: the resource was removed as a duplicate state by another run.
            return conflict(expected, change, e);
        } catch (RuntimeException e) {
            if (!mayHaveLanded(e)) {
                throw ServerErrors.translate(e, displayUrl, "committing the migration state");
            }
            return committed(expected, change, landed(expected, change, e));
        }
        // Only the state's new version is needed from the answer: read directly, it costs a fraction
        // of parsing the whole response Bundle.
        String version;
        try {
            version = TransactionResponses.firstEntryVersion(connection::context, response);
        } catch (RuntimeException e) {
            // An answer cut short or garbled by the way: the server may have applied all of it.
            return committed(expected, change, landed(expected, change, e));
        }
        if (version == null) {
            return committed(expected, change, landed(expected, change, null));
        }
        return committed(expected, change, new StateSnapshot(change.heads().stream().sorted().toList(), change.lock(),
                expected.resourceId(), version));
    }

    private StateSnapshot committed(StateSnapshot expected, StateChange change, StateSnapshot result) {
        listener.committed(expected, change, result);
        return result;
    }

    /**
     * A refusal in 4xx was not applied; a lost, cut or garbled answer, or a 5xx (a proxy's 502 can
     * follow a transaction the server applied), may have been.
     */
    private static boolean mayHaveLanded(RuntimeException e) {
        if (e instanceof BaseServerResponseException response) {
            return response.getStatusCode() >= 500;
        }
        return true;
    }

    /**
     * Reads the state back after a commit whose answer was lost or unusable, and tells what happened.
     * The commit was compare-and-set at the expected version, so it landed exactly when the version
     * after it holds this change: then that version is returned. Still at the expected version, it did
     * not land, and (a transaction) wrote nothing: the original error is thrown, saying so. Moved to
     * something else, another run changed the state: StateChangedException, which is then true.
     *
     * @param cause the error that lost the answer, or null when the answer named no version
     * @throws CommitOutcomeUnknownException when the state cannot be read back either
     */
    private StateSnapshot landed(StateSnapshot expected, StateChange change, RuntimeException cause) {
        String reference = "Basic/" + expected.resourceId();
        StateSnapshot now;
        try {
            now = readResource(reference);
        } catch (RuntimeException e) {
            throw unknown(expected, change, cause, e);
        }
        if (Objects.equals(now.versionId(), expected.versionId())) {
            if (cause == null) {
                throw new FhirmigException(FhirmigException.Kind.SERVER, "the FHIR server at " + displayUrl
                        + " accepted a commit of the migration state but did not apply it (the state is still at"
                        + " version " + expected.versionId() + "), so nothing of it was written");
            }
            FhirmigException error = ServerErrors.translate(cause, displayUrl, "committing the migration state");
            throw new NotLanded(new FhirmigException(error.kind(), error.getMessage() + " (read back: the state is still"
                    + " at version " + expected.versionId() + ", so nothing of this commit was written)", cause));
        }
        if (holds(now, change)) {
            return now;
        }
        // Moved further: the version right after the expected one says whose commit came first.
        String next = nextVersion(expected.versionId());
        if (next != null && !next.equals(now.versionId())) {
            try {
                StateSnapshot atNext = readResource(reference + "/_history/" + next);
                if (holds(atNext, change)) {
                    return atNext;
                }
            } catch (RuntimeException e) {
                throw unknown(expected, change, cause, e);
            }
        } else if (next == null) {
            throw unknown(expected, change, cause, null);
        }
        throw new StateChangedException(namespace, cause);
    }

    private StateSnapshot readResource(String reference) {
        return StateResources.readState(StateResources.found(transport.read(reference)));
    }

    /** Whether a state is exactly what the change writes: the same heads and the same lock. */
    private static boolean holds(StateSnapshot state, StateChange change) {
        if (!state.heads().equals(change.heads().stream().sorted().toList())) {
            return false;
        }
        LockInfo lock = state.lock();
        LockInfo written = change.lock();
        if (lock == null || written == null) {
            return lock == written;
        }
        // The lapse time is kept to the millisecond.
        return lock.owner().equals(written.owner()) && Objects.equals(lock.step(), written.step())
                && lock.expiresAt().equals(written.expiresAt().truncatedTo(ChronoUnit.MILLIS));
    }

    /** The version a server gives after this one, when versions are counted (as HAPI counts them). */
    private static String nextVersion(String version) {
        try {
            return Long.toString(Long.parseLong(version) + 1);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private CommitOutcomeUnknownException unknown(StateSnapshot expected, StateChange change, RuntimeException cause,
            RuntimeException readFailure) {
        String lost = cause == null ? "its answer named no version"
                : ServerErrors.translate(cause, displayUrl, "committing the migration state").getMessage();
        String reading = readFailure == null ? "the server's versions cannot be compared"
                : ServerErrors.translate(readFailure, displayUrl, "reading the migration state back").getMessage();
        return new CommitOutcomeUnknownException("the answer to a commit of the migration state of namespace '"
                + namespace + "' was lost (" + lost + ") and the state could not be read back to tell whether it"
                + " landed (" + reading + "): it was all or nothing, but which is not known. `fhirmig current`"
                + " shows the head once the server answers; then run again"
                + (change.lock() != null ? ", or if this run's lock remains, `fhirmig unlock`" : ""),
                expected, change, cause);
    }

    /**
     * The state's PUT (with If-Match: the commit fails if another run moved the state), the records'
     * writes, then the step's own data entries, in one transaction Bundle.
     */
    private void writeTransaction(JsonGenerator out, StateSnapshot expected, StateChange change) throws IOException {
        String stateRef = "Basic/" + expected.resourceId();
        out.writeStartObject();
        out.writeStringField("resourceType", "Bundle");
        out.writeStringField("type", "transaction");
        out.writeArrayFieldStart("entry");
        out.writeStartObject();
        out.writeStringField("fullUrl", stateRef);
        out.writeFieldName("resource");
        StateResources.writeState(out, expected.resourceId(), namespace, change.heads(), change.lock());
        request(out, "PUT", stateRef, "ifMatch", "W/\"" + expected.versionId() + "\"");
        out.writeEndObject();
        for (AppliedRecord record : change.recordsToCreate()) {
            out.writeStartObject();
            out.writeStringField("fullUrl", "urn:uuid:" + randomUuid());
            out.writeFieldName("resource");
            StateResources.writeApplied(out, namespace, record);
            request(out, "POST", "Basic", "ifNoneExist", appliedIdentifier + encode(record.revision()));
            out.writeEndObject();
        }
        for (AppliedRecord record : change.recordsToUpdate()) {
            out.writeStartObject();
            out.writeFieldName("resource");
            StateResources.writeApplied(out, namespace, record);
            request(out, "PUT", "Basic?" + appliedIdentifier + encode(record.revision()), null, null);
            out.writeEndObject();
        }
        for (String revision : change.revisionsToForget()) {
            out.writeStartObject();
            request(out, "DELETE", "Basic?" + appliedIdentifier + encode(revision), null, null);
            out.writeEndObject();
        }
        if (!change.dataEntries().isEmpty()) {
            copyDataEntries(out, change.dataEntries());
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    /**
     * A version-4 UUID to name an entry within one Bundle: it needs to be unique there, not
     * unguessable, and {@link UUID#randomUUID()} draws on the secure generator at every step.
     */
    private static UUID randomUuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new UUID(random.nextLong() & ~0xF000L | 0x4000L, random.nextLong() & ~(3L << 62) | 1L << 63);
    }

    private static void request(JsonGenerator out, String method, String url, String condition, String value)
            throws IOException {
        out.writeObjectFieldStart("request");
        out.writeStringField("method", method);
        out.writeStringField("url", url);
        if (condition != null) {
            out.writeStringField(condition, value);
        }
        out.writeEndObject();
    }

    /**
     * The step's writes are HAPI model objects (a script made them): HAPI encodes them, as a Bundle of
     * their own, and its entries are copied in after the state's.
     */
    private void copyDataEntries(JsonGenerator out, List<BundleEntryComponent> entries) throws IOException {
        Bundle data = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        entries.forEach(data::addEntry);
        StateResources.copyEntries(connection.context().newJsonParser().encodeResourceToString(data), out);
    }

    /**
     * 409 or 412: either another run moved the state, or the server refused one of the data writes.
     * A release of this run's lock against a version this run itself moved past (a commit whose
     * answer was lost, but which landed) still releases it: the lock, not the version, is its point.
     */
    private StateSnapshot conflict(StateSnapshot expected, StateChange change, RuntimeException e) {
        StateSnapshot now = readForWriting();
        if (!String.valueOf(now.versionId()).equals(expected.versionId())) {
            if (isRelease(expected, change) && now.locked() && now.lock().owner().equals(expected.lock().owner())
                    && expected.resourceId().equals(now.resourceId())) {
                return commit(now, StateChange.of(now.heads(), null));
            }
            throw new StateChangedException(namespace, e);
        }
        throw new FhirmigException(FhirmigException.Kind.SERVER,
                "the FHIR server at " + displayUrl + " refused the step's transaction (HTTP 409): "
                        + e.getMessage().lines().findFirst().orElse(""), e);
    }

    private static boolean isRelease(StateSnapshot expected, StateChange change) {
        return expected.locked() && change.lock() == null && change.heads().equals(expected.heads())
                && change.recordsToCreate().isEmpty() && change.recordsToUpdate().isEmpty()
                && change.revisionsToForget().isEmpty() && change.dataEntries().isEmpty();
    }

    @Override
    public LockInfo forceUnlock() {
        for (int attempt = 0; ; attempt++) {
            StateSnapshot current;
            try {
                current = readForWriting();
            } catch (InconsistentStateException e) {
                // Clearing an unreadable lock is the repair; other contradictions are not the lock's.
                current = e.state();
            }
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
        String url = "Basic?" + appliedIdentifier + "&_count=" + PAGE_SIZE;
        while (url != null) {
            String pageUrl = url;
            StateResources.Page page = call("reading the applied migrations",
                    () -> StateResources.page(transport.search(pageUrl), "Basic"));
            for (StateResources.Found found : page.resources()) {
                AppliedRecord record = StateResources.readApplied(found.resource());
                if (record != null) {
                    records.add(record);
                }
            }
            url = page.next();
            // Credentials go only to the server's origin: a next page elsewhere is refused, not read.
            Origins.checkNext(url, connection.options().url());
        }
        return records;
    }

    /**
     * How many applied records the server holds, counted by the server without sending them: one
     * small request that tells a kept copy of the records whether any was removed or added behind the
     * state's back.
     *
     * @return the count, or -1 when the server does not count
     */
    public int appliedRecordCount() {
        return call("counting the applied migrations",
                () -> StateResources.total(transport.search("Basic?" + appliedIdentifier + "&_summary=count")));
    }

    private <T> T call(String action, Supplier<T> request) {
        try {
            return request.get();
        } catch (RuntimeException e) {
            throw ServerErrors.translate(e, displayUrl, action);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * Server-assigned ids grow, so the shorter id, then the smaller, is the older state. Not
     * {@code Comparator.comparing}: its comparators are serializable lambdas, which the start-up
     * archive cannot hold, so every command would make their classes anew.
     */
    private static int oldestFirst(String a, String b) {
        int byLength = Integer.compare(a.length(), b.length());
        return byLength != 0 ? byLength : a.compareTo(b);
    }
}
