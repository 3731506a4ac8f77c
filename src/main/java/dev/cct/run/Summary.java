package dev.cct.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.cct.archive.ExtractionReport;
import dev.cct.changes.Change;
import dev.cct.core.ExitCode;
import dev.cct.core.Format;
import dev.cct.core.Json;
import dev.cct.core.OutputFormat;
import dev.cct.core.Secrets;
import dev.cct.sandbox.Sandbox;
import dev.cct.stream.RunOutcome;
import dev.cct.ui.Ui;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The last thing a run prints: one json object, or one line with the verdict, turns, cost, time and files. */
final class Summary {
    private static final int STAT_WIDTH = 80;

    private Summary() {
    }

    /** The run's end as one object: what {@code --output-format json} prints, and what a batch reports per run. */
    static ObjectNode json(RunRequest request, Verdict verdict, ClaudeSession.Result claude, ChangeBack.Brought brought,
                           ChangeLanding.Landed landed, Path output, Duration took, List<Sandbox.Blocked> blocked) {
        ExtractionReport report = brought.report();
        ResultChanges changes = brought.changes();
        RunOutcome outcome = claude.outcome();
            ObjectNode json = Json.mapper().createObjectNode();
            json.put("exitCode", verdict.exitCode());
            json.put("status", verdict.status());
            json.put("provider", request.provider().flag());
            json.put("sandboxId", claude.sandboxId());
            // The run's record: what --continue takes.
            json.put("runId", claude.sandboxId() == null ? null : Format.shortId(claude.sandboxId()));
            json.put("result", outcome == null ? null : outcome.result());
            json.put("isError", outcome != null && outcome.isError());
            json.put("turns", outcome == null ? 0 : outcome.turns());
            json.putRawValue("costUsd", new RawValue(Format.money(outcome == null ? 0 : outcome.costUsd())));
            json.put("durationMs", took.toMillis());
            json.put("toolCalls", claude.toolCalls());
            json.put("outputDirectory", output == null ? null : output.toString());
            ArrayNode files = json.putArray("files");
            report.writtenPaths().forEach(files::add);
            ArrayNode created = json.putArray("created");
            changes.created().forEach(created::add);
            ArrayNode modified = json.putArray("modified");
            changes.modified().forEach(modified::add);
            json.put("unchangedUploads", changes.unchanged());
            ArrayNode refused = json.putArray("refused");
            report.refused().forEach(refused::add);
            json.set("changes", changes(brought, landed));
            ObjectNode egress = json.putObject("egress");
            egress.put("policy", request.settings().egress().mode().flag());
            ArrayNode refusedConnections = egress.putArray("blocked");
            blocked.forEach(b -> refusedConnections.addObject().put("target", b.target()).put("count", b.count()));
            // Claude's final text may quote a key it saw: every text is masked, wherever the object goes.
            masked(json, request.secrets());
            return json;
    }

    private static void masked(JsonNode node, Secrets secrets) {
        if (node instanceof ObjectNode object) {
            object.fields().forEachRemaining(field -> {
                if (field.getValue().isTextual()) {
                    field.setValue(TextNode.valueOf(secrets.mask(field.getValue().asText())));
                } else {
                    masked(field.getValue(), secrets);
                }
            });
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    array.set(i, TextNode.valueOf(secrets.mask(array.get(i).asText())));
                } else {
                    masked(array.get(i), secrets);
                }
            }
        }
    }

    static void print(Ui ui, RunRequest request, Verdict verdict, ClaudeSession.Result claude, ChangeBack.Brought brought,
                      ChangeLanding.Landed landed, Path output, Path cwd, Duration took, List<Sandbox.Blocked> blocked) {
        ResultChanges changes = brought.changes();
        RunOutcome outcome = claude.outcome();
        if (request.outputFormat() == OutputFormat.JSON) {
            ui.out().println(Json.compact(json(request, verdict, claude, brought, landed, output, took, blocked)));
            ui.out().flush();
            return;
        }
        String where = output == null ? "" : " in " + ChangeBack.display(output, cwd);
        String details = (outcome == null ? "" : outcome.turns() + " turns · $" + Format.money(outcome.costUsd()) + " · ")
                + Format.duration(took) + " · " + claude.toolCalls() + " tool call(s) · "
                + ChangeBack.describe(changes, brought.change()) + where;
        ui.info("");
        if (landed.stat() != null) {
            landed.stat().render(STAT_WIDTH).lines().forEach(ui::info);
        }
        landed.advice().forEach(ui::info);
        if (!blocked.isEmpty()) {
            ui.info(ui.yellow("blocked: ") + String.join(", ", blocked.stream().map(b -> b.count() + " connection"
                    + (b.count() == 1 ? "" : "s") + " to " + b.target()).toList()) + ui.dim("  (--egress "
                    + request.settings().egress().mode().flag() + ")"));
        }
        if (verdict.exitCode() == ExitCode.OK) {
            ui.info(ui.green("✓ ") + ui.bold(verdict.message()) + "  " + details);
        } else {
            ui.err().println(ui.red("✗ ") + ui.bold(request.secrets().mask(verdict.message())) + "  " + details);
            ui.err().flush();
        }
    }

    /** Each changed path with its kind, the size of the change, and where it landed. */
    private static ObjectNode changes(ChangeBack.Brought brought, ChangeLanding.Landed landed) {
        ObjectNode json = Json.mapper().createObjectNode();
        ArrayNode entries = json.putArray("entries");
        for (Change change : brought.change().changes()) {
            ObjectNode entry = entries.addObject();
            entry.put("path", change.path());
            entry.put("kind", change.kind().word());
            if (change.kind() == Change.Kind.RENAMED) {
                entry.put("from", change.oldPath());
            }
        }
        json.put("insertions", landed.stat() == null ? 0 : landed.stat().insertions());
        json.put("deletions", landed.stat() == null ? 0 : landed.stat().deletions());
        json.put("transferredBytes", brought.transferred());
        json.put("patch", landed.patch() == null ? null : landed.patch().toString());
        json.put("branch", landed.branch());
        json.put("applied", landed.applied());
        ArrayNode refused = json.putArray("refused");
        brought.change().refused().forEach(refused::add);
        return json;
    }
}
