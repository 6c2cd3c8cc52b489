package io.fhirmig.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IRestfulClientFactory;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import io.fhirmig.api.FhirmigException;
import io.fhirmig.fhir.auth.Authentication;
import io.fhirmig.fhir.auth.Credentials;
import io.fhirmig.fhir.net.Urls;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.conn.util.PublicSuffixMatcher;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.impl.client.HttpClients;

/**
 * One FHIR server: an HTTP client with timeouts, retries of what is safe to repeat, credentials, a private CA and
 * extra headers, for fhirmig's own requests ({@link #http()}) and under a HAPI client (for scripts).
 * One FHIR context serves the whole process: building one costs a second, and HAPI caches its model
 * scans in it. Its HTTP settings are the process's: the connection whose HAPI client was made last
 * sets them.
 */
public final class FhirConnection {

    /** The User-Agent of fhirmig's own requests (the state's reads and commits). */
    static final String USER_AGENT = "fhirmig (Java " + System.getProperty("java.version") + ")";
    private static final int POOL_SIZE = 16;

    private final ConnectionOptions options;
    private final FhirHttp http;
    private final WatchedHttpClient httpClient;
    private final CapturingHttpClient outermost;
    private FhirContext context;
    private IGenericClient client;

    private FhirConnection(ConnectionOptions options, FhirContext context, IGenericClient client,
            WatchedHttpClient httpClient) {
        this.options = options;
        this.context = context;
        this.client = client;
        this.httpClient = httpClient;
        this.outermost = httpClient == null ? null : new CapturingHttpClient(httpClient, options.url());
        this.http = outermost == null ? null : new FhirHttp(outermost, options.url());
    }

    /** The process's shared R4 context. */
    public static FhirContext sharedContext() {
        return FhirContext.forR4Cached();
    }

    /**
     * Opens a connection; nothing is sent until the first request. HAPI's context and client are
     * made when first asked for (they are slow to make): fhirmig's own requests go
     * through {@link #http()}, so a command that runs no script never needs them.
     */
    public static FhirConnection open(ConnectionOptions options) {
        checkUrl(options.url());
        warnIfPlainHttp(options);
        return new FhirConnection(options, null, null, newHttpClient(options));
    }

    /** Wraps a client that the host application made itself. */
    public static FhirConnection of(IGenericClient client) {
        return new FhirConnection(ConnectionOptions.of(client.getServerBase()), client.getFhirContext(), client, null);
    }

    private static WatchedHttpClient newHttpClient(ConnectionOptions options) {
        CloseableHttpClient plain = plainHttpClient(options);
        // The token endpoint is asked through the plain client: it gets the TLS settings, but
        // neither the FHIR server's credentials nor its extra headers.
        Credentials credentials = Credentials.of(options.authentication(), plain);
        return new WatchedHttpClient(new AuthenticatingHttpClient(new RetryingHttpClient(plain,
                options.retries()), credentials, options.headers(), options.url()));
    }

    /**
     * Runs a hook before every request sent to the server from now on, whoever sends it: HAPI's
     * client (and so a script), fhirmig's own requests, bulk operations on their threads. Requests
     * through a client an application made cannot be seen.
     *
     * @param hook run on the sending thread before each request; null to stop
     * @return whether the hook will see every request: false for an application's client
     */
    public boolean beforeEachRequest(Runnable hook) {
        if (httpClient == null) {
            return false;
        }
        httpClient.beforeEach(hook);
        return true;
    }

    /**
     * Hands every request that may change data to {@code capture} instead of the server, from now on
     * and from every thread, until called with null: a dry run. Reads go through.
     *
     * @param capture answers the writes; null to send them again
     * @return whether the writes are captured: false for a client an application made, whose
     *     requests fhirmig cannot see
     */
    public boolean captureWrites(WriteCapture capture) {
        if (outermost == null) {
            return false;
        }
        outermost.capture(capture);
        return true;
    }

