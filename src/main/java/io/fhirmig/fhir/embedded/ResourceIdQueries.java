package io.fhirmig.fhir.embedded;

import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hibernate.resource.jdbc.spi.StatementInspector;

/**
 * Lets H2 resolve many resource ids at once through its index instead of reading the whole resource
 * table.
 *
 * <p>Before it updates the entries of a transaction Bundle, HAPI looks up their ids in one query,
 * {@code where (t.RES_TYPE=? and t.FHIR_ID=? or t.RES_TYPE=? and t.FHIR_ID=? or ...)}. H2 plans a
 * prepared statement before it knows the values and cannot turn that chain into index lookups: it
 * scans the table, so each Bundle costs time in proportion to the number of resources stored, and a
 * rewrite of every resource in proportion to the square. The same condition as a row-value list,
 * {@code (t.RES_TYPE,t.FHIR_ID) in ((?,?),(?,?),...)}, with its parameters in the same order, is
 * answered from the index on (RES_TYPE, FHIR_ID). Any other statement passes through unchanged, as does
 * this one if a HAPI release phrases it differently (then {@code ResourceIdQueriesSpec} fails).
 */
final class ResourceIdQueries implements StatementInspector {

    /** The parenthesised chain of two or more (type, id) pairs on one table alias. */
    private static final Pattern PAIRS = Pattern.compile(
            "\\((\\w+)\\.RES_TYPE=\\? and \\1\\.FHIR_ID=\\?((?: or \\1\\.RES_TYPE=\\? and \\1\\.FHIR_ID=\\?)+)\\)");
    private static final String MARK = ".FHIR_ID=? or ";

    private final AtomicLong rewritten = new AtomicLong();

    @Override
    public String inspect(String sql) {
        if (!sql.contains(MARK) || !sql.startsWith("select ")) {
            return sql;
        }
        Matcher chain = PAIRS.matcher(sql);
        if (!chain.find()) {
            return sql;
        }
        String alias = chain.group(1);
        int pairs = 1 + chain.group(2).length() / (" or " + alias + ".RES_TYPE=? and " + alias + ".FHIR_ID=?").length();
        StringBuilder rows = new StringBuilder(sql.length());
        rows.append(sql, 0, chain.start())
                .append('(').append(alias).append(".RES_TYPE,").append(alias).append(".FHIR_ID) in (");
        for (int i = 0; i < pairs; i++) {
            rows.append(i == 0 ? "(?,?)" : ",(?,?)");
        }
        rows.append(')').append(sql, chain.end(), sql.length());
        rewritten.incrementAndGet();
        return rows.toString();
    }

    /** How many statements this has rewritten since the server started. */
    long rewritten() {
        return rewritten.get();
    }
}
