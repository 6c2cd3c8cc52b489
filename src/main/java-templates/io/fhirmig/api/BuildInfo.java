package io.fhirmig.api;

/**
 * What Maven knew when it built this fhirmig, written into this class at build time (from
 * {@code src/main/java-templates}): a constant rather than a properties file, because finding a
 * resource on a class path of 170-odd jars costs a short command more than everything else it
 * reads about itself. Nothing that changes with every build goes here: the module would be compiled
 * anew by every Maven run.
 */
public final class BuildInfo {

    /** fhirmig's version, e.g. {@code 0.1.0}. */
    public static final String VERSION = "${project.version}";

    private BuildInfo() {}
}
