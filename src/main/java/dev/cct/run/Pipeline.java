package dev.cct.run;

import dev.cct.core.Environment;
import dev.cct.ui.Ui;

/** Runs a validated request in a sandbox and returns the exit code. */
public interface Pipeline {

    /** One run of a batch, or a single run when {@code watch} is {@link RunWatch#alone()}. */
    int run(RunRequest request, Ui ui, RunWatch watch);

    default int run(RunRequest request, Ui ui) {
        return run(request, ui, RunWatch.alone());
    }

    static Pipeline create(Environment environment) {
        return new Run(environment);
    }
}
