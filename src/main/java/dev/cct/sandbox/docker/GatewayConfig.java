package dev.cct.sandbox.docker;

import dev.cct.sandbox.EgressPolicy;
import dev.cct.sandbox.Sandbox;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the gateway container runs with: squid's configuration for the allow-list, nginx's for the credential relay,
 * and how squid's log says what it refused. Squid, not a proxy of cct's own, decides what passes: it is proven,
 * refuses by port and by name, and logs every refusal.
 */
final class GatewayConfig {
    /** The gateway's name on the sandbox's network. */
    static final String ALIAS = "cct-gateway";
    static final int PROXY_PORT = 3128;
    static final int RELAY_PORT = 8080;
    static final String FOLDER = "/etc/cct";
    static final String ACCESS_LOG = "/var/log/cct/access.log";
    static final String READY_LOG = "/var/log/cct/cache.log";
    /** Starts nginx when there is a relay, then squid in the foreground, as the container's only command. */
    static final String START = "set -e; if [ -f " + FOLDER + "/nginx.conf ]; then nginx -c " + FOLDER + "/nginx.conf; fi; "
            + "chown -R proxy:proxy /var/log/cct; exec squid -N -f " + FOLDER + "/squid.conf";
    private static final Pattern IP = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern DENIED = Pattern.compile("\\sTCP_DENIED/\\d+\\s+\\d+\\s+(\\S+)\\s+(\\S+)");

    private GatewayConfig() {
    }

