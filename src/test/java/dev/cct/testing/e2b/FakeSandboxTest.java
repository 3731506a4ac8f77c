package dev.cct.testing.e2b;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the fake maps sandbox paths onto a sandbox's folder. */
class FakeSandboxTest {

    @TempDir
    Path root;

    private FakeSandbox sandbox(List<Path> pathPrefix) throws Exception {
        return new FakeSandbox("iabc", "base", "token", Map.of(), Map.of(), FakeSandbox.Network.NONE, Instant.now().plusSeconds(60),
                root.resolve("home/alice/iabc"), pathPrefix);
    }

    @Test
    void pathsResolveUnderTheSandboxFolderWhichPlaysRoot() throws Exception {
        FakeSandbox s = sandbox(List.of());
        Path dir = s.dir;
        assertThat(s.resolve("", "user")).isEqualTo(dir.resolve("home/user"));
        assertThat(s.resolve("a/b.txt", "user")).isEqualTo(dir.resolve("home/user/a/b.txt"));
        assertThat(s.resolve("a.txt", "root")).isEqualTo(dir.resolve("root/a.txt"));
        assertThat(s.resolve("/home/user/x", "root")).isEqualTo(dir.resolve("home/user/x"));
        assertThat(s.resolve("/etc/hosts", "user")).isEqualTo(dir.resolve("etc/hosts"));
        assertThat(s.resolve(dir.resolve("tmp/t").toString(), "user")).isEqualTo(dir.resolve("tmp/t"));
        assertThat(s.resolve("/../../x", "user")).isEqualTo(dir.resolve("x"));
        assertThat(s.resolve("../../../../x", "user")).isEqualTo(dir.resolve("x"));
        assertThat(s.virtualPath(dir.resolve("home/user/a.txt"))).isEqualTo("/home/user/a.txt");
    }

    @Test
    void homePathsInCommandTextAreRewrittenButHostPathsAndLongerNamesAreNot() throws Exception {
        FakeSandbox s = sandbox(List.of());
        String home = s.dir.resolve("home/user").toString();
        assertThat(s.rewriteHomes("cd /home/user/work && cat '/home/user' \"/home/user\"/x"))
                .isEqualTo("cd " + home + "/work && cat '" + home + "' \"" + home + "\"/x");
        assertThat(s.rewriteHomes("/var/home/user /homely ~/home/user")).isEqualTo("/var/home/user /homely ~/home/user");
        String hostPath = s.dir.resolve("home/user/f").toString();
        assertThat(s.rewriteHomes(hostPath)).isEqualTo(hostPath);
    }

    @Test
    void aTemplatePathGoesIntoTheEnvironmentAndTheLoginProfile(@TempDir Path bin) throws Exception {
        FakeSandbox s = sandbox(List.of(bin));
        assertThat(s.path()).isEqualTo(bin + ":" + FakeSandbox.BASE_PATH);
        assertThat(Files.readString(s.dir.resolve("home/user/.profile"))).contains("export PATH='" + bin + "':\"$PATH\"");
        assertThat(sandbox(List.of()).path()).isEqualTo(FakeSandbox.BASE_PATH);
    }
}
