package dev.cct.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cct.testing.GitCli;
import dev.cct.testing.Scenario;
import dev.cct.testing.Turn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A user's repository for the change tests: a commit, an uncommitted edit, an untracked file, an ignored file and a
 * .env; and the change Claude makes to it (a modification, a deletion, a rename, a binary file, an executable file),
 * with the tree that change must give, made here by hand.
 */
final class ChangeRepository {
    static final String SECRET = "dotenv-secret-value-0002";
    static final String EDIT_UPLOADED = "one\ntwo\nthree\nfour (uncommitted)\n";
    static final String EDIT_CHANGED = "one\nTWO\nthree\nfour (uncommitted)\n";
    static final String TOOL_SH = "#!/bin/sh\necho tool\n";

    final Path root;

    private ChangeRepository(Path root) {
        this.root = root;
    }

    static ChangeRepository create(Path root) throws Exception {
        GitCli.require();
        Files.createDirectories(root);
        ChangeRepository repo = new ChangeRepository(root);
        repo.git("init", "-q", "-b", "main");
        repo.git("config", "user.name", "Test User");
        repo.git("config", "user.email", "test@example.invalid");
        write(root, "README.md", "readme\n");
        write(root, "edit.txt", "one\ntwo\nthree\n");
        write(root, "gone.txt", "to be deleted\n");
        write(root, "old-name.txt", "content that moves\n");
        write(root, "src/keep.txt", "kept as it is\n");
        write(root, ".gitignore", "ignored.log\n");
        repo.git("add", "-A");
        repo.git("commit", "-q", "-m", "first");
        write(root, "edit.txt", EDIT_UPLOADED);
        write(root, "untracked.txt", "not committed yet\n");
        write(root, "ignored.log", "ignored by git\n");
        write(root, ".env", "SOME_TOKEN=" + SECRET + "\n");
        return repo;
    }

    /** What Claude does: one Bash call in its working folder. */
    static Scenario scenario() {
        return Scenario.of(Turn.text("I'll make the changes.").withBash(changeCommand(), "Change the project"),
                Turn.text("Changed the project."));
    }

    /** The same, with the model's answers held back long enough for a test to edit the checkout meanwhile. */
    static Scenario slowScenario(java.time.Duration delay) {
        return scenario().withDelayFrom(0, delay);
    }

    private static String changeCommand() {
        String blob64 = Base64.getEncoder().encodeToString(Scenario.allByteValues());
        return "cd '" + Turn.CWD + "' && sed -i 's/two/TWO/' edit.txt && rm gone.txt && mv old-name.txt new-name.txt"
                + " && mkdir -p data && printf '%s' '" + blob64 + "' | base64 -d > data/blob.bin"
                + " && printf '#!/bin/sh\\necho tool\\n' > tool.sh && chmod +x tool.sh";
    }

    /** The uploaded files after Claude's change: path to content, and the executable ones. */
    static Map<String, byte[]> expectedTree() {
        Map<String, byte[]> tree = new TreeMap<>();
        tree.put(".gitignore", bytes("ignored.log\n"));
        tree.put("README.md", bytes("readme\n"));
        tree.put("edit.txt", bytes(EDIT_CHANGED));
        tree.put("new-name.txt", bytes("content that moves\n"));
        tree.put("src/keep.txt", bytes("kept as it is\n"));
        tree.put("untracked.txt", bytes("not committed yet\n"));
        tree.put("data/blob.bin", Scenario.allByteValues());
        tree.put("tool.sh", bytes(TOOL_SH));
        return tree;
    }

    static final List<String> EXPECTED_NAME_STATUS = List.of("A\tdata/blob.bin", "M\tedit.txt", "D\tgone.txt",
            "R100\told-name.txt\tnew-name.txt", "A\ttool.sh");

    /** Asserts that {@code folder} holds exactly {@link #expectedTree()} (apart from {@code alsoThere}), modes included. */
    static void assertExpectedTree(Path folder, String... alsoThere) throws IOException {
        Map<String, byte[]> expected = expectedTree();
        Map<String, byte[]> actual = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String relative = folder.relativize(p).toString().replace('\\', '/');
                if (relative.startsWith(".git/") || List.of(alsoThere).contains(relative)) {
                    continue;
                }
                actual.put(relative, Files.readAllBytes(p));
            }
        }
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((path, content) -> assertThat(actual.get(path)).as(path).isEqualTo(content));
        assertThat(Files.getPosixFilePermissions(folder.resolve("tool.sh"))).contains(PosixFilePermission.OWNER_EXECUTE);
        assertThat(Files.getPosixFilePermissions(folder.resolve("edit.txt"))).doesNotContain(PosixFilePermission.OWNER_EXECUTE);
    }

    /** Every file of the checkout with its hash, plus the index and HEAD: what "untouched" means. */
    String snapshot() throws Exception {
        StringBuilder all = new StringBuilder(git("status", "--porcelain", "--untracked-files=all"));
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> files = new ArrayList<>(walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList());
            for (Path p : files) {
                String relative = root.relativize(p).toString();
                boolean gitInternal = relative.startsWith(".git/");
                if (gitInternal && !relative.equals(".git/index") && !relative.equals(".git/HEAD")) {
                    continue;
                }
                all.append(relative).append(' ').append(Files.isExecutable(p)).append(' ')
                        .append(HexFormat.of().formatHex(sha.digest(Files.readAllBytes(p)))).append('\n');
            }
        }
        all.append(git("stash", "list"));
        return all.toString();
    }

    String git(String... args) throws Exception {
        return git(root, args);
    }

    static String git(Path where, String... args) throws Exception {
        return GitCli.git(where, args);
    }

    private static void write(Path root, String path, String content) {
        try {
            Path file = root.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
