/*
 * safekit - the command line of a Bulwark node (spec F).
 *
 * A thin client: it forwards its arguments to the node's administration service over the local
 * socket SAFEVAR/run/safeadmin.sock and relays what comes back, so that every verb lives in the
 * node (one service, thin faces) and module scripts that call it many times pay only for a
 * process start and one round trip.
 *
 * SAFE is the directory holding this executable; SAFEVAR comes from the environment or defaults to
 * SAFE/var, so each copy of the distribution talks to its own node.
 *
 * `safekit -r <program> [args]` (spec E.5) runs a file of SAFEBIN = SAFE/private/bin, or an
 * absolute path, itself: exec'd with SAFE, SAFEBIN and SAFEVAR set, in the caller's directory,
 * with its stdin and exit code. Only the programs that need the node (NODE_PROGRAMS, the list of
 * bundles/module InternalVerb.PROGRAMS) are forwarded.
 *
 * Wire format (see bundles/shell Frames.java): request = "BWK1", u32 argc, argc strings, u32 envc,
 * envc "NAME=value" strings, each string a u32 big-endian length and UTF-8 bytes. Reply = frames of
 * a type byte ('O' stdout, 'E' stderr, 'X' exit code), a u32 length and a payload.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define EXIT_NOT_RUNNING 3
#define EXIT_FAILED 1

static char buffer[65536];
static size_t used;

static int flush_buffer(int fd) {
    size_t off = 0;
    while (off < used) {
        ssize_t n = write(fd, buffer + off, used - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        off += (size_t)n;
    }
    used = 0;
    return 0;
}

static int put(int fd, const void *data, size_t len) {
    const char *p = data;
    while (len > 0) {
        if (used == sizeof buffer && flush_buffer(fd) < 0) return -1;
        size_t room = sizeof buffer - used;
        size_t n = len < room ? len : room;
        memcpy(buffer + used, p, n);
        used += n;
        p += n;
        len -= n;
    }
    return 0;
}

static int put_u32(int fd, uint32_t v) {
    unsigned char b[4] = {v >> 24, v >> 16, v >> 8, v};
    return put(fd, b, 4);
}

static int put_string(int fd, const char *s) {
    size_t len = strlen(s);
    return put_u32(fd, (uint32_t)len) < 0 ? -1 : put(fd, s, len);
}

static int read_fully(int fd, void *dst, size_t len) {
    char *p = dst;
    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n == 0) return -1;
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int write_fully(int fd, const char *p, size_t len) {
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* SAFE = the directory of this executable. */
static void safe_root(char *out, size_t size) {
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        snprintf(out, size, ".");
        return;
    }
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash == exe) slash[1] = '\0';
    else if (slash) *slash = '\0';
    snprintf(out, size, "%s", exe);
}

static int connect_node(const char *path) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

/* Waits for the node as the original does ("Waiting for safeadmin ....."), up to SAFEKIT_WAIT s. */
static int connect_or_wait(const char *path) {
    int fd = connect_node(path);
    if (fd >= 0) return fd;
    double wait = 3.0;
    const char *w = getenv("SAFEKIT_WAIT");
    if (w && *w) wait = atof(w);
    if (wait <= 0) return -1;
    fputs("Waiting for safeadmin ", stderr);
    struct timespec step = {0, 250 * 1000 * 1000};
    for (double waited = 0; waited < wait; waited += 0.25) {
        fputc('.', stderr);
        fflush(stderr);
        nanosleep(&step, NULL);
        fd = connect_node(path);
        if (fd >= 0) {
            fputc('\n', stderr);
            return fd;
        }
    }
    fputc('\n', stderr);
    return -1;
}

/* errdpoll_running: errd's view of the processes (spec F.6), served by the node with errd */
static const char *const NODE_PROGRAMS[] = {"vip_if_ctrl", "saferpc_send", "xpathGet", "logI18nMSG",
                                             "processtree", "errdpoll_running", NULL};

static int node_program(const char *name) {
    for (int i = 0; NODE_PROGRAMS[i]; i++)
        if (strcmp(NODE_PROGRAMS[i], name) == 0) return 1;
    return 0;
}

