package io.fhirmig.api;

/**
 * A head of the revision graph: a migration no other migration follows. Several heads are a branch,
 * joined with a merge migration.
 *
 * @param revision the revision id
 * @param file the script's file name
 * @param applied whether it is applied on the server
 */
public record Head(String revision, String file, boolean applied) {
}
