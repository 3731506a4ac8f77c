package dev.cct.cli;

import dev.cct.catalog.Renderer;
import dev.cct.core.CctException;
import dev.cct.core.Environment;
import dev.cct.core.ExitCode;
import dev.cct.core.OutputFormat;
import dev.cct.core.Secrets;
import dev.cct.run.Continuation;
import dev.cct.run.RunRequest;
import dev.cct.runs.RunRecords;
import dev.cct.sandbox.ProviderKind;
import dev.cct.sandbox.ProviderSettings;
import dev.cct.ui.Ui;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The root command. With --sandbox it validates everything and hands a RunRequest to the run pipeline; without,
 * it installs the components into a local project (and starts the local claude when a prompt is given).
 */
@Command(name = "cct", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        sortOptions = false, usageHelpWidth = 100,
        description = {
            "Run Claude Code in an isolated sandbox (Docker, E2B or Cloudflare) with the components you choose,",
            "stream what it does, bring every file back and destroy the sandbox.",
            "Without --sandbox, install the components into the local project."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  cct --sandbox docker --agent frontend-developer --prompt \"Create a Python FastAPI server\"",
            "  cct --sandbox e2b --agent security/security-auditor --upload . --prompt \"audit this codebase\"",
            "  cct --agent frontend-developer,react-expert --mcp postgresql   # install into this project",
            "  cct --continue last --prompt \"now add tests\"        # the same files and Claude session",
            "  cct batch --sandbox e2b --prompts tasks.txt --parallel 8   # many runs at once",
            "  cct components search security",
            "",
            "Keys come only from the environment or ./.env: ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN,",
            "E2B_API_KEY, CLOUDFLARE_SANDBOX_URL, CLOUDFLARE_SANDBOX_TOKEN.",
            "Exit codes: 0 ok, 1 Claude reported an error, 2 bad input, 3 sandbox failure, 124 timeout,",
            "130 interrupted."},
        subcommands = {BatchCommand.class, ComponentsCommand.class, SandboxesCommand.class, RunsCommand.class, CloudflareCommand.class, CompletionCommand.class,
            VersionCommand.class, TrainCommand.class})
public final class CctCommand implements Callable<Integer> {
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

    final Context context;

    @Option(names = "--sandbox", paramLabel = "PROVIDER", description = "Run in a sandbox: docker, e2b or cloudflare.")
    String sandbox;

    @CommandLine.Mixin
    ComponentOptions components = new ComponentOptions();

    @Option(names = "--prompt", paramLabel = "TEXT", description = "What Claude should do.")
    String prompt;

    @Option(names = "--prompt-file", paramLabel = "FILE", description = "Read the prompt from FILE ('-' = standard input).")
    String promptFile;

    @Option(names = "--continue", paramLabel = "RUN", description = "Continue an earlier sandbox run (its id, a unique prefix, or 'last'): its files and Claude's session, on any --sandbox.")
    String continueRun;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Deadline of the whole run: seconds, or 90s, 15m, 1h (default: 30m).")
    String timeout;

    @Option(names = "--output", paramLabel = "DIR", description = "Where results go (default: ./sandbox-<id>).")
    String output;

