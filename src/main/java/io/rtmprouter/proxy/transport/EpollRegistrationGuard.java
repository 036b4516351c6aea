package io.rtmprouter.proxy.transport;

import io.netty.channel.Channel;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.Native;
import io.rtmprouter.log.LogLine;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Works around a Netty 4.2 epoll bug that loses relayed data. When a channel's epoll interest set
 * becomes empty, Netty deletes its file descriptor from epoll but still believes it registered,
 * so the next interest it adds is an epoll_ctl(MOD) that fails with ENOENT. A relayed socket gets
 * there after a half-close: its FIN clears EPOLLRDHUP, end of input clears EPOLLIN. The next
 * write that must wait for EPOLLOUT then fails ("Channel output shutdown"), and the rest of the
 * response is lost. RelayScenarioTest's half-close and slow-client cases catch it.
 *
 * The kernel always reports EPOLLERR whether it is asked for or not, so keeping it in the set
 * changes no event, but the set never becomes empty and the descriptor stays registered.
 * AbstractEpollChannel.setFlag is protected, hence one reflective call per relayed channel.
 */
public final class EpollRegistrationGuard {
    private static final Method SET_FLAG = setFlagMethod();

    private EpollRegistrationGuard() {
    }

    private static Method setFlagMethod() {
        try {
            // Declared by AbstractEpollChannel, which is not public: reach it from its public subclass.
            Method m = AbstractEpollStreamChannel.class.getSuperclass().getDeclaredMethod("setFlag", int.class);
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Without the guard the relay still works, as plain Netty does; say so once.
            LoggerFactory.getLogger("router").warn("{}", new LogLine().add("event", "epoll_guard_unavailable")
                    .add("msg", e.toString()));
            return null;
        }
    }

    /** Call on the channel's event loop, once it is registered. No effect on non-epoll channels. */
    public static void keepRegistered(Channel ch) {
        if (SET_FLAG == null || !(ch instanceof AbstractEpollStreamChannel) || !ch.isRegistered()) {
            return;
        }
        try {
            SET_FLAG.invoke(ch, Native.EPOLLERR);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            ch.pipeline().fireExceptionCaught(e.getCause());
        }
    }
}
