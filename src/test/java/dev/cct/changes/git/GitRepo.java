package dev.cct.changes.git;

import dev.cct.testing.GitCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The git binary, to make repositories and to check what JGit wrote as git itself reads it. */
final class GitRepo {
    private GitRepo() {
    }

    static void requireGit() {
        GitCli.require();
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
        return GitCli.git(where, args);
    }

    static void write(Path root, String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