    @Option(names = "--upload", paramLabel = "PATH", description = "Copy a local file or folder into the workspace first (repeatable; a git checkout skips what .gitignore ignores).")
    List<String> uploads = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Do not bring back files matching GLOB (repeatable).")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--include-all", description = "Bring back dependency caches and cct's own component files too.")
    boolean includeAll;

    @CommandLine.Mixin
    ChangeOptions changeOptions = new ChangeOptions();

    @Option(names = "--env", paramLabel = "KEY=VALUE", description = "Variable for the sandbox (repeatable); KEY alone passes its current value.")
    List<String> env = new ArrayList<>();

    @Option(names = "--env-file", paramLabel = "FILE", description = "Variables for the sandbox from a dotenv file.")
    String envFile;

    @Option(names = "--model", paramLabel = "MODEL", description = "Model for Claude Code (e.g. sonnet, opus).")
    String model;

    @Option(names = "--max-turns", paramLabel = "N", description = "Stop Claude after N turns.")
    Integer maxTurns;

    @Option(names = "--max-budget-usd", paramLabel = "USD", description = "Stop Claude once the run has cost this many dollars (exit 1).")
    String maxBudgetUsd;

    @Option(names = "--merge", description = "Write the results into a non-empty --output folder, beside what is there.")
    boolean merge;

    @Option(names = "--output-format", paramLabel = "FORMAT", description = "text (default), stream-json (Claude's raw events on stdout) or json (one final object).")
    String outputFormat = "text";

    @Option(names = "--directory", paramLabel = "DIR", description = "Project to install into without --sandbox (default: current folder).")
    String directory;

    @CommandLine.Mixin
    ProviderOptions providerOptions = new ProviderOptions();

    @Option(names = {"-y", "--yes"}, description = "Never ask; replace changed files when installing.")
    boolean yes;

    @Option(names = "--dry-run", description = "Print the plan (components, files, provider, limits) and create nothing.")
    boolean dryRun;

    @CommandLine.Mixin
    DisplayOptions display = new DisplayOptions();

    public CctCommand(Context context) {
        this.context = context;
    }

    /**
     * Runs the command line and maps every outcome to an exit code, in this one place. Everything printed goes
     * through the context's streams, which mask every secret: messages need no masking of their own.
     */
    public static int execute(PrintWriter out, PrintWriter err, Environment environment, boolean terminal, String... args) {
        Context context = new Context(out, err, environment, terminal);
        Factory factory = new Factory(context);
        Class<?> standalone = args.length == 0 ? null : STANDALONE.get(args[0]);
        CommandLine cli;
        if (standalone != null) {
            cli = new CommandLine(CommandLine.Model.CommandSpec.create().name("cct"), factory);
            cli.addSubcommand(args[0], new CommandLine(factory.build(standalone), factory));
        } else {
            cli = new CommandLine(new CctCommand(context), factory);
        }
        withHelpEverywhere(cli);
        cli.setOut(context.out).setErr(context.err);
        // "--sandbox cloudflare" must stay an option value, although "cloudflare" is also a subcommand's name.
        cli.setAllowSubcommandsAsOptionParameters(true);
        cli.setParameterExceptionHandler((ex, arguments) -> {
            String message = ex.getMessage() == null ? "invalid arguments" : ex.getMessage().lines().findFirst().orElse("");
            context.err.println("cct: " + message + "; see 'cct --help'");
            context.err.flush();
            return ExitCode.BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof CctException cct) {
                context.err.println("cct: " + cct.getMessage());
                if (context.verbose && cct.getCause() != null) {
                    cct.getCause().printStackTrace(context.err);
                }
                context.err.flush();
                return cct.exitCode();
            }
            context.err.println("cct: unexpected error: " + ex + " (run with --verbose for details)");
            if (context.verbose) {
                ex.printStackTrace(context.err);
            }
            context.err.flush();
            return ExitCode.PROVIDER_FAILURE;
        });
        int code = cli.execute(args);
        context.out.flush();
        context.err.flush();
        return code;
    }

    @Override
    public Integer call() {
        Ui ui = context.ui(display);
        OutputFormat format = OutputFormat.parse(outputFormat).orElseThrow(() -> CctException.badInput(
                "invalid --output-format '" + outputFormat + "'", "use text, stream-json or json"));
        Checked checked = check();
        if (checked.provider() != null) {
            RunRequest request = sandboxRequest(ui, format, checked);
            if (dryRun) {
                Plan.print(ui, request);
                return ExitCode.OK;
            }
            return context.pipeline().run(request, ui);
        }
        return LocalInstall.run(this, ui, format, checked.prompt(), components.resolve(context.catalog(), ui), checked.variables());
    }

    /**
     * One run of a batch, from its own flags: every check of a single run, and the request it would run. Its output
     * goes to its log, as text.
     */
    RunRequest batchRun(Ui ui) {
        if (sandbox == null) {
            throw CctException.badInput("cct batch needs --sandbox", "add --sandbox docker, e2b or cloudflare");
        }
        return sandboxRequest(ui, OutputFormat.TEXT, check());
    }

    /** A parser of one run's flags into {@code command}, as the command line's own parser reads them. */
    static CommandLine runParser(CctCommand command) {
        CommandLine parser = new CommandLine(command, new Factory(command.context));
        parser.setAllowSubcommandsAsOptionParameters(true);
        return parser;
    }

    /** What both a run and an install take from the flags, checked. */
    private record Checked(ProviderKind provider, RunRecords.Entry continued, Secrets secrets, Inputs.Prompt prompt,
                           Duration deadline, Map<String, String> variables) {
    }

    private Checked check() {
        RunRecords.Entry continued = continueRun == null ? null : continued();
        String providerName = sandbox != null ? sandbox : continued == null ? null : continued.record().provider();
        ProviderKind provider = providerName == null ? null : ProviderKind.parse(providerName).orElseThrow(() ->
                CctException.badInput("unknown --sandbox '" + providerName + "'", "use one of: " + ProviderKind.choices()));
        if (continued != null && !components.any()) {
            components.use(continued.record().components());
        }
        if (provider == null && !components.any() && prompt == null && promptFile == null) {
            throw CctException.badInput("nothing to do", "give --sandbox with --prompt to run, or components to install; see 'cct --help'");
        }
        Secrets secrets = context.loadSecrets();
        Inputs.Prompt thePrompt = Inputs.prompt(prompt, promptFile, context.environment);
        Duration deadline = timeout == null ? DEFAULT_TIMEOUT : Inputs.timeout(timeout);
        Map<String, String> variables = Inputs.environment(env,
                envFile == null ? null : context.environment.resolve(envFile), context.environment, secrets);
        if (maxTurns != null && maxTurns < 1) {
            throw CctException.badInput("--max-turns must be at least 1", "give a positive number");
        }
        return new Checked(provider, continued, secrets, thePrompt, deadline, variables);
    }

    /** Every check of a sandbox run, before anything exists; the request holds only validated values. */
    private RunRequest sandboxRequest(Ui ui, OutputFormat format, Checked checked) {
        ProviderKind provider = checked.provider();
        Secrets secrets = checked.secrets();
        Inputs.Prompt thePrompt = checked.prompt();
        RunRecords.Entry continued = checked.continued();
        if (thePrompt == null) {
            throw CctException.badInput("--sandbox needs a prompt", "add --prompt TEXT or --prompt-file FILE");
        }
        if (directory != null) {
            throw CctException.badInput("--directory is for installing without --sandbox", "use --upload to copy a project into the sandbox");
        }
        ProviderSettings settings = providerOptions.settings(provider, secrets);
        Path outputDirectory = output == null ? null : Inputs.writableDirectory("--output", output, context.environment);
        if (outputDirectory != null && !merge && !yes && Inputs.hasEntries(outputDirectory)) {
            // Like git clone: results mixed into old files cannot be told apart afterwards.
            throw CctException.badInput("--output " + output + " is not empty",
                    "choose a new or empty folder, or add --merge to write the results among what is there");
        }
        List<Path> uploadPaths = Inputs.readablePaths("--upload", uploads, context.environment);
        Renderer.Rendered rendered = Renderer.render(components.resolve(context.catalog(), ui));
        return new RunRequest(settings, rendered, thePrompt.text(), thePrompt.source(), checked.deadline(), outputDirectory,
                checked.variables(),
                secrets, model, maxTurns, format, uploadPaths, List.copyOf(excludes), includeAll,
                changeOptions.landing(uploadPaths, context.environment, yes, continued == null ? null : continued.record()),
                continued == null ? null : new Continuation(continued.record().id(), continued.workspace(), continued.session(),
                        continued.record().sessionId()),
                maxBudgetUsd == null ? null : Inputs.dollars("--max-budget-usd", maxBudgetUsd));
    }

    /** The earlier run --continue names, checked to hold what a continuation needs. */
    private RunRecords.Entry continued() {
        RunRecords.Entry entry;
        try {
            entry = RunsCommand.records(context).find(continueRun);
        } catch (RunRecords.Unknown e) {
            throw CctException.badInput("--continue: " + e.getMessage(), "see 'cct runs list'");
        }
        String id = entry.record().id();
        if (entry.record().sessionId() == null || !Files.isRegularFile(entry.session())) {
            throw CctException.badInput("--continue: run " + id + " has no Claude session to resume (Claude never started one)",
                    "start a new run, with --upload of its results");
        }
        if (!Files.isRegularFile(entry.workspace())) {
            throw CctException.badInput("--continue: run " + id + " has lost its workspace (" + entry.workspace() + ")",
                    "start a new run, with --upload of its results");
        }
        return entry;
    }

    /**
     * Subcommands named first are parsed under a bare root: building the whole tree, the run's fifty options with
     * it, would cost a {@code cct components search} most of its time. Completion describes the whole tree,
     * so it is not among them.
     */
    private static final Map<String, Class<?>> STANDALONE = Map.of("batch", BatchCommand.class, "components", ComponentsCommand.class,
            "runs", RunsCommand.class, "sandboxes", SandboxesCommand.class, "cloudflare", CloudflareCommand.class,
            "version", VersionCommand.class);

    /** {@code -h/--help} on every subcommand, as on the root: "cct components search --help" must not be an error. */
    private static void withHelpEverywhere(CommandLine cli) {
        CommandLine.Model.CommandSpec spec = cli.getCommandSpec();
        if (spec.findOption("--help") == null) {
            spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help message and exit.").build());
        }
        cli.getSubcommands().values().forEach(CctCommand::withHelpEverywhere);
    }

    /** Builds subcommands with the shared context. */
    private record Factory(Context context) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                return type.getDeclaredConstructor(Context.class).newInstance(context);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }

        Object build(Class<?> type) {
            try {
                return create(type);
            } catch (Exception e) {
                throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
            }
        }
    }
}
