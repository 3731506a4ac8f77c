package dev.cct.testing;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A host for the egress test to reach or not, run in a container of its own on a network the test made:
 * {@code serve NAME} answers HTTP on ports 80 and 8080, HTTPS on 443 (a certificate of its own) and echoes UDP on 5353; {@code probe ADDRESS} tries both
 * from another container on that network, to show the host is there for whoever may reach it.
 */
public final class EgressTargetMain {
    private EgressTargetMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("probe")) {
            System.out.println(probe(args[1]));
            return;
        }
        byte[] body = ("target " + args[1] + "\n").getBytes(StandardCharsets.UTF_8);
        List<HttpServer> servers = new ArrayList<>(List.of(HttpServer.create(new InetSocketAddress(80), 50),
                HttpServer.create(new InetSocketAddress(8080), 50)));
        HttpsServer https = HttpsServer.create(new InetSocketAddress(443), 50);
        https.setHttpsConfigurator(new HttpsConfigurator(selfSigned(args[1] + ".test")));
        servers.add(https);
        for (HttpServer server : servers) {
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/", exchange -> {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }
        Thread udp = new Thread(() -> {
            try (DatagramSocket socket = new DatagramSocket(5353)) {
                byte[] buffer = new byte[512];
                while (true) {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    socket.send(new DatagramPacket(packet.getData(), packet.getLength(), packet.getSocketAddress()));
                }
            } catch (Exception e) {
                e.printStackTrace();
            }
        });
        udp.setDaemon(true);
        udp.start();
        System.out.println("listening");
        Thread.currentThread().join();
    }

    /** A TLS context with a certificate for {@code name}, made by the JDK's own keytool: the probe does not verify it. */
    private static SSLContext selfSigned(String name) throws Exception {
        Path store = Files.createTempFile("target", ".p12");
        Files.delete(store);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process made = new ProcessBuilder(keytool, "-genkeypair", "-alias", "target", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=" + name, "-ext", "SAN=dns:" + name, "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit").inheritIO().start();
        if (made.waitFor() != 0) {
            throw new IllegalStateException("keytool failed");
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    private static String probe(String address) {
        String tcp;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, 80), 5000);
            tcp = "tcp ok";
        } catch (Exception e) {
            tcp = "tcp fail";
        }
        String udp;
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(5000);
            byte[] ping = "ping".getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(ping, ping.length, new InetSocketAddress(address, 5353)));
            socket.receive(new DatagramPacket(new byte[512], 512));
            udp = "udp ok";
        } catch (Exception e) {
            udp = "udp fail";
        }
        return tcp + " " + udp;
    }
}
