package dev.cct.cli;

import dev.cct.core.Version;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code cct version}: the same line as {@code cct --version}. */
@Command(name = "version", description = "Print cct's version.")
public final class VersionCommand implements Callable<Integer> {
    private final Context context;

    public VersionCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        context.out.println(Provider.line());
        return 0;
    }

    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {line()};
        }

        static String line() {
            return Version.line();
        }
    }
}
