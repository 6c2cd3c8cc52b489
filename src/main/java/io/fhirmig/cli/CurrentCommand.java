package io.fhirmig.cli;

import io.fhirmig.Fhirmig;
import io.fhirmig.api.CurrentState;
import io.fhirmig.api.Head;
import io.fhirmig.api.ServerText;

final class CurrentCommand extends SessionCommand {

    @Override
    CommandModel describe() {
        return CommandModel.of(this, "current", "Show the applied head(s) of this namespace on the server.")
                .flag("--json", JSON, () -> json, v -> json = v);
    }

    @Override
    boolean readsStateFirst() {
        return true;
    }

    @Override
    int run(Fhirmig fhirmig) {
        CurrentState state = fhirmig.current();
        warn(state.warnings());
        if (json) {
            printJson(state);
            return 0;
        }
        boolean byTool = state.recordedByPythonTool();
        if (byTool && state.heads().isEmpty()) {
            // A tool's resource with no revision, or one no script declares: shown as it is.
            String revision = state.pythonTool().revision();
            out().println((revision == null ? "no revision" : revision + "  (declared by no script in "
                    + top.settings().versions() + ")") + "  " + Formats.RECORDED_BY_TOOL);
        } else if (state.heads().isEmpty()) {
            out().println("base (nothing applied)");
        }
        for (Head head : state.heads()) {
            out().println(head.file() == null
                    ? ServerText.clean(head.revision()) + "  (missing: no script declares it)"
                    : head.revision() + (head.graphHead() ? " (head)" : "") + "  " + head.file()
                    + (byTool ? "  " + Formats.RECORDED_BY_TOOL : ""));
        }
        if (!state.pending().isEmpty()) {
            out().println(state.pending().size() + " pending; run `fhirmig "
                    + (byTool ? "adopt`, then `fhirmig " : "") + "upgrade`");
        }
        if (state.lock() != null) {
            out().println(Formats.lockLine(state.lock()));
        }
        return 0;
    }
}
