package io.fhirmig.run;

import io.fhirmig.api.ProgressListener;
import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import groovy.lang.Closure;
import io.fhirmig.api.FhirmigException;
import io.fhirmig.fhir.FhirIds;
import io.fhirmig.fhir.Origins;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

/**
 * Bulk operations over many resources at the server's speed: {@link #forEach} pages through a search
 * (large pages, following the next links) and writes what the closure changed in Bundles of
 * {@code batchSize} entries, each with {@code If-Match} on the version it read, from {@code threads}
 * writers while the next page is read.
 *
 * <p>Transaction Bundles by default: HAPI commits a transaction of 100 updates much faster than a
 * batch of 100 (one database transaction instead of a hundred; docs/performance.md, bench/bulk.sh). A
 * conflict on one entry fails the whole transaction, so a transaction that conflicts is sent again as
 * a batch, where each entry succeeds or fails alone: the others' writes are never lost, and only the
 * stale entries are reported. {@code bundleType: 'batch'} sends batches from the start.
 *
 * <p>A conflict (409/412: someone else changed the resource since it was read) is counted and
 * reported, and the resource stays as the other writer left it. A closure that throws, or a Bundle that
 * the server rejects as a whole, stops the operation with the resource and the reason; the writes
 * already sent stay, which is why the closure must be idempotent.
 */
public final class BulkRewriter {

    private static final Logger LOG = LogManager.getLogger(BulkRewriter.class);
    private static final int KEPT_IDS = 100;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final IGenericClient client;
    private final AuditLog audit;
    private final String revision;
    private final String direction;
    private final boolean dryRun;
    private final ProgressListener progress;
    private final DryRunRecorder planned;

    /**
     * @param client the server's client; it must be safe to use from several threads (HAPI's is)
     * @param audit where the summary is audited, or {@code null}
     * @param revision the running migration, for the audit
     * @param direction {@code upgrade} or {@code downgrade}, for the audit
     * @param dryRun count what would change and write nothing
     */
    public BulkRewriter(IGenericClient client, AuditLog audit, String revision, String direction, boolean dryRun) {
        this(client, audit, revision, direction, dryRun, ProgressListener.NONE);
    }

    /**
     * @param progress told of each operation's progress
     */
    public BulkRewriter(IGenericClient client, AuditLog audit, String revision, String direction, boolean dryRun,
            ProgressListener progress) {
        this(client, audit, revision, direction, dryRun, progress, null);
    }

    /**
     * @param planned under a dry run, told of every write held back, with the resource as it was read;
     *     or null
     */
    public BulkRewriter(IGenericClient client, AuditLog audit, String revision, String direction, boolean dryRun,
            ProgressListener progress, DryRunRecorder planned) {
        this.client = client;
        this.audit = audit;
        this.revision = revision;
        this.direction = direction;
        this.dryRun = dryRun;
        this.progress = progress;
        this.planned = planned;
    }

    /**
     * Calls {@code change} with each resource the search finds; what it returns is written back (with
     * {@code If-Match} on the version read), {@code null} skips the resource.
     */
    public BulkSummary forEach(String query, Map<String, ?> optionMap, Closure<?> change) {
        return walkSearch("forEach", query, BulkOptions.of(optionMap), (resource, id, run, writers) -> {
            String version = resource.getMeta().hasVersionId() ? resource.getMeta().getVersionId()
                    : resource.getIdElement().getVersionIdPart();
            Meta before = MetaRemovals.snapshot(resource);
            // The closure edits the resource it is given: a dry run keeps it as read, to show the change.
            Resource read = planned != null ? resource.copy() : null;
            Resource changed = callClosure(change, resource, id, run, writers);
            if (changed == null) {
                return null;
            }
            changed.setId(id);
            BundleEntryComponent entry = new BundleEntryComponent().setResource(changed);
            entry.getRequest().setMethod(HTTPVerb.PUT).setUrl(id);
            if (version != null) {
                entry.getRequest().setIfMatch("W/\"" + version + "\"");
            }
            return new Pending(id, entry, MetaRemovals.removed(before, changed.getMeta()), read);
        });
    }

