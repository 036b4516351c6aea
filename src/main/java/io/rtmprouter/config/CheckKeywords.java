package io.rtmprouter.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * `option tcp-check`, `option httpchk`, and the `tcp-check` / `http-check` rules of a backend,
 * with HAProxy 2.6's syntax. What rtmp-router does not run (log-format strings, variables,
 * `disable-on-404`, `send-state`, connects after the first rule) is refused.
 */
final class CheckKeywords {
    private static final Set<String> EXPECT_OPTIONS = Set.of("min-recv", "comment", "ok-status", "error-status",
            "tout-status");
    private static final Set<String> TCP_MATCHES = Set.of("string", "rstring", "binary", "rbinary");
    private static final Set<String> HTTP_MATCHES = Set.of("status", "rstatus", "string", "rstring");
    /** HAProxy's default request: `OPTIONS / HTTP/1.0`. */
    static final CheckRule.HttpRequest DEFAULT_REQUEST = new CheckRule.HttpRequest("OPTIONS", "/", "HTTP/1.0",
            List.of(), "");

    /** HAProxy's expect when an HTTP check has none: `http-check expect status 200-399`. */
    static final CheckRule.Expect DEFAULT_HTTP_EXPECT = new CheckRule.Expect(CheckRule.Match.STATUS, false, "200-399",
            null, null, -1, null, CheckStatus.L7OK, null, CheckStatus.L7TOUT, 0);

