package dev.cct.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** cct's version, read from the build's resource without loading anything else. */
public final class Version {
    private Version() {
    }

    public static String version() {
        Properties properties = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/dev/cct/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return properties.getProperty("version", "unknown");
    }

    public static String line() {
        return "cct " + version() + " (Java " + Runtime.version().feature() + ")";
    }
}
