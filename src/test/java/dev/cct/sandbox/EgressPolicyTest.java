package dev.cct.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cct.sandbox.EgressPolicy.Mode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EgressPolicyTest {
    private static final List<String> NONE = List.of();

    private static EgressPolicy allowlist(String... hosts) {
        return EgressPolicy.of("allowlist", List.of(hosts), NONE, null);
    }

    @Test
    void modesParseWhateverTheCaseAndSurroundingSpaces() {
        assertThat(EgressPolicy.parseMode("open")).isEqualTo(Mode.OPEN);
        assertThat(EgressPolicy.parseMode("ALLOWLIST")).isEqualTo(Mode.ALLOWLIST);
        assertThat(EgressPolicy.parseMode(" None ")).isEqualTo(Mode.NONE);
        assertThat(Mode.ALLOWLIST.flag()).isEqualTo("allowlist");
    }

    @Test
    void noModeGivenMeansOpenAsBefore() {
        assertThat(EgressPolicy.parseMode(null)).isEqualTo(Mode.OPEN);
        EgressPolicy policy = EgressPolicy.of(null, NONE, NONE, null);
        assertThat(policy.open()).isTrue();
        assertThat(policy.hosts()).isEmpty();
        assertThat(policy).isEqualTo(EgressPolicy.OPEN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"wide", "", "allow-list", "closed"})
    void anUnknownModeIsNamedWithTheValidOnes(String mode) {
        assertThatThrownBy(() -> EgressPolicy.of(mode, NONE, NONE, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid --egress '" + mode + "' (use open, allowlist or none)");
    }

    @Test
    void openRefusesHostsAndPresetsRatherThanIgnoringThem() {
        // Hosts given with open would suggest a restriction that nothing keeps.
        assertThatThrownBy(() -> EgressPolicy.of("open", List.of("a.com"), NONE, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need --egress allowlist");
        assertThatThrownBy(() -> EgressPolicy.of(null, List.of("a.com"), NONE, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need --egress allowlist");
        assertThatThrownBy(() -> EgressPolicy.of(null, NONE, List.of("npm"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--allow-preset");
    }

    @Test
    void noneRefusesHostsAndPresets() {
        assertThatThrownBy(() -> EgressPolicy.of("none", List.of("a.com"), NONE, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--egress none").hasMessageContaining("--egress allowlist");
        assertThatThrownBy(() -> EgressPolicy.of("none", NONE, List.of("npm"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--egress none");
    }

    @Test
    void noneAllowsOnlyClaudesHost() {
        EgressPolicy policy = EgressPolicy.of("none", NONE, NONE, null);
        assertThat(policy.mode()).isEqualTo(Mode.NONE);
        assertThat(policy.hosts()).containsExactly("api.anthropic.com");
    }

    @Test
    void claudesHostComesFirstThenPresetsThenHostsAsGiven() {
        EgressPolicy policy = EgressPolicy.of("allowlist", List.of("b.example.com", "a.example.com"), List.of("pypi"), null);
        assertThat(policy.hosts()).containsExactly(EgressPolicy.CLAUDE_API_HOST, "pypi.org", "files.pythonhosted.org",
                "b.example.com", "a.example.com");
    }

    @Test
    void claudesHostIsTakenFromTheBaseUrlWithoutPortOrPath() {
        assertThat(EgressPolicy.of("none", NONE, NONE, "http://model.test:8000").hosts()).containsExactly("model.test");
        assertThat(EgressPolicy.of("none", NONE, NONE, "https://gw.example.org/proxy/anthropic").hosts())
                .containsExactly("gw.example.org");
        assertThat(EgressPolicy.of("none", NONE, NONE, " https://GW.Example.ORG:8443/v1 ").hosts())
                .containsExactly("gw.example.org");
        assertThat(EgressPolicy.claudeHost("http://10.1.2.3:4000")).isEqualTo("10.1.2.3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "not a url", "model.test", "http://", "::"})
    void aBaseUrlWithoutAHostFallsBackToAnthropicsApi(String baseUrl) {
        assertThat(EgressPolicy.claudeHost(baseUrl)).isEqualTo("api.anthropic.com");
        assertThat(EgressPolicy.of("none", NONE, NONE, baseUrl).hosts()).containsExactly("api.anthropic.com");
    }

    @Test
    void aNullBaseUrlMeansAnthropicsApi() {
        assertThat(EgressPolicy.claudeHost(null)).isEqualTo("api.anthropic.com");
    }

    @Test
    void severalPresetsAddTheirHostsWhetherRepeatedOrCommaSeparated() {
        List<String> separate = EgressPolicy.of("allowlist", NONE, List.of("npm", "github"), null).hosts();
        List<String> joined = EgressPolicy.of("allowlist", NONE, List.of("npm, GitHub"), null).hosts();
        assertThat(separate).isEqualTo(joined).containsExactly("api.anthropic.com", "registry.npmjs.org",
                "registry.yarnpkg.com", "github.com", "api.github.com", "codeload.github.com",
                "objects.githubusercontent.com", "raw.githubusercontent.com");
    }

    @Test
    void everyPresetIsMadeOfValidHosts() {
        for (String preset : EgressPolicy.PRESETS.keySet()) {
            EgressPolicy policy = EgressPolicy.of("allowlist", EgressPolicy.PRESETS.get(preset), NONE, null);
            assertThat(policy.hosts()).as(preset).containsAll(EgressPolicy.PRESETS.get(preset));
        }
    }

    @Test
    void anUnknownPresetIsNamedWithTheKnownOnesSorted() {
        assertThatThrownBy(() -> EgressPolicy.of("allowlist", NONE, List.of("npm,Nope"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown --allow-preset 'Nope' (known: crates, github, go, maven, npm, pypi)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://a.com", "https://a.com/", "a.com:443", "a.com/path", "a b.com", "a.com.", ".a.com",
            "-a.com", "a-.com", "a..com", "*x.com", "a.*.com", "*.*.com", "*", "*.", "a_b.com", "user@a.com", "[::1]"})
    void anInvalidHostIsRefusedWithWhatAHostLooksLike(String host) {
        assertThatThrownBy(() -> allowlist(host))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid --allow-host '" + host.trim() + "'")
                .hasMessageContaining("without scheme or port");
    }

    @Test
    void aHostLongerThanDnsAllowsIsRefused() {
        String label = "a".repeat(63);
        String longest = String.join(".", label, label, label, "a".repeat(61));
        assertThat(longest).hasSize(253);
        assertThat(allowlist(longest).hosts()).contains(longest);
        assertThatThrownBy(() -> allowlist(longest + "a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> allowlist("a".repeat(64) + ".com")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void validHostsAreLoweredAndEmptyPiecesSkipped() {
        EgressPolicy policy = EgressPolicy.of("allowlist", List.of("Registry.Example.COM", " a.com , ,b.com,", "*.CDN.example.net",
                "localhost", "10.0.0.7"), NONE, null);
        assertThat(policy.hosts()).containsExactly("api.anthropic.com", "registry.example.com", "a.com", "b.com",
                "*.cdn.example.net", "localhost", "10.0.0.7");
    }

    @Test
    void duplicatesAreRemovedKeepingTheFirstPlace() {
        EgressPolicy policy = EgressPolicy.of("allowlist", List.of("b.com", "API.anthropic.com", "a.com", "B.com",
                "registry.npmjs.org"), List.of("npm", "npm"), null);
        assertThat(policy.hosts()).containsExactly("api.anthropic.com", "registry.npmjs.org", "registry.yarnpkg.com",
                "b.com", "a.com");
    }

    @Test
    void theHostsCannotBeChangedAfterwards() {
        EgressPolicy policy = allowlist("a.com");
        assertThatThrownBy(() -> policy.hosts().add("evil.test")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void anExactHostAllowsOnlyItself() {
        EgressPolicy policy = allowlist("example.com");
        assertThat(policy.allows("example.com")).isTrue();
        assertThat(policy.allows("EXAMPLE.com")).isTrue();
        assertThat(policy.allows("api.anthropic.com")).isTrue();
        assertThat(policy.allows("www.example.com")).isFalse();
        assertThat(policy.allows("notexample.com")).isFalse();
        assertThat(policy.allows("example.com.evil.test")).isFalse();
        assertThat(policy.allows("evil.test")).isFalse();
    }

    @Test
    void aWildcardAllowsSubdomainsAtAnyDepthButNotTheDomainItself() {
        EgressPolicy policy = allowlist("*.example.com");
        assertThat(policy.allows("a.example.com")).isTrue();
        assertThat(policy.allows("a.b.c.example.com")).isTrue();
        assertThat(policy.allows("CDN.Example.Com")).isTrue();
        assertThat(policy.allows("example.com")).isFalse();
        assertThat(policy.allows("badexample.com")).isFalse();
        assertThat(policy.allows("example.com.evil.test")).isFalse();
    }

    @Test
    void openAllowsEverything() {
        assertThat(EgressPolicy.OPEN.allows("anything.test")).isTrue();
        assertThat(EgressPolicy.OPEN.allows("10.0.0.1")).isTrue();
    }

    @Test
    void noneAllowsNothingButClaudesHost() {
        EgressPolicy policy = EgressPolicy.of("none", NONE, NONE, "https://model.test");
        assertThat(policy.allows("model.test")).isTrue();
        assertThat(policy.allows("api.anthropic.com")).isFalse();
        assertThat(policy.allows("registry.npmjs.org")).isFalse();
    }

    @Test
    void describeSaysTheModeTheHostsAndThePorts() {
        assertThat(EgressPolicy.OPEN.describe()).isEqualTo("open (any host)");
        assertThat(EgressPolicy.of("none", NONE, NONE, null).describe())
                .isEqualTo("none: api.anthropic.com on ports 80 and 443");
        assertThat(allowlist("*.example.com", "a.com").describe())
                .isEqualTo("allowlist: api.anthropic.com, *.example.com, a.com on ports 80 and 443");
    }
}