    /** `option redis-check`, as HAProxy 2.6 builds it: send a PING, expect +PONG, say what else came. */
    static final List<CheckRule> REDIS_RULES = List.of(
            new CheckRule.Send("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.ISO_8859_1), null, 1),
            new CheckRule.Expect(CheckRule.Match.STRING, false, "+PONG\r\n", null,
                    "+PONG\r\n".getBytes(StandardCharsets.ISO_8859_1), -1, null, CheckStatus.L7OK, CheckStatus.L7STS,
                    CheckStatus.L7TOUT, 2, "Redis server is ok", CheckRule.AnswerPart.NONE, null, CheckRule.AnswerPart.LINE,
                    false));

    /**
     * `option pgsql-check user NAME`, as HAProxy 2.6 builds it: a StartupMessage (protocol 3.0,
     * user NAME), no error (`E`) in the answer, whose first message must be an authentication
     * request (`R`: ok, or a password, Kerberos or SCM method): the server is up, whatever it asks.
     */
    static List<CheckRule> pgsqlRules(String user) {
        byte[] name = user.getBytes(StandardCharsets.UTF_8);
        java.nio.ByteBuffer startup = java.nio.ByteBuffer.allocate(15 + name.length);
        startup.putInt(15 + name.length).putInt(0x00030000).put("user".getBytes(StandardCharsets.ISO_8859_1))
                .put((byte) 0).put(name).put((byte) 0).put((byte) 0);
        String auth = "^52000000(08|0A|0C)000000(00|02|03|04|05|06)";
        return List.of(new CheckRule.Send(startup.array(), null, 2),
                new CheckRule.Expect(CheckRule.Match.RSTRING, true, "^E", Pattern.compile("^E"), null, 5, null,
                        CheckStatus.L7OK, CheckStatus.L7RSP, CheckStatus.L7TOUT, 3, null, CheckRule.AnswerPart.NONE,
                        null, CheckRule.AnswerPart.FROM_6, false),
                new CheckRule.Expect(CheckRule.Match.RBINARY, false, auth, Pattern.compile(auth), null, 9, null,
                        CheckStatus.L7OK, CheckStatus.L7STS, CheckStatus.L7TOUT, 4, "PostgreSQL server is ok",
                        CheckRule.AnswerPart.NONE, "PostgreSQL unknown error", CheckRule.AnswerPart.NONE, false));
    }

    /**
     * `option ldap-check`, as HAProxy 2.6 builds it: an anonymous simple bind (LDAPv3, message 1),
     * an answer starting with a BER sequence of at least 14 bytes, then its bindResponse.
     */
    static final List<CheckRule> LDAP_RULES = List.of(
            new CheckRule.Send(HexFormat.of().parseHex("300C020101600702010304008000"), null, 1),
            new CheckRule.Expect(CheckRule.Match.RBINARY, false, "^30", Pattern.compile("^30"), null, 14, null,
                    CheckStatus.L7OK, CheckStatus.L7RSP, CheckStatus.L7TOUT, 2, null, CheckRule.AnswerPart.NONE,
                    "Not LDAPv3 protocol", CheckRule.AnswerPart.NONE, false),
            new CheckRule.LdapBindResponse(3));

    /**
     * `option mysql-check [user NAME [post-41|pre-41]]`, as HAProxy 2.6 builds it: without a user,
     * the server's greeting; with one, a client authentication packet without password and a
     * COM_QUIT written at once, then the greeting and the packet after it (OK, or an error).
     */
    static List<CheckRule> mysqlRules(String user, boolean pre41) {
        if (user == null) {
            return List.of(new CheckRule.MysqlPacket(false, 2));
        }
        byte[] name = user.getBytes(StandardCharsets.UTF_8);
        int length = name.length + (pre41 ? 7 : 34);
        java.io.ByteArrayOutputStream p = new java.io.ByteArrayOutputStream();
        p.write(length & 0xff);
        p.write((length >> 8) & 0xff);
        p.write((length >> 16) & 0xff);
        p.write(1);
        p.writeBytes(HexFormat.of().parseHex(pre41 ? "0080" + "000001"
                : "00820000" + "00800001" + "21" + "00".repeat(23)));
        p.writeBytes(name);
        p.writeBytes(HexFormat.of().parseHex("00" + "00" + "010000" + "00" + "01"));
        return List.of(new CheckRule.Send(p.toByteArray(), null, 2), new CheckRule.MysqlPacket(false, 3),
                new CheckRule.MysqlPacket(true, 4));
    }

    /**
     * `option smtpchk [EHLO|HELO DOMAIN]`, as Debian's HAProxy 2.6 builds it (with the 2.7 fixes it
     * carries, seen on the wire: the whole EHLO reply is matched, and a QUIT ends the
     * transaction): a greeting with a code, a 2xx greeting, the HELO (default `HELO localhost`), a
     * 2xx reply, QUIT, a 2xx reply; the last reply's code and text make the message.
     */
    static List<CheckRule> smtpRules(String hello) {
        return List.of(
                smtpExpect("^[0-9]{3}[ \r]", CheckStatus.L7RSP, CheckRule.AnswerPart.NONE, CheckRule.AnswerPart.LINE,
                        false, 2),
                smtpExpect("^2[0-9]{2}[ \r]", CheckStatus.L7STS, CheckRule.AnswerPart.NONE,
                        CheckRule.AnswerPart.REPLY_TEXT, true, 3),
                new CheckRule.Send((hello + "\r\n").getBytes(StandardCharsets.ISO_8859_1), null, 4),
                smtpExpect("^(2[0-9]{2}-[^\r]*\r\n)*2[0-9]{2}[ \r]", CheckStatus.L7STS, CheckRule.AnswerPart.REPLY_TEXT,
                        CheckRule.AnswerPart.REPLY_TEXT, true, 5),
                new CheckRule.Send("QUIT\r\n".getBytes(StandardCharsets.ISO_8859_1), null, 6),
                smtpExpect("^2[0-9]{2}[- \r]", CheckStatus.L7STS, CheckRule.AnswerPart.REPLY_TEXT,
                        CheckRule.AnswerPart.REPLY_TEXT, true, 7));
    }

    private static CheckRule.Expect smtpExpect(String regex, CheckStatus error, CheckRule.AnswerPart success,
                                               CheckRule.AnswerPart failure, boolean replyCode, int step) {
        return new CheckRule.Expect(CheckRule.Match.RSTRING, false, regex, Pattern.compile(regex), null, 4, null,
                CheckStatus.L7OK, error, CheckStatus.L7TOUT, step, null, success, null, failure, replyCode);
    }

    /**
     * `[no] option tcp-check|httpchk|redis-check|smtpchk|ssl-hello-chk|rtmp-check [ARGS]`: which check the
     * backend's servers run; `no` goes back to a connect check.
     *
     * @param args the words after the option's name
     */
    static void option(ProxyDraft p, String opt, boolean negated, LineWords w, List<String> args, SourceLocation where)
            throws ConfigException {
        if (negated) {
            p.checkKind = null;
            return;
        }
        requireBackend(p, "option " + opt, where);
        switch (opt) {
            case "tcp-check" -> p.checkKind = HealthCheckConfig.Kind.TCP;
            case "redis-check" -> p.checkKind = HealthCheckConfig.Kind.REDIS;
            case "ssl-hello-chk" -> p.checkKind = HealthCheckConfig.Kind.SSL_HELLO;
            case "ldap-check" -> p.checkKind = HealthCheckConfig.Kind.LDAP;
            case "pgsql-check" -> {
                w.readAll();
                if (args.size() > 2) {
                    throw new ConfigException(where, "'option pgsql-check' cannot handle unexpected argument '"
                            + args.get(2) + "'");
                }
                if (args.size() < 2) {
                    throw new ConfigException(where, "'option pgsql-check' expects 'user <username>' as argument");
                }
                if (!args.get(0).equals("user")) {
                    throw new ConfigException(where, "'option pgsql-check' only supports optional values: 'user'");
                }
                p.checkKind = HealthCheckConfig.Kind.PGSQL;
                p.checkUser = args.get(1);
            }
            case "mysql-check" -> {
                w.readAll();
                mysqlCheck(p, args, where);
            }
            case "rtmp-check" -> {
                w.readAll();
                if (args.size() > 1) {
                    throw new ConfigException(where, "'option rtmp-check' takes one application at most, got '"
                            + args.get(1) + "'");
                }
                p.checkKind = HealthCheckConfig.Kind.RTMP;
                p.rtmpCheckApp = args.isEmpty() ? null : args.get(0);
            }
            case "smtpchk" -> {
                w.readAll();
                smtpCheck(p, args, where);
            }
            default -> {
                w.readAll();
                httpchk(p, args, where);
            }
        }
    }

    /** `option mysql-check [user NAME [post-41|pre-41]]`, with HAProxy's errors. */
    private static void mysqlCheck(ProxyDraft p, List<String> args, SourceLocation where) throws ConfigException {
        p.checkKind = HealthCheckConfig.Kind.MYSQL;
        p.checkUser = null;
        p.checkPre41 = false;
        if (args.isEmpty()) {
            return;
        }
        if (args.size() > 3) {
            throw new ConfigException(where, "'option mysql-check' cannot handle unexpected argument '" + args.get(3) + "'");
        }
        if (!args.get(0).equals("user")) {
            throw new ConfigException(where, "'option mysql-check' only supports optional values: 'user' (got '"
                    + args.get(0) + "')");
        }
        if (args.size() < 2 || args.get(1).isEmpty()) {
            throw new ConfigException(where, "'option mysql-check user' expects <username> as argument");
        }
        if (args.size() == 3 && !args.get(2).equals("post-41") && !args.get(2).equals("pre-41")) {
            throw new ConfigException(where, "keyword 'user' only supports 'post-41' and 'pre-41' (got '"
                    + args.get(2) + "')");
        }
        p.checkUser = args.get(1);
        p.checkPre41 = args.size() == 3 && args.get(2).equals("pre-41");
    }

    /** `option smtpchk [EHLO|HELO DOMAIN]`. */
    private static void smtpCheck(ProxyDraft p, List<String> args, SourceLocation where) throws ConfigException {
        if (args.size() > 2) {
            throw new ConfigException(where, "'option smtpchk' cannot handle unexpected argument '" + args.get(2) + "'");
        }
        p.checkKind = HealthCheckConfig.Kind.SMTP;
        // As in HAProxy, anything but "EHLO|HELO DOMAIN" falls back to the default.
        p.smtpHello = args.size() >= 2 && (args.get(0).equals("EHLO") || args.get(0).equals("HELO"))
                ? args.get(0) + " " + args.get(1) : "HELO localhost";
    }

    /**
     * `option ssl-hello-chk`, as HAProxy 2.6 builds it: an SSLv3 CLIENT HELLO offering 39 common
     * suites (its time field is when the configuration was read; HAProxy writes the check's time,
     * which no server reads), then a handshake (0x16) or alert (0x15) record in the first 5 bytes.
     */
    static List<CheckRule> sslHelloRules() {
        StringBuilder hex = new StringBuilder("160300007901000075" + "0300");
        hex.append(String.format("%08x", System.currentTimeMillis() / 1000));
        hex.append(HexFormat.of().formatHex("HAPROXYSSLCHK\nHAPROXYSSLCHK\n".getBytes(StandardCharsets.ISO_8859_1)));
        hex.append("00" + "004e");
        for (int suite : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
                24, 25, 26, 27, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a}) {
            hex.append(String.format("%04x", suite));
        }
        hex.append("0100");
        return List.of(new CheckRule.Send(HexFormat.of().parseHex(hex), null, 1),
                new CheckRule.Expect(CheckRule.Match.RBINARY, false, "^1[56]", Pattern.compile("^1[56]"), null, 5, null,
                        CheckStatus.L6OK, CheckStatus.L6RSP, CheckStatus.L6TOUT, 2));
    }

