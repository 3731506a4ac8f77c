package dev.cct.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cct.core.Format;
import dev.cct.sandbox.SandboxLabels;
import dev.cct.testing.ClaudeCli;
import dev.cct.testing.FakeAnthropic;
import dev.cct.testing.Scenario;
import dev.cct.testing.cloudflare.FakeWorker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The built cct program with {@code --sandbox cloudflare} against the Java fake of cct's Worker, which runs the REAL
 * Claude Code CLI (its folder first on the commands' PATH) talking to a scripted fake model on 127.0.0.1.
 */
class CloudflareEndToEndIT extends SandboxEndToEndContract {
    private static final String TOKEN = "cf-e2e-token-5d1c0ffee5d1c0ffee";

    private FakeWorker worker;

    @BeforeEach
    void start() throws Exception {
        Path claude = ClaudeCli.locateOrSkip();
        worker = FakeWorker.start(dir.resolve("worker"), TOKEN).withPath(List.of(claude.getParent()))
                .withHeartbeat(Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.close();
        }
    }

    @Override
    List<String> providerArgs() {
        return List.of("--sandbox", "cloudflare", "--env", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1");
    }

    @Override
    CctProcess withProvider(CctProcess cct) {
        return cct.env("CLOUDFLARE_SANDBOX_URL", worker.url()).env("CLOUDFLARE_SANDBOX_TOKEN", TOKEN);
    }

    @Override
    List<String> leftBehind(CctProcess.Result result) {
        return List.copyOf(worker.liveSandboxIds());
    }

    /** One archive up, one down; the token never shows. */
    @Override
    void afterEveryKindRun(CctProcess.Result result) {
        assertThat(result.err()).doesNotContain(TOKEN);
        assertThat(result.out()).doesNotContain(TOKEN);
        // The upload, the changed files, Claude's transcript: never one request per file.
        assertThat(worker.requests().stream().filter(r -> r.endsWith("/archive")).toList()).hasSize(3);
    }

    @Test
    void aStreamCutMidRunIsSurvivedWithEveryFileRight() throws Exception {
        Scenario scenario = Scenario.filesOfEveryKind();
        // Claude's exec stream drops after a few events, and its first re-attach ends without an exit.
        worker.faults().cutNextStreamAfter(3).endNextStreamAfter(2);
        try (FakeAnthropic model = FakeAnthropic.start(scenario)) {
            CctProcess.Result result = cct(model).run(LIMIT, args("--prompt", "Create files of every kind", "--output", "results"));
            assertThat(result.code()).as(result.err()).isZero();
            assertThat(scenario.verify(dir.resolve("results"))).as(result.err()).isEmpty();
            assertThat(result.out()).contains(Scenario.EVERY_KIND_SUMMARY);
            assertThat(result.err()).containsOnlyOnce("▸ Write hello.py");
            assertThat(worker.faults().allUsed()).isTrue();
            assertThat(worker.requests()).anyMatch(r -> r.endsWith("/events"));
            assertThat(worker.liveSandboxIds()).isEmpty();
        }
    }

    @Override
    String createOrphan() throws Exception {
        return worker.createSandbox(Map.of(SandboxLabels.SESSION, "orphan-test", SandboxLabels.OWNER, SandboxLabels.hostName() + ":999999999:1"));
    }

    @Override
    boolean stillThere(String id) {
        return worker.liveSandboxIds().contains(id);
    }

    @Test
    void sandboxesListAndCleanFindWhatADeadRunLeftOnTheWorker() throws Exception {
        String orphan = createOrphan();
        CctProcess list = new CctProcess(dir).env("CLOUDFLARE_SANDBOX_URL", worker.url())
                .env("CLOUDFLARE_SANDBOX_TOKEN", TOKEN);
        CctProcess.Result listed = list.run(LIMIT, "sandboxes", "list", "--sandbox", "cloudflare");
        assertThat(listed.code()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("cloudflare", Format.shortId(orphan), "(gone)");
        CctProcess.Result cleaned = new CctProcess(dir).env("CLOUDFLARE_SANDBOX_URL", worker.url())
                .env("CLOUDFLARE_SANDBOX_TOKEN", TOKEN).run(LIMIT, "sandboxes", "clean", "--sandbox", "cloudflare");
        assertThat(cleaned.code()).as(cleaned.err()).isZero();
        assertThat(cleaned.out()).contains("removed cloudflare " + Format.shortId(orphan));
        assertThat(worker.liveSandboxIds()).isEmpty();
    }

    @Test
    void aWorkerThatRefusesTheTokenIsAProviderFailureNamingTheFix() throws Exception {
        try (FakeAnthropic model = FakeAnthropic.start(Scenario.simpleWrite())) {
            CctProcess.Result result = cct(model).env("CLOUDFLARE_SANDBOX_TOKEN", "not-the-right-token")
                    .run(LIMIT, args("--prompt", "write hello", "--output", "out"));
            assertThat(result.code()).as(result.err()).isEqualTo(3);
            assertThat(result.err()).contains("refused CLOUDFLARE_SANDBOX_TOKEN").doesNotContain("not-the-right-token");
            assertThat(worker.liveSandboxIds()).isEmpty();
        }
    }
}
