package io.fhirmig.script;

import java.util.List;

/**
 * What a script's top-level declarations say about it.
 *
 * @param revision the script's revision id
 * @param downRevisions the parents' revision ids, empty for a first migration
 * @param description what it does, or {@code null}
 * @param transactional whether its writes should join its step's transaction
 */
record ScriptHeader(String revision, List<String> downRevisions, String description, boolean transactional) {}
