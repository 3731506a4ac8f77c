package dev.cct.sandbox.e2b;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cct.core.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A process for envd to start, and who runs it. {@code timeout}, when set, becomes {@code Connect-Timeout-Ms}: the
 * process's lifetime, after which envd kills it.
 */
record ProcessSpec(String cmd, List<String> args, Map<String, String> envs, String cwd, String tag, Duration timeout,
                   String user) {

    /** The Start request as proto3 JSON. {@code stdin} is always false: envd would otherwise keep it open. */
    byte[] startRequest() {
        ObjectNode root = Json.mapper().createObjectNode();
        ObjectNode process = root.putObject("process");
        process.put("cmd", cmd);
        args.forEach(process.putArray("args")::add);
        if (envs != null && !envs.isEmpty()) {
            ObjectNode env = process.putObject("envs");
            envs.forEach(env::put);
        }
        if (cwd != null && !cwd.isEmpty()) {
            process.put("cwd", cwd);
        }
        root.put("stdin", false);
        if (tag != null) {
            root.put("tag", tag);
        }
        return Json.compact(root).getBytes(StandardCharsets.UTF_8);
    }

    /** For messages: the command without its arguments (which may carry data). */
    String shortName() {
        return cmd.substring(cmd.lastIndexOf('/') + 1);
    }

    @Override
    public String toString() {
        // Environment values may be keys (ANTHROPIC_API_KEY travels this way): names only.
        return "ProcessSpec[" + cmd + " " + args.size() + " arg(s), envs=" + (envs == null ? "[]" : envs.keySet())
                + ", cwd=" + cwd + ", tag=" + tag + ", user=" + user + "]";
    }
}
