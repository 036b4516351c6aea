package io.rtmprouter.health;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.rtmprouter.config.CheckRule;
import io.rtmprouter.config.CheckStatus;
import io.rtmprouter.config.HealthCheckConfig;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;

/**
 * Runs a backend's `tcp-check` or `http-check` rules on one connected check channel, with
 * HAProxy 2.6's semantics: each send discards what was read before it and is written; each expect
 * waits until what was read since (at most {@link #BUFFER} bytes, HAProxy's tune.bufsize; kept
 * from one expect to the next) can decide it; the first failure, or a timeout, is the result,
 * worded as HAProxy words it.
 */
final class CheckConversation extends ChannelInboundHandlerAdapter {
    static final int BUFFER = 16384;

    private final HealthCheckConfig config;
    private final List<CheckRule> rules;
    private final Duration timeout;
    private final long startedNanos;
    private final Consumer<CheckResult> done;
    private final byte[] received = new byte[BUFFER];
    private int length;
    private int next;
    /** After a send, an expect first waits for one read (data or the end). */
    private boolean mustRead;
    private boolean ended;
    private boolean finished;
    private ScheduledFuture<?> timer;

    /** @param timeout how long the rules may take once connected */
    CheckConversation(HealthCheckConfig config, Duration timeout, long startedNanos, Consumer<CheckResult> done) {
        this.config = config;
        this.rules = config.rules();
        this.timeout = timeout;
        this.startedNanos = startedNanos;
        this.done = done;
        this.mustRead = true;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> timedOut(ctx), timeout.toMillis(), TimeUnit.MILLISECONDS);
        advance(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof ByteBuf b && !finished) {
                int n = Math.min(b.readableBytes(), BUFFER - length);
                b.readBytes(received, length, n);
                length += n;
                mustRead = false;
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        advance(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ended = true;
        mustRead = false;
        advance(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (length == 0) {
            // HAProxy reports a socket error only when nothing was read: data then a reset is judged on the data.
            finish(ctx, new CheckResult(CheckStatus.SOCKERR, 0, HealthChecker.describe(cause) + stepDescription(), elapsed()));
        } else {
            ended = true;
            mustRead = false;
            advance(ctx);
        }
    }

    private void advance(ChannelHandlerContext ctx) {
        while (!finished && next < rules.size()) {
            CheckRule rule = rules.get(next);
            if (rule instanceof CheckRule.Send s) {
                // HAProxy releases its input buffer at every send: an answer is read from here on.
                length = 0;
                ctx.writeAndFlush(Unpooled.wrappedBuffer(s.data()));
                mustRead = true;
            } else if (rule instanceof CheckRule.HttpRequest r) {
                length = 0;
                ctx.writeAndFlush(Unpooled.wrappedBuffer(HttpCheckRequest.encode(r)));
                mustRead = true;
            } else {
                // An expect of some kind: it waits for an answer, then passes (null) or decides.
                if (mustRead) {
                    ctx.read();
                    return;
                }
                CheckResult verdict = judge(rule);
                if (verdict == WAIT) {
                    ctx.read();
                    return;
                }
                if (verdict != null) {
                    finish(ctx, verdict);
                    return;
                }
            }
            next++;
        }
        if (!finished) {
            finish(ctx, success());
        }
    }

    /** What an expect rule makes of the answer so far: null to go on, WAIT, or the check's result. */
    private CheckResult judge(CheckRule rule) {
        if (rule instanceof CheckRule.LdapBindResponse) {
            return ldapExpect();
        }
        if (rule instanceof CheckRule.MysqlPacket m) {
            return mysqlExpect(m, next == rules.size() - 1);
        }
        CheckRule.Expect e = (CheckRule.Expect) rule;
        return config.kind() == HealthCheckConfig.Kind.HTTP ? httpExpect(e) : tcpExpect(e);
    }

    /** Marker: the expect needs more bytes. */
    private static final CheckResult WAIT = new CheckResult(CheckStatus.L7TOUT, 0, "wait", 0);

    private boolean lastRead() {
        return ended || length >= BUFFER;
    }

    private CheckResult tcpExpect(CheckRule.Expect e) {
        boolean last = lastRead();
        if (!last && (e.bytes() != null && length < e.bytes().length || e.minRecv() > 0 && length < e.minRecv())) {
            return WAIT;
        }
        if (length == 0 && e.errorFrom() == CheckRule.AnswerPart.NONE) {
            return new CheckResult(tcpError(e), 0, "TCPCHK got an empty response at step " + e.step()
                    + (e.comment() != null ? " comment: '" + e.comment() + "'" : ""), elapsed());
        }
        boolean match = switch (e.match()) {
            case STRING, BINARY -> indexOf(received, length, e.bytes()) >= 0;
            case RSTRING -> e.regex().matcher(new String(received, 0, length, StandardCharsets.ISO_8859_1)).find();
            default -> e.regex().matcher(hexDump()).find();
        };
        if (!match && !last && e.minRecv() == -1) {
            return WAIT;
        }
        if (match != e.negated()) {
            return null;
        }
        if (e.errorFrom() != CheckRule.AnswerPart.NONE) {
            return new CheckResult(tcpError(e), replyCode(e), part(e.errorFrom()), elapsed());
        }
        if (e.errorInfo() != null) {
            return new CheckResult(tcpError(e), replyCode(e), e.errorInfo(), elapsed());
        }
        if (config.kind().protocol()) {
            // HAProxy words a mismatch only for tcp-check and http-check rules of the operator's own.
            return new CheckResult(tcpError(e), 0, e.comment() != null ? " comment: " + e.comment() : null, elapsed());
        }
        String what = switch (e.match()) {
            case STRING -> " '" + e.text() + "'";
            case BINARY -> " (binary)";
            case RSTRING -> " (regex)";
            default -> " (binary regex)";
        };
        return new CheckResult(tcpError(e), 0, (match ? "TCPCHK matched unwanted content" : "TCPCHK did not match content")
                + what + " at step " + e.step() + (e.comment() != null ? " comment: " + e.comment() : ""), elapsed());
    }

    /**
     * HAProxy's tcpcheck_mysql_expect_packet: a whole packet (3-byte length, sequence id) at the
     * greeting or after it; 0xff starts an error packet, whose code and text make the message. The
     * last rule's pass has no info: HAProxy sets the server's version, then its end of the rules
     * overwrites it with the (empty) success message of a protocol check. Null: go on.
     */
    private CheckResult mysqlExpect(CheckRule.MysqlPacket m, boolean lastRule) {
        boolean last = lastRead();
        int offset = 0;
        if (m.afterGreeting()) {
            offset = length < 3 ? length : 4 + u24(0);
        }
        if (length < offset + 4 || length < offset + 4 + u24(offset)) {
            return last ? new CheckResult(CheckStatus.L7RSP, 0, null, elapsed()) : WAIT;
        }
        if ((received[offset + 4] & 0xff) == 0xff) {
            int code = length >= offset + 7 ? (received[offset + 5] & 0xff) | (received[offset + 6] & 0xff) << 8 : 0;
            return new CheckResult(CheckStatus.L7STS, code, untilNul(offset + 7), elapsed());
        }
        return lastRule ? new CheckResult(CheckStatus.L7OK, 0, null, elapsed()) : null;
    }

    /**
     * HAProxy's tcpcheck_ldap_expect_bindrsp: the LDAPMessage's length (1, 2 or 4 bytes), message
     * id 1 and a bindResponse, an ENUMERATED resultCode; 0 passes (with no info: the end of the
     * rules overwrites HAProxy's "Success"). Null: go on.
     */
    private CheckResult ldapExpect() {
        String notLdap = "Not LDAPv3 protocol";
        int nbytes = 0;
        long messageLength;
        if (length < 2) {
            return lastRead() ? new CheckResult(CheckStatus.L7RSP, 0, null, elapsed()) : WAIT;
        }
        if ((received[1] & 0x80) != 0) {
            nbytes = received[1] & 0x7f;
            if (length < 2 + nbytes) {
                return lastRead() ? new CheckResult(CheckStatus.L7RSP, 0, null, elapsed()) : WAIT;
            }
            if (nbytes != 2 && nbytes != 4) {
                return new CheckResult(CheckStatus.L7RSP, 0, notLdap, elapsed());
            }
            messageLength = 0;
            for (int i = 0; i < nbytes; i++) {
                messageLength = messageLength << 8 | (received[2 + i] & 0xff);
            }
        } else {
            messageLength = received[1] & 0xff;
        }
        if (length < 2 + nbytes + messageLength) {
            return lastRead() ? new CheckResult(CheckStatus.L7RSP, 0, null, elapsed()) : WAIT;
        }
        int at = 2 + nbytes;
        if (!startsWith(at, 0x02, 0x01, 0x01, 0x61)) {
            return new CheckResult(CheckStatus.L7RSP, 0, notLdap, elapsed());
        }
        at += 4;
        if (at >= length) {
            return new CheckResult(CheckStatus.L7RSP, 0, notLdap, elapsed());
        }
        at += 1 + ((received[at] & 0x80) != 0 ? received[at] & 0x7f : 0);
        if (!startsWith(at, 0x0a, 0x01) || at + 2 >= length) {
            return new CheckResult(CheckStatus.L7RSP, 0, notLdap, elapsed());
        }
        int code = received[at + 2] & 0xff;
        if (code != 0) {
            return new CheckResult(CheckStatus.L7STS, code, "See RFC: http://tools.ietf.org/html/rfc4511#section-4.1.9",
                    elapsed());
        }
        return null;
    }

    private boolean startsWith(int at, int... bytes) {
        if (at + bytes.length > length) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            if ((received[at + i] & 0xff) != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    private int u24(int at) {
        return (received[at] & 0xff) | (received[at + 1] & 0xff) << 8 | (received[at + 2] & 0xff) << 16;
    }

    /** What HAProxy's "%s" shows of the answer from `start`: up to the first NUL. */
    private String untilNul(int start) {
        int end = start;
        while (end < length && received[end] != 0) {
            end++;
        }
        return start >= length ? "" : new String(received, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /** The part of the answer a protocol check's message shows (HAProxy's res.payload, ltrim, cut_crlf). */
    private String part(CheckRule.AnswerPart which) {
        if (which == CheckRule.AnswerPart.FROM_6) {
            return untilNul(6);
        }
        int start = 0;
        if (which == CheckRule.AnswerPart.REPLY_TEXT) {
            start = Math.min(4, length);
            while (start < length && received[start] == ' ') {
                start++;
            }
        }
        int end = start;
        while (end < length && received[end] != '\r' && received[end] != '\n') {
            end++;
        }
        return new String(received, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /** `status-code res.payload(0,3)`: the answer's first three characters as a number, when they are one. */
    private int replyCode(CheckRule.Expect e) {
        if (!e.replyCode() || length < 3) {
            return 0;
        }
        String digits = new String(received, 0, 3, StandardCharsets.ISO_8859_1);
        return digits.matches("\\d{3}") ? Integer.parseInt(digits) : 0;
    }

    private static CheckStatus tcpError(CheckRule.Expect e) {
        return e.onError() != null ? e.onError() : CheckStatus.L7RSP;
    }

    private CheckResult httpExpect(CheckRule.Expect e) {
        boolean last = lastRead();
        HttpCheckResponse r = HttpCheckResponse.of(received, length, last);
        if (r.invalid || !r.headersComplete && last) {
            return new CheckResult(CheckStatus.L7RSP, 0, null, elapsed());
        }
        if (!r.headersComplete) {
            return WAIT;
        }
        boolean match;
        String info;
        CheckStatus error = e.onError() != null ? e.onError()
                : e.match() == CheckRule.Match.STATUS || e.match() == CheckRule.Match.RSTATUS ? CheckStatus.L7STS
                : CheckStatus.L7RSP;
        switch (e.match()) {
            case STATUS -> {
                match = CheckRule.statusMatches(e.text(), r.status);
                info = r.reason;
            }
            case RSTATUS -> {
                match = e.regex().matcher(Integer.toString(r.status)).find();
                info = r.reason;
            }
            default -> {
                if (r.body.length == 0) {
                    if (!r.bodyComplete) {
                        return WAIT;
                    }
                    return new CheckResult(error, r.status, "HTTP content check could not find a response body",
                            elapsed());
                }
                if (!r.bodyComplete && (e.bytes() != null && r.body.length < e.bytes().length
                        || e.minRecv() > 0 && r.body.length < e.minRecv())) {
                    return WAIT;
                }
                Matcher m = e.regex() == null ? null
                        : e.regex().matcher(new String(r.body, StandardCharsets.ISO_8859_1));
                match = m != null ? m.find() : indexOf(r.body, r.body.length, e.bytes()) >= 0;
                if (!match && !r.bodyComplete && e.minRecv() == -1) {
                    return WAIT;
                }
                info = e.negated() ? "HTTP check matched unwanted content" : "HTTP content check did not match";
            }
        }
        if (match != e.negated()) {
            return null;
        }
        return new CheckResult(error, r.status, info + (e.comment() != null ? " comment: " + e.comment() : ""),
                elapsed());
    }

    private CheckResult success() {
        // A conversation has rules: without any, the checker passes the connection itself.
        CheckRule last = rules.get(rules.size() - 1);
        if (config.kind() == HealthCheckConfig.Kind.HTTP) {
            HttpCheckResponse r = HttpCheckResponse.of(received, length, true);
            CheckStatus ok = last instanceof CheckRule.Expect e ? e.onSuccess() : CheckStatus.L7OK;
            return new CheckResult(ok, r.headersComplete && !r.invalid ? r.status : 0, null, elapsed());
        }
        if (last instanceof CheckRule.Expect e) {
            String info = e.successInfo() != null ? e.successInfo()
                    : e.successFrom() != CheckRule.AnswerPart.NONE ? part(e.successFrom())
                    : config.kind().protocol() ? null : "(tcp-check)";
            return new CheckResult(e.onSuccess(), replyCode(e), info, elapsed());
        }
        // A protocol check's last custom rule passed: HAProxy's end of the rules gives no info.
        return new CheckResult(CheckStatus.L7OK, 0, config.kind().protocol() ? null : "(tcp-check)", elapsed());
    }

    private void timedOut(ChannelHandlerContext ctx) {
        if (finished) {
            return;
        }
        CheckStatus status = CheckStatus.L7TOUT;
        if (next < rules.size() && rules.get(next) instanceof CheckRule.Expect e) {
            status = e.onTimeout();
        }
        String info = config.kind().protocol() ? null : stepDescription();
        finish(ctx, new CheckResult(status, 0, info, elapsed()));
    }

    /** HAProxy's " at step N of tcp-check (expect string 'X')" for a TCP check; empty otherwise. */
    private String stepDescription() {
        if (config.kind() != HealthCheckConfig.Kind.TCP || next >= rules.size()) {
            return "";
        }
        CheckRule rule = rules.get(next);
        if (rule instanceof CheckRule.Send s) {
            return " at step " + s.step() + " of tcp-check (send)" + (s.comment() != null ? " comment: '" + s.comment() + "'" : "");
        }
        CheckRule.Expect e = (CheckRule.Expect) rule;
        String what = switch (e.match()) {
            case STRING -> "expect string '" + e.text() + "'";
            // HAProxy prints the bytes themselves, which the message's encoding shows as <XX>.
            case BINARY -> "expect binary '" + new String(e.bytes(), StandardCharsets.ISO_8859_1) + "'";
            case RSTRING -> "expect regex";
            default -> "expect binary regex";
        };
        return " at step " + e.step() + " of tcp-check (" + what + ")"
                + (e.comment() != null ? " comment: '" + e.comment() + "'" : "");
    }

    private void finish(ChannelHandlerContext ctx, CheckResult result) {
        if (finished) {
            return;
        }
        finished = true;
        if (timer != null) {
            timer.cancel(false);
        }
        ctx.close();
        done.accept(result);
    }

    private long elapsed() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    /** HAProxy's dump_binary: the bytes as upper-case hex, which an rbinary regex is matched against. */
    private String hexDump() {
        StringBuilder s = new StringBuilder(length * 2);
        for (int i = 0; i < length; i++) {
            s.append(String.format("%02X", received[i] & 0xff));
        }
        return s.toString();
    }

    private static int indexOf(byte[] haystack, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
