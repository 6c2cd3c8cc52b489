package io.fhirmig.fhir.embedded;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.jpa.dao.data.IResourceTableDao;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.hibernate.grammars.hql.HqlLexer;
import org.hibernate.grammars.hql.HqlParser;
import org.hibernate.query.hql.internal.HqlParseTreeBuilder;
import org.springframework.data.jpa.repository.Query;

/**
 * Does two slow parts of the embedded server's start ahead, on a thread of its own, while the main
 * thread is still booting Spring and Hibernate: it loads the R4 structure definitions, and it
 * parses the queries of HAPI's Spring Data repositories.
 *
 * <p>The structure definitions (every R4 resource and type, parsed from XML bundles) are what HAPI's
 * FHIRPath engine is built from; HAPI keeps them once per FHIR version for every context, so the
 * server's own search parameter extractor finds them loaded.
 *
 * <p>Spring Data parses each repository query with its own ANTLR grammar, and Hibernate parses it
 * again to check it. ANTLR builds each grammar's prediction cache as it meets new input, which makes
 * the first two hundred queries slow (seconds, on the thread that starts the server) and the same
 * queries a second time fast (tens of milliseconds). The cache is shared by every parser of a grammar
 * and safe to fill from several threads, so filling it here takes that time off the start.
 *
 * <p>What the server does is unchanged: it still parses and checks every query itself. If anything
 * here fails (another HAPI, Spring Data or Hibernate version), the server just starts without the
 * head start.
 */
final class ServerWarmUp {

    private static final Logger LOG = LogManager.getLogger(ServerWarmUp.class);
    private static final String REPOSITORY_PACKAGE = IResourceTableDao.class.getPackageName();

    private ServerWarmUp() {
    }

    /** Starts the warm-up on a daemon thread and returns at once. */
    static void startInBackground() {
        Thread thread = new Thread(ServerWarmUp::run, "fhirmig-server-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run() {
        try {
            int definitions = loadStructureDefinitions();
            LOG.debug("loaded {} structure definitions ahead of the embedded server's start", definitions);
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("the structure definitions could not be loaded ahead; the server loads them as it starts", e);
        }
        try {
            Parsed parsed = parseRepositoryQueries();
            LOG.debug("parsed {} repository queries ahead of the embedded server's start ({} with Spring Data's parser too)",
                    parsed.hibernate(), parsed.springData());
        } catch (Exception | LinkageError e) {
            LOG.debug("the repository queries could not be parsed ahead; the server parses them as it starts", e);
        }
    }

    /**
     * Loads the R4 structure definitions into HAPI's cache of them.
     *
     * @return how many there are
     */
    static int loadStructureDefinitions() {
        return new DefaultProfileValidationSupport(FhirContext.forR4Cached()).fetchAllStructureDefinitions().size();
    }

    /**
     * How many queries each parser went through.
     *
     * @param hibernate queries parsed with Hibernate's HQL grammar
     * @param springData queries parsed with Spring Data's; 0 if its parser could not be reached
     */
    record Parsed(int hibernate, int springData) {
    }

    /**
     * Parses every repository query with both grammars, on the calling thread. A query that one of
     * them rejects is skipped (the server reports it properly when it checks that query itself);
     * the rest are still parsed.
     */
    static Parsed parseRepositoryQueries() throws Exception {
        List<String> queries = repositoryQueries();
        SpringDataParser spring = SpringDataParser.find();
        int hibernate = 0;
        int springData = 0;
        for (String query : queries) {
            hibernate += parsed(() -> parseWithHibernate(query), query);
            if (spring != null) {
                springData += parsed(() -> spring.parse(query), query);
            }
        }
        return new Parsed(hibernate, springData);
    }

    private interface Parse {
        void run() throws ReflectiveOperationException;
    }

    private static int parsed(Parse parse, String query) {
        try {
            parse.run();
            return 1;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("could not parse ahead: {}", query, e);
            return 0;
        }
    }

    /** The JPQL of every {@code @Query} in HAPI's repository package. */
    static List<String> repositoryQueries() throws Exception {
        Path jar = Path.of(IResourceTableDao.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String folder = REPOSITORY_PACKAGE.replace('.', '/') + '/';
        List<String> queries = new ArrayList<>();
        ClassLoader loader = IResourceTableDao.class.getClassLoader();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : Collections.list(file.entries())) {
                String name = entry.getName();
                if (!name.startsWith(folder) || !name.endsWith(".class") || name.indexOf('/', folder.length()) >= 0) {
                    continue;
                }
                String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
                try {
                    for (Method method : Class.forName(className, false, loader).getDeclaredMethods()) {
                        Query query = method.getAnnotation(Query.class);
                        if (query != null && !query.nativeQuery() && !query.value().isEmpty()) {
                            queries.add(query.value());
                        }
                    }
                } catch (LinkageError e) {
                    // One repository whose method types are not all on the class path must not stop the rest.
                    LOG.debug("not parsing the queries of {} ahead", className, e);
                }
            }
        }
        return queries;
    }

    /** Parses as Hibernate's HQL translator does: the fast mode first, the full one if that fails. */
    private static void parseWithHibernate(String query) {
        HqlLexer lexer = HqlParseTreeBuilder.INSTANCE.buildHqlLexer(query);
        HqlParser parser = HqlParseTreeBuilder.INSTANCE.buildHqlParser(query, lexer);
        lexer.removeErrorListeners();
        parser.removeErrorListeners();
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        parser.setErrorHandler(new BailErrorStrategy());
        try {
            parser.statement();
        } catch (ParseCancellationException e) {
            lexer.reset();
            parser.reset();
            parser.getInterpreter().setPredictionMode(PredictionMode.LL);
            parser.statement();
        }
    }

    /**
     * Spring Data's query parsing, reached through its query enhancer: the grammar and the types it
     * takes are not public, so this looks them up and gives up quietly if they have moved.
     */
    private record SpringDataParser(Method declare, Method enhance) {

        private static final String PACKAGE = "org.springframework.data.jpa.repository.query.";

        static SpringDataParser find() {
            try {
                Class<?> declaredQuery = Class.forName(PACKAGE + "DeclaredQuery");
                Method declare = declaredQuery.getMethod("of", String.class, boolean.class);
                Method enhance = Class.forName(PACKAGE + "QueryEnhancerFactory").getMethod("forQuery", declaredQuery);
                declare.setAccessible(true);
                enhance.setAccessible(true);
                return new SpringDataParser(declare, enhance);
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.debug("Spring Data's query parser is not where it was; not parsing ahead with it", e);
                return null;
            }
        }

        void parse(String query) throws ReflectiveOperationException {
            enhance.invoke(null, declare.invoke(null, query, false));
        }
    }
}
