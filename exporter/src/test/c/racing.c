// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Inserts new keys into the exporter's spill hash from every CPU at once, for the test of its
 * bound.
 *
 *   racing DIR N
 *
 * Starts N processes, process i in the cgroup DIR/c<i> (made beforehand), each with every
 * capability dropped; once all are ready they are let go together, and each makes one denied
 * check of each of 13 capabilities, so 13 keys new to the kernel's maps per process. None of the
 * calls changes anything: each is refused at its capability check.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/io.h>
#include <sys/klog.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static void checks(void)
{
	struct timeval now;

	gettimeofday(&now, NULL);
	if (chroot("/") == 0 || acct(NULL) == 0 || swapoff("/") == 0 ||
	    setpriority(PRIO_PROCESS, 0, -20) == 0 || ioperm(0, 1, 1) == 0 ||
	    settimeofday(&now, NULL) == 0 || syscall(SYS_reboot, 0, 0, 0, NULL) == 0 ||
	    mknod("/nonexistent/racing", S_IFCHR, 0) == 0 || chown("/", 1, 1) == 0 ||
	    setuid(65534) == 0 || setgid(65534) == 0 || socket(AF_PACKET, SOCK_RAW, 0) >= 0 ||
	    klogctl(5, NULL, 0) == 0)
		_exit(2); /* a capability was not dropped */
}

static void child(const char *dir, int i, int go)
{
	struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct none[2] = { { 0 } };
	char path[4096], pid[32], c;
	int fd, len;

	snprintf(path, sizeof(path), "%s/c%d/cgroup.procs", dir, i);
	fd = open(path, O_WRONLY);
	len = snprintf(pid, sizeof(pid), "%d", getpid());
	if (fd < 0 || write(fd, pid, len) != len || syscall(SYS_capset, &header, none))
		_exit(1);
	close(fd);
	if (read(go, &c, 1) < 0)
		_exit(1);
	checks();
	_exit(0);
}

int main(int argc, char **argv)
{
	int go[2], status, failed = 0, n;

	if (argc != 3 || (n = atoi(argv[2])) <= 0 || pipe(go)) {
		fprintf(stderr, "usage: racing DIR N\n");
		return 1;
	}
	for (int i = 0; i < n; i++) {
		if (fork() == 0) {
			close(go[1]);
			child(argv[1], i, go[0]);
		}
	}
	close(go[0]);
	usleep(50000); /* all joined and waiting */
	close(go[1]); /* every read returns at once */
	while (wait(&status) > 0)
		failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	return failed;
}
