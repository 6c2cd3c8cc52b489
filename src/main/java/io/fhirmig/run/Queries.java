package io.fhirmig.run;

import io.fhirmig.api.CurrentState;
import io.fhirmig.api.Direction;
import io.fhirmig.api.FhirmigException;
import io.fhirmig.api.Head;
import io.fhirmig.api.History;
import io.fhirmig.api.MigrationInfo;
import io.fhirmig.api.MigrationPlan;
import io.fhirmig.api.MigrationStatus;
import io.fhirmig.api.RevisionInfo;
import io.fhirmig.api.StatusView;
import io.fhirmig.graph.Revision;
import io.fhirmig.graph.Step;
import io.fhirmig.graph.Target;
import io.fhirmig.script.MigrationScript;
import io.fhirmig.state.AppliedRecord;
import io.fhirmig.state.InconsistentStateException;
import io.fhirmig.state.LegacyToolState;
import io.fhirmig.state.StateSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The questions asked of a workspace without changing anything: what is applied, the history, the
 * heads, one revision, and what a run would do. A state that contradicts itself is shown as far as it
 * can be read, with a warning: runs refuse it anyway.
 */
public final class Queries {

    private final Workspace workspace;

    public Queries(Workspace workspace) {
        this.workspace = workspace;
    }

    /** What is applied in the namespace, what is pending, and the lock. */
    public CurrentState current() {
        List<String> warnings = new ArrayList<>();
        StateSnapshot state = readState(warnings);
        if (hasUndeclaredHead(state)) {
            return current(view(state, warnings), state);
        }
        Status status = Status.read(workspace::migrations, () -> state, workspace.adoption());
        MigrationSet migrations = workspace.migrations();
        // The records too, though the heads alone answer: a head that the records contradict is the one
        // thing worth a warning here (with the cache, reading them is a small request).
        appliedRecords(status, warnings);
        List<Head> heads = new ArrayList<>();
        for (String head : status.heads()) {
            MigrationScript script = migrations.script(head);
            heads.add(new Head(head, script.fileName(), script.description(), true, status.graphHeads().contains(head)));
        }
        return new CurrentState(workspace.namespace(), heads,
                status.pending().stream().map(MigrationScript::revision).toList(), Results.lock(status.lock()),
                Results.tool(status.recordedByTool()), warnings);
    }

    /**
     * The applied migrations, oldest first, then the pending ones. A head that no script declares (its
     * file deleted after it was applied) is listed with its record, and a warning, as {@link #status()}
     * shows it.
     */
    public History history() {
        List<String> warnings = new ArrayList<>();
        StateSnapshot state = readState(warnings);
        if (hasUndeclaredHead(state)) {
            return history(view(state, warnings));
        }
        Status status = Status.read(workspace::migrations, () -> state, workspace.adoption());
        MigrationSet migrations = workspace.migrations();
        List<MigrationInfo> applied = new ArrayList<>();
        for (AppliedRecord record : status.history(appliedRecords(status, warnings))) {
            applied.add(Results.applied(record, migrations));
        }
        return new History(applied, status.pending().stream().map(Results::pending).toList(),
                Results.tool(status.recordedByTool()), warnings);
    }

    /** Whether a stored head is declared by no script (its file deleted after it was applied). */
    private boolean hasUndeclaredHead(StateSnapshot state) {
        return !state.heads().isEmpty() && !StatusRows.unknownHeads(workspace.migrations(), state.heads()).isEmpty();
    }

    /**
     * The status view as the current state, for a head that no script declares: that head without a
     * file (its record's file is in the warning), the others as usual, and the pending migrations.
     */
    private static CurrentState current(StatusView view, StateSnapshot state) {
        List<Head> heads = new ArrayList<>();
        for (String head : view.heads()) {
            MigrationStatus row = view.migrations().stream().filter(r -> r.revision().equals(head)).findFirst().orElse(null);
            boolean missing = row == null || row.state() == MigrationStatus.State.MISSING;
            heads.add(new Head(head, missing ? null : row.file(), missing ? null : row.description(), true, false));
        }
        List<String> pending = view.migrations().stream().filter(r -> !r.applied()).map(MigrationStatus::revision).toList();
        return new CurrentState(view.namespace(), heads, pending, Results.lock(state.lock()), view.pythonTool(),
                view.warnings());
    }

    /** The status view as a history: its applied rows, the missing ones among them, then the pending ones. */
    private static History history(StatusView view) {
        List<MigrationInfo> applied = new ArrayList<>();
        List<MigrationInfo> pending = new ArrayList<>();
        for (MigrationStatus row : view.migrations()) {
            (row.applied() ? applied : pending).add(new MigrationInfo(row.revision(), row.file(), row.description(),
                    row.applied(), row.appliedAt(), row.appliedBy(), row.duration(), row.checksum(), row.adoptedFrom()));
        }
        return new History(applied, pending, view.pythonTool(), view.warnings());
    }

