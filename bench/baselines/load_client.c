/*
 * The load client of ./nbnet bench-frames: one thread, epoll, C, so that the client is not what a
 * table of servers measures. Opens C connections, keeps N frames in flight on each (a new request
 * for every reply), checks each reply against --expect, and prints one JSON line: requests/s,
 * latency percentiles, and CPU use during the measured window of itself and of --server-pid (from
 * getrusage and /proc), so a reader can see which side was saturated.
 * "clientCeiling" = requests per CPU-second the client spent: what it could drive with a whole core.
 * --tls speaks TLS 1.2/1.3 (OpenSSL) without checking the server's certificate: a load tool.
 * Build: gcc -O2 -o load_client load_client.c -lssl -lcrypto
 * Usage: load_client --port P [-c CONNS] [-n IN_FLIGHT] [-d SECS] [-w WARMUP_SECS] [--expect a]
 *                    [--payload a] [--tls] [--server-pid PID[,PID...]]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define IN_SIZE 65536
#define HIST_US 200000 /* latencies recorded to the microsecond up to 200 ms, above that in one bucket */

struct conn {
  int fd;
  SSL *ssl;
  char in[IN_SIZE];
  int in_len;
  char *out;            /* bytes not yet written (a partial write) */
  int out_len, out_cap;
  uint64_t *sent_at;    /* send times of the requests in flight, a ring in reply order */
  int head, inflight;
};

static const char *host = "127.0.0.1", *expect = NULL, *payload = "a";
static int port = 9099, conns_n = 1, inflight_n = 1, use_tls = 0;
static int server_pids[8], server_pid_n;
static double duration_s = 10, warmup_s = 2;
static char *frame;
static int frame_len;
static uint64_t hist[HIST_US + 1];
static long long requests, errors, total_replies;
static int measuring;

static uint64_t now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static double own_cpu_s(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* utime + stime of a process from /proc/PID/stat, in seconds; -1 when unreadable */
static double process_cpu_s(int pid);

/* the CPU seconds of every --server-pid process together */
static double servers_cpu_s(void) {
  double sum = 0;
  for (int i = 0; i < server_pid_n; i++) sum += process_cpu_s(server_pids[i]);
  return sum;
}

static double process_cpu_s(int pid) {
  char path[64], buf[4096];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  char *p = strrchr(buf, ')'); /* the command name may hold spaces */
  if (!p) return -1;
  unsigned long utime = 0, stime = 0;
  /* after ") ": state(3) ... utime is field 14, stime 15 */
  if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2) return -1;
  return (double)(utime + stime) / sysconf(_SC_CLK_TCK);
}

static void die(const char *what) {
  printf("{\"error\":\"%s: %s\"}\n", what, strerror(errno));
  exit(1);
}

/* after a read or write returned n <= 0: 1 when it only has to wait for the socket, 0 when the connection failed */
static int would_block(struct conn *c, int n) {
  if (c->ssl) {
    int e = SSL_get_error(c->ssl, n);
    return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE;
  }
  return n < 0 && errno == EAGAIN;
}

static int flush_out(struct conn *c) {
  while (c->out_len > 0) {
    int w = c->ssl ? SSL_write(c->ssl, c->out, c->out_len) : (int)write(c->fd, c->out, c->out_len);
    if (w <= 0) return would_block(c, w) ? 0 : -1;
    memmove(c->out, c->out + w, c->out_len - w);
    c->out_len -= w;
  }
  return 0;
}

static int send_requests(struct conn *c, int count, uint64_t at) {
  if (c->out_len + count * frame_len > c->out_cap) {
    c->out_cap = c->out_len + count * frame_len;
    c->out = realloc(c->out, c->out_cap);
  }
  for (int i = 0; i < count; i++) {
    memcpy(c->out + c->out_len, frame, frame_len);
    c->out_len += frame_len;
    c->sent_at[(c->head + c->inflight) % inflight_n] = at;
    c->inflight++;
  }
  return flush_out(c);
}

static void record(uint64_t micros) {
  hist[micros < HIST_US ? micros : HIST_US]++;
}

static long long percentile(double q) {
  long long target = (long long)(requests * q), seen = 0;
  for (int i = 0; i <= HIST_US; i++) {
    seen += hist[i];
    if (seen > target) return i;
  }
  return HIST_US;
}

/* read what arrived, answer every complete reply with a new request; -1 closes the run */
static int on_readable(struct conn *c) {
  for (;;) {
    int r = c->ssl ? SSL_read(c->ssl, c->in + c->in_len, IN_SIZE - c->in_len)
                   : (int)read(c->fd, c->in + c->in_len, IN_SIZE - c->in_len);
    if (r <= 0) return would_block(c, r) ? 0 : -1;
    c->in_len += r;
    uint64_t at = now_us();
    int pos = 0, answered = 0;
    while (c->in_len - pos >= 10) {
      long len = 0;
      for (int k = 0; k < 10; k++) {
        char d = c->in[pos + k];
        if (d < '0' || d > '9') return -1;
        len = len * 10 + (d - '0');
      }
      if (len > IN_SIZE - 10) return -1;
      if (c->in_len - pos < 10 + len) break;
      const char *reply = c->in + pos + 10;
      int ok = !expect || (len >= (long)strlen(expect) && memcmp(reply, expect, strlen(expect)) == 0);
      uint64_t sent = c->sent_at[c->head];
      c->head = (c->head + 1) % inflight_n;
      c->inflight--;
      total_replies++;
      if (measuring) {
        if (ok) {
          requests++;
          record(at - sent);
        } else {
          errors++;
        }
      }
      pos += 10 + len;
      answered++;
    }
    memmove(c->in, c->in + pos, c->in_len - pos);
    c->in_len -= pos;
    if (answered && send_requests(c, answered, at) < 0) return -1;
    if (!c->ssl) return 0; /* level-triggered: the rest comes with the next epoll_wait */
    if (SSL_pending(c->ssl) == 0) return 0;
  }
}

