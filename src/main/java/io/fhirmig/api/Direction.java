package io.fhirmig.api;

/** Which way a plan or a step moves: applying revisions or reverting them. */
public enum Direction {
    /** Applies revisions, parents before children ({@code upgrade()} of each script). */
    UPGRADE,
    /** Reverts revisions, children before parents ({@code downgrade()} of each script). */
    DOWNGRADE
}
