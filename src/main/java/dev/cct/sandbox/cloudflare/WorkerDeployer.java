package dev.cct.sandbox.cloudflare;

import dev.cct.core.CctException;
import dev.cct.core.ExitCode;
import dev.cct.core.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deploys cct's Worker with the user's own wrangler login: installs its locked dependencies, deploys it, stores a
 * fresh random bearer token as the Worker's secret, and hands back the URL and token for the user to keep. The
 * token reaches wrangler on its standard input only, never in a command line (which every local user can read).
 */
public final class WorkerDeployer {
    private static final Pattern WORKERS_DEV = Pattern.compile("https://[A-Za-z0-9.-]+\\.workers\\.dev\\b[^\\s]*");
    private static final Pattern ANY_HTTPS = Pattern.compile("https://[A-Za-z0-9.-]+(?::\\d+)?(?:/[^\\s]*)?");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> environment;
    private final Consumer<String> step;
    private final Consumer<String> toolOutput;

    /**
     * @param environment the variables cct was started with (PATH, the user's Cloudflare credentials...)
     * @param step        receives one line per step ("Installing the Worker's dependencies")
     * @param toolOutput  receives the tools' own output lines (shown with --verbose)
     */
    public WorkerDeployer(Map<String, String> environment, Consumer<String> step, Consumer<String> toolOutput) {
        Map<String, String> clean = new LinkedHashMap<>(environment);
        // The old token is none of wrangler's business.
        clean.remove(Secrets.CLOUDFLARE_SANDBOX_TOKEN);
        this.environment = clean;
        this.step = step;
        this.toolOutput = toolOutput;
    }

    /** What the user sets afterwards. A final class so the token never shows in a generated toString. */
    public static final class Deployed {
        private final String url;
        private final String token;

        Deployed(String url, String token) {
            this.url = url;
            this.token = token;
        }

        /** The Worker's URL as wrangler printed it; empty when it printed none (routes on a custom domain). */
        public Optional<String> url() {
            return Optional.ofNullable(url);
        }

        public String token() {
            return token;
        }

        @Override
        public String toString() {
            return "Deployed[" + url + ", token=****]";
        }
    }

    /** Runs every step in {@code project}; a missing tool is bad configuration (exit 2), a failing one exit 3. */
    public Deployed deploy(Path project) throws InterruptedException {
        if (!Files.isRegularFile(project.resolve("package.json"))) {
            throw CctException.badInput(project + " is not the Worker project (no package.json)",
                    "pass the folder components/sandbox/cloudflare of a cct checkout, or leave --project out");
        }
        ExternalTool node = require("node");
        ExternalTool npm = require("npm");
        ExternalTool npx = require("npx");
        step.accept("Using " + node.executable() + " in " + project);

        installDependencies(npm, project);

        step.accept("Deploying the Worker (npx wrangler deploy)");
        ExternalTool.Outcome deployed = run(npx, project, List.of("wrangler", "deploy"), null, "wrangler deploy");
        String url = deployedUrl(deployed.output()).orElse(null);

        String token = newToken();
        step.accept("Storing a new token as the Worker's secret (npx wrangler secret put " + Secrets.CLOUDFLARE_SANDBOX_TOKEN + ")");
        run(npx, project, List.of("wrangler", "secret", "put", Secrets.CLOUDFLARE_SANDBOX_TOKEN),
                (token + "\n").getBytes(StandardCharsets.UTF_8), "wrangler secret put");
        return new Deployed(url, token);
    }

    /** npm ci, unless node_modules was installed from this very lock file already (a second deploy). */
    private void installDependencies(ExternalTool npm, Path project) throws InterruptedException {
        Path lock = project.resolve("package-lock.json");
        Path installedFrom = project.resolve("node_modules/.cct-installed-lock");
        try {
            if (Files.isRegularFile(installedFrom) && Files.mismatch(lock, installedFrom) == -1) {
                step.accept("The Worker's dependencies are installed already");
                return;
            }
        } catch (IOException e) {
            // Cannot tell: install.
        }
        step.accept("Installing the Worker's dependencies (npm ci)");
        run(npm, project, List.of("ci", "--no-audit", "--no-fund"), null, "npm ci");
        try {
            Files.copy(lock, installedFrom, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // Only a shortcut for next time.
        }
    }

    /** 32 random bytes as hex: 256 bits, and only characters that survive any shell or .env file. */
    static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The workers.dev address wrangler printed, else the first https address on a line after "Deployed". */
    static Optional<String> deployedUrl(String output) {
        Matcher workersDev = WORKERS_DEV.matcher(output);
        if (workersDev.find()) {
            return Optional.of(trimUrl(workersDev.group()));
        }
        int deployed = output.indexOf("Deployed");
        if (deployed >= 0) {
            Matcher any = ANY_HTTPS.matcher(output.substring(deployed));
            if (any.find()) {
                return Optional.of(trimUrl(any.group()));
            }
        }
        return Optional.empty();
    }

    private static String trimUrl(String url) {
        String trimmed = url.replaceAll("[).,;'\"]+$", "");
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    private ExternalTool require(String name) {
        return ExternalTool.find(name, environment).orElseThrow(() -> CctException.badInput(
                "'" + name + "' was not found on PATH; deploying the Worker needs Node.js (node, npm and npx)",
                "install Node.js 20 or later and try again"));
    }

    private ExternalTool.Outcome run(ExternalTool tool, Path project, List<String> arguments, byte[] stdin, String what)
            throws InterruptedException {
        ExternalTool.Outcome outcome;
        try {
            outcome = tool.run(project, arguments, stdin, toolOutput);
        } catch (IOException e) {
            throw new CctException(ExitCode.PROVIDER_FAILURE, "cannot run " + what + ": " + e.getMessage(), e);
        }
        if (outcome.exitCode() != 0) {
            String hint = what.startsWith("wrangler") ? "; log in with 'npx wrangler login' (or set CLOUDFLARE_API_TOKEN"
                    + " and CLOUDFLARE_ACCOUNT_ID), and note that containers need the Workers Paid plan" : "";
            throw new CctException(ExitCode.PROVIDER_FAILURE, what + " failed (exit " + outcome.exitCode() + "): "
                    + WorkerError.oneLine(outcome.reason()) + hint + " (run with --verbose to see its whole output)");
        }
        return outcome;
    }
}
