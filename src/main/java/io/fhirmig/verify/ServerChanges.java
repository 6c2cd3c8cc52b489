package io.fhirmig.verify;

import io.fhirmig.run.ResourceValues;

import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.fhirmig.fhir.FhirConnection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;

/**
 * Follows what changes on the scratch server, through its history ({@code GET [base]/_history?_since=}):
 * one request per snapshot, however many resources the server holds, instead of reading every
 * resource of every type each time. A resource nobody wrote since the verification started is the
 * same in every snapshot, so leaving it out changes no comparison; and on a disposable server shared
 * with other data, that data is not read at all. fhirmig's own state ({@code Basic} coded
 * {@code urn:fhirmig}) is left out.
 */
final class ServerChanges {

    /** The embedded server's largest page; a server with a smaller limit pages by its own. */
    private static final int PAGE_SIZE = 1000;
    /** Asked again on the next poll: a write in the same millisecond as the last poll is not missed. */
    private static final long OVERLAP_MS = 1000;
    private static final String STATE_SYSTEM = "urn:fhirmig";

    private final IGenericClient client;
    private final ResourceValues values;
    /** Every resource written since the start, as it is now; null when deleted. */
    private final Map<String, Map<String, String>> current = new LinkedHashMap<>();
    /** Every such resource as it was before the start; null when it did not exist. */
    private final Map<String, Map<String, String>> original = new HashMap<>();
    /** The versions already taken in, by key: the polls overlap. */
    private final Map<String, Set<String>> seen = new HashMap<>();
    private final Set<String> ignored = new HashSet<>();
    /** The start: what was written before it is no change of this verification's. */
    private final Date start;
    private Date since;

    private ServerChanges(IGenericClient client, ResourceValues values, Date start) {
        this.client = client;
        this.values = values;
        this.start = start;
        this.since = start;
    }

    /** Starts following the server's changes from now (the server's clock). */
    static ServerChanges startingNow(FhirConnection connection) {
        IGenericClient client = connection.client();
        Bundle newest = client.history().onServer().returnBundle(Bundle.class).count(1)
                .cacheControl(new CacheControlDirective().setNoCache(true)).execute();
        // The answer's time is the server's: what is written after it has a later lastUpdated (a
        // millisecond later at least: the write that came just before may share its millisecond).
        Date now = newest.hasMeta() && newest.getMeta().hasLastUpdated() ? newest.getMeta().getLastUpdated() : null;
        return new ServerChanges(client, new ResourceValues(connection.context()),
                now == null ? null : new Date(now.getTime() + 1));
    }

    /** {@return the server's resources now, as far as they changed since the start} */
    Snapshot snapshot() {
        poll();
        return new Snapshot(Collections.unmodifiableMap(new LinkedHashMap<>(current)));
    }

    /** {@return a resource's values before the verification started; null when it did not exist} */
    Map<String, String> original(String key) {
        return original.get(key);
    }

    private void poll() {
        var query = client.history().onServer().returnBundle(Bundle.class).count(PAGE_SIZE)
                .cacheControl(new CacheControlDirective().setNoCache(true));
        if (since != null) {
            query = query.since(since);
        }
        Bundle page = query.execute();
        Date answered = page.hasMeta() && page.getMeta().hasLastUpdated() ? page.getMeta().getLastUpdated() : null;
        List<BundleEntryComponent> entries = new ArrayList<>();
        while (page != null) {
            entries.addAll(page.getEntry());
            page = page.getLink(Bundle.LINK_NEXT) != null ? client.loadPage().next(page).execute() : null;
        }
        // The history lists the newest first.
        Collections.reverse(entries);
        for (BundleEntryComponent entry : entries) {
            take(entry);
        }
        if (answered != null) {
            long next = answered.getTime() - OVERLAP_MS;
            since = new Date(start == null ? next : Math.max(start.getTime(), next));
        }
    }

    private void take(BundleEntryComponent entry) {
        Version version = Version.of(entry);
        if (version == null || ignored.contains(version.key())
                || !seen.computeIfAbsent(version.key(), k -> new HashSet<>()).add(version.id())) {
            return;
        }
        Resource resource = entry.getRequest().getMethod() == HTTPVerb.DELETE ? null : entry.getResource();
        if (!current.containsKey(version.key())) {
            Resource before = "1".equals(version.id()) ? null : versionBefore(version);
            if (isState(before) || isState(resource)) {
                ignored.add(version.key());
                return;
            }
            original.put(version.key(), before == null ? null : values.of(before));
        }
        if (isState(resource)) {
            ignored.add(version.key());
            current.remove(version.key());
            return;
        }
        current.put(version.key(), resource == null ? null : values.of(resource));
    }

    /** The version of a resource before the first one this verification saw, from its own history. */
    private Resource versionBefore(Version version) {
        IdType id = new IdType(version.key());
        Bundle history = client.history().onInstance(id).returnBundle(Bundle.class).count(PAGE_SIZE)
                .cacheControl(new CacheControlDirective().setNoCache(true)).execute();
        List<BundleEntryComponent> entries = history.getEntry();
        for (int i = 0; i < entries.size() - 1; i++) {
            Version listed = Version.of(entries.get(i));
            if (listed != null && listed.id().equals(version.id())) {
                BundleEntryComponent older = entries.get(i + 1);
                return older.getRequest().getMethod() == HTTPVerb.DELETE ? null : older.getResource();
            }
        }
        return null;
    }

    private static boolean isState(Resource resource) {
        if (!(resource instanceof Basic basic) || !basic.hasCode()) {
            return false;
        }
        for (Coding coding : basic.getCode().getCoding()) {
            if (STATE_SYSTEM.equals(coding.getSystem())) {
                return true;
            }
        }
        return false;
    }

    /** One version of a resource in a history: {@code Patient/legacy-1}, version {@code 3}. */
    private record Version(String key, String id) {

        static Version of(BundleEntryComponent entry) {
            IdType id = null;
            if (entry.hasRequest() && entry.getRequest().hasUrl()) {
                id = new IdType(entry.getRequest().getUrl());
            }
            if ((id == null || !id.hasVersionIdPart()) && entry.getResource() != null) {
                id = entry.getResource().getIdElement();
            }
            if (id == null || !id.hasResourceType() || !id.hasIdPart()) {
                return null;
            }
            return new Version(id.getResourceType() + "/" + id.getIdPart(),
                    id.hasVersionIdPart() ? id.getVersionIdPart() : "?");
        }
    }
}
