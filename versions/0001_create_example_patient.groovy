// Creates the example patient, Patient/example, that the next migrations change.
revision     = '985f4e1e-29f5-4911-bc9c-2c774b685289'
downRevision = null
description  = 'create the example patient Patient/example (John Doe)'

void upgrade() {
    if (readExample() != null) {
        log.info('Patient/example already exists; nothing to create')
        return
    }
    Patient patient = new Patient()
    patient.id = 'example'
    patient.addName().setFamily('Doe').addGiven('John')
    // The id of the legacy system, by which 0003_add_mrn finds the patients it gives an MRN.
    patient.addIdentifier().setSystem('urn:example:legacy-id').setValue('12345')
    // An update with a client-chosen id creates the resource under that id.
    fhir.update().resource(patient).execute()
    log.info('created Patient/example (John Doe)')
}

void downgrade() {
    if (readExample() == null) {
        log.info('Patient/example does not exist; nothing to delete')
        return
    }
    fhir.delete().resourceById('Patient', 'example').execute()
    log.info('deleted Patient/example')
}

/** Patient/example as the server has it, or null if it was never created or has been deleted. */
Patient readExample() {
    try {
        return fhir.read().resource(Patient).withId('example').execute()
    } catch (ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException e) {
        // 404: never created; 410: deleted.
        if (e.statusCode in [404, 410]) {
            return null
        }
        throw e
    }
}
