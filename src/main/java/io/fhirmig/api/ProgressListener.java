package io.fhirmig.api;

/**
 * Told of the progress of long bulk operations ({@code migration.forEach}, {@code create},
 * {@code deleteAll}), so that whoever runs fhirmig can show it: the command line draws a bar on a
 * terminal; the library shows nothing unless its caller gives a listener.
 */
public interface ProgressListener {

    /** Shows nothing. */
    ProgressListener NONE = new ProgressListener() {
        @Override
        public boolean wants(Boolean forced) {
            return false;
        }

        @Override
        public Progress started(String label, long total) {
            return done -> { };
        }
    };

    /**
     * Whether this operation's progress is wanted: worth counting its total for.
     *
     * @param forced the script's {@code progress} option: true or false, or null to leave it to the listener
     * @return whether to count the total and report progress
     */
    boolean wants(Boolean forced);

    /**
     * An operation starts.
     *
     * @param label what it does, e.g. {@code forEach Patient?active=false}
     * @param total how many resources it will see, or -1 when unknown
     * @return where its progress goes; closed when it ends
     */
    Progress started(String label, long total);

    /** One operation's progress. */
    interface Progress extends AutoCloseable {

        /** @param done how many resources it has seen so far */
        void update(long done);

        /** The operation ended. */
        @Override
        default void close() {
        }
    }
}
