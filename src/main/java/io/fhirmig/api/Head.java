package io.fhirmig.api;

/**
 * A head: of the revision graph (a migration no other migration follows; several are a branch,
 * joined with a merge migration), or of what is applied on the server.
 *
 * @param revision the revision id
 * @param file the script's file name, or null when no script declares the revision
 * @param description the script's description, or null
 * @param applied whether it is applied on the server
 * @param graphHead whether no migration follows it in the revision graph
 */
public record Head(String revision, String file, String description, boolean applied, boolean graphHead) {
}
