package dev.cct.sandbox.e2b;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cct.core.CctException;
import dev.cct.core.ExitCode;
import dev.cct.core.Secrets;
import java.util.HashMap;
import java.util.Map;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class E2bConfigTest {
    private static final String KEY = "e2b_0123456789abcdef0123456789abcdef";

    private static E2bConfig config(String... pairs) {
        Map<String, String> values = new HashMap<>();
        values.put(Secrets.E2B_API_KEY, KEY);
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return E2bConfig.from(Secrets.of(values));
    }

    @Test
    void defaults() {
        E2bConfig config = config();
        assertThat(config.apiKey()).isEqualTo(KEY);
        assertThat(config.apiUrl()).isEqualTo(HttpUrl.get("https://api.e2b.app/"));
        assertThat(config.envdUrl("ivy3k2m9q0w8e7r6t5y4u", null)).isEqualTo(HttpUrl.get("https://49983-ivy3k2m9q0w8e7r6t5y4u.e2b.app/"));
        assertThat(config.envdUrl("i1", "")).isEqualTo(HttpUrl.get("https://49983-i1.e2b.app/"));
        assertThat(config.envdUrl("i1", "e2b.dev")).isEqualTo(HttpUrl.get("https://49983-i1.e2b.dev/"));
    }

    @Test
    void theDomainMovesBothPlanes() {
        E2bConfig config = config("E2B_DOMAIN", "e2b.dev");
        assertThat(config.apiUrl()).isEqualTo(HttpUrl.get("https://api.e2b.dev/"));
        assertThat(config.envdUrl("i1", null)).isEqualTo(HttpUrl.get("https://49983-i1.e2b.dev/"));
        assertThat(config("E2B_DOMAIN", "  ").apiUrl()).isEqualTo(HttpUrl.get("https://api.e2b.app/"));
    }

    @Test
    void urlOverridesWin() {
        E2bConfig config = config("E2B_DOMAIN", "e2b.dev", "E2B_API_URL", " http://127.0.0.1:3000 ",
                "E2B_SANDBOX_URL", "http://127.0.0.1:49983");
        assertThat(config.apiUrl()).isEqualTo(HttpUrl.get("http://127.0.0.1:3000/"));
        assertThat(config.envdUrl("i1", "elsewhere.example")).isEqualTo(HttpUrl.get("http://127.0.0.1:49983/"));
    }

    @Test
    void aBadUrlIsBadInput() {
        for (String name : new String[] {"E2B_API_URL", "E2B_SANDBOX_URL"}) {
            assertThatThrownBy(() -> config(name, "ftp://example.org"))
                    .isInstanceOfSatisfying(CctException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT))
                    .hasMessageContaining(name).hasMessageContaining("ftp://example.org");
            assertThatThrownBy(() -> config(name, "not a url")).isInstanceOf(CctException.class);
        }
        assertThatThrownBy(() -> config("E2B_DOMAIN", "bad domain"))
                .isInstanceOfSatisfying(CctException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT));
    }

    @Test
    void aMissingKeyIsBadInput() {
        for (Map<String, String> values : java.util.List.of(Map.<String, String>of(), Map.of(Secrets.E2B_API_KEY, " "))) {
            assertThatThrownBy(() -> E2bConfig.from(Secrets.of(values)))
                    .isInstanceOfSatisfying(CctException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT))
                    .hasMessageContaining("E2B_API_KEY");
        }
    }

    @Test
    void theKeyIsStrippedAndNeverShown() {
        E2bConfig config = E2bConfig.from(Secrets.of(Map.of(Secrets.E2B_API_KEY, " " + KEY + "\n")));
        assertThat(config.apiKey()).isEqualTo(KEY);
        assertThat(config.toString()).doesNotContain(KEY).contains("****", "api.e2b.app");
    }
}
