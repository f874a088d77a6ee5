package io.sqlgate.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on loopback in front of a database node. It can delay every chunk the node sends back (a slow
 * node) and be stopped and started again on the same port (a node that went away and came back). While the node
 * behind it refuses connections (killed), the relay stops listening too, so that a client is refused as it would
 * be without the relay, and listens again once the node accepts: a relay that accepted and then hung up would
 * turn a dead node into a slow one.
 */
public final class DelayingTcpRelay implements AutoCloseable {
    private static final long TARGET_POLL_MILLIS = 50;

    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile long delayMillis;
    private volatile ServerSocket server;
    /** Whether the relay should be listening: set by start(), cleared by stop(); a refusing target only pauses it. */
    private boolean wanted;
    private int port;

    public DelayingTcpRelay(int targetPort) throws IOException {
        this.targetPort = targetPort;
        start();
    }

    public int port() {
        return port;
    }

    public void delay(long millis) {
        this.delayMillis = millis;
    }

    public synchronized void start() throws IOException {
        wanted = true;
        listen();
    }

    private synchronized void listen() throws IOException {
        if (server != null || !wanted) {
            return;
        }
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        port = socket.getLocalPort();
        server = socket;
        daemon("relay-accept-" + port, () -> accept(socket));
    }

    /** Closes the listening socket and every relayed connection: the node looks gone. */
    public synchronized void stop() throws IOException {
        wanted = false;
        closeListener();
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
    }

    private synchronized void closeListener() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                return; // closed by stop(), or paused while the target refuses
            }
            try {
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream, false);
                pump(upstream, client, true);
            } catch (ConnectException e) {
                closeQuietly(client);
                pauseWhileTargetRefuses(socket);
                return;
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pauseWhileTargetRefuses(ServerSocket socket) {
        synchronized (this) {
            if (server != socket) {
                return;
            }
            try {
                closeListener();
            } catch (IOException ignored) {
                // closed already
            }
        }
        daemon("relay-await-" + port, () -> {
            while (true) {
                synchronized (this) {
                    if (!wanted || server != null) {
                        return;
                    }
                }
                try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
                    listen();
                    return;
                } catch (IOException refused) {
                    try {
                        Thread.sleep(TARGET_POLL_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        });
    }

    private void pump(Socket from, Socket to, boolean delayed) {
        daemon("relay-" + port, () -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    long delay = delayMillis;
                    if (delayed && delay > 0) {
                        Thread.sleep(delay);
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void closeQuietly(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
