package io.rtmprouter.bench;

import java.net.URI;

/** rtmp://host[:port]/app/stream, split as RTMP clients split it: the first path segment is the app. */
public record RtmpUrl(String host, int port, String app, String stream) {
    public static final int DEFAULT_PORT = 1935;

    public static RtmpUrl parse(String text) {
        URI u;
        try {
            u = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL: " + e.getMessage());
        }
        if (!"rtmp".equals(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException("'" + text + "' is not an rtmp://host/app/stream URL");
        }
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        int slash = path.indexOf('/', 1);
        if (path.length() < 2 || slash < 0 || slash == path.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' names no app and stream (rtmp://host/app/stream)");
        }
        return new RtmpUrl(u.getHost(), u.getPort() < 0 ? DEFAULT_PORT : u.getPort(), path.substring(1, slash),
                path.substring(slash + 1));
    }

    /** What the connect command's tcUrl says: the URL up to the app. */
    public String tcUrl() {
        return "rtmp://" + host + ":" + port + "/" + app;
    }

    @Override
    public String toString() {
        return tcUrl() + "/" + stream;
    }
}
