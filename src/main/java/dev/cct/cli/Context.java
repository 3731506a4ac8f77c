package dev.cct.cli;

import dev.cct.catalog.Catalog;
import dev.cct.core.Environment;
import dev.cct.core.MaskingWriter;
import dev.cct.core.Secrets;
import dev.cct.run.Pipeline;
import dev.cct.ui.Ui;
import java.io.PrintWriter;

/** What every command shares: the streams, the world cct runs in, and lazily built services. */
public final class Context {
    final PrintWriter out;
    final PrintWriter err;
    final Environment environment;
    final boolean terminal;
    boolean verbose;
    private Secrets secrets;
    private Catalog catalog;

    private Secrets fromEnvironment;

    /** Both streams mask every secret cct knows of, whatever writes to them. */
    Context(PrintWriter out, PrintWriter err, Environment environment, boolean terminal) {
        this.out = new PrintWriter(new MaskingWriter(out, this::mask), true);
        this.err = new PrintWriter(new MaskingWriter(err, this::mask), true);
        this.environment = environment;
        this.terminal = terminal;
    }

    Ui ui(DisplayOptions display) {
        verbose = display.verbose;
        boolean color = terminal && !display.noColor && environment.get("NO_COLOR") == null
                && !"dumb".equals(environment.get("TERM"));
        return new Ui(out, err, color, terminal && !environment.isCi(), display.quiet, display.verbose);
    }

    Secrets loadSecrets() {
        if (secrets == null) {
            secrets = Secrets.load(environment);
        }
        return secrets;
    }

    Catalog catalog() {
        if (catalog == null) {
            catalog = Catalog.standard(environment);
        }
        return catalog;
    }

    Pipeline pipeline() {
        return Pipeline.create(environment);
    }

    /** Scrubs secrets from a message, even when .env could not be read. */
    synchronized String mask(String message) {
        if (secrets != null) {
            return secrets.mask(message);
        }
        if (fromEnvironment == null) {
            fromEnvironment = Secrets.of(java.util.Map.of());
            for (String name : Secrets.SECRET_NAMES) {
                fromEnvironment.addMasked(environment.get(name));
            }
        }
        return fromEnvironment.mask(message);
    }
}
