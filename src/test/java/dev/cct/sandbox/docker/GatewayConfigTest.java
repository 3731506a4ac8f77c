package dev.cct.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cct.sandbox.EgressPolicy;
import dev.cct.sandbox.Sandbox;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GatewayConfigTest {
    private static final String KEY = "sk-ant-api03-real-secret-key";
    private static final String TOKEN = "sk-ant-oat01-real-oauth-token";

    private static EgressPolicy allowlist(String... hosts) {
        return EgressPolicy.of("allowlist", List.of(hosts), List.of(), null);
    }

    private static List<String> lines(String text) {
        return text.lines().toList();
    }

    private static List<String> httpAccess(String conf) {
        return lines(conf).stream().filter(l -> l.startsWith("http_access ")).toList();
    }

    @Test
    void anAllowlistPutsNamesInOneDomainAclAndPatternsInARegexOfSubdomainsOnly() {
        String conf = GatewayConfig.squid(allowlist("registry.npmjs.org", "*.example.com"));
        assertThat(lines(conf)).contains("acl allowed_names dstdomain api.anthropic.com registry.npmjs.org",
                "acl allowed_patterns dstdom_regex -i \\.example\\.com$", "http_access allow allowed_patterns");
        assertThat(lines(conf).stream().filter(l -> l.contains("dstdomain"))).hasSize(1);
        assertThat(conf).doesNotContain("*.").doesNotContain(" .example.com").doesNotContain("allowed_addresses");
    }

    @Test
    void addressesGoInADestinationAclOfTheirOwn() {
        String conf = GatewayConfig.squid(allowlist("10.0.0.7", "a.com", "192.168.1.20"));
        assertThat(lines(conf)).contains("acl allowed_names dstdomain api.anthropic.com a.com",
                "acl allowed_addresses dst 10.0.0.7 192.168.1.20", "http_access allow allowed_addresses");
    }

    @Test
    void onlyAddressesMeansNoDomainAcl() {
        EgressPolicy policy = EgressPolicy.of("none", List.of(), List.of(), "http://10.1.2.3:4000");
        String conf = GatewayConfig.squid(policy);
        assertThat(conf).doesNotContain("dstdomain").doesNotContain("allowed_names");
        assertThat(httpAccess(conf)).containsExactly("http_access deny !Safe_ports", "http_access deny CONNECT !SSL_ports",
                "http_access allow allowed_addresses", "http_access deny all");
    }

    @Test
    void portRulesComeBeforeAnyAllowAndDenyAllComesLast() {
        // Squid takes the first http_access line that matches: an allow before the port rules would let an
        // allowed host be reached on any port.
        String conf = GatewayConfig.squid(allowlist("a.com", "10.0.0.7"));
        assertThat(lines(conf)).contains("acl SSL_ports port 443", "acl Safe_ports port 80 443", "acl CONNECT method CONNECT");
        assertThat(httpAccess(conf)).containsExactly("http_access deny !Safe_ports", "http_access deny CONNECT !SSL_ports",
                "http_access allow allowed_names", "http_access allow allowed_addresses", "http_access deny all");
    }

    @Test
    void everyAclIsDefinedBeforeItIsUsed() {
        List<String> conf = lines(GatewayConfig.squid(allowlist("a.com", "10.0.0.7")));
        for (int i = 0; i < conf.size(); i++) {
            if (conf.get(i).startsWith("http_access ")) {
                for (String word : conf.get(i).substring("http_access ".length()).split(" ")) {
                    String acl = word.replace("!", "");
                    if (acl.equals("allow") || acl.equals("deny") || acl.equals("all")) {
                        continue;
                    }
                    assertThat(conf.subList(0, i)).as(acl).anyMatch(l -> l.startsWith("acl " + acl + " "));
                }
            }
        }
    }

    @Test
    void theGatewayListensLogsAndKeepsNothing() {
        List<String> conf = lines(GatewayConfig.squid(allowlist("a.com")));
        assertThat(conf).contains("http_port 3128", "access_log stdio:" + GatewayConfig.ACCESS_LOG,
                "cache_log " + GatewayConfig.READY_LOG, "cache deny all", "via off", "forwarded_for delete");
    }

    @Test
    void openAllowsEveryHostButKeepsThePortRules() {
        String conf = GatewayConfig.squid(EgressPolicy.OPEN);
        assertThat(httpAccess(conf)).containsExactly("http_access deny !Safe_ports", "http_access deny CONNECT !SSL_ports",
                "http_access allow all", "http_access deny all");
        assertThat(conf).doesNotContain("dstdomain").doesNotContain("allowed_addresses");
    }

    @Test
    void noneAllowsOnlyClaudesHost() {
        String conf = GatewayConfig.squid(EgressPolicy.of("none", List.of(), List.of(), "http://model.test:8000"));
        assertThat(lines(conf)).contains("acl allowed_names dstdomain model.test");
        assertThat(conf).doesNotContain("api.anthropic.com");
        assertThat(lines(conf)).doesNotContain("http_access allow all");
        assertThat(httpAccess(conf)).endsWith("http_access allow allowed_names", "http_access deny all");
    }

    @Test
    void anApiKeyIsSentAsXApiKeyToTheBaseUrl() {
        String conf = GatewayConfig.nginx(CredentialRelay.apiKey("http://model.test:8000", KEY));
        assertThat(lines(conf)).contains("      proxy_set_header x-api-key \"" + KEY + "\";",
                "      proxy_set_header Authorization \"\";",
                "      proxy_pass http://model.test:8000/;",
                "      proxy_set_header Host model.test:8000;",
                "    listen 8080;");
        assertThat(conf).doesNotContain("Bearer").doesNotContain(CredentialRelay.PLACEHOLDER);
    }

    @Test
    void anOauthTokenIsSentAsABearerAndTheKeyHeaderCleared() {
        String conf = GatewayConfig.nginx(CredentialRelay.oauthToken(null, TOKEN));
        assertThat(lines(conf)).contains("      proxy_set_header Authorization \"Bearer " + TOKEN + "\";",
                "      proxy_set_header x-api-key \"\";",
                "      proxy_pass https://api.anthropic.com/;",
                "      proxy_set_header Host api.anthropic.com;",
                "      proxy_ssl_server_name on;");
    }

    @Test
    void theDefaultUpstreamIsAnthropicsApiWhenNoBaseUrlIsSet() {
        assertThat(GatewayConfig.nginx(CredentialRelay.apiKey("  ", KEY)))
                .contains("proxy_pass https://api.anthropic.com/;", "proxy_set_header Host api.anthropic.com;");
        assertThat(CredentialRelay.apiKey(null, KEY).upstream()).hasToString("https://api.anthropic.com");
    }

    @Test
    void aBaseUrlPathIsKeptAsThePrefixOfEveryCall() {
        // Claude Code appends /v1/messages to the base URL, which in the sandbox is the gateway's root.
        assertThat(GatewayConfig.nginx(CredentialRelay.apiKey("https://gw.example.org/proxy/anthropic", KEY)))
                .contains("proxy_pass https://gw.example.org/proxy/anthropic/;", "proxy_set_header Host gw.example.org;");
        assertThat(GatewayConfig.nginx(CredentialRelay.apiKey("https://gw.example.org:8443/proxy/", KEY)))
                .contains("proxy_pass https://gw.example.org:8443/proxy/;", "proxy_set_header Host gw.example.org:8443;");
    }

    /** A credential is written into nginx's file as a literal: anything that could end it or be read as a variable is refused. */
    @Test
    void aCredentialThatCouldEndTheStringOrNameAVariableIsRefused() {
        for (String credential : List.of("ab\"c", "a\\b", "t\"; evil", "key$host", "new\nline", "with space")) {
            assertThatThrownBy(() -> CredentialRelay.apiKey(null, credential)).as(credential)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining(credential);
        }
        assertThat(GatewayConfig.nginx(CredentialRelay.oauthToken(null, "sk-ant-oat01-Ab_9+/=")))
                .contains("proxy_set_header Authorization \"Bearer sk-ant-oat01-Ab_9+/=\";");
    }

    @Test
    void streamedAnswersPassUnbuffered() {
        assertThat(lines(GatewayConfig.nginx(CredentialRelay.apiKey(null, KEY))))
                .contains("      proxy_buffering off;", "      proxy_request_buffering off;", "      proxy_http_version 1.1;");
    }

    @Test
    void filesHoldSquidAloneWithoutARelay() {
        Map<String, String> files = GatewayConfig.files(allowlist("a.com"), null);
        assertThat(files).containsOnlyKeys("/etc/cct/squid.conf");
        assertThat(files.get("/etc/cct/squid.conf")).isEqualTo(GatewayConfig.squid(allowlist("a.com")));
    }

    @Test
    void filesHoldNginxTooWithARelay() {
        CredentialRelay relay = CredentialRelay.apiKey(null, KEY);
        Map<String, String> files = GatewayConfig.files(EgressPolicy.OPEN, relay);
        assertThat(files.keySet()).containsExactly("/etc/cct/squid.conf", "/etc/cct/nginx.conf");
        assertThat(files.get("/etc/cct/nginx.conf")).isEqualTo(GatewayConfig.nginx(relay));
        assertThat(files.get("/etc/cct/squid.conf")).contains("http_access allow all");
        // The start command looks for nginx's file where files() puts it.
        assertThat(GatewayConfig.START).contains("/etc/cct/nginx.conf", "squid -N -f /etc/cct/squid.conf");
    }

    @Test
    void theSandboxGoesThroughTheProxyInEitherCaseButNotForTheGateway() {
        Map<String, String> env = GatewayConfig.sandboxEnvironment(null);
        for (String name : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")) {
            assertThat(env).containsEntry(name, "http://cct-gateway:3128");
        }
        assertThat(env.get("NO_PROXY").split(",")).contains("cct-gateway", "localhost", "127.0.0.1");
        assertThat(env.get("no_proxy")).isEqualTo(env.get("NO_PROXY"));
        assertThat(env).doesNotContainKeys("ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY", "CLAUDE_CODE_OAUTH_TOKEN");
    }

    @Test
    void withARelayTheSandboxGetsThePlaceholderUnderTheKeysName() {
        Map<String, String> env = GatewayConfig.sandboxEnvironment(CredentialRelay.apiKey("http://model.test:8000", KEY));
        assertThat(env).containsEntry("ANTHROPIC_BASE_URL", "http://cct-gateway:8080")
                .containsEntry("ANTHROPIC_API_KEY", CredentialRelay.PLACEHOLDER)
                .containsEntry("HTTPS_PROXY", "http://cct-gateway:3128")
                .doesNotContainKey("CLAUDE_CODE_OAUTH_TOKEN");
        assertThat(env.toString()).doesNotContain(KEY).doesNotContain("model.test");
    }

    @Test
    void withARelayOfATokenTheSandboxGetsThePlaceholderUnderTheTokensName() {
        Map<String, String> env = GatewayConfig.sandboxEnvironment(CredentialRelay.oauthToken(null, TOKEN));
        assertThat(env).containsEntry("CLAUDE_CODE_OAUTH_TOKEN", CredentialRelay.PLACEHOLDER)
                .doesNotContainKey("ANTHROPIC_API_KEY");
        assertThat(env.toString()).doesNotContain(TOKEN);
    }

    @Test
    void theRelayAloneGivesOnlyClaudesEndpointAndThePlaceholder() {
        Map<String, String> key = GatewayConfig.relayEnvironment(CredentialRelay.apiKey(null, KEY));
        assertThat(key).containsExactly(Map.entry("ANTHROPIC_BASE_URL", "http://cct-gateway:8080"),
                Map.entry("ANTHROPIC_API_KEY", CredentialRelay.PLACEHOLDER));
        Map<String, String> token = GatewayConfig.relayEnvironment(CredentialRelay.oauthToken(null, TOKEN));
        assertThat(token).containsExactly(Map.entry("ANTHROPIC_BASE_URL", "http://cct-gateway:8080"),
                Map.entry("CLAUDE_CODE_OAUTH_TOKEN", CredentialRelay.PLACEHOLDER));
    }

    @Test
    void refusalsAreCountedPerTargetMostFirstAndAllowedTrafficIsNot() {
        String log = String.join("\n",
                "1764761230.001    120 172.19.0.3 TCP_TUNNEL/200 5210 CONNECT api.anthropic.com:443 - HIER_DIRECT/160.79.104.10 -",
                "1764761231.100      0 172.19.0.3 TCP_DENIED/403 3922 CONNECT once.test:443 - HIER_NONE/- text/html",
                "1764761232.200      0 172.19.0.3 TCP_DENIED/403 3922 CONNECT blocked.test:443 - HIER_NONE/- text/html",
                "1764761233.300     45 172.19.0.3 TCP_MISS/200 1043 GET http://registry.npmjs.org/left-pad - HIER_DIRECT/104.16.1.35 application/json",
                "1764761234.567      0 172.19.0.3 TCP_DENIED/403 3922 CONNECT blocked.test:443 - HIER_NONE/- text/html",
                "1764761235.000      0 172.19.0.3 TCP_DENIED/403 3910 GET http://plain.test/ - HIER_NONE/- text/html",
                "1764761236.000      0 172.19.0.3 TCP_DENIED/403 3910 GET http://plain.test/index.html - HIER_NONE/- text/html",
                "1764761237.000      0 172.19.0.3 TCP_DENIED/403 3922 CONNECT blocked.test:443 - HIER_NONE/- text/html",
                "1764761238.000      0 172.19.0.3 TCP_DENIED/403 3922 CONNECT allowed.test:22 - HIER_NONE/- text/html",
                "");
        assertThat(GatewayConfig.blocked(log)).containsExactly(new Sandbox.Blocked("blocked.test:443", 3),
                new Sandbox.Blocked("plain.test:80", 2), new Sandbox.Blocked("once.test:443", 1),
                new Sandbox.Blocked("allowed.test:22", 1));
    }

    @Test
    void aPlainRequestsTargetTakesItsPortOrTheSchemesDefault() {
        String log = String.join("\n",
                "1764761234.567      0 172.19.0.3 TCP_DENIED/403 3910 GET http://blocked.test/ - HIER_NONE/- text/html",
                "1764761234.568      0 172.19.0.3 TCP_DENIED/403 3910 GET https://secure.test/x - HIER_NONE/- text/html",
                "1764761234.569      0 172.19.0.3 TCP_DENIED/403 3910 POST http://odd.test:8080/api - HIER_NONE/- text/html");
        assertThat(GatewayConfig.blocked(log)).extracting(Sandbox.Blocked::target)
                .containsExactly("blocked.test:80", "secure.test:443", "odd.test:8080");
    }

    @Test
    void garbageLinesAndAnEmptyLogCountForNothing() {
        assertThat(GatewayConfig.blocked("")).isEmpty();
        String log = String.join("\n",
                "garbage",
                "TCP_DENIED/403",
                "2026/12/03 13:25:24| Accepting HTTP Socket connections at conn3 local=0.0.0.0:3128",
                "1764761234.567      0 172.19.0.3 TCP_DENIED/403 3922 CONNECT blocked.test:443 - HIER_NONE/- text/html\r",
                "\u0000\u0001 binary junk");
        assertThat(GatewayConfig.blocked(log)).containsExactly(new Sandbox.Blocked("blocked.test:443", 1));
    }

    @Test
    void aTargetThatIsNotAUrlIsShownAsSquidWroteIt() {
        String log = "1764761234.567      0 172.19.0.3 TCP_DENIED/400 3910 GET error:invalid-request - HIER_NONE/- text/html";
        assertThat(GatewayConfig.blocked(log)).containsExactly(new Sandbox.Blocked("error:invalid-request", 1));
    }

    @Test
    void aRelaysTextNeverShowsTheCredential() {
        CredentialRelay key = CredentialRelay.apiKey("http://model.test:8000", KEY);
        CredentialRelay token = CredentialRelay.oauthToken(null, TOKEN);
        assertThat(key.toString()).doesNotContain(KEY).contains("model.test", "api key");
        assertThat(token.toString()).doesNotContain(TOKEN).contains("bearer token");
        assertThat(String.valueOf(List.of(key, token))).doesNotContain(KEY).doesNotContain(TOKEN);
    }

    @Test
    void aRelayKnowsItsKindOfCredential() {
        assertThat(CredentialRelay.apiKey(null, KEY).bearer()).isFalse();
        assertThat(CredentialRelay.oauthToken(null, TOKEN).bearer()).isTrue();
        assertThat(CredentialRelay.apiKey(null, KEY).credential()).isEqualTo(KEY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://model.test/", "file:///tmp/socket", "model.test:8000", "unix:/var/run/x.sock", "http:///v1",
            "not a url"})
    void aBaseUrlThatIsNotHttpIsRefused(String baseUrl) {
        assertThatThrownBy(() -> CredentialRelay.apiKey(baseUrl, KEY)).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY));
        assertThatThrownBy(() -> CredentialRelay.oauthToken(baseUrl, TOKEN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRefusalNamesTheVariable() {
        assertThatThrownBy(() -> CredentialRelay.apiKey("ftp://model.test/", KEY))
                .hasMessageContaining("ANTHROPIC_BASE_URL must be an http or https URL");
    }
}
