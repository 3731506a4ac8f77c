package dev.cct.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cct.core.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --egress with --sandbox cloudflare: planned like the other providers', no longer refused. */
class CloudflareEgressPlanTest {
    private static final String TOKEN = "cf-egress-plan-token-0123456789";

    @TempDir
    Path dir;

    @Test
    void theDryRunOfACloudflareRunWithAnAllowlistShowsThePolicyInsteadOfRefusingIt() throws Exception {
        CliRunner cli = new CliRunner(dir).env("ANTHROPIC_API_KEY", "sk-ant-egress-test-key-0000")
                .env("CLOUDFLARE_SANDBOX_URL", "https://w.example.dev").env("CLOUDFLARE_SANDBOX_TOKEN", TOKEN);
        CliRunner.Result text = cli.run("--sandbox", "cloudflare", "--egress", "allowlist", "--allow-host", "docs.example.org",
                "--prompt", "x", "--dry-run");
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).contains("egress      allowlist: api.anthropic.com, docs.example.org on ports 80 and 443")
                .doesNotContain(TOKEN);

        CliRunner.Result json = cli.run("--sandbox", "cloudflare", "--egress", "none", "--prompt", "x", "--dry-run",
                "--output-format", "json");
        assertThat(json.code()).as(json.err()).isZero();
        JsonNode plan = Json.mapper().readTree(json.out());
        assertThat(plan.at("/egress/policy").asText()).isEqualTo("none");
        assertThat(plan.at("/egress/hosts/0").asText()).isEqualTo("api.anthropic.com");
        assertThat(plan.at("/options/egress").asText()).startsWith("none: api.anthropic.com");

        CliRunner.Result keys = cli.run("--sandbox", "cloudflare", "--egress", "none", "--keys-outside", "--prompt", "x", "--dry-run");
        assertThat(keys.code()).isEqualTo(2);
        assertThat(keys.err()).contains("--keys-outside applies to --sandbox docker only");
    }
}
