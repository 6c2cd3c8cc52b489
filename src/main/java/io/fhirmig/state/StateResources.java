package io.fhirmig.state;

import io.fhirmig.FhirmigException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.StringType;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import org.hl7.fhir.r4.model.Type;

/**
 * The two kinds of {@code Basic} resource that hold a namespace's state, exactly as DESIGN.md gives
 * them. This format is a promise to users whose servers keep it: change it only with a reader for the
 * old form, told apart by {@link #FORMAT_URL}.
 */
final class StateResources {

    static final String CODE_SYSTEM = "urn:fhirmig";
    static final String STATE_SYSTEM = "urn:fhirmig:state";
    static final String STATE_CODE = "migration-state";
    static final String APPLIED_CODE = "applied-migration";
    static final String FORMAT_URL = "urn:fhirmig:format";
    static final String HEAD_URL = "urn:fhirmig:head";
    static final String LOCK_URL = "urn:fhirmig:lock";
    static final String APPLIED_URL = "urn:fhirmig:applied";
    static final int FORMAT = 1;

    private StateResources() {
    }

    static String appliedSystem(String namespace) {
        return "urn:fhirmig:applied:" + namespace;
    }

    static Basic newState(String namespace, List<String> heads, LockInfo lock) {
        Basic basic = new Basic();
        basic.addIdentifier().setSystem(STATE_SYSTEM).setValue(namespace);
        basic.setCode(new CodeableConcept(new Coding(CODE_SYSTEM, STATE_CODE, null)));
        writeState(basic, heads, lock);
        return basic;
    }

    /** Replaces the heads and the lock, keeping any extension this version does not know. */
    static void writeState(Basic basic, List<String> heads, LockInfo lock) {
        basic.getExtension().removeIf(e -> FORMAT_URL.equals(e.getUrl()) || HEAD_URL.equals(e.getUrl())
                || LOCK_URL.equals(e.getUrl()));
        basic.addExtension(FORMAT_URL, new IntegerType(FORMAT));
        for (String head : heads) {
            basic.addExtension(HEAD_URL, new StringType(head));
        }
        if (lock != null) {
            Extension lockExtension = basic.addExtension().setUrl(LOCK_URL);
            lockExtension.addExtension("owner", new StringType(lock.owner()));
            lockExtension.addExtension("step", new StringType(lock.step()));
            lockExtension.addExtension("expiresAt", dateTime(lock.expiresAt()));
        }
    }

    static StateSnapshot readState(Basic basic) {
        checkFormat(basic);
        List<String> heads = new ArrayList<>();
        LockInfo lock = null;
        for (Extension extension : basic.getExtension()) {
            if (HEAD_URL.equals(extension.getUrl())) {
                heads.add(extension.getValue().primitiveValue());
            } else if (LOCK_URL.equals(extension.getUrl())) {
                lock = new LockInfo(
                        string(extension, "owner"),
                        string(extension, "step"),
                        instant(extension, "expiresAt"));
            }
        }
        return new StateSnapshot(heads.stream().sorted().toList(), lock,
                basic.getIdElement().getIdPart(), basic.getIdElement().getVersionIdPart());
    }

    private static void checkFormat(Basic basic) {
        Extension format = basic.getExtensionByUrl(FORMAT_URL);
        int version = format == null ? FORMAT : Integer.parseInt(format.getValue().primitiveValue());
        if (version > FORMAT) {
            throw new FhirmigException(FhirmigException.Kind.SERVER,
                    "the migration state on the server (Basic/" + basic.getIdElement().getIdPart()
                            + ") has format " + version + ", written by a newer fhirmig; this one reads format "
                            + FORMAT + " and older: upgrade fhirmig");
        }
    }

    static Basic newApplied(String namespace, AppliedRecord record) {
        Basic basic = new Basic();
        basic.addIdentifier().setSystem(appliedSystem(namespace)).setValue(record.revision());
        basic.setCode(new CodeableConcept(new Coding(CODE_SYSTEM, APPLIED_CODE, null)));
        writeApplied(basic, record);
        return basic;
    }

    static void writeApplied(Basic basic, AppliedRecord record) {
        basic.getExtension().removeIf(e -> APPLIED_URL.equals(e.getUrl()));
        Extension applied = basic.addExtension().setUrl(APPLIED_URL);
        applied.addExtension("revision", new StringType(record.revision()));
        applied.addExtension("checksum", new StringType(record.checksum()));
        applied.addExtension("file", new StringType(record.file()));
        applied.addExtension("appliedAt", dateTime(record.appliedAt()));
        applied.addExtension("appliedBy", new StringType(record.appliedBy()));
        applied.addExtension("durationMs", new IntegerType(Math.toIntExact(Math.min(record.durationMs(), Integer.MAX_VALUE))));
    }

    static AppliedRecord readApplied(Basic basic) {
        Extension applied = basic.getExtensionByUrl(APPLIED_URL);
        if (applied == null) {
            return null;
        }
        String duration = string(applied, "durationMs");
        return new AppliedRecord(
                string(applied, "revision"),
                string(applied, "checksum"),
                string(applied, "file"),
                instant(applied, "appliedAt"),
                string(applied, "appliedBy"),
                duration == null ? 0 : Long.parseLong(duration));
    }

    private static DateTimeType dateTime(Instant instant) {
        DateTimeType type = new DateTimeType(Date.from(instant), TemporalPrecisionEnum.MILLI);
        type.setTimeZoneZulu(true);
        return type;
    }

    private static String string(Extension parent, String url) {
        Extension child = parent.getExtensionByUrl(url);
        if (child == null || child.getValue() == null) {
            return null;
        }
        Type value = child.getValue();
        return value.primitiveValue();
    }

    private static Instant instant(Extension parent, String url) {
        Extension child = parent.getExtensionByUrl(url);
        if (child == null || !(child.getValue() instanceof DateTimeType dateTime) || dateTime.getValue() == null) {
            return Instant.EPOCH;
        }
        return dateTime.getValue().toInstant();
    }
}
