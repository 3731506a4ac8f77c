package dev.cct.cli;

import dev.cct.batch.Batch;
import dev.cct.batch.PromptsFile;
import dev.cct.core.CctException;
import dev.cct.core.ExitCode;
import dev.cct.core.Format;
import dev.cct.core.OutputFormat;
import dev.cct.run.RunRequest;
import dev.cct.ui.Ui;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cct batch}: many runs at once. Each run is parsed from the batch's own run flags plus its line's, exactly as
 * a single {@code cct} run would be, so that every flag means the same in both and every check runs before any
 * sandbox exists: a bad line stops the batch with its line number, and nothing starts.
 */
@Command(name = "batch", sortOptions = false, usageHelpWidth = 100,
        description = {"Run many prompts at once, each in its own sandbox, with a live table, one exit code and a budget.",
            "Every option of a single run (see 'cct --help') applies to every run: --sandbox, --agent, --upload, --timeout..."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  cct batch --sandbox e2b --prompts tasks.txt --parallel 8 --upload .",
            "  cct batch --sandbox docker --runs 4 --prompt \"fix the flaky test\" --batch-budget-usd 5",
            "",
            "A prompts file has one run per line: a plain prompt, or a JSON object with \"prompt\" and any of",
            "output, agent, command, mcp, upload, timeout, env, model.",
            "Results: <output>/<index>-<slug>/ per run (default output: ./results), each run's log beside it.",
            "Exit code: 0 when every run succeeded, else the most serious of 130, 3, 124, 1; 2 for bad input."})
final class BatchCommand implements Callable<Integer> {
    private static final int DEFAULT_PARALLEL = 4;
    /** Flags that name one run's own things: a batch cannot give them to all of its runs. */
    private static final Set<String> ONE_RUN_ONLY = Set.of("--continue", "--apply", "--patch", "--directory", "--prompt-file");

    private final Context context;

    @Option(names = "--prompts", paramLabel = "FILE", description = "One run per line: a prompt, or a JSON object ('-' = standard input).")
    String prompts;

    @Option(names = "--runs", paramLabel = "N", description = "Run the --prompt N times (best of N).")
    Integer runs;

    @Option(names = "--parallel", paramLabel = "K", description = "At most K runs at once (default: 4, or fewer runs).")
    Integer parallel;

    @Option(names = "--batch-budget-usd", paramLabel = "USD", description = "Start no run, and stop the running ones, once the batch has cost this much.")
    String batchBudget;

    @Option(names = "--output", paramLabel = "DIR", description = "Where the runs' folders go (default: ./results).")
    String output;

    @Option(names = "--output-format", paramLabel = "FORMAT", description = "text (default: a live table, then a summary) or json (one line per run as it ends, then one for the batch).")
    String outputFormat = "text";

    @Option(names = "--dry-run", description = "Check every run and print the plan; create nothing.")
    boolean dryRun;

    @CommandLine.Mixin
    DisplayOptions display = new DisplayOptions();

    @CommandLine.Unmatched
    List<String> runFlags = new ArrayList<>();

    BatchCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws InterruptedException {
        Ui ui = context.ui(display);
        OutputFormat format = OutputFormat.parse(outputFormat).filter(f -> f != OutputFormat.STREAM_JSON).orElseThrow(() ->
                CctException.badInput("invalid --output-format '" + outputFormat + "' for a batch", "use text or json"));
        for (String flag : runFlags) {
            String name = flag.contains("=") ? flag.substring(0, flag.indexOf('=')) : flag;
            if (ONE_RUN_ONLY.contains(name)) {
                throw CctException.badInput(name + " is for a single run, not a batch",
                        "run it with 'cct' alone; a batch's runs land with --branch or their default patch");
            }
        }
        List<PromptsFile.Entry> entries = entries();
        Path parent = Inputs.writableDirectory("--output", output == null ? "results" : output, context.environment);
        int width = Math.max(2, Integer.toString(entries.size()).length());
        List<Batch.Job> jobs = new ArrayList<>();
        Set<Path> places = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            PromptsFile.Entry entry = entries.get(i);
            int index = i + 1;
            String label = String.format("%0" + width + "d-%s", index, PromptsFile.slug(entry.prompt()));
            Path results = entry.output() != null ? context.environment.resolve(entry.output()) : parent.resolve(label);
            if (!places.add(results.normalize())) {
                throw CctException.badInput(where(entry) + "two runs would write to " + results, "give each line its own \"output\"");
            }
            RunRequest request = request(ui, entry, results);
            Path log = results.resolveSibling(results.getFileName() + ".log");
            jobs.add(new Batch.Job(index, label, entry.prompt(), request, log));
        }
        int atOnce = Math.min(parallel == null ? DEFAULT_PARALLEL : parallel, jobs.size());
        if (parallel != null && parallel < 1) {
            throw CctException.badInput("--parallel must be at least 1", "give a positive number");
        }
        Double budget = batchBudget == null ? null : Inputs.dollars("--batch-budget-usd", batchBudget);
        String id = UUID.randomUUID().toString().substring(0, 8);
        if (dryRun) {
            printPlan(ui, jobs, atOnce, budget);
            return ExitCode.OK;
        }
        for (Batch.Job job : jobs) {
            createParent(job.log());
        }
        boolean live = ui.interactive() && !ui.quiet() && format == OutputFormat.TEXT;
        int columns = columns();
        Batch batch = new Batch(jobs, new Batch.Settings(atOnce, budget, format, live, columns, display.verbose),
                context.pipeline(), ui, context.loadSecrets(), id);
        return batch.run();
    }

    /** The runs to make: the prompts file's lines, or the one --prompt N times. */
    private List<PromptsFile.Entry> entries() {
        boolean promptFlag = runFlags.stream().anyMatch(f -> f.equals("--prompt") || f.startsWith("--prompt="));
        if ((prompts == null) == (runs == null)) {
            throw CctException.badInput("cct batch needs --prompts FILE or --runs N (not both)",
                    "give a prompts file, or --runs N with --prompt TEXT");
        }
        if (runs != null) {
            if (runs < 1) {
                throw CctException.badInput("--runs must be at least 1", "give a positive number");
            }
            if (!promptFlag) {
                throw CctException.badInput("--runs needs --prompt", "add --prompt TEXT, the task every run does");
            }
            String text = promptValue();
            List<PromptsFile.Entry> same = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                same.add(new PromptsFile.Entry(0, text, null, List.of(), List.of(), List.of(), List.of(), null,
                        java.util.Map.of(), null));
            }
            return same;
        }
        if (promptFlag) {
            throw CctException.badInput("--prompt and --prompts both given", "put every prompt in the file, or use --runs N --prompt TEXT");
        }
        String text;
        try {
            text = prompts.equals("-") ? new String(context.environment.stdin().readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(context.environment.resolve(prompts), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CctException.badInput("cannot read --prompts " + prompts + ": " + e.getMessage(), "give a readable UTF-8 file");
        }
        try {
            return PromptsFile.parse(text);
        } catch (PromptsFile.Invalid e) {
            throw CctException.badInput("--prompts " + prompts + ": " + e.getMessage(), "fix that line; nothing was started");
        }
    }

    /** The value of the batch's --prompt, which every run of --runs N does; the flag itself is dropped from the runs'. */
    private String promptValue() {
        List<String> rest = new ArrayList<>();
        String text = null;
        for (int i = 0; i < runFlags.size(); i++) {
            String flag = runFlags.get(i);
            if (flag.equals("--prompt") && i + 1 < runFlags.size()) {
                text = runFlags.get(++i);
            } else if (flag.startsWith("--prompt=")) {
                text = flag.substring("--prompt=".length());
            } else {
                rest.add(flag);
            }
        }
        runFlags = rest;
        if (text == null || text.isBlank()) {
            throw CctException.badInput("--prompt is empty", "give the task every run does");
        }
        return text;
    }

    /** One run's request, parsed from the batch's run flags and its line's own, by the single run's parser. */
    private RunRequest request(Ui ui, PromptsFile.Entry entry, Path results) {
        List<String> args = new ArrayList<>(runFlags);
        args.addAll(List.of("--prompt", entry.prompt(), "--output", results.toString()));
        join(args, "--agent", entry.agents());
        join(args, "--command", entry.commands());
        join(args, "--mcp", entry.mcps());
        entry.uploads().forEach(upload -> args.addAll(List.of("--upload", upload)));
        entry.env().forEach((name, value) -> args.addAll(List.of("--env", name + "=" + value)));
        if (entry.timeout() != null) {
            args.addAll(List.of("--timeout", entry.timeout()));
        }
        if (entry.model() != null) {
            args.addAll(List.of("--model", entry.model()));
        }
        CctCommand run = new CctCommand(context);
        CommandLine parser = CctCommand.runParser(run);
        try {
            parser.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            String message = e.getMessage() == null ? "invalid arguments" : e.getMessage().lines().findFirst().orElse("");
            throw CctException.badInput(where(entry) + message, "see 'cct --help' for the options of a run");
        }
        if (!parser.getParseResult().subcommands().isEmpty() || !parser.getUnmatchedArguments().isEmpty()) {
            throw CctException.badInput(where(entry) + "unexpected arguments " + parser.getUnmatchedArguments(),
                    "see 'cct batch --help'");
        }
        try {
            return run.batchRun(ui);
        } catch (CctException e) {
            if (e.exitCode() == ExitCode.BAD_INPUT) {
                throw CctException.badInput(where(entry) + e.getMessage(), "nothing was started");
            }
            throw e;
        }
    }

    private static void join(List<String> args, String flag, List<String> names) {
        if (!names.isEmpty()) {
            args.addAll(List.of(flag, String.join(",", names)));
        }
    }

    private String where(PromptsFile.Entry entry) {
        return entry.line() > 0 ? "--prompts " + prompts + " line " + entry.line() + ": " : "";
    }

    private void printPlan(Ui ui, List<Batch.Job> jobs, int atOnce, Double budget) {
        var out = ui.out();
        out.println(ui.bold("Batch plan") + ui.dim("  (dry run: nothing is created)"));
        out.println("  runs        " + jobs.size() + ", at most " + atOnce + " at a time");
        out.println("  budget      " + (budget == null ? "none" : "$" + Format.money(budget) + " for the batch"));
        for (Batch.Job job : jobs) {
            RunRequest request = job.request();
            out.println("  run " + job.label() + "  " + request.provider().flag() + " → "
                    + request.outputDirectory() + ui.dim("  (" + request.prompt().length() + " characters, timeout "
                    + Format.duration(request.timeout()) + ")"));
        }
        out.flush();
    }

    private static void createParent(Path log) {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw CctException.badInput("cannot create " + log.getParent() + ": " + e.getMessage(), "choose a writable --output");
        }
    }

    private int columns() {
        String value = context.environment.get("COLUMNS");
        try {
            return value == null ? 100 : Math.max(40, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return 100;
        }
    }
}
