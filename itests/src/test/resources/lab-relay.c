/*
 * lab-relay - a cable with a delay, for the network lab (docs/lab.md).
 *
 * The lab machines' kernel has no sch_netem, so a delayed cable is relayed in user space: the
 * node's switch port PORT (a veth whose other end is the node's eth0) is taken out of the bridge,
 * and this program moves every frame between PORT (an AF_PACKET socket) and a TAP device named TAP
 * that it creates and that the lab puts on the bridge in PORT's place, each frame DELAY_US
 * microseconds after it arrived, in order, both ways. The TAP goes away with the program.
 *
 * Frames keep their offload state (a virtio_net_hdr on both sides: PACKET_VNET_HDR, IFF_VNET_HDR),
 * so that a TCP segment sent with its checksum left to the hardware, or a GSO burst, crosses whole.
 * At most QUEUE frames wait per direction; beyond, frames are dropped (netem's limit does so).
 *
 * usage: lab-relay PORT TAP DELAY_US    prints "ready" once TAP exists, runs until killed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <net/ethernet.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define QUEUE 16384
#define FRAME_MAX (65536 + sizeof(struct virtio_net_hdr))

struct frame {
    uint64_t due;
    size_t len;
    unsigned char *data;
};

/* One direction: frames read from one side, written to the other when due. */
struct lane {
    struct frame ring[QUEUE];
    size_t head, count;
    unsigned long dropped;
};

static uint64_t now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000 + (uint64_t)t.tv_nsec / 1000;
}

static void die(const char *what) {
    perror(what);
    exit(1);
}

static int open_tap(const char *name) {
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK);
    if (fd < 0) die("/dev/net/tun");
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
    strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) die("TUNSETIFF");
    /* what the bridge hands us may stay unsegmented and checksum-partial: we pass it on as is */
    if (ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6) < 0) die("TUNSETOFFLOAD");
    return fd;
}

static int open_port(const char *name) {
    int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, htons(ETH_P_ALL));
    if (fd < 0) die("socket(AF_PACKET)");
    int on = 1;
    if (setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &on, sizeof on) < 0) die("PACKET_VNET_HDR");
    /* what we send out of PORT must not come back to us as read */
    if (setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &on, sizeof on) < 0)
        die("PACKET_IGNORE_OUTGOING");
    int size = 8 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);
    struct sockaddr_ll addr;
    memset(&addr, 0, sizeof addr);
    addr.sll_family = AF_PACKET;
    addr.sll_protocol = htons(ETH_P_ALL);
    addr.sll_ifindex = (int)if_nametoindex(name);
    if (addr.sll_ifindex == 0) die(name);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) die("bind");
    return fd;
}

/* Reads every frame waiting on fd into the lane, due delay microseconds from now. */
static void take(int fd, struct lane *l, uint64_t delay, unsigned char *buffer) {
    for (;;) {
        ssize_t n = read(fd, buffer, FRAME_MAX);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) return;
            die("read");
        }
        if (l->count == QUEUE) {
            l->dropped++;
            continue;
        }
        unsigned char *copy = malloc((size_t)n);
        if (copy == NULL) die("malloc");
        memcpy(copy, buffer, (size_t)n);
        struct frame *f = &l->ring[(l->head + l->count) % QUEUE];
        f->due = now_us() + delay;
        f->len = (size_t)n;
        f->data = copy;
        l->count++;
    }
}

/* Writes the lane's due frames to fd; returns microseconds until the next one, or -1. */
static int64_t give(int fd, struct lane *l) {
    while (l->count > 0) {
        struct frame *f = &l->ring[l->head];
        uint64_t now = now_us();
        if (f->due > now) return (int64_t)(f->due - now);
        if (write(fd, f->data, f->len) < 0 && errno != EAGAIN && errno != ENOBUFS)
            perror("write"); /* a frame the kernel refuses is lost, as on a wire */
        free(f->data);
        l->head = (l->head + 1) % QUEUE;
        l->count--;
    }
    return -1;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: lab-relay PORT TAP DELAY_US\n");
        return 2;
    }
    uint64_t delay = strtoull(argv[3], NULL, 10);
    int port = open_port(argv[1]);
    int tap = open_tap(argv[2]);
    static struct lane to_switch, to_node;
    static unsigned char buffer[FRAME_MAX];
    printf("ready\n");
    fflush(stdout);
    struct pollfd fds[2] = {{.fd = port, .events = POLLIN}, {.fd = tap, .events = POLLIN}};
    for (;;) {
        int64_t a = give(tap, &to_switch);
        int64_t b = give(port, &to_node);
        int64_t wait = a < 0 ? b : (b < 0 ? a : (a < b ? a : b));
        /* poll counts milliseconds: round up, never sleep past a due frame by more than 1 ms */
        int timeout = wait < 0 ? -1 : (int)((wait + 999) / 1000);
        if (poll(fds, 2, timeout) < 0 && errno != EINTR) die("poll");
        if (fds[0].revents & POLLIN) take(port, &to_switch, delay, buffer);
        if (fds[1].revents & POLLIN) take(tap, &to_node, delay, buffer);
    }
}
