package io.fhirmig.fhir

import ca.uhn.fhir.rest.api.CacheControlDirective
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException
import io.fhirmig.FaultProxy
import io.fhirmig.api.FhirmigException
import io.fhirmig.ServerProbe
import io.fhirmig.TestServer
import io.fhirmig.script.MigrationFailedException
import java.nio.file.NoSuchFileException
import java.time.Duration
import org.hl7.fhir.r4.model.Basic
import org.hl7.fhir.r4.model.Bundle
import org.hl7.fhir.r4.model.CodeableConcept
import spock.lang.AutoCleanup
import spock.lang.Specification

/**
 * Transient failures between fhirmig and the server, made by a real proxy in front of the real test
 * server: what is safe to send twice is sent again, with back-off, a bounded number of times; a plain
 * POST never is.
 */
class RetrySpec extends Specification {

    @AutoCleanup
    FaultProxy proxy = new FaultProxy(TestServer.baseUrl())

    String system = 'urn:fhirmig-test:retry'

    private FhirConnection connect(Duration readTimeout = ConnectionOptions.DEFAULT_READ_TIMEOUT) {
        FhirConnection.open(ConnectionOptions.of(proxy.baseUrl())
                .withTimeouts(ConnectionOptions.DEFAULT_CONNECT_TIMEOUT, readTimeout))
    }

    private String existingBasic() {
        def basic = new Basic(code: new CodeableConcept().setText('retry'))
        TestServer.newClient().create().resource(basic).execute().id.idPart
    }

    private static Basic withIdentifier(String value) {
        def basic = new Basic(code: new CodeableConcept().setText('retry'))
        basic.addIdentifier().setSystem('urn:fhirmig-test:retry').setValue(value)
        basic
    }

    private Basic read(FhirConnection connection, String id) {
        connection.client().read().resource(Basic).withId(id).execute()
    }

    def "a GET answered 429 with Retry-After: 1 waits a second and is sent again"() {
        given:
        String id = existingBasic()
        def connection = connect()
        proxy.failNext(1, 'GET', FaultProxy.status(429, ['Retry-After': '1']))

        when:
        long started = System.nanoTime()
        def basic = read(connection, id)
        long waitedMs = (System.nanoTime() - started).intdiv(1_000_000)

        then:
        basic.idElement.idPart == id
        proxy.seen('GET') == 2
        proxy.forwarded('GET') == 1
        waitedMs >= 950
    }

    def "a GET answered #status once is sent again"() {
        given:
        String id = existingBasic()
        def connection = connect()
        proxy.failNext(1, 'GET', FaultProxy.status(status))

        expect:
        read(connection, id).idElement.idPart == id
        proxy.seen('GET') == 2

        where:
        // 500 too: a read cannot have changed anything, and HAPI JPA answers 500 to passing database contention.
        status << [500, 502, 503, 504]
    }

    def "a GET whose answer is #what is sent again"() {
        given:
        String id = existingBasic()
        def connection = connect(Duration.ofMillis(700))
        proxy.failNext(1, 'GET', fault)

        expect: 'sent again; on a loaded machine the repeat can be late too and sent a third time'
        read(connection, id).idElement.idPart == id
        proxy.seen('GET') >= 2

        where:
        what                                         | fault
        'cut off (Content-Length not met)'           | FaultProxy.truncate()
        'lost to a reset connection'                 | FaultProxy.reset()
        'never sent (connection closed)'             | FaultProxy.drop()
        'later than the read timeout'                | FaultProxy.delay(2_000)
    }

    def "fhirmig's own reads (FhirHttp) are retried the same way"() {
        given:
        def connection = connect()
        proxy.failNext(1, 'GET', FaultProxy.truncate())
        proxy.failNext(1, 'GET', FaultProxy.status(503))

        expect:
        connection.http().get().get('metadata').contains('CapabilityStatement')
        proxy.seen('GET') == 3
    }

    def "a plain POST answered 503 is not sent again"() {
        given:
        def connection = connect()
        proxy.failNext(1, 'POST', FaultProxy.status(503))

        when:
        connection.client().create().resource(withIdentifier(ServerProbe.unique('plain'))).execute()

        then:
        def e = thrown(BaseServerResponseException)
        e.statusCode == 503
        proxy.seen('POST') == 1
    }

    def "a plain POST whose answer is cut off is not sent again, and the error says the answer was cut off"() {
        given:
        String value = ServerProbe.unique('cut')
        def connection = connect()
        proxy.failNext(1, 'POST', FaultProxy.truncate())

        when:
        connection.client().create().resource(withIdentifier(value)).execute()

        then:
        def e = thrown(FhirClientConnectionException)
        proxy.seen('POST') == 1
        ServerProbe.basicsWithSystem(system).count { it.identifierFirstRep.value == value } == 1

        when:
        def error = ServerErrors.connectionFailure(e, connection.displayUrl())

        then:
        error.kind() == FhirmigException.Kind.SERVER
        error.message.startsWith("the FHIR server's answer was cut off (${proxy.baseUrl()}: ")
        error.message.readLines().size() == 1
        !error.message.contains('cannot reach')
    }

