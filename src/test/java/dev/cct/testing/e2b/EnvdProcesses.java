package dev.cct.testing.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cct.testing.e2b.ConnectRpc.RpcError;
import dev.cct.testing.e2b.FakeProcess.Event;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** envd's {@code process.Process} service: real processes on the host, streamed as Connect envelopes. */
final class EnvdProcesses {

    /** envd's own default when the client sends no {@code Keepalive-Ping-Interval}. */
    private static final long DEFAULT_KEEPALIVE_SECONDS = 90;

    private final Faults faults;

    EnvdProcesses(Faults faults) {
        this.faults = faults;
    }

    void handle(String method, FakeSandbox sandbox, String user, HttpLite.Request request, HttpLite.Exchange exchange)
            throws IOException {
        boolean streaming = method.equals("Start") || method.equals("Connect");
        try {
            switch (method) {
                case "Start":
                    start(sandbox, user, request, exchange);
                    return;
                case "Connect":
                    connect(sandbox, request, exchange);
                    return;
                case "SendSignal":
                    sendSignal(sandbox, ConnectRpc.readUnary(request), exchange);
                    return;
                case "SendInput":
                    sendInput(sandbox, ConnectRpc.readUnary(request), exchange);
                    return;
                case "CloseStdin":
                    find(sandbox, ConnectRpc.readUnary(request).path("process")).closeStdin();
                    ConnectRpc.sendUnary(exchange, FakeJson.object());
                    return;
                case "List":
                    ConnectRpc.readUnary(request);
                    list(sandbox, exchange);
                    return;
                default:
                    throw new RpcError("unimplemented", "process.Process/" + method + " is not implemented by the fake");
            }
        } catch (RpcError e) {
            if (streaming) {
                ConnectRpc.sendStreamError(exchange, e);
            } else {
                ConnectRpc.sendUnaryError(exchange, e);
            }
        }
    }