    private CheckKeywords() {
    }

    /** `option httpchk [[METHOD] URI [VERSION]]`; VERSION may carry headers after "\r\n", the old way. */
    private static void httpchk(ProxyDraft p, List<String> args, SourceLocation where) throws ConfigException {
        p.checkKind = HealthCheckConfig.Kind.HTTP;
        String method = DEFAULT_REQUEST.method();
        String uri = DEFAULT_REQUEST.uri();
        String version = DEFAULT_REQUEST.version();
        List<CheckRule.Header> headers = new ArrayList<>();
        switch (args.size()) {
            case 0 -> {
            }
            case 1 -> uri = args.get(0);
            case 2 -> {
                method = args.get(0);
                uri = args.get(1);
            }
            case 3 -> {
                method = args.get(0);
                uri = args.get(1);
                String[] lines = args.get(2).split("\r\n");
                version = lines[0];
                for (int i = 1; i < lines.length; i++) {
                    headers.add(header(lines[i], where));
                }
            }
            default -> throw new ConfigException(where, "'option httpchk' cannot handle unexpected argument '"
                    + args.get(3) + "'");
        }
        p.checkRequest = new CheckRule.HttpRequest(method, uri, version, headers, "");
    }

    private static CheckRule.Header header(String line, SourceLocation where) throws ConfigException {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw new ConfigException(where, "'option httpchk': invalid header '" + line + "' after the version");
        }
        return new CheckRule.Header(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
    }

