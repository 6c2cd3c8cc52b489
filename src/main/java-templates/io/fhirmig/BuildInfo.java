package io.fhirmig;

/**
 * What Maven knew when it built this fhirmig, written into this class at build time (from
 * {@code src/main/java-templates}): constants rather than a properties file, because finding a
 * resource on a class path of 170-odd jars costs a short command more than everything else it
 * reads about itself.
 */
public final class BuildInfo {

    /** fhirmig's version, e.g. {@code 0.1.0}. */
    public static final String VERSION = "${project.version}";

    /**
     * When this build was made (UTC): ties the script cache to it, so that a rebuilt fhirmig does
     * not trust the classes an older one compiled.
     */
    public static final String BUILD_TIME = "${fhirmig.build.time}";

    private BuildInfo() {}
}
