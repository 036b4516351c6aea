/*
 * LD_PRELOAD shim for the scenario tests: ffmpeg and rtmpdump cannot choose their source address,
 * so this binds each IPv4 socket to $BIND_ADDR (kernel-chosen port) just before connect().
 * All of 127.0.0.0/8 is local on Linux, so every test client can have an address of its own.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

typedef int (*connect_fn)(int, const struct sockaddr *, socklen_t);

int connect(int fd, const struct sockaddr *to, socklen_t len) {
    static connect_fn next_connect;
    if (next_connect == NULL) {
        next_connect = (connect_fn) dlsym(RTLD_NEXT, "connect");
    }
    const char *source = getenv("BIND_ADDR");
    if (source != NULL && to != NULL && to->sa_family == AF_INET) {
        struct sockaddr_in bound;
        socklen_t bound_len = sizeof bound;
        /* Leave sockets the program bound itself alone. */
        if (getsockname(fd, (struct sockaddr *) &bound, &bound_len) == 0
                && bound.sin_addr.s_addr == htonl(INADDR_ANY) && bound.sin_port == 0) {
            struct sockaddr_in local;
            memset(&local, 0, sizeof local);
            local.sin_family = AF_INET;
            if (inet_pton(AF_INET, source, &local.sin_addr) == 1) {
                bind(fd, (struct sockaddr *) &local, sizeof local);
            }
        }
    }
    return next_connect(fd, to, len);
}
