package io.fhirmig.secure

import com.sun.net.httpserver.HttpExchange
import com.sun.net.httpserver.HttpServer
import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import java.nio.charset.StandardCharsets
import java.security.PublicKey
import java.security.Signature
import java.time.Instant
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList

/**
 * An OAuth 2.0 token endpoint on loopback for the client credentials grant: clients authenticate with
 * a secret (HTTP basic) or, as SMART Backend Services specifies, with a JWT assertion whose signature
 * (RS384 or ES384, by the registered public key named by kid), issuer, subject, audience, expiry and
 * jti it checks. The tokens it issues are honoured by {@link CredentialGate}.
 */
final class TokenEndpointServer {

    static final String ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

    private final HttpServer server
    private final CredentialGate gate
    private final Map<String, String> secrets = [:]
    private final Map<String, Map<String, PublicKey>> keys = [:]
    private final Set<String> seenJti = ConcurrentHashMap.newKeySet()
    /** Client id of each token issued, in order. */
    final List<String> issued = new CopyOnWriteArrayList<>()
    /** Why each refused request was refused. */
    final List<String> refusals = new CopyOnWriteArrayList<>()
    /** The scope of each token request. */
    final List<String> scopes = new CopyOnWriteArrayList<>()
    /** The next token issued is refused by the FHIR server after this many requests (-1: never). */
    volatile int nextTokenUses = -1

    TokenEndpointServer(CredentialGate gate) {
        this.gate = gate
        server = HttpServer.create(new InetSocketAddress('127.0.0.1', 0), 0)
        server.createContext('/token') { HttpExchange exchange -> handle(exchange) }
        server.start()
    }

    String url() { "http://127.0.0.1:${server.address.port}/token" }

    void registerSecret(String clientId, String secret) { secrets[clientId] = secret }

    void registerKey(String clientId, String kid, PublicKey key) { keys.computeIfAbsent(clientId) { [:] }[kid] = key }

    void stop() { server.stop(0) }

    private void handle(HttpExchange exchange) {
        try {
            Map<String, String> form = parseForm(new String(exchange.requestBody.bytes, StandardCharsets.UTF_8))
            if (exchange.requestMethod != 'POST' || form.grant_type != 'client_credentials') {
                answer(exchange, 400, [error: 'unsupported_grant_type'])
                return
            }
            String clientId = authenticate(exchange.requestHeaders.getFirst('Authorization'), form)
            scopes << form.scope
            String token = 'tok-' + UUID.randomUUID()
            gate.accept(token, Instant.now().plusSeconds(3600), nextTokenUses)
            nextTokenUses = -1
            issued << clientId
            answer(exchange, 200, [access_token: token, token_type: 'bearer', expires_in: 3600, scope: form.scope])
        } catch (Refused refused) {
            refusals << refused.message
            answer(exchange, 401, [error: 'invalid_client', error_description: refused.message])
        }
    }

    /** @return the client id, or throws {@link Refused} */
    private String authenticate(String authorization, Map<String, String> form) {
        if (authorization?.startsWith('Basic ')) {
            String[] pair = new String(Base64.decoder.decode(authorization.substring(6)), StandardCharsets.UTF_8).split(':', 2)
            String id = URLDecoder.decode(pair[0], StandardCharsets.UTF_8)
            String secret = URLDecoder.decode(pair[1], StandardCharsets.UTF_8)
            if (!secrets.containsKey(id) || secrets[id] != secret) {
                throw new Refused('client secret does not match')
            }
            return id
        }
        if (form.client_assertion_type != ASSERTION_TYPE || !form.client_assertion) {
            throw new Refused('no client authentication')
        }
        verifyAssertion(form.client_assertion)
    }

    private String verifyAssertion(String jwt) {
        String[] parts = jwt.split('\\.')
        if (parts.length != 3) {
            throw new Refused('the assertion is not a JWS')
        }
        Map header = json(parts[0])
        Map claims = json(parts[1])
        String clientId = claims.iss
        if (claims.sub != clientId) {
            throw new Refused('iss and sub differ')
        }
        PublicKey key = keys[clientId]?.get(header.kid)
        if (key == null) {
            throw new Refused("no key ${header.kid} registered for ${clientId}")
        }
        byte[] signature = Base64.urlDecoder.decode(parts[2])
        Signature verifier
        if (header.alg == 'RS384') {
            verifier = Signature.getInstance('SHA384withRSA')
        } else if (header.alg == 'ES384') {
            verifier = Signature.getInstance('SHA384withECDSA')
            signature = derFromJws(signature)
        } else {
            throw new Refused("alg ${header.alg} is not RS384 or ES384")
        }
        verifier.initVerify(key)
        verifier.update("${parts[0]}.${parts[1]}".getBytes(StandardCharsets.US_ASCII))
        if (!verifier.verify(signature)) {
            throw new Refused('the signature does not verify')
        }
        if (claims.aud != url()) {
            throw new Refused("aud ${claims.aud} is not this endpoint")
        }
        long now = Instant.now().epochSecond
        if (!(claims.exp instanceof Number) || claims.exp <= now || claims.exp > now + 300) {
            throw new Refused('exp is not within the next five minutes')
        }
        if (!claims.jti || !seenJti.add(claims.jti)) {
            throw new Refused('jti missing or used before')
        }
        clientId
    }

    /** JWS carries an ECDSA signature as R||S (48 bytes each for P-384); the JCA verifier wants DER. */
    private static byte[] derFromJws(byte[] raw) {
        if (raw.length != 96) {
            throw new Refused('an ES384 signature has 96 bytes')
        }
        byte[] r = integer(Arrays.copyOfRange(raw, 0, 48))
        byte[] s = integer(Arrays.copyOfRange(raw, 48, 96))
        def body = new ByteArrayOutputStream()
        body.write(r)
        body.write(s)
        byte[] content = body.toByteArray()
        def out = new ByteArrayOutputStream()
        out.write(0x30)
        if (content.length >= 128) {
            out.write(0x81)
        }
        out.write(content.length)
        out.write(content)
        out.toByteArray()
    }

    private static byte[] integer(byte[] unsigned) {
        byte[] value = new BigInteger(1, unsigned).toByteArray()
        byte[] out = new byte[value.length + 2]
        out[0] = 0x02
        out[1] = (byte) value.length
        System.arraycopy(value, 0, out, 2, value.length)
        out
    }

    private static Map json(String part) {
        (Map) new JsonSlurper().parse(Base64.urlDecoder.decode(part))
    }

    private static Map<String, String> parseForm(String body) {
        body.split('&').findAll { it }.collectEntries {
            String[] kv = it.split('=', 2)
            [URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : '']
        }
    }

    private static void answer(HttpExchange exchange, int status, Map body) {
        byte[] bytes = JsonOutput.toJson(body).getBytes(StandardCharsets.UTF_8)
        exchange.responseHeaders.add('Content-Type', 'application/json')
        exchange.sendResponseHeaders(status, bytes.length)
        exchange.responseBody.withCloseable { it.write(bytes) }
    }

    private static final class Refused extends RuntimeException {
        Refused(String message) { super(message) }
    }
}
