package dev.cct.testing;

import com.sun.net.httpserver.HttpServer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A host for the egress test to reach or not, run in a container of its own on a network the test made:
 * {@code serve NAME} answers HTTP on ports 80 and 8080 and echoes UDP on 5353; {@code probe ADDRESS} tries both
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
        for (int port : new int[] {80, 8080}) {
            HttpServer server = HttpServer.create(new InetSocketAddress(port), 50);
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
