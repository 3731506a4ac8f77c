package dev.cct.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cct.core.CctException;
import dev.cct.core.ExitCode;
import dev.cct.core.Format;
import dev.cct.core.Json;
import dev.cct.runs.RunRecord;
import dev.cct.runs.RunRecords;
import dev.cct.ui.Ui;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cct runs list|show|rm|prune}: the records sandbox runs leave, which {@code --continue} picks up. */
@Command(name = "runs", description = "List, show or remove the records of earlier sandbox runs (for --continue).")
public final class RunsCommand {
    private static final Pattern AGE = Pattern.compile("(\\d+)([dhm])");
    private final Context context;

    public RunsCommand(Context context) {
        this.context = context;
    }

    static RunRecords records(Context context) {
        return new RunRecords(context.environment.dataDirectory().resolve("runs"));
    }

    @Command(name = "list", description = "Earlier runs, newest first: id, when, provider, prompt, exit code, cost, size.")
    int list(@Mixin DisplayOptions display, @Option(names = "--json", description = "One JSON array.") boolean json) {
        Ui ui = context.ui(display);
        List<RunRecords.Entry> entries = records(context).list();
        if (json) {
            ArrayNode array = Json.mapper().createArrayNode();
            entries.forEach(entry -> array.add(summary(entry)));
            ui.out().println(Json.compact(array));
            ui.out().flush();
            return ExitCode.OK;
        }
        if (entries.isEmpty()) {
            ui.info("No runs recorded yet (records are kept in " + records(context).root() + ").");
            return ExitCode.OK;
        }
        ui.out().printf("%-13s %-20s %-11s %4s %9s %9s  %s%n", "ID", "STARTED", "PROVIDER", "EXIT", "COST", "SIZE", "PROMPT");
        for (RunRecords.Entry entry : entries) {
            RunRecord r = entry.record();
            ui.out().printf("%-13s %-20s %-11s %4d %9s %9s  %s%n", r.id(), when(r), r.provider(), r.exitCode(),
                    "$" + Format.money(r.costUsd()), Format.bytes(entry.size()), r.title());
        }
        ui.out().flush();
        return ExitCode.OK;
    }

    @Command(name = "show", description = "One run: its record, its files, and how to continue it.")
    int show(@Mixin DisplayOptions display, @Parameters(paramLabel = "RUN", description = "A run id, a unique prefix, or 'last'.") String run,
             @Option(names = "--json", description = "One JSON object.") boolean json) {
        Ui ui = context.ui(display);
        RunRecords.Entry entry = find(run);
        RunRecord r = entry.record();
        List<String> files = files(entry);
        if (json) {
            ObjectNode node = (ObjectNode) Json.mapper().valueToTree(r);
            node.put("folder", entry.folder().toString());
            node.put("size", entry.size());
            node.put("session", Files.exists(entry.session()));
            ArrayNode list = node.putArray("files");
            files.forEach(list::add);
            node.put("continueWith", "cct --continue " + r.id() + " --prompt \"...\"");
            ui.out().println(Json.compact(node));
            ui.out().flush();
            return ExitCode.OK;
        }
        ui.out().println("Run       " + r.id() + (r.continues() == null ? "" : " (continues " + r.continues() + ")"));
        ui.out().println("Started   " + when(r) + " on " + r.provider());
        ui.out().println("Prompt    " + r.title());
        ui.out().println("Ended     exit " + r.exitCode() + " (" + r.status() + "), " + r.turns() + " turns, $" + Format.money(r.costUsd()));
        if (!r.components().isEmpty()) {
            ui.out().println("Components " + r.components());
        }
        if (r.results() != null) {
            ui.out().println("Results   " + r.results());
        }
        if (r.branch() != null) {
            ui.out().println("Branch    " + r.branch() + " in " + r.checkout());
        }
        if (r.patch() != null) {
            ui.out().println("Patch     " + r.patch());
        }
        ui.out().println("Session   " + (Files.exists(entry.session()) ? r.sessionId() : "none (Claude never started one)"));
        ui.out().println("Record    " + entry.folder() + " (" + Format.bytes(entry.size()) + ", " + files.size() + " workspace file(s))");
        files.stream().limit(20).forEach(f -> ui.out().println("  " + f));
        if (files.size() > 20) {
            ui.out().println("  ... and " + (files.size() - 20) + " more");
        }
        if (Files.exists(entry.session())) {
            ui.out().println("Continue  cct --continue " + r.id() + " --prompt \"...\"   (add --sandbox to move to another provider)");
        }
        ui.out().flush();
        return ExitCode.OK;
    }

    @Command(name = "rm", description = "Remove one run's record.")
    int rm(@Mixin DisplayOptions display, @Parameters(paramLabel = "RUN", description = "A run id, a unique prefix, or 'last'.") String run) {
        Ui ui = context.ui(display);
        RunRecords.Entry entry = find(run);
        try {
            records(context).remove(entry);
        } catch (IOException e) {
            throw CctException.provider("could not remove " + entry.folder() + ": " + e.getMessage(), e);
        }
        ui.out().println("removed " + entry.record().id());
        ui.out().flush();
        return ExitCode.OK;
    }

    @Command(name = "prune", description = "Remove the records of runs older than an age.")
    int prune(@Mixin DisplayOptions display,
              @Option(names = "--older-than", paramLabel = "AGE", required = true, description = "30d, 12h or 90m.") String age) {
        Ui ui = context.ui(display);
        Matcher m = AGE.matcher(age);
        if (!m.matches()) {
            throw CctException.badInput("invalid --older-than '" + age + "'", "give an age such as 30d, 12h or 90m");
        }
        long n = Long.parseLong(m.group(1));
        Duration duration = switch (m.group(2)) {
            case "d" -> Duration.ofDays(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofMinutes(n);
        };
        List<RunRecords.Entry> removed;
        try {
            removed = records(context).prune(duration, Instant.now());
        } catch (IOException e) {
            throw CctException.provider("could not prune " + records(context).root() + ": " + e.getMessage(), e);
        }
        removed.forEach(entry -> ui.out().println("removed " + entry.record().id()));
        ui.info(removed.size() + " run record(s) removed.");
        ui.out().flush();
        return ExitCode.OK;
    }

    private RunRecords.Entry find(String run) {
        try {
            return records(context).find(run);
        } catch (RunRecords.Unknown e) {
            throw CctException.badInput(e.getMessage(), "see 'cct runs list'");
        }
    }

    private static ObjectNode summary(RunRecords.Entry entry) {
        RunRecord r = entry.record();
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("id", r.id());
        node.put("startedAt", r.startedAt());
        node.put("provider", r.provider());
        node.put("prompt", r.title());
        node.put("exitCode", r.exitCode());
        node.put("status", r.status());
        node.put("costUsd", r.costUsd());
        node.put("turns", r.turns());
        node.put("size", entry.size());
        node.put("continues", r.continues());
        node.put("session", Files.exists(entry.session()));
        return node;
    }

    private static String when(RunRecord r) {
        String at = r.startedAt() == null ? "" : r.startedAt();
        return at.length() >= 19 ? at.substring(0, 19).replace('T', ' ') : at;
    }

    private static List<String> files(RunRecords.Entry entry) {
        List<String> names = new java.util.ArrayList<>();
        try (InputStream in = Files.newInputStream(entry.workspace()); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                if (!e.isDirectory()) {
                    names.add(e.getName());
                }
            }
        } catch (IOException e) {
            return names;
        }
        return names;
    }
}
