package io.fhirmig.run;

import io.fhirmig.api.FhirmigException;
import io.fhirmig.state.LegacyToolState;
import io.fhirmig.state.StateSnapshot;
import java.util.Optional;

/**
 * The Python tool's state as the commands see it. A namespace with no fhirmig state on a server
 * where the tool recorded a revision is "recorded by the Python tool": runs and stamps refuse (it
 * would run every migration again, duplicating data) until {@code fhirmig adopt} takes it over;
 * {@code current} and {@code history} show the tool's revision. A namespace with a fhirmig state
 * never looks: runs on it pay nothing.
 */
public final class Adoption {

    private final LegacyToolState tool;
    private final String namespace;

    public Adoption(LegacyToolState tool, String namespace) {
        this.tool = tool;
        this.namespace = namespace;
    }

    /** The tool's state, for {@code fhirmig adopt}. */
    LegacyToolState tool() {
        return tool;
    }

    /**
     * What the tool recorded, when the namespace has no fhirmig state of its own (one identifier
     * search, then); empty when it has one or the tool's resource is not there.
     */
    public Optional<LegacyToolState.Recorded> recordedIfNoState(StateSnapshot state) {
        return state.exists() ? Optional.empty() : tool.read();
    }

    /**
     * Refuses a command that would write fhirmig's state over the tool's, changing nothing.
     *
     * @param state the namespace's state as just read
     * @param command what was asked, e.g. {@code upgrade}
     * @throws FhirmigException SERVER when the tool recorded a revision and fhirmig has no state yet
     */
    public void refuseIfRecordedByTool(StateSnapshot state, String command) {
        Optional<LegacyToolState.Recorded> recorded = recordedIfNoState(state);
        if (recorded.isPresent()) {
            throw refusal(recorded.get(), command);
        }
    }

    private FhirmigException refusal(LegacyToolState.Recorded recorded, String command) {
        String what = recorded.revision() == null
                ? "the Python tool's state (Basic/" + recorded.resourceId() + ", identifier " + recorded.identifier()
                        + ") records no revision (it has no code.coding[0].code)"
                : "the Python tool recorded revision " + recorded.revision() + " on this server (Basic/"
                        + recorded.resourceId() + ", identifier " + recorded.identifier() + ")";
        return new FhirmigException(FhirmigException.Kind.SERVER, command + " refused, nothing was changed: namespace '"
                + namespace + "' has no fhirmig state, but " + what + ", so the migrations up to it are applied"
                + " already and running them again would duplicate data. Run `fhirmig adopt` to record "
                + (recorded.revision() == null ? "the tool's revision" : recorded.revision() + " and its ancestors")
                + " as applied (the tool's resource stays as it is), then " + command + " again");
    }
}
