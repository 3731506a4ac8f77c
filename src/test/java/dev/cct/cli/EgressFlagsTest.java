package dev.cct.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cct.core.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** --egress, --allow-host, --allow-preset and --keys-outside, as a user types them. */
class EgressFlagsTest {
    private static final String KEY = "sk-ant-egress-secret-5678";

    @TempDir
    Path dir;

    private CliRunner cli(Map<String, String> variables) {
        CliRunner cli = new CliRunner(dir).env("ANTHROPIC_API_KEY", KEY);
        variables.forEach(cli::env);
        return cli;
    }

    static Stream<Arguments> badFlags() {
        Map<String, String> docker = Map.of();
        Map<String, String> e2b = Map.of("E2B_API_KEY", "e2b_k");
        Map<String, String> cloudflare = Map.of("CLOUDFLARE_SANDBOX_URL", "https://w.example.dev", "CLOUDFLARE_SANDBOX_TOKEN", "t");
        return Stream.of(
                Arguments.of("unknown mode", docker, List.of("--sandbox", "docker", "--egress", "wide"),
                        "invalid --egress 'wide' (use open, allowlist or none)"),
                Arguments.of("host without allowlist", docker, List.of("--sandbox", "docker", "--allow-host", "x"),
                        "--allow-host and --allow-preset need --egress allowlist"),
                Arguments.of("preset without allowlist", docker, List.of("--sandbox", "docker", "--egress", "open", "--allow-preset", "npm"),
                        "--allow-host and --allow-preset need --egress allowlist"),
                Arguments.of("host with none", docker, List.of("--sandbox", "docker", "--egress", "none", "--allow-host", "a.com"),
                        "--egress none allows no host but Claude's API"),
                Arguments.of("unknown preset", docker, List.of("--sandbox", "docker", "--egress", "allowlist", "--allow-preset", "nope"),
                        "unknown --allow-preset 'nope' (known: crates, github, go, maven, npm, pypi)"),
                Arguments.of("host with a scheme", docker, List.of("--sandbox", "docker", "--egress", "allowlist", "--allow-host", "http://a.com"),
                        "invalid --allow-host 'http://a.com'"),
                Arguments.of("bad host among good ones", docker, List.of("--sandbox", "docker", "--egress", "allowlist",
                        "--allow-host", "a.com,a.*.com"), "invalid --allow-host 'a.*.com'"),
                Arguments.of("keys outside on e2b", e2b, List.of("--sandbox", "e2b", "--keys-outside"),
                        "--keys-outside applies to --sandbox docker only"),
                Arguments.of("keys outside on cloudflare", cloudflare, List.of("--sandbox", "cloudflare", "--keys-outside"),
                        "--keys-outside applies to --sandbox docker only"),
                Arguments.of("allowlist with host network", docker, List.of("--sandbox", "docker", "--egress", "allowlist", "--network", "host"),
                        "--network host and --egress allowlist both decide the network"),
                Arguments.of("keys outside with a base URL not http", Map.of("ANTHROPIC_BASE_URL", "ftp://model.test/"),
                        List.of("--sandbox", "docker", "--keys-outside"), "ANTHROPIC_BASE_URL must be an http or https URL"));
    }