/* safekit -r <program> [args]: exec SAFEBIN/<program> (or an absolute path); returns on error. */
static int run_safebin(const char *safe, char **argv) {
    const char *program = argv[0];
    char path[PATH_MAX + 32];
    char bin[PATH_MAX + 16];
    snprintf(bin, sizeof bin, "%s/private/bin", safe);
    if (program[0] == '/') {
        snprintf(path, sizeof path, "%s", program);
    } else if (program[0] == '\0' || strchr(program, '/') || strcmp(program, ".") == 0 ||
               strcmp(program, "..") == 0) {
        fprintf(stderr, "Error: safekit -r takes a program of SAFEBIN (%s) or an absolute path, not '%s'\n",
                bin, program);
        return 2;
    } else {
        snprintf(path, sizeof path, "%s/%s", bin, program);
    }
    char var[PATH_MAX + 8];
    const char *safevar = getenv("SAFEVAR");
    if (!safevar || !*safevar) {
        snprintf(var, sizeof var, "%s/var", safe);
        safevar = var;
    }
    if (setenv("SAFE", safe, 1) || setenv("SAFEBIN", bin, 1) || setenv("SAFEVAR", safevar, 1)) {
        fprintf(stderr, "Error: safekit -r: cannot set the environment: %s\n", strerror(errno));
        return EXIT_FAILED;
    }
    argv[0] = path;
    execv(path, argv);
    if (errno == ENOENT && program[0] != '/')
        fprintf(stderr, "Error: safekit -r: no program '%s' in SAFEBIN (%s)\n", program, bin);
    else
        fprintf(stderr, "Error: safekit -r: cannot run %s: %s\n", path, strerror(errno));
    return errno == ENOENT ? 127 : 126;
}

int main(int argc, char **argv) {
    signal(SIGPIPE, SIG_IGN);
    char safe[PATH_MAX];
    safe_root(safe, sizeof safe);
    if (argc >= 3 && strcmp(argv[1], "-r") == 0 && !node_program(argv[2]))
        return run_safebin(safe, argv + 2);
    if (argc >= 5 && strcmp(argv[1], "-m") == 0 && strcmp(argv[3], "-r") == 0 &&
        !node_program(argv[4])) {
        /* safekit -m AM -r <program>: the program gets the module as SAFEMODULE */
        if (setenv("SAFEMODULE", argv[2], 1)) return EXIT_FAILED;
        return run_safebin(safe, argv + 4);
    }

    char socket_path[PATH_MAX + 64];
    const char *var = getenv("SAFEVAR");
    const char *override = getenv("BULWARK_SOCKET");
    if (override && *override) snprintf(socket_path, sizeof socket_path, "%s", override);
    else if (var && *var) snprintf(socket_path, sizeof socket_path, "%s/run/safeadmin.sock", var);
    else snprintf(socket_path, sizeof socket_path, "%s/var/run/safeadmin.sock", safe);
    if (strlen(socket_path) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
        fprintf(stderr, "Error: the socket path %s is too long (at most %zu bytes): use a shorter SAFEVAR\n",
                socket_path, sizeof(((struct sockaddr_un *)0)->sun_path) - 1);
        return EXIT_FAILED;
    }

    int fd = connect_or_wait(socket_path);
    if (fd < 0) {
        fputs("Error: safeadmin administrator daemon not running\n", stderr);
        return EXIT_NOT_RUNNING;
    }

    /* The request: arguments, then the caller's environment that verbs use. */
    char user_env[300] = "USER=root";
    struct passwd *pw = getpwuid(geteuid());
    if (pw) snprintf(user_env, sizeof user_env, "USER=%s", pw->pw_name);
    char cwd[PATH_MAX + 5] = "PWD=";
    if (!getcwd(cwd + 4, PATH_MAX)) cwd[4] = '\0';
    const char *module = getenv("SAFEMODULE");
    char module_env[512] = "";
    if (module && *module) snprintf(module_env, sizeof module_env, "SAFEMODULE=%s", module);

    int ok = put(fd, "BWK1", 4) == 0 && put_u32(fd, (uint32_t)(argc - 1)) == 0;
    for (int i = 1; ok && i < argc; i++) ok = put_string(fd, argv[i]) == 0;
    uint32_t envc = 2 + (module_env[0] ? 1 : 0);
    ok = ok && put_u32(fd, envc) == 0 && put_string(fd, user_env) == 0 && put_string(fd, cwd) == 0;
    if (ok && module_env[0]) ok = put_string(fd, module_env) == 0;
    ok = ok && flush_buffer(fd) == 0;
    if (!ok) {
        fprintf(stderr, "Error: cannot send the command to safeadmin: %s\n", strerror(errno));
        return EXIT_FAILED;
    }

    /* The reply: relay output frames until the exit code. */
    static char payload[65536];
    for (;;) {
        unsigned char header[5];
        if (read_fully(fd, header, sizeof header) < 0) break;
        uint32_t len = (uint32_t)header[1] << 24 | (uint32_t)header[2] << 16 | (uint32_t)header[3] << 8 | header[4];
        if (header[0] == 'X') {
            unsigned char code[4];
            if (len != 4 || read_fully(fd, code, 4) < 0) break;
            return (int)((uint32_t)code[0] << 24 | (uint32_t)code[1] << 16 | (uint32_t)code[2] << 8 | code[3]);
        }
        int out = header[0] == 'E' ? 2 : 1;
        while (len > 0) {
            size_t chunk = len < sizeof payload ? len : sizeof payload;
            if (read_fully(fd, payload, chunk) < 0) goto lost;
            write_fully(out, payload, chunk);
            len -= (uint32_t)chunk;
        }
    }
lost:
    fputs("Error: connection to safeadmin lost before the command ended\n", stderr);
    return EXIT_FAILED;
}
