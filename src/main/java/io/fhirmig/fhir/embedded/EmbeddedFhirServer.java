package io.fhirmig.fhir.embedded;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.config.JpaConfig;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import io.fhirmig.api.FhirmigException;
import io.fhirmig.api.Remedy;
import io.fhirmig.util.BuildIdentity;
import io.fhirmig.util.PrivateFiles;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * HAPI FHIR's JPA server (R4) on H2, served over HTTP on 127.0.0.1 at {@code /fhir}: the default
 * server of the command line, and the server of the tests.
 *
 * <p>It is the real server that many teams run in production, not a stand-in, so that what works
 * here works there.
 */
public final class EmbeddedFhirServer implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(EmbeddedFhirServer.class);
    /** HAPI's default of 50 makes bulk reads slow; the server's limit is what bulk helpers ask for. */
    static final int DEFAULT_PAGE_SIZE = 20;
    static final int MAXIMUM_PAGE_SIZE = 1000;

    private final AnnotationConfigApplicationContext spring;
    private final Server jetty;
    private final int port;
    private final ServerOwnerFile ownerFile;
    private final String scheme;
    private final EmbeddedServerOptions options;
    private final Activity activity;
    private final CountDownLatch closed = new CountDownLatch(1);
    /** Set by {@link #start} once the server answers, when it serves its folder to other processes. */
    private ServerFile serverFile;
    private volatile boolean stopping;

    private EmbeddedFhirServer(AnnotationConfigApplicationContext spring, Server jetty, int port, ServerOwnerFile ownerFile,
            String scheme, EmbeddedServerOptions options, Activity activity) {
        this.scheme = scheme;
        this.spring = spring;
        this.jetty = jetty;
        this.port = port;
        this.ownerFile = ownerFile;
        this.options = options;
        this.activity = activity;
    }

    /**
     * Starts a server and returns once it answers requests.
     *
     * @throws FhirmigException (kind SERVER) when the port is taken, the data folder cannot be
     *     written, or the database is in use by another process
     */
    public static EmbeddedFhirServer start(EmbeddedServerOptions options) {
        ServerOwnerFile ownerFile = null;
        if (!options.inMemoryDatabase()) {
            prepareDataDir(options.dataDir());
            ownerFile = new ServerOwnerFile(options.dataDir());
            DatabaseInUseCheck.check(options, ownerFile);
        }
        Server jetty = new Server(newThreadPool());
        ServerConnector connector = newConnector(jetty, options.tls());
        connector.setHost("127.0.0.1");
        connector.setPort(options.port());
        jetty.addConnector(connector);
        try {
            // Bind before the slow Spring start, so that a taken port fails at once.
            connector.open();
        } catch (IOException e) {
            throw portProblem(options.port(), e);
        }
        ServerWarmUp.startInBackground();
        AnnotationConfigApplicationContext spring = null;
        try {
            spring = new AnnotationConfigApplicationContext();
            spring.registerBean(EmbeddedServerOptions.class, () -> options);
            spring.register(EmbeddedServerConfig.class);
            spring.refresh();

            ServletContextHandler context = new ServletContextHandler();
            context.setContextPath("/");
            Activity activity = new Activity();
            context.addFilter(new FilterHolder(activity), "/fhir/*", EnumSet.of(DispatcherType.REQUEST));
            // The status page is mapped before the server object exists; it answers "starting" until then.
            EmbeddedFhirServer[] self = new EmbeddedFhirServer[1];
            context.addServlet(new ServletHolder(new StatusServlet(() -> self[0] == null ? "state=starting\n"
                    : self[0].statusText(), activity, () -> self[0] == null || self[0].stopping)), StatusServlet.PATH);
            RestfulServer rest = newRestfulServer(spring);
            options.interceptors().forEach(rest::registerInterceptor);
            context.addServlet(new ServletHolder(rest), "/fhir/*");
            jetty.setHandler(context);
            jetty.setStopAtShutdown(false);
            jetty.start();
            int actualPort = connector.getLocalPort();
            EmbeddedFhirServer server = new EmbeddedFhirServer(spring, jetty, actualPort, ownerFile,
                    options.tls() != null ? "https" : "http", options, activity);
            self[0] = server;
            if (ownerFile != null) {
                ownerFile.write(server.baseUrl());
                // The database files H2 made as the umask says.
                restrict(options.dataDir());
            }
            if (ownerFile != null && options.shared() != null) {
                server.share(options.shared());
            }
            LOG.debug("Embedded FHIR server listening at {}", server.baseUrl());
            return server;
        } catch (FhirmigException e) {
            stopQuietly(jetty, spring);
            throw e;
        } catch (Exception e) {
            stopQuietly(jetty, spring);
            throw new FhirmigException(FhirmigException.Kind.SERVER,
                    "the embedded FHIR server could not start: " + rootMessage(e)
                            + " (run with -v for details)", e);
        }
    }

    /** Lets other processes find this server (its {@link ServerFile}), and stops it when idle if asked to. */
    private void share(EmbeddedServerOptions.Shared shared) throws IOException {
        ServerFile file = ServerFile.ofThisProcess(baseUrl(), shared.background());
        file.write(options.dataDir());
        serverFile = file;
        if (shared.idleStop() != null) {
            IdleStop.watch(this, activity, shared.idleStop());
        }
    }

    /**
     * What {@code GET /fhirmig/status} answers: {@code key=value} lines naming the process, the build
     * of fhirmig it runs, its URL and data folder, and its idle limit and idle time in milliseconds.
     */
    String statusText() {
        EmbeddedServerOptions.Shared shared = options.shared();
        Duration limit = shared == null ? null : shared.idleStop();
        return "pid=" + ProcessHandle.current().pid() + "\n"
                + "build=" + BuildIdentity.current() + "\n"
                + "url=" + baseUrl() + "\n"
                + "dataDir=" + (options.dataDir() == null ? "" : options.dataDir().toAbsolutePath()) + "\n"
                + "background=" + (shared != null && shared.background()) + "\n"
                + "idleStopMillis=" + (limit == null ? 0 : limit.toMillis()) + "\n"
                + "idleMillis=" + activity.idle().toMillis() + "\n"
                + "state=" + (stopping ? "stopping" : "serving") + "\n";
    }

    private static ServerConnector newConnector(Server jetty, EmbeddedServerOptions.Tls tls) {
        if (tls == null) {
            return new ServerConnector(jetty, 1, 1);
        }
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(tls.keyStore().toAbsolutePath().toString());
        ssl.setKeyStorePassword(tls.password());
        ssl.setKeyStoreType("PKCS12");
        HttpConfiguration https = new HttpConfiguration();
        // Clients reach it by IP address, which TLS sends no server name (SNI) for.
        https.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
        return new ServerConnector(jetty, 1, 1, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(https));
    }

    private static QueuedThreadPool newThreadPool() {
        QueuedThreadPool pool = new QueuedThreadPool(32, 4);
        pool.setName("fhirmig-jetty");
        pool.setDaemon(true);
        return pool;
    }

    private static RestfulServer newRestfulServer(AnnotationConfigApplicationContext spring) {
        FhirContext fhirContext = spring.getBean(FhirContext.class);
        RestfulServer rest = new RestfulServer(fhirContext);
        rest.setServerName("fhirmig embedded HAPI FHIR server");
        rest.setDefaultResponseEncoding(EncodingEnum.JSON);
        rest.setInterceptorService(spring.getBean(IInterceptorService.class));
        rest.registerProviders(spring.getBean(ResourceProviderFactory.class).createProviders());
        rest.registerProvider(spring.getBean(JpaSystemProvider.class));
        DatabaseBackedPagingProvider paging = spring.getBean(DatabaseBackedPagingProvider.class);
        paging.setDefaultPageSize(DEFAULT_PAGE_SIZE);
        paging.setMaximumPageSize(MAXIMUM_PAGE_SIZE);
        rest.setPagingProvider(paging);
        @SuppressWarnings("unchecked")
        IFhirSystemDao<Bundle, Meta> systemDao = spring.getBean(IFhirSystemDao.class);
        rest.setServerConformanceProvider(new JpaCapabilityStatementProvider(
                rest,
                systemDao,
                spring.getBean(JpaStorageSettings.class),
                spring.getBean(ISearchParamRegistry.class),
                spring.getBean(JpaConfig.JPA_VALIDATION_SUPPORT_CHAIN, IValidationSupport.class)));
        return rest;
    }

    private static void prepareDataDir(Path dataDir) {
        try {
            // The user's alone: the database holds the server's data (patients' names, say).
            PrivateFiles.createDirectories(dataDir);
        } catch (IOException e) {
            throw unwritable(dataDir);
        }
        restrict(dataDir);
        if (!Files.isWritable(dataDir)) {
            throw unwritable(dataDir);
        }
    }

    /**
     * The data folder and its files 0700/0600 (H2 makes its files as the umask says), and the folder
     * around it when it is fhirmig's own {@code .fhirmig}.
     */
    private static void restrict(Path dataDir) {
        PrivateFiles.restrictTree(dataDir);
        Path parent = dataDir.toAbsolutePath().getParent();
        if (parent != null && ".fhirmig".equals(String.valueOf(parent.getFileName()))) {
            PrivateFiles.restrict(parent);
        }
    }

    private static FhirmigException unwritable(Path dataDir) {
        return new FhirmigException(FhirmigException.Kind.SERVER,
                "cannot write the embedded server's data folder " + dataDir, Remedy.WRITABLE_DATA_FOLDER, null);
    }

    private static FhirmigException portProblem(int port, IOException e) {
        Throwable cause = e instanceof BindException ? e : e.getCause();
        String why = cause instanceof BindException ? "is already in use" : "cannot be opened (" + e.getMessage() + ")";
        return new FhirmigException(FhirmigException.Kind.SERVER,
                "port " + port + " on 127.0.0.1 " + why, Remedy.OTHER_PORT, e);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static void stopQuietly(Server jetty, AnnotationConfigApplicationContext spring) {
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.debug("stopping Jetty after a failed start", e);
        }
        if (spring != null) {
            try {
                spring.close();
            } catch (RuntimeException e) {
                LOG.debug("closing Spring after a failed start", e);
            }
        }
    }

    /** The FHIR base URL, for example {@code http://127.0.0.1:8089/fhir} ({@code https} when serving TLS). */
    public String baseUrl() {
        return scheme + "://127.0.0.1:" + port + "/fhir";
    }

    public int port() {
        return port;
    }

    /** The FHIR context the server uses; clients in the same process can share it. */
    public FhirContext fhirContext() {
        return spring.getBean(FhirContext.class);
    }

    /** One of the server's Spring beans (HAPI's services, this package's wiring), for its specs. */
    <T> T bean(Class<T> type) {
        return spring.getBean(type);
    }

    /** Whether {@link #close} has run (from any thread: a shutdown hook, the idle stop). */
    public boolean isClosed() {
        return closed.getCount() == 0;
    }

    /** Waits until the server is closed (its database too): by {@link #close}, or by its idle stop. */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /** Stops serving, then closes the database so that its files are left consistent. */
    @Override
    public synchronized void close() {
        if (!spring.isActive()) {
            closed.countDown();
            return;
        }
        stopping = true;
        // First, so that no command finds the server while it stops.
        if (serverFile != null) {
            serverFile.deleteIfOurs(options.dataDir());
        }
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.debug("stopping Jetty", e);
        }
        spring.close();
        if (ownerFile != null) {
            ownerFile.delete();
        }
        if (ownerFile != null) {
            // H2 may have made a trace file meanwhile.
            restrict(ownerFile.dataDir());
        }
        closed.countDown();
    }
}
