package dev.cct.sandbox.e2b;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessSpecTest {

    private static String json(ProcessSpec spec) {
        return new String(spec.startRequest(), StandardCharsets.UTF_8);
    }

    @Test
    void theStartRequestAsTheSdkSendsIt() {
        ProcessSpec spec = new ProcessSpec("/bin/bash", List.of("-l", "-c", "echo hi && exit 3"), Map.of("FOO", "bar"),
                "/home/user", null, null, Envd.USER);
        assertThat(json(spec)).isEqualTo("{\"process\":{\"cmd\":\"/bin/bash\",\"args\":[\"-l\",\"-c\",\"echo hi && exit 3\"],"
                + "\"envs\":{\"FOO\":\"bar\"},\"cwd\":\"/home/user\"},\"stdin\":false}");
    }

    @Test
    void emptyEnvsAndCwdAreOmittedAndStdinIsAlwaysFalse() {
        assertThat(json(new ProcessSpec("ls", List.of(), Map.of(), "", null, null, Envd.USER)))
                .isEqualTo("{\"process\":{\"cmd\":\"ls\",\"args\":[]},\"stdin\":false}");
        assertThat(json(new ProcessSpec("ls", List.of(), null, null, null, Duration.ofSeconds(5), Envd.ROOT)))
                .isEqualTo("{\"process\":{\"cmd\":\"ls\",\"args\":[]},\"stdin\":false}");
    }

    @Test
    void theTagSitsBesideTheProcess() {
        assertThat(json(new ProcessSpec("ls", List.of("-la"), null, null, "cct-run-1", null, Envd.USER)))
                .isEqualTo("{\"process\":{\"cmd\":\"ls\",\"args\":[\"-la\"]},\"stdin\":false,\"tag\":\"cct-run-1\"}");
    }

    @Test
    void specialCharactersAreJsonEscaped() {
        Map<String, String> envs = new LinkedHashMap<>();
        envs.put("A", "x\"y\\z\n");
        envs.put("B", "é");
        assertThat(json(new ProcessSpec("sh", List.of("-c", "echo \"$A\""), envs, null, null, null, Envd.USER)))
                .isEqualTo("{\"process\":{\"cmd\":\"sh\",\"args\":[\"-c\",\"echo \\\"$A\\\"\"],"
                        + "\"envs\":{\"A\":\"x\\\"y\\\\z\\n\",\"B\":\"é\"}},\"stdin\":false}");
    }

    @Test
    void toStringNamesVariablesButNeverTheirValuesNorTheArguments() {
        ProcessSpec spec = new ProcessSpec("/usr/local/bin/claude", List.of("-p", "secret prompt"),
                Map.of("ANTHROPIC_API_KEY", "sk-ant-very-secret"), "/home/user/work", "t", null, Envd.USER);
        assertThat(spec.toString()).contains("ANTHROPIC_API_KEY", "2 arg(s)")
                .doesNotContain("sk-ant-very-secret").doesNotContain("secret prompt");
        assertThat(spec.shortName()).isEqualTo("claude");
        assertThat(new ProcessSpec("tar", List.of(), null, null, null, null, Envd.USER).toString()).contains("envs=[]");
    }
}