    /** Refused alike by the run and its --dry-run, before anything exists, with one line that never shows the key. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badFlags")
    void aBadEgressFlagIsOneLineExitTwoAndCreatesNothing(String name, Map<String, String> variables, List<String> args,
                                                        String problem) {
        String firstLine = null;
        for (boolean dryRun : new boolean[] {false, true}) {
            List<String> before = CliRunner.filesUnder(dir);
            List<String> argv = new ArrayList<>(args);
            argv.addAll(List.of("--prompt", "x"));
            if (dryRun) {
                argv.add("--dry-run");
            }
            CliRunner.Result result = cli(variables).run(argv.toArray(String[]::new));

            assertThat(result.code()).as(dryRun + ": " + result.err()).isEqualTo(2);
            // Offline, a bundled copy standing in for upstream's is said on its own line before the problem.
            List<String> problems = result.err().lines().filter(l -> !l.startsWith("warning: used the bundled offline cop")).toList();
            assertThat(problems).as(result.err()).hasSize(1);
            assertThat(problems.get(0)).startsWith("cct: ").contains(problem);
            assertThat(result.err()).doesNotContain(KEY);
            assertThat(result.out()).isEmpty();
            assertThat(CliRunner.filesUnder(dir)).isEqualTo(before);
            if (firstLine == null) {
                firstLine = problems.get(0);
            } else {
                assertThat(problems.get(0)).isEqualTo(firstLine);
            }
        }
    }

    private static final List<String> ALLOWLIST = List.of("--sandbox", "docker", "--egress", "allowlist",
            "--allow-host", "*.example.com", "--allow-preset", "npm", "--prompt", "x", "--dry-run");

    private CliRunner.Result dryRun(Map<String, String> variables, List<String> args, String... more) {
        List<String> argv = new ArrayList<>(args);
        argv.addAll(List.of(more));
        CliRunner.Result result = cli(variables).run(argv.toArray(String[]::new));
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out() + result.err()).doesNotContain(KEY);
        assertThat(CliRunner.filesUnder(dir)).isEmpty();
        return result;
    }

    private static String line(String plan, String label) {
        return plan.lines().filter(l -> l.startsWith("  " + label + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + label + " line in:\n" + plan));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    @Test
    void theTextPlanOfAnAllowlistNamesEveryHostAndTheKeyKeptOutside() {
        String plan = dryRun(Map.of(), ALLOWLIST).out();
        assertThat(line(plan, "egress")).endsWith("allowlist: api.anthropic.com, registry.npmjs.org, registry.yarnpkg.com, "
                + "*.example.com on ports 80 and 443");
        assertThat(line(plan, "provider")).contains("egress allowlist", "keys outside");
        assertThat(line(plan, "credentials")).contains("ANTHROPIC_API_KEY", "kept outside the sandbox");
    }

    @Test
    void theJsonPlanOfAnAllowlistCarriesThePolicy() throws Exception {
        JsonNode plan = Json.mapper().readTree(dryRun(Map.of(), ALLOWLIST, "--output-format", "json").out());
        JsonNode egress = plan.path("egress");
        assertThat(egress.path("policy").asText()).isEqualTo("allowlist");
        assertThat(texts(egress.path("hosts"))).containsExactly("api.anthropic.com", "registry.npmjs.org",
                "registry.yarnpkg.com", "*.example.com");
        assertThat(egress.path("keysOutside").isBoolean()).isTrue();
        assertThat(egress.path("keysOutside").asBoolean()).isTrue();
    }

    @Test
    void claudesHostInThePlanIsTheBaseUrls() throws Exception {
        Map<String, String> base = Map.of("ANTHROPIC_BASE_URL", "http://model.test:8000");
        assertThat(line(dryRun(base, ALLOWLIST).out(), "egress")).contains("allowlist: model.test, registry.npmjs.org")
                .doesNotContain("api.anthropic.com");
        JsonNode plan = Json.mapper().readTree(dryRun(base, ALLOWLIST, "--output-format", "json").out());
        assertThat(texts(plan.path("egress").path("hosts"))).first().isEqualTo("model.test");
    }

    @Test
    void aPresetAndHostsGivenSeveralTimesOrCommaSeparatedAreOneList() throws Exception {
        JsonNode plan = Json.mapper().readTree(dryRun(Map.of(), List.of("--sandbox", "docker", "--egress", "ALLOWLIST",
                "--allow-host", "B.com,a.com", "--allow-host", "b.com", "--allow-preset", "go,npm", "--prompt", "x",
                "--dry-run", "--output-format", "json")).out());
        assertThat(texts(plan.path("egress").path("hosts"))).containsExactly("api.anthropic.com", "proxy.golang.org",
                "sum.golang.org", "registry.npmjs.org", "registry.yarnpkg.com", "b.com", "a.com");
    }

    @Test
    void theE2bPlanOfNoneAllowsOnlyClaudesHost() throws Exception {
        Map<String, String> e2b = Map.of("E2B_API_KEY", "e2b_k");
        List<String> args = List.of("--sandbox", "e2b", "--egress", "none", "--prompt", "x", "--dry-run");
        String text = dryRun(e2b, args).out();
        assertThat(line(text, "egress")).endsWith("none: api.anthropic.com on ports 80 and 443");
        assertThat(text).doesNotContain("kept outside").doesNotContain("e2b_k");

        JsonNode plan = Json.mapper().readTree(dryRun(e2b, args, "--output-format", "json").out());
        assertThat(plan.path("provider").asText()).isEqualTo("e2b");
        assertThat(plan.path("egress").path("policy").asText()).isEqualTo("none");
        assertThat(texts(plan.path("egress").path("hosts"))).containsExactly("api.anthropic.com");
        assertThat(plan.path("egress").path("keysOutside").asBoolean(true)).isFalse();
    }

    @Test
    void theDockerPlanOfOpenHasNoGatewayAndTheKeyInside() throws Exception {
        List<String> args = List.of("--sandbox", "docker", "--prompt", "x", "--dry-run");
        for (List<String> flags : List.of(List.<String>of(), List.of("--egress", "open"), List.of("--egress", "Open"))) {
            List<String> argv = new ArrayList<>(args);
            argv.addAll(flags);
            String text = dryRun(Map.of(), argv).out();
            assertThat(line(text, "egress")).as(flags.toString()).endsWith("open (any host)");
            assertThat(text).as(flags.toString()).doesNotContain("gateway").doesNotContain("kept outside")
                    .doesNotContain("keys outside");

            JsonNode plan = Json.mapper().readTree(dryRun(Map.of(), argv, "--output-format", "json").out());
            assertThat(plan.path("egress").path("policy").asText()).isEqualTo("open");
            assertThat(plan.path("egress").path("hosts").isArray()).isTrue();
            assertThat(plan.path("egress").path("hosts")).isEmpty();
            assertThat(plan.path("egress").path("keysOutside").isBoolean()).isTrue();
            assertThat(plan.path("egress").path("keysOutside").asBoolean()).isFalse();
            assertThat(plan.path("options").has("egress")).isFalse();
            assertThat(plan.path("options").has("keys")).isFalse();
        }
    }

    @Test
    void theDockerPlanOfOpenWithTheKeyOutsideSaysSo() throws Exception {
        List<String> args = List.of("--sandbox", "docker", "--keys-outside", "--prompt", "x", "--dry-run");
        String text = dryRun(Map.of(), args).out();
        assertThat(line(text, "egress")).endsWith("open (any host)");
        assertThat(line(text, "credentials")).contains("kept outside the sandbox: a gateway adds it");

        JsonNode plan = Json.mapper().readTree(dryRun(Map.of(), args, "--output-format", "json").out());
        assertThat(plan.path("egress").path("policy").asText()).isEqualTo("open");
        assertThat(plan.path("egress").path("hosts")).isEmpty();
        assertThat(plan.path("egress").path("keysOutside").asBoolean(false)).isTrue();
    }

    @Test
    void anOauthTokenIsKeptOutsideToo() throws Exception {
        CliRunner cli = new CliRunner(dir).env("CLAUDE_CODE_OAUTH_TOKEN", "oauth-secret-token-42");
        CliRunner.Result result = cli.run("--sandbox", "docker", "--egress", "none", "--prompt", "x", "--dry-run",
                "--output-format", "json");
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out() + result.err()).doesNotContain("oauth-secret-token-42");
        JsonNode egress = Json.mapper().readTree(result.out()).path("egress");
        assertThat(egress.path("policy").asText()).isEqualTo("none");
        assertThat(egress.path("keysOutside").asBoolean(false)).isTrue();
    }
}
