package dev.cct.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cct.catalog.Component;
import dev.cct.catalog.FileTree;
import dev.cct.core.Format;
import dev.cct.core.Json;
import dev.cct.core.OutputFormat;
import dev.cct.core.Secrets;
import dev.cct.run.Landing;
import dev.cct.run.RunRequest;
import dev.cct.ui.Ui;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What --dry-run prints: everything the run would do, with secrets shown only as set or not. */
final class Plan {
    private Plan() {
    }

    static void print(Ui ui, RunRequest request) {
        OutputFormat format = request.outputFormat();
        List<String> excludes = request.excludes();
        boolean includeAll = request.includeAll();
        FileTree files = request.components().toFileTree();
        String output = request.outputDirectory() == null ? "./sandbox-<id>/" : request.outputDirectory().toString();
        if (format != OutputFormat.TEXT) {
            ObjectNode plan = Json.mapper().createObjectNode();
            plan.put("dryRun", true);
            plan.put("provider", request.provider().flag());
            ArrayNode components = plan.putArray("components");
            for (Component c : request.components().components()) {
                components.addObject().put("type", c.type().label()).put("name", c.id()).put("origin", c.origin());
            }
            ArrayNode fileList = plan.putArray("files");
            files.entries().forEach((path, entry) -> fileList.addObject().put("path", path)
                    .put("bytes", entry.content().length).put("executable", entry.executable()));
            plan.put("promptSource", request.promptSource());
            plan.put("promptChars", request.prompt().length());
            plan.put("timeoutSeconds", request.timeout().toSeconds());
            plan.put("model", request.model());
            if (request.maxBudgetUsd() == null) {
                plan.putNull("maxBudgetUsd");
            } else {
                plan.put("maxBudgetUsd", request.maxBudgetUsd());
            }
            if (request.maxTurns() == null) {
                plan.putNull("maxTurns");
            } else {
                plan.put("maxTurns", request.maxTurns());
            }
            plan.put("output", request.landing().elsewhere() && request.outputDirectory() == null ? null : output);
            ObjectNode change = plan.putObject("change");
            change.put("branch", request.landing().branchName("<run-id>"));
            change.put("apply", request.landing().apply());
            change.put("patch", patchOf(request, output));
            if (request.continuation() != null) {
                ObjectNode continues = plan.putObject("continues");
                continues.put("run", request.continuation().runId());
                continues.put("session", request.continuation().sessionId());
            }
            ArrayNode uploads = plan.putArray("uploads");
            request.uploads().forEach(p -> uploads.add(p.toString()));
            plan.putArray("environment").addAll(request.environment().keySet().stream()
                    .map(k -> Json.mapper().getNodeFactory().textNode(k)).toList());
            ObjectNode egress = plan.putObject("egress");
            egress.put("policy", request.settings().egress().mode().flag());
            ArrayNode allowed = egress.putArray("hosts");
            request.settings().egress().hosts().forEach(allowed::add);
            egress.put("keysOutside", request.settings().given().containsKey("keys"));
            ObjectNode options = plan.putObject("options");
            request.settings().given().forEach(options::put);
            ArrayNode ex = plan.putArray("exclude");
            excludes.forEach(ex::add);
            plan.put("includeAll", includeAll);
            ui.out().println(Json.compact(plan));
            ui.out().flush();
            return;
        }
        var out = ui.out();
        out.println(ui.bold("Plan") + ui.dim("  (dry run: nothing is created)"));
        out.println("  provider    " + request.provider().flag() + describeOptions(request.settings().given()));
        if (request.components().components().isEmpty()) {
            out.println("  components  none");
        }
        for (Component c : request.components().components()) {
            out.println("  component   " + c.displayName() + ui.dim("  (" + c.origin() + ")"));
        }
        files.entries().forEach((path, entry) -> out.println("  file        " + path + ui.dim("  " + entry.content().length
                + " bytes" + (entry.executable() ? ", executable" : ""))));
        for (Path upload : request.uploads()) {
            out.println("  upload      " + upload);
        }
        if (request.continuation() != null) {
            out.println("  continues   run " + request.continuation().runId() + ": its workspace, and Claude resumes session "
                    + request.continuation().sessionId());
        }
        out.println("  change      " + describeLanding(request, output));
        out.println("  prompt      " + request.prompt().length() + " characters from " + request.promptSource());
        out.println("  limits      timeout " + Format.duration(request.timeout())
                + ", max turns " + (request.maxTurns() == null ? "unlimited" : request.maxTurns())
                + ", model " + (request.model() == null ? "default" : request.model())
                + (request.maxBudgetUsd() == null ? "" : ", budget $" + Format.money(request.maxBudgetUsd())));
        Secrets secrets = request.secrets();
        out.println("  egress      " + request.settings().egress().describe());
        out.println("  credentials " + credential(secrets) + (request.settings().given().containsKey("keys")
                ? ", kept outside the sandbox: a gateway adds it to Claude's API calls" : ""));
        for (String name : request.provider().requiredVariables()) {
            out.println("  " + pad(name) + " " + secrets.describe(name));
        }
        if (!request.environment().isEmpty()) {
            out.println("  environment " + String.join(", ", request.environment().keySet()) + ui.dim("  (values hidden)"));
        }
        out.println("  results     " + output + (includeAll ? " (everything)" : " (without node_modules, .venv, __pycache__"
                + " and cct's component files)") + (excludes.isEmpty() ? "" : ", also excluding " + String.join(", ", excludes)));
        out.flush();
    }

    private static String credential(Secrets secrets) {
        if (secrets.has(Secrets.ANTHROPIC_API_KEY)) {
            return "ANTHROPIC_API_KEY " + secrets.describe(Secrets.ANTHROPIC_API_KEY);
        }
        return "CLAUDE_CODE_OAUTH_TOKEN " + secrets.describe(Secrets.CLAUDE_CODE_OAUTH_TOKEN);
    }

    /** The patch file a run will write: the one named, or the default beside the results of a git checkout's run. */
    private static String patchOf(RunRequest request, String output) {
        Landing landing = request.landing();
        if (landing.patch() != null) {
            return landing.patch().toString();
        }
        return landing.checkout() != null && !landing.elsewhere() ? output.replaceAll("/$", "") + ".patch" : null;
    }

    private static String describeLanding(RunRequest request, String output) {
        Landing landing = request.landing();
        List<String> places = new java.util.ArrayList<>();
        if (!landing.elsewhere() || request.outputDirectory() != null) {
            places.add("results in " + output);
        }
        if (landing.branch() != null) {
            places.add("new branch " + landing.branchName("<run-id>"));
        }
        if (landing.apply()) {
            places.add("applied to " + landing.checkout());
        }
        String patch = patchOf(request, output);
        if (patch != null) {
            places.add("patch " + patch);
        }
        return String.join(", ", places);
    }

    private static String describeOptions(Map<String, String> options) {
        if (options.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder(" (");
        options.forEach((k, v) -> text.append(text.length() > 2 ? ", " : "").append(k).append(' ').append(v));
        return text.append(')').toString();
    }

    private static String pad(String name) {
        return name.length() >= 11 ? name : name + " ".repeat(11 - name.length());
    }
}
