/*
 * startprobe: start-up time of cllama-passthrough to its first "GET /health" 200.
 *   startprobe <runs> <binary>
 * For each run: pick two free loopback ports, set LISTEN_ADDR/UI_ADDR, fork+exec the binary (stdout/stderr to
 * /dev/null, the rest of the environment inherited), then connect-and-ask in a tight loop (50 us apart, so the
 * probe does not starve the starting process of a core) until a 200 arrives. Prints one line per run: the
 * milliseconds from just before fork to the 200, then the milliseconds the process's threads had spent on a CPU
 * and waiting for one by then (from /proc/<pid>/task/<tid>/schedstat): on a shared machine the wall time
 * swings with the neighbours, the CPU time much less. Then SIGTERM, reap, next run.
 * Written in C because a shell or curl loop costs milliseconds per attempt, more than the thing measured.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof a;
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) < 0 || getsockname(s, (struct sockaddr *)&a, &len) < 0) {
        perror("free_port");
        exit(2);
    }
    close(s);
    return ntohs(a.sin_port);
}

/* 1 when the server answered 200, 0 when it is not there yet (refused, reset, or not a 200). */
static int health_ok(int port)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int ok = 0;
    if (connect(s, (struct sockaddr *)&a, sizeof a) == 0) {
        static const char req[] = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        char buf[256];
        if (write(s, req, sizeof req - 1) == (ssize_t)(sizeof req - 1)) {
            ssize_t n = read(s, buf, sizeof buf - 1);
            if (n >= 12) {
                buf[n] = 0;
                ok = strncmp(buf + 9, "200", 3) == 0;
            }
        }
    }
    close(s);
    return ok;
}

/* Sums the on-CPU and run-queue nanoseconds of every thread of pid. */
static void sched_ns(pid_t pid, double *cpu_ms, double *wait_ms)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    unsigned long long run = 0, wait = 0;
    DIR *dir = opendir(path);
    struct dirent *e;
    while (dir && (e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char file[sizeof path + 256 + 16];
        snprintf(file, sizeof file, "%s/%s/schedstat", path, e->d_name);
        FILE *f = fopen(file, "r");
        unsigned long long r, w;
        if (f && fscanf(f, "%llu %llu", &r, &w) == 2) {
            run += r;
            wait += w;
        }
        if (f)
            fclose(f);
    }
    if (dir)
        closedir(dir);
    *cpu_ms = run / 1e6;
    *wait_ms = wait / 1e6;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: startprobe <runs> <binary>\n");
        return 2;
    }
    int runs = atoi(argv[1]);
    for (int i = 0; i < runs; i++) {
        int api = free_port(), ui = free_port();
        while (ui == api)
            ui = free_port();
        char listen[64], uiaddr[64];
        snprintf(listen, sizeof listen, "127.0.0.1:%d", api);
        snprintf(uiaddr, sizeof uiaddr, "127.0.0.1:%d", ui);
        setenv("LISTEN_ADDR", listen, 1);
        setenv("UI_ADDR", uiaddr, 1);

        double start = now_ms();
        pid_t pid = fork();
        if (pid == 0) {
            int devnull = open("/dev/null", O_RDWR);
            dup2(devnull, 1);
            dup2(devnull, 2);
            execl(argv[2], argv[2], (char *)NULL);
            _exit(127);
        }
        double elapsed = -1, cpu_ms = 0, wait_ms = 0;
        while (now_ms() - start < 5000) {
            if (health_ok(api)) {
                elapsed = now_ms() - start;
                sched_ns(pid, &cpu_ms, &wait_ms);
                break;
            }
            int status;
            if (waitpid(pid, &status, WNOHANG) == pid) {
                fprintf(stderr, "startprobe: %s exited during start-up (status %d)\n", argv[2], status);
                return 1;
            }
            usleep(50);
        }
        kill(pid, SIGTERM);
        int status;
        waitpid(pid, &status, 0);
        if (elapsed < 0) {
            fprintf(stderr, "startprobe: no 200 from /health within 5 s\n");
            return 1;
        }
        printf("%.3f %.3f %.3f\n", elapsed, cpu_ms, wait_ms);
        fflush(stdout);
    }
    return 0;
}
