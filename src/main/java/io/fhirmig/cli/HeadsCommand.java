package io.fhirmig.cli;

import io.fhirmig.Fhirmig;
import io.fhirmig.api.Head;
import java.util.List;
import java.util.Map;

final class HeadsCommand extends SessionCommand {

    @Override
    CommandModel describe() {
        return CommandModel.of(this, "heads",
                        "List the heads of the revision graph (several heads: a branch; join them with"
                                + " `fhirmig merge`).")
                .flag("--json", JSON, () -> json, v -> json = v);
    }

    @Override
    boolean readsStateFirst() {
        return true;
    }

    @Override
    int run(Fhirmig fhirmig) {
        List<Head> heads = fhirmig.heads();
        if (json) {
            printJson(Map.of("heads", heads));
            return 0;
        }
        for (Head head : heads) {
            out().println(head.revision() + "  " + head.file() + (head.applied() ? "  (applied)" : "  (pending)"));
        }
        if (heads.size() > 1) {
            out().println(heads.size() + " heads: join them with `fhirmig merge`");
        }
        return 0;
    }
}
