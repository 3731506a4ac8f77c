package dev.cct.run;

import dev.cct.ui.Ui;
import java.util.List;

/** The one orchestrator every provider shares. */
final class Run implements Pipeline {
    private final Environment environment;

    Run(Environment environment) {
        this.environment = environment;
    }

    @Override
    public int run(RunRequest request, Ui ui, List<String> excludes, boolean includeAll) {
        throw CctException.provider("--sandbox " + request.provider().flag() + " is not available in this build of cct"
                + " (environment " + environment.workingDirectory() + ")", null);
    }
}
