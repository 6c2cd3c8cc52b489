// Gives every patient that carries a legacy id a medical record number (MRN) derived from it.
revision     = 'c5a1c49e-8efb-4610-b9d3-f59f98541f16'
downRevision = 'd5a1c49e-8efb-4610-b9d3-f59f98541f16'
description  = 'add a medical record number (MRN) to every patient with a legacy id'

LEGACY_SYSTEM = 'urn:example:legacy-id'
MRN_SYSTEM    = 'http://hospital.example.org/mrn'

void upgrade() {
    int added = 0
    for (Patient patient : legacyPatients()) {
        String mrn = mrnOf(patient)
        if (patient.identifier.any { isMrn(it, mrn) }) {
            continue
        }
        patient.addIdentifier()
                .setUse(Identifier.IdentifierUse.USUAL)
                .setType(new CodeableConcept(
                        new Coding('http://terminology.hl7.org/CodeSystem/v2-0203', 'MR', 'Medical record number')))
                .setSystem(MRN_SYSTEM)
                .setValue(mrn)
        fhir.update().resource(patient).execute()
        added++
    }
    log.info("added an MRN to ${added} patient(s)")
}

void downgrade() {
    int removed = 0
    for (Patient patient : legacyPatients()) {
        String mrn = mrnOf(patient)
        // Only the MRN that upgrade() added goes; any other identifier stays.
        if (patient.identifier.removeIf { isMrn(it, mrn) }) {
            fhir.update().resource(patient).execute()
            removed++
        }
    }
    log.info("removed the MRN from ${removed} patient(s)")
}

/** Every patient with a legacy id, all pages of the search. */
List<Patient> legacyPatients() {
    List<Patient> patients = []
    Bundle page = fhir.search()
            .forResource(Patient)
            .where(Patient.IDENTIFIER.hasSystemWithAnyCode(LEGACY_SYSTEM))
            // HAPI reuses a recent identical search's results otherwise, which may predate a change.
            .cacheControl(new ca.uhn.fhir.rest.api.CacheControlDirective().setNoCache(true))
            .returnBundle(Bundle)
            .execute()
    while (page != null) {
        // getResource(), not .resource: Groovy reads entry.resource as FHIR's isResource(), a boolean.
        patients.addAll(page.entry.collect { it.getResource() }.findAll { it instanceof Patient })
        page = page.getLink(Bundle.LINK_NEXT) != null ? fhir.loadPage().next(page).execute() : null
    }
    patients
}

/** The MRN a patient gets: derived from its legacy id, so that downgrade() knows which to remove. */
String mrnOf(Patient patient) {
    'MRN-' + patient.identifier.find { it.system == LEGACY_SYSTEM }.value
}

boolean isMrn(Identifier identifier, String mrn) {
    identifier.system == MRN_SYSTEM && identifier.value == mrn
}
