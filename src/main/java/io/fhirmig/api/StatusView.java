package io.fhirmig.api;

import java.util.List;

/**
 * Every migration of a namespace with its state, as Flyway's {@code info} shows them: the applied ones
 * in the order they were applied (those missing their file among them), then the pending ones in the
 * order an upgrade would apply them.
 *
 * @param namespace the namespace
 * @param migrations the migrations, from base to head
 * @param heads the applied heads stored on the server (empty: base), those no script declares
 *     included; while the Python tool's state is shown, the revision it recorded
 * @param pythonTool what the Python tool recorded, when the namespace has no fhirmig state but the
 *     tool's: its revision and ancestors are shown as applied, without records, until
 *     {@code Fhirmig.adopt()}; otherwise null
 * @param warnings what is wrong with the state on the server (a head no script declares, records
 *     that contradict the heads): the view shows what could be read; runs refuse such a state
 */
public record StatusView(String namespace, List<MigrationStatus> migrations, List<String> heads,
        PythonToolState pythonTool, List<String> warnings) {

    /**
     * Makes the lists unmodifiable.
     *
     * @param namespace the namespace
     * @param migrations the migrations
     * @param heads the applied heads
     * @param pythonTool the Python tool's state, or null
     * @param warnings what is wrong with the state
     */
    public StatusView {
        migrations = List.copyOf(migrations);
        heads = List.copyOf(heads);
        warnings = List.copyOf(warnings);
    }

    /**
     * How many migrations are in a state.
     *
     * @param state the state
     * @return the number of migrations in it
     */
    public long count(MigrationStatus.State state) {
        return migrations.stream().filter(m -> m.state() == state).count();
    }
}