    /**
     * Every migration with its state (applied, pending, edited since applied, missing its file), the
     * applied ones in the order they were applied, then the pending ones. Unlike the other questions, a
     * head that no script declares is shown (as missing, with a warning), not refused: this is the view
     * that says what is wrong.
     */
    public StatusView status() {
        List<String> warnings = new ArrayList<>();
        return view(readState(warnings), warnings);
    }

    /** The state, or as much of it as could be read when it contradicts itself (with a warning). */
    private StateSnapshot readState(List<String> warnings) {
        try {
            return workspace.state();
        } catch (InconsistentStateException e) {
            warnings.add(e.getMessage());
            return e.state();
        } catch (FhirmigException e) {
            // Invalid migrations are the first thing to fix, whether or not the server answers (as Status).
            workspace.migrations();
            throw e;
        }
    }

    private StatusView view(StateSnapshot state, List<String> warnings) {
        LegacyToolState.Recorded tool = workspace.adoption().recordedIfNoState(state).orElse(null);
        MigrationSet migrations = workspace.migrations();
        List<String> heads = state.heads();
        List<AppliedRecord> records = List.of();
        if (tool != null) {
            heads = tool.revision() == null ? List.of() : List.of(tool.revision());
        } else {
            records = workspace.store().appliedRecords();
            String problem = StatusRows.unknownHeads(migrations, heads).isEmpty()
                    ? new Validation(migrations).contradiction(records, heads) : unknownHeads(migrations, heads);
            if (problem != null) {
                warnings.add(problem);
            }
        }
        return new StatusView(workspace.namespace(), StatusRows.of(migrations, heads, records), heads, Results.tool(tool),
                warnings);
    }

    /** What the graph says of stored heads no script declares, and how to repair that. */
    private static String unknownHeads(MigrationSet migrations, List<String> heads) {
        try {
            migrations.graph().appliedSet(heads);
            return null;
        } catch (FhirmigException e) {
            return e.getMessage();
        }
    }

    /** The heads of the revision graph, each applied or pending. */
    public List<Head> heads() {
        // Only the stored heads are needed, read while the migrations load.
        List<String> stored = workspace.state().heads();
        MigrationSet migrations = workspace.migrations();
        Set<String> applied = migrations.graph().appliedSet(stored);
        List<Head> heads = new ArrayList<>();
        for (Revision head : migrations.graph().heads()) {
            MigrationScript script = migrations.script(head.id());
            heads.add(new Head(head.id(), script.fileName(), script.description(), applied.contains(head.id()), true));
        }
        return heads;
    }

    /** One revision (an id or unique prefix): its script, its place in the graph, whether it is applied. */
    public RevisionInfo show(String revision) {
        MigrationSet migrations = workspace.migrations();
        Revision found = migrations.graph().resolve(revision);
        MigrationScript script = migrations.script(found.id());
        boolean applied = migrations.graph().appliedSet(workspace.state().heads()).contains(found.id());
        MigrationInfo record = null;
        if (applied) {
            record = workspace.store().appliedRecords().stream().filter(r -> r.revision().equals(found.id()))
                    .findFirst().map(r -> Results.applied(r, migrations)).orElse(null);
        }
        return new RevisionInfo(found.id(), script.fileName(), script.description(), found.downRevisions(),
                migrations.graph().children(found.id()).stream().map(Revision::id).toList(), script.transactional(),
                script.checksum(), applied, record);
    }

    /** What a run to the target would do, worked out under no lock and changing nothing. */
    public MigrationPlan plan(Direction direction, Target target, RunOptions options) {
        Migrator migrator = workspace.migrator(options);
        RunResult result = direction == Direction.UPGRADE ? migrator.upgrade(target, true) : migrator.downgrade(target, true);
        MigrationSet migrations = workspace.migrations();
        List<MigrationPlan.Step> steps = new ArrayList<>();
        for (Step step : result.plan().steps()) {
            MigrationScript script = migrations.script(step.revision().id());
            steps.add(new MigrationPlan.Step(step.direction(), script.revision(), script.fileName(), script.description(),
                    script.transactional(), step.headsAfter()));
        }
        return new MigrationPlan(direction, result.headsBefore(), result.headsAfter(), steps);
    }

    private List<AppliedRecord> appliedRecords(Status status, List<String> warnings) {
        if (status.recordedByTool() != null) {
            return List.of();
        }
        List<AppliedRecord> records = workspace.store().appliedRecords();
        String contradiction = new Validation(workspace.migrations()).contradiction(records, status.storedHeads());
        if (contradiction != null) {
            warnings.add(contradiction);
        }
        return records;
    }
}
