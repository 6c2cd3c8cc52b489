package io.fhirmig.api;

import java.util.List;

/**
 * The migrations of a namespace: those applied, oldest first, then those pending, in the order an
 * upgrade would apply them.
 *
 * @param applied the applied migrations, with their records
 * @param pending the migrations not applied yet
 * @param pythonTool what the Python tool recorded, when the namespace has no fhirmig state but the
 *     tool's: its revision and ancestors are shown as applied, without records, until
 *     {@code Fhirmig.adopt()}; otherwise null
 * @param warnings contradictions found in the state on the server (the history shows what could be
 *     read; runs refuse such a state)
 */
public record History(List<MigrationInfo> applied, List<MigrationInfo> pending, PythonToolState pythonTool,
        List<String> warnings) {

    /**
     * Makes the lists unmodifiable.
     *
     * @param applied the applied migrations
     * @param pending the pending ones
     * @param pythonTool the Python tool's state, or null
     * @param warnings contradictions found
     */
    public History {
        applied = List.copyOf(applied);
        pending = List.copyOf(pending);
        warnings = List.copyOf(warnings);
    }
}
