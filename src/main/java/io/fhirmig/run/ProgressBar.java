package io.fhirmig.run;

import io.fhirmig.api.ProgressListener;

/** One bulk operation's progress, reported to a {@link ProgressListener} when it is wanted. */
final class ProgressBar implements AutoCloseable {

    private final ProgressListener.Progress progress;

    private ProgressBar(ProgressListener.Progress progress) {
        this.progress = progress;
    }

    /** A bar reporting to the listener, or one that reports nothing. {@code total} is -1 when unknown. */
    static ProgressBar start(ProgressListener listener, boolean shown, String label, long total) {
        return new ProgressBar(shown ? listener.started(label, total) : null);
    }

    void update(long done) {
        if (progress != null) {
            progress.update(done);
        }
    }

    @Override
    public void close() {
        if (progress != null) {
            progress.close();
        }
    }
}
