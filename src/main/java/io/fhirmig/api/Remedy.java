package io.fhirmig.api;

/**
 * What a user can do about a failure, when the remedy is a setting: the library words it with the
 * setting's name, the command line with its option ({@code cli} has that wording), so that neither
 * door's message speaks of the other's way of setting things.
 */
public enum Remedy {

    /** Wait for another run's lock, or clear a dead run's. */
    WAIT_FOR_LOCK("; wait for it, set lockWait, or if that run is dead clear it with unlock()"),
    /** Point the versions setting at the migrations. */
    VERSIONS_FOLDER(": create it, or set versions to the folder of your migrations"),
    /** Apply what is pending before writing a new migration. */
    UPGRADE_FIRST("; upgrade first"),
    /** Leave the revision id to fhirmig. */
    NEW_REVISION_ID("; choose another, or leave the revision id out for a new random one"),
    /** Trust the server's CA. */
    TRUST_CA(": give the certificate of its CA as the caFile setting"),
    /** Check the server's URL. */
    CHECK_URL("; check the url setting and that the server is running"),
    /** The embedded server's data needs a writable folder. */
    WRITABLE_DATA_FOLDER(": use a writable data folder, or an in-memory embedded server"),
    /** A merge joins heads only. */
    MERGE_HEADS_ONLY("; a merge joins heads (see heads())"),
    /** The embedded server's port is taken. */
    OTHER_PORT(": choose another port");

    private final String forLibrary;

    Remedy(String forLibrary) {
        this.forLibrary = forLibrary;
    }

    /**
     * The remedy as the library's callers read it.
     *
     * @return the words, with their leading punctuation
     */
    public String forLibrary() {
        return forLibrary;
    }
}
