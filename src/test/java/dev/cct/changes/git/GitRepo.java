package dev.cct.changes.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cct.testing.Needs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The git binary, to make repositories and to check what JGit wrote as git itself reads it. */
final class GitRepo {
    private GitRepo() {
    }

    static void requireGit() {
        String problem = null;
        try {
            Process p = new ProcessBuilder("git", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                problem = "git --version failed";
            }
        } catch (IOException e) {
            problem = "git is not installed";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted";
        }
        Needs.GIT.check(problem);
    }

    static Path init(Path root) throws Exception {
        requireGit();
        Files.createDirectories(root);
        git(root, "init", "-q", "-b", "main");
        git(root, "config", "user.name", "Test User");
        git(root, "config", "user.email", "test@example.invalid");
        return root;
    }

    static String git(Path where, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", where.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        builder.environment().remove("GIT_DIR");
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("git " + String.join(" ", args) + ": " + text).isZero();
        return text;
    }

    static void write(Path root, String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
