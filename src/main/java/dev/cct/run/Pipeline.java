package dev.cct.run;

import dev.cct.core.Environment;
import dev.cct.ui.Ui;

/** Runs a validated request in a sandbox and returns the exit code. */
public interface Pipeline {

    int run(RunRequest request, Ui ui);

    static Pipeline create(Environment environment) {
        return new Run(environment);
    }
}