    private void start(FakeSandbox sandbox, String user, HttpLite.Request request, HttpLite.Exchange exchange)
            throws IOException, RpcError {
        JsonNode message = ConnectRpc.readEnvelope(request);
        JsonNode config = message.path("process");
        String cmd = config.path("cmd").asText("");
        if (cmd.isEmpty()) {
            throw new RpcError("invalid_argument", "process.cmd is required");
        }
        if (message.hasNonNull("pty")) {
            throw new RpcError("unimplemented", "the fake runs processes without a PTY");
        }
        List<String> command = new ArrayList<>();
        command.add(sandbox.rewriteHomes(cmd));
        config.path("args").forEach(a -> command.add(sandbox.rewriteHomes(a.asText())));
        Path cwd = config.hasNonNull("cwd") ? sandbox.resolve(config.get("cwd").asText(), user) : sandbox.home(user);
        if (!Files.isDirectory(cwd)) {
            throw new RpcError("invalid_argument", "cwd '" + config.path("cwd").asText() + "' does not exist");
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
        environment(builder.environment(), sandbox, user, config.path("envs"));
        // proto3 `optional bool stdin`: absent means true, and then stdin stays open until CloseStdin.
        boolean keepStdin = !message.has("stdin") || message.get("stdin").asBoolean();
        long deadline = deadline(request);
        int cutAfter = faults.takeCut(String.join(" ", command));
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        FakeProcess process;
        try {
            process = FakeProcess.start(builder, config, message.hasNonNull("tag") ? message.get("tag").asText() : null,
                    keepStdin, events);
        } catch (IOException e) {
            throw new RpcError("internal", "error starting process: " + e.getMessage());
        }
        sandbox.register(process);
        stream(exchange, request, process, events, deadline, true, cutAfter);
    }

    /**
     * The environment envd gives a process: PATH, HOME, USER, LOGNAME, then the sandbox's create-time
     * envVars, then the request's envs. The fake runs processes as root on the host, and Claude Code
     * refuses {@code --dangerously-skip-permissions} as root unless IS_SANDBOX=1, which a real E2B
     * sandbox (running as the unprivileged user) does not need; so the fake sets it for every process.
     */
    private static void environment(Map<String, String> env, FakeSandbox sandbox, String user, JsonNode requestEnvs) {
        env.clear();
        env.put("PATH", sandbox.path());
        env.put("HOME", sandbox.home(user).toString());
        env.put("USER", user);
        env.put("LOGNAME", user);
        env.put("IS_SANDBOX", "1");
        sandbox.envVars.forEach((k, v) -> env.put(k, sandbox.rewriteHomes(v)));
        FakeJson.stringMap(requestEnvs).forEach((k, v) -> env.put(k, sandbox.rewriteHomes(v)));
    }

    private void connect(FakeSandbox sandbox, HttpLite.Request request, HttpLite.Exchange exchange)
            throws IOException, RpcError {
        JsonNode message = ConnectRpc.readEnvelope(request);
        FakeProcess process = find(sandbox, message.path("process"));
        BlockingQueue<Event> events = process.attach();
        if (events == null) {
            throw notFound(message.path("process"));
        }
        // A re-attached stream's deadline ends only the stream; the process lives on.
        stream(exchange, request, process, events, deadline(request), false, -1);
    }

    /**
     * Writes {@code start}, then events as they come, keepalives after each silence of the
     * requested interval, and {@code end} followed by the end-of-stream frame. At the deadline a
     * Start stream kills its process and ends with {@code deadline_exceeded}. A cut fault or the
     * sandbox's end drops the TCP connection without an end-of-stream frame.
     */
    private static void stream(HttpLite.Exchange exchange, HttpLite.Request request, FakeProcess process,
                               BlockingQueue<Event> events, long deadline, boolean killAtDeadline, int cutAfter)
            throws IOException {
        long keepaliveMs = TimeUnit.SECONDS.toMillis(headerLong(request, "keepalive-ping-interval", DEFAULT_KEEPALIVE_SECONDS));
        try {
            OutputStream body = exchange.stream(200, Map.of("Content-Type", ConnectRpc.STREAM_TYPE));
            ConnectRpc.message(body, event("start", FakeJson.object().put("pid", process.pid)));
            // Each turn writes one frame; a cut fault drops the connection once cutAfter are out.
            for (int written = 1; written != cutAfter; written++) {
                long wait = deadline == 0 ? keepaliveMs : Math.min(keepaliveMs, deadline - System.currentTimeMillis());
                Event e = wait <= 0 ? null : events.poll(wait, TimeUnit.MILLISECONDS);
                if (e == null && deadline != 0 && System.currentTimeMillis() >= deadline) {
                    process.detach(events);
                    if (killAtDeadline) {
                        process.signal(FakeProcess.SIGKILL);
                        // The stream ends once the process is gone, so a List right after it no longer shows it.
                        process.awaitExited(5000);
                    }
                    ConnectRpc.endStream(body, new RpcError("deadline_exceeded", "context deadline exceeded"));
                    body.close();
                    return;
                }
                if (e == null) {
                    ConnectRpc.message(body, event("keepalive", FakeJson.object()));
                } else if (e instanceof FakeProcess.Output) {
                    FakeProcess.Output out = (FakeProcess.Output) e;
                    ObjectNode data = FakeJson.object().put(out.stderr() ? "stderr" : "stdout",
                            Base64.getEncoder().encodeToString(out.bytes()));
                    ConnectRpc.message(body, event("data", data));
                } else if (e instanceof FakeProcess.Exit) {
                    ConnectRpc.message(body, event("end", end((FakeProcess.Exit) e)));
                    ConnectRpc.endStream(body, null);
                    body.close();
                    return;
                } else {
                    exchange.abort();
                    return;
                }
            }
            process.detach(events);
            exchange.abort();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.detach(events);
            exchange.abort();
        } catch (IOException e) {
            // The client went away: like envd, the process keeps running and can be re-attached.
            process.detach(events);
            throw e;
        }
    }

    private static ObjectNode event(String kind, JsonNode value) {
        ObjectNode n = FakeJson.object();
        n.putObject("event").set(kind, value);
        return n;
    }

    /** proto3 JSON omits zero values: no exitCode for 0, no error for a clean exit. */
    private static ObjectNode end(FakeProcess.Exit exit) {
        ObjectNode end = FakeJson.object();
        if (exit.exitCode() != 0) {
            end.put("exitCode", exit.exitCode());
        }
        end.put("exited", true);
        end.put("status", exit.status());
        if (exit.exitCode() != 0) {
            end.put("error", exit.status());
        }
        return end;
    }

    private static void sendSignal(FakeSandbox sandbox, JsonNode message, HttpLite.Exchange exchange)
            throws IOException, RpcError {
        FakeProcess process = find(sandbox, message.path("process"));
        JsonNode signal = message.path("signal");
        if (signal.asText().equals("SIGNAL_SIGKILL") || signal.asInt() == FakeProcess.SIGKILL) {
            process.signal(FakeProcess.SIGKILL);
        } else if (signal.asText().equals("SIGNAL_SIGTERM") || signal.asInt() == FakeProcess.SIGTERM) {
            process.signal(FakeProcess.SIGTERM);
        } else {
            throw new RpcError("invalid_argument", "unsupported signal: " + signal);
        }
        ConnectRpc.sendUnary(exchange, FakeJson.object());
    }

    private static void sendInput(FakeSandbox sandbox, JsonNode message, HttpLite.Exchange exchange)
            throws IOException, RpcError {
        FakeProcess process = find(sandbox, message.path("process"));
        JsonNode stdin = message.path("input").path("stdin");
        if (!stdin.isTextual()) {
            throw new RpcError("invalid_argument", "only input.stdin is supported (the fake has no PTY)");
        }
        try {
            process.sendInput(Base64.getDecoder().decode(stdin.asText()));
        } catch (IOException e) {
            throw new RpcError("failed_precondition", "error writing to stdin: " + e.getMessage());
        }
        ConnectRpc.sendUnary(exchange, FakeJson.object());
    }

    private static void list(FakeSandbox sandbox, HttpLite.Exchange exchange) throws IOException {
        ObjectNode response = FakeJson.object();
        ArrayNode processes = response.putArray("processes");
        for (FakeProcess p : sandbox.running()) {
            ObjectNode info = processes.addObject();
            info.set("config", p.config);
            info.put("pid", p.pid);
            if (p.tag != null) {
                info.put("tag", p.tag);
            }
        }
        ConnectRpc.sendUnary(exchange, response);
    }

    /** The running process a ProcessSelector ({@code {"pid":N}} or {@code {"tag":"..."}}) names. */
    private static FakeProcess find(FakeSandbox sandbox, JsonNode selector) throws RpcError {
        FakeProcess p = selector.has("pid") ? sandbox.process(selector.get("pid").asInt())
                : selector.has("tag") ? sandbox.processByTag(selector.get("tag").asText()) : null;
        if (p == null) {
            throw notFound(selector);
        }
        return p;
    }

    private static RpcError notFound(JsonNode selector) {
        return new RpcError("not_found", "process with " + selector + " not found");
    }

    /** {@code Connect-Timeout-Ms} as an absolute time in millis; 0 when absent (no deadline). */
    private static long deadline(HttpLite.Request request) {
        long ms = headerLong(request, "connect-timeout-ms", -1);
        return ms < 0 ? 0 : System.currentTimeMillis() + ms;
    }

    private static long headerLong(HttpLite.Request request, String name, long fallback) {
        String v = request.header(name);
        try {
            return v == null ? fallback : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