    static void tcpCheckRule(ProxyDraft p, LineWords w, SourceLocation where) throws ConfigException {
        requireBackend(p, "tcp-check", where);
        String action = ProxyKeywords.arg(w, 1, where);
        if (Set.of("comment", "connect", "send", "send-binary", "expect").contains(action)) {
            p.rulesOwned();
            p.tcpCheckLines++;
        }
        int step = p.tcpCheckLines;
        switch (action) {
            case "comment" -> p.pendingCheckComment = ProxyKeywords.arg(w, 2, where);
            case "connect" -> connect(p, w, where);
            case "send" -> add(p, p.tcpCheckRules(), new CheckRule.Send(
                    ProxyKeywords.arg(w, 2, where).getBytes(StandardCharsets.ISO_8859_1), comment(p, w, 3, where), step));
            case "send-binary" -> add(p, p.tcpCheckRules(), new CheckRule.Send(hex(ProxyKeywords.arg(w, 2, where),
                    where), comment(p, w, 3, where), step));
            case "expect" -> add(p, p.tcpCheckRules(), expect(p, w, where, false, step));
            default -> throw known(w, "tcp-check", where);
        }
    }

    static void httpCheckRule(ProxyDraft p, LineWords w, SourceLocation where) throws ConfigException {
        requireBackend(p, "http-check", where);
        String action = ProxyKeywords.arg(w, 1, where);
        if (Set.of("comment", "expect").contains(action)) {
            p.rulesOwned();
        }
        switch (action) {
            case "comment" -> p.pendingCheckComment = ProxyKeywords.arg(w, 2, where);
            case "send" -> send(p, w, where);
            case "expect" -> add(p, p.httpCheckRules(), expect(p, w, where, true, 0));
            default -> throw known(w, "http-check", where);
        }
    }

    private static ConfigException known(LineWords w, String keyword, SourceLocation where) {
        String two = keyword + " " + w.get(1);
        if (HaproxyKeywords.knows(HaproxyKeywords.Place.PROXY, two)) {
            return Unsupported.keyword(where, "'" + two + "'");
        }
        return new ConfigException(where, "unknown '" + two + "'" + Suggestions.hint(w.get(1),
                keyword.equals("tcp-check") ? List.of("comment", "connect", "send", "send-binary", "expect")
                        : List.of("comment", "send", "expect")));
    }

