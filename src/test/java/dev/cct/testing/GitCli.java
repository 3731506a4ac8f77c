package dev.cct.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The git program, which tests use to make repositories and to read what cct wrote as git itself reads it. */
public final class GitCli {
    private GitCli() {
    }

    /** Skips (or fails, where required) when there is no git. */
    public static void require() {
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

    /** Runs git in {@code where}, without the machine's git configuration, and returns what it printed. */
    public static String git(Path where, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", where.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        builder.environment().put("GIT_TERMINAL_PROMPT", "0");
        builder.environment().remove("GIT_DIR");
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("git " + String.join(" ", args) + ": " + text).isZero();
        return text;
    }
}
