// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Cgroups that come and go as fast as the machine allows: what CI runners, CronJobs and systemd
 * transient units do to a node, for bench/churn.sh.
 *
 *   churn PARENT COUNT WORKERS
 *
 * WORKERS processes share COUNT cgroups PARENT/c<i>: each is made, a child process joins it and
 * is denied chroot("/") once (CAP_SYS_CHROOT dropped from its effective set: one audited
 * SYS_CHROOT deny), exits, and the cgroup is removed (retried while the kernel still holds the
 * exited child). Prints "<count> cgroups in <seconds> s".
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CAP_SYS_CHROOT_BIT 18

static void denied_chroot_in(const char *dir)
{
	struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	char path[4096 + 32];
	int fd;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, "0", 1) != 1)
		_exit(1);
	close(fd);
	if (syscall(SYS_capget, &header, data))
		_exit(1);
	data[0].effective &= ~(1U << CAP_SYS_CHROOT_BIT);
	if (syscall(SYS_capset, &header, data))
		_exit(1);
	_exit(chroot("/") == 0 ? 1 : 0);
}

static int one(const char *parent, long i)
{
	char dir[4096];
	int status;
	pid_t child;

	snprintf(dir, sizeof(dir), "%s/c%ld", parent, i);
	if (mkdir(dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "churn: mkdir %s: %s\n", dir, strerror(errno));
		return -1;
	}
	child = fork();
	if (child == 0)
		denied_chroot_in(dir);
	if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "churn: the child in %s failed\n", dir);
		return -1;
	}
	for (int tries = 0; rmdir(dir); tries++) {
		if (errno != EBUSY || tries > 20000) {
			fprintf(stderr, "churn: rmdir %s: %s\n", dir, strerror(errno));
			return -1;
		}
		usleep(100);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct timespec start, end;
	long count, workers;
	int failed = 0, status;

	if (argc != 4 || (count = atol(argv[2])) <= 0 || (workers = atol(argv[3])) <= 0) {
		fprintf(stderr, "usage: churn PARENT COUNT WORKERS\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (long w = 0; w < workers; w++) {
		if (fork() == 0) {
			for (long i = w; i < count; i += workers)
				if (one(argv[1], i))
					_exit(1);
			_exit(0);
		}
	}
	while (wait(&status) > 0)
		failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	clock_gettime(CLOCK_MONOTONIC, &end);
	printf("%ld cgroups in %.1f s\n", count,
	       (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9);
	return failed;
}