    /** `tcp-check connect [port N] [comment C]`: only as the first rule, the one connection of a check. */
    private static void connect(ProxyDraft p, LineWords w, SourceLocation where) throws ConfigException {
        if (!p.tcpCheckRules().isEmpty() || p.checkConnectPortSet) {
            // A connect after another rule opens a second connection within one check.
            throw new ConfigException(where, "'tcp-check connect' after the first rule (a second connection) is"
                    + " not supported by rtmp-router");
        }
        int port = 0;
        for (int i = 2; i < w.size(); i++) {
            String option = w.get(i);
            switch (option) {
                case "port" -> port = Values.integer(ProxyKeywords.arg(w, ++i, where), where, "port", 1, 65535);
                case "comment" -> ProxyKeywords.arg(w, ++i, where);
                case "default", "linger" -> {
                    // default: the server's address and port, as without the rule; linger: a close
                    // after the check, which rtmp-router's checks always do cleanly.
                }
                default -> {
                    if (Set.of("addr", "send-proxy", "via-socks4", "ssl", "sni", "alpn", "proto").contains(option)) {
                        throw Unsupported.keyword(where, "'tcp-check connect " + option + "'");
                    }
                    throw new ConfigException(where, "unknown 'tcp-check connect' option '" + option + "'"
                            + Suggestions.hint(option, List.of("port", "comment", "default", "linger")));
                }
            }
        }
        p.checkConnectPort = port;
        p.checkConnectPortSet = true;
        p.pendingCheckComment = null;
    }

    /** `http-check send [meth M] [uri U] [ver V] [hdr NAME VALUE]... [body STRING]`. */
    private static void send(ProxyDraft p, LineWords w, SourceLocation where) throws ConfigException {
        CheckRule.HttpRequest base = p.checkRequest != null ? p.checkRequest : DEFAULT_REQUEST;
        String method = base.method();
        String uri = base.uri();
        String version = base.version();
        List<CheckRule.Header> headers = new ArrayList<>(base.headers());
        String body = base.body();
        for (int i = 2; i < w.size(); i++) {
            String option = w.get(i);
            switch (option) {
                case "meth" -> method = ProxyKeywords.arg(w, ++i, where);
                case "uri" -> uri = ProxyKeywords.arg(w, ++i, where);
                case "ver" -> version = ProxyKeywords.arg(w, ++i, where);
                case "hdr" -> headers.add(new CheckRule.Header(ProxyKeywords.arg(w, i + 1, where),
                        ProxyKeywords.arg(w, (i += 2), where)));
                case "body" -> body = ProxyKeywords.arg(w, ++i, where);
                case "comment" -> ProxyKeywords.arg(w, ++i, where);
                default -> {
                    if (Set.of("uri-lf", "body-lf").contains(option)) {
                        throw Unsupported.keyword(where, "'http-check send " + option + "'");
                    }
                    throw new ConfigException(where, "unknown 'http-check send' option '" + option + "'"
                            + Suggestions.hint(option, List.of("meth", "uri", "ver", "hdr", "body", "comment")));
                }
            }
        }
        p.checkRequest = new CheckRule.HttpRequest(method, uri, version, headers, body);
    }

    /** @param rules the proxy's own list: {@link ProxyDraft#rulesOwned()} was called for this line */
    private static void add(ProxyDraft p, List<CheckRule> rules, CheckRule rule) {
        rules.add(rule);
        p.pendingCheckComment = null;
    }

    private static String comment(ProxyDraft p, LineWords w, int from, SourceLocation where) throws ConfigException {
        String comment = p.pendingCheckComment;
        if (from < w.size()) {
            if (!w.get(from).equals("comment")) {
                throw new ConfigException(where, "'" + w.get(0) + " " + w.get(1) + "' cannot handle unexpected"
                        + " argument '" + w.get(from) + "'");
            }
            comment = ProxyKeywords.arg(w, from + 1, where);
        }
        return comment;
    }

