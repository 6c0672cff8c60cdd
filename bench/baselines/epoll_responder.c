/*
 * A minimal C epoll responder for ./nbnet bench-frames: the machine's ceiling for the load client.
 * Reads whatever arrived, answers every complete frame with "0000000001a", one write per read.
 * No limits, no validation beyond the digits: a baseline, not a server.
 * Build: gcc -O2 -o epoll_responder epoll_responder.c    Usage: epoll_responder PORT
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FD 65536
#define IN_SIZE 65536

struct conn { char *in; int len; };
static struct conn conns[MAX_FD];
static char out[IN_SIZE * 2];

static void drop(int ep, int fd) {
  epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
  close(fd);
  free(conns[fd].in);
  conns[fd].in = NULL;
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 9099;
  int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) || listen(lfd, 4096)) { perror("bind/listen"); return 1; }
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = lfd}, events[1024];
  epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
  printf("C epoll responder listening on 127.0.0.1:%d\n", port);
  fflush(stdout);
  for (;;) {
    int n = epoll_wait(ep, events, 1024, -1);
    for (int i = 0; i < n; i++) {
      int fd = events[i].data.fd;
      if (fd == lfd) {
        int c;
        while ((c = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
          if (c >= MAX_FD) { close(c); continue; }
          setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          conns[c].in = malloc(IN_SIZE);
          conns[c].len = 0;
          struct epoll_event cev = {.events = EPOLLIN, .data.fd = c};
          epoll_ctl(ep, EPOLL_CTL_ADD, c, &cev);
        }
        continue;
      }
      struct conn *c = &conns[fd];
      ssize_t r = read(fd, c->in + c->len, IN_SIZE - c->len);
      if (r <= 0) { if (r < 0 && errno == EAGAIN) continue; drop(ep, fd); continue; }
      c->len += r;
      int pos = 0, olen = 0;
      while (c->len - pos >= 10) {
        long flen = 0;
        for (int k = 0; k < 10; k++) flen = flen * 10 + (c->in[pos + k] - '0');
        if (flen <= 0 || flen > IN_SIZE - 10) { drop(ep, fd); goto next; }
        if (c->len - pos < 10 + flen) break;
        pos += 10 + flen;
        memcpy(out + olen, "0000000001a", 11);
        olen += 11;
      }
      memmove(c->in, c->in + pos, c->len - pos);
      c->len -= pos;
      if (olen > 0 && write(fd, out, olen) < 0) drop(ep, fd);
    next:;
    }
  }
}
