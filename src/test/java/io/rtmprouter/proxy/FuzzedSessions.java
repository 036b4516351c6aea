package io.rtmprouter.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.proxy.session.Termination;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What the session fuzz tests share: fuzzed bytes written in parts, every timer run out, and the
 * check that each session ended for a reason of its own. In these EmbeddedChannel pipelines there
 * is no socket to fail, so client_error, server_error and internal_error can only come from an
 * exception a stage did not expect.
 */
final class FuzzedSessions {
    /** Past every deadline these pipelines have (inspect-delay 3 s, RTMPT expiry 30 s). */
    private static final Duration PAST_EVERY_DEADLINE = FakeServers.RTMPT_EXPIRY.plusSeconds(1);

    /** One frontend for every input of a fuzz JVM (parsing it anew cost most of the time). */
    private static FakeServers frontend;

    private FuzzedSessions() {
    }

    /** The frontend, with the previous input's attempts and log lines gone: its sessions ended within it. */
    static FakeServers frontend() throws Exception {
        if (frontend == null) {
            frontend = new FakeServers(FakeServers.ONE_RTMP_SERVER);
        }
        frontend.logged.clear();
        frontend.attempts.clear();
        return frontend;
    }

    /** Writes `data` to `ch` as up to three reads, split where its first two bytes say; stops once `ch` is closed. */
    static void writeInParts(EmbeddedChannel ch, byte[] data, EmbeddedChannel... alsoChecked) {
        for (byte[] part : parts(data)) {
            if (!ch.isOpen()) {
                return; // the router has had enough: what comes next goes nowhere
            }
            ch.writeInbound(Unpooled.wrappedBuffer(part));
            ch.checkException();
            for (EmbeddedChannel other : alsoChecked) {
                other.checkException();
            }
        }
    }

    private static List<byte[]> parts(byte[] data) {
        if (data.length < 3) {
            return List.of(data);
        }
        int a = 2 + (data[0] & 0xFF) * (data.length - 2) / 256;
        int b = a + (data[1] & 0xFF) * (data.length - a) / 256;
        return List.of(Arrays.copyOfRange(data, 2, a), Arrays.copyOfRange(data, a, b),
                Arrays.copyOfRange(data, b, data.length));
    }

    /** Runs every timer out on the loop of `loopOwner`, then closes every channel; nothing may be left unhandled. */
    static void endEverything(EmbeddedClient loopOwner, List<EmbeddedChannel> channels) {
        // Timers set by timers (an RTMPT session's 10 s drain once its server closed) need more
        // than one step of the clock.
        for (int step = 0; step < 4; step++) {
            loopOwner.advanceTimeBy(PAST_EVERY_DEADLINE.toNanos(), TimeUnit.NANOSECONDS);
            for (int round = 0; round < 10 && loopOwner.hasPendingTasks(); round++) {
                loopOwner.runPendingTasks();
            }
        }
        for (EmbeddedChannel ch : channels) {
            ch.close();
            ch.runPendingTasks();
            ch.checkException();
        }
    }

    private static final Set<Termination> UNEXPECTED = EnumSet.of(Termination.CLIENT_ERROR,
            Termination.SERVER_ERROR, Termination.INTERNAL_ERROR);

    static void assertEachEndedForAReasonOfItsOwn(FakeServers fake) {
        for (Session s : fake.logged) {
            assertFalse(UNEXPECTED.contains(s.termination()), s.logLine());
        }
    }

    /**
     * One fuzz input into a client of the shared frontend: written in parts, every timer run out,
     * every RTMPT session ended; each session must have ended for a reason of its own.
     */
    static void run(FakeServers fake, EmbeddedClient client, byte[] data) {
        List<EmbeddedChannel> channels = new ArrayList<>(List.of(client));
        try {
            writeInParts(client, data);
            fake.attempts.forEach(a -> channels.add(a.server()));
            endEverything(client, channels);
            // A closed EmbeddedChannel cancels the timers of its loop, where the RTMPT sessions it
            // opened live (a real loop outlives its connections): end those by hand.
            fake.fc.tunnels().stopAll();
            client.runPendingTasks();
            org.junit.jupiter.api.Assertions.assertEquals(0, fake.fc.tunnels().size(), "every RTMPT session ended");
            assertEachEndedForAReasonOfItsOwn(fake);
        } finally {
            channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        }
    }
}
