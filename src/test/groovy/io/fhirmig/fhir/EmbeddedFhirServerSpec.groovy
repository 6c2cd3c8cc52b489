package io.fhirmig.fhir

import ca.uhn.fhir.rest.api.CacheControlDirective
import ca.uhn.fhir.rest.client.api.IGenericClient
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException
import io.fhirmig.api.FhirmigException
import io.fhirmig.TestServer
import io.fhirmig.fhir.embedded.EmbeddedFhirServer
import io.fhirmig.fhir.embedded.EmbeddedServerOptions
import org.hl7.fhir.r4.model.Basic
import org.hl7.fhir.r4.model.Bundle
import org.hl7.fhir.r4.model.CapabilityStatement
import org.hl7.fhir.r4.model.CodeableConcept
import org.hl7.fhir.r4.model.Coding
import spock.lang.Shared
import spock.lang.Specification

/** The embedded server does what fhirmig's state store relies on, over real HTTP. */
class EmbeddedFhirServerSpec extends Specification {

    static final String SYSTEM = 'urn:fhirmig:test:embedded-server-spec'

    @Shared
    IGenericClient client = TestServer.newClient()

    def "answers metadata with a CapabilityStatement"() {
        when:
        def capabilities = client.capabilities().ofType(CapabilityStatement).execute()

        then:
        capabilities.rest[0].getResource()*.type.containsAll(['Basic', 'Patient'])
        TestServer.baseUrl() ==~ /http:\/\/127\.0\.0\.1:\d+\/fhir/
    }

    def "creates a Basic resource, reads it back and finds it by identifier"() {
        given:
        def basic = newBasic('create-read')

        when:
        def outcome = client.create().resource(basic).execute()
        def id = outcome.id.toUnqualifiedVersionless()
        def read = client.read().resource(Basic).withId(id).execute()
        def found = client.search().forResource(Basic)
                .where(Basic.IDENTIFIER.exactly().systemAndIdentifier(SYSTEM, 'create-read'))
                .cacheControl(new CacheControlDirective().setNoCache(true))
                .returnBundle(Bundle).execute()

        then:
        outcome.created
        read.identifierFirstRep.value == 'create-read'
        read.code.codingFirstRep.code == 'test'
        found.entry.size() == 1
        found.entry[0].getResource().idElement.idPart == id.idPart
    }

    def "a conditional create does not create a second resource"() {
        given:
        def query = "Basic?identifier=${URLEncoder.encode("$SYSTEM|conditional", 'UTF-8')}"

        when:
        def first = client.create().resource(newBasic('conditional')).conditionalByUrl(query).execute()
        def second = client.create().resource(newBasic('conditional')).conditionalByUrl(query).execute()

        then:
        first.created
        !second.created
        second.id.idPart == first.id.idPart
    }

    def "refuses an update against a stale version"() {
        given:
        def created = client.create().resource(newBasic('stale')).execute()
        def v1 = client.read().resource(Basic).withId(created.id.toUnqualifiedVersionless()).execute()
        def v1Copy = v1.copy()
        v1.code.text = 'first writer'
        client.update().resource(v1).withId(v1.idElement).execute()

        when: 'the second writer still holds version 1'
        v1Copy.code.text = 'second writer'
        client.update().resource(v1Copy).withId(v1Copy.idElement).execute()

        then:
        def e = thrown(Exception)
        e instanceof ResourceVersionConflictException || e instanceof PreconditionFailedException

        and: 'the first writer\'s change stands'
        client.read().resource(Basic).withId(created.id.toUnqualifiedVersionless()).execute().code.text == 'first writer'
    }

    def "a second server on a taken port fails with a clear message"() {
        when:
        EmbeddedFhirServer.start(new EmbeddedServerOptions(null, TestServer.get().port()))

        then:
        def e = thrown(FhirmigException)
        e.kind() == FhirmigException.Kind.SERVER
        e.message.contains("port ${TestServer.get().port()}")
        e.message.contains('already in use')
    }

    private static Basic newBasic(String value) {
        def basic = new Basic()
        basic.addIdentifier().setSystem(SYSTEM).setValue(value)
        basic.code = new CodeableConcept(new Coding('urn:fhirmig', 'test', null))
        basic
    }
}