    def "a conditional create answered 503 is sent again, and creates one resource"() {
        given:
        String value = ServerProbe.unique('conditional')
        def connection = connect()
        proxy.failNext(2, 'POST', FaultProxy.status(503))

        when:
        def outcome = connection.client().create().resource(withIdentifier(value))
                .conditional().where(Basic.IDENTIFIER.exactly().systemAndCode(system, value)).execute()

        then:
        outcome.created
        proxy.seen('POST') == 3
        proxy.forwarded('POST') == 1
        ServerProbe.basicsWithSystem(system).count { it.identifierFirstRep.value == value } == 1
    }

    def "a conditional create whose answer is lost after the server applied it is sent again, and still creates one"() {
        given:
        String value = ServerProbe.unique('landed')
        def connection = connect()
        proxy.failNext(1, 'POST', fault)

        when:
        connection.client().create().resource(withIdentifier(value))
                .conditional().where(Basic.IDENTIFIER.exactly().systemAndCode(system, value)).execute()

        then:
        proxy.forwarded('POST') == 2
        ServerProbe.basicsWithSystem(system).count { it.identifierFirstRep.value == value } == 1

        where:
        fault << [FaultProxy.truncate(), FaultProxy.resetAfterForwarding()]
    }

    def "a versioned update (If-Match) answered 503 is sent again"() {
        given:
        String id = existingBasic()
        def connection = connect()
        def basic = read(connection, id)
        basic.code.text = 'updated'
        proxy.failNext(1, 'PUT', FaultProxy.status(503))

        when:
        def outcome = connection.client().update().resource(basic).withId(basic.idElement)
                .withAdditionalHeader('If-Match', 'W/"' + basic.idElement.versionIdPart + '"').execute()

        then:
        outcome.id.versionIdPart == '2'
        proxy.seen('PUT') == 2
    }

    def "retries are bounded: after 1 + 3 attempts the last answer is the error"() {
        given:
        String id = existingBasic()
        def connection = connect()
        proxy.rule(method: 'GET', times: -1, fault: FaultProxy.status(503))

        when:
        read(connection, id)

        then:
        def e = thrown(BaseServerResponseException)
        e.statusCode == 503
        proxy.seen('GET') == 4
        proxy.forwarded('GET') == 0
    }

    def "retries follow the connection's setting, 0 for none"() {
        given:
        String id = existingBasic()
        def connection = FhirConnection.open(ConnectionOptions.of(proxy.baseUrl()).withRetries(0))
        proxy.failNext(1, 'GET', FaultProxy.status(503))

        when:
        read(connection, id)

        then:
        thrown(BaseServerResponseException)
        proxy.seen('GET') == 1
    }

    def "a search by POST is a read, and a transaction Bundle a plain POST"() {
        given:
        def connection = connect()
        proxy.failNext(1, 'POST', FaultProxy.status(503))

        when: 'a search sent as POST Basic/_search'
        def found = connection.client().search().forResource(Basic).usingStyle(ca.uhn.fhir.rest.api.SearchStyleEnum.POST)
                .where(Basic.IDENTIFIER.hasSystemWithAnyCode(system)).cacheControl(CacheControlDirective.noCache())
                .returnBundle(Bundle).execute()

        then:
        found != null
        proxy.seen('POST') == 2

        when: 'a transaction'
        proxy.clear()
        proxy.failNext(1, 'POST', FaultProxy.status(503))
        def bundle = new Bundle(type: Bundle.BundleType.TRANSACTION)
        bundle.addEntry().setResource(withIdentifier(ServerProbe.unique('tx'))).request
                .setMethod(Bundle.HTTPVerb.POST).setUrl('Basic')
        connection.client().transaction().withBundle(bundle).execute()

        then:
        def e = thrown(BaseServerResponseException)
        e.statusCode == 503
        proxy.seen('POST') == 1
    }

    def "an unreachable server is found in any chain of causes, as one line naming the URL"() {
        given:
        int closed = new ServerSocket(0).withCloseable { it.localPort }
        def connection = FhirConnection.open(ConnectionOptions.of("http://127.0.0.1:$closed/fhir").withRetries(0))

        when: 'a script reads through the HAPI client, and its failure wraps what HAPI threw'
        Exception failure
        try {
            connection.client().read().resource(Basic).withId('1').execute()
        } catch (Exception e) {
            failure = new MigrationFailedException('V1.groovy', 3, 'upgrade()', new RuntimeException('script', e))
        }
        def error = ServerErrors.connectionFailure(failure, connection.displayUrl())

        then:
        error.kind() == FhirmigException.Kind.SERVER
        error.message.startsWith("cannot reach the FHIR server at http://127.0.0.1:$closed/fhir: ")
        error.message.contains('Connection refused')
        error.message.readLines().size() == 1

        and: 'a script failing of its own IOException is not the server'
        ServerErrors.connectionFailure(new MigrationFailedException('V1.groovy', 3, 'upgrade()',
                new UncheckedIOException(new NoSuchFileException('/no/such'))), connection.displayUrl()) == null
        ServerErrors.connectionFailure(new IllegalStateException('x'), connection.displayUrl()) == null
    }
}
