package io.fhirmig.api;

import java.util.List;

/**
 * One revision: its script, its place in the graph, and whether it is applied.
 *
 * @param revision the revision id
 * @param file the script's file name
 * @param description the script's description, or null
 * @param downRevisions its parents; empty for a root
 * @param children the revisions that follow it
 * @param transactional whether its steps run in one transaction Bundle
 * @param checksum the script's checksum now ({@code sha256:...})
 * @param applied whether it is applied on the server
 * @param record its record on the server (who applied it, when, how long), or null when it is not
 *     applied or was applied without a record
 */
public record RevisionInfo(String revision, String file, String description, List<String> downRevisions,
        List<String> children, boolean transactional, String checksum, boolean applied, MigrationInfo record) {

    /**
     * Makes the lists unmodifiable.
     *
     * @param revision the revision id
     * @param file the script's file name
     * @param description its description
     * @param downRevisions its parents
     * @param children the revisions that follow it
     * @param transactional whether it is transactional
     * @param checksum its checksum
     * @param applied whether it is applied
     * @param record its record, or null
     */
    public RevisionInfo {
        downRevisions = List.copyOf(downRevisions);
        children = List.copyOf(children);
    }
}
