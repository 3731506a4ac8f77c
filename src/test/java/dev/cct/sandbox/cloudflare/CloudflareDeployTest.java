package dev.cct.sandbox.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cct.Main;
import dev.cct.core.Environment;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cct cloudflare deploy} in-process, with stand-in node, npm and npx scripts on PATH that record their calls. */
class CloudflareDeployTest {
    @TempDir
    Path dir;
    private Path bin;
    private Path calls;

    private record Run(int code, String out, String err) {
    }

    @BeforeEach
    void tools() throws IOException {
        bin = Files.createDirectories(dir.resolve("bin"));
        calls = dir.resolve("calls.log");
        script("node", "echo v20.0.0");
        script("npm", "echo \"npm $* (in $(pwd))\" >> '" + calls + "'; mkdir -p node_modules; echo 'added 42 packages'");
        script("npx", """
                echo "npx $*" >> '%1$s'
                case "$*" in
                  "wrangler deploy")
                    echo 'Total Upload: 120.5 KiB / gzip: 30.1 KiB'
                    echo 'Uploaded cct-sandbox (2.10 sec)'
                    echo 'Deployed cct-sandbox triggers (0.30 sec)'
                    echo '  https://cct-sandbox.someone.workers.dev'
                    echo 'Current Version ID: 0a1b2c3d' ;;
                  "wrangler secret put CLOUDFLARE_SANDBOX_TOKEN")
                    cat > '%2$s'
                    echo 'Success! Uploaded secret CLOUDFLARE_SANDBOX_TOKEN' ;;
                  *) echo "unexpected: $*" >&2; exit 9 ;;
                esac
                """.formatted(calls, dir.resolve("stdin.txt")));
    }

    private void script(String name, String body) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Run deploy(String path, String... extra) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> variables = Map.of("PATH", path, "HOME", dir.toString(), "CCT_CACHE_DIR", dir.resolve("cache").toString(),
                "CLOUDFLARE_SANDBOX_TOKEN", "old-token-old-token");
        Environment environment = new Environment(variables, dir, new ByteArrayInputStream(new byte[0]));
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("cloudflare", "deploy"), java.util.stream.Stream.of(extra))
                .toArray(String[]::new);
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), environment, false, args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void deploysTheBundledProjectStoresAFreshTokenThroughStdinAndPrintsBothVariables() throws IOException {
        Run run = deploy(bin + ":/usr/bin:/bin");
        assertThat(run.code()).as(run.err()).isZero();
        Matcher token = Pattern.compile("(?m)^CLOUDFLARE_SANDBOX_TOKEN=([0-9a-f]{64})$").matcher(run.out());
        assertThat(token.find()).as(run.out()).isTrue();
        assertThat(run.out()).contains("CLOUDFLARE_SANDBOX_URL=https://cct-sandbox.someone.workers.dev\n");
        assertThat(run.out().lines().toList()).hasSize(2);

        List<String> recorded = Files.readAllLines(calls);
        assertThat(recorded).hasSize(3);
        assertThat(recorded.get(0)).startsWith("npm ci ").contains("cloudflare-worker-");
        assertThat(recorded.subList(1, 3)).containsExactly("npx wrangler deploy", "npx wrangler secret put CLOUDFLARE_SANDBOX_TOKEN");
        // The token went to wrangler's stdin, and into no command line.
        assertThat(Files.readString(dir.resolve("stdin.txt"))).isEqualTo(token.group(1) + "\n");
        assertThat(String.join("\n", recorded)).doesNotContain(token.group(1)).doesNotContain("old-token");
        assertThat(run.err()).doesNotContain(token.group(1));

        Path project = Path.of(recorded.get(0).replaceAll(".*\\(in (.*)\\)$", "$1"));
        assertThat(project.resolve("package.json")).exists();
        assertThat(project.resolve("package-lock.json")).exists();
        assertThat(project).startsWith(dir.resolve("cache"));
    }

    @Test
    void everyDeployMakesANewTokenAndASecondOneReusesTheInstalledDependencies() throws IOException {
        String first = deploy(bin + ":/usr/bin:/bin").out();
        String second = deploy(bin + ":/usr/bin:/bin").out();
        assertThat(first).isNotEqualTo(second);
        assertThat(Files.readAllLines(calls)).filteredOn(line -> line.startsWith("npm ci")).hasSize(1);
    }

    @Test
    void withoutNodeItSaysWhatToInstallAndExits2() throws IOException {
        Files.delete(bin.resolve("npx"));
        Run run = deploy(bin.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("'npx' was not found on PATH", "install Node.js");
        assertThat(calls).doesNotExist();
    }

    @Test
    void aFailingWranglerIsAProviderFailureWithItsReasonAndTheLoginHint() throws IOException {
        script("npx", "echo 'Not logged in.' >&2; exit 1");
        Run run = deploy(bin + ":/usr/bin:/bin");
        assertThat(run.code()).isEqualTo(3);
        // One line, as every cct error: the tool's reason, the fix, and where to see more.
        assertThat(run.err().lines().filter(line -> line.startsWith("cct:")).toList()).singleElement().asString()
                .contains("wrangler deploy failed (exit 1): Not logged in.", "npx wrangler login", "--verbose");
        assertThat(run.out()).doesNotContain("CLOUDFLARE_SANDBOX_TOKEN=");
    }

    @Test
    void theReasonLineOfAToolsOutputLosesItsColours() {
        String wrangler = "\u001B[31m✘ \u001B[41;31m[\u001B[41;97mERROR\u001B[41;31m]\u001B[0m \u001B[1mset CLOUDFLARE_API_TOKEN\u001B[0m\n\nlogs: x\n";
        ExternalTool.Outcome outcome = new ExternalTool.Outcome(1, ExternalTool.plain(wrangler));
        assertThat(outcome.reason()).isEqualTo("set CLOUDFLARE_API_TOKEN");
        assertThat(new ExternalTool.Outcome(1, "a\nlast words\n\n").reason()).isEqualTo("last words");
    }

    @Test
    void theUrlIsFoundInWranglersOutputOrReportedMissing() {
        assertThat(WorkerDeployer.deployedUrl("Deployed x triggers\n  https://a-b.c-d.workers.dev\n")).contains("https://a-b.c-d.workers.dev");
        assertThat(WorkerDeployer.deployedUrl("Deployed x triggers (0.2 sec)\n  sandbox.example.com/* (zone name: example.com)\n"))
                .isEmpty();
        assertThat(WorkerDeployer.deployedUrl("Deployed x triggers\n  https://sandbox.example.com/\n")).contains("https://sandbox.example.com");
        assertThat(WorkerDeployer.newToken()).matches("[0-9a-f]{64}");
    }

    @Test
    void theHelpSaysTheTokenIsPrintedOnceOnPurpose() {
        Run run = deploy(bin.toString(), "--help");
        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("printed ONCE, on purpose");
    }
}