int main(int argc, char **argv) {
  static struct option opts[] = {
    {"host", 1, 0, 'h'}, {"port", 1, 0, 'p'}, {"connections", 1, 0, 'c'}, {"in-flight", 1, 0, 'n'},
    {"duration", 1, 0, 'd'}, {"warmup", 1, 0, 'w'}, {"expect", 1, 0, 'e'}, {"payload", 1, 0, 'P'},
    {"tls", 0, 0, 't'}, {"server-pid", 1, 0, 's'}, {0, 0, 0, 0}};
  int o;
  while ((o = getopt_long(argc, argv, "c:n:d:w:", opts, NULL)) != -1) {
    switch (o) {
      case 'h': host = optarg; break;
      case 'p': port = atoi(optarg); break;
      case 'c': conns_n = atoi(optarg); break;
      case 'n': inflight_n = atoi(optarg); break;
      case 'd': duration_s = atof(optarg); break;
      case 'w': warmup_s = atof(optarg); break;
      case 'e': expect = optarg; break;
      case 'P': payload = optarg; break;
      case 't': use_tls = 1; break;
      case 's':
        for (char *tok = strtok(optarg, ","); tok && server_pid_n < 8; tok = strtok(NULL, ",")) server_pids[server_pid_n++] = atoi(tok);
        break;
      default: fprintf(stderr, "usage: see the comment at the top of load_client.c\n"); return 2;
    }
  }
  frame_len = 10 + (int)strlen(payload);
  frame = malloc(frame_len + 1);
  snprintf(frame, frame_len + 1, "%010d%s", (int)strlen(payload), payload);

  SSL_CTX *ctx = NULL;
  if (use_tls) {
    ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  }
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, host, &addr.sin_addr);
  int ep = epoll_create1(0), one = 1;
  struct conn *conns = calloc(conns_n, sizeof *conns);
  for (int i = 0; i < conns_n; i++) {
    struct conn *c = &conns[i];
    /* connect and handshake blocking, before the clock starts; then non-blocking */
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&addr, sizeof addr)) die("connect");
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (ctx) {
      c->ssl = SSL_new(ctx);
      SSL_set_fd(c->ssl, c->fd);
      if (SSL_connect(c->ssl) != 1) { errno = EPROTO; die("TLS handshake"); }
    }
    fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
    c->sent_at = calloc(inflight_n, sizeof *c->sent_at);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
    epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
  }
  uint64_t start = now_us(), measure_from = start + (uint64_t)(warmup_s * 1e6);
  uint64_t end = measure_from + (uint64_t)(duration_s * 1e6), last_reply = start;
  for (int i = 0; i < conns_n; i++) {
    if (send_requests(&conns[i], inflight_n, start) < 0) die("write");
  }
  double client_cpu0 = 0, server_cpu0 = 0;
  struct epoll_event events[1024];
  long long replies_seen = 0;
  for (;;) {
    uint64_t now = now_us();
    if (!measuring && now >= measure_from) {
      measuring = 1;
      client_cpu0 = own_cpu_s();
      server_cpu0 = servers_cpu_s();
    }
    if (now >= end) break;
    if (total_replies != replies_seen) { replies_seen = total_replies; last_reply = now; }
    if (now - last_reply > 20000000) { errno = ETIMEDOUT; die("no reply for 20 s"); }
    int n = epoll_wait(ep, events, 1024, 100);
    for (int i = 0; i < n; i++) {
      struct conn *c = events[i].data.ptr;
      if ((events[i].events & EPOLLOUT) && flush_out(c) < 0) die("write");
      if ((events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && on_readable(c) < 0) {
        errno = ECONNRESET;
        die("connection closed by the server");
      }
      if (c->out_len == 0 && (events[i].events & EPOLLOUT)) {
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
        epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
      } else if (c->out_len > 0 && !(events[i].events & EPOLLOUT)) {
        struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
        epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
      }
    }
  }
  double client_cpu = own_cpu_s() - client_cpu0;
  double server_cpu = servers_cpu_s() - server_cpu0;
  double rps = requests / duration_s;
  double client_share = client_cpu / duration_s;
  printf("{\"connections\":%d,\"inFlight\":%d,\"seconds\":%.3f,\"requests\":%lld,\"requestsPerSecond\":%.0f,"
         "\"errors\":%lld,\"totalReplies\":%lld,\"latencyMicros\":{\"p50\":%lld,\"p99\":%lld,\"p99.9\":%lld},"
         "\"clientCpu\":%.3f,\"serverCpu\":%.3f,\"clientCeiling\":%.0f}\n",
         conns_n, inflight_n, duration_s, requests, rps, errors, total_replies, percentile(0.5), percentile(0.99),
         percentile(0.999), client_share, server_pid_n ? server_cpu / duration_s : -1,
         client_share > 0 ? rps / client_share : 0);
  return 0;
}
