// Marks every patient that carries a legacy id as imported from the legacy system: a bulk migration.
// migration.forEach pages through the search and writes the patients back in Bundles, each write
// made with If-Match on the version read, so an edit made meanwhile by someone else is reported, not
// overwritten. Idempotent: a patient already marked is skipped, so re-running after a crash finishes
// the job without writing anything twice.
revision     = '7b3e2f10-4c1d-4a8e-9f62-1d5c0e8a9b44'
downRevision = 'c5a1c49e-8efb-4610-b9d3-f59f98541f16'
description  = 'mark every patient with a legacy id as imported from the legacy system (bulk)'

LEGACY_SYSTEM = 'urn:example:legacy-id'
// This extension belongs to this migration: downgrade() removes it, and nothing else.
IMPORTED_FROM = 'http://example.org/fhir/StructureDefinition/imported-from'

void upgrade() {
    migration.forEach("Patient?identifier=${LEGACY_SYSTEM}|") { Patient patient ->
        if (patient.getExtensionByUrl(IMPORTED_FROM) != null) {
            return null   // already marked: nothing to write
        }
        patient.addExtension(IMPORTED_FROM, new UriType(LEGACY_SYSTEM))
        patient           // returned: written back
    }
}

void downgrade() {
    migration.forEach("Patient?identifier=${LEGACY_SYSTEM}|") { Patient patient ->
        // Only the mark that upgrade() added goes; a patient without it is left alone (null).
        patient.extension.removeIf { it.url == IMPORTED_FROM } ? patient : null
    }
}
