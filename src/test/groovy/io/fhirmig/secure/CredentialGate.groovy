package io.fhirmig.secure

import ca.uhn.fhir.interceptor.api.Hook
import ca.uhn.fhir.interceptor.api.Interceptor
import ca.uhn.fhir.interceptor.api.Pointcut
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException
import jakarta.servlet.http.HttpServletRequest
import java.nio.charset.StandardCharsets
import java.time.Instant
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger

/**
 * A HAPI server interceptor that lets a request through only with a bearer token the test's token
 * endpoint issued (and that has not expired), a static token it was given, or the basic credentials it
 * was given; anything else is answered 401. Patient is forbidden to everyone (403). It keeps the headers it saw, for the specifications.
 */
@Interceptor
final class CredentialGate {

    private final Map<String, Issued> tokens = new ConcurrentHashMap<>()
    private volatile String basicHeader
    final AtomicInteger refused = new AtomicInteger()
    /** The value of the tenant header of each request let through. */
    final List<String> tenants = new CopyOnWriteArrayList<>()

    private static final class Issued {
        final Instant expiresAt
        final AtomicInteger usesLeft

        Issued(Instant expiresAt, int uses) {
            this.expiresAt = expiresAt
            this.usesLeft = new AtomicInteger(uses)
        }

        boolean use() {
            Instant.now().isBefore(expiresAt) && (usesLeft.get() < 0 || usesLeft.getAndDecrement() > 0)
        }
    }

    /** @param uses how many requests it is good for before the server treats it as expired; -1 for no limit */
    void accept(String token, Instant expiresAt, int uses = -1) {
        tokens[token] = new Issued(expiresAt, uses)
    }

    void acceptBasic(String user, String password) {
        basicHeader = 'Basic ' + Base64.encoder.encodeToString("${user}:${password}".getBytes(StandardCharsets.UTF_8))
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    boolean check(HttpServletRequest request) {
        String authorization = request.getHeader('Authorization')
        boolean ok = authorization != null && (authorization == basicHeader
                || authorization.startsWith('Bearer ') && tokens[authorization.substring(7)]?.use())
        if (!ok) {
            refused.incrementAndGet()
            throw new AuthenticationException('a valid bearer token or basic credentials are required')
        }
        if (request.requestURI.contains('/fhir/Patient')) {
            throw new ForbiddenOperationException('this client may not read or write Patient')
        }
        tenants << request.getHeader('X-Tenant-ID')
        true
    }
}