    /** Creates the resources (server-assigned ids), in Bundles of {@code batchSize}. */
    public BulkSummary create(Collection<? extends Resource> resources, Map<String, ?> optionMap) {
        BulkOptions options = BulkOptions.of(optionMap);
        Run run = new Run("create", null, options);
        try (Writers writers = new Writers(run, options);
                ProgressBar bar = ProgressBar.start(progress, progress.wants(options.progress()), "create", resources.size())) {
            List<Pending> batch = new ArrayList<>(options.batchSize());
            for (Resource resource : resources) {
                run.stopIfFailed();
                run.matched.incrementAndGet();
                BundleEntryComponent entry = new BundleEntryComponent().setResource(resource)
                        .setFullUrl(IdType.newRandomUuid().getValue());
                entry.getRequest().setMethod(HTTPVerb.POST).setUrl(resource.fhirType());
                if (dryRun) {
                    run.changed.incrementAndGet();
                    if (planned != null) {
                        planned.planned(entry, null);
                    }
                    continue;
                }
                batch.add(new Pending(resource.fhirType() + " #" + run.matched.get(), entry, null, null));
                if (batch.size() == options.batchSize()) {
                    writers.submit(batch);
                    batch = new ArrayList<>(options.batchSize());
                }
                bar.update(run.matched.get());
            }
            if (!batch.isEmpty()) {
                writers.submit(batch);
            }
            writers.finish();
        } catch (RuntimeException e) {
            throw run.fail(e);
        }
        return run.finish();
    }

    /** Deletes every resource the search finds, in Bundles of {@code batchSize}. */
    public BulkSummary deleteAll(String query, Map<String, ?> optionMap) {
        return walkSearch("deleteAll", query, BulkOptions.of(optionMap), (resource, id, run, writers) -> {
            BundleEntryComponent entry = new BundleEntryComponent();
            entry.getRequest().setMethod(HTTPVerb.DELETE).setUrl(id);
            return new Pending(id, entry, null, planned != null ? resource : null);
        });
    }

    /** What a search-driven operation writes for one found resource; {@code null} skips it. */
    @FunctionalInterface
    private interface EntryMaker {
        Pending entryFor(Resource resource, String id, Run run, Writers writers);
    }

    /**
     * Pages through the search (reading the next page while this one is handled), asks {@code maker}
     * for each resource's entry and hands the entries to the writers in Bundles of {@code batchSize};
     * under a dry run it only counts.
     */
    private BulkSummary walkSearch(String operation, String query, BulkOptions options, EntryMaker maker) {
        checkQuery(query, operation);
        Run run = new Run(operation, query, options);
        try (Writers writers = new Writers(run, options);
                ProgressBar bar = progress(options, operation + " " + query, query);
                Pages pages = new Pages(firstPage(query, options.pageSize()))) {
            Bundle page = pages.current();
            List<Pending> batch = new ArrayList<>(options.batchSize());
            while (page != null) {
                pages.prefetch();
                for (BundleEntryComponent found : page.getEntry()) {
                    Resource resource = found.getResource();
                    if (resource == null || found.getSearch().getMode() == Bundle.SearchEntryMode.OUTCOME) {
                        continue;
                    }
                    run.stopIfFailed();
                    run.matched.incrementAndGet();
                    // Checked before it goes into a PUT or DELETE entry's URL.
                    String id = FhirIds.reference(resource.fhirType(), resource.getIdElement().getIdPart(),
                            client.getServerBase());
                    Pending pending = maker.entryFor(resource, id, run, writers);
                    if (pending == null) {
                        run.skipped.incrementAndGet();
                    } else if (dryRun) {
                        run.changed.incrementAndGet();
                        if (planned != null) {
                            planned.planned(pending.entry(), pending.read());
                        }
                    } else {
                        batch.add(pending);
                        if (batch.size() == options.batchSize()) {
                            writers.submit(batch);
                            batch = new ArrayList<>(options.batchSize());
                        }
                    }
                    bar.update(run.matched.get());
                }
                page = run.fatal.get() == null ? pages.next() : null;
            }
            if (!batch.isEmpty()) {
                writers.submit(batch);
            }
            writers.finish();
            // Where the time went: waiting for pages means reading is the bottleneck; for the writers, writing.
            LOG.debug("{}: waited {} ms for pages and {} ms for room among the writers", run.label(),
                    pages.readWaitNanos / 1_000_000, writers.fullNanos / 1_000_000);
        } catch (RuntimeException e) {
            throw run.fail(e);
        }
        return run.finish();
    }