    private static CloseableHttpClient plainHttpClient(ConnectionOptions options) {
        RequestConfig config = RequestConfig.custom()
                .setConnectTimeout((int) options.connectTimeout().toMillis())
                .setConnectionRequestTimeout((int) options.connectTimeout().toMillis())
                .setSocketTimeout((int) options.readTimeout().toMillis())
                .build();
        HttpClientBuilder builder = HttpClients.custom();
        if (options.caFile() != null) {
            builder.setSSLContext(TrustedCertificates.withCaFile(options.caFile()));
        } else {
            // The builder would otherwise parse the public suffix list (a tenth of a second) for
            // cookies, which are off, and for the TLS host name check, which the lazy factory makes
            // with its own list when a connection first needs TLS.
            builder.setSSLSocketFactory(new LazyTlsSocketFactory())
                    .setPublicSuffixMatcher(new PublicSuffixMatcher(List.of(), List.of()));
        }
        return builder
                // The builder's default names HttpClient's version, which it reads from a resource of
                // its jar: a walk through the jars before it on the class path, on every command.
                // HAPI's requests name HAPI themselves.
                .setUserAgent(USER_AGENT)
                .setDefaultRequestConfig(config)
                .setMaxConnTotal(POOL_SIZE)
                .setMaxConnPerRoute(POOL_SIZE)
                .setConnectionTimeToLive(5, TimeUnit.MINUTES)
                .disableAutomaticRetries()
                // A redirect would carry the Authorization header wherever the server points:
                // AuthenticatingHttpClient follows only those to the server's own origin, and the token
                // endpoint's are not followed at all.
                .disableRedirectHandling()
                .disableCookieManagement()
                // fhirmig writes the Authorization header itself (AuthenticatingHttpClient), and one
                // process speaks for one identity: HttpClient's cache of challenge-based schemes and its
                // per-connection user token are work on every request that decides nothing.
                .disableAuthCaching()
                .disableConnectionState()
                .build();
    }

    /**
     * Credentials (or extra headers, which may carry them) over plain http to another machine can be read
     * by anyone on the way: allowed, since a test server may need it, but never without a word.
     */
    private static void warnIfPlainHttp(ConnectionOptions options) {
        boolean credentials = !(options.authentication() instanceof Authentication.None);
        if ((credentials || !options.headers().isEmpty()) && plainHttpElsewhere(options.url())) {
            org.apache.logging.log4j.LogManager.getLogger(FhirConnection.class).warn(
                    "sending {} over plain http to {}: anyone on the network between can read {}; use https",
                    credentials ? "credentials" : "the extra headers", Urls.withoutCredentials(options.url()),
                    credentials ? "and reuse them" : "them");
        }
        String tokenUrl = options.authentication() instanceof Authentication.ClientSecret secret
                ? secret.tokenUrl() : null;
        if (tokenUrl != null && plainHttpElsewhere(tokenUrl)) {
            org.apache.logging.log4j.LogManager.getLogger(FhirConnection.class).warn(
                    "sending the client secret over plain http to the token endpoint {}: anyone on the network"
                            + " between can read and reuse it; use https", Urls.withoutCredentials(tokenUrl));
        }
    }

    /** Whether a URL is http:// to a host other than this machine's loopback. */
    static boolean plainHttpElsewhere(String url) {
        try {
            URI uri = new URI(url.trim());
            String host = uri.getHost();
            if (!"http".equalsIgnoreCase(uri.getScheme()) || host == null) {
                return false;
            }
            host = host.toLowerCase(java.util.Locale.ROOT);
            return !(host.equals("localhost") || host.endsWith(".localhost") || host.startsWith("127.")
                    || host.equals("[::1]") || host.equals("::1"));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static void checkUrl(String url) {
        try {
            URI uri = new URI(url);
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                    || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new FhirmigException(FhirmigException.Kind.USAGE,
                    "'" + Urls.withoutCredentials(url) + "' is not a FHIR base URL: give an http(s) URL such as"
                            + " https://fhir.example.org/fhir, or 'embedded'");
        }
    }

    /** The HAPI client, made on first use with this connection's HTTP client. */
    public synchronized IGenericClient client() {
        if (client == null) {
            // HAPI takes the HTTP client of every request from the context's factory, not from the
            // factory that made the client: so the retries, timeouts and credentials are set there.
            IRestfulClientFactory factory = context().getRestfulClientFactory();
            synchronized (factory) {
                factory.setServerValidationMode(ServerValidationModeEnum.NEVER);
                factory.setHttpClient(outermost);
                client = factory.newGenericClient(options.url());
            }
        }
        return client;
    }

    /**
     * The same HTTP client as {@link #client()}'s, for requests whose JSON fhirmig writes and reads
     * itself; absent for a client an application made (its interceptors are not on this path).
     */
    public Optional<FhirHttp> http() {
        return Optional.ofNullable(http);
    }

    public synchronized FhirContext context() {
        if (context == null) {
            context = sharedContext();
        }
        return context;
    }

    /** The server's base URL without user-info, safe to show and log. */
    public String displayUrl() {
        return Urls.withoutCredentials(options.url());
    }

    public ConnectionOptions options() {
        return options;
    }
}
