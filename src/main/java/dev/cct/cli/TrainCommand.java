package dev.cct.cli;

import dev.cct.archive.SafeExtractor;
import dev.cct.archive.TarWriter;
import dev.cct.core.Environment;
import dev.cct.core.OutputFormat;
import dev.cct.core.Secrets;
import dev.cct.sandbox.SandboxException;
import dev.cct.sandbox.cloudflare.CloudflareProvider;
import dev.cct.sandbox.cloudflare.CloudflareSettings;
import dev.cct.sandbox.docker.DockerProvider;
import dev.cct.sandbox.docker.DockerSettings;
import dev.cct.sandbox.e2b.E2bProvider;
import dev.cct.sandbox.e2b.E2bSettings;
import dev.cct.stream.StreamRenderer;
import dev.cct.ui.Ui;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * The training run behind the launcher's class-data archive (an AOT cache on Java 25+): it walks the paths a real
 * run takes (argument parsing and planning, the catalog, archives, stream rendering, the providers' clients) so
 * that their classes are in the archive, while touching nothing outside a temporary folder and no network.
 * Hidden: the launcher runs it once per runtime and build.
 */
@Command(name = "train-startup", hidden = true, description = "Prepare the startup archive (run by the launcher).")
final class TrainCommand implements Callable<Integer> {
    /** Nothing listens here; clients are built and fail at once, after their classes were loaded. */
    private static final String NOWHERE_SOCKET = "unix:///nonexistent/cct-train.sock";

    @Override
    public Integer call() throws IOException {
        Path scratch = Files.createTempDirectory("cct-train");
        try {
            Map<String, String> variables = Map.of("HOME", scratch.toString(), "PATH", "/usr/bin:/bin",
                    "ANTHROPIC_API_KEY", "sk-ant-train", "E2B_API_KEY", "e2b_train", "DOCKER_HOST", NOWHERE_SOCKET,
                    "CCT_CATALOG_URL", "http://127.0.0.1:9/catalog", "CI", "true");
            Environment environment = new Environment(variables, scratch, new ByteArrayInputStream(new byte[0]));
            PrintWriter quiet = new PrintWriter(Writer.nullWriter());
            CctCommand.execute(quiet, quiet, environment, false, "--sandbox", "docker", "--agent", "security/security-auditor",
                    "--command", "testing/generate-tests", "--mcp", "postgresql", "--prompt", "train", "--dry-run");
            CctCommand.execute(quiet, quiet, environment, false, "--agent", "frontend-developer", "--directory", scratch.toString(), "--yes");
            CctCommand.execute(quiet, quiet, environment, false, "components", "list");
            archives(scratch);
            render(quiet);
            providers(environment);
        } finally {
            try (Stream<Path> walk = Files.walk(scratch)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    private static void archives(Path scratch) throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarWriter writer = new TarWriter(tar)) {
            writer.addDirectory("workspace");
            writer.addFile("workspace/hello.py", "print('hi')\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), true);
        }
        SafeExtractor.extract(new ByteArrayInputStream(tar.toByteArray()), scratch.resolve("out"), path -> false);
    }

    private static void render(PrintWriter quiet) {
        StreamRenderer renderer = new StreamRenderer(new Ui(quiet, quiet, false, false, false, false), OutputFormat.TEXT, "/w");
        renderer.stdoutLine("{\"type\":\"system\",\"subtype\":\"init\",\"model\":\"m\",\"tools\":[\"Write\"],\"claude_code_version\":\"0\"}");
        renderer.stdoutLine("{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"hi\"},"
                + "{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"Write\",\"input\":{\"file_path\":\"/w/a.py\",\"content\":\"x\"}}]}}");
        renderer.stdoutLine("{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"num_turns\":1,\"total_cost_usd\":0,\"result\":\"ok\"}");
    }

    private static void providers(Environment environment) {
        try {
            new DockerProvider(environment, DockerSettings.defaults()).list();
        } catch (SandboxException | RuntimeException expected) {
            // No engine on purpose: the client and its transport are loaded all the same.
        }
        new E2bProvider(E2bSettings.parse(null, Secrets.of(Map.of(Secrets.E2B_API_KEY, "e2b_train",
                "E2B_API_URL", "http://127.0.0.1:9"))), Duration.ofMinutes(1));
        new CloudflareProvider(CloudflareSettings.parse(Secrets.of(Map.of(Secrets.CLOUDFLARE_SANDBOX_URL, "http://127.0.0.1:9",
                Secrets.CLOUDFLARE_SANDBOX_TOKEN, "train"))));
    }
}
