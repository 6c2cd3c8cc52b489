// Adds a home phone number to the example patient.
revision     = 'd5a1c49e-8efb-4610-b9d3-f59f98541f16'
downRevision = '985f4e1e-29f5-4911-bc9c-2c774b685289'
description  = 'add a home phone number to the example patient'

void upgrade() {
    Patient patient = fhir.read().resource(Patient).withId('example').execute()
    if (patient.telecom.any { isAddedPhone(it) }) {
        log.info('Patient/example already has the home phone 555-555-5555')
        return
    }
    patient.addTelecom()
            .setSystem(ContactPoint.ContactPointSystem.PHONE)
            .setUse(ContactPoint.ContactPointUse.HOME)
            .setValue('555-555-5555')
    fhir.update().resource(patient).execute()
    log.info('added the home phone 555-555-5555 to Patient/example')
}

void downgrade() {
    Patient patient = fhir.read().resource(Patient).withId('example').execute()
    // Only the phone that upgrade() added goes; any other telecom stays.
    if (!patient.telecom.removeIf { isAddedPhone(it) }) {
        log.info('Patient/example has no home phone 555-555-5555; nothing to remove')
        return
    }
    fhir.update().resource(patient).execute()
    log.info('removed the home phone 555-555-5555 from Patient/example')
}

/** Whether the contact point is the one upgrade() adds. */
boolean isAddedPhone(ContactPoint contact) {
    contact.system == ContactPoint.ContactPointSystem.PHONE &&
            contact.use == ContactPoint.ContactPointUse.HOME &&
            contact.value == '555-555-5555'
}