    /** The files written into the gateway before it starts, by path. */
    static Map<String, String> files(EgressPolicy policy, CredentialRelay relay) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(FOLDER + "/squid.conf", squid(policy));
        if (relay != null) {
            files.put(FOLDER + "/nginx.conf", nginx(relay));
        }
        return files;
    }

    /**
     * Only the policy's hosts on 80 and 443, and CONNECT only to 443; with the open policy (a gateway that exists
     * only for the relay) every host. An exact name matches itself; {@code *.example.com} matches its subdomains.
     * No cache: the gateway only decides and logs.
     */
    static String squid(EgressPolicy policy) {
        List<String> names = new ArrayList<>();
        List<String> patterns = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (String host : policy.hosts()) {
            if (IP.matcher(host).matches()) {
                addresses.add(host);
            } else if (host.startsWith("*.")) {
                // Subdomains at any depth, not the domain itself: as E2B and EgressPolicy.allows read a pattern.
                patterns.add("\\." + host.substring(2).replace(".", "\\.") + "$");
            } else {
                names.add(host);
            }
        }
        StringBuilder conf = new StringBuilder();
        conf.append("http_port ").append(PROXY_PORT).append('\n')
                .append("acl SSL_ports port 443\n")
                .append("acl Safe_ports port 80 443\n")
                .append("acl CONNECT method CONNECT\n")
                .append("http_access deny !Safe_ports\n")
                .append("http_access deny CONNECT !SSL_ports\n");
        if (policy.open()) {
            conf.append("http_access allow all\n");
        } else {
            if (!names.isEmpty()) {
                conf.append("acl allowed_names dstdomain ").append(String.join(" ", names)).append('\n')
                        .append("http_access allow allowed_names\n");
            }
            if (!patterns.isEmpty()) {
                conf.append("acl allowed_patterns dstdom_regex -i ").append(String.join(" ", patterns)).append('\n')
                        .append("http_access allow allowed_patterns\n");
            }
            if (!addresses.isEmpty()) {
                conf.append("acl allowed_addresses dst ").append(String.join(" ", addresses)).append('\n')
                        .append("http_access allow allowed_addresses\n");
            }
        }
        conf.append("http_access deny all\n")
                .append("cache deny all\n")
                .append("access_log stdio:").append(ACCESS_LOG).append('\n')
                .append("cache_log ").append(READY_LOG).append('\n')
                .append("pid_filename none\n")
                .append("coredump_dir /tmp\n")
                .append("via off\n")
                .append("forwarded_for delete\n")
                .append("shutdown_lifetime 0 seconds\n");
        return conf.toString();
    }

    /**
     * Claude's API calls arrive in plain HTTP from the sandbox and leave for the real endpoint with the credential
     * added and the placeholder dropped; streamed answers pass unbuffered.
     */
    static String nginx(CredentialRelay relay) {
        URI upstream = relay.upstream();
        String target = upstream.getScheme() + "://" + upstream.getHost() + (upstream.getPort() < 0 ? "" : ":" + upstream.getPort());
        String path = upstream.getRawPath() == null || upstream.getRawPath().isEmpty() ? "/" : upstream.getRawPath();
        String credential = relay.credential().replace("\\", "\\\\").replace("\"", "\\\"");
        String headers = relay.bearer()
                ? "      proxy_set_header Authorization \"Bearer " + credential + "\";\n      proxy_set_header x-api-key \"\";\n"
                : "      proxy_set_header x-api-key \"" + credential + "\";\n      proxy_set_header Authorization \"\";\n";
        return "worker_processes 1;\n"
                + "pid /var/run/cct-nginx.pid;\n"
                + "error_log /var/log/cct/nginx-error.log warn;\n"
                + "events { worker_connections 256; }\n"
                + "http {\n"
                + "  access_log off;\n"
                + "  server {\n"
                + "    listen " + RELAY_PORT + ";\n"
                + "    client_max_body_size 100m;\n"
                + "    location / {\n"
                + "      proxy_pass " + target + (path.endsWith("/") ? path : path + "/") + ";\n"
                + "      proxy_http_version 1.1;\n"
                + "      proxy_set_header Host " + upstream.getHost() + (upstream.getPort() < 0 ? "" : ":" + upstream.getPort()) + ";\n"
                + headers
                + "      proxy_ssl_server_name on;\n"
                + "      proxy_buffering off;\n"
                + "      proxy_request_buffering off;\n"
                + "      proxy_read_timeout 3600s;\n"
                + "      proxy_send_timeout 3600s;\n"
                + "    }\n"
                + "  }\n"
                + "}\n";
    }

    /** The variables every command in the sandbox gets: the proxy, and with a relay Claude's endpoint and placeholder. */
    static Map<String, String> sandboxEnvironment(CredentialRelay relay) {
        Map<String, String> env = new LinkedHashMap<>();
        String proxy = "http://" + ALIAS + ":" + PROXY_PORT;
        for (String name : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")) {
            env.put(name, proxy);
        }
        env.put("NO_PROXY", ALIAS + ",localhost,127.0.0.1");
        env.put("no_proxy", ALIAS + ",localhost,127.0.0.1");
        if (relay != null) {
            env.putAll(relayEnvironment(relay));
        }
        return env;
    }

    /** With the open policy and the key kept outside: only Claude's endpoint and its placeholder, no proxy. */
    static Map<String, String> relayEnvironment(CredentialRelay relay) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ANTHROPIC_BASE_URL", "http://" + ALIAS + ":" + RELAY_PORT);
        env.put(relay.bearer() ? "CLAUDE_CODE_OAUTH_TOKEN" : "ANTHROPIC_API_KEY", CredentialRelay.PLACEHOLDER);
        return env;
    }

    /** What squid's access log says it refused, by target, most first. */
    static List<Sandbox.Blocked> blocked(String accessLog) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String line : accessLog.split("\n")) {
            Matcher m = DENIED.matcher(line);
            if (m.find()) {
                counts.merge(target(m.group(1), m.group(2)), 1, Integer::sum);
            }
        }
        return counts.entrySet().stream()
                .sorted((a, b) -> b.getValue() - a.getValue())
                .map(e -> new Sandbox.Blocked(e.getKey(), e.getValue())).toList();
    }

    /** "evil.example:443" from a CONNECT's target, or host:port from a plain request's URL. */
    private static String target(String method, String url) {
        if (method.equals("CONNECT")) {
            return url;
        }
        try {
            URI uri = URI.create(url);
            if (uri.getHost() != null) {
                int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
                return uri.getHost() + ":" + port;
            }
        } catch (IllegalArgumentException e) {
            // Not a URL: shown as squid wrote it.
        }
        return url;
    }
}
