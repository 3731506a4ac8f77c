package dev.cct.testing.e2b;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@link FakeE2b} as a process, for manual use and the benchmarks:
 * {@code FakeE2bMain [--port N] [--path DIR]...}. Prints {@code E2B_API_URL=http://127.0.0.1:PORT}
 * once it listens and serves until killed. The API key comes from {@code FAKE_E2B_API_KEY}
 * (default {@code e2b_fake_key}); sandbox folders live in a temporary folder removed at exit.
 */
public final class FakeE2bMain {
    private FakeE2bMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = 0;
        java.time.Duration latency = java.time.Duration.ZERO;
        List<Path> path = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                port = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--latency-ms") && i + 1 < args.length) {
                latency = java.time.Duration.ofMillis(Long.parseLong(args[++i]));
            } else if (args[i].equals("--path") && i + 1 < args.length) {
                path.add(Path.of(args[++i]).toAbsolutePath());
            } else {
                System.err.println("usage: FakeE2bMain [--port N] [--latency-ms N] [--path DIR]...");
                System.exit(2);
            }
        }
        String key = System.getenv().getOrDefault("FAKE_E2B_API_KEY", "e2b_fake_key");
        Path root = Files.createTempDirectory("fake-e2b-");
        FakeE2b fake = FakeE2b.start(root, key, port).withPath(path).withLatency(latency);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            fake.close();
            root.toFile().delete();
        }));
        System.out.println("E2B_API_URL=" + fake.apiUrl());
        System.out.flush();
        Thread.currentThread().join();
    }
}
