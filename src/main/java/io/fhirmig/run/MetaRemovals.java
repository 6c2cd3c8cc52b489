package io.fhirmig.run;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Resource;

/**
 * The meta.tag, meta.security and meta.profile entries a {@code forEach} closure removed. FHIR lets a
 * server keep tags and security labels across an update that leaves them out (HAPI does, and keeps
 * profiles too): such a removal takes {@code $meta-delete}. Only resources that have any of them pay for
 * the snapshot.
 */
final class MetaRemovals {

    private MetaRemovals() {
    }

    /** A copy of the resource's tags, security labels and profiles, or {@code null} if it has none. */
    static Meta snapshot(Resource resource) {
        if (!resource.hasMeta()) {
            return null;
        }
        Meta meta = resource.getMeta();
        if (!meta.hasTag() && !meta.hasSecurity() && !meta.hasProfile()) {
            return null;
        }
        Meta copy = new Meta();
        meta.getTag().forEach(coding -> copy.addTag(coding.copy()));
        meta.getSecurity().forEach(coding -> copy.addSecurity(coding.copy()));
        meta.getProfile().forEach(profile -> copy.addProfile(profile.getValue()));
        return copy;
    }

    /** What {@code before} has and {@code after} lacks, as a Meta for {@code $meta-delete}; {@code null} if nothing. */
    static Meta removed(Meta before, Meta after) {
        if (before == null) {
            return null;
        }
        Meta removed = new Meta();
        for (Coding tag : before.getTag()) {
            if (!hasCoding(after.getTag(), tag)) {
                removed.addTag(tag);
            }
        }
        for (Coding label : before.getSecurity()) {
            if (!hasCoding(after.getSecurity(), label)) {
                removed.addSecurity(label);
            }
        }
        for (CanonicalType profile : before.getProfile()) {
            if (after.getProfile().stream().noneMatch(p -> same(p.getValue(), profile.getValue()))) {
                removed.addProfile(profile.getValue());
            }
        }
        return removed.hasTag() || removed.hasSecurity() || removed.hasProfile() ? removed : null;
    }

    /** E.g. {@code meta.tag urn:x|old, meta.profile http://...}. */
    static String describe(Meta meta) {
        List<String> parts = new ArrayList<>();
        meta.getTag().forEach(tag -> parts.add("meta.tag " + tag.getSystem() + "|" + tag.getCode()));
        meta.getSecurity().forEach(label -> parts.add("meta.security " + label.getSystem() + "|" + label.getCode()));
        meta.getProfile().forEach(profile -> parts.add("meta.profile " + profile.getValue()));
        return String.join(", ", parts);
    }

    private static boolean hasCoding(List<Coding> codings, Coding wanted) {
        return codings.stream().anyMatch(c -> same(c.getSystem(), wanted.getSystem()) && same(c.getCode(), wanted.getCode()));
    }

    private static boolean same(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }
}