    private static void checkQuery(String query, String operation) {
        if (query == null || !query.matches("/?[A-Za-z]+($|\\?.*)")) {
            throw new FhirmigException(FhirmigException.Kind.MIGRATION_FAILED, operation
                    + "() needs a search such as 'Patient?identifier=urn:example:legacy-id|', not '" + query + "'");
        }
    }

    private Bundle firstPage(String query, int pageSize) {
        return client.search().byUrl(withParameter(query, "_count", String.valueOf(pageSize))).encodedJson()
                .cacheControl(new CacheControlDirective().setNoCache(true))
                .returnBundle(Bundle.class).execute();
    }

    private ProgressBar progress(BulkOptions options, String label, String query) {
        boolean shown = progress.wants(options.progress());
        long total = -1;
        if (shown) {
            try {
                Bundle count = client.search().byUrl(withParameter(query, "_summary", "count"))
                        .cacheControl(new CacheControlDirective().setNoCache(true))
                        .returnBundle(Bundle.class).execute();
                total = count.hasTotal() ? count.getTotal() : -1;
            } catch (BaseServerResponseException e) {
                LOG.debug("no total for {}: {}", query, e.getMessage());
            }
        }
        return ProgressBar.start(progress, shown, label, total);
    }

    /** Adds a parameter unless the query already has it. */
    static String withParameter(String query, String name, String value) {
        int question = query.indexOf('?');
        if (question >= 0) {
            for (String part : query.substring(question + 1).split("&")) {
                if (part.startsWith(name + "=")) {
                    return query;
                }
            }
            return query + (query.endsWith("?") || query.endsWith("&") ? "" : "&") + name + "=" + value;
        }
        return query + "?" + name + "=" + value;
    }

