package dev.cct.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cct.core.Json;
import dev.cct.testing.ClaudeCli;
import dev.cct.testing.DockerEngineCheck;
import dev.cct.testing.FakeAnthropic;
import dev.cct.testing.Scenario;
import dev.cct.testing.Turn;
import dev.cct.testing.e2b.FakeE2b;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run continued on another provider: the real Claude Code CLI resumes its session (the model's first request of
 * the continuation carries the first run's conversation) in a workspace that starts with the first run's files.
 * Docker on the real engine, E2B on the fake; both ways, and the continuation of a run that timed out.
 */
class ContinueIT {
    private static final Duration LIMIT = Duration.ofMinutes(6);
    private static final String ANTHROPIC_KEY = "sk-ant-continue-secret-0003";
    private static final String E2B_KEY = "e2b_continue_secret_0003";
    private static final List<String> DOCKER = List.of("--sandbox", "docker", "--network", "host");
    private static final List<String> E2B = List.of("--sandbox", "e2b");
    private static final String FIRST_PROMPT = "write the first file";

    @TempDir
    Path dir;
    @TempDir
    Path sandboxes;
    private FakeE2b e2b;

    @BeforeAll
    static void engine() {
        DockerEngineCheck.requireEngine();
    }

    @BeforeEach
    void fakeE2b() throws Exception {
        Path claude = ClaudeCli.locateOrSkip();
        e2b = FakeE2b.start(sandboxes, E2B_KEY).withPath(List.of(claude.toAbsolutePath().getParent()));
    }

    @AfterEach
    void stop() {
        if (e2b != null) {
            e2b.close();
        }
    }

    private static Turn writeFirst() {
        return Turn.text("Writing the first file.").withBash("cd '" + Turn.CWD + "' && echo first > first.txt", "write first.txt");
    }

    private static Turn writeSecond() {
        return Turn.text("Adding the second file.").withBash(
                "cd '" + Turn.CWD + "' && test -f first.txt && cat first.txt > second.txt && echo second >> second.txt", "write second.txt");
    }

    /** Both runs' turns: the model picks a turn by the assistant messages already in the conversation. */
    private static Scenario bothRuns() {
        return Scenario.of(writeFirst(), Turn.text("Wrote first.txt."), writeSecond(), Turn.text("Wrote second.txt."));
    }

    @Test
    void aDockerRunContinuesOnE2b() throws Exception {
        continueAcross(DOCKER, E2B);
    }

    @Test
    void anE2bRunContinuesOnDocker() throws Exception {
        continueAcross(E2B, DOCKER);
    }

    private void continueAcross(List<String> first, List<String> then) throws Exception {
        try (FakeAnthropic model = FakeAnthropic.start(bothRuns())) {
            CctProcess.Result one = cct(model).run(LIMIT, args(first, "--prompt", FIRST_PROMPT, "--output", "one", "--output-format", "json"));
            assertThat(one.code()).as(one.err()).isZero();
            String runId = Json.mapper().readTree(one.out()).get("runId").asText();
            int firstRunRequests = model.requests().size();

            CctProcess.Result two = cct(model).run(LIMIT, args(then, "--continue", runId.substring(0, 6), "--prompt", "now the second file",
                    "--output", "two", "--output-format", "json"));
            assertThat(two.code()).as(two.err()).isZero();
            assertResumed(model, firstRunRequests);
            assertThat(Files.readString(dir.resolve("two/second.txt"))).isEqualTo("first\nsecond\n");
            assertThat(Files.readString(dir.resolve("two/first.txt"))).isEqualTo("first\n");
            assertThat(two.out() + two.err()).doesNotContain(ANTHROPIC_KEY, E2B_KEY);

            CctProcess.Result list = cct(model).run(LIMIT, "runs", "list", "--json");
            assertThat(list.code()).as(list.err()).isZero();
            JsonNode runs = Json.mapper().readTree(list.out());
            assertThat(runs).hasSize(2);
            assertThat(runs.get(0).get("continues").asText()).isEqualTo(runId);
            assertThat(runs.get(0).get("provider").asText()).isEqualTo(then.get(1));
            assertNoSecretIn(dir.resolve("data"));
        }
        assertThat(e2b.liveSandboxIds()).isEmpty();
    }

    @Test
    void aContinuationAddsItsCommitToTheFirstRunsBranch() throws Exception {
        ChangeRepository repo = ChangeRepository.create(dir.resolve("project"));
        repo.git("add", "-A");
        repo.git("commit", "-q", "-m", "uncommitted work, committed");
        try (FakeAnthropic model = FakeAnthropic.start(bothRuns())) {
            CctProcess.Result one = new CctProcess(repo.root).env("ANTHROPIC_API_KEY", ANTHROPIC_KEY).env("ANTHROPIC_BASE_URL", model.baseUrl())
                    .env("CCT_DATA_DIR", dir.resolve("data").toString())
                    .run(LIMIT, args(DOCKER, "--upload", ".", "--prompt", FIRST_PROMPT, "--branch", "--output-format", "json"));
            assertThat(one.code()).as(one.err()).isZero();
            String branch = Json.mapper().readTree(one.out()).get("changes").get("branch").asText();
            String before = repo.snapshot();
            CctProcess.Result two = cct(model).run(LIMIT, args(E2B, "--continue", "last", "--prompt", "now the second file", "--branch"));
            assertThat(two.code()).as(two.err()).isZero();
            assertThat(repo.git("log", "--format=%s", "-3", branch).lines()).containsExactly("now the second file", FIRST_PROMPT,
                    "uncommitted work, committed");
            assertThat(repo.git("show", branch + ":second.txt")).isEqualTo("first\nsecond\n");
            assertThat(repo.snapshot()).isEqualTo(before);
        }
    }

    @Test
    void aRunThatTimedOutCanBeContinued() throws Exception {
        String runId;
        // The model never answers after the first tool call: the run times out with first.txt written.
        try (FakeAnthropic slow = FakeAnthropic.start(Scenario.of(writeFirst(), Turn.text("too late")).withDelayFrom(1, Duration.ofMinutes(5)))) {
            CctProcess.Result one = cct(slow).run(LIMIT, args(E2B, "--prompt", FIRST_PROMPT, "--output", "one", "--timeout", "25s",
                    "--output-format", "json"));
            assertThat(one.code()).as(one.err()).isEqualTo(124);
            runId = Json.mapper().readTree(one.out()).get("runId").asText();
        }
        // Claude Code records the cut-off request as an assistant message of its own, so the continuation starts at
        // turn 2; writeSecond is also turn 1 (it can be played twice) so as not to depend on that.
        try (FakeAnthropic model = FakeAnthropic.start(Scenario.of(writeFirst(), writeSecond(), writeSecond(),
                Turn.text("Wrote second.txt.")))) {
            CctProcess.Result two = cct(model).run(LIMIT, args(DOCKER, "--continue", "last", "--prompt", "go on", "--output", "two"));
            assertThat(two.code()).as(two.err()).isZero();
            JsonNode request = Json.mapper().readTree(model.requests().get(0));
            assertThat(request.toString()).contains(FIRST_PROMPT, "write first.txt");
            assertThat(dir.resolve("two/second.txt")).as(roles(request) + "\n" + two.err()).exists();
            assertThat(Files.readString(dir.resolve("two/second.txt"))).isEqualTo("first\nsecond\n");
            CctProcess.Result show = cct(model).run(LIMIT, "runs", "show", runId, "--json");
            assertThat(Json.mapper().readTree(show.out()).get("exitCode").asInt()).isEqualTo(124);
        }
    }

    /** The continuation's first request to the model holds the first run's conversation: Claude resumed it. */
    private static void assertResumed(FakeAnthropic model, int firstRunRequests) throws Exception {
        List<String> requests = model.requests();
        assertThat(requests.size()).isGreaterThan(firstRunRequests);
        JsonNode first = Json.mapper().readTree(requests.get(firstRunRequests));
        long assistants = 0;
        for (JsonNode message : first.path("messages")) {
            if ("assistant".equals(message.path("role").asText())) {
                assistants++;
            }
        }
        assertThat(assistants).as(first.toString()).isEqualTo(2);
        assertThat(first.toString()).contains(FIRST_PROMPT, "Wrote first.txt.", "now the second file");
    }

    /** The conversation a request carries, one line per message: for the failure message. */
    private static String roles(JsonNode request) {
        StringBuilder out = new StringBuilder();
        for (JsonNode message : request.path("messages")) {
            out.append(message.path("role").asText()).append(": ");
            for (JsonNode block : message.path("content")) {
                out.append(block.path("type").asText()).append(' ');
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static void assertNoSecretIn(Path data) throws Exception {
        try (Stream<Path> files = Files.walk(data)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(text).as(file.toString()).doesNotContain(ANTHROPIC_KEY, E2B_KEY);
            }
        }
    }

    private CctProcess cct(FakeAnthropic model) {
        return new CctProcess(dir).env("ANTHROPIC_API_KEY", ANTHROPIC_KEY).env("ANTHROPIC_BASE_URL", model.baseUrl())
                .env("E2B_API_KEY", E2B_KEY).env("E2B_API_URL", e2b.apiUrl()).env("E2B_SANDBOX_URL", e2b.sandboxUrl())
                .env("CCT_DATA_DIR", dir.resolve("data").toString());
    }

    private static String[] args(List<String> provider, String... extra) {
        List<String> all = new ArrayList<>(provider);
        all.addAll(List.of(extra));
        return all.toArray(String[]::new);
    }
}