    private static CheckRule.Expect expect(ProxyDraft p, LineWords w, SourceLocation where, boolean http, int step)
            throws ConfigException {
        String keyword = (http ? "http-check" : "tcp-check") + " expect";
        int minRecv = -1;
        String comment = p.pendingCheckComment;
        CheckStatus ok = CheckStatus.L7OK;
        CheckStatus error = null;
        CheckStatus timeout = CheckStatus.L7TOUT;
        boolean negated = false;
        String match = null;
        String pattern = null;
        Set<String> matches = http ? HTTP_MATCHES : TCP_MATCHES;
        // As in HAProxy, the options may stand before or after the match and its pattern.
        for (int i = 2; i < w.size(); i++) {
            String option = w.get(i);
            if (EXPECT_OPTIONS.contains(option)) {
                String value = ProxyKeywords.arg(w, ++i, where);
                switch (option) {
                    case "min-recv" -> minRecv = Values.integer(value, where, "min-recv", 0, 1 << 20);
                    case "comment" -> comment = value;
                    case "ok-status" -> ok = status(value, where, Set.of("L7OK", "L7OKC", "L6OK", "L4OK"));
                    case "error-status" -> error = status(value, where, Set.of("L7RSP", "L7STS", "L6RSP", "L4CON"));
                    default -> timeout = status(value, where, Set.of("L7TOUT", "L6TOUT", "L4TOUT"));
                }
            } else if (Set.of("on-success", "on-error", "status-code").contains(option)) {
                throw Unsupported.keyword(where, "'" + keyword + " " + option + "'");
            } else if (option.equals("!") && match == null) {
                negated = true;
            } else if (match == null) {
                if (!matches.contains(option)) {
                    if (Set.of("hdr", "fhdr", "string-lf", "binary-lf", "rstring-lf").contains(option)) {
                        throw Unsupported.keyword(where, "'" + keyword + " " + option + "'");
                    }
                    throw new ConfigException(where, "'" + keyword + "' expects " + String.join(", ",
                            new java.util.TreeSet<>(matches)) + ", got '" + option + "'" + Suggestions.hint(option, matches));
                }
                match = option;
                pattern = ProxyKeywords.arg(w, ++i, where);
            } else {
                throw new ConfigException(where, "'" + keyword + "' cannot handle unexpected argument '" + option + "'");
            }
        }
        if (match == null) {
            throw new ConfigException(where, "'" + keyword + "' expects a match (" + String.join(", ",
                    new java.util.TreeSet<>(matches)) + ") and its pattern");
        }
        CheckRule.Match kind = switch (match) {
            case "status" -> CheckRule.Match.STATUS;
            case "rstatus" -> CheckRule.Match.RSTATUS;
            case "string" -> http ? CheckRule.Match.BODY_STRING : CheckRule.Match.STRING;
            case "rstring" -> http ? CheckRule.Match.BODY_RSTRING : CheckRule.Match.RSTRING;
            case "binary" -> CheckRule.Match.BINARY;
            default -> CheckRule.Match.RBINARY;
        };
        Pattern regex = null;
        byte[] bytes = null;
        switch (kind) {
            case RSTATUS, RSTRING, BODY_RSTRING, RBINARY -> regex = regex(pattern, where);
            case BINARY -> bytes = hex(pattern, where);
            case STATUS -> statusCodes(pattern, where);
            default -> bytes = pattern.getBytes(StandardCharsets.ISO_8859_1);
        }
        return new CheckRule.Expect(kind, negated, pattern, regex, bytes, minRecv, comment, ok, error, timeout, step);
    }

    private static Pattern regex(String pattern, SourceLocation where) throws ConfigException {
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new ConfigException(where, "invalid regex '" + pattern + "': " + e.getDescription());
        }
    }

    private static void statusCodes(String codes, SourceLocation where) throws ConfigException {
        if (!codes.matches("\\d{3}(-\\d{3})?(,\\d{3}(-\\d{3})?)*")) {
            throw new ConfigException(where, "invalid status codes '" + codes + "' (codes and ranges such as"
                    + " 200,301-308)");
        }
    }

    private static CheckStatus status(String value, SourceLocation where, Set<String> allowed) throws ConfigException {
        if (!allowed.contains(value)) {
            throw new ConfigException(where, "invalid check status '" + value + "' (expected one of "
                    + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
        }
        return CheckStatus.valueOf(value);
    }

    private static byte[] hex(String text, SourceLocation where) throws ConfigException {
        try {
            return HexFormat.of().parseHex(text.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where, "invalid hexadecimal string '" + text + "'");
        }
    }

    private static void requireBackend(ProxyDraft p, String keyword, SourceLocation where) throws ConfigException {
        if (!p.kind.isBackend()) {
            throw ProxyKeywords.notAllowed(p, keyword, where);
        }
    }
}