    private Resource callClosure(Closure<?> change, Resource resource, String id, Run run, Writers writers) {
        Object result;
        try {
            result = change.call(resource);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            throw run.stoppedBy(new FhirmigException(FhirmigException.Kind.MIGRATION_FAILED,
                    run.label() + ": the closure failed on " + id + ": " + describe(e), e), writers);
        }
        if (result == null || result instanceof Resource) {
            return (Resource) result;
        }
        throw run.stoppedBy(new FhirmigException(FhirmigException.Kind.MIGRATION_FAILED, run.label()
                + ": the closure returned " + result.getClass().getSimpleName() + " (" + result + ") for " + id
                + "; return the resource to write it, or null to leave it unchanged"), writers);
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /**
     * The pages of a search, the next one read in the background while the current one is handled, so
     * that reading, the closure and the writers all overlap.
     */
    private final class Pages implements AutoCloseable {
        private final ExecutorService reader = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "fhirmig-bulk-reader-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        private Bundle current;
        private Future<Bundle> next;
        /** How long the handling of pages waited for the next one: reading was the bottleneck. */
        long readWaitNanos;

        Pages(Bundle first) {
            this.current = first;
        }

        Bundle current() {
            return current;
        }

        /** Starts reading the page after the current one, if there is one. */
        void prefetch() {
            Bundle page = current;
            if (page.getLink(Bundle.LINK_NEXT) != null) {
                // Credentials go only to the server's origin: a link elsewhere is refused, not followed.
                Origins.checkNext(page.getLink(Bundle.LINK_NEXT).getUrl(), client.getServerBase());
            }
            next = page.getLink(Bundle.LINK_NEXT) == null ? null
                    : reader.submit(() -> client.loadPage().next(page).encodedJson().execute());
        }

        /** The page after the current one, or {@code null} after the last. */
        Bundle next() {
            if (next == null) {
                return null;
            }
            long waiting = System.nanoTime();
            try {
                current = next.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FhirmigException(FhirmigException.Kind.MIGRATION_FAILED, "interrupted while reading", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r
                        : new FhirmigException(FhirmigException.Kind.SERVER, describe(e.getCause()), e.getCause());
            } finally {
                readWaitNanos += System.nanoTime() - waiting;
            }
            next = null;
            return current;
        }

        @Override
        public void close() {
            if (next != null) {
                next.cancel(true);
            }
            reader.shutdownNow();
        }
    }

    /**
     * One write waiting for its Bundle: the resource it concerns, its entry, and the meta.tag,
     * meta.security and meta.profile entries the closure removed ({@code null} if none).
     */
    /** @param read the resource as read, kept under a dry run to show what would change; otherwise null */
    private record Pending(String id, BundleEntryComponent entry, Meta removedMeta, Resource read) {
    }

    /** The counters and the outcome of one operation, shared by the reader and the writers. */
    private final class Run {
        final String operation;
        final String query;
        final BulkOptions options;
        final long started = System.nanoTime();
        final AtomicLong matched = new AtomicLong();
        final AtomicLong changed = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();
        final AtomicLong conflicts = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong metaRemoved = new AtomicLong();
        final List<String> conflictIds = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        /** Why the operation stops: the first closure failure or rejected Bundle. */
        final AtomicReference<FhirmigException> fatal = new AtomicReference<>();

        Run(String operation, String query, BulkOptions options) {
            this.operation = operation;
            this.query = query;
            this.options = options;
        }

        String label() {
            return operation + (query == null ? "" : " " + query);
        }

        void stopIfFailed() {
            FhirmigException e = fatal.get();
            if (e != null) {
                throw e;
            }
        }

        FhirmigException stoppedBy(FhirmigException e, Writers writers) {
            fatal.compareAndSet(null, e);
            writers.finishQuietly();
            return fatal.get();
        }

        synchronized void conflict(String id) {
            conflicts.incrementAndGet();
            if (conflictIds.size() < KEPT_IDS) {
                conflictIds.add(id);
            }
        }

        synchronized void failure(String id, String reason) {
            failed.incrementAndGet();
            if (failures.size() < KEPT_IDS) {
                failures.add(id + ": " + reason);
            }
        }

        synchronized BulkSummary summary() {
            return new BulkSummary(operation, query, matched.get(), changed.get(), skipped.get(), conflicts.get(),
                    failed.get(), conflictIds, failures, (System.nanoTime() - started) / 1_000_000, dryRun,
                    metaRemoved.get());
        }

        /** Ends a run that was stopped: audits it and returns what to throw. */
        RuntimeException fail(RuntimeException e) {
            FhirmigException reason = fatal.get() != null ? fatal.get()
                    : e instanceof FhirmigException f ? f
                    : new FhirmigException(FhirmigException.Kind.MIGRATION_FAILED, label() + ": " + describe(e), e);
            BulkSummary summary = summary();
            LOG.warn("{}; stopped: {}", summary.describe(), reason.getMessage());
            audit(summary, "stopped", reason.getMessage());
            return reason;
        }

        BulkSummary finish() {
            FhirmigException reason = fatal.get();
            if (reason != null) {
                throw fail(reason);
            }
            BulkSummary summary = summary();
            LOG.info(summary.describe());
            if (summary.conflicts() > 0) {
                LOG.warn("{}: {} resource(s) changed by someone else meanwhile were left as they are: {}", label(),
                        summary.conflicts(), String.join(", ", summary.conflictIds()));
            }
            if (summary.failed() > 0) {
                String message = label() + ": the server refused " + summary.failed() + " write(s): "
                        + String.join("; ", summary.failures().subList(0, Math.min(10, summary.failures().size())));
                audit(summary, "failed", message);
                throw new FhirmigException(FhirmigException.Kind.MIGRATION_FAILED, message);
            }
            audit(summary, "success", null);
            return summary;
        }

        private void audit(BulkSummary summary, String outcome, String error) {
            if (audit == null) {
                return;
            }
            audit.event("bulk").with("operation", operation).with("query", query).with("revision", revision)
                    .with("direction", direction).with("dryRun", dryRun ? Boolean.TRUE : null)
                    .with("matched", summary.matched()).with("changed", summary.changed())
                    .with("skipped", summary.skipped()).with("conflicts", summary.conflicts())
                    .with("failed", summary.failed())
                    .with("metaRemoved", summary.metaRemoved() == 0 ? null : summary.metaRemoved())
                    .with("conflictIds", summary.conflictIds().isEmpty() ? null : summary.conflictIds())
                    .with("failures", summary.failures().isEmpty() ? null : summary.failures())
                    .with("durationMs", summary.durationMs()).with("outcome", outcome).with("error", error).write();
        }
    }

    /** The writer threads; at most two Bundles a thread wait, so that reading keeps just ahead of writing. */
    private final class Writers implements AutoCloseable {
        private final Run run;
        private final BulkOptions options;
        private final ExecutorService pool;
        private final Semaphore room;
        private boolean finished;
        /** How long the reading waited for room among the writers: writing was the bottleneck. */
        long fullNanos;

        Writers(Run run, BulkOptions options) {
            this.run = run;
            this.options = options;
            this.pool = Executors.newFixedThreadPool(options.threads(), task -> {
                Thread thread = new Thread(task, "fhirmig-bulk-" + THREADS.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            this.room = new Semaphore(options.threads() * 2);
        }

        void submit(List<Pending> batch) {
            run.stopIfFailed();
            long waiting = System.nanoTime();
            room.acquireUninterruptibly();
            fullNanos += System.nanoTime() - waiting;
            pool.execute(() -> {
                try {
                    // Even after a failure elsewhere: what the closure changed before it is written.
                    write(batch, options.transaction());
                } catch (RuntimeException e) {
                    run.fatal.compareAndSet(null, rejected(batch, e));
                } finally {
                    room.release();
                }
            });
        }

        private void write(List<Pending> batch, boolean transaction) {
            Bundle bundle = new Bundle().setType(transaction ? BundleType.TRANSACTION : BundleType.BATCH);
            batch.forEach(pending -> bundle.addEntry(pending.entry()));
            Bundle response;
            long sent = System.nanoTime();
            try {
                // Minimal answers (status and location only) spare the server writing each resource back.
                response = client.transaction().withBundle(bundle).encodedJson()
                        .withAdditionalHeader("Prefer", "return=minimal").execute();
            } catch (ResourceVersionConflictException | PreconditionFailedException e) {
                if (transaction) {
                    // One stale entry fails the whole transaction: send it again as a batch, so that the
                    // others are written and only the stale one is reported.
                    write(batch, false);
                    return;
                }
                throw e;
            }
            LOG.debug("{} Bundle of {} written in {} ms", bundle.getType().toCode(), batch.size(),
                    (System.nanoTime() - sent) / 1_000_000);
            List<BundleEntryComponent> answers = response.getEntry();
            for (int i = 0; i < batch.size(); i++) {
                String id = batch.get(i).id();
                BundleEntryComponent answer = i < answers.size() ? answers.get(i) : null;
                String status = answer == null || !answer.hasResponse() ? "" : answer.getResponse().getStatus();
                if (status.startsWith("2")) {
                    if (batch.get(i).removedMeta() == null) {
                        run.changed.incrementAndGet();
                    } else {
                        removeMeta(batch.get(i), answer);
                    }
                } else if ((status.startsWith("409") || status.startsWith("412"))
                        && batch.get(i).entry().getRequest().hasIfMatch()) {
                    // A stale If-Match: someone else wrote the resource since it was read. (A 409 without
                    // If-Match, such as a delete refused for the references to it, is a failure.)
                    run.conflict(id);
                } else {
                    run.failure(id, (status.isEmpty() ? "no answer" : "HTTP " + status) + outcome(answer));
                }
            }
        }

        /**
         * An update does not remove meta.tag or meta.security on HAPI (nor on other servers that keep
         * them across versions, as the FHIR specification allows): what the closure removed is removed
         * with {@code $meta-delete}, which every server that keeps them supports. Where it is refused,
         * the resource is a failure that says what is left and what to do; and when the update wrote no
         * new version (the closure removed nothing else), it is not counted as changed either.
         */
        private void removeMeta(Pending pending, BundleEntryComponent answer) {
            try {
                client.meta().delete().onResource(new IdType(pending.id())).meta(pending.removedMeta()).execute();
                run.changed.incrementAndGet();
                run.metaRemoved.incrementAndGet();
            } catch (BaseServerResponseException e) {
                String kept = MetaRemovals.describe(pending.removedMeta());
                if (wroteNewVersion(pending, answer)) {
                    run.changed.incrementAndGet();
                    run.failure(pending.id(), "written, but the server kept the " + kept
                            + " the closure removed: its $meta-delete failed (" + describe(e)
                            + "); remove them with $meta-delete on the resource");
                } else {
                    run.failure(pending.id(), "not changed: the closure removed only " + kept
                            + ", which an update does not remove on this server, and the server refused $meta-delete ("
                            + describe(e) + "); remove them with $meta-delete on the resource where it is allowed");
                }
            }
        }

        /** Whether the server's answer names a version other than the one the update was based on. */
        private static boolean wroteNewVersion(Pending pending, BundleEntryComponent answer) {
            String ifMatch = pending.entry().getRequest().getIfMatch();
            String etag = answer.getResponse().getEtag();
            if (ifMatch == null || etag == null) {
                return true;
            }
            return !versionOf(ifMatch).equals(versionOf(etag));
        }

        private static String versionOf(String etag) {
            return etag.replaceFirst("^W/", "").replace("\"", "");
        }

        private FhirmigException rejected(List<Pending> batch, RuntimeException e) {
            String first = batch.get(0).id();
            String last = batch.get(batch.size() - 1).id();
            return new FhirmigException(FhirmigException.Kind.MIGRATION_FAILED, run.label()
                    + ": the server rejected a Bundle of " + batch.size() + " write(s) (" + first
                    + (batch.size() > 1 ? " .. " + last : "") + "): " + describe(e), e);
        }

        /** Waits for every Bundle submitted. */
        void finish() {
            if (finished) {
                return;
            }
            finished = true;
            pool.shutdown();
            try {
                while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    LOG.debug("still writing...");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pool.shutdownNow();
                throw new FhirmigException(FhirmigException.Kind.MIGRATION_FAILED, run.label() + ": interrupted", e);
            }
        }

        void finishQuietly() {
            try {
                finish();
            } catch (RuntimeException e) {
                LOG.debug("while stopping: {}", e.getMessage());
            }
        }

        @Override
        public void close() {
            finishQuietly();
        }
    }

    private static String outcome(BundleEntryComponent answer) {
        if (answer == null || !answer.hasResponse() || !(answer.getResponse().getOutcome() instanceof OperationOutcome outcome)) {
            return "";
        }
        return outcome.getIssue().stream().filter(issue -> issue.hasDiagnostics())
                .map(issue -> ": " + issue.getDiagnostics()).findFirst().orElse("");
    }
}
