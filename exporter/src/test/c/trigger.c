// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Makes capability checks on demand, for the tests and benchmarks.
 *
 *   trigger [--cgroup DIR] [--drop CAP_NUMBER] [--time] [--fail] SYSCALL COUNT
 *
 * --cgroup moves this process into the cgroup v2 directory DIR first, so its checks carry that
 * cgroup's id; --drop removes one capability from the effective set, so the check is denied.
 * SYSCALL: chroot (chroot("/"): one CAP_SYS_CHROOT check), acct (acct(NULL): one
 * CAP_SYS_PACCT check), swapoff (swapoff("/"): one audited CAP_SYS_ADMIN check, the syscall's
 * first test; allowed, it fails all the same, "/" being no swap area, and changes nothing),
 * setuid (setuid(getuid()): one CAP_SETUID check through ns_capable_setid, changes nothing),
 * setroot (setuid(0): as root it changes nothing; after giving root up it is refused).
 * Prints "<allowed> allowed <denied> denied"; with --time, a second line "elapsed_ns=<N>": the
 * syscall loop's duration on CLOCK_MONOTONIC (the benchmarks). With --fail the exit status is 3
 * when the last call was refused, as a program that needs the capability gives up; else 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void join_cgroup(const char *dir)
{
	char path[4096], pid[32];
	int fd, len;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	fd = open(path, O_WRONLY);
	len = snprintf(pid, sizeof(pid), "%d", getpid());
	if (fd < 0 || write(fd, pid, len) != len) {
		fprintf(stderr, "trigger: cannot join %s: %s\n", path, strerror(errno));
		exit(1);
	}
	close(fd);
}

static void drop_effective(int cap)
{
	struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &header, data) ||
	    (data[cap / 32].effective &= ~(1U << (cap % 32)), syscall(SYS_capset, &header, data))) {
		fprintf(stderr, "trigger: cannot drop capability %d: %s\n", cap, strerror(errno));
		exit(1);
	}
}

int main(int argc, char **argv)
{
	long allowed = 0, denied = 0, count;
	struct timespec start, end;
	int i = 1, timed = 0, fail = 0, err = 0;

	while (i + 1 < argc && strncmp(argv[i], "--", 2) == 0) {
		if (strcmp(argv[i], "--time") == 0 || strcmp(argv[i], "--fail") == 0) {
			timed |= strcmp(argv[i], "--time") == 0;
			fail |= strcmp(argv[i], "--fail") == 0;
			i++;
			continue;
		}
		if (strcmp(argv[i], "--cgroup") == 0)
			join_cgroup(argv[i + 1]);
		else if (strcmp(argv[i], "--drop") == 0)
			drop_effective(atoi(argv[i + 1]));
		else
			break;
		i += 2;
	}
	if (argc - i != 2) {
		fprintf(stderr,
			"usage: trigger [--cgroup DIR] [--drop CAP] [--time] [--fail] chroot|acct|swapoff|setuid|setroot COUNT\n");
		return 2;
	}
	count = atol(argv[i + 1]);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (long n = 0; n < count; n++) {
		if (strcmp(argv[i], "chroot") == 0)
			err = chroot("/");
		else if (strcmp(argv[i], "acct") == 0)
			err = syscall(SYS_acct, NULL);
		else if (strcmp(argv[i], "swapoff") == 0)
			/* EPERM is the deny; any other error comes after the check allowed it. */
			err = swapoff("/") != 0 && errno == EPERM;
		else if (strcmp(argv[i], "setuid") == 0)
			/* ns_capable_setid(): an audited CAP_SETUID check with CAP_OPT_INSETID. */
			err = setuid(getuid());
		else if (strcmp(argv[i], "setroot") == 0)
			/* setuid(0): as a daemon that gave root up checks it cannot get it back. */
			err = setuid(0);
		else {
			fprintf(stderr, "trigger: unknown syscall %s\n", argv[i]);
			return 2;
		}
		if (err == 0)
			allowed++;
		else
			denied++;
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	printf("%ld allowed %ld denied\n", allowed, denied);
	if (timed)
		printf("elapsed_ns=%lld\n", (long long)(end.tv_sec - start.tv_sec) * 1000000000LL +
		       (end.tv_nsec - start.tv_nsec));
	/* A program that needs the capability gives up when its last call is refused. */
	return fail && err ? 3 : 0;
}
