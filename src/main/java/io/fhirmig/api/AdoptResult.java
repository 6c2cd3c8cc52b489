package io.fhirmig.api;

import java.util.List;

/**
 * What {@code Fhirmig.adopt()} took over from the Python tool fhirmig descends from.
 *
 * @param namespace the namespace that took it over
 * @param pythonTool the tool's resource (left unchanged) and the revision it recorded, now the head
 * @param dryRun whether nothing was written (the records are those that would be written)
 * @param alreadyAdopted whether the namespace had adopted the tool's revision before: nothing to do
 * @param heads the namespace's heads after it
 * @param recorded the migrations recorded as applied, the tool's revision and its ancestors, in the
 *     order the graph applies them; empty when already adopted
 */
public record AdoptResult(String namespace, PythonToolState pythonTool, boolean dryRun, boolean alreadyAdopted,
        List<String> heads, List<MigrationInfo> recorded) {

    /**
     * Makes the lists unmodifiable.
     *
     * @param namespace the namespace
     * @param pythonTool the tool's state
     * @param dryRun whether nothing was written
     * @param alreadyAdopted whether it was adopted before
     * @param heads the heads after it
     * @param recorded the migrations recorded
     */
    public AdoptResult {
        heads = List.copyOf(heads);
        recorded = List.copyOf(recorded);
    }
}
