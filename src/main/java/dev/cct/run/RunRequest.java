package dev.cct.run;

import dev.cct.catalog.Renderer;
import dev.cct.core.OutputFormat;
import dev.cct.core.Secrets;
import dev.cct.sandbox.ProviderKind;
import dev.cct.sandbox.ProviderSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything a sandbox run needs, validated before any sandbox exists.
 *
 * @param components   the rendered components (files to place in the workspace)
 * @param prompt       the prompt text; travels on Claude's stdin, never in a command line
 * @param promptSource where the prompt came from ("--prompt", a file, or stdin), for the plan
 * @param timeout      the deadline of the whole run
 * @param outputDirectory where results go; null means ./sandbox-&lt;short id&gt; decided when the sandbox exists
 * @param environment  variables for Claude's process from --env and --env-file (secrets added by the pipeline)
 * @param secrets      keys and endpoints from the environment or .env
 * @param model        --model, or null
 * @param maxTurns     --max-turns, or null
 * @param uploads      local files or folders copied into the workspace first
 * @param excludes     --exclude globs: results not to bring back
 * @param includeAll   bring back dependency caches and cct's own component files too
 * @param settings     where Claude runs, with that provider's validated settings
 * @param landing      where Claude's change goes besides the results folder
 * @param continuation the earlier run this one continues, or null for a new one
 * @param maxBudgetUsd --max-budget-usd, or null: Claude Code stops itself there, and cct stops it past it
 */
public record RunRequest(ProviderSettings settings, Renderer.Rendered components, String prompt, String promptSource,
                         Duration timeout, Path outputDirectory, Map<String, String> environment, Secrets secrets,
                         String model, Integer maxTurns, OutputFormat outputFormat, List<Path> uploads,
                         List<String> excludes, boolean includeAll, Landing landing, Continuation continuation,
                         Double maxBudgetUsd) {

    /** The provider the settings are for. */
    public ProviderKind provider() {
        return settings.kind();
    }
}
