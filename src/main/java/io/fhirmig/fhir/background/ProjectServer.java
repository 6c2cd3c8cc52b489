package io.fhirmig.fhir.background;

import io.fhirmig.api.FhirmigException;
import io.fhirmig.api.Remedy;
import io.fhirmig.fhir.embedded.ServerFile;
import io.fhirmig.util.PrivateFiles;
import io.fhirmig.api.ServerText;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The embedded server of one data folder ({@code .fhirmig/server}) that runs beside the commands: the
 * one a command finds and uses, starting it first when none runs. Starting is done under a lock file
 * in the folder, so that commands started together start one server. A server that is gone, does not
 * answer, or runs another build of fhirmig is stopped and replaced; a foreground {@code fhirmig serve}
 * of another build is refused rather than stopped (it is the user's own process in a terminal).
 */
public final class ProjectServer {

    /** How long a live server takes at most to answer who it is. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    /** A cold start takes 10-40 s, by the machine and the start-up archive. */
    static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    /** A server stops in seconds; one that has not after this is killed. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    public static final String LOG = "serve.log";
    static final String LOCK = "start.lock";
    /** File locks are held by the process: threads of one process take turns here first. */
    private static final Object THIS_PROCESS = new Object();

    private final Path dataDir;

    /** @param dataDir the data folder, e.g. {@code .fhirmig/server} */
    public ProjectServer(Path dataDir) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The running server of the folder that answers, background or foreground, of any build. */
    public Optional<RunningServer> find() {
        return StatusProbe.probe(dataDir, PROBE_TIMEOUT, false) instanceof StatusProbe.Answering a
                ? Optional.of(a.server()) : Optional.empty();
    }

    /**
     * A running server of this build to use, without starting one (for commands that keep their
     * server in their own process otherwise).
     *
     * @throws FhirmigException (SERVER) for a foreground server of another build
     */
    public Optional<RunningServer> findToUse() {
        if (StatusProbe.probe(dataDir, PROBE_TIMEOUT, true) instanceof StatusProbe.Answering a) {
            if (a.server().sameBuild()) {
                return Optional.of(a.server());
            }
            if (!a.server().background()) {
                throw otherBuild(a.server());
            }
        }
        return Optional.empty();
    }

    /**
     * The server to use: the running one, else one started now in the background (and waited for).
     *
     * @param idleStop how long a server started now waits without requests before it stops itself
     * @throws FhirmigException (SERVER) when the folder cannot be written, the server does not start,
     *     or a foreground server of another build holds the folder
     */
    public Connected connect(Duration idleStop) {
        Optional<RunningServer> running = findToUse();
        if (running.isPresent()) {
            return new Connected(running.get(), false, null);
        }
        synchronized (THIS_PROCESS) {
            try (FileChannel channel = lockFile(); FileLock ignored = lock(channel)) {
                StatusProbe.Found found = StatusProbe.probe(dataDir, PROBE_TIMEOUT, true);
                RunningServer replaced = null;
                if (found instanceof StatusProbe.Answering a) {
                    if (a.server().sameBuild()) {
                        return new Connected(a.server(), false, null);
                    }
                    if (!a.server().background()) {
                        throw otherBuild(a.server());
                    }
                    terminate(ProcessHandle.of(a.server().pid()), false);
                    replaced = a.server();
                } else if (found instanceof StatusProbe.Silent s) {
                    terminate(ProcessHandle.of(s.file().pid()).filter(p -> s.file().processAlive()), s.stopping());
                }
                return new Connected(start(idleStop), true, replaced);
            } catch (IOException e) {
                throw unwritable(e);
            }
        }
    }

    /**
     * Stops the folder's server (background or foreground), and returns once its process has ended,
     * its database closed.
     *
     * @return the server stopped; empty when none was running
     */
    public Optional<RunningServer> stop() {
        if (ServerFile.read(dataDir).isEmpty()) {
            return Optional.empty();
        }
        synchronized (THIS_PROCESS) {
            try (FileChannel channel = lockFile(); FileLock ignored = lock(channel)) {
                StatusProbe.Found found = StatusProbe.probe(dataDir, PROBE_TIMEOUT, false);
                if (found instanceof StatusProbe.Answering a) {
                    terminate(ProcessHandle.of(a.server().pid()), false);
                    return Optional.of(a.server());
                }
                if (found instanceof StatusProbe.Silent s) {
                    terminate(ProcessHandle.of(s.file().pid()).filter(p -> s.file().processAlive()), s.stopping());
                    return Optional.of(new RunningServer(s.file().pid(), s.file().baseUrl(), dataDir, "",
                            s.file().background(), null, null));
                }
                return Optional.empty();
            } catch (IOException e) {
                throw unwritable(e);
            }
        }
    }

    private FileChannel lockFile() throws IOException {
        PrivateFiles.createDirectories(dataDir);
        Path lock = dataDir.resolve(LOCK);
        if (!Files.exists(lock)) {
            try {
                PrivateFiles.createFile(lock);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // Another command made it meanwhile.
            }
        }
        return FileChannel.open(lock, StandardOpenOption.WRITE);
    }

    /** Waits for the lock as long as another command may take to replace a server and start one. */
    private FileLock lock(FileChannel channel) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.plus(STOP_TIMEOUT).toNanos();
        while (true) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
            if (System.nanoTime() > deadline) {
                throw new FhirmigException(FhirmigException.Kind.SERVER, "another fhirmig command has been"
                        + " starting the embedded server of " + dataDir + " for " + START_TIMEOUT.plus(STOP_TIMEOUT)
                        .toMinutes() + " minutes; see " + dataDir.resolve(LOG));
            }
            sleep(100);
        }
    }

    private RunningServer start(Duration idleStop) throws IOException {
        List<String> command = ServerLaunch.command(dataDir, idleStop);
        Path log = dataDir.resolve(LOG);
        PrivateFiles.writeString(log, "");
        Process process = new ProcessBuilder(command).directory(dataDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        process.getOutputStream().close();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (StatusProbe.probe(dataDir, PROBE_TIMEOUT, true) instanceof StatusProbe.Answering a
                    && a.server().sameBuild()) {
                return a.server();
            }
            // setsid runs the server in its own process (it forks only when it leads a process
            // group, which a child of the JVM never does): this process ending is the server's end.
            if (!process.isAlive()) {
                throw new FhirmigException(FhirmigException.Kind.SERVER, "the embedded FHIR server could not start"
                        + " in the background" + lastLine(log) + " (all of its output: " + log + ")");
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new FhirmigException(FhirmigException.Kind.SERVER, "the embedded FHIR server started in the"
                        + " background did not answer within " + START_TIMEOUT.toMinutes() + " minutes; see " + log);
            }
            sleep(100);
        }
    }

    /** Stops a process with SIGTERM (its shutdown closes the database), and kills it if it does not end. */
    private static void terminate(Optional<ProcessHandle> process, boolean alreadyStopping) {
        if (process.isEmpty() || !process.get().isAlive()) {
            return;
        }
        ProcessHandle handle = process.get();
        if (!alreadyStopping || !ended(handle, STOP_TIMEOUT)) {
            handle.destroy();
            if (!ended(handle, STOP_TIMEOUT)) {
                handle.destroyForcibly();
                ended(handle, Duration.ofSeconds(10));
            }
        }
    }

    private static boolean ended(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !handle.isAlive();
        } catch (ExecutionException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FhirmigException(FhirmigException.Kind.SERVER, "interrupted while waiting for the embedded"
                    + " server (pid " + handle.pid() + ") to stop", e);
        }
    }

    /** The last line of the log that says something, as a clause of a message. */
    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log).stream().map(String::strip).filter(l -> !l.isEmpty())
                    .toList();
            return lines.isEmpty() ? "" : ": " + ServerText.clean(lines.get(lines.size() - 1), 300);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private FhirmigException otherBuild(RunningServer server) {
        return new FhirmigException(FhirmigException.Kind.SERVER, "the FHIR server serving " + dataDir + " (`fhirmig"
                + " serve`, pid " + server.pid() + ", " + server.baseUrl() + ") runs another build of fhirmig ("
                + ServerText.clean(server.build(), 200) + "): stop it (Ctrl-C in its terminal, or `fhirmig serve --stop`)"
                + " and run this command again");
    }

    private FhirmigException unwritable(IOException e) {
        return new FhirmigException(FhirmigException.Kind.SERVER,
                "cannot write the embedded server's data folder " + dataDir, Remedy.WRITABLE_DATA_FOLDER, e);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FhirmigException(FhirmigException.Kind.SERVER, "interrupted while waiting for the embedded server", e);
        }
    }
}
