package io.rtmprouter.rtmpt;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One RTMPT request, read from its path: {@code /open/1}, or {@code /send|idle|close/<id>/<seq>}.
 * Session ids are what {@link SessionIds} makes; anything else in their place is no session.
 *
 * @param sequence the client's request counter; -1 for open
 */
public record RtmptRequest(Command command, String sessionId, long sequence) {
    public enum Command { OPEN, SEND, IDLE, CLOSE }

    private static final Pattern TUNNEL = Pattern.compile("/(send|idle|close)/([A-Za-z0-9_-]{1,64})/(\\d{1,18})");
    /** Flash Player asks for this before tunnelling; Red5 and FMS answer 404, so do we. */
    public static final String FLASH_IDENT = "/fcs/ident2";

    /** The request a path names, or empty when the path is not an RTMPT one (a query string is ignored). */
    public static Optional<RtmptRequest> parse(String uri) {
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        if (path.equals("/open/1")) {
            return Optional.of(new RtmptRequest(Command.OPEN, null, -1));
        }
        Matcher m = TUNNEL.matcher(path);
        if (!m.matches()) {
            return Optional.empty();
        }
        Command c = switch (m.group(1)) {
            case "send" -> Command.SEND;
            case "idle" -> Command.IDLE;
            default -> Command.CLOSE;
        };
        return Optional.of(new RtmptRequest(c, m.group(2), Long.parseLong(m.group(3))));
    }
}
