/*
 * LD_PRELOAD shim for the benchmark's nginx-rtmp origins (scripts/bench): sets TCP_NODELAY on
 * every accepted connection. nginx-rtmp leaves Nagle on, so after its first small message of the
 * connect answer (Window Acknowledgement Size) the rest waits for the client's delayed ACK: about
 * 40 ms on every connect, direct or through a proxy, whose timer jitter would hide the fraction of
 * a millisecond a proxy adds.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <sys/socket.h>

typedef int (*accept4_fn)(int, struct sockaddr *, socklen_t *, int);
typedef int (*accept_fn)(int, struct sockaddr *, socklen_t *);

static int nodelay(int fd) {
    if (fd >= 0) {
        int on = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    }
    return fd;
}

int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags) {
    static accept4_fn next;
    if (next == NULL) {
        next = (accept4_fn) dlsym(RTLD_NEXT, "accept4");
    }
    return nodelay(next(fd, addr, len, flags));
}

int accept(int fd, struct sockaddr *addr, socklen_t *len) {
    static accept_fn next;
    if (next == NULL) {
        next = (accept_fn) dlsym(RTLD_NEXT, "accept");
    }
    return nodelay(next(fd, addr, len));
}
