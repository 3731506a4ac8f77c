package dev.cct.cli;

import dev.cct.core.CctException;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cct completion bash|zsh}: a completion script generated from the command model. */
@Command(name = "completion", description = {"Print a shell completion script.",
        "bash: source <(cct completion bash)    zsh: source <(cct completion zsh)"})
public final class CompletionCommand implements Callable<Integer> {
    private final Context context;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh")
    String shell;

    @Spec
    CommandLine.Model.CommandSpec spec;

    public CompletionCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw CctException.badInput("unsupported shell '" + shell + "'", "use bash or zsh");
        }
        String script = AutoComplete.bash("cct", spec.root().commandLine());
        if (shell.equals("zsh")) {
            // picocli's script runs under zsh through bashcompinit.
            context.out.println("autoload -U +X compinit && compinit");
            context.out.println("autoload -U +X bashcompinit && bashcompinit");
        }
        context.out.print(script);
        context.out.flush();
        return 0;
    }
}
